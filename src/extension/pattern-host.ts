// User patterns off the extension host's thread: in the Node host they run on a worker thread
// (dist/pattern-worker.js, shipped in the .vsix) that is terminated when a pattern overruns its
// time budget on a document, so a catastrophic regex in a repository's patterns.yaml cannot freeze
// the editor. The browser bundle gets pattern-host.web.ts in this file's place (esbuild.js): a Web
// Worker there. In an untrusted workspace no pattern runs at all (trust-gate.ts).
import * as vscode from 'vscode';
import { PatternRunner, PatternWorker } from '../core/suggest/pattern-runner';
import { hostWorker, isBrowserHost } from './platform';

/** Must match src/cli/pattern-runner.ts's ROLE: the worker serves only when told it is one. */
const ROLE = 'corpus-annotator-pattern-runner';

/** A runner on worker threads in the Node host; undefined where there are none. */
// async as its browser sibling, which reads the worker script first.
export async function hostPatternRunner(extensionUri: vscode.Uri, budgetMs?: number): Promise<PatternRunner | undefined> {
  if (isBrowserHost || extensionUri.scheme !== 'file') return undefined;
  const script = vscode.Uri.joinPath(extensionUri, 'dist', 'pattern-worker.js').fsPath;
  return new PatternRunner(() => spawn(script), budgetMs);
}

function spawn(script: string): PatternWorker {
  const w = hostWorker(script, { role: ROLE });
  if (!w) throw new Error('cannot start a worker thread for the patterns');
  w.unref();
  return {
    post: (request) => w.postMessage(request),
    listen: (onReply, onError) => {
      w.on('message', onReply as (v: never) => void);
      w.on('error', onError as (v: never) => void);
      return () => {
        w.off('message', onReply as (v: never) => void);
        w.off('error', onError as (v: never) => void);
      };
    },
    terminate: () => void w.terminate(),
  };
}
