// Annotation checks (issue 16's "Find Likely Annotation Errors"): where a model confidently
// disagrees with a document's annotations. An annotation the model would label otherwise on the
// very same span, one it would draw with other boundaries, and a confident prediction where
// nothing is annotated. Pure and deterministic: the same model, text and entities give the same
// list. With cross-checking, each document is checked by a model that never saw it (a model
// trained on a document learns its slips and stops seeing them).
import { TextSpan, TrainingDoc } from './data';
import { foldsOf } from './evaluate';
import { DEFAULT_SEED, labelsOf, Model, predict, Prediction, prepare, trainPrepared, TrainOptions } from './recommender';

export type LikelyErrorKind = 'label' | 'boundary' | 'missing';

export interface LikelyError<E extends TextSpan = TextSpan> {
  /**
   * label: the model labels the annotation's exact span otherwise; boundary: the model draws an
   * overlapping entity with other boundaries (its label may differ too); missing: the model
   * finds an entity where nothing is annotated.
   */
  kind: LikelyErrorKind;
  /** The annotation in question (absent for `missing`). */
  current?: E;
  /** What the model proposes instead: its span and label. */
  proposed: TextSpan;
  /** The model's score of the proposed span (a calibrated probability of being exactly right). */
  score: number;
}

/**
 * The minimum score of a reported disagreement. On the Europeana pages with 5% of the entities
 * relabelled and 5% removed (bench/likely-errors.mjs, cross-checked), 0.7 is where precision stops
 * rising (0.37 at 0.5, 0.52 at 0.7, 0.53 at 0.8) while recall keeps falling (0.53, 0.33, 0.19).
 */
export const DEFAULT_MIN_SCORE = 0.7;

const overlaps = (a: TextSpan, b: TextSpan) => a.start < b.end && b.start < a.end;
const sameSpan = (a: TextSpan, b: TextSpan) => a.start === b.start && a.end === b.end;

/**
 * The disagreements between a document's annotations and a model's predictions of at least
 * `minScore`, in text order. Annotations with a label outside `labels` (the model's) are not
 * judged, and a prediction touching one is left alone: the model knows nothing of that label.
 * A prediction that matches any annotation exactly (span and label), nested ones included, is
 * agreement. When several predictions overlap one annotation, the best-scoring one speaks.
 */
export function compareWithPredictions<E extends TextSpan>(entities: readonly E[], predictions: readonly Prediction[], labels: readonly string[], minScore = DEFAULT_MIN_SCORE): LikelyError<E>[] {
  const known = entities.filter((e) => e.end > e.start && labels.includes(e.label));
  const foreign = entities.filter((e) => e.end > e.start && !labels.includes(e.label));
  const out: LikelyError<E>[] = [];
  const byEntity = new Map<E, LikelyError<E>>();
  for (const p of predictions) {
    if (!(p.score >= minScore)) continue;
    if (foreign.some((e) => overlaps(e, p))) continue;
    const over = known.filter((e) => overlaps(e, p));
    if (over.some((e) => sameSpan(e, p) && e.label === p.label)) continue;
    const proposed: TextSpan = { start: p.start, end: p.end, label: p.label };
    if (over.length === 0) {
      out.push({ kind: 'missing', proposed, score: p.score });
      continue;
    }
    const exact = over.find((e) => sameSpan(e, p));
    // The annotation this prediction speaks about: the one on its span, else the one it shares most with.
    const current = exact ?? over.reduce((best, e) => (shared(e, p) > shared(best, p) ? e : best));
    const finding: LikelyError<E> = { kind: exact ? 'label' : 'boundary', current, proposed, score: p.score };
    const before = byEntity.get(current);
    if (before && before.score >= finding.score) continue;
    byEntity.set(current, finding);
  }
  out.push(...byEntity.values());
  return out.sort(inTextOrder);
}

function shared(e: TextSpan, p: TextSpan): number {
  return Math.min(e.end, p.end) - Math.max(e.start, p.start);
}

/**
 * The likely errors of one document under a model. (Also asking the span marginals for another
 * label on each annotation's exact span, beyond the one path Viterbi picks, found nothing more on
 * the Europeana pages: 148 reports either way on 15 held-out pages at 0.5.)
 */
export function findLikelyErrors<E extends TextSpan>(model: Model, text: string, entities: readonly E[], minScore = DEFAULT_MIN_SCORE): LikelyError<E>[] {
  return compareWithPredictions(entities, predict(model, text), model.labels, minScore);
}

function inTextOrder(a: LikelyError, b: LikelyError): number {
  return a.proposed.start - b.proposed.start || a.proposed.end - b.proposed.end || (a.current?.start ?? 0) - (b.current?.start ?? 0);
}

/**
 * Runs `check` on every document with a model trained on the others (k folds by document, the
 * folds of cross-validation for the seed), so that no document is judged by a model that learnt
 * its slips. The result is indexed like `docs`.
 */
export function heldOut<D extends TrainingDoc, R>(docs: readonly D[], k: number, opts: TrainOptions, check: (model: Model, doc: D, index: number) => R, onFold?: (fold: number, folds: number) => void): R[] {
  const labels = [...(opts.labels ?? labelsOf(docs))];
  const prepared = prepare(docs, labels);
  const folds = foldsOf(docs.length, k, opts.seed ?? DEFAULT_SEED);
  const out = new Array<R>(docs.length);
  folds.forEach((test, f) => {
    const inTest = new Set(test);
    const model = trainPrepared(prepared.filter((_, i) => !inTest.has(i)), labels, opts);
    for (const i of test) out[i] = check(model, docs[i] as D, i);
    onFold?.(f + 1, folds.length);
  });
  return out;
}

/** Every document's likely errors under a model trained on the others (see `heldOut`). */
export function crossCheck<D extends TrainingDoc>(docs: readonly D[], k: number, minScore = DEFAULT_MIN_SCORE, opts: TrainOptions = {}, onFold?: (fold: number, folds: number) => void): Array<LikelyError<D['entities'][number]>[]> {
  return heldOut(docs, k, opts, (model, d) => findLikelyErrors(model, d.text, d.entities, minScore), onFold);
}
