// The corpus at a glance, for the sidebar and `stats`: per document, its status and how many
// entities of each label it has, and the totals over the corpus, kept up to date one sidecar at a
// time (a file changed on disk costs one read of that sidecar, not a rescan). Pure: the caller
// reads the files; this module only reads their text (canonical sidecars: fastScanSidecar, no entity
// objects; others: readSidecar) and keeps the counts.
import { Entity, Status } from '../model/model';
import { Problem } from '../model/problems';
import { EntityFields, fastScanSidecar } from '../sidecar/sidecar-fast-read';
import { mayReadFast, readSidecar } from '../sidecar/sidecar-read';

export type DocumentState =
  /** A sound sidecar: its status and counts are known. */
  | 'ok'
  /** The sidecar has errors: nothing of it is counted. */
  | 'invalid'
  /** No sidecar (not annotated yet). */
  | 'none';

export interface DocumentSummary {
  state: DocumentState;
  /** The sidecar's status; `todo` for a document without a sidecar; undefined when invalid. */
  status?: Status;
  /** Entities, suggestions (`suggested: true`, not accepted yet) not included, as in `stats`. */
  entities: number;
  /** Suggestions awaiting a decision. */
  suggestions: number;
  /** Entities (not suggestions) per label, labels in first-seen order. */
  labels: ReadonlyMap<string, number>;
  /** Entities (not suggestions) per annotator (`by`; '' for none), only when some (the dashboard). */
  annotators?: ReadonlyMap<string, number>;
  /** Suggestions per source (`src`; '' for none), only when some (the dashboard). */
  suggestionSources?: ReadonlyMap<string, number>;
  /** How many errors the reader found (0 unless `invalid`). */
  errors: number;
  /**
   * What the reader found wrong (structure only: the article is not read), at most
   * MAX_SUMMARY_PROBLEMS; only when asked for (`withMentions`) and there are any.
   */
  problems?: readonly Problem[];
  /** Every entity of the sidecar, suggestions included, compactly; only when asked for (`withMentions`). */
  mentions?: Mentions;
}

/**
 * A document's entities as the whole-corpus views need them (label, surface text, span, id, linked
 * entity), in columns, in text order (start, end): about 40 bytes an entity instead of an object
 * per entity and its fields, so a million of them fit in the extension host.
 */
export interface Mentions {
  readonly length: number;
  /**
   * The ids, one after the other (see mentionId): a million id strings were nine in ten of the
   * objects the garbage collector walked in the index; one string per document is not.
   */
  readonly idText: string;
  /** Where each mention's id ends in idText (and the next one starts). */
  readonly idEnds: Int32Array;
  readonly labels: readonly string[];
  readonly texts: readonly string[];
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** 1 for a suggestion awaiting a decision. */
  readonly suggested: Uint8Array;
  /** By mention index: the `kb` and `canonical` attributes of linked mentions (few). */
  readonly links: ReadonlyMap<number, MentionLink> | undefined;
}

export interface MentionLink {
  readonly kb?: string;
  readonly canonical?: string;
}

/** Problems kept in a summary: the Problems panel shows these before the document is opened. */
export const MAX_SUMMARY_PROBLEMS = 100;

/**
 * One copy of each repeated string (labels, surface forms, kb ids) across the corpus, and a copy
 * that does not keep the sidecar text it was cut from alive (V8 keeps the parent of a slice).
 */
export class StringPool {
  private readonly pool = new Map<string, string>();
  intern(s: string): string {
    return this.pool.get(s) ?? this.add(detach(s));
  }
  /** intern() for a string that is a whole string of its own (not a slice: one received from a worker thread). */
  adopt(s: string): string {
    return this.pool.get(s) ?? this.add(s);
  }
  private add(own: string): string {
    this.pool.set(own, own);
    return own;
  }
  get size(): number {
    return this.pool.size;
  }
}

/** The id of mention `i`. */
export function mentionId(m: Mentions, i: number): string {
  return m.idText.slice(i === 0 ? 0 : (m.idEnds[i - 1] as number), m.idEnds[i] as number);
}

/** Mentions' idText and idEnds for these ids (a new string: it keeps no sidecar text alive). */
export function idColumns(ids: readonly string[]): { idText: string; idEnds: Int32Array } {
  const idEnds = new Int32Array(ids.length);
  let at = 0;
  for (let k = 0; k < ids.length; k++) idEnds[k] = at += (ids[k] as string).length;
  // (join() hands back a lone element as it is: a slice of a sidecar's text would keep all of it.)
  return { idText: ids.length === 1 ? detach(ids[0] as string) : ids.join(''), idEnds };
}

/** A string that shares no memory with the text it was sliced from. */
function detach(s: string): string {
  // Short strings are copied by V8 anyway; a longer one goes through a fresh buffer.
  return s.length < 13 ? s : (JSON.parse(JSON.stringify(s)) as string);
}

/** The mentions of a document's entities (any order in, text order out). */
export function mentionsOf(entities: readonly Entity[], pool: StringPool): Mentions {
  const order = entities.map((_, i) => i);
  const sorted = entities.every((e, i) => i === 0 || (entities[i - 1] as Entity).start < e.start || ((entities[i - 1] as Entity).start === e.start && (entities[i - 1] as Entity).end <= e.end));
  if (!sorted) order.sort((a, b) => (entities[a] as Entity).start - (entities[b] as Entity).start || (entities[a] as Entity).end - (entities[b] as Entity).end);
  const n = entities.length;
  const ids = new Array<string>(n);
  const labels = new Array<string>(n);
  const texts = new Array<string>(n);
  const starts = new Int32Array(n);
  const ends = new Int32Array(n);
  const suggested = new Uint8Array(n);
  let links: Map<number, MentionLink> | undefined;
  for (let k = 0; k < n; k++) {
    const e = entities[order[k] as number] as Entity;
    ids[k] = e.id;
    labels[k] = pool.intern(e.label);
    texts[k] = pool.intern(e.text);
    starts[k] = e.start;
    ends[k] = e.end;
    if (e.suggested === true) suggested[k] = 1;
    const kb = e.attrs?.kb;
    const canonical = e.attrs?.canonical;
    if (kb !== undefined || canonical !== undefined) (links ??= new Map()).set(k, linkOf(kb, canonical, pool));
  }
  return { length: n, ...idColumns(ids), labels, texts, starts, ends, suggested, links };
}

function linkOf(kb: string | undefined, canonical: string | undefined, pool: StringPool): MentionLink {
  return { ...(kb !== undefined ? { kb: pool.intern(kb) } : {}), ...(canonical !== undefined ? { canonical: pool.intern(canonical) } : {}) };
}

/** A mention as an entity (the fields the whole-corpus views know: no note, by or src). */
export function mentionEntity(m: Mentions, i: number): Entity {
  const link = m.links?.get(i);
  const attrs = link && { ...(link.kb !== undefined ? { kb: link.kb } : {}), ...(link.canonical !== undefined ? { canonical: link.canonical } : {}) };
  return {
    id: mentionId(m, i),
    label: m.labels[i] as string,
    start: m.starts[i] as number,
    end: m.ends[i] as number,
    text: m.texts[i] as string,
    ...(attrs ? { attrs } : {}),
    ...(m.suggested[i] === 1 ? { suggested: true as const } : {}),
  };
}

export interface SummaryOptions {
  /** Keep the mentions and the reader's problems (the extension's views); counts only without. */
  withMentions?: StringPool;
  /** Keep the reader's problems without the mentions (a worker's counts, so that warnings do not blink). */
  withProblems?: boolean;
}

export interface CorpusTotals {
  documents: number;
  entities: number;
  suggestions: number;
  byLabel: ReadonlyMap<string, number>;
  byStatus: ReadonlyMap<Status, number>;
  /** Documents whose sidecar has errors. */
  invalid: number;
  /** Documents without a sidecar (counted as `todo` in byStatus too). */
  unannotated: number;
}

const NO_LABELS: ReadonlyMap<string, number> = new Map();

/** The summary of one document from its sidecar's text (undefined: it has none). */
export function summariseSidecar(text: string | undefined, options: SummaryOptions = {}): DocumentSummary {
  if (text === undefined) return noSidecar();
  return (mayReadFast(text) ? summariseCanonical(text, options.withMentions) : undefined) ?? summariseSidecarRead(text, options);
}

function noSidecar(): DocumentSummary {
  return { state: 'none', status: 'todo', entities: 0, suggestions: 0, labels: NO_LABELS, errors: 0 };
}

/**
 * summariseSidecar() through readSidecar()'s model of the sidecar: its path for a text not in
 * canonical form (any spelling, problems included). Exported alone for the differential test
 * and the benchmark: on canonical text both paths give deep-equal summaries.
 */
export function summariseSidecarRead(text: string | undefined, options: SummaryOptions = {}): DocumentSummary {
  if (text === undefined) return noSidecar();
  const parsed = readSidecar(text);
  const pool = options.withMentions;
  const problems = (pool || options.withProblems) && parsed.problems.length ? { problems: parsed.problems.slice(0, MAX_SUMMARY_PROBLEMS) } : {};
  if (!parsed.sidecar) {
    return { state: 'invalid', entities: 0, suggestions: 0, labels: NO_LABELS, errors: parsed.problems.filter((p) => p.severity === 'error').length, ...problems };
  }
  return summariseEntities(parsed.sidecar.status, parsed.sidecar.entities, options, problems);
}

/** The summary of a sound sidecar's model (a loaded document's, or one just read). */
export function summariseEntities(status: Status, entities: readonly Entity[], options: SummaryOptions = {}, extra: Partial<DocumentSummary> = {}): DocumentSummary {
  const tally = new Tally();
  for (const e of entities) tally.add(e.label, e.suggested === true, e.by, e.src);
  const mentions = options.withMentions ? { mentions: mentionsOf(entities, options.withMentions) } : {};
  return tally.summary(status, extra, mentions);
}

/** A sound sidecar's counts, one entity at a time (both summary paths count through this). */
class Tally {
  private readonly labels = new Map<string, number>();
  private entities = 0;
  private suggestions = 0;
  private annotators: Map<string, number> | undefined;
  private sources: Map<string, number> | undefined;

  add(label: string, suggested: boolean, by: string | undefined, src: string | undefined): void {
    if (suggested) {
      this.suggestions++;
      bump((this.sources ??= new Map()), src ?? '', 1);
    } else {
      this.entities++;
      this.labels.set(label, (this.labels.get(label) ?? 0) + 1);
      bump((this.annotators ??= new Map()), by ?? '', 1);
    }
  }

  summary(status: Status, extra: Partial<DocumentSummary>, mentions: { mentions?: Mentions }): DocumentSummary {
    const who = this.annotators ? { annotators: this.annotators } : {};
    const from = this.sources ? { suggestionSources: this.sources } : {};
    return { state: 'ok', status, entities: this.entities, suggestions: this.suggestions, labels: this.labels, errors: 0, ...who, ...from, ...extra, ...mentions };
  }
}

// summariseCanonical()'s numeric columns, reused from one sidecar to the next (grown when a
// sidecar has more entities) and copied out at their length: no growing array per sidecar.
let scratchStarts = new Int32Array(256);
let scratchEnds = new Int32Array(256);
let scratchSuggested = new Uint8Array(256);

/**
 * summariseSidecar()'s path for a sidecar in canonical form (what the extension and `fmt` write):
 * the same summary as summariseSidecarRead() gives, from fastScanSidecar's fields, with no entity
 * objects, attrs objects or line maps (on a 10k-sidecar first opening those were most of the time
 * and a fifth of it in GC). Undefined when the text is not canonical or has a problem.
 */
function summariseCanonical(text: string, pool: StringPool | undefined): DocumentSummary | undefined {
  const tally = new Tally();
  // The strings are kept as read (slices of `text`) and only interned once the whole text has
  // been accepted: a text refused halfway leaves nothing in the pool.
  const ids: string[] = [];
  const labels: string[] = [];
  const texts: string[] = [];
  let rawLinks: Map<number, [string | undefined, string | undefined]> | undefined;
  let n = 0;
  const status = fastScanSidecar(text, (f: Readonly<EntityFields>) => {
    tally.add(f.label, f.suggested, f.by, f.src);
    if (pool === undefined) return;
    if (n === scratchStarts.length) growScratch();
    ids.push(f.id);
    labels.push(f.label);
    texts.push(f.text);
    scratchStarts[n] = f.start;
    scratchEnds[n] = f.end;
    scratchSuggested[n] = f.suggested ? 1 : 0;
    if (f.kb !== undefined || f.canonical !== undefined) (rawLinks ??= new Map()).set(n, [f.kb, f.canonical]);
    n++;
  });
  if (status === undefined) return undefined;
  if (pool === undefined) return tally.summary(status, {}, {});
  // Canonical order is by (start, end, label, id): already the mentions' text order.
  // A sidecar's labels are a few strings, read as the same string objects (the scanner shares
  // them): the pool is only asked when the label changes from one mention to the next.
  let rawLabel = '';
  let label = '';
  for (let k = 0; k < n; k++) {
    const l = labels[k] as string;
    if (l !== rawLabel || k === 0) label = pool.intern((rawLabel = l));
    labels[k] = label;
    texts[k] = pool.intern(texts[k] as string);
  }
  let links: Map<number, MentionLink> | undefined;
  if (rawLinks) {
    links = new Map();
    for (const [k, [kb, canonical]] of rawLinks) links.set(k, linkOf(kb, canonical, pool));
  }
  const mentions: Mentions = { length: n, ...idColumns(ids), labels, texts, starts: scratchStarts.slice(0, n), ends: scratchEnds.slice(0, n), suggested: scratchSuggested.slice(0, n), links };
  return tally.summary(status, {}, { mentions });
}

function growScratch(): void {
  const size = scratchStarts.length * 2;
  const starts = new Int32Array(size);
  const ends = new Int32Array(size);
  const suggested = new Uint8Array(size);
  starts.set(scratchStarts);
  ends.set(scratchEnds);
  suggested.set(scratchSuggested);
  scratchStarts = starts;
  scratchEnds = ends;
  scratchSuggested = suggested;
}

/** Per-document summaries by key (the article's path, a URI…) and running totals over them. */
export class CorpusIndex {
  private readonly docs = new Map<string, DocumentSummary>();
  private readonly byLabel = new Map<string, number>();
  private readonly byStatus = new Map<Status, number>();
  private entities = 0;
  private suggestions = 0;
  private invalid = 0;
  private unannotated = 0;

  /** Re-reads one document's sidecar text (undefined: it has none) and updates the totals. */
  update(key: string, sidecarText: string | undefined, options: SummaryOptions = {}): DocumentSummary {
    const summary = summariseSidecar(sidecarText, options);
    this.set(key, summary);
    return summary;
  }

  /** Puts a summary made elsewhere (e.g. from a sidecar already parsed) in place of the document's. */
  set(key: string, summary: DocumentSummary): void {
    this.delete(key);
    this.docs.set(key, summary);
    this.count(summary, 1);
  }

  /** Forgets a document (its article was deleted or excluded). */
  delete(key: string): boolean {
    const old = this.docs.get(key);
    if (old === undefined) return false;
    this.docs.delete(key);
    this.count(old, -1);
    return true;
  }

  get(key: string): DocumentSummary | undefined {
    return this.docs.get(key);
  }

  get size(): number {
    return this.docs.size;
  }

  /** The documents and their summaries, in the order they were first added. */
  documents(): IterableIterator<[string, DocumentSummary]> {
    return this.docs.entries();
  }

  totals(): CorpusTotals {
    return {
      documents: this.docs.size,
      entities: this.entities,
      suggestions: this.suggestions,
      byLabel: new Map(this.byLabel),
      byStatus: new Map(this.byStatus),
      invalid: this.invalid,
      unannotated: this.unannotated,
    };
  }

  private count(s: DocumentSummary, sign: 1 | -1): void {
    this.entities += sign * s.entities;
    this.suggestions += sign * s.suggestions;
    if (s.state === 'invalid') this.invalid += sign;
    if (s.state === 'none') this.unannotated += sign;
    if (s.status !== undefined) bump(this.byStatus, s.status, sign);
    for (const [label, n] of s.labels) bump(this.byLabel, label, sign * n);
  }
}

function bump<K>(m: Map<K, number>, k: K, by: number): void {
  const n = (m.get(k) ?? 0) + by;
  if (n === 0) m.delete(k);
  else m.set(k, n);
}
