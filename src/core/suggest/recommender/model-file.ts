// The model file (`.corpus-annotator/model.json`): JSON with a format name and version, the
// labels, the hashing size, training statistics, and the weights. Emission weights are sparse
// (most hash buckets never fire): the bucket·tag indices as delta varints and the values as
// little-endian float32, each in base64, so the file stays small and loads fast on any host.
// Derived data: it can always be trained again from the sidecars.
import { cmp } from '../../model/model';
import { fromBase64, toBase64 } from './base64';
import { Counts, LexiconData } from './lexicon';
import { Model } from './recommender';
import { TagSet } from './tags';

export const MODEL_FORMAT = 'corpus-annotator-recommender';
export const MODEL_VERSION = 1;
/** Bumped whenever features.ts changes what a hash means: older models would predict nonsense. */
export const FEATURE_VERSION = 1;

export interface LabelFigures {
  precision: number;
  recall: number;
  f1: number;
}

export interface TrainingStats {
  documents: number;
  entities: number;
  tokens: number;
  epochs: number;
  seed: number;
  /** ISO date of training; left out when not given (reproducible bytes). */
  trainedAt?: string;
  /** Statuses of the documents trained on. */
  statuses?: string[];
  crossValidation?: { folds: number; micro: LabelFigures; byLabel: Record<string, LabelFigures> };
}

export interface ModelFile {
  name: string;
  model: Model;
  stats: TrainingStats;
}

export class ModelFormatError extends Error {}

export function serializeModel(file: ModelFile): string {
  const { model } = file;
  const w = model.weights.emission;
  const indexBytes: number[] = [];
  const values: number[] = [];
  let last = 0;
  for (let i = 0; i < w.length; i++) {
    if (w[i] === 0) continue;
    let d = i - last;
    last = i;
    while (d >= 0x80) { indexBytes.push((d & 0x7f) | 0x80); d >>>= 7; }
    indexBytes.push(d);
    values.push(w[i] as number);
  }
  const valueBytes = new Uint8Array(values.length * 4);
  const dv = new DataView(valueBytes.buffer);
  values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
  const json = {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    featureVersion: FEATURE_VERSION,
    name: file.name,
    kind: 'averaged-perceptron-bilou',
    labels: model.labels,
    hashBits: model.weights.hashBits,
    temperature: model.temperature,
    training: file.stats,
    transitions: Array.from(model.weights.transition),
    emission: { count: values.length, index: toBase64(Uint8Array.from(indexBytes)), values: toBase64(valueBytes) },
    lexicon: { words: sortedCounts(model.lexicon.words), phrases: sortedCounts(model.lexicon.phrases) },
  };
  return JSON.stringify(json) + '\n';
}

function sortedCounts(c: Counts): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const k of [...c.keys()].sort(cmp)) out[k] = c.get(k) as number[];
  return out;
}

/** Reads a model file; throws ModelFormatError saying what is wrong. */
export function parseModel(text: string): ModelFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelFormatError(`not a model file: invalid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const o = asObject(json, 'the file');
  if (o.format !== MODEL_FORMAT) throw new ModelFormatError(`not a model file: "format" is not "${MODEL_FORMAT}"`);
  if (o.version !== MODEL_VERSION) throw new ModelFormatError(`model format version ${String(o.version)} is not supported (this tool reads version ${MODEL_VERSION}); train the model again`);
  if (o.featureVersion !== FEATURE_VERSION) throw new ModelFormatError(`the model was trained with other features (version ${String(o.featureVersion)}, this tool has ${FEATURE_VERSION}); train it again`);
  const labels = o.labels;
  if (!Array.isArray(labels) || labels.length === 0 || !labels.every((l) => typeof l === 'string' && l !== '') || new Set(labels).size !== labels.length) {
    throw new ModelFormatError('"labels" must be a non-empty list of distinct label names');
  }
  const hashBits = o.hashBits;
  if (typeof hashBits !== 'number' || !Number.isInteger(hashBits) || hashBits < 8 || hashBits > 24) throw new ModelFormatError('"hashBits" must be an integer from 8 to 24');
  const temperature = o.temperature;
  if (typeof temperature !== 'number' || !(temperature > 0) || !Number.isFinite(temperature)) throw new ModelFormatError('"temperature" must be a positive number');
  const tags = new TagSet(labels as string[]);
  const T = tags.size;
  const transitions = o.transitions;
  if (!Array.isArray(transitions) || transitions.length !== T * T || !transitions.every((x) => typeof x === 'number' && Number.isFinite(x))) {
    throw new ModelFormatError(`"transitions" must be ${T * T} numbers (${T} tags)`);
  }
  const em = asObject(o.emission, '"emission"');
  const index = typeof em.index === 'string' ? fromBase64(em.index) : undefined;
  const values = typeof em.values === 'string' ? fromBase64(em.values) : undefined;
  if (!index || !values || typeof em.count !== 'number' || values.length !== em.count * 4) throw new ModelFormatError('"emission" is damaged (its index or values are not base64 of the right length)');
  const emission = new Float32Array((1 << hashBits) * T);
  const dv = new DataView(values.buffer, values.byteOffset, values.byteLength);
  let pos = 0;
  let at = 0;
  for (let k = 0; k < em.count; k++) {
    let d = 0;
    let shift = 0;
    for (;;) {
      if (pos >= index.length || shift > 28) throw new ModelFormatError('"emission" is damaged (its index ends early)');
      const b = index[pos++] as number;
      d |= (b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7;
    }
    at += d >>> 0;
    if (at >= emission.length || (k > 0 && d === 0)) throw new ModelFormatError('"emission" is damaged (an index is out of range)');
    emission[at] = dv.getFloat32(k * 4, true);
  }
  const lex = asObject(o.lexicon, '"lexicon"');
  const lexicon: LexiconData = { words: countsOf(lex.words, labels.length, '"lexicon.words"'), phrases: countsOf(lex.phrases, labels.length, '"lexicon.phrases"') };
  const stats = asObject(o.training, '"training"') as unknown as TrainingStats;
  const name = typeof o.name === 'string' && o.name !== '' ? o.name : 'model';
  return {
    name,
    stats,
    model: { labels: labels as string[], tags, weights: { hashBits, emission, transition: Float64Array.from(transitions as number[]) }, lexicon, temperature },
  };
}

function asObject(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new ModelFormatError(`${what} must be an object`);
  return v as Record<string, unknown>;
}

function countsOf(v: unknown, labels: number, what: string): Counts {
  const o = asObject(v, what);
  const out: Counts = new Map();
  for (const [k, c] of Object.entries(o)) {
    if (!Array.isArray(c) || c.length !== labels + 1 || !c.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0)) {
      throw new ModelFormatError(`${what}: the counts of "${k}" must be ${labels + 1} non-negative integers`);
    }
    out.set(k, c as number[]);
  }
  return out;
}
