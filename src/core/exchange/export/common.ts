// What every export shares: the document given to an exporter, the entity filters, and the
// report of what a format could not hold (nothing is ever dropped silently).
import { Article } from '../../model/article';
import { compareEntities, Entity, Sidecar, Status } from '../../model/model';
import type { HfLabelNames } from './hf';
import type { SpacyDocPart } from './spacy';

export const EXPORT_FORMATS = ['jsonl', 'conll', 'brat', 'doccano', 'labelstudio', 'spacy', 'hf'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(s: unknown): s is ExportFormat {
  return typeof s === 'string' && (EXPORT_FORMATS as readonly string[]).includes(s);
}

export const TAG_SCHEMES = ['iob2', 'bilou'] as const;
export type TagScheme = (typeof TAG_SCHEMES)[number];

/** One annotated article, read and validated by the caller (the CLI or the extension). */
export interface ExportDocument {
  /** The article's file name (what `meta.document` says). */
  name: string;
  /** The article's path relative to what is exported, `/`-separated (brat mirrors it); the name when alone. */
  relPath: string;
  article: Article;
  sidecar: Sidecar;
}

export type ConllColumns = 2 | 4;
/** Where CoNLL carries the document's name: in the -DOCSTART- token, a `# document:` line, or nowhere. */
export const DOC_NAMES = ['docstart', 'comment', 'none'] as const;
export type DocNames = (typeof DOC_NAMES)[number];

export interface ExportOptions {
  /** JSONL: add `tokens` and the spans' `token_start`/`token_end`. */
  tokens?: boolean;
  /** CoNLL: IOB2 (default) or BILOU. */
  scheme?: TagScheme;
  /** CoNLL: `token TAG` (2, default) or CoNLL-2003's `token POS chunk TAG` (4). */
  columns?: ConllColumns;
  /** hf: the tag names, shared by all documents of an export. */
  hfNames?: HfLabelNames;
  /** CoNLL: where the document's name goes (default: in the -DOCSTART- token). */
  docNames?: DocNames;
}

/**
 * What one document became. `text` is the document's part of the output: lines ending in a
 * newline (JSONL, doccano, CoNLL), one task's JSON without separator (Label Studio, the caller
 * writes the array around it), or the `.txt` file (brat, with its `.ann` in `ann`).
 */
export interface DocumentOutput {
  text: string;
  ann?: string;
  /** spaCy: the document's part of the DocBin (`text` is empty). */
  spacy?: SpacyDocPart;
  /** Entities written (whole, with their label). */
  exported: number;
  /** Suggestions (`suggested: true`) left out by the filter: not annotations until accepted. */
  suggestions?: number;
  /** Suggestions written as predictions (Label Studio's pre-annotations), not as annotations. */
  predicted?: number;
  issues: ExportIssue[];
}

export type IssueCode =
  | 'overlap'        // CoNLL: nested in or overlapping a longer entity, dropped
  | 'token-boundary' // CoNLL, JSONL --tokens: a boundary inside a token (or on a space)
  | 'note'           // CoNLL, doccano, Label Studio: the entity's note is not written
  | 'attrs'          // CoNLL, doccano, Label Studio (brat: values with spaces): attributes not written
  | 'line-break'     // brat: a line break in a note became a space
  | 'label'          // brat: a label with a space (entity types cannot have one), dropped
  | 'overlapping';   // doccano: written, but its import drops it unless the project allows overlapping spans

/** Something of one entity the format could not hold. */
export interface ExportIssue {
  /** The document's relPath. */
  document: string;
  entityId: string;
  label: string;
  text: string;
  code: IssueCode;
  /** Whether the entity itself is missing from the output (not just a detail of it). */
  dropped: boolean;
  message: string;
}

export function issue(doc: ExportDocument, e: Entity, code: IssueCode, dropped: boolean, message: string): ExportIssue {
  return { document: doc.relPath, entityId: e.id, label: e.label, text: e.text, code, dropped, message };
}

/** Which documents and entities to export. Empty or absent sets mean "all". */
export interface ExportFilter {
  statuses?: ReadonlySet<Status>;
  labels?: ReadonlySet<string>;
  /** `src` values to leave out; `*` matches any run of characters (`pattern:*`). */
  excludeSrc?: readonly string[];
  /** Export suggestions (`suggested: true`) too; by default they are left out, as not yet annotations. */
  includeSuggestions?: boolean;
}

export function includesDocument(sidecar: Sidecar, filter: ExportFilter): boolean {
  return !filter.statuses?.size || filter.statuses.has(sidecar.status);
}

/**
 * The entities the filter keeps, in canonical order. An entity without `src` matches only `*`.
 * Suggestions are left out unless `includeSuggestions`; `suggestionsOnly`: only the suggestions
 * the other criteria keep (what Label Studio gets as predictions).
 */
export function selectEntities(entities: readonly Entity[], filter: ExportFilter, suggestionsOnly = false): Entity[] {
  const excluded = (filter.excludeSrc ?? []).map(srcPatternToRegExp);
  return entities.filter((e) =>
    (suggestionsOnly ? e.suggested === true : filter.includeSuggestions === true || e.suggested !== true) &&
    (!filter.labels?.size || filter.labels.has(e.label)) && !excluded.some((re) => re.test(e.src ?? '')),
  ).sort(compareEntities);
}

/** The suggestions `selectEntities` leaves out of a document (0 with `includeSuggestions`). */
export function countLeftOutSuggestions(entities: readonly Entity[], filter: ExportFilter): number {
  return filter.includeSuggestions === true ? 0 : entities.filter((e) => e.suggested === true).length;
}

/** A `src` pattern: only `*`, which also crosses `/` (not a path glob: see glob.ts for those). */
function srcPatternToRegExp(pattern: string): RegExp {
  return new RegExp('^' + pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*') + '$', 's');
}

/** One report line: `doc: id LABEL "text": message`. */
export function formatIssue(i: ExportIssue): string {
  return `${i.document}: ${i.entityId} ${i.label} "${clip(i.text)}": ${i.message}`;
}

const ISSUE_SUMMARY: Record<IssueCode, string> = {
  overlap: 'nested or overlapping entities dropped (CoNLL keeps the longest)',
  'token-boundary': 'entities not aligned to tokens',
  note: 'notes not written',
  attrs: 'entities whose attributes were not written',
  'line-break': 'notes whose line breaks became spaces',
  label: 'entities dropped for a label with a space',
  overlapping: 'overlapping entities that doccano imports only into a project with "Allow overlapping spans" on',
};

/** Counts over a whole export, for the summary line. */
export class ExportTally {
  documents = 0;
  entities = 0;
  skippedByStatus = 0;
  /** Suggestions left out (not accepted yet). */
  suggestions = 0;
  /** Suggestions written as predictions. */
  predicted = 0;
  readonly issues = new Map<IssueCode, { count: number; dropped: number }>();

  add(out: DocumentOutput): void {
    this.documents++;
    this.entities += out.exported;
    this.suggestions += out.suggestions ?? 0;
    this.predicted += out.predicted ?? 0;
    for (const i of out.issues) {
      const t = this.issues.get(i.code) ?? { count: 0, dropped: 0 };
      t.count++;
      if (i.dropped) t.dropped++;
      this.issues.set(i.code, t);
    }
  }

  get issueCount(): number {
    let n = 0;
    for (const t of this.issues.values()) n += t.count;
    return n;
  }

  /** E.g. `5 documents, 241 entities exported; not held by the format: 23 nested or … (23 dropped)`. */
  summary(): string {
    let s = `${this.documents} document${this.documents === 1 ? '' : 's'}, ${this.entities} entit${this.entities === 1 ? 'y' : 'ies'} exported`;
    if (this.skippedByStatus) s += ` (${this.skippedByStatus} document${this.skippedByStatus === 1 ? '' : 's'} left out by status)`;
    if (this.suggestions) s += ` (${this.suggestions} suggestion${this.suggestions === 1 ? '' : 's'} not accepted yet left out)`;
    if (this.predicted) s += ` (${this.predicted} suggestion${this.predicted === 1 ? '' : 's'} written as predictions)`;
    if (this.issues.size === 0) return s + '; nothing lost';
    const parts = [...this.issues].map(([code, t]) => {
      let p = `${t.count} ${ISSUE_SUMMARY[code]}`;
      if (t.dropped && code === 'token-boundary') p += ` (${t.dropped} dropped)`;
      return p;
    });
    return `${s}; not held by the format: ${parts.join(', ')}`;
  }
}

export function clip(s: string, max = 60): string {
  const flat = s.replace(/\r?\n|\r/g, '⏎');
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}

/** A JSON value on one line, with U+2028/U+2029 escaped too (some line readers split on them). */
export function jsonLine(value: unknown): string {
  return JSON.stringify(value).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}

/** Notes and attributes the format cannot hold (it holds neither), reported for each kept entity. */
export function lostDetails(doc: ExportDocument, entities: readonly Entity[], format: string): ExportIssue[] {
  const out: ExportIssue[] = [];
  for (const e of entities) {
    if (e.note !== undefined) out.push(issue(doc, e, 'note', false, `its note is not written (${format} has no place for notes): "${clip(e.note)}"`));
    if (e.attrs && Object.keys(e.attrs).length) {
      out.push(issue(doc, e, 'attrs', false, `its attributes are not written (${format} has no place for them): ${Object.entries(e.attrs).map(([k, v]) => `${k}=${v}`).join(', ')}`));
    }
  }
  return out;
}

/** Issues in the document's entity order, so a report reads top to bottom. */
export function sortIssues<T extends { entityId: string }>(issues: T[], entities: readonly Entity[]): T[] {
  const rank = new Map(entities.map((e, i) => [e.id, i]));
  return issues.map((x, i) => ({ x, i })).sort((a, b) => (rank.get(a.x.entityId) ?? 0) - (rank.get(b.x.entityId) ?? 0) || a.i - b.i).map(({ x }) => x);
}
