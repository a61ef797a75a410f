// Training off the UI path: in the Node extension host, on a worker thread running
// dist/recommender-worker.js (shipped in the .vsix); cancelling terminates the thread, which stops
// it at once whatever it is doing. In a browser host there is no worker thread to start here:
// `startTraining` says so by returning undefined (recommender-commands.ts tells the user why).
import * as vscode from 'vscode';
import { hostWorker, isBrowserHost } from './platform';
import { TRAIN_WORKER_ROLE, TrainMessage, TrainRequest, TrainSummary } from './recommender-protocol';

export type TrainOutcome =
  | { kind: 'done'; text: string; summary: TrainSummary }
  | { kind: 'failed'; message: string; problems: string[] }
  | { kind: 'cancelled' };

export interface TrainingRun {
  readonly outcome: Promise<TrainOutcome>;
  /** Stops the worker; `outcome` resolves as cancelled (unless it had already settled). */
  cancel(): void;
}

/** Starts training on a worker thread; undefined where the host has none (a browser). */
export function startTraining(extensionUri: vscode.Uri, request: Omit<TrainRequest, 'role'>, onProgress: (message: string, fraction: number) => void): TrainingRun | undefined {
  if (isBrowserHost || extensionUri.scheme !== 'file') return undefined;
  const script = vscode.Uri.joinPath(extensionUri, 'dist', 'recommender-worker.js').fsPath;
  const worker = hostWorker(script, { ...request, role: TRAIN_WORKER_ROLE } satisfies TrainRequest);
  if (!worker) return undefined;
  let settle: (o: TrainOutcome) => void = () => undefined;
  const outcome = new Promise<TrainOutcome>((resolve) => {
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
  const onMessage = (m: TrainMessage) => {
    if (m.kind === 'progress') onProgress(m.message, m.fraction);
    else if (m.kind === 'done') settle({ kind: 'done', text: m.text, summary: m.summary });
    else settle({ kind: 'failed', message: m.message, problems: m.problems });
  };
  const onError = (e: Error) => settle({ kind: 'failed', message: `the training worker stopped: ${e.message}`, problems: [] });
  worker.on('message', onMessage as (v: never) => void);
  worker.on('error', onError as (v: never) => void);
  return { outcome, cancel: () => settle({ kind: 'cancelled' }) };
}
