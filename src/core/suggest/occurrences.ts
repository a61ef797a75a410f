// Finding a surface form again in an article: tag all occurrences, gazetteer matching.
// Matching is loose where annotators expect it (case, accents, ’ for ', no-break spaces) but the
// spans returned are always whole code points of the article as stored, so an entity made from
// one has `text` equal to the article's slice, whatever the folding matched.
import { Article } from '../model/article';
import { Span } from '../model/edits';
import { Entity, newEntityId, Sidecar } from '../model/model';
import { SurfaceAutomaton } from '../text/surface-automaton';

export interface MatchOptions {
  /** `Laftit` ≠ `LAFTIT`. */
  caseSensitive: boolean;
  /** `Intérieur` ≠ `Interieur`. */
  diacriticSensitive: boolean;
  /** Only where neither neighbour is a letter or digit: `Rabat` not in `Rabatteur`. */
  wholeWord: boolean;
}

export const DEFAULT_MATCH: MatchOptions = { caseSensitive: false, diacriticSensitive: false, wholeWord: true };

const WORD = /[\p{L}\p{N}\p{M}_]/u;
const MARK = /\p{M}/u;
const MARKS = /\p{M}+/gu;
const APOSTROPHES = /[’‘ʼ′`´]/gu;
const SPACES = /[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]/gu;
const DASHES = /[‐‑‒–—]/gu;

/** Folds one code point (or a needle) the way FoldedText folds the article. */
function fold(s: string, opts: MatchOptions): string {
  let out = s.replace(APOSTROPHES, "'").replace(SPACES, ' ').replace(DASHES, '-');
  if (!opts.diacriticSensitive) out = out.normalize('NFD').replace(MARKS, '');
  // Lower-casing after removing marks: 'İ'.toLowerCase() would otherwise leave a combining dot.
  if (!opts.caseSensitive) out = out.toLowerCase();
  // Ligatures and the like decompose under NFKC without changing what a reader sees as the word.
  return opts.diacriticSensitive ? out : out.normalize('NFC');
}

/** What `FoldedText.find(surface)` looks for: folded code point by code point, as the article was ('Σ' lower-cases by context otherwise). */
export function foldedNeedle(surface: string, opts: MatchOptions): string {
  return Array.from(surface.trim(), (cp) => foldCodePoint(cp, opts)).join('');
}

/** One code point folded; most text is ASCII, which folds to itself or its lower case without regular expressions and normalisation. */
function foldCodePoint(cp: string, opts: MatchOptions): string {
  const c = cp.charCodeAt(0);
  if (c < 0x80 && c !== 0x60 && c !== 0x09) return !opts.caseSensitive && c >= 0x41 && c <= 0x5a ? String.fromCharCode(c + 32) : cp;
  const cache = FOLDED[(opts.caseSensitive ? 1 : 0) + (opts.diacriticSensitive ? 2 : 0)] as Map<string, string>;
  let f = cache.get(cp);
  if (f === undefined) {
    f = fold(cp, opts);
    if (cache.size < 65_536) cache.set(cp, f);
  }
  return f;
}
/** Foldings of the non-ASCII code points met so far, by options: a text uses few distinct ones. */
const FOLDED = [new Map<string, string>(), new Map<string, string>(), new Map<string, string>(), new Map<string, string>()];

/** The article text folded once, searchable many times (one surface per gazetteer entry). */
export class FoldedText {
  private readonly folded: string;
  /** For each UTF-16 unit of `folded`, the code point index in the article it came from. */
  private readonly origin: Int32Array;
  /** The article's code points, to check word boundaries and extend over trailing marks. */
  private readonly codePoints: string[];

  constructor(text: string, private readonly opts: MatchOptions = DEFAULT_MATCH) {
    this.codePoints = Array.from(text);
    // News text is mostly ASCII: those characters fold to themselves (or their lower case) without
    // the regular expressions and normalisation the others need. 1.8 MB in ~60 ms instead of ~500.
    const folded: string[] = new Array<string>(this.codePoints.length);
    let origin = new Int32Array(text.length + 16);
    let n = 0;
    for (let i = 0; i < this.codePoints.length; i++) {
      const f = foldCodePoint(this.codePoints[i] as string, opts);
      folded[i] = f;
      for (let k = 0; k < f.length; k++) {
        if (n === origin.length) {
          // A folding longer than its character ('İ' → 'i̇'): rare, so grow by doubling.
          const bigger = new Int32Array(origin.length * 2);
          bigger.set(origin);
          origin = bigger;
        }
        origin[n++] = i;
      }
    }
    this.folded = folded.join('');
    this.origin = origin.subarray(0, n);
  }

  /** Code point spans of every occurrence of `surface`, in order, not overlapping each other. */
  find(surface: string): Span[] {
    const needle = foldedNeedle(surface, this.opts);
    if (needle === '') return [];
    const out: Span[] = [];
    let from = 0;
    for (;;) {
      const at = this.folded.indexOf(needle, from);
      if (at < 0) return out;
      const span = this.spanOf(at, at + needle.length);
      if (span) {
        out.push(span);
        from = at + needle.length;
      } else {
        from = at + 1;
      }
    }
  }

  /**
   * What `find` gives for each needle of `automaton` (built from `foldedNeedle`s with this text's
   * options), in one scan of the text: `sink(needle, span)` in order of the spans' ends.
   */
  findAll(automaton: SurfaceAutomaton, sink: (needle: number, span: Span) => void): void {
    // `find` takes the leftmost occurrence, then the next one starting after it: per needle, an
    // occurrence counts if it starts at or after the end of the last one taken and fits words.
    const from = new Map<number, number>();
    automaton.scan(this.folded, (needle, at) => {
      if (at < (from.get(needle) ?? 0)) return;
      const span = this.spanOf(at, at + (automaton.lengths[needle] as number));
      if (!span) return;
      from.set(needle, at + (automaton.lengths[needle] as number));
      sink(needle, span);
    });
  }

  /** The article span of folded units [from, to), or undefined when it cuts a character or a word. */
  private spanOf(from: number, to: number): Span | undefined {
    const start = this.origin[from] as number;
    // A match must begin and end on whole code points: 'ss' inside the folding of 'ß' is no match.
    if (from > 0 && this.origin[from - 1] === start) return undefined;
    const last = this.origin[to - 1] as number;
    if (to < this.folded.length && this.origin[to] === last) return undefined;
    let end = last + 1;
    // Combining marks fold to nothing: keep them with the letter they sit on.
    while (end < this.codePoints.length && MARK.test(this.codePoints[end] as string)) end++;
    if (this.opts.wholeWord) {
      const first = this.codePoints[start] as string;
      const lastCp = this.codePoints[end - 1] as string;
      const before = this.codePoints[start - 1];
      const after = this.codePoints[end];
      if (WORD.test(first) && before !== undefined && WORD.test(before)) return undefined;
      if (WORD.test(lastCp) && after !== undefined && WORD.test(after)) return undefined;
    }
    return { start, end };
  }
}

export function findOccurrences(text: string, surface: string, opts: MatchOptions = DEFAULT_MATCH): Span[] {
  return new FoldedText(text, opts).find(surface);
}

/**
 * The spans that overlap no entity (suggestions included) and no earlier span of the list:
 * an occurrence already annotated, or inside an annotation, is not proposed again.
 */
export function uncovered(spans: readonly Span[], entities: readonly Entity[]): Span[] {
  // Entities may overlap each other: sorted by start with a running maximum of ends, "does any
  // entity starting before s.end end after s.start" is one binary search. Accepted spans never
  // overlap each other, so their neighbours in start order are enough. O((n + m) log n).
  const sorted = entities.map((e) => ({ start: e.start, end: e.end })).sort((x, y) => x.start - y.start);
  const maxEnd = new Float64Array(sorted.length);
  let m = -Infinity;
  sorted.forEach((e, i) => { m = Math.max(m, e.end); maxEnd[i] = m; });
  const lastStartingBefore = (arr: ReadonlyArray<Span>, end: number): number => {
    let lo = 0;
    let hi = arr.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((arr[mid] as Span).start < end) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  };
  const accepted: Span[] = [];
  const out: Span[] = [];
  for (const s of spans) {
    const i = lastStartingBefore(sorted, s.end);
    if (i >= 0 && (maxEnd[i] as number) > s.start) continue;
    const j = lastStartingBefore(accepted, s.end);
    if (j >= 0 && (accepted[j] as Span).end > s.start) continue;
    accepted.splice(j + 1, 0, s);
    out.push(s);
  }
  return out;
}

export interface ProposeOptions {
  match?: MatchOptions;
  /** `src` of the suggestions: `propagated` unless said otherwise. */
  src?: string;
  attrs?: Record<string, string>;
  random?: () => number;
}

/**
 * Proposes every uncovered occurrence of `surface` in the article as a `label` suggestion
 * (`suggested: true`): tag all occurrences, as questions an annotator answers, never silent writes.
 */
export function proposeOccurrences(s: Sidecar, article: Article, surface: string, label: string, opts: ProposeOptions = {}): { sidecar: Sidecar; added: Entity[] } {
  const spans = uncovered(findOccurrences(article.text, surface, opts.match ?? DEFAULT_MATCH), s.entities);
  if (spans.length === 0) return { sidecar: s, added: [] };
  const taken = new Set(s.entities.map((e) => e.id));
  const added = spans.map((span): Entity => {
    const id = newEntityId(taken, opts.random);
    taken.add(id);
    const e: Entity = { id, label, start: span.start, end: span.end, text: article.offsets.slice(span.start, span.end), src: opts.src ?? 'propagated', suggested: true };
    if (opts.attrs && Object.keys(opts.attrs).length > 0) e.attrs = { ...opts.attrs };
    return e;
  });
  return { sidecar: { ...s, entities: [...s.entities, ...added] }, added };
}
