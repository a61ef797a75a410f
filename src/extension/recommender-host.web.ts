// Training off the UI path in a browser's web worker extension host (vscode.dev, github.dev,
// code-server's web host): on a dedicated Web Worker running dist/web/recommender-worker.js
// (shipped in the .vsix). A Web Worker cannot read the workspace, so this host reads the documents
// first (through the store, i.e. workspace.fs) and posts them; the worker trains as the Node one
// does (recommender-train.ts). esbuild.js puts this file in recommender-host.ts's place.
import * as vscode from 'vscode';
import { READING_MESSAGE, TRAIN_WORKER_ROLE, TrainParams } from './recommender-protocol';
import { TrainingRun, trainingRun, TrainingSource } from './recommender-run';
import { canStartWebWorkers, onWebWorker, RECOMMENDER_WEB_WORKER } from './web-worker';

/** Starts training on a Web Worker; undefined where this host cannot start one. */
export function startTraining(extensionUri: vscode.Uri, params: TrainParams, source: TrainingSource, onProgress: (message: string, fraction: number) => void): TrainingRun | undefined {
  if (!canStartWebWorkers()) return undefined;
  return trainingRun(onProgress, async (h) => {
    onProgress(READING_MESSAGE, 0);
    const set = await source.read(h.settled);
    if (h.settled()) return () => undefined; // cancelled while reading: no worker to start
    return onWebWorker(extensionUri, RECOMMENDER_WEB_WORKER, 'training worker', { ...params, role: TRAIN_WORKER_ROLE, set }, h);
  });
}
