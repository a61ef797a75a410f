// What the extension's host and the likely-errors worker (likely-errors-worker.ts) say to each
// other. No `vscode` and no Node import: both sides, and the unit tests, share it.
import { ReviewFinding } from '../core/suggest/recommender/likely-error-review';
import { TrainSummary } from './recommender-protocol';

/** Must match on both sides: the worker checks only when started with this role. */
export const CHECK_WORKER_ROLE = 'corpus-annotator-likely-errors';

export interface CheckRequest {
  role: typeof CHECK_WORKER_ROLE;
  /** The workspace folder (a local path): its sidecars are discovered as `corpus-annotator likely-errors` does. */
  root: string;
  /** Statuses of the documents to check and to train on (only they are fully annotated). */
  statuses: string[];
  minScore: number;
  /**
   * 2 or more: each document is checked by a model trained on the other documents (that many
   * folds by document); no model file is read, trained or written. Otherwise one model checks all.
   */
  folds?: number;
  /** The model file to check with (a local path), unless `train` or `folds` is given. */
  modelPath?: string;
  /** Train a model first, with these options; its file's text comes back for the host to write. */
  train?: { name: string; epochs?: number; hashBits?: number };
  /** With `folds`: the training options of every fold's model. */
  foldTraining?: { epochs?: number; hashBits?: number };
}

export interface CheckedDocument {
  /** The article's local path. */
  path: string;
  findings: ReviewFinding[];
}

export type CheckMessage =
  | { kind: 'progress'; message: string; /** Of the whole run, 0…1. */ fraction: number }
  | { kind: 'done'; modelName: string; documents: CheckedDocument[]; problems: string[]; trained?: { text: string; summary: TrainSummary } }
  /** `stage`: training failed (e.g. nothing to learn from), or the check itself. */
  | { kind: 'failed'; stage: 'train' | 'check'; message: string; problems: string[] };
