// What the extension's host and the recommender's training worker (recommender-worker.ts) say to
// each other. No `vscode` and no Node import: both sides, and the unit tests, share it.

/** Must match on both sides: the worker trains only when started with this role. */
export const TRAIN_WORKER_ROLE = 'corpus-annotator-recommender-trainer';

/** The worker's `workerData`: it starts on it at once and ends after its last message. */
export interface TrainRequest {
  role: typeof TRAIN_WORKER_ROLE;
  /** The workspace folder (a local path): its sidecars are discovered as `corpus-annotator train` does. */
  root: string;
  /** Statuses of the documents to learn from (only they are fully annotated). */
  statuses: string[];
  /** The model's name: suggestions say `src: model:<name>`. */
  name: string;
  epochs?: number;
  seed?: number;
  /** log2 of the feature hash buckets (default: the model's; fewer train faster, e.g. in tests). */
  hashBits?: number;
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
