// The corpus index written to disk between sessions (issue 14: a second opening of the same
// workspace shows its totals without reading every sidecar again). Pure: the caller reads and
// writes the bytes and stats the sidecars; this module only turns per-document summaries, each
// stamped with its sidecar's size and mtime when it was read, into text and back.
//
// The file is derived data: anything unexpected in it (another version, a truncated or corrupt
// file, a field of the wrong type) makes `parseSnapshot` reject the whole file — never throw — and
// the caller then reads the sidecars as if there were no snapshot. A half-trusted snapshot would
// show wrong totals; a rejected one only costs one cold pass.
//
// Each line is the document's counts (JSON), then a tab and its mentions (JSON) if it has any: the
// counts are all the totals need, and parsing a million mentions (most of a 10k corpus's 40 MB)
// took seconds of a busy host before the sidebar could show anything. The mentions are decoded
// when first asked for (`decodeMentions`, or reading `summary.mentions`); a line whose mentions
// turn out bad then has none, and `decodeMentions` says so, so the caller reads that sidecar
// again instead of trusting its summary. (Neither a tab nor a newline byte appears in
// JSON.stringify's output, UTF-8 encoded.)
import { DocumentSummary, MentionLink, Mentions, StringPool } from './corpus-index';
import { STATUSES, Status } from '../model/model';
import { Problem } from '../model/problems';

/** Bumped whenever the layout below or the meaning of a summary changes: older files are ignored. */
export const SNAPSHOT_VERSION = 3;
const FORMAT = 'corpus-annotator/corpus-index';

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

export type ParsedSnapshot = { readonly entries: Map<string, SnapshotEntry> } | { readonly rejected: string };

export function sameStamp(a: SidecarStamp, b: SidecarStamp): boolean {
  if ('absent' in a || 'absent' in b) return 'absent' in a && 'absent' in b;
  return a.size === b.size && a.mtime === b.mtime;
}

/** One document's line (without its newline): cached by the caller, so a save re-serialises only what changed. */
export function serialiseEntry(key: string, entry: SnapshotEntry): string {
  const s = entry.summary;
  const stamp = 'absent' in entry.stamp ? null : [entry.stamp.size, entry.stamp.mtime];
  const doc: CompactSummary = { s: s.state, e: s.entities, g: s.suggestions, l: [...s.labels], r: s.errors };
  if (s.status !== undefined) doc.st = s.status;
  if (s.problems) doc.p = s.problems;
  if (s.annotators) doc.a = [...s.annotators];
  if (s.suggestionSources) doc.o = [...s.suggestionSources];
  const head = JSON.stringify([key, stamp, doc]);
  return s.mentions ? `${head}\t${JSON.stringify(compactMentions(s.mentions))}` : head;
}

/** Summaries read from a snapshot whose mentions have not been decoded yet, and what decodes them. */
const undecoded = new WeakMap<DocumentSummary, () => Mentions | undefined>();

/**
 * Decodes a summary's mentions now, if they came from a snapshot and were not decoded yet. False
 * when they are bad (the summary then has none: read its sidecar again); true otherwise.
 */
export function decodeMentions(summary: DocumentSummary): boolean {
  const decode = undecoded.get(summary);
  return decode ? decode() !== undefined : true;
}

/** Defines `summary.mentions` as decoded from `raw` (UTF-8 JSON) on first use (then a plain property). */
function lazyMentions(summary: DocumentSummary, raw: Uint8Array, pool: StringPool): void {
  const decode = (): Mentions | undefined => {
    let mentions: Mentions | undefined;
    try {
      const parsed = mentionsOf(JSON.parse(utf8.decode(raw)), pool);
      if (typeof parsed !== 'string' && parsed.length === summary.entities + summary.suggestions) mentions = parsed;
    } catch {
      // not UTF-8 or not JSON: no mentions
    }
    Object.defineProperty(summary, 'mentions', { value: mentions, enumerable: true, configurable: true, writable: true });
    undecoded.delete(summary);
    return mentions;
  };
  undecoded.set(summary, decode);
  Object.defineProperty(summary, 'mentions', { get: decode, enumerable: true, configurable: true });
}

/**
 * The whole file: a header line naming the format, version, producer and count, then one line per
 * document. `producer` (the extension's version) makes a snapshot written by another release of the
 * reader count as stale: a summary depends on how the reader judged the sidecar.
 */
export function serialiseSnapshot(lines: readonly string[], producer = ''): string {
  return `${JSON.stringify({ format: FORMAT, version: SNAPSHOT_VERSION, producer, documents: lines.length })}\n${lines.join('\n')}${lines.length ? '\n' : ''}`;
}

/**
 * The entries of a snapshot (its bytes, UTF-8, or its text), or why it is not used (nothing of a
 * rejected file is kept). From bytes, only each line's counts are decoded now: the mentions stay
 * bytes (a view of `bytes`, which they keep alive until decoded) instead of becoming a string twice
 * their size (tens of MB for 1M mentions) before anything can be counted.
 */
export function parseSnapshot(source: string | Uint8Array, pool: StringPool, producer = ''): ParsedSnapshot {
  const bytes = typeof source === 'string' ? new TextEncoder().encode(source) : source;
  const headerEnd = endOfLine(bytes, 0);
  let header: unknown;
  try {
    header = JSON.parse(utf8.decode(bytes.subarray(0, headerEnd)));
  } catch {
    return { rejected: 'its first line is not the header' };
  }
  if (!isRecord(header) || header.format !== FORMAT) return { rejected: 'it is not a corpus index' };
  if (header.version !== SNAPSHOT_VERSION) return { rejected: `it is version ${String(header.version)}, this extension writes version ${SNAPSHOT_VERSION}` };
  if (header.producer !== producer) return { rejected: `it was written by ${String(header.producer) || 'another version'}, not ${producer || 'this version'}` };
  // (A cut inside the last line's mentions would leave its counts whole: the final newline says the write ended.)
  if (bytes[bytes.length - 1] !== NEWLINE) return { rejected: 'it does not end with a newline (truncated?)' };
  const ends: number[] = [];
  for (let at = headerEnd + 1; at < bytes.length; at = (ends[ends.length - 1] as number) + 1) ends.push(endOfLine(bytes, at));
  if (!isCount(header.documents) || header.documents !== ends.length) return { rejected: `it announces ${String(header.documents)} documents but holds ${ends.length} (truncated?)` };
  const entries = new Map<string, SnapshotEntry>();
  let start = headerEnd + 1;
  for (let i = 0; i < ends.length; i++) {
    const end = ends[i] as number;
    const found = bytes.indexOf(TAB, start);
    const tab = found >= 0 && found < end ? found : -1;
    let row: unknown;
    try {
      row = JSON.parse(utf8.decode(bytes.subarray(start, tab < 0 ? end : tab)));
    } catch {
      return { rejected: `line ${i + 2} is not JSON` };
    }
    const entry = entryOf(row, pool);
    if (typeof entry === 'string') return { rejected: `line ${i + 2}: ${entry}` };
    if (entries.has(entry[0])) return { rejected: `line ${i + 2}: a document listed twice` };
    if (tab >= 0) lazyMentions(entry[1].summary, bytes.subarray(tab + 1, end), pool);
    entries.set(entry[0], entry[1]);
    start = end + 1;
  }
  return { entries };
}

const NEWLINE = 0x0a;
const TAB = 0x09;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Where the line starting at `start` ends (its newline, or the end of the bytes). */
function endOfLine(bytes: Uint8Array, start: number): number {
  const at = bytes.indexOf(NEWLINE, start);
  return at < 0 ? bytes.length : at;
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
}

/** A document's mentions, after its counts' JSON and a tab on the same line. */
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
  return { i: [...m.ids], lt: [...table.keys()], l, t: [...m.texts], s, n, g, k };
}

function entryOf(row: unknown, pool: StringPool): [string, SnapshotEntry] | string {
  if (!Array.isArray(row) || row.length !== 3) return 'not a [document, stamp, summary] row';
  const [key, rawStamp, doc] = row as [unknown, unknown, unknown];
  if (typeof key !== 'string' || key === '') return 'no document name';
  let stamp: SidecarStamp;
  if (rawStamp === null) stamp = { absent: true };
  else if (Array.isArray(rawStamp) && rawStamp.length === 2 && isCount(rawStamp[0]) && typeof rawStamp[1] === 'number' && Number.isFinite(rawStamp[1])) stamp = { size: rawStamp[0], mtime: rawStamp[1] };
  else return 'a bad sidecar stamp';
  if (!isRecord(doc)) return 'no summary';
  const { s: state, st: status, e: entities, g: suggestions, l: labels, r: errors, p: problems, a, o } = doc;
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
  return [key, { stamp, summary }];
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
  return { length, ids, labels, texts, starts, ends, suggested, links };
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
