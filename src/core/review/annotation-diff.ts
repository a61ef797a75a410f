// What changed between two versions of a document's annotations, entity by entity (matched by
// id): added, removed, relabelled, boundary changed, moved (the article was edited and the entity
// only shifted with it), note/attributes/author/origin changed; renamed documents (same article
// under another name); and the one-entity-per-line rendering git shows in `git diff` through the
// textconv driver.
import { cmp, compareEntities, Entity, Sidecar } from '../model/model';
import type { Conflict } from './merge';
import { scalar } from '../sidecar/sidecar-write';

export type EntityChangeKind = 'added' | 'removed' | 'changed';

/**
 * What a change touched; `span` is start/end/text; `moved` replaces `span` when the article changed
 * and the entity kept its text and length, only shifted (an edit before it): not a boundary change.
 */
export type ChangedField = 'label' | 'span' | 'moved' | 'note' | 'attrs' | 'by' | 'src' | string;

export interface EntityChange {
  kind: EntityChangeKind;
  id: string;
  before?: Entity;
  after?: Entity;
  /** For `changed`: the fields that differ, label and span first. */
  fields: ChangedField[];
}

export interface DocumentDiff {
  /** The article's path (relative, as the caller names documents). */
  document: string;
  /** The sidecar exists only on one side. */
  only?: 'before' | 'after';
  /** The document's name before: the same article (same sha256) under a new name. */
  renamedFrom?: string;
  status?: { before: string; after: string };
  sha256?: { before?: string; after?: string };
  entities: EntityChange[];
}

/** Summary counts: `relabelled` and `boundary` count changed entities by what changed (an entity may be both). */
export interface DiffCounts {
  documents: number;
  added: number;
  removed: number;
  relabelled: number;
  boundary: number;
  /** Shifted with an edit of the article, text unchanged. */
  moved: number;
  /** Documents renamed (same article under another name). */
  renamed: number;
  /** Changed in note, attrs, by, src only. */
  other: number;
}

const FIELD_ORDER = ['label', 'span', 'moved', 'note', 'attrs', 'by', 'src'];
const SPAN_KEYS = new Set(['id', 'start', 'end', 'text']);

/** The entity changes from `before` to `after`, in the order of the entities' positions. */
export function diffEntities(before: readonly Entity[], after: readonly Entity[]): EntityChange[] {
  const b = new Map(before.map((e) => [e.id, e]));
  const a = new Map(after.map((e) => [e.id, e]));
  const out: EntityChange[] = [];
  for (const [id, e] of b) {
    const n = a.get(id);
    if (!n) out.push({ kind: 'removed', id, before: e, fields: [] });
    else {
      const fields = changedFields(e, n);
      if (fields.length) out.push({ kind: 'changed', id, before: e, after: n, fields });
    }
  }
  for (const [id, e] of a) if (!b.has(id)) out.push({ kind: 'added', id, after: e, fields: [] });
  return out.sort((x, y) => compareEntities((x.after ?? x.before) as Entity, (y.after ?? y.before) as Entity) || order(x) - order(y));
}

function order(c: EntityChange): number {
  return c.kind === 'removed' ? 0 : c.kind === 'changed' ? 1 : 2;
}

export function changedFields(x: Entity, y: Entity): ChangedField[] {
  const keys = new Set<string>(FIELD_ORDER);
  for (const e of [x, y]) for (const k of Object.keys(e)) if (!SPAN_KEYS.has(k)) keys.add(k);
  keys.delete('span');
  const out: ChangedField[] = [];
  if (x.start !== y.start || x.end !== y.end || x.text !== y.text) out.push('span');
  for (const k of keys) if (valueText(x, k) !== valueText(y, k)) out.push(k);
  // One sort at the end puts `span` (pushed first) in its place after `label`.
  return out.sort((p, q) => rank(p) - rank(q) || cmp(p, q));
}

function rank(f: string): number {
  const i = FIELD_ORDER.indexOf(f);
  return i < 0 ? FIELD_ORDER.length : i;
}

function valueText(e: Entity, k: string): string {
  const v = (e as unknown as Record<string, unknown>)[k];
  if (v === undefined) return '';
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return JSON.stringify(Object.keys(o).sort(cmp).map((key) => [key, o[key]]));
  }
  return JSON.stringify(v);
}

/** The differences between two versions of one document's sidecar (either may be missing). */
export function diffSidecars(document: string, before: Sidecar | undefined, after: Sidecar | undefined, renamedFrom?: string): DocumentDiff {
  const d: DocumentDiff = { document, entities: diffEntities(before?.entities ?? [], after?.entities ?? []) };
  if (renamedFrom !== undefined && renamedFrom !== document) d.renamedFrom = renamedFrom;
  if (!before && after) d.only = 'after';
  if (before && !after) d.only = 'before';
  if (before && after && before.sha256 !== after.sha256) {
    // The article was edited: an entity that kept its text and length only moved with the edit.
    for (const c of d.entities) {
      const x = c.before;
      const y = c.after;
      if (c.kind !== 'changed' || !x || !y || !c.fields.includes('span')) continue;
      if (x.text === y.text && y.start - x.start === y.end - x.end) c.fields = c.fields.map((f) => (f === 'span' ? 'moved' : f));
    }
  }
  if (before && after) {
    if (before.status !== after.status) d.status = { before: before.status, after: after.status };
    if (before.sha256 !== after.sha256) {
      d.sha256 = {};
      if (before.sha256 !== undefined) d.sha256.before = before.sha256;
      if (after.sha256 !== undefined) d.sha256.after = after.sha256;
    }
  }
  return d;
}

export function isEmptyDiff(d: DocumentDiff): boolean {
  return d.entities.length === 0 && !d.status && !d.sha256 && !d.only && d.renamedFrom === undefined;
}

export interface RenameCandidate {
  document: string;
  /** The article's hash as the sidecar records it. */
  sha256?: string;
}

/**
 * Pairs documents that exist only before with documents that exist only after when they annotate
 * the same article (equal sha256, and that hash unique on both sides): a rename, not a removal and
 * an addition. Returns [before, after] names.
 */
export function matchRenames(onlyBefore: readonly RenameCandidate[], onlyAfter: readonly RenameCandidate[]): Array<[string, string]> {
  const unique = (xs: readonly RenameCandidate[]) => {
    const by = new Map<string, string | null>();
    for (const x of xs) if (x.sha256 !== undefined) by.set(x.sha256, by.has(x.sha256) ? null : x.document);
    return by;
  };
  const b = unique(onlyBefore);
  const a = unique(onlyAfter);
  const out: Array<[string, string]> = [];
  for (const [sha, from] of b) {
    const to = a.get(sha);
    if (from && to) out.push([from, to]);
  }
  return out.sort((x, y) => cmp(x[1], y[1]));
}

export function countDiffs(diffs: readonly DocumentDiff[]): DiffCounts {
  const c: DiffCounts = { documents: 0, added: 0, removed: 0, relabelled: 0, boundary: 0, moved: 0, renamed: 0, other: 0 };
  for (const d of diffs) {
    if (isEmptyDiff(d)) continue;
    c.documents++;
    if (d.renamedFrom !== undefined) c.renamed++;
    for (const e of d.entities) {
      if (e.kind === 'added') c.added++;
      else if (e.kind === 'removed') c.removed++;
      else {
        if (e.fields.includes('label')) c.relabelled++;
        if (e.fields.includes('span')) c.boundary++;
        if (e.fields.includes('moved')) c.moved++;
        if (!e.fields.includes('label') && !e.fields.includes('span') && !e.fields.includes('moved')) c.other++;
      }
    }
  }
  return c;
}

/**
 * One line per change, self-contained (grep-able), e.g.
 *   + PER «Abdellatif Hammouchi» 003_3e55.txt:5547-5567 [k3f9a2]
 *   ~ ORG «DGSN» a.txt:20-24 [b81c0d]  label PER → ORG
 */
export function formatDocumentDiff(d: DocumentDiff): string[] {
  const lines: string[] = [];
  if (d.renamedFrom !== undefined) lines.push(`> document ${d.renamedFrom} → ${d.document} (renamed: the same article)`);
  if (d.only === 'after') lines.push(`+ document ${d.document} (new sidecar, ${count(d.entities.length, 'entity', 'entities')})`);
  if (d.only === 'before') lines.push(`- document ${d.document} (sidecar removed, ${count(d.entities.length, 'entity', 'entities')})`);
  if (d.status) lines.push(`~ status ${d.document}: ${d.status.before} → ${d.status.after}`);
  if (d.sha256) lines.push(`~ sha256 ${d.document}: ${short(d.sha256.before)} → ${short(d.sha256.after)} (the article changed)`);
  for (const c of d.entities) lines.push(formatEntityChange(d.document, c));
  return lines;
}

export function formatEntityChange(document: string, c: EntityChange): string {
  const e = (c.after ?? c.before) as Entity;
  const head = `${e.label} «${display(e.text)}» ${document}:${e.start}-${e.end} [${e.id}]`;
  if (c.kind === 'added') return `+ ${head}`;
  if (c.kind === 'removed') return `- ${head}`;
  const b = c.before as Entity;
  const details = c.fields.map((f) => {
    if (f === 'label') return `label ${b.label} → ${e.label}`;
    if (f === 'span') return `span ${b.start}-${b.end} «${display(b.text)}» → ${e.start}-${e.end}`;
    if (f === 'moved') return `moved ${b.start}-${b.end} → ${e.start}-${e.end} with the article's edit`;
    return `${f} ${showValue(b, f)} → ${showValue(e, f)}`;
  });
  return `~ ${head}  ${details.join('; ')}`;
}

function showValue(e: Entity, f: string): string {
  const v = (e as unknown as Record<string, unknown>)[f];
  if (v === undefined) return '(none)';
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return '{' + Object.keys(o).sort(cmp).map((k) => `${k}: ${JSON.stringify(o[k])}`).join(', ') + '}';
  }
  return JSON.stringify(v);
}

function short(sha: string | undefined): string {
  return sha === undefined ? '(none)' : sha.slice(0, 12) + '…';
}

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Entity text on one line: line breaks and invisible characters shown, so each entity stays one line. */
export function display(text: string, max = 80): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (ch === '\n') out += '⏎';
    else if (ch === '\r') out += '␍';
    else if (ch === '\t') out += '⇥';
    else if (c < 0x20 || (c >= 0x7f && c <= 0xa0) || c === 0xad || (c >= 0x2000 && c <= 0x200f) || (c >= 0x2028 && c <= 0x202f) || (c >= 0x205f && c <= 0x206f) || c === 0x3000 || c === 0xfeff) {
      out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += ch;
  }
  const cps = [...out];
  return cps.length > max ? cps.slice(0, max - 1).join('') + '…' : out;
}

/**
 * The textconv rendering: a stable, human-readable view of a sidecar, one entity per line in
 * canonical order, each line depending only on its entity (so a change shows as one line), e.g.
 *   PER  «Abdellatif Hammouchi»  5547-5567  [k3f9a2]
 */
export function textconv(s: Sidecar, conflicts: readonly Conflict[] = []): string {
  const lines = [`document: ${s.document}`];
  if (s.sha256 !== undefined) lines.push(`sha256: ${s.sha256}`);
  lines.push(`status: ${s.status}`);
  for (const e of [...s.entities].sort(compareEntities)) lines.push(textconvLine(e));
  for (const c of conflicts) {
    lines.push(`CONFLICT [${c.id}] ${c.reason}`);
    for (const side of ['ours', 'theirs'] as const) {
      if (c[side].length === 0) lines.push(`  ${side}: (deleted)`);
      for (const e of c[side]) lines.push(`  ${side}: ${textconvLine(e)}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function textconvLine(e: Entity): string {
  let line = `${e.label}  «${display(e.text, Number.MAX_SAFE_INTEGER)}»  ${e.start}-${e.end}  [${e.id}]`;
  for (const f of Object.keys(e).filter((k) => !SPAN_KEYS.has(k) && k !== 'label').sort((p, q) => rank(p) - rank(q) || cmp(p, q))) {
    const v = (e as unknown as Record<string, unknown>)[f];
    line += `  ${f}: ${typeof v === 'string' && f !== 'note' ? scalar(v) : showValue(e, f)}`;
  }
  return line;
}
