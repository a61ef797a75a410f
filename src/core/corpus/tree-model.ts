// The "Annotations" sidebar's view model: what its rows are and what they say, as plain functions
// of the model (no `vscode` here; src/extension/tree.ts adapts it to a TreeDataProvider). A loaded
// document's rows (its labels, its suggestions, its entities in text order, its error rows), the
// row ids that getChildren and getParent must agree on, label order from the configuration, the
// per-document counts of a filter, line numbers, and the words of every description and tooltip.
// The whole-corpus groups (label → surface form → occurrence) are corpus-view.ts's.
import { DEFAULT_CONFIG, LabelConfig, LabelDef } from '../config/config';
import { DocumentSummary } from './corpus-index';
import { MentionFilter } from './corpus-view';
import { EntityFilter, matchesFilter } from './entity-filter';
import { cmp, Entity, Status } from '../model/model';
import { Problem } from '../model/problems';
import type { DocumentGain } from '../suggest/recommender/expected-gain';

/** By document (folder → document → label → entity), by label (label → surface form → occurrence), or by linked entity (label → canonical name or kb id → occurrence). */
export type TreeGrouping = 'document' | 'label' | 'entity';

/** At most this many error rows under a document: the Problems panel has them all. */
export const MAX_PROBLEM_ROWS = 100;

// ---- words ---------------------------------------------------------------------------------------

/** A count as the sidebar shows it: with thousands separators (1,000,264; the UI is in English). */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** `n word(s)`, n as count() writes it. */
export function plural(n: number, word: string): string {
  if (n === 1) return `1 ${word}`;
  return `${count(n)} ${word.endsWith('y') ? `${word.slice(0, -1)}ies` : `${word}s`}`;
}

export const STATUS_TEXT: Record<Status, string> = {
  todo: 'todo',
  'in-progress': 'in progress',
  done: 'done',
  reviewed: 'reviewed',
};

// ---- row ids -------------------------------------------------------------------------------------
// Rows other than documents and folders are made afresh (by getChildren, and by getParent for
// reveal): their ids must be the same both ways, so each is spelled here once. `doc` is the
// article's URI as a string.

/** Paged lists at the root (the documents of a one-folder workspace) go by this id. */
export const ROOT_ID = 'root';

export const rowIds = {
  folder: (folder: string) => `folder:${folder}`,
  document: (doc: string) => `doc:${doc}`,
  label: (label: string) => `label:${label}`,
  surface: (label: string, surface: string) => `label:${label}/surface:${surface}`,
  docLabel: (doc: string, label: string) => `doc:${doc}/label:${label}`,
  suggestions: (doc: string) => `doc:${doc}/suggestions`,
  /** An entity under its document's label (grouping by document), or an occurrence (the other groupings). */
  entity: (doc: string, id: string, grouping: TreeGrouping) => (grouping === 'document' ? `ent:${doc}#${id}` : `occ:${doc}#${id}`),
  problem: (doc: string, index: number) => `doc:${doc}/problem:${index}`,
  /** The one error row of a document whose errors are not listed one by one. */
  problems: (doc: string) => `doc:${doc}/problems`,
  dropOrphans: (doc: string) => `doc:${doc}/drop-orphans`,
  /** The "Show more" row under `parent` (undefined: the root). */
  more: (parent: string | undefined) => `${parent ?? ROOT_ID}/more`,
};

// ---- a loaded document's rows --------------------------------------------------------------------

/** The rows under a document with a valid sidecar: a Suggestions row first when the filter shows any, then its labels in `order`. */
export function documentRows(entities: readonly Entity[], filter: EntityFilter | undefined, order: (a: string, b: string) => number): { suggestions: boolean; labels: string[] } {
  const shown = entities.filter((e) => matchesFilter(filter, e));
  const labels = new Set(shown.filter((e) => e.suggested !== true).map((e) => e.label));
  // The suggestions first: they are what the annotator has to decide on.
  return { suggestions: shown.some((e) => e.suggested === true), labels: [...labels].sort(order) };
}

/** The entities under a document's label (`label`) or its Suggestions row (undefined) that the filter shows, in text order. */
export function entityRows(entities: readonly Entity[], label: string | undefined, filter: EntityFilter | undefined): Entity[] {
  const pick = label === undefined ? (e: Entity) => e.suggested === true : (e: Entity) => e.label === label && e.suggested !== true;
  return entities
    .filter((e) => pick(e) && matchesFilter(filter, e))
    .sort((a, b) => a.start - b.start || a.end - b.end || cmp(a.id, b.id));
}

export type ProblemRow = { readonly dropOrphans: true } | { readonly index: number } | { readonly summary: true };

/**
 * The rows under a document whose sidecar has errors: one per error (at most MAX_PROBLEM_ROWS, each
 * by its index in `problems`), after, when re-anchoring left only orphans, the one-click way to drop
 * them; a summary row when there is nothing else to show.
 */
export function problemRows(problems: readonly Problem[], reanchor: { ambiguous: number; orphans: number } | undefined): ProblemRow[] {
  const rows: ProblemRow[] = [];
  if (reanchor && reanchor.ambiguous === 0 && reanchor.orphans > 0) rows.push({ dropOrphans: true });
  const errors = problems.map((p, i) => [p, i] as const).filter(([p]) => p.severity === 'error').slice(0, MAX_PROBLEM_ROWS);
  for (const [, index] of errors) rows.push({ index });
  return rows.length ? rows : [{ summary: true }];
}

// ---- labels --------------------------------------------------------------------------------------

/** Configuration order (of each config in turn), unknown labels last by name. */
export function labelOrder(configs: readonly LabelConfig[]): (a: string, b: string) => number {
  const order: string[] = [];
  for (const c of configs) for (const l of c.labels) if (!order.includes(l.name)) order.push(l.name);
  const rank = (l: string) => {
    const i = order.indexOf(l);
    return i < 0 ? order.length : i;
  };
  return (a, b) => rank(a) - rank(b) || cmp(a, b);
}

/**
 * A label's definition: from the document's own configuration when `scoped` (the first of
 * `configs`, and only it), otherwise from the first configuration that has it, else the default one.
 */
export function labelDef(name: string, configs: readonly LabelConfig[], scoped: boolean): LabelDef | undefined {
  for (const c of configs) {
    const def = c.labels.find((l) => l.name === name);
    if (def || scoped) return def;
  }
  return DEFAULT_CONFIG.labels.find((l) => l.name === name);
}

/** The names a filter takes for labels: every configuration's, or the default ones when none has any. */
export function knownLabels(configs: readonly LabelConfig[]): Set<string> {
  const known = new Set(configs.flatMap((c) => c.labels.map((l) => l.name)));
  if (known.size === 0) for (const l of DEFAULT_CONFIG.labels) known.add(l.name);
  return known;
}

/** A label's coloured dot as an SVG image, for a colour that is not a theme colour; undefined when it is not `#rrggbb`. */
export function labelDotSvg(color: string): string | undefined {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(color);
  if (!m) return undefined;
  const rgb = `rgb(${parseInt(m[1] as string, 16)},${parseInt(m[2] as string, 16)},${parseInt(m[3] as string, 16)})`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16"><circle cx="8" cy="8" r="4.5" fill="${rgb}"/></svg>`;
}

// ---- a filter's counts ---------------------------------------------------------------------------

/** Per document, how many entities a filter shows (suggestions included), and their sum; kept current one document at a time. */
export class FilterCounts {
  readonly matcher: MentionFilter;
  readonly perDoc = new Map<string, number>();
  total = 0;

  constructor(filter: EntityFilter, docs: Iterable<readonly [string, DocumentSummary]>) {
    this.matcher = new MentionFilter(filter);
    for (const [key, summary] of docs) this.update(key, summary);
  }

  /** A document's summary changed (undefined: it left the corpus). */
  update(key: string, summary: DocumentSummary | undefined): void {
    const n = summary ? this.matcher.count(summary) : 0;
    this.total += n - (this.perDoc.get(key) ?? 0);
    if (n) this.perDoc.set(key, n);
    else this.perDoc.delete(key);
  }
}

// ---- expected gain order ------------------------------------------------------------------------

/** One document's figure in a gain snapshot: its gain, or why there is none (it could not be read). */
export type GainEntry = { readonly gain: DocumentGain } | { readonly problem: string };

/**
 * The expected gains of the corpus's documents (by document key) from one model at one time. A
 * snapshot: the order it gives does not follow the annotations made since (a document annotated
 * would drop and the list would shift under the annotator); the user sorts again to update it.
 */
export interface GainSnapshot {
  readonly entries: ReadonlyMap<string, GainEntry>;
  readonly model: string;
  /** When it was taken (shown as is, e.g. "18:42"). */
  readonly taken: string;
}

/**
 * `docs` by their gain in the snapshot, highest first; documents with equal gains, then those
 * without one (unreadable, or new since the snapshot), keep their order in `docs` (by name).
 */
export function sortByGain<T>(docs: readonly T[], keyOf: (d: T) => string, snapshot: GainSnapshot): T[] {
  const gainOf = (d: T) => {
    const e = snapshot.entries.get(keyOf(d));
    return e && 'gain' in e ? e.gain.gain : -Infinity;
  };
  // Array.prototype.sort is stable: ties keep the order given.
  return docs.map((d) => ({ d, g: gainOf(d) })).sort((a, b) => (a.g === b.g ? 0 : b.g - a.g)).map((x) => x.d);
}

/** What a document row says of its gain, before the rest of its description. */
export function gainDescription(entry: GainEntry | undefined): string {
  return entry && 'gain' in entry ? `gain ${entry.gain.gain.toFixed(1)}` : 'no gain';
}

/** The tooltip of a document's gain, after the rest: the figure and what it is, or why there is none; and that it is a snapshot. */
export function gainTooltip(entry: GainEntry | undefined, snapshot: GainSnapshot): TooltipPart[] {
  const again: TooltipPart = { markdown: ' *Sort by Expected Gain* again to update it.' };
  const model: TooltipPart[] = [{ markdown: 'model ' }, { text: snapshot.model }];
  if (!entry) return [{ markdown: '\n\nNo expected gain: the document is new since the sort (' }, ...model, { markdown: `, ${snapshot.taken}).` }, again];
  if ('problem' in entry) return [{ markdown: '\n\nNo expected gain: ' }, { text: entry.problem }];
  const g = entry.gain;
  return [
    { markdown: `\n\nExpected gain **${g.gain.toFixed(1)}**: the mistakes annotating it is expected to correct, from ${plural(g.unannotated, 'prediction')} of ` },
    ...model,
    { markdown: ` over no annotation (of ${g.predictions}). A snapshot taken at ${snapshot.taken}: the order and figures stay as they are while you annotate.` },
    again,
  ];
}

// ---- line numbers --------------------------------------------------------------------------------

/**
 * 1-based line numbers of UTF-16 offsets in a text, with VS Code's line breaks (\n, \r\n, \r).
 * Built once per text; each lookup is a binary search.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** The 1-based line of a UTF-16 offset. */
  lineOf(utf16: number): number {
    let lo = 0;
    let hi = this.starts.length;
    // Number of line starts <= utf16.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.starts[mid] as number) <= utf16) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(1, lo);
  }
}

/** Fallback when the sidecar reader has no line for an id: the line holding `id: <id>`. */
export function lineOfId(sidecarText: string, id: string): number | undefined {
  const m = new RegExp(`\\bid:\\s*["']?${id.replace(/[^a-z0-9]/gi, '')}\\b`).exec(sidecarText);
  return m ? sidecarText.slice(0, m.index).split('\n').length : undefined;
}

// ---- descriptions --------------------------------------------------------------------------------

/** What a document row says after its name: its entities (of them, how many the filter shows), suggestions, status, unsaved, folder. */
export function documentDescription(d: { entities: number; suggestions: number; status: Status; filtered?: number; unsaved?: boolean; dir: string }): string {
  const entities = d.filtered !== undefined ? `${count(d.filtered)} of ${plural(d.entities, 'entity')}` : plural(d.entities, 'entity');
  const suggested = d.suggestions > 0 ? ` · ${count(d.suggestions)} suggested` : '';
  return `${entities}${suggested} · ${STATUS_TEXT[d.status]}${d.unsaved ? ' · unsaved' : ''}${d.dir ? ` · ${d.dir}` : ''}`;
}

/** An entity row's description: its line, with the document's name when grouped by linked entity; a suggestion shows its label with a `?`. */
export function entityDescription(e: Entity, grouping: TreeGrouping, docName: string, line: number): string {
  if (e.suggested === true) return `${e.label}? · line ${line}`;
  return grouping === 'entity' ? `${docName}, line ${line}` : `line ${line}`;
}

/** The title of an error row about one entity re-anchoring could not place; undefined for other problems. */
export function reanchorProblemTitle(problem: Problem, entity: Entity | undefined, shown: string): string | undefined {
  if (!entity || (problem.code !== 'orphan' && problem.code !== 'ambiguous')) return undefined;
  return `${problem.code === 'orphan' ? 'Orphan' : 'Ambiguous'}: ${entity.label} ${shown}`;
}

/**
 * The view's description and the message line above the tree: the totals (entities and documents
 * when the corpus is counted, else the articles listed), or the filter and how many entities it
 * shows. No message without articles (the view's welcome content shows instead).
 */
export function viewHeader(h: { articles: number; counted: { entities: number; documents: number } | undefined; filter: string | undefined; matching: number }): { description: string; message: string | undefined } {
  const total = h.counted?.entities ?? 0;
  const totals = h.counted ? `${plural(total, 'entity')} in ${plural(h.counted.documents, 'document')}` : `${plural(h.articles, 'document')}`;
  const description = h.filter !== undefined ? `filter: ${h.filter} · ${count(h.matching)} of ${plural(total, 'entity')}` : totals;
  let message: string | undefined;
  if (h.articles === 0 && !h.counted?.documents) message = undefined;
  else if (h.filter === undefined) message = totals;
  else if (h.counted && h.matching === 0) message = `No entity matches "${h.filter}".`;
  else message = `Filter "${h.filter}": ${count(h.matching)} of ${plural(total, 'entity')}.`;
  return { description, message };
}

// ---- tooltips ------------------------------------------------------------------------------------

/** A tooltip as pieces: markdown written as is, text escaped by the adapter (an entity's text or note is the user's). */
export type TooltipPart = { readonly markdown: string } | { readonly text: string };

/** A loaded document's figures: entities (suggestions apart), suggestions, and how many entities (suggestions included) the filter shows. */
export function loadedDocumentCounts(entities: readonly Entity[], filter: EntityFilter | undefined): { total: number; suggestions: number; shown: number } {
  const suggestions = entities.filter((e) => e.suggested === true).length;
  const total = entities.length - suggestions;
  return { total, suggestions, shown: filter ? entities.filter((e) => matchesFilter(filter, e)).length : total + suggestions };
}

/** The tooltip of a loaded document row, after its path. */
export function documentTooltip(d: { kind: 'ok'; status: Status; total: number; sidecarExists: boolean; pendingSave: boolean } | { kind: 'invalid'; problems: readonly Problem[] } | { kind: 'unreadable'; problems: readonly Problem[] }): TooltipPart[] {
  if (d.kind === 'invalid') {
    const errors = d.problems.filter((p) => p.severity === 'error');
    const parts: TooltipPart[] = [{ markdown: '\n\n**The sidecar has errors**: its annotations are not shown or changed until it is fixed.\n\n' }];
    for (const p of errors.slice(0, 5)) parts.push({ text: `line ${p.line}: ${p.message}\n` });
    if (errors.length > 5) parts.push({ text: `… and ${errors.length - 5} more` });
    return parts;
  }
  if (d.kind === 'unreadable') return [{ markdown: '\n\n' }, { text: d.problems[0]?.message ?? 'This file cannot be annotated.' }];
  const parts: TooltipPart[] = [{ markdown: `\n\nStatus: **${STATUS_TEXT[d.status]}** · ${plural(d.total, 'entity')}` }];
  if (!d.sidecarExists) parts.push({ markdown: '\n\nNo sidecar yet: it is written with the first annotation.' });
  if (d.pendingSave) parts.push({ markdown: '\n\nAnnotation changes are saved with the article (it has unsaved edits).' });
  return parts;
}

/** The tooltip of an entity row: label, text, where, id and offsets, note, attributes, who, and for a suggestion what to do. */
export function entityTooltip(e: Entity, shownText: string, docName: string, line: number): TooltipPart[] {
  const parts: TooltipPart[] = [{ markdown: `**${e.label}** ` }, { text: `"${shownText}"` }, { markdown: '\n\n' }, { text: `${docName}, line ${line} · id ${e.id} · code points ${e.start}–${e.end}` }];
  if (e.note) parts.push({ markdown: '\n\n*Note:* ' }, { text: e.note });
  const attrs = Object.entries(e.attrs ?? {});
  if (attrs.length) parts.push({ markdown: '\n\n*Attributes:* ' }, { text: attrs.map(([k, v]) => `${k} = ${v}`).join(', ') });
  const who = [e.by ? `by ${e.by}` : '', e.src ? `source ${e.src}` : ''].filter(Boolean).join(' · ');
  if (who) parts.push({ markdown: '\n\n' }, { text: who });
  if (e.suggested === true) parts.push({ markdown: '\n\n*Suggestion awaiting a decision:* accept or reject it inline.' });
  return parts;
}

/** The tooltip of a label row: its count (and surface forms, grouped by label), and its description from the configuration. */
export function labelTooltip(label: string, count: number, def: LabelDef | undefined, surfaces?: number): string {
  return `${label}: ${plural(count, 'entity')}${surfaces !== undefined ? `, ${plural(surfaces, 'surface form')}` : ''}${def?.description ? `\n${def.description}` : ''}`;
}

/** The tooltip of a document's Suggestions row. */
export function suggestionsTooltip(suggestions: readonly Entity[]): string {
  return `${plural(suggestions.length, 'suggestion')} awaiting a decision (from ${[...new Set(suggestions.map((e) => e.src ?? 'unknown'))].join(', ')}). Accept or reject each inline, or all from this row.`;
}
