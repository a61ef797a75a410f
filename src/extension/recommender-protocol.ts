// What the extension's host and the recommender's training workers say to each other: the Node
// worker thread (recommender-worker.ts) and the browser's Web Worker (recommender-web-worker.ts).
// No `vscode` and no Node import: both sides, and the unit tests, share it.
import type { TrainingDoc } from '../core/suggest/recommender/data';

/** Must match on both sides: the worker trains only when started with this role. */
export const TRAIN_WORKER_ROLE = 'corpus-annotator-recommender-trainer';

/** What to train, wherever the documents come from. */
export interface TrainParams {
  /** Statuses of the documents to learn from (only they are fully annotated). */
  statuses: string[];
  /** The model's name: suggestions say `src: model:<name>`. */
  name: string;
  epochs?: number;
  seed?: number;
  /** log2 of the feature hash buckets (default: the model's; fewer train faster, e.g. in tests). */
  hashBits?: number;
}

/** The Node worker's `workerData`: it starts on it at once and ends after its last message. */
export interface TrainRequest extends TrainParams {
  role: typeof TRAIN_WORKER_ROLE;
  /** The workspace folder (a local path): its sidecars are discovered as `corpus-annotator train` does. */
  root?: string;
  /** Or the documents, read by the host (a folder not on the local disk). */
  set?: TrainingSet;
}

/** The documents to train on, as read: by the Node worker from the disk, by the browser host from the store. */
export interface TrainingSet {
  docs: TrainingDoc[];
  /** Documents of other statuses, left out. */
  skipped: number;
  /** Sidecars left out because they are invalid or out of date, one line each. */
  problems: string[];
}

/**
 * The message the browser host posts to a new Web Worker: a Web Worker cannot read the workspace
 * (workspace.fs exists only in the host), so the host reads the documents and sends them.
 */
export interface WebTrainRequest extends TrainParams {
  role: typeof TRAIN_WORKER_ROLE;
  set: TrainingSet;
}

export interface TrainSummary {
  documents: number;
  entities: number;
  tokens: number;
  labels: string[];
  /** Documents of other statuses, left out. */
  skipped: number;
  /** Sidecars left out because they are invalid or out of date, one line each. */
  problems: string[];
  trainMs: number;
}

export type TrainMessage =
  | { kind: 'progress'; message: string; /** Of the whole run, 0…1. */ fraction: number }
  /** `text`: the model file's content, for the host to write (the host owns the workspace's files). */
  | { kind: 'done'; text: string; summary: TrainSummary }
  | { kind: 'failed'; message: string; problems: string[] };

/** Reading the corpus is this share of the progress bar; the epochs share the rest. */
export const READING_SHARE = 0.1;
export const READING_MESSAGE = 'reading the annotated documents';
