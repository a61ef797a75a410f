// The averaged structured perceptron (Collins 2002): decode each training sentence with the
// current weights, and where the best valid tag sequence differs from the gold one, move the
// weights toward the gold features and away from the predicted ones. The weights kept are the
// average over every step, which generalises much better than the last ones.
import { viterbi } from './decode';
import { SentenceFeatures } from './features';
import { seededRandom, shuffle } from './hash';
import { TagSet } from './tags';

export interface Weights {
  hashBits: number;
  /** emission[bucket * T + tag]. */
  emission: Float32Array;
  /** transition[from * T + to]. */
  transition: Float64Array;
}

export interface TrainingSentence {
  features: SentenceFeatures;
  gold: Int32Array;
}

export interface PerceptronOptions {
  epochs: number;
  seed: number;
  hashBits: number;
  /** Called after each epoch (progress, cancellation by throwing). */
  onEpoch?: (epoch: number, mistakes: number) => void;
}

/** Emission scores of a sentence: scores[i * T + t]. */
export function emissionScores(features: SentenceFeatures, emission: ArrayLike<number>, hashBits: number, T: number): Float64Array {
  const n = features.offsets.length - 1;
  const scores = new Float64Array(n * T);
  const mask = (1 << hashBits) - 1;
  for (let i = 0; i < n; i++) {
    const row = i * T;
    for (let k = features.offsets[i] as number, end = features.offsets[i + 1] as number; k < end; k++) {
      const base = ((features.hashes[k] as number) & mask) * T;
      for (let t = 0; t < T; t++) scores[row + t] = (scores[row + t] as number) + (emission[base + t] as number);
    }
  }
  return scores;
}

export function trainPerceptron(sentences: readonly TrainingSentence[], tags: TagSet, opts: PerceptronOptions): Weights {
  const T = tags.size;
  const H = 1 << opts.hashBits;
  const mask = H - 1;
  // Current weights and the sum of each update times the step it happened at: the average is
  // w - acc / steps (the usual trick, so averaging costs nothing per step).
  const w = new Float64Array(H * T);
  const acc = new Float64Array(H * T);
  const tw = new Float64Array(T * T);
  const tacc = new Float64Array(T * T);
  const random = seededRandom(opts.seed);
  const order = sentences.map((_, i) => i);
  let step = 1;
  for (let epoch = 0; epoch < opts.epochs; epoch++) {
    shuffle(order, random);
    let mistakes = 0;
    for (const idx of order) {
      const s = sentences[idx] as TrainingSentence;
      const n = s.gold.length;
      if (n === 0) continue;
      const scores = emissionScores(s.features, w, opts.hashBits, T);
      const pred = viterbi(scores, n, tw, tags);
      let wrong = false;
      for (let i = 0; i < n; i++) {
        const g = s.gold[i] as number;
        const p = pred[i] as number;
        if (g === p) continue;
        wrong = true;
        for (let k = s.features.offsets[i] as number, end = s.features.offsets[i + 1] as number; k < end; k++) {
          const base = ((s.features.hashes[k] as number) & mask) * T;
          w[base + g] = (w[base + g] as number) + 1;
          acc[base + g] = (acc[base + g] as number) + step;
          w[base + p] = (w[base + p] as number) - 1;
          acc[base + p] = (acc[base + p] as number) - step;
        }
      }
      if (wrong) {
        mistakes++;
        for (let i = 1; i < n; i++) {
          const g = (s.gold[i - 1] as number) * T + (s.gold[i] as number);
          const p = (pred[i - 1] as number) * T + (pred[i] as number);
          if (g === p) continue;
          tw[g] = (tw[g] as number) + 1;
          tacc[g] = (tacc[g] as number) + step;
          tw[p] = (tw[p] as number) - 1;
          tacc[p] = (tacc[p] as number) - step;
        }
      }
      step++;
    }
    opts.onEpoch?.(epoch + 1, mistakes);
  }
  const emission = new Float32Array(H * T);
  for (let i = 0; i < emission.length; i++) emission[i] = (w[i] as number) - (acc[i] as number) / step;
  const transition = new Float64Array(T * T);
  for (let i = 0; i < transition.length; i++) transition[i] = (tw[i] as number) - (tacc[i] as number) / step;
  return { hashBits: opts.hashBits, emission, transition };
}
