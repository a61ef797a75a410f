// What the corpus counts (corpus-counts.ts, through summarise-host.ts) and the summarising workers
// (summarise-worker.ts, Node worker threads) say to each other. No `vscode` and no Node import.
import type { SummaryBatch } from '../core/corpus/summary-transfer';

/** Must match on both sides: the worker summarises only when started with this role. */
export const SUMMARISE_WORKER_ROLE = 'corpus-annotator-summarise';

/** The worker's `workerData`: the sidecars (local paths) to read and summarise, in this order. */
export interface SummariseRequest {
  role: typeof SUMMARISE_WORKER_ROLE;
  sidecars: string[];
}

/** How a sidecar looked when it was read (fstat of the descriptor read): `absent` when there was none. */
export type ReadStamp = { absent: true } | { size: number; mtime: number };

/**
 * The worker goes over its sidecars twice: first for their counts only (the sidebar's totals, about
 * half the work of a summary with mentions), then again for full summaries (mentions, problems),
 * which the label and entity groupings wait for.
 */
export type SummarisePhase = 'counts' | 'full';

export type SummariseMessage =
  /**
   * The next sidecars of the request in this phase, in order: `batch.summaries[k]` is sidecar
   * `first + k`'s, read when it looked like `stamps[k]`; `failed` lists those it could not read or
   * decode (the caller reads them itself, and reports why as it always does).
   */
  | { kind: 'batch'; phase: SummarisePhase; first: number; batch: SummaryBatch; stamps: ReadStamp[]; failed: number[] }
  /** Every sidecar's batch of this phase has been sent. */
  | { kind: 'phase-done'; phase: SummarisePhase };
