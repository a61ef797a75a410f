// Active learning's document order (issue 16): which documents to annotate next so that the model
// learns most. Per document, from the model's predictions: how many it finds where nothing is
// annotated yet, and how unsure it is (1 - score of each prediction, score being the calibrated
// probability that the span and label are exactly right). The sidebar's "sort by expected gain"
// and the CLI read the same figures. Pure and deterministic.
import { cmp } from '../../model/model';
import { TextSpan } from './data';
import { Model, predict, Prediction } from './recommender';

export interface DocumentGain {
  /** Predictions of the model on the document. */
  predictions: number;
  /** Predictions that overlap no annotation (suggestions count as annotations if the caller passes them). */
  unannotated: number;
  /** Mean of 1 - score over the predictions (0 when there is none). */
  meanUncertainty: number;
  /**
   * What annotating the document is expected to teach: the unannotated predictions plus the
   * summed uncertainty of all predictions. A sum, not a mean, so that a long document full of
   * doubtful or missing entities comes before a short one.
   */
  gain: number;
}

/** The gain figures of a document from its predictions and its annotations. */
export function gainOf(predictions: readonly Prediction[], entities: readonly TextSpan[]): DocumentGain {
  let uncertainty = 0;
  let unannotated = 0;
  for (const p of predictions) {
    uncertainty += 1 - clamp01(p.score);
    if (!entities.some((e) => e.start < p.end && p.start < e.end)) unannotated++;
  }
  const n = predictions.length;
  return { predictions: n, unannotated, meanUncertainty: n ? uncertainty / n : 0, gain: unannotated + uncertainty };
}

export function documentGain(model: Model, text: string, entities: readonly TextSpan[]): DocumentGain {
  return gainOf(predict(model, text), entities);
}

/** Documents by expected gain, highest first; ties by name, so the order is the same on every run. */
export function rankByGain<D extends { name: string; gain: DocumentGain }>(docs: readonly D[]): D[] {
  return [...docs].sort((a, b) => b.gain.gain - a.gain.gain || cmp(a.name, b.name));
}

function clamp01(x: number): number {
  return Number.isFinite(x) ? Math.min(1, Math.max(0, x)) : 0; // no usable score: fully uncertain
}
