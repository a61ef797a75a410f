// Re-anchoring: finding a sidecar's entities again after their article changed outside the
// editor (re-scraped, merged, re-encoded), when the edits themselves are unknown and only the
// entities' old offsets and quotes (`text`) remain — plus, when the caller has it, the old text.
//
// The rule above all: a confident wrong match is worse than an orphan. An entity is moved only
// when the evidence points at one place; otherwise it is reported as ambiguous (several places
// fit) or orphaned (none does), and the caller decides.
//
// 1. Alignment by shared shifts. Every exact occurrence of each entity's quote near its old
//    position is a candidate, with a shift (new start − old start). Unedited stretches of text
//    move in one piece, so neighbouring entities share a shift, and entities keep their order.
//    A dynamic programme picks, over all entities at once, the order-preserving assignment with
//    the fewest shift changes (each costs 1: at least one edit), where leaving an entity out costs
//    0.75 and starting with a shift other than 0 costs 1. So an entity is placed here only when
//    it shares its shift with a neighbour (or sits at its stored offsets at the start), and two
//    candidates that explain the text equally well leave the entity unresolved.
// 2. Entity by entity, between the neighbours placed so far (never across them, never onto the
//    span of an identical entity): exact occurrences near where the neighbours' shifts put it;
//    several → the old text's context when known, else the nearest if it is clearly the nearest,
//    else ambiguous; none → a fuzzy match (quotes of 4+ code points, at most min(len/4, 8) edits,
//    digits unchanged, unique); else orphan.
// All searching is charged to a work budget: a huge article ends with orphans, never a hang.
//
// Context (the text just before and after an entity) is NOT stored in sidecars: writing a
// `prefix`/`suffix` on every entity line would change every existing line, make lines three
// times longer, and — worse — turn every edit of the article next to an entity into a change of
// that entity's line, i.e. into diff noise and merge conflicts between annotators, which the
// one-line-per-entity format exists to avoid. Instead the caller passes the old article text
// when it has it (`oldText`): the extension keeps the last text it saw in memory, the CLI asks
// git for the version whose sha256 the sidecar records (exactly the text the offsets were made
// for), and the context is computed from it. Without it, repeated quotes stay ambiguous.
import { Article } from '../model/article';
import { Span } from '../model/edits';
import { Budget, codePoints, editDistance, fuzzyFind } from '../text/fuzzy';
import { compareEntities, Entity, Sidecar } from '../model/model';
import { codePointLength, OffsetMap } from '../model/offsets';
import { countBelow } from '../text/sorted-search';

/** Code point offsets, end-exclusive (of the new article, except `from` and the entities' old ones). */
export type { Span };

/**
 * How a moved entity was found: `exact-near` its quote, exactly, where its neighbours' shifts
 * put it; `context` its quote, exactly, at the one of several occurrences whose surrounding
 * text matches the old article's; `fuzzy` a slightly different text (a typo fixed, an accent
 * changed): its `text` is updated, and it deserves a look; `chosen` the annotator picked it
 * among ambiguous candidates.
 */
export type MoveHow = 'exact-near' | 'context' | 'fuzzy' | 'chosen';

export interface MovedEntity {
  /** The entity at its new place (for `fuzzy`, with the new text). */
  entity: Entity;
  /** Where it was (old offsets). */
  from: Span;
  how: MoveHow;
  /** For `fuzzy`: the old text, and the number of code point edits between it and the new one. */
  previousText?: string;
  distance?: number;
}

export interface AmbiguousEntity {
  /** The entity as it was (old offsets). */
  entity: Entity;
  /** Places in the new article where it fits equally well (at most MAX_LISTED, by position). */
  candidates: Span[];
}

export interface ReanchorResult {
  /** Every entity found again, kept in place or moved, canonical order; each one's text is the article's [start, end). */
  entities: Entity[];
  /** The entities among them whose offsets or text changed, in the old order. */
  moved: MovedEntity[];
  /** Entities that fit several places equally well: not moved. */
  ambiguous: AmbiguousEntity[];
  /** Entities found nowhere (their text was deleted or rewritten): not moved. */
  orphans: Entity[];
  /** The work budget ran out: some searches were skipped (their entities are among the orphans). */
  exhausted: boolean;
}

export interface ReanchorOptions {
  /**
   * The article text the entities' offsets were made for (BOM removed), when the caller still
   * has it (the extension's last saved text, the CLI's `git show` of the version whose sha256
   * the sidecar records). The text around each entity then tells apart several occurrences of
   * its quote. Ignored for an entity whose quote it does not hold at the entity's offsets.
   */
  oldText?: string;
  /** Code points of context on each side compared (default 32). */
  contextLength?: number;
  /** How far from where its neighbours put it an entity is searched for (default 10 000 code points). */
  maxShift?: number;
  /** Work units (≈ character comparisons) for the whole document (default 300 million, about a second). */
  budget?: number;
  /** Whether to try fuzzy matches (default true). */
  fuzzy?: boolean;
}

export const DEFAULT_BUDGET = 300_000_000;
export const DEFAULT_MAX_SHIFT = 10_000;
export const DEFAULT_CONTEXT = 32;
/** Quotes this short (in code points) are never matched fuzzily: too many near-misses everywhere. */
export const MIN_FUZZY_LENGTH = 4;
/** Quotes longer than this are not matched fuzzily (the cost grows with their length). */
export const MAX_FUZZY_LENGTH = 512;
/** Candidates listed for an ambiguous entity. */
export const MAX_LISTED = 10;

/** Most edits a fuzzy match of a quote of `length` code points may have: min(⌊length/4⌋, 8), 0 below 4. */
export function maxFuzzyEdits(length: number): number {
  return length < MIN_FUZZY_LENGTH ? 0 : Math.min(Math.floor(length / 4), 8);
}

const ORPHAN_COST = 0.75;
const SHIFT_COST = 1;
const EPS = 1e-6;
/** Candidates per entity in the alignment: the occurrences nearest to its old position. */
const NEAREST = 32;
/** Occurrences of one quote collected in one scan; beyond, searches are windowed. */
const MAX_OCCURRENCES = 20_000;
/** How far around its expected place a fuzzy match is looked for. */
const FUZZY_RADIUS = 2_000;
/** Occurrences compared by context. */
const MAX_CONTEXT_CANDIDATES = 64;

interface Item {
  entity: Entity;
  /** Position in the old order. */
  index: number;
  /** Code point length of the quote. */
  length: number;
  /** New placement, once decided. */
  placed?: { start: number; end: number; how: MoveHow | 'kept'; text: string; distance?: number };
}

/** Does the sidecar need re-anchoring for this article: a different hash, or an entity whose text no longer matches? */
export function needsReanchor(sidecar: Sidecar, article: Article): boolean {
  if (sidecar.sha256 !== undefined && sidecar.sha256 !== article.sha256) return true;
  const length = article.offsets.codePointLength;
  return sidecar.entities.some((e) => e.end > length || article.offsets.slice(e.start, e.end) !== e.text);
}

/**
 * The sidecar after re-anchoring, with the article's new sha256 (when it had one), or undefined
 * while entities are unresolved: ambiguous ones always, orphans unless `dropOrphans` (which
 * removes them — the caller says so to the user). Never mutates its inputs.
 */
export function reanchoredSidecar(sidecar: Sidecar, article: Article, result: ReanchorResult, opts: { dropOrphans?: boolean } = {}): Sidecar | undefined {
  if (result.ambiguous.length > 0) return undefined;
  if (result.orphans.length > 0 && !opts.dropOrphans) return undefined;
  const out: Sidecar = { ...sidecar, entities: [...result.entities] };
  if (sidecar.sha256 !== undefined) out.sha256 = article.sha256;
  return out;
}

/**
 * The annotator's decision on an ambiguous entity: placed at one of its candidates (`choice`, which
 * must be one of them) or given up as an orphan ('drop'). Returns the updated result, or undefined
 * when the entity is not ambiguous or the span is not a candidate. Pure.
 */
export function settleAmbiguous(result: ReanchorResult, article: Article | OffsetMap | string, entityId: string, choice: Span | 'drop'): ReanchorResult | undefined {
  const item = result.ambiguous.find((a) => a.entity.id === entityId);
  if (!item) return undefined;
  const ambiguous = result.ambiguous.filter((a) => a !== item);
  if (choice === 'drop') return { ...result, ambiguous, orphans: [...result.orphans, item.entity] };
  if (!item.candidates.some((c) => c.start === choice.start && c.end === choice.end)) return undefined;
  // Two entities of one label on one span would be a duplicate: that place is taken.
  if (result.entities.some((e) => e.start === choice.start && e.end === choice.end && e.label === item.entity.label)) return undefined;
  const map = toMap(article);
  const placed: Entity = { ...item.entity, start: choice.start, end: choice.end, text: map.slice(choice.start, choice.end) };
  const moved: MovedEntity = { entity: placed, from: { start: item.entity.start, end: item.entity.end }, how: 'chosen' };
  return { ...result, ambiguous, entities: [...result.entities, placed].sort(compareEntities), moved: [...result.moved, moved] };
}

/** Finds the entities again in the new article. Pure and deterministic; never throws on odd input. */
export function reanchor(entities: readonly Entity[], newArticle: Article | OffsetMap | string, opts: ReanchorOptions = {}): ReanchorResult {
  return new Reanchorer(entities, toMap(newArticle), opts).run();
}

function toMap(a: Article | OffsetMap | string): OffsetMap {
  if (typeof a === 'string') return new OffsetMap(a);
  if (a instanceof OffsetMap) return a;
  return a.offsets;
}

interface Occurrences {
  /** Code point starts, ascending. */
  starts: number[];
  /** Every occurrence in the article is listed (false: the scan stopped early or never ran). */
  complete: boolean;
}

class Reanchorer {
  private readonly items: Item[];
  private readonly text: string;
  private readonly budget: Budget;
  private readonly maxShift: number;
  private readonly contextLength: number;
  private readonly oldMap: OffsetMap | undefined;
  private readonly occurrences = new Map<string, Occurrences>();
  private readonly placedSpans = new Set<string>();
  /** Entities placed entity by entity, after the alignment. */
  private readonly phase2 = new Set<Item>();
  private aligned = false;

  constructor(entities: readonly Entity[], private readonly map: OffsetMap, private readonly opts: ReanchorOptions) {
    this.text = map.text;
    this.items = [...entities].sort(compareEntities).map((entity, index) => ({ entity, index, length: codePointLength(entity.text) }));
    this.budget = new Budget(opts.budget ?? DEFAULT_BUDGET);
    this.maxShift = Math.max(0, opts.maxShift ?? DEFAULT_MAX_SHIFT);
    this.contextLength = Math.max(0, opts.contextLength ?? DEFAULT_CONTEXT);
    this.oldMap = opts.oldText !== undefined ? new OffsetMap(opts.oldText) : undefined;
  }

  run(): ReanchorResult {
    this.align();
    this.aligned = true;
    const ambiguous: AmbiguousEntity[] = [];
    const orphans: Entity[] = [];
    // Phase 2: each entity on its own, between the entities the alignment placed around it.
    // (Not between those placed in this phase: one wrong guess must not push the next entity
    // out of its window.)
    const [prevOf, nextOf] = this.backbone();
    for (const item of this.items) {
      if (item.placed) continue;
      const prev = prevOf[item.index];
      const next = nextOf[item.index];
      const found = this.searchBetween(item, prev === undefined ? undefined : this.items[prev], next === undefined ? undefined : this.items[next]);
      if (found.kind === 'ambiguous') ambiguous.push({ entity: item.entity, candidates: found.candidates });
      else if (found.kind === 'orphan') orphans.push(item.entity);
    }
    this.uncross();
    return this.result(ambiguous, orphans);
  }

  // ---- Phase 1: the alignment --------------------------------------------------------------

  private align(): void {
    const items = this.items;
    const n = items.length;
    // Candidates, flattened: entity index, new start, shift.
    const candItem: number[] = [];
    const candStart: number[] = [];
    const first: number[] = [];
    for (const item of items) {
      first.push(candItem.length);
      for (const s of this.candidates(item)) {
        candItem.push(item.index);
        candStart.push(s);
      }
    }
    first.push(candItem.length);
    const P = candItem.length;
    if (P === 0) return;
    const shift = (c: number) => (candStart[c] as number) - (items[candItem[c] as number] as Item).entity.start;
    const positions = [...new Set(candStart)].sort((a, b) => a - b);
    const rank = new Map(positions.map((p, i) => [p, i]));
    const U = positions.length;
    // Groups: runs of entities with the same old start (they can only share a shift).
    const groups: Array<[number, number]> = [];
    for (let i = 0; i < n; ) {
      let j = i + 1;
      while (j < n && (items[j] as Item).entity.start === (items[i] as Item).entity.start) j++;
      groups.push([i, j]);
      i = j;
    }

    // Forward: G[c] = best cost of a prefix ending with c placed, relative to orphaning all before.
    const G = new Float64Array(P);
    const back = new Int32Array(P).fill(-1);
    {
      const same = new Map<number, [number, number]>();
      const fen = new MinFenwick(U);
      for (const [gs, ge] of groups) {
        for (let i = gs; i < ge; i++) {
          const updates: Array<[number, number]> = [];
          for (let c = first[i] as number; c < (first[i + 1] as number); c++) {
            const d = shift(c);
            let best = d === 0 ? 0 : SHIFT_COST;
            let from = -1;
            const s = same.get(d);
            if (s && s[0] - ORPHAN_COST < best - EPS) { best = s[0] - ORPHAN_COST; from = s[1]; }
            const [pm, pc] = fen.prefix((rank.get(candStart[c] as number) as number) - 1);
            if (pc >= 0 && pm + SHIFT_COST - ORPHAN_COST < best - EPS) { best = pm + SHIFT_COST - ORPHAN_COST; from = pc; }
            G[c] = best;
            back[c] = from;
            updates.push([d, c]);
          }
          for (const [d, c] of updates) {
            const s = same.get(d);
            if (!s || (G[c] as number) < s[0] - EPS) same.set(d, [G[c] as number, c]);
          }
        }
        for (let i = gs; i < ge; i++) {
          for (let c = first[i] as number; c < (first[i + 1] as number); c++) fen.update(rank.get(candStart[c] as number) as number, G[c] as number, c);
        }
      }
    }
    // Backward: J[c] = best cost of the suffix after c, relative to orphaning all after.
    const J = new Float64Array(P);
    {
      const same = new Map<number, number>();
      const fen = new MinFenwick(U); // indexed by reversed rank: a prefix is "positions after"
      for (let g = groups.length - 1; g >= 0; g--) {
        const [gs, ge] = groups[g] as [number, number];
        for (let i = ge - 1; i >= gs; i--) {
          const updates: Array<[number, number]> = [];
          for (let c = first[i] as number; c < (first[i + 1] as number); c++) {
            const d = shift(c);
            let best = 0;
            const s = same.get(d);
            if (s !== undefined) best = Math.min(best, s - ORPHAN_COST);
            const [pm, pc] = fen.prefix(U - 1 - (rank.get(candStart[c] as number) as number) - 1);
            if (pc >= 0) best = Math.min(best, pm + SHIFT_COST - ORPHAN_COST);
            J[c] = best;
            updates.push([d, c]);
          }
          for (const [d, c] of updates) {
            const s = same.get(d);
            if (s === undefined || (J[c] as number) < s) same.set(d, J[c] as number);
          }
        }
        for (let i = gs; i < ge; i++) {
          for (let c = first[i] as number; c < (first[i + 1] as number); c++) fen.update(U - 1 - (rank.get(candStart[c] as number) as number), J[c] as number, c);
        }
      }
    }
    // The best path (ties: the one ending last, i.e. placing the most), then its placements that
    // no other candidate of the same entity could replace at the same cost.
    // Costs are relative to orphaning every entity after the path's end; orphaning all costs ORPHAN_COST.
    let opt = ORPHAN_COST;
    for (let c = 0; c < P; c++) opt = Math.min(opt, G[c] as number);
    let end = -1;
    for (let c = 0; c < P; c++) if ((G[c] as number) <= opt + EPS) end = c;
    const through = (c: number) => (G[c] as number) + (J[c] as number);
    for (let c = end; c >= 0; c = back[c] as number) {
      const item = items[candItem[c] as number] as Item;
      let rivals = 0;
      for (let o = first[item.index] as number; o < (first[item.index + 1] as number); o++) {
        if (o !== c && through(o) <= opt + EPS) rivals++;
      }
      if (rivals > 0) continue;
      const start = candStart[c] as number;
      // Shared shifts are evidence, not proof: where the old text says the entity stood among
      // other words than here, and another occurrence has those words around it, the choice is
      // left to phase 2, which weighs the context (a stale offset that lands on the same word).
      if (this.contextPrefersAnother(item, start)) continue;
      this.place(item, { start, end: start + item.length, how: 'exact-near', text: item.entity.text });
    }
  }

  /** Code point starts of the quote's exact occurrences nearest to the entity's old start. */
  private candidates(item: Item): number[] {
    const quote = item.entity.text;
    if (quote === '' || item.length > this.map.codePointLength) return [];
    const occ = this.scan(quote);
    let starts = occ.starts;
    if (!occ.complete) starts = this.scanWindow(quote, item.entity.start - this.maxShift, item.entity.start + this.maxShift) ?? [];
    if (starts.length <= NEAREST) return starts;
    // The NEAREST closest to the old start, in order.
    let i = countBelow(starts, item.entity.start);
    let lo = i - 1;
    const out: number[] = [];
    while (out.length < NEAREST && (lo >= 0 || i < starts.length)) {
      const left = lo >= 0 ? item.entity.start - (starts[lo] as number) : Infinity;
      const right = i < starts.length ? (starts[i] as number) - item.entity.start : Infinity;
      if (left <= right) out.push(starts[lo--] as number);
      else out.push(starts[i++] as number);
    }
    return out.sort((a, b) => a - b);
  }

  /** Every occurrence of the quote (once per distinct quote), when the budget allows a full scan. */
  private scan(quote: string): Occurrences {
    let occ = this.occurrences.get(quote);
    if (occ) return occ;
    occ = { starts: [], complete: false };
    if (this.budget.take(this.text.length + quote.length)) {
      const found = this.findUtf16(quote, 0, this.text.length, MAX_OCCURRENCES);
      occ = { starts: found.starts, complete: found.complete };
    }
    this.occurrences.set(quote, occ);
    return occ;
  }

  /** Occurrences starting in [fromCp, toCp] (code points); undefined when the budget cannot pay. */
  private scanWindow(quote: string, fromCp: number, toCp: number): number[] | undefined {
    const from = Math.max(0, fromCp);
    const to = Math.min(this.map.codePointLength, toCp);
    if (to < from) return [];
    const occ = this.occurrences.get(quote);
    if (occ?.complete) return occ.starts.slice(countBelow(occ.starts, from), countBelow(occ.starts, to + 1));
    const u16From = this.map.toUtf16(from);
    const u16To = this.map.toUtf16(to);
    if (!this.budget.take(u16To - u16From + quote.length)) return undefined;
    return this.findUtf16(quote, u16From, u16To, MAX_OCCURRENCES).starts;
  }

  /** Exact occurrences starting at UTF-16 offsets [from, to], that split no surrogate pair, as code point starts. */
  private findUtf16(quote: string, from: number, to: number, cap: number): { starts: number[]; complete: boolean } {
    const starts: number[] = [];
    for (let i = this.text.indexOf(quote, from); i >= 0 && i <= to; i = this.text.indexOf(quote, i + 1)) {
      if (splitsPair(this.text, i) || splitsPair(this.text, i + quote.length)) continue;
      if (starts.length >= cap) return { starts, complete: false };
      starts.push(this.map.toCodePoint(i));
    }
    return { starts, complete: true };
  }

  /** For each entity, the indexes of the previous and next entities placed by the alignment. */
  private backbone(): [Array<number | undefined>, Array<number | undefined>] {
    const n = this.items.length;
    const prev: Array<number | undefined> = new Array(n);
    const next: Array<number | undefined> = new Array(n);
    let last: number | undefined;
    for (let i = 0; i < n; i++) {
      prev[i] = last;
      if ((this.items[i] as Item).placed) last = i;
    }
    last = undefined;
    for (let i = n - 1; i >= 0; i--) {
      next[i] = last;
      if ((this.items[i] as Item).placed) last = i;
    }
    return [prev, next];
  }

  /**
   * Entities with the same quote and label placed in this phase keep their old order among
   * themselves: the same set of spans, handed out in order (a crossing is never more likely).
   */
  private uncross(): void {
    const groups = new Map<string, Item[]>();
    for (const item of this.items) {
      const p = item.placed;
      if (!p || !this.phase2.has(item)) continue;
      const key = `${item.entity.label}\u0000${item.entity.text}`;
      const g = groups.get(key);
      if (g) g.push(item);
      else groups.set(key, [item]);
    }
    for (const g of groups.values()) {
      if (g.length < 2) continue;
      const placements = g.map((it) => it.placed as NonNullable<Item['placed']>).sort((a, b) => a.start - b.start || a.end - b.end);
      g.forEach((it, i) => {
        const p = { ...(placements[i] as NonNullable<Item['placed']>) };
        if (p.how !== 'fuzzy') p.how = p.start === it.entity.start && p.end === it.entity.end ? 'kept' : 'exact-near';
        it.placed = p;
      });
    }
  }

  // ---- Phase 2: one entity between its placed neighbours ------------------------------------

  private searchBetween(item: Item, prev: Item | undefined, next: Item | undefined):
    { kind: 'placed' } | { kind: 'ambiguous'; candidates: Span[] } | { kind: 'orphan' } {
    const e = item.entity;
    const len = item.length;
    if (len === 0 || len > this.map.codePointLength) return { kind: 'orphan' };
    // Allowed starts: strictly between the neighbours' starts (equal to a neighbour's when the
    // old starts were equal), so the entities keep their order.
    let lo = 0;
    let hi = this.map.codePointLength - len;
    if (prev?.placed) lo = prev.entity.start === e.start ? prev.placed.start : prev.placed.start + 1;
    if (next?.placed) hi = Math.min(hi, next.entity.start === e.start ? next.placed.start : next.placed.start - 1);
    if (prev?.placed && prev.entity.start === e.start) hi = Math.min(hi, prev.placed.start);
    if (next?.placed && next.entity.start === e.start) lo = Math.max(lo, next.placed.start);
    if (hi < lo) return { kind: 'orphan' };
    // Where the neighbours' shifts put it.
    const dPrev = prev?.placed ? prev.placed.start - prev.entity.start : 0;
    const dNext = next?.placed ? next.placed.start - next.entity.start : dPrev;
    const expLo = e.start + Math.min(dPrev, dNext);
    const expHi = e.start + Math.max(dPrev, dNext);
    const distance = (s: number) => (s < expLo ? expLo - s : s > expHi ? s - expHi : 0);
    const from = Math.max(lo, expLo - this.maxShift);
    const to = Math.min(hi, expHi + this.maxShift);
    if (to < from) return { kind: 'orphan' };

    const exact = this.scanWindow(e.text, from, to);
    if (exact === undefined) return { kind: 'orphan' };
    const spans = exact.filter((s) => !this.taken(e.label, s, s + len)).map((s) => ({ start: s, end: s + len }));
    if (spans.length > 0) {
      const pick = this.choose(item, spans, distance);
      if (pick.kind === 'one') {
        this.place(item, { start: pick.span.start, end: pick.span.end, how: pick.byContext ? 'context' : 'exact-near', text: e.text });
        return { kind: 'placed' };
      }
      return { kind: 'ambiguous', candidates: pick.spans.slice(0, MAX_LISTED) };
    }
    if (this.opts.fuzzy === false) return { kind: 'orphan' };
    const k = maxFuzzyEdits(len);
    if (k === 0 || len > MAX_FUZZY_LENGTH) return { kind: 'orphan' };
    const fFrom = Math.max(lo, expLo - FUZZY_RADIUS);
    const fTo = Math.min(hi, expHi + FUZZY_RADIUS);
    if (fTo < fFrom) return { kind: 'orphan' };
    // The haystack: possible starts, room for the longest match, and one code point on each side
    // so that word boundaries at its edges are seen.
    const hayStart = Math.max(0, fFrom - 1);
    const hayEnd = Math.min(this.map.codePointLength, fTo + len + k + 1);
    if (!this.budget.take(hayEnd - hayStart)) return { kind: 'orphan' };
    const hay = codePoints(this.map.slice(hayStart, hayEnd));
    const needle = codePoints(e.text);
    const found = fuzzyFind(needle, hay, k, this.budget);
    if (found === undefined) return { kind: 'orphan' };
    const digits = digitsOf(e.text);
    const fuzzy = found
      .map((f) => ({ start: hayStart + f.start, end: hayStart + f.end, cost: f.distance + f.cutWords, distance: f.distance }))
      .filter((f) => f.start >= fFrom && f.start <= fTo && f.end > f.start)
      .filter((f) => !this.taken(e.label, f.start, f.end))
      .filter((f) => {
        const t = this.map.slice(f.start, f.end);
        return t !== e.text && digitsOf(t) === digits && !edgeAdded(t, e.text);
      });
    if (fuzzy.length === 0) return { kind: 'orphan' };
    const bestCost = Math.min(...fuzzy.map((f) => f.cost));
    const best = fuzzy.filter((f) => f.cost === bestCost);
    let chosen = best.length === 1 ? best[0] : undefined;
    if (!chosen) {
      const pick = this.choose(item, best, distance);
      if (pick.kind === 'one') chosen = best.find((f) => f.start === pick.span.start && f.end === pick.span.end);
      else return { kind: 'ambiguous', candidates: pick.spans.slice(0, MAX_LISTED) };
    }
    if (!chosen) return { kind: 'orphan' };
    this.place(item, { start: chosen.start, end: chosen.end, how: 'fuzzy', text: this.map.slice(chosen.start, chosen.end), distance: chosen.distance });
    return { kind: 'placed' };
  }

  /** One of several spans: the only one, the one whose context matches the old text's, or the clearly nearest. */
  private choose(item: Item, spans: Span[], distance: (s: number) => number):
    { kind: 'one'; span: Span; byContext: boolean } | { kind: 'many'; spans: Span[] } {
    if (spans.length === 1) return { kind: 'one', span: spans[0] as Span, byContext: false };
    const ctx = this.oldContext(item);
    if (ctx && spans.length <= MAX_CONTEXT_CANDIDATES) {
      const scored = spans.map((s) => ({ s, score: this.contextScore(ctx, s) })).sort((a, b) => b.score - a.score);
      const [a, b] = scored as [{ s: Span; score: number }, { s: Span; score: number }];
      if (a.score >= 0.5 && a.score - b.score >= 0.2) return { kind: 'one', span: a.s, byContext: true };
    }
    const byDistance = [...spans].sort((x, y) => distance(x.start) - distance(y.start) || x.start - y.start);
    const [a, b] = byDistance as [Span, Span];
    const da = distance(a.start);
    const db = distance(b.start);
    if (db > 3 * da + 32) return { kind: 'one', span: a, byContext: false };
    return { kind: 'many', spans: [...spans].sort((x, y) => x.start - y.start) };
  }

  /** With the old text known: another occurrence of the quote has clearly the old context, this one has not. */
  private contextPrefersAnother(item: Item, start: number): boolean {
    const ctx = this.oldContext(item);
    if (!ctx) return false;
    const others = this.candidates(item).filter((s) => s !== start);
    if (others.length === 0 || others.length >= MAX_CONTEXT_CANDIDATES) return false;
    const here = this.contextScore(ctx, { start, end: start + item.length });
    return others.some((s) => {
      const score = this.contextScore(ctx, { start: s, end: s + item.length });
      return score >= 0.5 && score - here >= 0.2;
    });
  }

  private oldContext(item: Item): { before: number[]; after: number[] } | undefined {
    const old = this.oldMap;
    const e = item.entity;
    if (!old || this.contextLength === 0 || e.end > old.codePointLength || old.slice(e.start, e.end) !== e.text) return undefined;
    return {
      before: codePoints(old.slice(Math.max(0, e.start - this.contextLength), e.start)),
      after: codePoints(old.slice(e.end, e.end + this.contextLength)),
    };
  }

  /** 0…1: how alike the text around the span is to the old text around the entity. */
  private contextScore(ctx: { before: number[]; after: number[] }, s: Span): number {
    const before = codePoints(this.map.slice(Math.max(0, s.start - this.contextLength), s.start));
    const after = codePoints(this.map.slice(s.end, s.end + this.contextLength));
    const sim = (a: number[], b: number[]) => {
      const longest = Math.max(a.length, b.length);
      return longest === 0 ? 1 : 1 - editDistance(a, b) / longest;
    };
    // The old context's end nearest the entity matters most: compare aligned on the entity.
    return (sim(ctx.before, before) + sim(ctx.after, after)) / 2;
  }

  private place(item: Item, placed: NonNullable<Item['placed']>): void {
    const e = item.entity;
    if (placed.how !== 'fuzzy' && placed.start === e.start && placed.end === e.end) placed.how = 'kept';
    item.placed = placed;
    if (this.aligned) this.phase2.add(item);
    this.placedSpans.add(spanKey(e.label, placed.start, placed.end));
  }

  /** A span already held by a placed entity with the same label: no second copy goes there. */
  private taken(label: string, start: number, end: number): boolean {
    return this.placedSpans.has(spanKey(label, start, end));
  }

  private result(ambiguous: AmbiguousEntity[], orphans: Entity[]): ReanchorResult {
    const entities: Entity[] = [];
    const moved: MovedEntity[] = [];
    for (const item of this.items) {
      const p = item.placed;
      if (!p) continue;
      const e = item.entity;
      // Every placement is checked against the article one last time.
      const actual = this.map.slice(p.start, p.end);
      if (actual !== p.text || actual === '' || (p.how !== 'fuzzy' && actual !== e.text)) {
        orphans.push(e);
        continue;
      }
      const next: Entity = p.how === 'kept' ? e : { ...e, start: p.start, end: p.end, text: actual };
      entities.push(next);
      if (p.how === 'kept') continue;
      const m: MovedEntity = { entity: next, from: { start: e.start, end: e.end }, how: p.how };
      if (p.how === 'fuzzy') {
        m.previousText = e.text;
        if (p.distance !== undefined) m.distance = p.distance;
      }
      moved.push(m);
    }
    const order = new Map(this.items.map((it) => [it.entity, it.index]));
    orphans.sort((a, b) => (order.get(a) as number) - (order.get(b) as number));
    const exhausted = this.budget.exhausted && orphans.length + ambiguous.length > 0;
    return { entities: entities.sort(compareEntities), moved, ambiguous, orphans, exhausted };
  }
}

/** Prefix minimum with its argument, over positions 0…size-1. */
class MinFenwick {
  private readonly val: Float64Array;
  private readonly arg: Int32Array;

  constructor(private readonly size: number) {
    this.val = new Float64Array(size + 1).fill(Infinity);
    this.arg = new Int32Array(size + 1).fill(-1);
  }

  update(pos: number, value: number, arg: number): void {
    for (let i = pos + 1; i <= this.size; i += i & -i) {
      if (value < (this.val[i] as number) - EPS) { this.val[i] = value; this.arg[i] = arg; }
    }
  }

  /** Minimum over positions 0…pos (inclusive); [Infinity, -1] when empty. */
  prefix(pos: number): [number, number] {
    let best = Infinity;
    let arg = -1;
    for (let i = Math.min(pos + 1, this.size); i > 0; i -= i & -i) {
      if ((this.val[i] as number) < best - EPS) { best = this.val[i] as number; arg = this.arg[i] as number; }
    }
    return [best, arg];
  }
}

/** True when UTF-16 offset i falls between the two halves of a surrogate pair. */
function splitsPair(s: string, i: number): boolean {
  if (i <= 0 || i >= s.length) return false;
  const lo = s.charCodeAt(i);
  const hi = s.charCodeAt(i - 1);
  return lo >= 0xdc00 && lo <= 0xdfff && hi >= 0xd800 && hi <= 0xdbff;
}

function spanKey(label: string, start: number, end: number): string {
  return `${start}:${end}:${label}`;
}

function digitsOf(s: string): string {
  return s.replace(/[^\p{Nd}]/gu, '');
}

/** A fuzzy match must not begin or end with white space or punctuation where the quote does not ("Mars," for "Maroc"). */
function edgeAdded(t: string, quote: string): boolean {
  const first = /^[\s\p{P}\p{S}]/u;
  const last = /[\s\p{P}\p{S}]$/u;
  return (first.test(t) && !first.test(quote)) || (last.test(t) && !last.test(quote));
}
