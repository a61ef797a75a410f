// Find Likely Annotation Errors off the UI path in the Node extension host: on a worker thread
// running dist/likely-errors-worker.js, which reads a local folder's corpus and model from the disk
// itself; a folder elsewhere is read here and sent. The browser bundle gets
// likely-errors-host.web.ts in this file's place (esbuild.js): a Web Worker.
import * as vscode from 'vscode';
import { CHECK_WORKER_ROLE, CheckParams, CheckRequest, isHeldOut } from './likely-errors-protocol';
import { CheckRun, checkRun, readForWorker } from './likely-errors-run';
import { isBrowserHost } from './platform';
import { TrainingSource } from './recommender-run';
import { onWorkerThread } from './worker-run';

/** Starts the check on a worker thread (with the model file `model` unless training first); undefined where the host has none. */
export function startCheck(extensionUri: vscode.Uri, params: CheckParams, source: TrainingSource, model: vscode.Uri | undefined, onProgress: (message: string, fraction: number) => void): CheckRun | undefined {
  if (isBrowserHost || extensionUri.scheme !== 'file') return undefined;
  const script = vscode.Uri.joinPath(extensionUri, 'dist', 'likely-errors-worker.js').fsPath;
  const local = source.root !== undefined && (params.train !== undefined || isHeldOut(params) || model?.scheme === 'file');
  const run = checkRun(onProgress, async (h) => {
    const request: CheckRequest = { ...params, role: CHECK_WORKER_ROLE };
    if (local) {
      request.root = source.root;
      if (!params.train && model) request.modelPath = model.fsPath;
    } else {
      Object.assign(request, await readForWorker(params, source, model, h.settled, onProgress));
      if (h.settled()) return () => undefined; // cancelled while reading: no worker to start
    }
    return onWorkerThread(script, request, 'likely-errors worker', h);
  });
  return { run, articleOf: (path) => (local ? vscode.Uri.file(path) : vscode.Uri.parse(path)) };
}
