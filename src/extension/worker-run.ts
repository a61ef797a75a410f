// One run of work on a worker, whichever host runs it: a Node worker thread (platform.ts's
// hostWorker) or a browser's Web Worker (web-worker.ts). A run settles once — with the outcome the
// worker's messages say, failed, or cancelled — and settling stops the worker, so a cancel
// terminates it at once whatever it is doing. No `vscode` and no Node import.
import { hostWorker } from './platform';

export interface WorkerHandlers<M> {
  onMessage(m: M): void;
  onError(e: Error): void;
  /** True once the run has settled (cancelled, typically): starting may stop early. */
  settled(): boolean;
}

export type Cancelled = { kind: 'cancelled' };

export interface WorkerRun<O> {
  readonly outcome: Promise<O | Cancelled>;
  /** Stops the worker; `outcome` resolves as cancelled (unless it had already settled). */
  cancel(): void;
}

/**
 * A run on the worker `start` starts; `start` resolves to what stops the worker (called once the
 * run settles, at once if it settled meanwhile). `interpret` turns a message into the outcome, or
 * undefined while the work goes on; `failure` makes one of a worker error or a failed start.
 */
export function workerRun<M, O>(start: (h: WorkerHandlers<M>) => Promise<() => void>, interpret: (m: M) => O | undefined, failure: (message: string) => O): WorkerRun<O> {
  let settled = false;
  let stop: (() => void) | undefined;
  let resolve: (o: O | Cancelled) => void = () => undefined;
  const outcome = new Promise<O | Cancelled>((r) => { resolve = r; });
  const settle = (o: O | Cancelled) => {
    if (settled) return;
    settled = true;
    stop?.();
    resolve(o);
  };
  start({
    onMessage: (m) => {
      if (settled) return;
      const o = interpret(m);
      if (o !== undefined) settle(o);
    },
    onError: (e) => settle(failure(e.message)),
    settled: () => settled,
  }).then((s) => {
    if (settled) s();
    else stop = s;
  }, (e: unknown) => settle(failure(e instanceof Error ? e.message : String(e))));
  return { outcome, cancel: () => settle({ kind: 'cancelled' }) };
}

/** Starts a Node worker thread on `script` with `workerData`, wired to `h`; resolves to what stops it. */
export function onWorkerThread<M>(script: string, workerData: unknown, what: string, h: WorkerHandlers<M>): () => void {
  const worker = hostWorker(script, workerData);
  if (!worker) throw new Error('this extension host could not start a worker thread');
  return wireWorker(worker, h, (e) => new Error(`the ${what} stopped: ${e.message}`));
}

function wireWorker<M>(worker: NonNullable<ReturnType<typeof hostWorker>>, h: WorkerHandlers<M>, error: (e: Error) => Error): () => void {
  const stopped = (e: Error) => h.onError(error(e));
  // A thread that ends without its last message (process.exit in a dependency, killed by the
  // system) raises no 'error': without this the run would wait for ever. Its last messages are
  // delivered before 'exit'; the turn waited covers any still queued, and a settled run ignores it.
  const exited = (code: number) => setTimeout(() => stopped(new Error(`the worker thread exited (code ${code}) before reporting its result`)), 0);
  worker.on('message', h.onMessage as (v: never) => void);
  worker.on('error', stopped as (v: never) => void);
  worker.on('exit', exited as (v: never) => void);
  return () => {
    worker.off('message', h.onMessage as (v: never) => void);
    worker.off('error', stopped as (v: never) => void);
    worker.off('exit', exited as (v: never) => void);
    void worker.terminate();
  };
}

export type Supervised<O> = O | Cancelled;

/** How every worker reports how far it is: `fraction` of the whole run, 0…1. */
export interface ProgressMessage {
  kind: 'progress';
  message: string;
  fraction: number;
}

export interface WorkerProtocol<M, O> {
  /** The outcome of the worker's last message (any but a progress one). */
  outcomeOf(m: Exclude<M, ProgressMessage>): O;
  /** The outcome when the thread fails (an exception it did not catch, a bundle that will not load). */
  failed(message: string): O;
}

/**
 * A run of `script` on a worker thread whose messages are progress until one last message (the
 * expected gains' worker); undefined where the host has no worker threads (a browser).
 */
export function superviseWorker<M extends { kind: string }, O>(script: string, workerData: unknown, protocol: WorkerProtocol<M, O>, onProgress: (message: string, fraction: number) => void): WorkerRun<O> | undefined {
  const worker = hostWorker(script, workerData);
  if (!worker) return undefined;
  // Wired synchronously (workerRun calls `start` at once): the worker may report before the caller's progress notification is up.
  return workerRun<M, O>(async (h) => wireWorker(worker, h, (e) => e), (m) => {
    if (!isProgress(m)) return protocol.outcomeOf(m as Exclude<M, ProgressMessage>);
    onProgress(m.message, m.fraction);
    return undefined;
  }, (message) => protocol.failed(message));
}

function isProgress(m: { kind: string }): m is ProgressMessage {
  return m.kind === 'progress';
}
