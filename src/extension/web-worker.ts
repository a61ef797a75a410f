// Dedicated Web Workers for the browser's web worker extension host (vscode.dev, github.dev,
// code-server's web host): the user patterns' runner (pattern-host.web.ts) and the recommender's
// training (recommender-host.web.ts) start their scripts, shipped under dist/web/, through here.
// No Node import: only the browser bundle uses it.
import * as vscode from 'vscode';
import type { WorkerHandlers } from './worker-run';

/** What the extension uses of a browser's dedicated Worker (the DOM lib is not in tsconfig). */
export interface WebWorker<In, Out> {
  postMessage(value: In): void;
  addEventListener(type: 'message', listener: (e: { data: Out }) => void): void;
  addEventListener(type: 'error', listener: (e: { message?: string }) => void): void;
  removeEventListener(type: 'message' | 'error', listener: (e: never) => void): void;
  terminate(): void;
}
type WorkerConstructor = new (url: string, options?: { name?: string }) => WebWorker<unknown, unknown>;

export interface WebWorkerScript {
  /** A new worker on the script; `name` shows in the browser's developer tools. */
  spawn<In, Out>(name: string): WebWorker<In, Out>;
  /** Frees the script's URL once no worker is to be started any more. */
  release(): void;
}

/** The recommender's Web Worker script (training and Find Likely Annotation Errors), relative to the extension's folder. */
export const RECOMMENDER_WEB_WORKER = ['dist', 'web', 'recommender-worker.js'] as const;

/** Whether this host has a Worker to start. */
export function canStartWebWorkers(): boolean {
  return typeof (globalThis as { Worker?: unknown }).Worker === 'function';
}

/** The script at `path` (relative to the extension's folder), ready to start workers on; undefined where this host has no Worker. */
export async function webWorkerScript(extensionUri: vscode.Uri, path: readonly string[]): Promise<WebWorkerScript | undefined> {
  const WorkerClass = (globalThis as { Worker?: WorkerConstructor }).Worker;
  if (typeof WorkerClass !== 'function') return undefined;
  const { url, release } = await scriptUrl(vscode.Uri.joinPath(extensionUri, ...path));
  return { spawn: <In, Out>(name: string) => new WorkerClass(url, { name }) as WebWorker<In, Out>, release };
}

/**
 * Listens to a worker's replies and failures until the returned function is called. A script that
 * fails to load or throws arrives as an ErrorEvent, not an Error: `what` names the worker in the
 * Error made of it.
 */
export function listenToWorker<Out>(w: WebWorker<unknown, Out>, what: string, onReply: (reply: Out) => void, onError: (e: Error) => void): () => void {
  const message = (e: { data: Out }) => onReply(e.data);
  const error = (e: { message?: string }) => onError(new Error(`the ${what} failed: ${e.message ?? 'it could not be started'}`));
  w.addEventListener('message', message);
  w.addEventListener('error', error);
  return () => {
    w.removeEventListener('message', message as (e: never) => void);
    w.removeEventListener('error', error as (e: never) => void);
  };
}

/**
 * Starts a Web Worker on the script at `path` for one request: posts `request`, wires its replies
 * to `h`; resolves to what stops it (and frees the script's URL). `what` names it in errors.
 */
export async function onWebWorker<In, Out>(extensionUri: vscode.Uri, path: readonly string[], what: string, request: In, h: WorkerHandlers<Out>): Promise<() => void> {
  const script = await webWorkerScript(extensionUri, path);
  if (!script) throw new Error('this browser could not start a Web Worker');
  let worker: WebWorker<In, Out>;
  try {
    worker = script.spawn<In, Out>(`corpus-annotator ${what}`);
  } catch (e) {
    script.release();
    throw e;
  }
  const unlisten = listenToWorker(worker, what, h.onMessage, h.onError);
  const stop = () => {
    unlisten();
    worker.terminate();
    script.release();
  };
  try {
    // A request the browser cannot clone throws here: the worker and the script's URL go with it.
    worker.postMessage(request);
  } catch (e) {
    stop();
    throw e;
  }
  return stop;
}

/**
 * A URL the host's Worker accepts for the script. VS Code's web worker host rewrites `file:` URLs
 * and loads http(s) ones, but refuses `vscode-remote:` ("Creating workers from remote extensions
 * is currently not supported", code-server 4.100's extensionHostWorkerMain.js) — the scheme of an
 * extension served by a remote server. There the script's bytes, read through workspace.fs, become
 * a blob: URL of this worker's own origin, which the host's Worker loads like any script.
 */
async function scriptUrl(script: vscode.Uri): Promise<{ url: string; release: () => void }> {
  if (script.scheme !== 'vscode-remote') return { url: script.toString(true), release: () => undefined };
  const bytes = await vscode.workspace.fs.readFile(script);
  const url = URL.createObjectURL(new Blob([bytes], { type: 'text/javascript' }));
  return { url, release: () => URL.revokeObjectURL(url) };
}
