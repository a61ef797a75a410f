// What the training annotations say about words and phrases: how often a lowercased word or a
// phrase was annotated, with which label, against how often it occurs at all. Built from the
// training documents only; while training, each document is seen through the counts of the
// others (leave-one-document-out), so the model learns how far to trust the lexicon on a page it
// has never seen, not that a name it is looking at is always in it.
import { Sentence } from './data';

/** Longest phrase looked up, in tokens. */
export const MAX_PHRASE = 6;

/** Per key: occurrences [total, as label 0, as label 1, …]. */
export type Counts = Map<string, number[]>;

export interface LexiconData {
  /** Lowercased word: [occurrences, occurrences inside an entity of label 0, …]. */
  words: Counts;
  /** Lowercased phrase (tokens joined by a space): [entity occurrences, as label 0, …]. */
  phrases: Counts;
}

export function lowerKey(s: string): string {
  return s.toLowerCase();
}

/** The counts one document contributes. */
export function documentCounts(sentences: readonly Sentence[], labels: number): LexiconData {
  const words: Counts = new Map();
  const phrases: Counts = new Map();
  const bump = (m: Counts, key: string, label: number) => {
    let c = m.get(key);
    if (!c) { c = new Array<number>(labels + 1).fill(0); m.set(key, c); }
    c[0] = (c[0] as number) + 1;
    if (label >= 0) c[label + 1] = (c[label + 1] as number) + 1;
  };
  for (const s of sentences) {
    const inside = new Int32Array(s.tokens.length).fill(-1);
    for (const g of s.gold) {
      for (let i = g.start; i < g.end; i++) inside[i] = g.label;
      if (g.end - g.start <= MAX_PHRASE) bump(phrases, s.tokens.slice(g.start, g.end).map((t) => lowerKey(t.text)).join(' '), g.label);
    }
    s.tokens.forEach((t, i) => bump(words, lowerKey(t.text), inside[i] as number));
  }
  return { words, phrases };
}

/** Drops the words never annotated (they tell nothing; counted until now for the totals). */
export function pruneLexicon(data: LexiconData): LexiconData {
  for (const [k, c] of data.words) if (c.slice(1).every((n) => n === 0)) data.words.delete(k);
  return data;
}

export function addCounts(into: LexiconData, from: LexiconData): void {
  for (const key of ['words', 'phrases'] as const) {
    for (const [k, c] of from[key]) {
      const mine = into[key].get(k);
      if (!mine) into[key].set(k, c.slice());
      else for (let i = 0; i < c.length; i++) mine[i] = (mine[i] as number) + (c[i] as number);
    }
  }
}

/** A lexicon, optionally seen without one document's own counts. */
export class LexiconView {
  /** First words of the phrases (a phrase lookup stops early at a word that starts none). */
  private readonly firsts: Set<string>;

  constructor(private readonly all: LexiconData, private readonly without?: LexiconData) {
    this.firsts = firstWords(all);
  }

  startsPhrase(word: string): boolean {
    return this.firsts.has(word);
  }

  word(key: string): number[] | undefined {
    return this.get('words', key);
  }

  phrase(key: string): number[] | undefined {
    return this.get('phrases', key);
  }

  private get(kind: 'words' | 'phrases', key: string): number[] | undefined {
    const c = this.all[kind].get(key);
    if (!c) return undefined;
    const minus = this.without?.[kind].get(key);
    if (!minus) return c;
    const left = c.map((n, i) => n - (minus[i] as number));
    return left.slice(1).some((n) => n > 0) ? left : undefined;
  }
}

const FIRSTS = new WeakMap<LexiconData, Set<string>>();
function firstWords(data: LexiconData): Set<string> {
  let set = FIRSTS.get(data);
  if (!set) {
    set = new Set<string>();
    for (const k of data.phrases.keys()) { const sp = k.indexOf(' '); if (sp > 0) set.add(k.slice(0, sp)); }
    FIRSTS.set(data, set);
  }
  return set;
}
