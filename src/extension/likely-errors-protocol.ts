// What the extension's host and the likely-errors workers (likely-errors-worker.ts on a Node worker
// thread, recommender-web-worker.ts on a browser's Web Worker) say to each other. No `vscode` and no Node import: both sides, and the unit tests, share it.
import { ReviewFinding } from '../core/suggest/recommender/likely-error-review';
import { TrainingSet, TrainSummary } from './recommender-protocol';

/** Must match on both sides: the worker checks only when started with this role. */
export const CHECK_WORKER_ROLE = 'corpus-annotator-likely-errors';

/** What to check, wherever the documents and the model come from. */
export interface CheckParams {
  /** Statuses of the documents to check and to train on (only they are fully annotated). */
  statuses: string[];
  minScore: number;
  /** Train a model first, with these options; its file's text comes back for the host to write. */
  train?: { name: string; epochs?: number; hashBits?: number };
  /**
   * 2 or more: each document is checked by a model trained on the other documents (that many
   * folds by document); no model file is read, trained or written.
   */
  folds?: number;
  /** With `folds`: the training options of every fold's model. */
  foldTraining?: { epochs?: number; hashBits?: number };
}

/** Whether `params` asks for the held-out check (no model file involved). */
export function isHeldOut(params: CheckParams): boolean {
  return params.folds !== undefined && params.folds >= 2;
}

/**
 * The worker's request: `workerData` of the Node worker thread, the first message of the browser's
 * Web Worker (which can read nothing itself: it gets `set` and `modelText`).
 */
export interface CheckRequest extends CheckParams {
  role: typeof CHECK_WORKER_ROLE;
  /** The workspace folder (a local path): its sidecars are discovered as `corpus-annotator likely-errors` does. */
  root?: string;
  /** Or the documents, read by the host (a browser, or a folder not on the local disk); their names are URIs. */
  set?: TrainingSet;
  /** The model file to check with (a local path), unless `train` or `modelText` is given. */
  modelPath?: string;
  /** Or its text, read by the host. */
  modelText?: string;
}

export interface CheckedDocument {
  /** The article's local path (`root` given), else its URI (the name the host gave it). */
  path: string;
  findings: ReviewFinding[];
}

export type CheckMessage =
  | { kind: 'progress'; message: string; /** Of the whole run, 0…1. */ fraction: number }
  | { kind: 'done'; modelName: string; documents: CheckedDocument[]; problems: string[]; trained?: { text: string; summary: TrainSummary } }
  /** `stage`: training failed (e.g. nothing to learn from), or the check itself. */
  | { kind: 'failed'; stage: 'train' | 'check'; message: string; problems: string[] };
