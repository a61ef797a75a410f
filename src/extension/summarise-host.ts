// The first pass over a large corpus on Node worker threads (dist/summarise-worker.js): each worker
// reads and summarises its share of the sidecars, counts first, then full summaries; the extension
// host's thread only decodes what they send (core/corpus/summary-transfer.ts). The browser bundle
// gets summarise-host.web.ts in this file's place (esbuild.js): no threads there, the counts pass
// reads through workspace.fs on the host's thread as before.
import * as os from 'node:os';
import { Worker } from 'node:worker_threads';
import { DocumentSummary, StringPool } from '../core/corpus/corpus-index';
import { SummaryDecoder } from '../core/corpus/summary-transfer';
import { ReadStamp, SUMMARISE_WORKER_ROLE, SummariseMessage, SummarisePhase, SummariseRequest } from './summarise-protocol';

export interface SummariseSink {
  /** Sidecar `index`'s summary in `phase`, read when it looked like `stamp`. */
  summary(phase: SummarisePhase, index: number, summary: DocumentSummary, stamp: ReadStamp): void;
  /** Sidecar `index` got no summary in `phase` (unreadable, not UTF-8, or its worker stopped): the caller reads it itself. */
  failed(phase: SummarisePhase, index: number, why: string | undefined): void;
}

export interface SummariseRun {
  /** Every sidecar has had its counts summary (or its failure) reported. */
  readonly counted: Promise<void>;
  /** Every sidecar has had its full summary (or its failure) reported. */
  readonly finished: Promise<void>;
  readonly threads: number;
  /** Stops the workers; what they had not reported is not reported. */
  stop(): void;
}

/** Sidecars per thread below which a second thread is not worth starting. */
const PER_THREAD = 1000;
const MAX_THREADS = 4;

/** Starts summarising `sidecars` (local paths) on worker threads running `script` (dist/summarise-worker.js). */
export function summariseOnWorkers(script: string, sidecars: readonly string[], pool: StringPool, sink: SummariseSink): SummariseRun | undefined {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  // The host's own thread mostly waits meanwhile; on two cores, two workers still finish first.
  const threads = Math.max(1, Math.min(MAX_THREADS, Math.max(2, cores - 1), Math.ceil(sidecars.length / PER_THREAD)));
  const runs: Array<{ counted: Promise<void>; finished: Promise<void>; stop: () => void }> = [];
  try {
    for (let t = 0; t < threads; t++) {
      const from = Math.floor((t * sidecars.length) / threads);
      const to = Math.floor(((t + 1) * sidecars.length) / threads);
      runs.push(runOne(script, sidecars.slice(from, to), from, pool, sink));
    }
  } catch {
    for (const r of runs) r.stop();
    return undefined;
  }
  return {
    counted: Promise.all(runs.map((r) => r.counted)).then(() => undefined),
    finished: Promise.all(runs.map((r) => r.finished)).then(() => undefined),
    threads,
    stop: () => runs.forEach((r) => r.stop()),
  };
}

function runOne(script: string, sidecars: string[], offset: number, pool: StringPool, sink: SummariseSink): { counted: Promise<void>; finished: Promise<void>; stop: () => void } {
  const request: SummariseRequest = { role: SUMMARISE_WORKER_ROLE, sidecars };
  const worker = new Worker(script, { workerData: request });
  const decoder = new SummaryDecoder(pool);
  // Per phase, how many sidecars have been reported (they come in order).
  const reported: Record<SummarisePhase, number> = { counts: 0, full: 0 };
  let resolveCounted = () => {};
  let resolveFinished = () => {};
  const counted = new Promise<void>((r) => (resolveCounted = r));
  const finished = new Promise<void>((r) => (resolveFinished = r));
  let over = false;
  const end = () => {
    if (over) return;
    over = true;
    queue.length = 0;
    worker.off('message', enqueue);
    worker.off('error', onError);
    worker.off('exit', onExit);
    // (A late 'error' with no listener would be thrown in the host.)
    worker.on('error', () => undefined);
    void worker.terminate();
    resolveCounted();
    resolveFinished();
  };
  // One message handled per turn of the event loop: Node delivers every message queued on a port
  // in one go, and a few batches decoded back to back after a busy moment stalled the host 200 ms.
  // The worker's end and its failures wait their turn behind the batches it sent before.
  const queue: Array<SummariseMessage | { kind: 'stopped'; error: Error }> = [];
  let draining = false;
  const drain = () => {
    const m = queue.shift();
    if (m && !over) {
      if (m.kind === 'stopped') onStopped(m.error);
      else onMessage(m);
    }
    draining = queue.length > 0 && !over;
    if (draining) setImmediate(drain);
  };
  const enqueue = (m: SummariseMessage | { kind: 'stopped'; error: Error }) => {
    if (over) return;
    queue.push(m);
    if (!draining) {
      draining = true;
      setImmediate(drain);
    }
  };
  const onError = (e: Error) => enqueue({ kind: 'stopped', error: e });
  const onExit = (code: number) => enqueue({ kind: 'stopped', error: new Error(`it exited (code ${code})`) });
  /** The worker is gone before the end: what it has not reported is the caller's to read. */
  const onStopped = (e: Error) => {
    if (over) return;
    for (const phase of ['counts', 'full'] as const) {
      for (let i = reported[phase]; i < sidecars.length; i++) sink.failed(phase, offset + i, `the summarising thread stopped: ${e.message}`);
      reported[phase] = sidecars.length;
    }
    end();
  };
  const onMessage = (m: SummariseMessage) => {
    if (over) return;
    if (m.kind === 'phase-done') {
      if (m.phase === 'counts') resolveCounted();
      else end();
      return;
    }
    let summaries: DocumentSummary[];
    try {
      summaries = decoder.decode(m.batch);
      if (summaries.length !== m.stamps.length || m.first !== reported[m.phase]) throw new Error(`batch of ${summaries.length} summaries for ${m.stamps.length} sidecars at ${m.first} (expected ${reported[m.phase]})`);
    } catch (e) {
      onStopped(e instanceof Error ? e : new Error(String(e)));
      return;
    }
    const failed = new Set(m.failed);
    summaries.forEach((s, k) => {
      const i = m.first + k;
      if (failed.has(i)) sink.failed(m.phase, offset + i, undefined);
      else sink.summary(m.phase, offset + i, s, m.stamps[k] as ReadStamp);
    });
    reported[m.phase] = m.first + summaries.length;
  };
  // (Its last messages are delivered before 'exit': queued ahead of it.)
  worker.on('message', enqueue);
  worker.on('error', onError);
  worker.on('exit', onExit);
  return { counted, finished, stop: end };
}
