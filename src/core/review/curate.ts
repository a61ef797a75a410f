// Curation: several annotators' versions of one document turned into one gold sidecar.
//
// Independent annotators never share entity ids, so entities are matched by what they say: the same
// span (start, end) with the same label is the same proposal. A proposal made by at least `minAgree`
// of the N versions (default: all of them) becomes a plain entity (`src: curated`,
// `attrs.agreed: "A,B"`); every other proposal — a span only some versions have, the same span with
// another label, overlapping different spans — becomes one suggestion (`suggested: true`,
// `src: curated`, `attrs.from: "C"`), for the curator to settle with the usual suggestion keys.
// Suggestions in the inputs are nobody's annotation yet: left out.
// Deterministic: the same inputs give the same sidecar, ids included (seeded by the document and
// the proposal), so re-running a curation shows no diff.
import { exactMatchesByLabel, OUTSIDE, prf, Prf, tokenize, tokenLabels } from './agreement';
import { Article, decodeArticle } from '../model/article';
import { readConflictedSidecar } from './merge';
import { reanchor } from './reanchor';
import { cmp, compareEntities, Entity, newEntityId, Sidecar, SIDECAR_VERSION } from '../model/model';
import { fnv1a, seededRandom } from '../suggest/recommender/hash';

export interface CurationVersion {
  /** The annotator's or input's name (as given on the command line). */
  name: string;
  entities: readonly Entity[];
}

export interface CurationOptions {
  /** How many versions must propose the same span and label for it to be accepted (1..N). */
  minAgree?: number;
  /** Seeds the ids: usually the document's name. */
  seed?: string;
  /**
   * When an input's article differs from the first input's, find its entities again in the first
   * input's article (src/core/review/reanchor.ts, with its own article as the old text) instead of refusing
   * the document. Entities that cannot be placed (ambiguous, not found) are left out and reported.
   */
  reanchor?: boolean;
}

/** What re-anchoring one input's version onto the first input's article did. */
export interface ReanchoredInput {
  /** The input's name. */
  input: string;
  /** Entities found again at other offsets (or with a slightly different text). */
  moved: number;
  /** Among them, found by a fuzzy match: their text changed, worth a look. */
  fuzzy: number;
  /** Entities that could not be placed, left out of the curation. */
  notReanchored: Array<{ id: string; label: string; start: number; end: number; text: string; why: 'ambiguous' | 'not found' }>;
}

export interface PairwiseF1 {
  a: string;
  b: string;
  /** Exact-span F1 (same start, end, label), symmetric. */
  f1: number | null;
}

export interface CuratedDocument {
  /** Accepted entities and suggestions, in canonical order. */
  entities: Entity[];
  /** Proposals accepted as entities. */
  agreed: number;
  /** Proposals left as suggestions. */
  disagreements: number;
  pairwise: PairwiseF1[];
}

interface Proposal {
  start: number;
  end: number;
  label: string;
  text: string;
  /** Indexes of the versions proposing it, ascending. */
  from: number[];
  /** What the proposing versions said beyond span and label, first version first. */
  entities: Entity[];
}

export function curateDocument(versions: readonly CurationVersion[], opts: CurationOptions = {}): CuratedDocument {
  const n = versions.length;
  if (n < 2) throw new Error('curation needs at least two versions');
  const names = versions.map((v) => v.name);
  if (new Set(names).size !== n) throw new Error(`two versions have the same name: ${names.join(', ')}`);
  const minAgree = opts.minAgree ?? n;
  if (!Number.isInteger(minAgree) || minAgree < 1 || minAgree > n) throw new Error(`--min-agree must be a whole number from 1 to ${n}`);

  const proposals = new Map<string, Proposal>();
  versions.forEach((v, i) => {
    for (const e of v.entities) {
      if (e.suggested === true) continue;
      const key = `${e.start}:${e.end}:${e.label}`;
      let p = proposals.get(key);
      if (!p) {
        p = { start: e.start, end: e.end, label: e.label, text: e.text, from: [], entities: [] };
        proposals.set(key, p);
      }
      // One version proposing the same thing twice (a duplicate) still counts once.
      if (p.from[p.from.length - 1] !== i) {
        p.from.push(i);
        p.entities.push(e);
      }
    }
  });

  const taken = new Set<string>();
  const random = seededRandom(fnv1a(opts.seed ?? ''));
  const sorted = [...proposals.values()].sort((x, y) => x.start - y.start || x.end - y.end || cmp(x.label, y.label));
  const entities: Entity[] = [];
  let agreed = 0;
  let disagreements = 0;
  for (const p of sorted) {
    const who = p.from.map((i) => names[i] as string).join(',');
    const accepted = p.from.length >= minAgree;
    const e: Entity = { id: newEntityId(taken, random), label: p.label, start: p.start, end: p.end, text: p.text };
    taken.add(e.id);
    const note = sharedValue(p.entities.map((x) => x.note));
    if (note !== undefined) e.note = note;
    const attrs = sharedAttrs(p.entities);
    if (accepted) {
      attrs.agreed = who;
      agreed++;
    } else {
      attrs.from = who;
      disagreements++;
    }
    e.attrs = attrs;
    e.src = 'curated';
    if (!accepted) e.suggested = true;
    entities.push(e);
  }
  entities.sort(compareEntities);

  const pairwise: PairwiseF1[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = annotations(versions[i] as CurationVersion);
      const b = annotations(versions[j] as CurationVersion);
      let tp = 0;
      for (const k of exactMatchesByLabel(a, b).values()) tp += k;
      const f: Prf = prf(tp, b.length - tp, a.length - tp);
      pairwise.push({ a: names[i] as string, b: names[j] as string, f1: f.f1 });
    }
  }
  return { entities, agreed, disagreements, pairwise };
}

function annotations(v: CurationVersion): Entity[] {
  return v.entities.filter((e) => e.suggested !== true);
}

/** The value every proposer gave (all the same, or only some gave one and they agree), else undefined. */
function sharedValue(values: ReadonlyArray<string | undefined>): string | undefined {
  const given = values.filter((v): v is string => v !== undefined);
  return given.length && given.every((v) => v === given[0]) ? given[0] : undefined;
}

/** Attributes on which the proposers do not contradict each other (curation's own keys excluded). */
function sharedAttrs(entities: readonly Entity[]): Record<string, string> {
  const keys = new Set<string>();
  for (const e of entities) for (const k of Object.keys(e.attrs ?? {})) keys.add(k);
  const out: Record<string, string> = {};
  for (const k of [...keys].sort(cmp)) {
    if (k === 'agreed' || k === 'from') continue;
    const v = sharedValue(entities.map((e) => (e.attrs && Object.hasOwn(e.attrs, k) ? e.attrs[k] : undefined)));
    if (v !== undefined) out[k] = v;
  }
  return out;
}

export interface FleissKappa {
  /** Subjects (tokens) rated. */
  subjects: number;
  raters: number;
  observed: number | null;
  expected: number | null;
  kappa: number | null;
}

/**
 * Fleiss' κ for N raters: `ratings[r][s]` is rater r's category for subject s (every rater rates
 * every subject). P̄ = mean over subjects of Σ n_sk(n_sk−1) / (N(N−1)); P̄e = Σ_k p_k².
 * Undefined (null) when P̄e = 1 (every rating is the same category) or there is no subject.
 */
export function fleissKappa(ratings: ReadonlyArray<readonly string[]>): FleissKappa {
  const raters = ratings.length;
  const subjects = raters ? Math.min(...ratings.map((r) => r.length)) : 0;
  if (raters < 2 || subjects === 0) return { subjects, raters, observed: null, expected: null, kappa: null };
  const totals = new Map<string, number>();
  let sumP = 0;
  const counts = new Map<string, number>();
  for (let s = 0; s < subjects; s++) {
    counts.clear();
    for (let r = 0; r < raters; r++) {
      const c = (ratings[r] as readonly string[])[s] as string;
      counts.set(c, (counts.get(c) ?? 0) + 1);
      totals.set(c, (totals.get(c) ?? 0) + 1);
    }
    let agree = 0;
    for (const k of counts.values()) agree += k * (k - 1);
    sumP += agree / (raters * (raters - 1));
  }
  const observed = sumP / subjects;
  let expected = 0;
  for (const t of totals.values()) expected += (t / (subjects * raters)) ** 2;
  const kappa = Math.abs(1 - expected) < 1e-12 ? null : (observed - expected) / (1 - expected);
  return { subjects, raters, observed, expected, kappa };
}

export interface SpanDisagreement {
  start: number;
  end: number;
  text: string;
  /** Each version's label(s) on exactly this span ('+'-joined when several), undefined: none. */
  labels: Array<string | undefined>;
}

/**
 * The spans on which versions do not say the same: a span some versions annotate and others do
 * not, or annotate with other labels. In span order. Suggestions are left out.
 */
export function spanDisagreements(versions: ReadonlyArray<readonly Entity[]>): SpanDisagreement[] {
  const spans = new Map<string, { start: number; end: number; text: string; labels: Array<Set<string>> }>();
  versions.forEach((entities, i) => {
    for (const e of entities) {
      if (e.suggested === true) continue;
      const key = `${e.start}:${e.end}`;
      let s = spans.get(key);
      if (!s) {
        s = { start: e.start, end: e.end, text: e.text, labels: versions.map(() => new Set<string>()) };
        spans.set(key, s);
      }
      (s.labels[i] as Set<string>).add(e.label);
    }
  });
  const out: SpanDisagreement[] = [];
  for (const s of [...spans.values()].sort((x, y) => x.start - y.start || x.end - y.end)) {
    const labels = s.labels.map((set) => (set.size ? [...set].sort(cmp).join('+') : undefined));
    if (labels.every((l) => l === labels[0])) continue;
    out.push({ start: s.start, end: s.end, text: s.text, labels });
  }
  return out;
}

/** One input's version of a document, as read by the caller (the CLI from disk or git, the extension through workspace.fs). */
export interface CurationSource {
  /** The input's name, as it goes into attrs. */
  name: string;
  /** Where this version is, for messages (a path, `REV:path`). */
  display: string;
  /** The sidecar's text; undefined when it is not valid UTF-8. */
  sidecar: string | undefined;
  /** The article's bytes; undefined when missing. */
  article: Uint8Array | undefined;
}

export type CuratedFiles =
  | {
    ok: true;
    /** The article's bytes (identical in every input). */
    article: Uint8Array;
    /** The gold sidecar. */
    sidecar: Sidecar;
    result: CuratedDocument;
    /** Each input's label per token of the article (outermost entity, or O), for Fleiss' κ. */
    tokenLabels: string[][];
    /** Each input's entities, as read (re-anchored onto the first input's article with `reanchor`). */
    versions: Entity[][];
    /** The inputs whose article differed and were re-anchored (only with `reanchor`), in input order. */
    reanchored: ReanchoredInput[];
  }
  | { ok: false; error: string };

/**
 * Checks the versions of one document (articles byte-identical, or re-anchored onto the first
 * input's with `reanchor`; sidecars readable, without merge conflicts, matching their article) and
 * curates them into a gold sidecar named `document`.
 */
export function curateSources(document: string, sources: readonly CurationSource[], opts: CurationOptions = {}): CuratedFiles {
  const first = sources[0];
  if (!first?.article) return { ok: false, error: `its article is missing in ${first?.display ?? 'the first input'}` };
  const firstBytes = first.article;
  const sameArticle = (s: CurationSource) => s.article !== undefined && sameBytes(s.article, firstBytes);
  const differs = sources.findIndex((s) => !sameArticle(s));
  if (differs >= 0 && !opts.reanchor) {
    return { ok: false, error: `the article differs between ${first.name} and ${sources[differs]?.name} (curation needs byte-identical articles: give --reanchor to re-anchor the other versions onto ${first.name}'s article, or re-anchor them first with 'corpus-annotator reanchor')` };
  }
  let article: Article;
  try {
    article = decodeArticle(firstBytes);
  } catch (e) {
    return { ok: false, error: `its article cannot be read: ${e instanceof Error ? e.message : String(e)}` };
  }
  const sidecars: Sidecar[] = [];
  const reanchored: ReanchoredInput[] = [];
  for (const s of sources) {
    const bad = (why: string): CuratedFiles => ({ ok: false, error: `${s.display} (${s.name}): ${why}` });
    if (s.sidecar === undefined) return bad('not valid UTF-8');
    const c = readConflictedSidecar(s.sidecar);
    if (!c.sidecar) {
      const p = c.problems[0];
      return bad(`not a valid sidecar${p ? ` (line ${p.line}: ${p.message})` : ''}`);
    }
    if (c.conflicts.length) return bad(`${c.conflicts.length} unresolved merge conflict(s) (settle them with 'corpus-annotator resolve')`);
    // The version is checked against its own article: the one its offsets were made for.
    let own: Article | undefined = article;
    if (!sameArticle(s)) {
      try {
        own = s.article && decodeArticle(s.article);
      } catch (e) {
        return bad(`its article cannot be read: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    if (own) {
      if (c.sidecar.sha256 !== undefined && c.sidecar.sha256 !== own.sha256) return bad(`its sha256 is not the article's (run 'corpus-annotator reanchor' on it)`);
      const o = own;
      const wrong = c.sidecar.entities.find((e) => o.offsets.slice(e.start, e.end) !== e.text);
      if (wrong) return bad(`entity ${wrong.id} (${wrong.start}-${wrong.end}) does not match the article (run 'corpus-annotator validate' on it)`);
    }
    if (own === article) {
      sidecars.push(c.sidecar);
      continue;
    }
    // Its own article as the old text (absent: only the stored offsets and quotes guide the search).
    const entities = c.sidecar.entities.filter((e) => e.suggested !== true);
    const r = reanchor(entities, article, own ? { oldText: own.text } : {});
    reanchored.push({
      input: s.name,
      moved: r.moved.length,
      fuzzy: r.moved.filter((m) => m.how === 'fuzzy').length,
      notReanchored: [
        ...r.ambiguous.map((a) => ({ ...spanOf(a.entity), why: 'ambiguous' as const })),
        ...r.orphans.map((e) => ({ ...spanOf(e), why: 'not found' as const })),
      ].sort((x, y) => x.start - y.start || x.end - y.end || cmp(x.id, y.id)),
    });
    sidecars.push({ ...c.sidecar, sha256: article.sha256, entities: r.entities });
  }
  const result = curateDocument(sources.map((s, i) => ({ name: s.name, entities: (sidecars[i] as Sidecar).entities })), opts);
  const tokens = tokenize(article.text);
  return {
    ok: true,
    article: firstBytes,
    sidecar: { version: SIDECAR_VERSION, document, sha256: article.sha256, status: result.disagreements ? 'in-progress' : 'done', entities: result.entities },
    result,
    tokenLabels: sidecars.map((s) => tokenLabels(tokens, s.entities.filter((e) => e.suggested !== true))),
    versions: sidecars.map((s) => s.entities),
    reanchored,
  };
}

function spanOf(e: Entity): { id: string; label: string; start: number; end: number; text: string } {
  return { id: e.id, label: e.label, start: e.start, end: e.end, text: e.text };
}

/** Byte-for-byte equality (no Buffer: core also runs in the browser). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Adds one document's token labels to running per-input lists: all tokens, and those any input labelled. */
export function collectTokenLabels(into: { all: string[][]; annotated: string[][] }, perInput: ReadonlyArray<readonly string[]>): void {
  const n = Math.min(...perInput.map((l) => l.length));
  for (let t = 0; t < n; t++) {
    const any = perInput.some((labels) => labels[t] !== OUTSIDE);
    perInput.forEach((labels, i) => {
      (into.all[i] as string[]).push(labels[t] as string);
      if (any) (into.annotated[i] as string[]).push(labels[t] as string);
    });
  }
}

export interface PairwiseMean {
  a: string;
  b: string;
  /** Mean of the per-document exact F1 where it is defined; null when nowhere. */
  f1: number | null;
  documents: number;
}

/** The pairwise F1 matrix over documents: each pair's mean per-document F1. */
export function meanPairwiseF1(perDocument: ReadonlyArray<readonly PairwiseF1[]>): PairwiseMean[] {
  const acc = new Map<string, { a: string; b: string; sum: number; n: number }>();
  for (const pairs of perDocument) {
    for (const p of pairs) {
      const k = `${p.a}\u0000${p.b}`;
      const s = acc.get(k) ?? { a: p.a, b: p.b, sum: 0, n: 0 };
      if (p.f1 !== null) {
        s.sum += p.f1;
        s.n++;
      }
      acc.set(k, s);
    }
  }
  return [...acc.values()].map((s) => ({ a: s.a, b: s.b, f1: s.n ? s.sum / s.n : null, documents: s.n }));
}
