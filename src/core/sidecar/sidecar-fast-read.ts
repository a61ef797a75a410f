// A fast reader for the one spelling of a sidecar that matters for speed: the canonical form
// sidecar-write.ts produces (every sidecar the extension and `fmt` write). It recognises exactly
// that form and nothing else: for any other text — block style, comments, other key order, an
// escape the writer would not use, an unsorted entity, a `conflicts:` list, CRLF — and for any
// structural fault the full reader would report (duplicate id, start >= end, bad sha256…) it
// returns undefined, and readSidecar() runs the full YAML reader, which gives the same result
// (or the positioned problems). So when it returns a result:
//   - the result is deep-equal to what the full reader returns for the same text, and
//   - writeSidecar(result.sidecar) === source, byte for byte (the text is canonical), which is
//     what sidecar-patch.ts relies on to splice lines into it.
// Both properties are tested differentially over generated and mutated sidecars
// (test/unit/sidecar-fast-read.test.ts). About 50 times faster than the `yaml` package on a large
// sidecar.
import { cmp, compareEntities, Entity, SIDECAR_VERSION, Sidecar, Status, STATUSES } from '../model/model';
import type { ParsedSidecar } from './sidecar-parsed';
import { NUMBER_LIKE, PLAIN, RESERVED, SIDECAR_HEADER } from './sidecar-write';

// ---- The canonical scalars (mirrors of sidecar-write.ts's `scalar` and `quoted`) --------------
//
// A hand-written scanner rather than a regular expression: it allocates only the strings the
// model keeps (and reuses repeated labels, annotators and sources), which is most of its speed.
// Each scan function returns the position after what it read, or -1 when the text there is not
// exactly what the writer would write; the value read is left in `value` / `numberValue`.

// scalar(): plain exactly when PLAIN matches and neither RESERVED nor NUMBER_LIKE does (the
// writer's own expressions, imported, so the two cannot drift apart).
const ID = /^[A-Za-z0-9_.-]{1,64}$/;
const SHA256 = /^[0-9a-f]{64}$/;

const PREFIX = `${SIDECAR_HEADER}\nversion: ${SIDECAR_VERSION}\ndocument: `;
const EMPTY_ENTITIES = 'entities: []\n';
const ENTITIES_KEY = 'entities:\n';

let value = '';
let numberValue = 0;

/** Whether quoted() writes the UTF-16 unit `c` as itself (surrogates aside: they go in pairs). */
function isRaw(c: number): boolean {
  if (!(c >= 0x20)) return false; // C0 controls, and NaN past the end of the text
  if (c < 0x7f) return c !== 0x22 && c !== 0x5c;
  if (c <= 0xa0) return false; // DEL, C1, NBSP
  if (c < 0xad) return true;
  if (c < 0x2000) return c !== 0xad && c !== 0x034f && c !== 0x061c && c !== 0x180e;
  if (c <= 0x200f || (c >= 0x2028 && c <= 0x202f) || (c >= 0x205f && c <= 0x206f)) return false;
  if (c >= 0xd800 && c <= 0xdfff) return false;
  return c !== 0x3000 && c !== 0xfeff && c !== 0xfffe && c !== 0xffff;
}

/** Four upper-case hexadecimal digits at `i` as a number; -1 otherwise. */
function hex4(s: string, i: number): number {
  let n = 0;
  for (let k = i; k < i + 4; k++) {
    const c = s.charCodeAt(k);
    if (c >= 0x30 && c <= 0x39) n = n * 16 + c - 0x30;
    else if (c >= 0x41 && c <= 0x46) n = n * 16 + c - 0x37;
    else return -1;
  }
  return n;
}

/**
 * A double-quoted string exactly as quoted() writes it: characters that need no escape as they
 * are (a valid surrogate pair included), `\" \\ \n \t \r`, and `\uXXXX` (upper-case hex) for
 * exactly the other characters quoted() escapes — a lone surrogate included, which is never
 * followed by an escaped low surrogate (that pair would have been written as it is).
 */
function scanQuoted(s: string, p: number): number {
  if (s.charCodeAt(p) !== 0x22) return -1;
  const from = p + 1;
  let i = from;
  let escaped = false;
  let afterHigh = false; // the previous unit was an escaped high surrogate
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === 0x22) break;
    if (c === 0x5c) {
      escaped = true;
      const d = s.charCodeAt(i + 1);
      if (d === 0x75) {
        const u = hex4(s, i + 2);
        if (u < 0) return -1;
        if (u >= 0xdc00 && u <= 0xdfff) {
          if (afterHigh) return -1;
          afterHigh = false;
        } else if (u >= 0xd800 && u <= 0xdbff) {
          afterHigh = true;
        } else {
          if (isRaw(u) || u === 0x22 || u === 0x5c || u === 0x0a || u === 0x09 || u === 0x0d) return -1;
          afterHigh = false;
        }
        i += 6;
      } else if (d === 0x22 || d === 0x5c || d === 0x6e || d === 0x74 || d === 0x72) {
        afterHigh = false;
        i += 2;
      } else return -1;
      continue;
    }
    afterHigh = false;
    if (isRaw(c)) {
      i++;
    } else if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (!(d >= 0xdc00 && d <= 0xdfff)) return -1;
      i += 2;
    } else return -1; // a character the writer escapes, a lone low surrogate, or the end of the text
  }
  // Every escape quoted() writes is also a JSON escape with the same meaning, and no raw control
  // character got here: JSON.parse decodes it exactly, natively.
  value = escaped ? (JSON.parse(s.slice(p, i + 1)) as string) : s.slice(from, i);
  return i + 1;
}

function isPlainChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x2e || c === 0x2d;
}

/** Whether scalar() writes `v` (a PLAIN-shaped string) plain, rather than quoted. */
function plainAllowed(v: string): boolean {
  const c = v.charCodeAt(0);
  if (c >= 0x30 && c <= 0x39) return !NUMBER_LIKE.test(v);
  return v.length > 5 || !RESERVED.test(v);
}

/**
 * Recently read plain values of one field (labels, annotators, sources, attribute names): the
 * same few recur on every line, so they are compared in place and shared, not sliced again.
 */
class Recent {
  private readonly values: string[] = [];
  private next = 0;

  find(s: string, from: number, to: number): string | undefined {
    const n = to - from;
    for (let k = 0; k < this.values.length; k++) {
      const v = this.values[k] as string;
      if (v.length !== n) continue;
      let j = 0;
      while (j < n && v.charCodeAt(j) === s.charCodeAt(from + j)) j++;
      if (j === n) return v;
    }
    return undefined;
  }

  add(v: string): void {
    if (this.values.length < 16) this.values.push(v);
    else {
      this.values[this.next] = v;
      this.next = (this.next + 1) % 16;
    }
  }
}

/** A scalar() value: plain when scalar() writes it plain, double-quoted otherwise. */
function scanScalar(s: string, p: number, recent?: Recent): number {
  if (s.charCodeAt(p) === 0x22) {
    const end = scanQuoted(s, p);
    if (end < 0 || (PLAIN.test(value) && plainAllowed(value))) return -1;
    return end;
  }
  let i = p;
  const c = s.charCodeAt(i);
  if (!isPlainChar(c) || c === 0x2e || c === 0x2d) return -1;
  while (isPlainChar(s.charCodeAt(++i)));
  const known = recent?.find(s, p, i);
  if (known !== undefined) value = known;
  else {
    value = s.slice(p, i);
    if (!plainAllowed(value)) return -1;
    recent?.add(value);
  }
  return i;
}

/** A canonical offset: `0` or a decimal number without leading zeros, a safe integer. */
function scanOffset(s: string, p: number): number {
  let c = s.charCodeAt(p);
  if (c === 0x30) {
    numberValue = 0;
    return p + 1; // `01` fails on the text expected next
  }
  if (!(c >= 0x31 && c <= 0x39)) return -1;
  let n = c - 0x30;
  let i = p + 1;
  for (;;) {
    c = s.charCodeAt(i);
    if (!(c >= 0x30 && c <= 0x39)) break;
    n = n * 10 + (c - 0x30); // exact below 2^53; at or above, stays at or above it
    i++;
  }
  if (n > Number.MAX_SAFE_INTEGER) return -1;
  numberValue = n;
  return i;
}

function literal(s: string, p: number, text: string): number {
  if (p < 0) return -1;
  for (let k = 0; k < text.length; k++) if (s.charCodeAt(p + k) !== text.charCodeAt(k)) return -1;
  return p + text.length;
}

const labels = new Recent();
const annotators = new Recent();
const sources = new Recent();
const attrNames = new Recent();
let lineEnd = 0;

/**
 * The fields of the entity line scanEntityFields() read last: one object, overwritten per line, so
 * that a reader that only counts (fastScanSidecar's callers) allocates no entity per line.
 */
export interface EntityFields {
  id: string;
  label: string;
  start: number;
  end: number;
  text: string;
  note: string | undefined;
  /** Only when `attrs` were asked for (fastReadSidecar, parseEntityLine); `kb` and `canonical` always. */
  attrs: Record<string, string> | undefined;
  kb: string | undefined;
  canonical: string | undefined;
  by: string | undefined;
  src: string | undefined;
  suggested: boolean;
}

const fields: EntityFields = { id: '', label: '', start: 0, end: 0, text: '', note: undefined, attrs: undefined, kb: undefined, canonical: undefined, by: undefined, src: undefined, suggested: false };

/**
 * Reads the canonical entity line at `at` into `fields`; `lineEnd` is then where the next line
 * starts. False when the line is not the writer's line for a structurally valid entity.
 */
function scanEntityFields(s: string, at: number, withAttrs: boolean): boolean {
  let p = literal(s, at, '  - {id: ');
  if (p < 0) return false;
  const plainId = s.charCodeAt(p) !== 0x22;
  p = scanScalar(s, p);
  if (p < 0) return false;
  const id = value;
  if (plainId ? id.length > 64 : !ID.test(id)) return false;
  p = literal(s, p, ', label: ');
  if (p < 0) return false;
  const plainLabel = s.charCodeAt(p) !== 0x22;
  if ((p = scanScalar(s, p, labels)) < 0) return false;
  const label = value;
  if (!plainLabel && label.trim() === '') return false; // the full reader: "cannot be empty"
  p = literal(s, p, ', start: ');
  if (p < 0 || (p = scanOffset(s, p)) < 0) return false;
  const start = numberValue;
  p = literal(s, p, ', end: ');
  if (p < 0 || (p = scanOffset(s, p)) < 0) return false;
  const end = numberValue;
  if (start >= end) return false;
  p = literal(s, p, ', text: ');
  if (p < 0 || (p = scanQuoted(s, p)) < 0) return false;
  const text = value;
  let note: string | undefined;
  let by: string | undefined;
  let src: string | undefined;
  if (s.startsWith(', note: ', p)) {
    if ((p = scanQuoted(s, p + 8)) < 0) return false;
    note = value;
  }
  let attrs: Record<string, string> | undefined;
  attrKb = attrCanonical = undefined;
  if (s.startsWith(', attrs: {', p)) {
    if ((p = scanAttrs(s, p + 10, withAttrs)) < 0) return false;
    attrs = withAttrs ? attrsValue : undefined;
  }
  if (s.startsWith(', by: ', p)) {
    if ((p = scanScalar(s, p + 6, annotators)) < 0) return false;
    by = value;
  }
  if (s.startsWith(', src: ', p)) {
    if ((p = scanScalar(s, p + 7, sources)) < 0) return false;
    src = value;
  }
  const suggested = s.startsWith(', suggested: true', p);
  if (suggested) p += 17;
  p = literal(s, p, '}\n');
  if (p < 0) return false;
  lineEnd = p;
  fields.id = id;
  fields.label = label;
  fields.start = start;
  fields.end = end;
  fields.text = text;
  fields.note = note;
  fields.attrs = attrs;
  fields.kb = attrKb;
  fields.canonical = attrCanonical;
  fields.by = by;
  fields.src = src;
  fields.suggested = suggested;
  return true;
}

/** The entity on the canonical line at `at` (see scanEntityFields), as the full reader builds it. */
function scanEntityLine(s: string, at: number): Entity | undefined {
  if (!scanEntityFields(s, at, true)) return undefined;
  const { id, label, start, end, text, note, attrs, by, src, suggested } = fields;
  // The usual shapes as whole literals (one allocation, a shared hidden class); keys in the
  // full reader's order.
  if (note === undefined && attrs === undefined && !suggested) {
    if (by !== undefined) return src !== undefined ? { id, label, start, end, text, by, src } : { id, label, start, end, text, by };
    return src !== undefined ? { id, label, start, end, text, src } : { id, label, start, end, text };
  }
  const entity: Entity = { id, label, start, end, text };
  if (note !== undefined) entity.note = note;
  if (attrs !== undefined) entity.attrs = attrs;
  if (by !== undefined) entity.by = by;
  if (src !== undefined) entity.src = src;
  if (suggested) entity.suggested = true;
  return entity;
}

let attrsValue: Record<string, string> = {};
let attrKb: string | undefined;
let attrCanonical: string | undefined;

/**
 * `k: "v", …}` after `attrs: {`: names canonical and strictly ascending; the mapping in `attrsValue`
 * (only when `build`: a summary needs only `kb` and `canonical`, left in attrKb and attrCanonical).
 */
function scanAttrs(s: string, p: number, build: boolean): number {
  // Built like the full reader's: a null-prototype object spread into a plain one, so that a name
  // such as `__proto__` is an own property in both.
  const out: Record<string, string> | undefined = build ? Object.create(null) : undefined;
  let previous: string | undefined;
  if (s.charCodeAt(p) !== 0x7d) {
    for (;;) {
      if ((p = scanScalar(s, p, attrNames)) < 0) return -1;
      const key = value;
      if (previous !== undefined && cmp(previous, key) >= 0) return -1;
      p = literal(s, p, ': ');
      if (p < 0 || (p = scanQuoted(s, p)) < 0) return -1;
      if (out) out[key] = value;
      if (key === 'kb') attrKb = value;
      else if (key === 'canonical') attrCanonical = value;
      previous = key;
      if (s.charCodeAt(p) === 0x7d) break;
      p = literal(s, p, ', ');
      if (p < 0) return -1;
    }
  }
  if (out) attrsValue = { ...out };
  return p + 1;
}

/**
 * The entity on the canonical line starting at `at` (the start of a line), and where the next
 * line starts; undefined when the line is not the writer's line for a structurally valid entity.
 * Checks that need other lines (unique ids, order) are the caller's.
 */
export function parseEntityLine(source: string, at: number): { entity: Entity; next: number } | undefined {
  const entity = scanEntityLine(source, at);
  return entity === undefined ? undefined : { entity, next: lineEnd };
}

const STATUS_LINES = STATUSES.map((s) => `status: ${s}\n`);

/** The canonical lines before the entities; `at`: where the entity lines start (-1: `entities: []`, the end). */
interface Header {
  document: string;
  sha256: string | undefined;
  status: Status;
  at: number;
}

function scanHeader(source: string): Header | undefined {
  if (!source.startsWith(PREFIX)) return undefined;
  let at = scanScalar(source, PREFIX.length);
  const document = value;
  if ((at = literal(source, at, '\n')) < 0) return undefined;

  let sha256: string | undefined;
  if (source.startsWith('sha256: ', at)) {
    at = scanScalar(source, at + 8);
    sha256 = value;
    if ((at = literal(source, at, '\n')) < 0 || !SHA256.test(sha256)) return undefined;
  }

  const s = STATUS_LINES.findIndex((l) => source.startsWith(l, at));
  if (s < 0) return undefined;
  const status = STATUSES[s] as Status;
  at += (STATUS_LINES[s] as string).length;

  if (source.startsWith(EMPTY_ENTITIES, at)) {
    return at + EMPTY_ENTITIES.length === source.length ? { document, sha256, status, at: -1 } : undefined;
  }
  if (!source.startsWith(ENTITIES_KEY, at)) return undefined;
  at += ENTITIES_KEY.length;
  if (at === source.length) return undefined; // `entities:` and nothing: the writer says `[]`
  return { document, sha256, status, at };
}

/**
 * Reads a sidecar in canonical form with no structural problem: the same result as the full
 * reader's (`problems` empty). Undefined for anything else: the caller then runs the full reader.
 */
export function fastReadSidecar(source: string): ParsedSidecar | undefined {
  const header = scanHeader(source);
  if (!header) return undefined;
  const { document, sha256, status } = header;
  let line = 4;
  const keyLines = new Map<string, number>([['version', 2], ['document', 3]]);
  if (sha256 !== undefined) keyLines.set('sha256', line++);
  keyLines.set('status', line++);
  keyLines.set('entities', line++);
  const entityLines = new Map<string, number>();
  const entities: Entity[] = [];
  let at = header.at;
  if (at >= 0) {
    let previous: Entity | undefined;
    while (at < source.length) {
      const e = scanEntityLine(source, at);
      if (e === undefined) return undefined;
      // Canonical order (the writer's sort), strictly: ids are unique.
      if (previous !== undefined && compareEntities(previous, e) >= 0) return undefined;
      entities.push(e);
      previous = e;
      at = lineEnd;
    }
    // Filled after the scan, in one tight loop (faster than interleaved with it).
    for (let i = 0; i < entities.length; i++) entityLines.set((entities[i] as Entity).id, line + i);
    if (entityLines.size !== entities.length) return undefined; // a duplicate id: the full reader reports it
  }
  const sidecar: Sidecar = { version: SIDECAR_VERSION, document, sha256, status, entities };
  return { problems: [], entityLines, keyLines, sidecar };
}

/**
 * fastReadSidecar() for a reader that only needs each entity's fields once (the corpus index's
 * summaries): `visit` gets every entity line's fields in turn (one object, overwritten; `attrs`
 * not built), no entity objects or line maps are made. Returns the status when fastReadSidecar
 * would return a sidecar, undefined when it would not — then what `visit` saw must be dropped.
 */
export function fastScanSidecar(source: string, visit: (fields: Readonly<EntityFields>) => void): Status | undefined {
  const header = scanHeader(source);
  if (!header) return undefined;
  let at = header.at;
  if (at < 0) return header.status;
  const ids = new Set<string>();
  let pStart = -1;
  let pEnd = 0;
  let pLabel = '';
  let pId = '';
  while (at < source.length) {
    if (!scanEntityFields(source, at, false)) return undefined;
    const { id, label, start, end } = fields;
    // compareEntities(previous, this) < 0, as fastReadSidecar checks it.
    if (pStart >= 0 && (pStart - start || pEnd - end || cmp(pLabel, label) || cmp(pId, id)) >= 0) return undefined;
    const size = ids.size;
    if (ids.add(id).size === size) return undefined; // a duplicate id
    visit(fields);
    pStart = start;
    pEnd = end;
    pLabel = label;
    pId = id;
    at = lineEnd;
  }
  return header.status;
}
