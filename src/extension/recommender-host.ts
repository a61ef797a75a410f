// Training off the UI path in the Node extension host: on a worker thread running
// dist/recommender-worker.js (shipped in the .vsix), which reads a local folder's corpus from the
// disk itself; a folder elsewhere (a virtual file system) is read here, through the store, and sent.
// The browser bundle gets recommender-host.web.ts in this file's place (esbuild.js): a Web Worker.
import * as vscode from 'vscode';
import { hostWorker, isBrowserHost } from './platform';
import { READING_MESSAGE, TRAIN_WORKER_ROLE, TrainParams, TrainRequest } from './recommender-protocol';
import { TrainingRun, trainingRun, TrainingSource } from './recommender-run';

/** Starts training on a worker thread; undefined where the host has none. */
export function startTraining(extensionUri: vscode.Uri, params: TrainParams, source: TrainingSource, onProgress: (message: string, fraction: number) => void): TrainingRun | undefined {
  if (isBrowserHost || extensionUri.scheme !== 'file') return undefined;
  const script = vscode.Uri.joinPath(extensionUri, 'dist', 'recommender-worker.js').fsPath;
  return trainingRun(onProgress, async ({ onMessage, onError, settled }) => {
    const request: TrainRequest = { ...params, role: TRAIN_WORKER_ROLE };
    if (source.root !== undefined) request.root = source.root;
    else {
      onProgress(READING_MESSAGE, 0);
      request.set = await source.read(settled);
      if (settled()) return () => undefined; // cancelled while reading: no worker to start
    }
    const worker = hostWorker(script, request);
    if (!worker) throw new Error('this extension host could not start a worker thread');
    const stopped = (e: Error) => onError(new Error(`the training worker stopped: ${e.message}`));
    worker.on('message', onMessage as (v: never) => void);
    worker.on('error', stopped as (v: never) => void);
    return () => {
      worker.off('message', onMessage as (v: never) => void);
      worker.off('error', stopped as (v: never) => void);
      void worker.terminate();
    };
  });
}
