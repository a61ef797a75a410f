// What the extension's host (expected-gain.ts) and the expected-gain worker
// (expected-gain-worker.ts) say to each other. No `vscode` and no Node import: both sides, and
// the unit tests, share it.
import type { GainEntry } from '../core/corpus/tree-model';

/** Must match on both sides: the worker computes only when started with this role. */
export const GAIN_WORKER_ROLE = 'corpus-annotator-expected-gain';

export interface GainRequest {
  role: typeof GAIN_WORKER_ROLE;
  /** The model file (a local path). */
  modelPath: string;
  /** The corpus's articles (local paths), as the sidebar lists them; each one's sidecar is beside it. */
  articles: string[];
}

export type GainMessage =
  | { kind: 'progress'; message: string; /** Of the whole run, 0…1. */ fraction: number }
  /** `entries`: one per requested article, in the same order. */
  | { kind: 'done'; modelName: string; entries: GainEntry[] }
  | { kind: 'failed'; message: string };
