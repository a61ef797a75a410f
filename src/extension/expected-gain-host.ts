// Sort by Expected Gain off the UI path in the Node extension host: on a worker thread running
// dist/expected-gain-worker.js, which reads the model, the articles and their sidecars from the
// local disk itself. The browser bundle gets expected-gain-host.web.ts in this file's place
// (esbuild.js): a Web Worker sent the documents read through the store.
import * as vscode from 'vscode';
import { GAIN_WORKER_ROLE, GainMessage, GainOutcome, gainOutcomeOf, GainRequest } from './expected-gain-protocol';
import { isBrowserHost } from './platform';
import { AnnotationStore } from './store';
import { superviseWorker, WorkerRun } from './worker-run';

/** One folder's computation: its model file and its articles. */
export interface GainJob {
  model: vscode.Uri;
  articles: vscode.Uri[];
}

/** Why this host computes no gains at all (what the user is told); undefined when it can. */
export function gainsRefusal(extensionUri: vscode.Uri): string | undefined {
  if (!isBrowserHost && extensionUri.scheme === 'file') return undefined;
  return 'Sort by Expected Gain is not offered here: it runs the recommender over every article, seconds of computation that would freeze the editor, and this host has no worker thread to move them to. Use the desktop VS Code, or `corpus-annotator suggest --model` where the corpus is cloned.';
}

/** Why the articles of `folder` get no figure on this host; undefined when they can. */
export function folderProblem(folder: vscode.WorkspaceFolder): string | undefined {
  return folder.uri.scheme === 'file' ? undefined : 'not on the local disk, where the worker thread reads the articles';
}

/** Starts `job` on a worker thread; undefined where the host could not start one. */
export function startGains(extensionUri: vscode.Uri, job: GainJob, _store: AnnotationStore, onProgress: (message: string, fraction: number) => void): WorkerRun<GainOutcome> | undefined {
  const request: GainRequest = { role: GAIN_WORKER_ROLE, modelPath: job.model.fsPath, articles: job.articles.map((a) => a.fsPath) };
  return superviseWorker<GainMessage, GainOutcome>(vscode.Uri.joinPath(extensionUri, 'dist', 'expected-gain-worker.js').fsPath, request, {
    outcomeOf: gainOutcomeOf,
    failed: (message) => ({ kind: 'failed', message: `the worker stopped: ${message}` }),
  }, onProgress);
}
