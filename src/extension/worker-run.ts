// The one way the extension runs a long job on a Node worker thread (training, the likely-errors
// check, the expected gains): the worker posts progress messages, then one last message; the
// host turns that into an outcome. Cancelling, an error or the last message each settle the run
// once and terminate the thread, which stops it at once whatever it is doing.
import { hostWorker } from './platform';

export type Supervised<O> = O | { kind: 'cancelled' };

export interface WorkerRun<O> {
  /** Settles once: the worker's last message as `outcomeOf` made it, its error as `failed` did, or cancelled. */
  readonly outcome: Promise<Supervised<O>>;
  /** Stops the worker; `outcome` resolves as cancelled (unless it had already settled). */
  cancel(): void;
}

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

/** Starts `script` on a worker thread with `workerData`; undefined where the host has no worker threads (a browser). */
export function superviseWorker<M extends { kind: string }, O>(script: string, workerData: unknown, protocol: WorkerProtocol<M, O>, onProgress: (message: string, fraction: number) => void): WorkerRun<O> | undefined {
  const worker = hostWorker(script, workerData);
  if (!worker) return undefined;
  let settle: (o: Supervised<O>) => void = () => undefined;
  const outcome = new Promise<Supervised<O>>((resolve) => {
    let settled = false;
    settle = (o) => {
      if (settled) return;
      settled = true;
      worker.off('message', onMessage);
      worker.off('error', onError);
      void worker.terminate();
      resolve(o);
    };
  });
  // Listening from the start: the worker may report before the caller's progress notification is up.
  const onMessage = (m: M) => {
    if (isProgress(m)) onProgress(m.message, m.fraction);
    else settle(protocol.outcomeOf(m as Exclude<M, ProgressMessage>));
  };
  const onError = (e: Error) => settle(protocol.failed(e.message));
  worker.on('message', onMessage as (v: never) => void);
  worker.on('error', onError as (v: never) => void);
  return { outcome, cancel: () => settle({ kind: 'cancelled' }) };
}

function isProgress(m: { kind: string }): m is ProgressMessage {
  return m.kind === 'progress';
}
