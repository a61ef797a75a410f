// Keeps entity offsets right while the article's text is edited: each text change shifts the
// entities after it, adjusts the ones it falls strictly inside, and removes the ones it destroys.
import { Entity } from '../model/model';
import { codePointLength } from '../model/offsets';

/** One replacement, in code points of the text before it: [start, end) becomes `text`. */
export interface TextChange {
  start: number;
  end: number;
  /** Code point length of the inserted text. */
  insertedLength: number;
}

export interface TrackResult {
  entities: Entity[];
  /** Entities whose text the change destroyed (a boundary was cut, or all of it deleted). */
  removed: Entity[];
  /** Entities the change fell inside (their text changed, their identity did not). */
  adjusted: Entity[];
}

/**
 * Applies one change to entity offsets. `sliceNew(start, end)` reads the text after the change,
 * to refresh the `text` of adjusted entities. Rules, for a change replacing [a, b):
 * - entity ends at or before a: unchanged (typing right after an entity does not extend it);
 * - entity starts at or after b: shifted (typing right before it does not extend it either);
 * - a ≥ start and b ≤ end, and the entity is not wholly replaced: adjusted (a typo fixed inside);
 * - otherwise a boundary is cut or the entity deleted: removed, and reported.
 */
export function trackChange(entities: readonly Entity[], c: TextChange, sliceNew: (start: number, end: number) => string): TrackResult {
  const delta = c.insertedLength - (c.end - c.start);
  const out: Entity[] = [];
  const removed: Entity[] = [];
  const adjusted: Entity[] = [];
  for (const e of entities) {
    if (e.end <= c.start) {
      out.push(e);
    } else if (e.start >= c.end) {
      out.push(delta === 0 ? e : { ...e, start: e.start + delta, end: e.end + delta });
    } else if (c.start >= e.start && c.end <= e.end && !(c.start === e.start && c.end === e.end)) {
      const end = e.end + delta;
      if (end <= e.start) { removed.push(e); continue; }
      const next = { ...e, end, text: sliceNew(e.start, end) };
      adjusted.push(next);
      out.push(next);
    } else {
      removed.push(e);
    }
  }
  return { entities: out, removed, adjusted };
}

/** Applies several changes of one edit. Changes refer to the text before the edit and must not overlap. */
export function trackChanges(entities: readonly Entity[], changes: readonly TextChange[], sliceNew: (start: number, end: number) => string): TrackResult {
  // Applied from the end of the text backwards, each change leaves the offsets of the
  // changes still to apply valid. Texts of adjusted entities are refreshed at the end.
  const ordered = [...changes].sort((a, b) => b.start - a.start);
  let current: Entity[] = [...entities];
  const removed: Entity[] = [];
  const adjustedIds = new Set<string>();
  for (const c of ordered) {
    const r = trackChange(current, c, () => '');
    current = r.entities;
    removed.push(...r.removed);
    for (const a of r.adjusted) adjustedIds.add(a.id);
  }
  const adjusted: Entity[] = [];
  current = current.map((e) => {
    if (!adjustedIds.has(e.id)) return e;
    const next = { ...e, text: sliceNew(e.start, e.end) };
    adjusted.push(next);
    return next;
  });
  return { entities: current, removed, adjusted };
}

/**
 * The one change (in code points of `before`) that turns `before` into `after`: everything between
 * their common prefix and common suffix replaced. For edits whose events were not seen (made while
 * the annotations were being read): tracking through it keeps every entity outside the changed
 * region, adjusts those around it, and drops those cut by it — never a wrong offset.
 */
export function changeBetween(before: string, after: string): TextChange | undefined {
  if (before === after) return undefined;
  const max = Math.min(before.length, after.length);
  let p = 0;
  while (p < max && before.charCodeAt(p) === after.charCodeAt(p)) p++;
  // Never split a surrogate pair: back off to the start of the character.
  if (p > 0 && isHigh(before.charCodeAt(p - 1))) p--;
  let s = 0;
  while (s < max - p && before.charCodeAt(before.length - 1 - s) === after.charCodeAt(after.length - 1 - s)) s++;
  if (s > 0 && isLow(before.charCodeAt(before.length - s))) s--;
  const start = codePointLength(before, 0, p);
  const end = start + codePointLength(before, p, before.length - s);
  return { start, end, insertedLength: codePointLength(after, p, after.length - s) };
}

function isHigh(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function isLow(c: number): boolean {
  return c >= 0xdc00 && c <= 0xdfff;
}
