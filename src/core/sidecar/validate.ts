// Checks a structurally sound sidecar against its article and the label configuration.
import { Article } from '../model/article';
import { Entity, Sidecar } from '../model/model';
import { Problem, Severity } from '../model/problems';
import { OverlapPolicy } from '../config/config';
import { countAtOrBelow, countBelow } from '../text/sorted-search';

export interface ValidateOptions {
  /** Known label names; entities with another label get a warning. Omit to skip the check. */
  labels?: ReadonlySet<string>;
  overlap?: OverlapPolicy;
  /** The article's file name, to check the sidecar's `document`. */
  articleName?: string;
  /** Lines of entities (by id) and top-level keys, from the reader, to position problems. */
  entityLines?: ReadonlyMap<string, number>;
  keyLines?: ReadonlyMap<string, number>;
  /** Overlap problems listed one by one; the rest are counted in one more problem. */
  maxOverlapProblems?: number;
}

/** Beyond this, a sidecar's overlaps are counted, not listed: nobody reads 5 billion messages. */
export const MAX_OVERLAP_PROBLEMS = 100;

export function validateAgainstArticle(sidecar: Sidecar, article: Article, opts: ValidateOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const lineOf = (e: Entity) => opts.entityLines?.get(e.id) ?? 1;
  const add = (severity: Severity, code: string, line: number, message: string, entityId?: string) => {
    const p: Problem = { severity, code, message, line, column: 1 };
    if (entityId !== undefined) p.entityId = entityId;
    problems.push(p);
  };
  const length = article.offsets.codePointLength;
  const drifted = sidecar.sha256 !== undefined && sidecar.sha256 !== article.sha256;
  const driftHint = drifted ? ' The article changed since the sidecar was written (its sha256 differs): the entities need re-anchoring: run `corpus-annotator reanchor`.' : '';
  let mismatches = 0;

  for (const e of sidecar.entities) {
    if (e.end > length) {
      mismatches++;
      add('error', 'out-of-range', lineOf(e), `entity ${e.id} (${e.label} "${clip(e.text)}") ends at ${e.end}, past the end of the article (${length} characters).${driftHint}`, e.id);
      continue;
    }
    const actual = article.offsets.slice(e.start, e.end);
    if (actual !== e.text) {
      mismatches++;
      add('error', 'text-mismatch', lineOf(e), `entity ${e.id} (${e.label}) says its text is "${clip(e.text)}" but the article has "${clip(actual)}" at ${e.start}-${e.end}.${driftHint}`, e.id);
    }
    if (opts.labels && !opts.labels.has(e.label)) {
      add('warning', 'unknown-label', lineOf(e), `entity ${e.id} has the label "${e.label}", which is not in the label configuration (known: ${[...opts.labels].join(', ')})`, e.id);
    }
  }
  if (drifted && mismatches === 0) {
    // Matching text is no proof: an insertion can shift a repeated word onto a stale offset.
    add('warning', 'article-changed', opts.keyLines?.get('sha256') ?? 1, 'the article changed since this sidecar was written (sha256 differs); every entity\'s text is still at its offsets, but a repeated word may have moved there: `corpus-annotator reanchor` checks each entity against the old text around it and records the new hash');
  }
  if (opts.articleName !== undefined && sidecar.document !== '' && sidecar.document !== opts.articleName) {
    add('warning', 'document-name', opts.keyLines?.get('document') ?? 1, `\`document\` says "${sidecar.document}" but this sidecar belongs to "${opts.articleName}" (renamed or copied?); \`corpus-annotator fmt\` corrects it`);
  }
  if (opts.overlap && opts.overlap !== 'allow') {
    // A suggestion may overlap anything: it is a question, not an annotation.
    const policy = opts.overlap;
    const limit = opts.maxOverlapProblems ?? MAX_OVERLAP_PROBLEMS;
    const found = forbiddenOverlaps(sidecar.entities.filter((e) => e.suggested !== true), policy, limit);
    for (const [a, b] of found.pairs) {
      const nested = (a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end);
      add('error', 'overlap', lineOf(b), `entity ${b.id} (${b.label} "${clip(b.text)}") ${nested ? 'is nested in' : 'overlaps'} entity ${a.id} (${a.label} "${clip(a.text)}"), which the label configuration's overlap policy "${policy}" forbids.${driftHint}`, b.id);
    }
    if (found.firstUnlisted) {
      const more = found.total - found.pairs.length;
      add('error', 'overlap', lineOf(found.firstUnlisted), `${more} more overlapping pair${more === 1 ? '' : 's'} of entities that the overlap policy "${policy}" forbids, not listed (the first ${found.pairs.length} are), from entity ${found.firstUnlisted.id} on`, found.firstUnlisted.id);
    }
  }
  return problems.sort((x, y) => x.line - y.line || x.column - y.column);
}

export interface ForbiddenOverlaps {
  /** The first `limit` forbidden pairs, [earlier, later] in (start, longest first) order. */
  pairs: Array<[Entity, Entity]>;
  /** How many forbidden pairs there are in all (may be ~n²/2). */
  total: number;
  /** The later entity of the first pair not listed, if any. */
  firstUnlisted?: Entity;
}

/**
 * The pairs of entities an overlap policy forbids, in O(n log n + limit · n): `forbid`, every
 * pair whose spans overlap; `nested`, those that cross (neither contains the other).
 *
 * The pairs are those of a sweep over the entities sorted by start, longest first: a later
 * entity `e` meets every earlier `o` still open (`o.end > e.start`). In that order an earlier
 * entity starts no later than `e` and, on the same start, ends no earlier, so `o` and `e` nest
 * exactly when `e.end <= o.end`: they cross when `e.start < o.end < e.end`. Either condition
 * is a range of `o.end`, so a Fenwick tree over the ends seen so far counts each entity's pairs
 * in O(log n); the pairs themselves are looked up only until `limit` are listed. The former
 * sweep listed every open pair, also the nested ones it then dropped: 12k identical spans
 * took 4 GB and killed the process.
 */
export function forbiddenOverlaps(entities: readonly Entity[], policy: 'forbid' | 'nested', limit = Infinity): ForbiddenOverlaps {
  if (disjointInOrder(entities)) return { pairs: [], total: 0 };
  const sorted = [...entities].sort((a, b) => a.start - b.start || b.end - a.end);
  const ends = [...new Set(sorted.map((e) => e.end))].sort((a, b) => a - b);
  const seen = new Fenwick(ends.length);
  const forbidden = (o: Entity, e: Entity) => o.end > e.start && (policy === 'forbid' || o.end < e.end);
  const result: ForbiddenOverlaps = { pairs: [], total: 0 };
  for (let i = 0; i < sorted.length; i++) {
    const e = sorted[i] as Entity;
    // Earlier ends in (e.start, hi): ends are sorted, so that is a range of ranks.
    const below = countAtOrBelow(ends, e.start);
    const upTo = policy === 'forbid' ? ends.length : countBelow(ends, e.end);
    const count = upTo > below ? seen.prefix(upTo) - seen.prefix(below) : 0;
    if (count > 0) {
      if (result.pairs.length < limit) {
        for (let j = 0; j < i; j++) {
          const o = sorted[j] as Entity;
          if (!forbidden(o, e)) continue;
          if (result.pairs.length < limit) result.pairs.push([o, e]);
          else {
            result.firstUnlisted ??= e;
            break;
          }
        }
      } else result.firstUnlisted ??= e;
      result.total += count;
    }
    seen.add(countBelow(ends, e.end));
  }
  return result;
}

/** Every pair of entities whose spans overlap, [earlier, later] in (start, longest first) order. */
export function overlappingPairs(entities: readonly Entity[]): Array<[Entity, Entity]> {
  return forbiddenOverlaps(entities, 'forbid').pairs;
}

/**
 * Most sidecars (canonical order, nothing nested): each span starts at or after every earlier
 * one ends, so no two share a character. One pass says so, without sorting.
 */
function disjointInOrder(entities: readonly Entity[]): boolean {
  let reach = -Infinity;
  for (const e of entities) {
    if (!(e.start < e.end && e.start >= reach)) return false;
    reach = e.end;
  }
  return true;
}

/** Counts of values by rank (1-based inside), with prefix sums in O(log n). */
class Fenwick {
  private readonly tree: Float64Array;
  constructor(size: number) {
    this.tree = new Float64Array(size + 1);
  }
  /** One more value of rank `rank` (0-based). */
  add(rank: number): void {
    for (let i = rank + 1; i < this.tree.length; i += i & -i) this.tree[i] = (this.tree[i] as number) + 1;
  }
  /** How many values have a rank below `rank`. */
  prefix(rank: number): number {
    let sum = 0;
    for (let i = rank; i > 0; i -= i & -i) sum += this.tree[i] as number;
    return sum;
  }
}

/** An entity's text in a one-line message: line breaks shown as ⏎, cut at `max` characters. */
export function clip(s: string, max = 40): string {
  const flat = s.replace(/\r?\n/g, '⏎');
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}
