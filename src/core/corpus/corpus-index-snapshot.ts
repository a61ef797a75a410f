// The corpus index written to disk between sessions (issue 14: a second opening of the same
// workspace shows its totals without reading every sidecar again). Pure: the caller reads and
// writes the bytes and stats the sidecars; this module only turns per-document summaries, each
// stamped with its sidecar's size and mtime when it was read, into text and back.
//
// Two files sharing one generation id (version 4): the counts (a line per document: its counts,
// status, problems and stamp; about 2 MB for 10k documents) and the mentions (a line per document:
// its surfaces and positions; most of the 40 MB). The totals and the document grouping need only
// the counts; the mentions (the label and entity groupings) are read after, a slice at a time
// (`mentionsSteps`), so a second opening shows its totals without reading 40 MB first. The caller
// writes the mentions file first, then the counts file, each replacing nothing: a crash between
// them, or a copy of one file without the other, leaves a pair whose generations differ ("torn").
//
// Both files are derived data. Anything unexpected in the counts file (another version, a
// truncated or corrupt file, a field of the wrong type) makes `parseCounts` reject it whole — never
// throw — and the caller reads every sidecar: a half-trusted file would show wrong totals. The
// mentions file is checked line by line: each line names its document and the byte length of its
// mentions, so a line cut short, a bad line, a mentions file of another generation or none at all
// only costs the documents concerned (`mentionsSteps` names them): their counts stand, and the
// caller reads their sidecars again for their mentions. (Neither a tab nor a newline byte appears
// in JSON.stringify's output, UTF-8 encoded.) Version 3's single file is ignored: one full pass.
import { DocumentSummary, idColumns, mentionId, MentionLink, Mentions, StringPool } from './corpus-index';
import { STATUSES, Status } from '../model/model';
import { Problem } from '../model/problems';

/** Bumped whenever the layout below or the meaning of a summary changes: older files are ignored. */
export const SNAPSHOT_VERSION = 4;
const FORMAT = 'corpus-annotator/corpus-index';
const MENTIONS_FORMAT = 'corpus-annotator/corpus-index-mentions';

/**
 * What a sidecar looked like when its summary was made: `absent` (no sidecar: the document is not
 * annotated), or its size in bytes and modification time in ms. A summary is reused only while the
 * sidecar still has the same stamp.
 */
export type SidecarStamp = { readonly absent: true } | { readonly size: number; readonly mtime: number };

export interface SnapshotEntry {
  readonly stamp: SidecarStamp;
  readonly summary: DocumentSummary;
}

/**
 * A counts file read: its entries (summaries without mentions yet), its generation, and the
 * documents whose mentions are in the mentions file of the same generation.
 */
export type ParsedCounts = { readonly entries: Map<string, SnapshotEntry>; readonly generation: string; readonly withMentions: ReadonlySet<string> } | { readonly rejected: string };

/** A document's two lines (without newlines): its counts, and its mentions if it has any. */
export interface EntryLines {
  readonly counts: string;
  readonly mentions?: string;
}

/** The two files of one generation. */
export interface SnapshotFiles {
  readonly counts: string;
  readonly mentions: string;
}

export function sameStamp(a: SidecarStamp, b: SidecarStamp): boolean {
  if ('absent' in a || 'absent' in b) return 'absent' in a && 'absent' in b;
  return a.size === b.size && a.mtime === b.mtime;
}

/** One document's lines: cached by the caller, so a save re-serialises only what changed. */
export function serialiseEntry(key: string, entry: SnapshotEntry): EntryLines {
  const s = entry.summary;
  const stamp = 'absent' in entry.stamp ? null : [entry.stamp.size, entry.stamp.mtime];
  const doc: CompactSummary = { s: s.state, e: s.entities, g: s.suggestions, l: [...s.labels], r: s.errors };
  if (s.status !== undefined) doc.st = s.status;
  if (s.problems) doc.p = s.problems;
  if (s.annotators) doc.a = [...s.annotators];
  if (s.suggestionSources) doc.o = [...s.suggestionSources];
  if (s.mentions) doc.m = 1;
  const counts = JSON.stringify([key, stamp, doc]);
  if (!s.mentions) return { counts };
  const mentions = JSON.stringify(compactMentions(s.mentions));
  return { counts, mentions: `${JSON.stringify([key, utf8Length(mentions)])}\t${mentions}` };
}

/**
 * The two files: each a header line (format, version, generation, producer, line count), then one
 * line per document. `producer` (the extension's version) makes a snapshot written by another
 * release of the reader count as stale: a summary depends on how the reader judged the sidecar.
 * `generation` is the pair's id (the caller's file name).
 */
export function serialiseSnapshot(lines: readonly EntryLines[], producer = '', generation = ''): SnapshotFiles {
  const headers = snapshotHeaders(lines, producer, generation);
  const body = (of: (l: EntryLines) => string | undefined) => lines.map((l) => (of(l) === undefined ? '' : `${of(l) as string}\n`)).join('');
  return { counts: headers.counts + body((l) => l.counts), mentions: headers.mentions + body((l) => l.mentions) };
}

/**
 * The first line of each file (newline included): what `serialiseSnapshot` writes before the
 * documents' lines, each followed by a newline. (The extension encodes the lines a few at a time
 * and puts the bytes together: one 40 MB string to encode at once stalled its host.)
 */
export function snapshotHeaders(lines: readonly EntryLines[], producer = '', generation = ''): SnapshotFiles {
  return headersFor(lines.length, lines.filter((l) => l.mentions !== undefined).length, producer, generation);
}

/** The header lines of a pair of `documents` counts lines and `withMentions` mentions lines. */
export function headersFor(documents: number, withMentions: number, producer = '', generation = ''): SnapshotFiles {
  const header = (format: string, n: number) => `${JSON.stringify({ format, version: SNAPSHOT_VERSION, generation, producer, documents: n })}\n`;
  return { counts: header(FORMAT, documents), mentions: header(MENTIONS_FORMAT, withMentions) };
}

/** Runs steps to their end at once (a test, a small file). */
export function drain<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** The counts file (its bytes, UTF-8, or its text) at once: see `countsSteps`. */
export function parseCounts(source: string | Uint8Array, pool: StringPool, producer = ''): ParsedCounts {
  return drain(countsSteps(source, pool, producer));
}

/** Documents whose counts are parsed between two steps. */
const COUNTS_PER_STEP = 50;

/**
 * The entries of a counts file, or why it is not used (nothing of a rejected file is kept), a few
 * documents per step: the caller may yield to its event loop between steps. The summaries have no
 * mentions until `mentionsSteps` gives them theirs.
 */
export function* countsSteps(source: string | Uint8Array, pool: StringPool, producer = ''): Generator<void, ParsedCounts, void> {
  const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
  const header = headerOf(bytes, FORMAT);
  if ('rejected' in header) return header;
  if (header.producer !== producer) return { rejected: `it was written by ${String(header.producer) || 'another version'}, not ${producer || 'this version'}` };
  if (bytes[bytes.length - 1] !== NEWLINE) return { rejected: 'it does not end with a newline (truncated?)' };
  const ends: number[] = [];
  for (let at = header.end + 1; at < bytes.length; at = (ends[ends.length - 1] as number) + 1) ends.push(endOfLine(bytes, at));
  if (header.documents !== ends.length) return { rejected: `it announces ${String(header.documents)} documents but holds ${ends.length} (truncated?)` };
  const entries = new Map<string, SnapshotEntry>();
  const withMentions = new Set<string>();
  let start = header.end + 1;
  for (let i = 0; i < ends.length; i++) {
    if (i % COUNTS_PER_STEP === COUNTS_PER_STEP - 1) yield;
    const end = ends[i] as number;
    let row: unknown;
    try {
      row = JSON.parse(utf8.decode(bytes.subarray(start, end)));
    } catch {
      return { rejected: `line ${i + 2} is not JSON` };
    }
    const entry = entryOf(row, pool);
    if (typeof entry === 'string') return { rejected: `line ${i + 2}: ${entry}` };
    if (entries.has(entry[0])) return { rejected: `line ${i + 2}: a document listed twice` };
    if (entry[2]) withMentions.add(entry[0]);
    entries.set(entry[0], entry[1]);
    start = end + 1;
  }
  return { entries, generation: header.generation, withMentions };
}

/** The mentions file at once: see `mentionsSteps`. */
export function attachMentions(source: string | Uint8Array | undefined, counts: Exclude<ParsedCounts, { rejected: string }>, pool: StringPool): MentionsRead {
  return drain(mentionsSteps(source, counts, pool));
}

/**
 * What reading the mentions file found: the documents listed in the counts file as having mentions
 * whose mentions were not found whole in it (their summaries have none: read their sidecars again),
 * and, when the whole file was unusable, why (`torn`: another generation, not a mentions file...).
 */
export interface MentionsRead {
  readonly missing: string[];
  readonly torn?: string;
}

/**
 * Gives the summaries of `counts` their mentions from the mentions file of the same generation
 * (`source`; undefined: none could be read), one document per step: the caller may yield to its
 * event loop between steps (decoding a million mentions takes seconds of a busy host).
 */
export function* mentionsSteps(source: string | Uint8Array | undefined, counts: Exclude<ParsedCounts, { rejected: string }>, pool: StringPool): Generator<void, MentionsRead, void> {
  const found = new Set<string>();
  const missing = () => [...counts.withMentions].filter((k) => !found.has(k));
  if (source === undefined) return { missing: missing(), torn: 'no mentions file' };
  const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
  const header = headerOf(bytes, MENTIONS_FORMAT);
  if ('rejected' in header) return { missing: missing(), torn: header.rejected };
  if (header.generation !== counts.generation) return { missing: missing(), torn: `its generation ${header.generation} is not the counts' (${counts.generation})` };
  for (let start = header.end + 1; start < bytes.length;) {
    yield;
    const end = endOfLine(bytes, start);
    const line = bytes.subarray(start, end);
    start = end + 1;
    const tab = line.indexOf(TAB);
    if (tab < 0) continue;
    let key: unknown;
    let length: unknown;
    try {
      [key, length] = JSON.parse(utf8.decode(line.subarray(0, tab))) as unknown[];
    } catch {
      continue;
    }
    // A line cut short (a torn write) or the end of a file cut inside a line: not this length.
    if (typeof key !== 'string' || !counts.withMentions.has(key) || found.has(key) || length !== line.length - tab - 1) continue;
    const summary = counts.entries.get(key)?.summary;
    let mentions: Mentions | string = 'bad mentions';
    try {
      mentions = mentionsOf(JSON.parse(utf8.decode(line.subarray(tab + 1))), pool);
    } catch {
      // not UTF-8 or not JSON: none
    }
    if (!summary || typeof mentions === 'string' || mentions.length !== summary.entities + summary.suggestions) continue;
    summary.mentions = mentions;
    found.add(key);
  }
  return { missing: missing() };
}

interface Header {
  readonly end: number;
  readonly generation: string;
  readonly producer: unknown;
  readonly documents: number;
}

/** The first line of a file of `format`, this version, or why not. */
function headerOf(bytes: Uint8Array, format: string): Header | { rejected: string } {
  const end = endOfLine(bytes, 0);
  let header: unknown;
  try {
    header = JSON.parse(utf8.decode(bytes.subarray(0, end)));
  } catch {
    return { rejected: 'its first line is not the header' };
  }
  if (!isRecord(header) || header.format !== format) return { rejected: format === FORMAT ? 'it is not a corpus index' : 'it is not the mentions of a corpus index' };
  if (header.version !== SNAPSHOT_VERSION) return { rejected: `it is version ${String(header.version)}, this extension writes version ${SNAPSHOT_VERSION}` };
  if (typeof header.generation !== 'string') return { rejected: 'it has no generation' };
  if (!isCount(header.documents)) return { rejected: 'it has no document count' };
  return { end, generation: header.generation, producer: header.producer, documents: header.documents };
}

const NEWLINE = 0x0a;
const TAB = 0x09;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Where the line starting at `start` ends (its newline, or the end of the bytes). */
function endOfLine(bytes: Uint8Array, start: number): number {
  const at = bytes.indexOf(NEWLINE, start);
  return at < 0 ? bytes.length : at;
}

/** The UTF-8 length of a string, without encoding it (lone surrogates count as U+FFFD, 3 bytes, as TextEncoder writes them). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/**
 * Splits a snapshot against the sidecars as they are now (`current`: a stamp per document of the
 * corpus): the summaries still valid, and the documents to read again (changed, new, or unreadable
 * to stat: `undefined`). Snapshot documents absent from `current` (deleted, renamed) are dropped.
 */
export function reusable(entries: ReadonlyMap<string, SnapshotEntry>, current: ReadonlyMap<string, SidecarStamp | undefined>): { fresh: Map<string, DocumentSummary>; stale: string[] } {
  const fresh = new Map<string, DocumentSummary>();
  const stale: string[] = [];
  for (const [key, stamp] of current) {
    const entry = entries.get(key);
    if (entry && stamp && sameStamp(entry.stamp, stamp)) fresh.set(key, entry.summary);
    else stale.push(key);
  }
  return { fresh, stale };
}

// ---- the layout ------------------------------------------------------------------------------

interface CompactSummary {
  /** state */
  s: DocumentSummary['state'];
  /** status */
  st?: Status;
  /** entities, suggestions, labels, errors */
  e: number;
  g: number;
  l: Array<[string, number]>;
  r: number;
  p?: readonly Problem[];
  /** entities per annotator (`by`), suggestions per source (`src`): the dashboard's figures */
  a?: Array<[string, number]>;
  o?: Array<[string, number]>;
  /** 1: its mentions are in the mentions file */
  m?: 1;
}

/** A document's mentions: its line of the mentions file, after the [document, byte length] JSON and a tab. */
interface CompactMentions {
  /** ids */
  i: string[];
  /** distinct labels, then each mention's label as an index into them */
  lt: string[];
  l: number[];
  /** surface texts */
  t: string[];
  /** starts as the difference from the previous start (text order: small numbers), then lengths */
  s: number[];
  n: number[];
  /** indexes of suggestions */
  g: number[];
  /** [index, kb, canonical] of linked mentions (null: attribute absent) */
  k: Array<[number, string | null, string | null]>;
}

function compactMentions(m: Mentions): CompactMentions {
  const table = new Map<string, number>();
  const l: number[] = [];
  const s: number[] = [];
  const n: number[] = [];
  const g: number[] = [];
  let previous = 0;
  for (let i = 0; i < m.length; i++) {
    const label = m.labels[i] as string;
    let at = table.get(label);
    if (at === undefined) table.set(label, (at = table.size));
    l.push(at);
    const start = m.starts[i] as number;
    s.push(start - previous);
    previous = start;
    n.push((m.ends[i] as number) - start);
    if (m.suggested[i] === 1) g.push(i);
  }
  const k: CompactMentions['k'] = [];
  for (const [i, link] of m.links ?? []) k.push([i, link.kb ?? null, link.canonical ?? null]);
  return { i: Array.from({ length: m.length }, (_, at) => mentionId(m, at)), lt: [...table.keys()], l, t: [...m.texts], s, n, g, k };
}

function entryOf(row: unknown, pool: StringPool): [string, SnapshotEntry, boolean] | string {
  if (!Array.isArray(row) || row.length !== 3) return 'not a [document, stamp, summary] row';
  const [key, rawStamp, doc] = row as [unknown, unknown, unknown];
  if (typeof key !== 'string' || key === '') return 'no document name';
  let stamp: SidecarStamp;
  if (rawStamp === null) stamp = { absent: true };
  else if (Array.isArray(rawStamp) && rawStamp.length === 2 && isCount(rawStamp[0]) && typeof rawStamp[1] === 'number' && Number.isFinite(rawStamp[1])) stamp = { size: rawStamp[0], mtime: rawStamp[1] };
  else return 'a bad sidecar stamp';
  if (!isRecord(doc)) return 'no summary';
  const { s: state, st: status, e: entities, g: suggestions, l: labels, r: errors, p: problems, a, o, m } = doc;
  if (state !== 'ok' && state !== 'invalid' && state !== 'none') return 'a bad state';
  if (status !== undefined && !(STATUSES as readonly unknown[]).includes(status)) return 'a bad status';
  if (!isCount(entities) || !isCount(suggestions) || !isCount(errors)) return 'bad counts';
  if (!Array.isArray(labels) || !labels.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && isCount(p[1]))) return 'bad label counts';
  const byLabel = new Map<string, number>();
  let sum = 0;
  for (const [label, count] of labels as Array<[string, number]>) {
    byLabel.set(pool.intern(label), count);
    sum += count;
  }
  if (sum !== entities || byLabel.size !== labels.length) return 'label counts that do not add up';
  if (problems !== undefined && !(Array.isArray(problems) && problems.every(isProblem))) return 'bad problems';
  if (m !== undefined && m !== 1) return 'a bad mentions flag';
  const annotators = a === undefined ? undefined : countsOf(a, pool, entities);
  if (annotators === null) return 'bad annotator counts';
  const sources = o === undefined ? undefined : countsOf(o, pool, suggestions);
  if (sources === null) return 'bad suggestion source counts';
  const summary: DocumentSummary = {
    state, entities, suggestions, labels: byLabel, errors,
    ...(status !== undefined ? { status: status as Status } : {}),
    ...(problems !== undefined ? { problems: problems as Problem[] } : {}),
    ...(annotators ? { annotators } : {}),
    ...(sources ? { suggestionSources: sources } : {}),
  };
  return [key, { stamp, summary }, m === 1];
}

/** A [name, count] list whose counts add up to `total`, or null. */
function countsOf(raw: unknown, pool: StringPool, total: number): Map<string, number> | null {
  if (!Array.isArray(raw) || !raw.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && isCount(p[1]))) return null;
  const counts = new Map<string, number>();
  let sum = 0;
  for (const [name, count] of raw as Array<[string, number]>) {
    counts.set(pool.intern(name), count);
    sum += count;
  }
  return sum === total && counts.size === raw.length ? counts : null;
}

function mentionsOf(raw: unknown, pool: StringPool): Mentions | string {
  if (!isRecord(raw)) return 'bad mentions';
  const { i: ids, lt: table, l, t: texts, s, n, g, k } = raw;
  if (!isStrings(ids) || !isStrings(table) || !isStrings(texts) || !isCounts(l) || !Array.isArray(s) || !isCounts(n) || !isCounts(g) || !Array.isArray(k)) return 'bad mentions';
  const length = ids.length;
  if (l.length !== length || texts.length !== length || s.length !== length || n.length !== length) return 'mention columns of different lengths';
  const labels = new Array<string>(length);
  const starts = new Int32Array(length);
  const ends = new Int32Array(length);
  const suggested = new Uint8Array(length);
  let start = 0;
  for (let i = 0; i < length; i++) {
    const label = table[l[i] as number];
    if (label === undefined) return 'a mention label out of range';
    labels[i] = pool.intern(label);
    const delta = s[i];
    if (typeof delta !== 'number' || !Number.isInteger(delta)) return 'a bad mention start';
    start += delta;
    const end = start + (n[i] as number);
    if (start < 0 || end > 0x7fffffff) return 'a mention out of range';
    starts[i] = start;
    ends[i] = end;
    texts[i] = pool.intern(texts[i] as string);
  }
  for (const at of g) {
    if (at >= length) return 'a suggestion index out of range';
    suggested[at] = 1;
  }
  let links: Map<number, MentionLink> | undefined;
  for (const link of k) {
    if (!Array.isArray(link) || link.length !== 3 || !isCount(link[0]) || link[0] >= length) return 'a bad link';
    const [at, kb, canonical] = link as [number, unknown, unknown];
    if ((kb !== null && typeof kb !== 'string') || (canonical !== null && typeof canonical !== 'string')) return 'a bad link';
    (links ??= new Map()).set(at, { ...(kb !== null ? { kb: pool.intern(kb) } : {}), ...(canonical !== null ? { canonical: pool.intern(canonical) } : {}) });
  }
  return { length, ...idColumns(ids), labels, texts, starts, ends, suggested, links };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= 0;
}

function isCounts(v: unknown): v is number[] {
  return Array.isArray(v) && v.every(isCount);
}

function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

function isProblem(v: unknown): v is Problem {
  return isRecord(v) && (v.severity === 'error' || v.severity === 'warning') && typeof v.code === 'string' && typeof v.message === 'string' && isCount(v.line) && isCount(v.column);
}
