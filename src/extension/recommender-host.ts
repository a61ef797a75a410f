// Training off the UI path: in the Node extension host, on a worker thread running
// dist/recommender-worker.js (shipped in the .vsix); cancelling terminates the thread, which stops
// it at once whatever it is doing. In a browser host there is no worker thread to start here:
// `startTraining` says so by returning undefined (recommender-commands.ts tells the user why).
import * as vscode from 'vscode';
import { isBrowserHost } from './platform';
import { TRAIN_WORKER_ROLE, TrainMessage, TrainRequest, TrainSummary } from './recommender-protocol';
import { superviseWorker, WorkerRun } from './worker-run';

export type TrainOutcome =
  | { kind: 'done'; text: string; summary: TrainSummary }
  | { kind: 'failed'; message: string; problems: string[] };

export type TrainingRun = WorkerRun<TrainOutcome>;

/** Starts training on a worker thread; undefined where the host has none (a browser). */
export function startTraining(extensionUri: vscode.Uri, request: Omit<TrainRequest, 'role'>, onProgress: (message: string, fraction: number) => void): TrainingRun | undefined {
  if (isBrowserHost || extensionUri.scheme !== 'file') return undefined;
  const script = vscode.Uri.joinPath(extensionUri, 'dist', 'recommender-worker.js').fsPath;
  return superviseWorker<TrainMessage, TrainOutcome>(script, { ...request, role: TRAIN_WORKER_ROLE } satisfies TrainRequest, {
    outcomeOf: (m) => (m.kind === 'done' ? { kind: 'done', text: m.text, summary: m.summary } : { kind: 'failed', message: m.message, problems: m.problems }),
    failed: (message) => ({ kind: 'failed', message: `the training worker stopped: ${message}`, problems: [] }),
  }, onProgress);
}
