// User patterns off the browser's web worker extension host (vscode.dev, github.dev, code-server's
// web host): they run on a dedicated Web Worker (dist/web/pattern-worker.js, shipped in the .vsix),
// terminated when a pattern overruns its time budget on a document — the same PatternRunner as the
// Node host (pattern-host.ts; esbuild.js puts this file in its place in the browser bundle).
// Where no Worker can be made, patterns run inline (undefined is returned): then only the static
// check of patterns.yaml (src/core/suggest/regex-safety.ts) and Restricted Mode stand between a hostile
// regex and the host.
import * as vscode from 'vscode';
import { PatternReply, PatternRequest, PatternRunner, PatternWorker } from '../core/suggest/pattern-runner';

/** What the runner uses of a browser's dedicated Worker (the DOM lib is not in tsconfig). */
interface WebWorker {
  postMessage(value: PatternRequest): void;
  addEventListener(type: 'message', listener: (e: { data: PatternReply }) => void): void;
  addEventListener(type: 'error', listener: (e: { message?: string }) => void): void;
  removeEventListener(type: 'message' | 'error', listener: (e: never) => void): void;
  terminate(): void;
}
type WorkerConstructor = new (url: string, options?: { name?: string }) => WebWorker;

/** The worker script, relative to the extension's folder. */
export const WEB_WORKER_SCRIPT = ['dist', 'web', 'pattern-worker.js'] as const;

/** A runner on Web Workers; undefined where this host cannot start one. */
export async function hostPatternRunner(extensionUri: vscode.Uri, budgetMs?: number): Promise<PatternRunner | undefined> {
  const WorkerClass = (globalThis as { Worker?: WorkerConstructor }).Worker;
  if (typeof WorkerClass !== 'function') return undefined;
  const { url, release } = await scriptUrl(vscode.Uri.joinPath(extensionUri, ...WEB_WORKER_SCRIPT));
  return new WebPatternRunner(() => spawn(WorkerClass, url), budgetMs, release);
}

class WebPatternRunner extends PatternRunner {
  constructor(spawnWorker: () => PatternWorker, budgetMs: number | undefined, private readonly release: () => void) {
    super(spawnWorker, budgetMs);
  }

  override close(): void {
    super.close();
    this.release();
  }
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

function spawn(WorkerClass: WorkerConstructor, url: string): PatternWorker {
  const w = new WorkerClass(url, { name: 'corpus-annotator patterns' });
  return {
    post: (request) => w.postMessage(request),
    listen: (onReply, onError) => {
      const message = (e: { data: PatternReply }) => onReply(e.data);
      // A script that fails to load or throws arrives here as an ErrorEvent, not an Error.
      const error = (e: { message?: string }) => onError(new Error(`the pattern worker failed: ${e.message ?? 'it could not be started'}`));
      w.addEventListener('message', message);
      w.addEventListener('error', error);
      return () => {
        w.removeEventListener('message', message as (e: never) => void);
        w.removeEventListener('error', error as (e: never) => void);
      };
    },
    terminate: () => w.terminate(),
  };
}
