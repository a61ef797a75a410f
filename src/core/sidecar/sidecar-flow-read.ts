// The entity list of a sidecar in whatever flow spelling a tool wrote it — without the header
// comment, other key order, odd spacing, quoted keys, single quotes, YAML escapes, comments, CRLF —
// read line by line without the `yaml` package, so that a large sidecar not in canonical form
// costs a scan, not a YAML parse (18 s for 100k entities). sidecar-read.ts uses it for the
// "segmented" read: the entity items are cut out of the document and each one is either read here
// or, when this scanner is not sure (a block-style entity, a value it does not know how YAML
// reads, any problem), parsed alone by the `yaml` package; the rest of the document goes to the
// full reader. The result must equal the full reader's exactly (differential tests:
// test/unit/sidecar-segmented-read.test.ts), so this scanner only accepts what it can read
// exactly as YAML does, and only structurally valid entities (problems are the full reader's job).
import { Entity } from '../model/model';
import { parseEntityLine } from './sidecar-fast-read';

/** One item of the entity list: where its text is, and the entity when it was read here. */
export interface EntityItem {
  /** Start of the item's first line (block list) or of its `{` (flow list). */
  start: number;
  /** End of the item: the start of the next item's line, or of what follows the list. */
  end: number;
  /** 1-based line of the item's first line. */
  line: number;
  /** The entity, when its text is a flow mapping this scanner read; else for the YAML reader. */
  entity?: Entity;
}

/** The `entities:` list of a sidecar, located in its text. */
export interface EntityBlock {
  /** Offset of the `entities` key (column 1). */
  keyAt: number;
  /** The part of the text that holds the items, [from, to): cut out for the reading of the rest. */
  from: number;
  to: number;
  /** Line breaks within [from, to). */
  lines: number;
  /** A flow list on the key's line (`entities: [{…}, {…}]`), rather than one item per line. */
  inline: boolean;
  items: EntityItem[];
}

const SP = 0x20;
const NL = 0x0a;
const CR = 0x0d;
const HASH = 0x23;
const DASH = 0x2d;
const COLON = 0x3a;
const COMMA = 0x2c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const DQ = 0x22;
const SQ = 0x27;

/**
 * Finds the entity list: a column-1 `entities:` line followed by a block list of items (each
 * `- ` at one indentation; lines indented deeper, blank lines and comment lines belong to the
 * item before them), or `entities: [{…}, …]` on one line. Undefined when the text has no such
 * list (no items, another spelling): the caller reads the whole text with the full reader.
 * Where the list ends is where a line less indented than its items (or as indented, not `-`)
 * begins; the caller checks that the rest reads as expected around the cut.
 */
export function findEntityBlock(s: string): EntityBlock | undefined {
  // A lone CR is a line break to some YAML readers and not to others: not for this path.
  if (s.includes('\r') && /\r(?!\n)/.test(s)) return undefined;
  const keyAt = s.startsWith('entities:') ? 0 : s.indexOf('\nentities:') + 1;
  if (keyAt === 0 && !s.startsWith('entities:')) return undefined;
  let line = 1;
  for (let i = s.indexOf('\n'); i >= 0 && i < keyAt; i = s.indexOf('\n', i + 1)) line++;
  let p = keyAt + 9;
  const afterKey = p;
  while (s.charCodeAt(p) === SP) p++;
  if (s.charCodeAt(p) === 0x5b /* [ */ && p > afterKey) return inlineBlock(s, keyAt, p, line);
  p = restOfLine(s, p, p > afterKey);
  if (p < 0 || p >= s.length) return undefined;
  line++;
  // Blank and comment lines before the first item stay with the key.
  let q = p;
  let n = -1;
  while (q < s.length) {
    let i = q;
    while (s.charCodeAt(i) === SP) i++;
    const c = s.charCodeAt(i);
    if (isLineEnd(s, i) || c === HASH) {
      q = nextLine(s, i);
      line++;
      continue;
    }
    if (c === DASH && isDashEnd(s, i + 1)) n = i - q;
    break;
  }
  if (n < 0) return undefined;
  const from = q;
  const items: EntityItem[] = [];
  let current: EntityItem | undefined;
  let multiline = false; // the current item has lines of its own beyond its first
  let lines = 0;
  const close = (end: number) => {
    if (current === undefined) return;
    current.end = end;
    if (!multiline) readItemLine(s, current, n);
    items.push(current);
  };
  while (q < s.length) {
    let i = q;
    while (s.charCodeAt(i) === SP) i++;
    const c = s.charCodeAt(i);
    const blank = isLineEnd(s, i) || c === HASH;
    if (!blank && i - q <= n) {
      if (i - q < n || c !== DASH || !isDashEnd(s, i + 1)) break; // the list ends here
      close(q);
      current = { start: q, end: q, line, entity: undefined };
      multiline = false;
    } else if (!blank) multiline = true;
    q = nextLine(s, i);
    line++;
    lines++;
  }
  const to = Math.min(q, s.length);
  close(to);
  // `lines` counted every line started in [from, to); the last one may lack its line break.
  if (to === s.length && s.charCodeAt(to - 1) !== NL) lines--;
  return { keyAt, from, to, lines, inline: false, items };
}

/** `entities: [{…}, {…}]` on one line: every item must be read here (else undefined). */
function inlineBlock(s: string, keyAt: number, open: number, line: number): EntityBlock | undefined {
  const items: EntityItem[] = [];
  let p = open + 1;
  for (;;) {
    while (s.charCodeAt(p) === SP) p++;
    if (s.charCodeAt(p) !== LBRACE) return undefined;
    const entity = scanFlowEntity(s, p);
    if (entity === undefined) return undefined;
    items.push({ start: p, end: scanEnd, line, entity });
    p = scanEnd;
    while (s.charCodeAt(p) === SP) p++;
    const c = s.charCodeAt(p);
    if (c === 0x5d /* ] */) break;
    if (c !== COMMA) return undefined;
    p++;
  }
  const to = p + 1;
  let end = to;
  while (s.charCodeAt(end) === SP) end++;
  if (restOfLine(s, end, end > to) < 0) return undefined;
  return { keyAt, from: open, to, lines: 0, inline: true, items };
}

/** The item's entity, when its only line is `- {…}` (then optional spaces and a comment). */
function readItemLine(s: string, item: EntityItem, indent: number): void {
  // The writer's own line (a canonical file without its header comment, say): its exact reader first.
  if (indent === 2 && s.charCodeAt(item.start + 4) === LBRACE) {
    const canonical = parseEntityLine(s, item.start);
    if (canonical !== undefined && canonical.next === item.end) {
      item.entity = canonical.entity;
      return;
    }
  }
  let p = item.start + indent + 1;
  if (s.charCodeAt(p) !== SP) return;
  while (s.charCodeAt(p) === SP) p++;
  if (s.charCodeAt(p) !== LBRACE) return;
  const entity = scanFlowEntity(s, p);
  if (entity === undefined) return;
  let q = scanEnd;
  while (s.charCodeAt(q) === SP) q++;
  if (restOfLine(s, q, q > scanEnd) < 0) return;
  item.entity = entity;
}

function isLineEnd(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c === NL || i >= s.length || (c === CR && s.charCodeAt(i + 1) === NL);
}

function isDashEnd(s: string, i: number): boolean {
  return s.charCodeAt(i) === SP || isLineEnd(s, i);
}

/** The start of the line after the one `i` is on. */
function nextLine(s: string, i: number): number {
  const nl = s.indexOf('\n', i);
  return nl < 0 ? s.length : nl + 1;
}

/** At `p`: the line's end, or a comment when `spaced` (a space before it); the next line's start, or -1. */
function restOfLine(s: string, p: number, spaced: boolean): number {
  if (s.charCodeAt(p) === HASH && spaced) return nextLine(s, p);
  if (!isLineEnd(s, p)) return -1;
  return nextLine(s, p);
}

// ---- One flow mapping ---------------------------------------------------------------------------

let value: string | null = null;
let quoted = false;
let scanEnd = 0;

const isPlainStart = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
// `-` `.` `/` `+` `@` inside a plain value are plain to every YAML reader; `:` only before one of these.
const isPlainChar = (c: number) => isPlainStart(c) || c === DASH || c === 0x2e || c === 0x2f || c === 0x2b || c === 0x40;

/**
 * A plain scalar of the restricted alphabet above (words separated by spaces): the same text to
 * every YAML reader, `null` when YAML reads it as null (another type — 2026, true — keeps its text,
 * as the full reader does).
 */
function scanPlain(s: string, p: number): number {
  if (!isPlainStart(s.charCodeAt(p))) return -1;
  let i = p + 1;
  for (;;) {
    const c = s.charCodeAt(i);
    if (isPlainChar(c)) i++;
    else if (c === COLON && isPlainChar(s.charCodeAt(i + 1))) i += 2;
    else if (c === SP) {
      let j = i + 1;
      while (s.charCodeAt(j) === SP) j++;
      if (!isPlainStart(s.charCodeAt(j))) break;
      i = j + 1;
    } else break;
  }
  const v = s.slice(p, i);
  value = v === 'null' || v === 'Null' || v === 'NULL' ? null : v;
  return i;
}

const ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', '\t': '\t',
};

/** A double-quoted scalar on one line, YAML escapes decoded (the `yaml` package's own table). */
function scanDoubleQuoted(s: string, p: number): number {
  let i = p + 1;
  let escaped = false;
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === DQ) break;
    if (c === 0x5c) {
      escaped = true;
      const d = s[i + 1] ?? '';
      if (d === 'x' || d === 'u' || d === 'U') {
        const n = d === 'x' ? 2 : d === 'u' ? 4 : 8;
        const hex = s.slice(i + 2, i + 2 + n);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== n || parseInt(hex, 16) > 0x10ffff) return -1;
        i += 2 + n;
      } else if (ESCAPES[d] !== undefined) i += 2;
      else return -1;
      continue;
    }
    if (c === NL || c === CR || Number.isNaN(c)) return -1; // a folded or unfinished string: the YAML reader's
    i++;
  }
  value = escaped ? unescape(s.slice(p + 1, i)) : s.slice(p + 1, i);
  return i + 1;
}

function unescape(inner: string): string {
  return inner.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[^xuU])/g, (_, e: string) =>
    e.length === 1 ? (ESCAPES[e] as string) : String.fromCodePoint(parseInt(e.slice(1), 16)));
}

/** A single-quoted scalar on one line (`''` is a quote). */
function scanSingleQuoted(s: string, p: number): number {
  let i = p + 1;
  let doubled = false;
  for (;;) {
    const c = s.charCodeAt(i);
    if (c === SQ) {
      if (s.charCodeAt(i + 1) !== SQ) break;
      doubled = true;
      i += 2;
      continue;
    }
    if (c === NL || c === CR || Number.isNaN(c)) return -1;
    i++;
  }
  const inner = s.slice(p + 1, i);
  value = doubled ? inner.replace(/''/g, "'") : inner;
  return i + 1;
}

/**
 * A scalar value (plain, double- or single-quoted), or nothing (null) before `,` or `}`. A quoted
 * value is always text, so it is marked: `"5"` is no offset and `"true"` no boolean to YAML.
 */
function scanValue(s: string, p: number): number {
  const c = s.charCodeAt(p);
  quoted = c === DQ || c === SQ;
  if (c === DQ) return scanDoubleQuoted(s, p);
  if (c === SQ) return scanSingleQuoted(s, p);
  if (c === COMMA || c === RBRACE) {
    value = null;
    return p;
  }
  return scanPlain(s, p);
}

/** A key, then optional spaces, `:` and at least one space; the key's text in `value`. */
function scanKey(s: string, p: number): number {
  const c = s.charCodeAt(p);
  let i = c === DQ ? scanDoubleQuoted(s, p) : c === SQ ? scanSingleQuoted(s, p) : scanPlain(s, p);
  if (i < 0 || value === null || value.length > 1000) return -1;
  while (s.charCodeAt(i) === SP) i++;
  if (s.charCodeAt(i) !== COLON || s.charCodeAt(i + 1) !== SP) return -1;
  i += 2;
  while (s.charCodeAt(i) === SP) i++;
  return i;
}

/** After a value: spaces, then `,` (and spaces) or `}`; the position after them, negated for `}`. */
function scanSeparator(s: string, p: number): number {
  while (s.charCodeAt(p) === SP) p++;
  const c = s.charCodeAt(p);
  if (c === RBRACE) return -(p + 1) - 1;
  if (c !== COMMA) return 0;
  p++;
  while (s.charCodeAt(p) === SP) p++;
  return s.charCodeAt(p) === RBRACE || s.charCodeAt(p) === COMMA ? 0 : p;
}

/** A canonical offset: `0` or digits without a leading zero, a safe integer. */
function offsetOf(v: string | null): number | undefined {
  if (v === null || !/^(?:0|[1-9][0-9]*)$/.test(v)) return undefined;
  const n = Number(v);
  return Number.isSafeInteger(n) ? n : undefined;
}

const ID = /^[A-Za-z0-9_.-]{1,64}$/;
const FIELDS = ['id', 'label', 'start', 'end', 'text', 'note', 'attrs', 'by', 'src', 'suggested'] as const;

/**
 * The flow mapping at `p` (a `{`) as a structurally valid entity, `scanEnd` after its `}`; or
 * undefined when it is not one, or not in a spelling read here.
 */
export function scanFlowEntity(s: string, p: number): Entity | undefined {
  const got: Array<string | null | undefined> = [];
  let attrs: Record<string, string> | null | undefined;
  let i = p + 1;
  while (s.charCodeAt(i) === SP) i++;
  if (s.charCodeAt(i) === RBRACE) return undefined;
  for (;;) {
    i = scanKey(s, i);
    if (i < 0) return undefined;
    const k = FIELDS.indexOf(value as (typeof FIELDS)[number]);
    if (k < 0 || got[k] !== undefined || (k === 6 && attrs !== undefined)) return undefined;
    if (k === 6 && s.charCodeAt(i) === LBRACE) {
      i = scanAttrs(s, i);
      if (i < 0) return undefined;
      attrs = attrsValue;
      got[k] = '';
    } else {
      i = scanValue(s, i);
      if (i < 0) return undefined;
      // Offsets and `suggested` are numbers and a boolean only when plain.
      if (quoted && (k === 2 || k === 3 || k === 9)) return undefined;
      got[k] = value;
      if (k === 6) {
        if (value !== null) return undefined; // attrs must be a mapping
        attrs = null;
      }
    }
    const next = scanSeparator(s, i);
    if (next === 0) return undefined;
    if (next < 0) {
      scanEnd = -next - 1;
      break;
    }
    i = next;
  }
  const [id, label, start, end, text, note, , by, src, suggested] = got;
  // Required fields present (null is missing), each valid: else the full reader has a problem to report.
  if (typeof id !== 'string' || !ID.test(id) || typeof label !== 'string' || label.trim() === '' || typeof text !== 'string') return undefined;
  const from = offsetOf(start ?? null);
  const to = offsetOf(end ?? null);
  if (from === undefined || to === undefined || from >= to) return undefined;
  let isSuggested = false;
  if (suggested !== undefined) {
    if (suggested === 'true' || suggested === 'True' || suggested === 'TRUE') isSuggested = true;
    else if (!(suggested === 'false' || suggested === 'False' || suggested === 'FALSE')) return undefined;
  }
  const entity: Entity = { id, label, start: from, end: to, text };
  if (typeof note === 'string') entity.note = note;
  if (attrs) entity.attrs = attrs;
  if (typeof by === 'string') entity.by = by;
  if (typeof src === 'string') entity.src = src;
  if (isSuggested) entity.suggested = true;
  return entity;
}

let attrsValue: Record<string, string> = {};

// What YAML 1.2's core schema reads as a number or a boolean (null is refused before).
const CORE_NOT_TEXT = /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[Tt]rue|TRUE|[Ff]alse|FALSE)$/;

/** A plain scalar YAML reads as the text itself: not a number or a boolean. */
function isWord(v: string): boolean {
  return !CORE_NOT_TEXT.test(v);
}

/** `{k: v, …}`: scalar names and text values, no name twice; the mapping in `attrsValue`. */
function scanAttrs(s: string, p: number): number {
  // As the full reader builds it: a null-prototype object spread into a plain one (`__proto__` is a name like any other).
  const out: Record<string, string> = Object.create(null);
  const seen = new Set<string>();
  let i = p + 1;
  while (s.charCodeAt(i) === SP) i++;
  if (s.charCodeAt(i) === RBRACE) {
    attrsValue = {};
    return i + 1;
  }
  for (;;) {
    const plainKey = s.charCodeAt(i) !== DQ && s.charCodeAt(i) !== SQ;
    i = scanKey(s, i);
    if (i < 0) return -1;
    const key = value as string;
    // YAML compares keys by what they mean (1 and 1. are one number, twice): plain names here are words.
    if (seen.has(key) || (plainKey && !isWord(key))) return -1;
    seen.add(key);
    i = scanValue(s, i);
    if (i < 0 || value === null) return -1;
    out[key] = value;
    const next = scanSeparator(s, i);
    if (next === 0) return -1;
    if (next < 0) {
      attrsValue = { ...out };
      return -next - 1;
    }
    i = next;
  }
}
