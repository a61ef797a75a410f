// A gazetteer built from a corpus's annotations (`corpus-annotator gazetteer`): every surface form
// annotated somewhere, with the label it got most often, to pre-annotate the rest of the corpus.
// Suggestions are not annotations and are left out. Deterministic: the same sidecars always give
// the same bytes (sorted, no date in the header).
import { formatGazetteer, isWritableSurface } from './gazetteer';
import { cmp, Sidecar } from '../model/model';
import { withoutSuggestions } from './suggest';

export interface BuiltEntry {
  surface: string;
  label: string;
  /** The kb id every occurrence with this label that has one agrees on. */
  kb?: string;
  /** Occurrences with this label. */
  count: number;
  /** Documents where the surface is annotated (with any label). */
  documents: number;
}

export interface LabelConflict {
  surface: string;
  /** Occurrences per label. */
  labels: Record<string, number>;
  chosen: string;
  /** Two labels or more were equally frequent: the first in code point order was chosen. */
  tie: boolean;
}

export interface KbConflict {
  surface: string;
  label: string;
  /** Occurrences per kb id: no kb is written for the entry. */
  kbs: Record<string, number>;
}

export interface BuiltGazetteer {
  tsv: string;
  /** Sorted by surface (code point order), then label. */
  entries: BuiltEntry[];
  conflicts: LabelConflict[];
  kbConflicts: KbConflict[];
  /** Surfaces a gazetteer line cannot hold (starting with `#`), left out. */
  skipped: string[];
  /** Documents and (non-suggested) entities read. */
  documents: number;
  entities: number;
}

export interface BuildOptions {
  /** Leave out surfaces annotated fewer times than this (all labels counted); default 1. */
  minCount?: number;
}

/**
 * The gazetteer of the documents' annotations. Surfaces are the entities' texts with runs of
 * whitespace (line breaks, no-break spaces) turned into one space; the most frequent label wins.
 */
export function buildGazetteer(docs: ReadonlyArray<{ path: string; sidecar: Sidecar }>, opts: BuildOptions = {}): BuiltGazetteer {
  interface Tally { labels: Map<string, number>; kbs: Map<string, Map<string, number>>; docs: Set<string>; total: number }
  const bySurface = new Map<string, Tally>();
  let entities = 0;
  for (const doc of docs) {
    for (const e of withoutSuggestions(doc.sidecar.entities)) {
      const surface = e.text.replace(/\s+/gu, ' ').trim();
      if (surface === '') continue;
      entities++;
      let t = bySurface.get(surface);
      if (!t) bySurface.set(surface, (t = { labels: new Map(), kbs: new Map(), docs: new Set(), total: 0 }));
      t.total++;
      t.docs.add(doc.path);
      t.labels.set(e.label, (t.labels.get(e.label) ?? 0) + 1);
      const kb = e.attrs?.kb;
      if (kb !== undefined && kb !== '') {
        let perLabel = t.kbs.get(e.label);
        if (!perLabel) t.kbs.set(e.label, (perLabel = new Map()));
        perLabel.set(kb, (perLabel.get(kb) ?? 0) + 1);
      }
    }
  }
  const minCount = opts.minCount ?? 1;
  const entries: BuiltEntry[] = [];
  const conflicts: LabelConflict[] = [];
  const kbConflicts: KbConflict[] = [];
  const skipped: string[] = [];
  for (const surface of [...bySurface.keys()].sort(cmp)) {
    const t = bySurface.get(surface) as Tally;
    if (t.total < minCount) continue;
    if (!isWritableSurface(surface)) { skipped.push(surface); continue; }
    const ranked = [...t.labels].sort(([la, na], [lb, nb]) => nb - na || cmp(la, lb));
    const [label, count] = ranked[0] as [string, number];
    if (ranked.length > 1) {
      conflicts.push({ surface, labels: record(ranked), chosen: label, tie: (ranked[1] as [string, number])[1] === count });
    }
    const entry: BuiltEntry = { surface, label, count, documents: t.docs.size };
    const kbs = t.kbs.get(label);
    if (kbs && kbs.size === 1) entry.kb = [...kbs.keys()][0] as string;
    else if (kbs && kbs.size > 1) kbConflicts.push({ surface, label, kbs: record([...kbs].sort(([a, na], [b, nb]) => nb - na || cmp(a, b))) });
    entries.push(entry);
  }
  const comments = [
    `Built by \`corpus-annotator gazetteer\` from ${docs.length} document${docs.length === 1 ? '' : 's'} (${entities} annotated entit${entities === 1 ? 'y' : 'ies'}, suggestions left out): ${entries.length} surface form${entries.length === 1 ? '' : 's'}.`,
    'Each surface has the label it was given most often; a kb id when every occurrence that has one agrees.',
  ];
  if (minCount > 1) comments.push(`Surfaces annotated fewer than ${minCount} times are left out.`);
  return { tsv: formatGazetteer(entries, comments), entries, conflicts, kbConflicts, skipped, documents: docs.length, entities };
}

function record(pairs: ReadonlyArray<[string, number]>): Record<string, number> {
  const out: Record<string, number> = {};
  // defineProperty: a label called __proto__ is a key like any other
  for (const [k, n] of pairs) Object.defineProperty(out, k, { value: n, enumerable: true, writable: true, configurable: true });
  return out;
}
