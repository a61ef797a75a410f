// Suggestions: entities proposed by a gazetteer or a pattern (or tag-all-occurrences, in
// occurrences.ts) and marked `suggested: true` until an annotator accepts or rejects them.
// Pure functions over a sidecar; the CLI (`corpus-annotator suggest`) and the extension call them.
//
// A suggestion never overlaps an entity or another suggestion: where several candidates compete,
// the longest wins, then the leftmost, then the first source (gazetteers in the order given, each
// in file order, then the pattern files, each in file order). So running `suggest` twice adds
// nothing the second time. A rejected suggestion leaves no trace: running it again proposes it again.
import { Article } from '../model/article';
import { Span, withStatusAdvanced } from '../model/edits';
import { Gazetteer, GazetteerEntry } from './gazetteer';
import { Entity, newEntityId, Sidecar } from '../model/model';
import { DEFAULT_MATCH, FoldedText, foldedNeedle, MatchOptions, uncovered } from './occurrences';
import { SurfaceAutomaton } from '../text/surface-automaton';
import { MatchLimits, matchPattern, Pattern, PatternMatches, PatternSet, PatternText } from './patterns';

export interface SuggestionSources {
  gazetteers?: readonly Gazetteer[];
  patterns?: readonly PatternSet[];
  /** How gazetteer surfaces are looked for (patterns say it themselves); default DEFAULT_MATCH. */
  match?: MatchOptions;
  /** Trained recommenders (src/core/suggest/recommender): their predictions, `src: model:<name>`, `attrs.score`. */
  models?: readonly ModelSource[];
}

/** A model as a suggestion source: what it predicts on a text, each span with a score in [0, 1]. */
export interface ModelSource {
  name: string;
  predict(text: string): ReadonlyArray<Span & { label: string; score: number }>;
  /** Predictions scoring less are left out (default 0). */
  minScore?: number;
}

export interface SuggestOptions {
  /** For the new ids (deterministic ids in tests). */
  random?: () => number;
  /** Recorded as `by` on the suggestions (none by default: nobody has looked at them yet). */
  by?: string;
  limits?: MatchLimits;
  /**
   * The patterns' matches when run elsewhere (the CLI runs them on a worker it can stop): a
   * pattern missing here is skipped. Default: matched here.
   */
  patternMatches?: ReadonlyMap<Pattern, PatternMatches>;
}

export interface SuggestResult {
  sidecar: Sidecar;
  /** The suggestions added, in text order. */
  added: Entity[];
  /** `src` of the patterns a limit stopped (MAX_MATCHES, MAX_STEPS): they may have more matches. */
  truncated: string[];
}

interface Candidate extends Span {
  label: string;
  src: string;
  kb?: string;
  score?: number;
  /** Lower comes first among candidates of the same length and start. */
  rank: number;
}

/**
 * Adds a suggestion (`suggested: true`, `src: gazetteer:<file>` or `pattern:<name>`, `attrs.kb`
 * from the gazetteer's third column) for every match that overlaps no entity or suggestion of the
 * sidecar. The input is not modified; the status is left as it is (suggestions are not annotations).
 */
export function suggestForArticle(sidecar: Sidecar, article: Article, sources: SuggestionSources, opts: SuggestOptions = {}): SuggestResult {
  const candidates: Candidate[] = [];
  const truncated: string[] = [];
  let rank = 0;
  const gazetteers = sources.gazetteers ?? [];
  if (gazetteers.some((g) => g.entries.length > 0)) {
    const match = sources.match ?? DEFAULT_MATCH;
    const folded = new FoldedText(article.text, match);
    for (const g of gazetteers) {
      const src = `gazetteer:${g.name}`;
      const first = rank + 1;
      folded.findAll(automatonOf(g, match), (i, span) => {
        const entry = g.entries[i] as GazetteerEntry;
        const c: Candidate = { start: span.start, end: span.end, label: entry.label, src, rank: first + i };
        if (entry.kb !== undefined) c.kb = entry.kb;
        candidates.push(c);
      });
      rank += g.entries.length;
    }
  }
  const text = new PatternText(article);
  for (const set of sources.patterns ?? []) {
    for (const p of set.patterns) {
      rank++;
      const src = `pattern:${p.name}`;
      const found = opts.patternMatches ? opts.patternMatches.get(p) : matchPattern(p, text, opts.limits);
      if (!found) continue;
      if (found.truncated) truncated.push(src);
      for (const span of found.spans) candidates.push({ start: span.start, end: span.end, label: p.label, src, rank });
    }
  }
  for (const m of sources.models ?? []) {
    rank++;
    for (const p of m.predict(article.text)) {
      if (p.score >= (m.minScore ?? 0)) candidates.push({ start: p.start, end: p.end, label: p.label, src: `model:${m.name}`, score: p.score, rank });
    }
  }
  candidates.sort((a, b) => (b.end - b.start) - (a.end - a.start) || a.start - b.start || a.rank - b.rank);
  const firstAt = new Map<string, Candidate>();
  for (const c of candidates) if (!firstAt.has(key(c))) firstAt.set(key(c), c);
  // uncovered keeps, in list order, the spans overlapping no entity and no span kept before.
  const kept = uncovered(candidates.map((c) => ({ start: c.start, end: c.end })), sidecar.entities)
    .map((s) => firstAt.get(key(s)) as Candidate)
    .sort((a, b) => a.start - b.start);
  if (kept.length === 0) return { sidecar, added: [], truncated };
  const taken = new Set(sidecar.entities.map((e) => e.id));
  const added = kept.map((c): Entity => {
    const id = newEntityId(taken, opts.random);
    taken.add(id);
    const e: Entity = { id, label: c.label, start: c.start, end: c.end, text: article.offsets.slice(c.start, c.end) };
    if (c.kb !== undefined) e.attrs = { kb: c.kb };
    if (c.score !== undefined) e.attrs = { ...e.attrs, score: c.score.toFixed(2) };
    if (opts.by !== undefined && opts.by !== '') e.by = opts.by;
    e.src = c.src;
    e.suggested = true;
    return e;
  });
  return { sidecar: { ...sidecar, entities: [...sidecar.entities, ...added] }, added, truncated };
}

/**
 * One automaton per gazetteer and matching options, its needles the entries in order: built once
 * for every article a run suggests for. A gazetteer is not changed once parsed.
 */
const automata = new WeakMap<Gazetteer, Map<string, SurfaceAutomaton>>();
function automatonOf(g: Gazetteer, match: MatchOptions): SurfaceAutomaton {
  let byOptions = automata.get(g);
  if (!byOptions) automata.set(g, (byOptions = new Map()));
  const k = `${match.caseSensitive}/${match.diacriticSensitive}`;
  let automaton = byOptions.get(k);
  if (!automaton) byOptions.set(k, (automaton = new SurfaceAutomaton(g.entries.map((e) => foldedNeedle(e.surface, match)))));
  return automaton;
}

function key(s: Span): string {
  return `${s.start}:${s.end}`;
}

/** Whether an entity is a suggestion awaiting a decision. */
export function isSuggestion(e: Entity): boolean {
  return e.suggested === true;
}

/** The entities that are annotations (suggestions left out): what exports, agreement and statistics count. */
export function withoutSuggestions<T extends Entity>(entities: readonly T[]): T[] {
  return entities.filter((e) => e.suggested !== true);
}

/** The suggestions of a sidecar, in its order. */
export function suggestionsOf(sidecar: Sidecar): Entity[] {
  return sidecar.entities.filter((e) => e.suggested === true);
}

/**
 * Accepts suggestions: they become ordinary entities (the flag is removed; `src` keeps where they
 * came from), recorded as `by` when given. Ids that are not suggestions are ignored. A first
 * accepted entity moves a `todo` document to `in-progress`, like tagging does.
 */
export function acceptSuggestions(sidecar: Sidecar, ids: Iterable<string>, by?: string): Sidecar {
  const chosen = new Set(ids);
  let changed = false;
  const entities = sidecar.entities.map((e) => {
    if (e.suggested !== true || !chosen.has(e.id)) return e;
    changed = true;
    const { suggested: _flag, ...rest } = e;
    return by !== undefined && by !== '' ? { ...rest, by } : rest;
  });
  if (!changed) return sidecar;
  return withStatusAdvanced({ ...sidecar, entities }, true);
}

/** Rejects suggestions: removes them. Ids that are not suggestions (accepted entities) are left alone. */
export function rejectSuggestions(sidecar: Sidecar, ids: Iterable<string>): Sidecar {
  const chosen = new Set(ids);
  const entities = sidecar.entities.filter((e) => e.suggested !== true || !chosen.has(e.id));
  return entities.length === sidecar.entities.length ? sidecar : { ...sidecar, entities };
}
