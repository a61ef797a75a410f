// Entities on tokens: which tokens an entity covers, and which entities a flat tagging keeps.
import { Entity } from '../../model/model';
import { Token } from '../../text/tokenize';
import { clip, ExportDocument, ExportIssue, issue } from './common';

export interface Aligned {
  entity: Entity;
  /** Index of the first token. */
  first: number;
  /** Index of the last token (inclusive, like spaCy's token_end). */
  last: number;
}

/**
 * The token span of each entity. An entity whose start or end falls inside a token (or on a
 * space between tokens) is reported, never moved to the nearest token boundary.
 */
export function alignEntities(doc: ExportDocument, tokens: readonly Token[], entities: readonly Entity[], consequence: { dropped: boolean; message: string }): { aligned: Aligned[]; misaligned: ExportIssue[] } {
  const byStart = new Map<number, number>();
  const byEnd = new Map<number, number>();
  tokens.forEach((t, i) => {
    byStart.set(t.start, i);
    byEnd.set(t.end, i);
  });
  const aligned: Aligned[] = [];
  const misaligned: ExportIssue[] = [];
  for (const e of entities) {
    const first = byStart.get(e.start);
    const last = byEnd.get(e.end);
    if (first !== undefined && last !== undefined && first <= last) {
      aligned.push({ entity: e, first, last });
      continue;
    }
    const where = first === undefined ? describe(tokens, e.start, 'starts') : describe(tokens, e.end, 'ends');
    misaligned.push(issue(doc, e, 'token-boundary', consequence.dropped, `${where}; ${consequence.message}`));
  }
  return { aligned, misaligned };
}

/** Where an offset that is not a token boundary falls: inside a token, or between two. */
function describe(tokens: readonly Token[], offset: number, verb: 'starts' | 'ends'): string {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((tokens[mid] as Token).end <= offset) lo = mid + 1;
    else hi = mid;
  }
  const t = tokens[lo];
  if (t && t.start < offset) return `it ${verb} inside the token "${clip(t.text, 40)}" (${t.start}-${t.end})`;
  return `it ${verb} on a space or line break, not at a token boundary`;
}

/**
 * A non-overlapping subset for a flat tagging (CoNLL, spaCy's doc.ents): longest first, then
 * leftmost; every entity sharing a character with a kept one is dropped and reported with it.
 */
export function keepOutermost(doc: ExportDocument, items: readonly Aligned[]): { kept: Aligned[]; dropped: ExportIssue[] } {
  const order = [...items].sort((a, b) =>
    (b.entity.end - b.entity.start) - (a.entity.end - a.entity.start) || a.entity.start - b.entity.start || (a.entity.label < b.entity.label ? -1 : a.entity.label > b.entity.label ? 1 : 0) || (a.entity.id < b.entity.id ? -1 : 1));
  const kept: Aligned[] = [];
  const dropped: ExportIssue[] = [];
  // Which kept entity covers each token (its index in `kept`; -1: none). A kept entity is at least
  // as long as a later one, so one that overlaps it covers its first or its last token: two
  // look-ups instead of a scan of `kept` (quadratic on a document with many thousand entities).
  const owner = new Int32Array(items.reduce((n, a) => Math.max(n, a.last + 1), 0)).fill(-1);
  for (const item of order) {
    const e = item.entity;
    const atFirst = owner[item.first] as number;
    const atLast = owner[item.last] as number;
    if (atFirst < 0 && atLast < 0) {
      owner.fill(kept.length, item.first, item.last + 1);
      kept.push(item);
      continue;
    }
    // The earliest kept of the two, as a scan of `kept` in order would find.
    const k = (kept[atFirst < 0 ? atLast : atLast < 0 ? atFirst : Math.min(atFirst, atLast)] as Aligned).entity;
    const nested = k.start <= e.start && e.end <= k.end;
    const how = nested ? (k.start === e.start && k.end === e.end ? 'has the same span as' : 'is nested in') : 'overlaps';
    dropped.push(issue(doc, e, 'overlap', true, `dropped: it ${how} ${k.id} ${k.label} "${clip(k.text, 40)}", which is kept`));
  }
  kept.sort((a, b) => a.first - b.first);
  return { kept, dropped };
}
