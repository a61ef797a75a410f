// Active learning's document order (issue 16): which documents to annotate next so that the model
// learns most. The sidebar's Sort by Expected Gain (src/extension/expected-gain-worker.ts computes
// it for every article) reads these figures. Pure and deterministic.
//
// The formula: gain(d) = Σ over the model's predictions p in d that overlap no annotation of (1 − p.score).
//
// Why: p.score is the model's probability that exactly this span with this label is an entity
// (recommender.ts). The recommender is a perceptron: it learns only where its output differs from
// the annotation. When the annotator settles an unannotated prediction, it is confirmed with
// probability p (nothing to learn) and corrected (rejected, relabelled or resized) with probability
// 1 − p (an update). So the gain is the expected number of the model's mistakes that annotating the
// document corrects. A sum, not a mean: a document with many doubtful unannotated predictions
// comes before a short one with one. Predictions over an annotation count for nothing: those spans
// are decided already (suggestions are not annotations: the caller leaves them out). What the gain
// cannot see is the entities the model misses altogether; no prediction, no estimate.
import { cmp } from '../../model/model';
import { TextSpan } from './data';
import { Model, predict, Prediction } from './recommender';

export interface DocumentGain {
  /** Predictions of the model on the document. */
  predictions: number;
  /** Predictions that overlap no annotation. */
  unannotated: number;
  /** Expected mistakes corrected by annotating the document: Σ (1 − score) over the unannotated predictions. */
  gain: number;
}

/** The gain figures of a document from its predictions and its annotations (both in code points). */
export function gainOf(predictions: readonly Prediction[], annotations: readonly TextSpan[]): DocumentGain {
  // Both lists sorted by start: one pass, not predictions × annotations (a long article has thousands of each).
  const anns = [...annotations].sort((a, b) => a.start - b.start);
  const preds = [...predictions].sort((a, b) => a.start - b.start);
  let gain = 0;
  let unannotated = 0;
  let i = 0;
  let reach = -Infinity; // the furthest end of the annotations starting before the current prediction's end
  for (const p of preds) {
    while (i < anns.length && (anns[i] as TextSpan).start < p.end) reach = Math.max(reach, (anns[i++] as TextSpan).end);
    // An annotation overlaps p when it starts before p's end and ends after p's start: none does
    // unless one of those starting before p's end reaches past p's start.
    if (reach > p.start && overlapsAny(anns, i, p)) continue;
    unannotated++;
    gain += 1 - clamp01(p.score);
  }
  return { predictions: predictions.length, unannotated, gain };
}

/** Whether one of the first `upTo` annotations overlaps p (scanned back from the latest start: annotations are short, it is found at once). */
function overlapsAny(anns: readonly TextSpan[], upTo: number, p: TextSpan): boolean {
  for (let j = upTo - 1; j >= 0; j--) {
    const a = anns[j] as TextSpan;
    if (a.start < p.end && a.end > p.start) return true;
  }
  return false;
}

export function documentGain(model: Model, text: string, annotations: readonly TextSpan[]): DocumentGain {
  return gainOf(predict(model, text), annotations);
}

/** Documents by expected gain, highest first; ties by name, so the order is the same on every run. */
export function rankByGain<D extends { name: string; gain: DocumentGain }>(docs: readonly D[]): D[] {
  return [...docs].sort((a, b) => b.gain.gain - a.gain.gain || cmp(a.name, b.name));
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0.5; // no usable score: a coin toss
}
