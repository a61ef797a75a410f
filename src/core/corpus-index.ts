// The corpus at a glance, for the sidebar and `stats`: per document, its status and how many
// entities of each label it has, and the totals over the corpus, kept up to date one sidecar at a
// time (a file changed on disk costs one read of that sidecar, not a rescan). Pure: the caller
// reads the files; this module only reads their text (readSidecar: the fast path for canonical
// sidecars) and keeps the counts.
import { Status } from './model';
import { readSidecar } from './sidecar-read';

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
  /** How many errors the reader found (0 unless `invalid`). */
  errors: number;
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
export function summariseSidecar(text: string | undefined): DocumentSummary {
  if (text === undefined) return { state: 'none', status: 'todo', entities: 0, suggestions: 0, labels: NO_LABELS, errors: 0 };
  const parsed = readSidecar(text);
  if (!parsed.sidecar) {
    return { state: 'invalid', entities: 0, suggestions: 0, labels: NO_LABELS, errors: parsed.problems.filter((p) => p.severity === 'error').length };
  }
  const labels = new Map<string, number>();
  let suggestions = 0;
  for (const e of parsed.sidecar.entities) {
    if (e.suggested === true) suggestions++;
    else labels.set(e.label, (labels.get(e.label) ?? 0) + 1);
  }
  return { state: 'ok', status: parsed.sidecar.status, entities: parsed.sidecar.entities.length - suggestions, suggestions, labels, errors: 0 };
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
  update(key: string, sidecarText: string | undefined): DocumentSummary {
    const summary = summariseSidecar(sidecarText);
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
