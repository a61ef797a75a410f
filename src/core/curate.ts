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
import { exactMatchesByLabel, prf, Prf } from './agreement';
import { cmp, compareEntities, Entity, newEntityId } from './model';

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
  const random = seededRandom(opts.seed ?? '');
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

/** A small deterministic PRNG (mulberry32) seeded by a string's FNV-1a hash. */
function seededRandom(seed: string): () => number {
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  let state = h >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
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
