// Find Likely Annotation Errors off the UI path in a browser's web worker extension host: on a
// dedicated Web Worker running dist/web/recommender-worker.js (the recommender's worker, which
// also trains), sent the documents and the model file read here (a Web Worker cannot read the
// workspace). esbuild.js puts this file in likely-errors-host.ts's place.
import * as vscode from 'vscode';
import { CHECK_WORKER_ROLE, CheckMessage, CheckParams, CheckRequest } from './likely-errors-protocol';
import { CheckRun, checkRun, readForWorker } from './likely-errors-run';
import { TrainingSource } from './recommender-run';
import { canStartWebWorkers, onWebWorker, RECOMMENDER_WEB_WORKER } from './web-worker';

/** Starts the check on a Web Worker (with the model file `model` unless training first); undefined where this host cannot start one. */
export function startCheck(extensionUri: vscode.Uri, params: CheckParams, source: TrainingSource, model: vscode.Uri | undefined, onProgress: (message: string, fraction: number) => void): CheckRun | undefined {
  if (!canStartWebWorkers()) return undefined;
  const run = checkRun(onProgress, async (h) => {
    const read = await readForWorker(params, source, model, h.settled, onProgress);
    if (h.settled()) return () => undefined; // cancelled while reading: no worker to start
    return onWebWorker<CheckRequest, CheckMessage>(extensionUri, RECOMMENDER_WEB_WORKER, 'likely-errors worker', { ...params, role: CHECK_WORKER_ROLE, ...read }, h);
  });
  return { run, articleOf: (path) => vscode.Uri.parse(path) };
}
