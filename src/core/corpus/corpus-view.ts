// The sidebar's whole-corpus views over the corpus index's summaries (core/corpus/corpus-index.ts), without
// loading an article: entities grouped by label → surface form (or linked entity) → occurrences,
// which documents match a filter and how many of their entities do, and paging of long lists.
// Kept up to date one document at a time: a tag in one document costs that document, not the corpus.
import { DocumentSummary, Mentions } from './corpus-index';
import { displayText, EntityFilter, fold } from './entity-filter';
import { cmp } from '../model/model';

/** By label (label → surface form → occurrence) or by linked entity (label → canonical name or kb id → occurrence). */
export type MentionGrouping = 'label' | 'entity';

/** Rows shown at once under a group; a "Show more" row adds as many again. */
export const PAGE_SIZE = 500;

/** One entity of one document: its key in the index and its place among the document's mentions. */
export interface Occurrence {
  readonly doc: string;
  readonly index: number;
}

export interface LabelGroup {
  /** Entities of this label (suggestions apart) that the filter shows. */
  count: number;
  /** By surface key: the occurrences (packed, see MentionGroups.occurrence), in document key order, then text order. */
  readonly surfaces: Map<string, number[]>;
}

/** Occurrences are numbers (document id × DOC_STRIDE + mention index): a million of them are one array of doubles, not a million objects. */
const DOC_STRIDE = 2 ** 24;

/**
 * Whether mentions pass a filter; text matches are remembered per distinct text, since a corpus
 * repeats the same few thousand surface forms a million times and folding is the costly part.
 */
export class MentionFilter {
  private readonly texts = new Map<string, boolean>();
  private readonly labelsOk = new Map<string, boolean>();
  constructor(readonly filter: EntityFilter | undefined) {}

  matches(m: Mentions, i: number): boolean {
    const f = this.filter;
    if (!f) return true;
    if (f.label !== undefined) {
      const label = m.labels[i] as string;
      let ok = this.labelsOk.get(label);
      if (ok === undefined) this.labelsOk.set(label, (ok = label.toUpperCase() === f.label));
      if (!ok) return false;
    }
    if (f.text === undefined) return true;
    const text = m.texts[i] as string;
    let hit = this.texts.get(text);
    if (hit === undefined) this.texts.set(text, (hit = fold(displayText(text)).includes(f.text)));
    return hit;
  }

  /** How many of a document's entities (suggestions included) the filter shows. */
  count(s: DocumentSummary): number {
    const m = s.mentions;
    if (s.state !== 'ok' || !m) return 0;
    if (!this.filter) return m.length;
    let n = 0;
    for (let i = 0; i < m.length; i++) if (this.matches(m, i)) n++;
    return n;
  }
}

/**
 * Label → surface key → occurrences over the corpus, for one grouping and filter. Built in one
 * pass over the summaries (in document key order); `update` replaces one document's part.
 */
export class MentionGroups {
  readonly labels = new Map<string, LabelGroup>();
  /** Grouping by linked entity: kb id → the canonical name first given to it (in document key order). */
  private readonly kbNames = new Map<string, string>();
  private readonly matcher: MentionFilter;
  private readonly displayed = new Map<string, string>();
  /** Document keys by id (an id is given on first sight and kept), and ids by key. */
  private readonly docKeys: string[] = [];
  private readonly docIds = new Map<string, number>();

  constructor(readonly grouping: MentionGrouping, filter: EntityFilter | undefined, docs: Iterable<readonly [string, DocumentSummary]>) {
    this.matcher = new MentionFilter(filter);
    const sorted = this.begin(docs);
    for (const [key, s] of sorted) this.add(key, s, false);
  }

  /**
   * The same groups, built a slice at a time: `pause()` is awaited whenever `sliceMs` have passed
   * (an extension host must answer a keystroke meanwhile: a million mentions take seconds on a busy
   * machine). `docs` is read at once; a change after that is the caller's to apply with `update`.
   */
  static async build(grouping: MentionGrouping, filter: EntityFilter | undefined, docs: Iterable<readonly [string, DocumentSummary]>, pause: () => Promise<void>, sliceMs = 20): Promise<MentionGroups> {
    const groups = new MentionGroups(grouping, filter, []);
    const sorted = groups.begin(docs);
    let sliceStart = Date.now();
    for (const [key, s] of sorted) {
      groups.add(key, s, false);
      if (Date.now() - sliceStart >= sliceMs) {
        await pause();
        sliceStart = Date.now();
      }
    }
    return groups;
  }

  /** The documents in key order, and the kb names they give (grouping by linked entity). */
  private begin(docs: Iterable<readonly [string, DocumentSummary]>): Array<readonly [string, DocumentSummary]> {
    const sorted = [...docs].sort(([a], [b]) => cmp(a, b));
    if (this.grouping === 'entity') {
      // Mentions sharing a kb id go together, under the canonical name one of them has, even those linked without one.
      for (const [, s] of sorted) {
        for (const link of s.state === 'ok' ? s.mentions?.links?.values() ?? [] : []) {
          if (link.kb !== undefined && link.canonical !== undefined && !this.kbNames.has(link.kb)) this.kbNames.set(link.kb, link.canonical);
        }
      }
    }
    return sorted;
  }

  /**
   * Replaces a document's occurrences (`after` undefined: it is gone). False when the grouping
   * cannot be updated in place (by linked entity, where one document can rename a group): build anew.
   */
  update(key: string, before: DocumentSummary | undefined, after: DocumentSummary | undefined): boolean {
    // By linked entity, a group's name is the canonical name first given to its kb id (in document
    // order): only a document whose (kb, canonical) pairs changed can rename groups. A tag or an
    // unlinked edit in a linked document leaves them as they are: updated in place like the rest.
    if (this.grouping === 'entity' && !sameNaming(before, after)) return false;
    if (before) this.remove(key, before);
    if (after) this.add(key, after, true);
    return true;
  }

  /** A label's surface keys, most frequent first (then by text). */
  surfaces(label: string): Array<[string, number]> {
    const group = this.labels.get(label);
    if (!group) return [];
    return [...group.surfaces].map(([s, list]) => [s, list.length] as [string, number]).sort(([sa, a], [sb, b]) => b - a || cmp(sa, sb));
  }

  /** A group's occurrences, packed: see `occurrence`. */
  occurrences(label: string, surface: string): readonly number[] {
    return this.labels.get(label)?.surfaces.get(surface) ?? [];
  }

  /** The document and mention index of a packed occurrence. */
  occurrence(code: number): Occurrence {
    const id = Math.floor(code / DOC_STRIDE);
    return { doc: this.docKeys[id] as string, index: code - id * DOC_STRIDE };
  }

  /** The group a mention is listed under. */
  surfaceKey(m: Mentions, i: number): string {
    const text = m.texts[i] as string;
    if (this.grouping === 'entity') {
      const link = m.links?.get(i);
      const name = (link?.kb !== undefined ? this.kbNames.get(link.kb) : undefined) ?? link?.canonical ?? link?.kb;
      if (name !== undefined) return name;
    }
    let shown = this.displayed.get(text);
    if (shown === undefined) this.displayed.set(text, (shown = displayText(text)));
    return shown;
  }

  private add(doc: string, s: DocumentSummary, insert: boolean): void {
    const m = s.mentions;
    if (s.state !== 'ok' || !m) return;
    const base = this.docId(doc) * DOC_STRIDE;
    // Appended while building (documents come in key order); gathered then spliced in place on an update.
    const mine = insert ? new Map<number[] | undefined, { group: LabelGroup; surface: string; codes: number[] }>() : undefined;
    let lastLabel: string | undefined;
    let group: LabelGroup | undefined;
    for (let i = 0; i < m.length; i++) {
      if (m.suggested[i] === 1 || !this.matcher.matches(m, i)) continue;
      const label = m.labels[i] as string;
      if (label !== lastLabel || !group) {
        lastLabel = label;
        group = this.labels.get(label);
        if (!group) this.labels.set(label, (group = { count: 0, surfaces: new Map() }));
      }
      group.count++;
      const surface = this.surfaceKey(m, i);
      let list = group.surfaces.get(surface);
      if (!mine) {
        if (!list) group.surfaces.set(surface, (list = []));
        list.push(base + i);
        continue;
      }
      if (!list) group.surfaces.set(surface, (list = []));
      let gathered = mine.get(list);
      if (!gathered) mine.set(list, (gathered = { group, surface, codes: [] }));
      gathered.codes.push(base + i);
    }
    for (const [list, { codes }] of mine ?? []) {
      if (!list) continue;
      // In place among the other documents' occurrences: lists stay in document key order.
      list.splice(this.firstAfter(list, doc), 0, ...codes);
    }
  }

  private remove(doc: string, s: DocumentSummary): void {
    const m = s.mentions;
    if (s.state !== 'ok' || !m) return;
    const touched = new Map<string, Set<string>>();
    for (let i = 0; i < m.length; i++) {
      if (m.suggested[i] === 1 || !this.matcher.matches(m, i)) continue;
      const label = m.labels[i] as string;
      let surfaces = touched.get(label);
      if (!surfaces) touched.set(label, (surfaces = new Set()));
      surfaces.add(this.surfaceKey(m, i));
    }
    for (const [label, surfaces] of touched) {
      const group = this.labels.get(label);
      if (!group) continue;
      for (const surface of surfaces) {
        const list = group.surfaces.get(surface);
        if (!list) continue;
        const from = this.firstAfter(list, doc, true);
        let to = from;
        while (to < list.length && this.docKeys[Math.floor((list[to] as number) / DOC_STRIDE)] === doc) to++;
        list.splice(from, to - from);
        group.count -= to - from;
        if (list.length === 0) group.surfaces.delete(surface);
      }
      if (group.surfaces.size === 0) this.labels.delete(label);
    }
  }

  private docId(doc: string): number {
    let id = this.docIds.get(doc);
    if (id === undefined) {
      id = this.docKeys.length;
      this.docKeys.push(doc);
      this.docIds.set(doc, id);
    }
    return id;
  }

  /** Index of the first occurrence whose document sorts after `doc` (or at it, with `atOrAfter`). */
  private firstAfter(list: readonly number[], doc: string, atOrAfter = false): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const d = this.docKeys[Math.floor((list[mid] as number) / DOC_STRIDE)] as string;
      if (d < doc || (!atOrAfter && d === doc)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** The (kb, canonical) pairs of a document's linked mentions, in text order: what names linked-entity groups. */
function namingPairs(s: DocumentSummary | undefined): string[] {
  const out: string[] = [];
  for (const link of s?.state === 'ok' ? s.mentions?.links?.values() ?? [] : []) {
    if (link.kb !== undefined && link.canonical !== undefined) out.push(link.kb, link.canonical);
  }
  return out;
}

function sameNaming(before: DocumentSummary | undefined, after: DocumentSummary | undefined): boolean {
  const a = namingPairs(before);
  const b = namingPairs(after);
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** The first `shown` items and how many are left for "Show more". */
export function page<T>(items: readonly T[], shown: number): { items: readonly T[]; more: number } {
  if (items.length <= shown) return { items, more: 0 };
  return { items: items.slice(0, shown), more: items.length - shown };
}
