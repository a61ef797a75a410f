// Active learning on one article: which of the model's predictions it is least sure of, among the
// spans nobody has annotated yet. An annotator who settles those teaches the model most per key.
//
// A prediction's score is the model's probability that exactly this span with this label is an
// entity (recommender.ts). The decision boundary is 0.5: above, the model bets it is right; below,
// it bets it is wrong (yet Viterbi still proposes it, being the best sequence). Uncertainty sampling
// (as Prodigy's ner.teach) prefers the scores closest to that boundary: the smallest margin
// |score − 0.5|. A score near 0 or 1 is a confident call either way.
import { cmp } from '../../model/model';
import { TextSpan } from './data';

export interface ScoredSpan extends TextSpan {
  score: number;
}

/** 1 at score 0.5 (a coin toss), 0 at score 0 or 1 (certain); NaN counts as certain (never chosen first). */
export function uncertainty(score: number): number {
  if (!Number.isFinite(score)) return 0;
  return 1 - Math.min(1, Math.abs(2 * score - 1));
}

/**
 * The predictions overlapping no annotation (suggestions are not annotations: a suggested span is
 * still undecided), most uncertain first; ties in text order, then by label. Duplicates (same span
 * and label) are kept once.
 */
export function rankByUncertainty<P extends ScoredSpan>(predictions: readonly P[], annotations: readonly TextSpan[]): P[] {
  const seen = new Set<string>();
  const open = predictions.filter((p) => {
    const key = `${p.start}:${p.end}:${p.label}`;
    if (seen.has(key) || annotations.some((a) => a.start < p.end && p.start < a.end)) return false;
    seen.add(key);
    return true;
  });
  // Rounded so that scores equally far from 0.5 (0.45, 0.55) tie whatever their float error.
  const u = (x: number) => Math.round(uncertainty(x) * 1e9);
  return open.sort((a, b) => u(b.score) - u(a.score) || a.start - b.start || a.end - b.end || cmp(a.label, b.label));
}

/**
 * The prediction to go to: the most uncertain one, or, when `current` is one of the ranked spans
 * (the annotator skipped it without deciding), the one ranked after it (wrapping round).
 */
export function nextUncertain<P extends ScoredSpan>(ranked: readonly P[], current?: { start: number; end: number }): P | undefined {
  if (ranked.length === 0) return undefined;
  if (current) {
    const i = ranked.findIndex((p) => p.start === current.start && p.end === current.end);
    if (i >= 0) return ranked[(i + 1) % ranked.length];
  }
  return ranked[0];
}
