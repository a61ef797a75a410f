// The recommender: train a sequence labeller on annotated articles, predict entities with a
// score on others. Pure and deterministic: the same documents, options and seed give the same
// model, on any host.
import { cmp } from '../../model/model';
import { Sentence, sentencesOf, TextSpan, TrainingDoc } from './data';
import { Marginals, viterbi } from './decode';
import { PageInfo, sentenceFeatures, WordCache } from './features';
import { addCounts, documentCounts, LexiconData, LexiconView, pruneLexicon } from './lexicon';
import { emissionScores, trainPerceptron, TrainingSentence, Weights } from './perceptron';
import { TagSet } from './tags';

export interface TrainOptions {
  /** Passes over the training sentences (default DEFAULT_EPOCHS). */
  epochs?: number;
  /** Seed of the sentence order (default 1). */
  seed?: number;
  /** log2 of the number of feature hash buckets (default 19). */
  hashBits?: number;
  /** Labels to learn (default: every label of the training entities). */
  labels?: readonly string[];
  /** Softmax temperature of the scores (default DEFAULT_TEMPERATURE; calibrated by cross-validation). */
  temperature?: number;
  onEpoch?: (epoch: number, mistakes: number) => void;
  /** Told how many tokens training reads. */
  onTokens?: (tokens: number) => void;
}

export const DEFAULT_EPOCHS = 6;
export const DEFAULT_SEED = 1;
export const DEFAULT_HASH_BITS = 19;
/**
 * The temperature that calibrated the held-out scores best on the Europeana pages (5-fold
 * cross-validation, 6 epochs: 32 in 0.5…256); `train --folds` calibrates it on the corpus itself.
 */
export const DEFAULT_TEMPERATURE = 32;

export interface Model {
  labels: string[];
  tags: TagSet;
  weights: Weights;
  lexicon: LexiconData;
  temperature: number;
}

/** A predicted entity with its pseudo-probability of being exactly right (span and label). */
export interface Prediction extends TextSpan {
  score: number;
}

/** A training document cut into sentences once, for every fold that uses it. */
export interface PreparedDoc {
  doc: TrainingDoc;
  sentences: Sentence[];
  page: PageInfo;
  counts: LexiconData;
}

export function labelsOf(docs: readonly TrainingDoc[]): string[] {
  return [...new Set(docs.flatMap((d) => d.entities.map((e) => e.label)))].sort(cmp);
}

export function prepare(docs: readonly TrainingDoc[], labels: readonly string[]): PreparedDoc[] {
  return docs.map((doc) => {
    const sentences = sentencesOf(doc.text, doc.entities, labels);
    return { doc, sentences, page: new PageInfo(sentences), counts: documentCounts(sentences, labels.length) };
  });
}

export function trainModel(docs: readonly TrainingDoc[], opts: TrainOptions = {}): Model {
  const labels = [...(opts.labels ?? labelsOf(docs))];
  return trainPrepared(prepare(docs, labels), labels, opts);
}

export function trainPrepared(prepared: readonly PreparedDoc[], labels: readonly string[], opts: TrainOptions = {}): Model {
  const tags = new TagSet(labels);
  const lexicon: LexiconData = { words: new Map(), phrases: new Map() };
  for (const p of prepared) addCounts(lexicon, p.counts);
  pruneLexicon(lexicon);
  const sentences: TrainingSentence[] = [];
  const cache: WordCache = new Map();
  for (const p of prepared) {
    const view = new LexiconView(lexicon, p.counts);
    for (const s of p.sentences) sentences.push({ features: sentenceFeatures(s, p.page, view, cache), gold: tags.encode(s.tokens.length, s.gold) });
  }
  opts.onTokens?.(sentences.reduce((n, s) => n + s.gold.length, 0));
  const weights = trainPerceptron(sentences, tags, {
    epochs: opts.epochs ?? DEFAULT_EPOCHS,
    seed: opts.seed ?? DEFAULT_SEED,
    hashBits: opts.hashBits ?? DEFAULT_HASH_BITS,
    ...(opts.onEpoch ? { onEpoch: opts.onEpoch } : {}),
  });
  return { labels: [...labels], tags, weights, lexicon, temperature: opts.temperature ?? DEFAULT_TEMPERATURE };
}

/** Scores of one sentence under a model. */
export interface ScoredSentence {
  sentence: Sentence;
  scores: Float64Array;
  tags: Int32Array;
}

export function scoreSentences(model: Model, sentences: readonly Sentence[]): ScoredSentence[] {
  const page = new PageInfo(sentences);
  const view = new LexiconView(model.lexicon);
  const T = model.tags.size;
  const cache: WordCache = new Map();
  return sentences.map((sentence) => {
    const scores = emissionScores(sentenceFeatures(sentence, page, view, cache), model.weights.emission, model.weights.hashBits, T);
    return { sentence, scores, tags: viterbi(scores, sentence.tokens.length, model.weights.transition, model.tags) };
  });
}

/** The entities a model finds in a text, in text order, each with its score. */
export function predict(model: Model, text: string, temperature = model.temperature): Prediction[] {
  return predictionsOf(model, scoreSentences(model, sentencesOf(text)), temperature);
}

export function predictionsOf(model: Model, scored: readonly ScoredSentence[], temperature = model.temperature): Prediction[] {
  const out: Prediction[] = [];
  for (const s of scored) {
    const spans = model.tags.decode(s.tags);
    if (spans.length === 0) continue;
    const marginals = new Marginals(s.scores, s.sentence.tokens.length, model.weights.transition, model.tags, temperature);
    for (const sp of spans) {
      const first = s.sentence.tokens[sp.start];
      const last = s.sentence.tokens[sp.end - 1];
      if (!first || !last) continue;
      out.push({ start: first.start, end: last.end, label: model.labels[sp.label] as string, score: marginals.spanProbability(sp) });
    }
  }
  return out;
}
