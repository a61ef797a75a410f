// Comparing predictions with annotations: per-label precision/recall/F1 of exact spans, the label
// confusions (same span, other label) and boundary errors (overlapping, same label, other
// extent); and k-fold cross-validation by document.
import { cmp } from '../../model/model';
import { outermost, TextSpan, TrainingDoc } from './data';
import { seededRandom, shuffle } from './hash';
import { Prediction, predictionsOf, prepare, PreparedDoc, scoreSentences, trainPrepared, TrainOptions, labelsOf } from './recommender';

export interface LabelScore {
  tp: number;
  fp: number;
  fn: number;
  precision: number;
  recall: number;
  f1: number;
}

export interface Evaluation {
  /** Micro-averaged over labels. */
  micro: LabelScore;
  byLabel: Record<string, LabelScore>;
  /** gold label → predicted label → count, for spans predicted exactly with another label. */
  confusion: Record<string, Record<string, number>>;
  /** Predictions overlapping a gold entity of the same label with other boundaries. */
  boundaryErrors: number;
  /** Predictions overlapping no gold entity; gold entities no prediction overlaps. */
  spurious: number;
  missed: number;
}

export class Tally {
  private readonly counts = new Map<string, { tp: number; fp: number; fn: number }>();
  private readonly confusion = new Map<string, Map<string, number>>();
  boundaryErrors = 0;
  spurious = 0;
  missed = 0;

  /** Adds one document: gold entities (outermost are compared) and predictions. */
  add(gold: readonly TextSpan[], predicted: readonly TextSpan[]): void {
    const g = outermost(gold);
    const key = (s: TextSpan) => `${s.start}:${s.end}:${s.label}`;
    const goldKeys = new Set(g.map(key));
    const predKeys = new Set(predicted.map(key));
    for (const p of predicted) this.bump(p.label, goldKeys.has(key(p)) ? 'tp' : 'fp');
    for (const e of g) if (!predKeys.has(key(e))) this.bump(e.label, 'fn');
    for (const p of predicted) {
      if (goldKeys.has(key(p))) continue;
      const over = g.filter((e) => e.start < p.end && p.start < e.end);
      if (over.length === 0) { this.spurious++; continue; }
      const same = over.find((e) => e.start === p.start && e.end === p.end);
      if (same) {
        const row = this.confusion.get(same.label) ?? new Map<string, number>();
        row.set(p.label, (row.get(p.label) ?? 0) + 1);
        this.confusion.set(same.label, row);
      } else if (over.some((e) => e.label === p.label)) this.boundaryErrors++;
    }
    for (const e of g) if (!predicted.some((p) => p.start < e.end && e.start < p.end)) this.missed++;
  }

  private bump(label: string, kind: 'tp' | 'fp' | 'fn'): void {
    const c = this.counts.get(label) ?? { tp: 0, fp: 0, fn: 0 };
    c[kind]++;
    this.counts.set(label, c);
  }

  result(): Evaluation {
    const byLabel: Record<string, LabelScore> = {};
    let tp = 0, fp = 0, fn = 0;
    for (const label of [...this.counts.keys()].sort(cmp)) {
      const c = this.counts.get(label) as { tp: number; fp: number; fn: number };
      byLabel[label] = score(c.tp, c.fp, c.fn);
      tp += c.tp; fp += c.fp; fn += c.fn;
    }
    const confusion: Record<string, Record<string, number>> = {};
    for (const g of [...this.confusion.keys()].sort(cmp)) {
      const row = this.confusion.get(g) as Map<string, number>;
      confusion[g] = Object.fromEntries([...row].sort(([a], [b]) => cmp(a, b)));
    }
    return { micro: score(tp, fp, fn), byLabel, confusion, boundaryErrors: this.boundaryErrors, spurious: this.spurious, missed: this.missed };
  }
}

export function score(tp: number, fp: number, fn: number): LabelScore {
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
  return { tp, fp, fn, precision, recall, f1 };
}

/** Documents split into k folds by document, deterministically for a seed. */
export function foldsOf(n: number, k: number, seed: number): number[][] {
  const order = shuffle(Array.from({ length: n }, (_, i) => i), seededRandom(seed ^ 0x5bd1e995));
  const folds: number[][] = Array.from({ length: Math.max(1, Math.min(k, n)) }, () => []);
  order.forEach((doc, i) => (folds[i % folds.length] as number[]).push(doc));
  return folds.map((f) => f.sort((a, b) => a - b));
}

export interface CrossValidation {
  folds: number;
  evaluation: Evaluation;
  /** Every held-out prediction with whether it was exactly right: for calibrating scores. */
  predictions: Array<{ score: number; correct: boolean }>;
  /** The temperature that makes the held-out scores best calibrated (lowest log-loss). */
  temperature: number;
}

export const TEMPERATURES = [0.5, 1, 2, 4, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256];

/** k-fold cross-validation by document: each fold's documents are predicted by a model trained on the others. */
export function crossValidate(docs: readonly TrainingDoc[], k: number, opts: TrainOptions = {}, onFold?: (fold: number) => void): CrossValidation {
  const labels = [...(opts.labels ?? labelsOf(docs))];
  const prepared = prepare(docs, labels);
  const folds = foldsOf(docs.length, k, opts.seed ?? 1);
  const tally = new Tally();
  const heldOut: Array<{ gold: Set<string>; scored: ReturnType<typeof scoreSentences>; model: ReturnType<typeof trainPrepared> }> = [];
  folds.forEach((test, f) => {
    const inTest = new Set(test);
    const train = prepared.filter((_, i) => !inTest.has(i));
    const model = trainPrepared(train, labels, opts);
    for (const i of test) {
      const p = prepared[i] as PreparedDoc;
      // Held-out text is tokenised afresh: the prepared sentences were joined around gold entities.
      const scored = scoreSentences(model, prepare([{ ...p.doc, entities: [] }], labels)[0]?.sentences ?? []);
      const predicted = predictionsOf(model, scored, 1);
      tally.add(p.doc.entities.filter((e) => labels.includes(e.label)), predicted);
      heldOut.push({ gold: new Set(outermost(p.doc.entities).map((e) => `${e.start}:${e.end}:${e.label}`)), scored, model });
    }
    onFold?.(f + 1);
  });
  // Calibration: the temperature under which the held-out span scores have the lowest log-loss.
  let best = { t: 1, loss: Infinity, predictions: [] as Array<{ score: number; correct: boolean }> };
  for (const t of TEMPERATURES) {
    let loss = 0;
    const predictions: Array<{ score: number; correct: boolean }> = [];
    for (const h of heldOut) {
      for (const p of predictionsOf(h.model, h.scored, t)) {
        const correct = h.gold.has(`${p.start}:${p.end}:${p.label}`);
        const q = Math.min(1 - 1e-6, Math.max(1e-6, p.score));
        loss -= Math.log(correct ? q : 1 - q);
        predictions.push({ score: p.score, correct });
      }
    }
    if (loss < best.loss) best = { t, loss, predictions };
  }
  return { folds: folds.length, evaluation: tally.result(), predictions: best.predictions, temperature: best.t };
}

export type { Prediction };
