// User patterns off the browser's web worker extension host (vscode.dev, github.dev, code-server's
// web host): they run on a dedicated Web Worker (dist/web/pattern-worker.js, shipped in the .vsix),
// terminated when a pattern overruns its time budget on a document — the same PatternRunner as the
// Node host (pattern-host.ts; esbuild.js puts this file in its place in the browser bundle).
// Where no Worker can be made, patterns run inline (undefined is returned): then only the static
// check of patterns.yaml (src/core/suggest/regex-safety.ts) and Restricted Mode stand between a hostile
// regex and the host.
import * as vscode from 'vscode';
import { PatternReply, PatternRequest, PatternRunner, PatternWorker } from '../core/suggest/pattern-runner';
import { listenToWorker, WebWorker, webWorkerScript } from './web-worker';

/** The worker script, relative to the extension's folder. */
export const WEB_WORKER_SCRIPT = ['dist', 'web', 'pattern-worker.js'] as const;

/** A runner on Web Workers; undefined where this host cannot start one. */
export async function hostPatternRunner(extensionUri: vscode.Uri, budgetMs?: number): Promise<PatternRunner | undefined> {
  const script = await webWorkerScript(extensionUri, WEB_WORKER_SCRIPT);
  if (!script) return undefined;
  return new WebPatternRunner(() => spawn(script.spawn<PatternRequest, PatternReply>('corpus-annotator patterns')), budgetMs, script.release);
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

function spawn(w: WebWorker<PatternRequest, PatternReply>): PatternWorker {
  return {
    post: (request) => w.postMessage(request),
    listen: (onReply, onError) => listenToWorker(w, 'pattern worker', onReply, onError),
    terminate: () => w.terminate(),
  };
}
