// Dedicated Web Workers for the browser's web worker extension host (vscode.dev, github.dev,
// code-server's web host): the user patterns' runner (pattern-host.web.ts) and the recommender's
// training (recommender-host.web.ts) start their scripts, shipped under dist/web/, through here.
// No Node import: only the browser bundle uses it.
import * as vscode from 'vscode';

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
