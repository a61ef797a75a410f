// Training off the UI path in the Node extension host: on a worker thread running
// dist/recommender-worker.js (shipped in the .vsix), which reads a local folder's corpus from the
// disk itself; a folder elsewhere (a virtual file system) is read here, through the store, and sent.
// The browser bundle gets recommender-host.web.ts in this file's place (esbuild.js): a Web Worker.
import * as vscode from 'vscode';
import { isBrowserHost } from './platform';
import { READING_MESSAGE, TRAIN_WORKER_ROLE, TrainParams, TrainRequest } from './recommender-protocol';
import { TrainingRun, trainingRun, TrainingSource } from './recommender-run';
import { onWorkerThread } from './worker-run';

/** Starts training on a worker thread; undefined where the host has none. */
export function startTraining(extensionUri: vscode.Uri, params: TrainParams, source: TrainingSource, onProgress: (message: string, fraction: number) => void): TrainingRun | undefined {
  if (isBrowserHost || extensionUri.scheme !== 'file') return undefined;
  const script = vscode.Uri.joinPath(extensionUri, 'dist', 'recommender-worker.js').fsPath;
  return trainingRun(onProgress, async (h) => {
    const request: TrainRequest = { ...params, role: TRAIN_WORKER_ROLE };
    if (source.root !== undefined) request.root = source.root;
    else {
      onProgress(READING_MESSAGE, 0);
      request.set = await source.read(h.settled);
      if (h.settled()) return () => undefined; // cancelled while reading: no worker to start
    }
    return onWorkerThread(script, request, 'training worker', h);
  });
}
