// What the extension's host (expected-gain.ts, expected-gain-host.ts / .web.ts) and the
// expected-gain workers (expected-gain-worker.ts on a Node worker thread, recommender-web-worker.ts
// on a browser's Web Worker) say to each other. No `vscode` and no Node import: both sides, and
// the unit tests, share it.
import type { GainEntry } from '../core/corpus/tree-model';
import type { TextSpan } from '../core/suggest/recommender/data';

/** Must match on both sides: the worker computes only when started with this role. */
export const GAIN_WORKER_ROLE = 'corpus-annotator-expected-gain';

/** The Node worker thread's `workerData`: it reads the model and the articles from the disk itself. */
export interface GainRequest {
  role: typeof GAIN_WORKER_ROLE;
  /** The model file (a local path). */
  modelPath: string;
  /** The corpus's articles (local paths), as the sidebar lists them; each one's sidecar is beside it. */
  articles: string[];
}

/**
 * A document as read for its gain: its text and its annotations (code points, suggestions left
 * out: their spans are not decided yet), or why it gets no figure (e.g. an invalid sidecar).
 */
export type GainDoc = { text: string; annotations: TextSpan[] } | { problem: string };

/** The browser's Web Worker's request (its first message): it can read nothing, so it gets the model file's text and the documents. */
export interface WebGainRequest {
  role: typeof GAIN_WORKER_ROLE;
  modelText: string;
  /** Names the model in a failure (its path in the workspace). */
  modelWhere: string;
  docs: GainDoc[];
}

export type GainMessage =
  | { kind: 'progress'; message: string; /** Of the whole run, 0…1. */ fraction: number }
  /** `entries`: one per requested article, in the same order. */
  | { kind: 'done'; modelName: string; entries: GainEntry[] }
  | { kind: 'failed'; message: string };

/** Why a document gets no figure, the same whichever host read it. */
export const SIDECAR_ERRORS = 'its sidecar has errors (Problems panel); fix them and sort again';
export const ARTICLE_CHANGED = 'the article changed since it was annotated; re-anchor its annotations and sort again';

/** How a run on either host ends (cancelling aside). */
export type GainOutcome = { kind: 'done'; modelName: string; entries: GainEntry[] } | { kind: 'failed'; message: string };

/** The outcome of the worker's last message. */
export function gainOutcomeOf(m: Exclude<GainMessage, { kind: 'progress' }>): GainOutcome {
  return m.kind === 'done' ? { kind: 'done', modelName: m.modelName, entries: m.entries } : m;
}
