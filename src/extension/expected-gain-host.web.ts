// Sort by Expected Gain off the UI path in a browser's web worker extension host (vscode.dev,
// github.dev, code-server's web host): on a dedicated Web Worker running
// dist/web/recommender-worker.js (the recommender's worker, which also trains and finds likely
// errors). A Web Worker cannot read the workspace, so this host reads the model file
// (workspace.fs) and every article with its annotations (through the store) and posts them; the
// worker computes as the Node one does (expected-gain-docs.ts). esbuild.js puts this file in
// expected-gain-host.ts's place.
import * as vscode from 'vscode';
import { withoutSuggestions } from '../core/suggest/suggest';
import { ARTICLE_CHANGED, GAIN_WORKER_ROLE, GainDoc, GainMessage, GainOutcome, gainOutcomeOf, SIDECAR_ERRORS, WebGainRequest } from './expected-gain-protocol';
import type { GainJob } from './expected-gain-host';
import { AnnotationStore } from './store';
import { canStartWebWorkers, onWebWorker, RECOMMENDER_WEB_WORKER } from './web-worker';
import { WorkerRun, workerRun } from './worker-run';

/** Reading the documents takes this share of the progress bar; the worker's computation the rest. */
const READING_SHARE = 0.3;

/** Why this host computes no gains at all (what the user is told); undefined when it can. */
export function gainsRefusal(_extensionUri: vscode.Uri): string | undefined {
  return canStartWebWorkers() ? undefined : 'Sort by Expected Gain needs a Web Worker to run the recommender over every article without freezing the editor, and this browser could not start one. Use the desktop VS Code, or `corpus-annotator suggest --model` where the corpus is cloned.';
}

/** Every folder's articles are read through the store here, whatever its file system. */
export function folderProblem(_folder: vscode.WorkspaceFolder): string | undefined {
  return undefined;
}

/** Starts `job` on a Web Worker, after reading what it needs; undefined where this host cannot start one. */
export function startGains(extensionUri: vscode.Uri, job: GainJob, store: AnnotationStore, onProgress: (message: string, fraction: number) => void): WorkerRun<GainOutcome> | undefined {
  if (!canStartWebWorkers()) return undefined;
  return workerRun<GainMessage, GainOutcome>(async (h) => {
    const modelText = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(job.model));
    const docs = await readGainDocs(store, job.articles, h.settled, (done) => onProgress(`reading ${done} of ${job.articles.length} documents`, READING_SHARE * done / job.articles.length));
    if (h.settled()) return () => undefined; // cancelled while reading: no worker to start
    const request: WebGainRequest = { role: GAIN_WORKER_ROLE, modelText, modelWhere: vscode.workspace.asRelativePath(job.model), docs };
    return onWebWorker<WebGainRequest, GainMessage>(extensionUri, RECOMMENDER_WEB_WORKER, 'expected-gain worker', request, h);
  }, (m) => {
    if (m.kind !== 'progress') return gainOutcomeOf(m);
    onProgress(m.message, READING_SHARE + (1 - READING_SHARE) * m.fraction);
    return undefined;
  }, (message) => ({ kind: 'failed', message: `the worker stopped: ${message}` }));
}

/**
 * Every article (annotated or not) as the store holds it: the editor's text when open, the
 * annotations re-anchored where the article changed. An article whose sidecar is invalid, or whose
 * annotations were not all found again, gets the reason it has no figure, as from the Node worker.
 */
export async function readGainDocs(store: AnnotationStore, articles: readonly vscode.Uri[], cancelled: () => boolean, onRead: (done: number) => void): Promise<GainDoc[]> {
  const docs: GainDoc[] = [];
  for (const uri of articles) {
    if (cancelled()) break;
    docs.push(await gainDocOf(store, uri));
    onRead(docs.length);
  }
  return docs;
}

async function gainDocOf(store: AnnotationStore, uri: vscode.Uri): Promise<GainDoc> {
  let ann;
  try {
    ann = await store.load(uri);
  } catch (e) {
    return { problem: `the article cannot be read: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (ann.kind === 'unreadable') return { problem: 'the article cannot be read: it is not UTF-8 text' };
  if (ann.kind === 'invalid') return { problem: SIDECAR_ERRORS };
  // Stale offsets would mark annotated spans as new and inflate the gain: no figure rather than a wrong one.
  if (ann.reanchorPending) return { problem: ARTICLE_CHANGED };
  return { text: ann.text, annotations: withoutSuggestions(ann.sidecar.entities) };
}
