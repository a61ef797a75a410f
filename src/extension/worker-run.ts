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
  const stopped = (e: Error) => h.onError(new Error(`the ${what} stopped: ${e.message}`));
  worker.on('message', h.onMessage as (v: never) => void);
  worker.on('error', stopped as (v: never) => void);
  return () => {
    worker.off('message', h.onMessage as (v: never) => void);
    worker.off('error', stopped as (v: never) => void);
    void worker.terminate();
  };
}
