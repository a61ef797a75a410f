// Bounded approximate string matching for re-anchoring: where, in a window of the new article,
// does a quote occur with at most k edits (insertions, deletions, substitutions of code points)?
// Sellers' dynamic programming, O(quote × window) cells, charged to a caller's work budget so a
// long text can never make it hang.

/** A work allowance shared by the searches of one document: each unit is about one comparison. */
export class Budget {
  private spent = 0;
  /** Set once a request was refused: some search was skipped. */
  exhausted = false;

  constructor(readonly limit: number) {}

  get left(): number {
    return Math.max(0, this.limit - this.spent);
  }

  /** Takes `units` if they are left; otherwise takes nothing, marks the budget exhausted and returns false. */
  take(units: number): boolean {
    if (this.spent + units > this.limit) {
      this.exhausted = true;
      return false;
    }
    this.spent += units;
    return true;
  }
}

export interface FuzzyMatch {
  /** Code point offsets into the haystack, end-exclusive. */
  start: number;
  end: number;
  /** Edit distance between the quote and haystack[start, end). */
  distance: number;
  /** Boundaries that cut a word where the quote's own boundary does not (0, 1 or 2). */
  cutWords: number;
}

/** The code points of a string, as numbers. */
export function codePoints(s: string): number[] {
  const out: number[] = [];
  for (const ch of s) out.push(ch.codePointAt(0) as number);
  return out;
}

const WORD = /^[\p{L}\p{M}\p{N}_]$/u;

export function isWordCodePoint(cp: number | undefined): boolean {
  return cp !== undefined && WORD.test(String.fromCodePoint(cp));
}

/**
 * Approximate occurrences of `needle` in `hay` with at most `k` edits: for each group of
 * neighbouring end positions, the one best span, preferring (in this order) fewer edits plus
 * word cuts, a length closer to the needle's, an earlier start. Sorted by start.
 * Returns undefined when the budget cannot pay for the search (nothing is searched then).
 */
export function fuzzyFind(needle: readonly number[], hay: readonly number[], k: number, budget: Budget): FuzzyMatch[] | undefined {
  const m = needle.length;
  const n = hay.length;
  if (m === 0 || k < 0) return [];
  if (!budget.take(m * (n + 1))) return undefined;
  // Sellers: column j holds, for each needle prefix, the least edits of a substring ending at j.
  const col = new Int32Array(m + 1);
  for (let i = 0; i <= m; i++) col[i] = i;
  const ends: number[] = [];
  if (m <= k) ends.push(0);
  for (let j = 1; j <= n; j++) {
    const c = hay[j - 1];
    let diag = 0; // col[i-1] of the previous column; row 0 is always 0 (free start)
    for (let i = 1; i <= m; i++) {
      const up = col[i] as number;
      const left = col[i - 1] as number;
      const sub = diag + (needle[i - 1] === c ? 0 : 1);
      diag = up;
      col[i] = Math.min(up + 1, left + 1, sub);
    }
    if ((col[m] as number) <= k) ends.push(j);
  }
  // Ends within k+1 of each other belong to one occurrence.
  const groups: number[][] = [];
  for (const e of ends) {
    const last = groups[groups.length - 1];
    if (last && e - (last[last.length - 1] as number) <= k + 1) last.push(e);
    else groups.push([e]);
  }
  const out: FuzzyMatch[] = [];
  for (const group of groups) {
    let best: FuzzyMatch | undefined;
    for (const end of group) {
      const starts = startsFor(needle, hay, end, k, budget);
      if (!starts) return undefined;
      for (const [start, distance] of starts) {
        if (start >= end) continue;
        const cand: FuzzyMatch = { start, end, distance, cutWords: cutWords(needle, hay, start, end) };
        if (!best || better(cand, best, m)) best = cand;
      }
    }
    if (best) out.push(best);
  }
  // Two groups can settle on overlapping spans; keep the better of each overlapping pair.
  out.sort((a, b) => a.start - b.start);
  const kept: FuzzyMatch[] = [];
  for (const f of out) {
    const prev = kept[kept.length - 1];
    if (prev && f.start < prev.end) {
      if (better(f, prev, m)) kept[kept.length - 1] = f;
    } else kept.push(f);
  }
  return kept;
}

function better(a: FuzzyMatch, b: FuzzyMatch, m: number): boolean {
  const ca = a.distance + a.cutWords;
  const cb = b.distance + b.cutWords;
  if (ca !== cb) return ca < cb;
  const la = Math.abs(a.end - a.start - m);
  const lb = Math.abs(b.end - b.start - m);
  if (la !== lb) return la < lb;
  return a.start < b.start;
}

/** For a fixed end, the edit distance of the needle to hay[s, end) for each start s that stays within k. */
function startsFor(needle: readonly number[], hay: readonly number[], end: number, k: number, budget: Budget): Array<[number, number]> | undefined {
  const m = needle.length;
  const span = Math.min(end, m + k);
  if (!budget.take(m * (span + 1))) return undefined;
  // Needle and haystack both read backwards from `end`: row i = the needle's last i code points,
  // column j = the haystack's j code points before `end`. Global alignment: no free start.
  let prev = new Int32Array(span + 1);
  for (let j = 0; j <= span; j++) prev[j] = j;
  let cur = new Int32Array(span + 1);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    const a = needle[m - i];
    for (let j = 1; j <= span; j++) {
      const sub = (prev[j - 1] as number) + (a === hay[end - j] ? 0 : 1);
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, sub);
    }
    [prev, cur] = [cur, prev];
  }
  const out: Array<[number, number]> = [];
  for (let j = 0; j <= span; j++) {
    if ((prev[j] as number) <= k) out.push([end - j, prev[j] as number]);
  }
  return out;
}

/** How many of the span's two boundaries split a word although the needle's matching boundary does not. */
function cutWords(needle: readonly number[], hay: readonly number[], start: number, end: number): number {
  let cuts = 0;
  if (isWordCodePoint(needle[0]) && isWordCodePoint(hay[start]) && isWordCodePoint(hay[start - 1])) cuts++;
  if (isWordCodePoint(needle[needle.length - 1]) && isWordCodePoint(hay[end - 1]) && isWordCodePoint(hay[end])) cuts++;
  return cuts;
}

/** Levenshtein distance of two code point sequences (small inputs: context snippets). */
export function editDistance(a: readonly number[], b: readonly number[]): number {
  let prev = new Int32Array(b.length + 1);
  let cur = new Int32Array(b.length + 1);
  for (let j = 0; j <= b.length; j++) prev[j] = j;
  for (let i = 1; i <= a.length; i++) {
    cur[0] = i;
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    [prev, cur] = [cur, prev];
  }
  return prev[b.length] as number;
}
