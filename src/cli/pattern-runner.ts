// The pattern runner (src/core/suggest/pattern-runner.ts) on a Node worker thread. The same file is the
// worker: started with `workerData.role === ROLE` it serves requests (bundled, dist/cli.js starts
// itself and the extension's Node host starts dist/pattern-worker.js; compiled for the tests,
// this module's own file).
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { PatternReply, PatternRequest, PatternRunner, PatternWorker, servePatternRequest } from '../core/suggest/pattern-runner';

export { PATTERN_BUDGET_MS } from '../core/suggest/pattern-runner';
export type { DocumentMatches } from '../core/suggest/pattern-runner';

const ROLE = 'corpus-annotator-pattern-runner';

/** A worker thread running `script` (default: this file) as the pattern runner's worker. */
export function nodePatternWorker(script: string = __filename, WorkerClass: typeof Worker = Worker): PatternWorker {
  const w = new WorkerClass(script, { workerData: { role: ROLE } });
  // Never what keeps the process alive: a pending run has its timer for that.
  w.unref();
  return {
    post: (request) => w.postMessage(request),
    listen: (onReply, onError) => {
      w.on('message', onReply);
      w.on('error', onError);
      return () => {
        w.off('message', onReply);
        w.off('error', onError);
      };
    },
    terminate: () => void w.terminate(),
  };
}

/** The CLI's runner: patterns on a worker thread of this process. */
export function cliPatternRunner(budgetMs?: number): PatternRunner {
  return new PatternRunner(() => nodePatternWorker(), budgetMs);
}

/** Serves requests when this file runs as the worker. */
export function servePatternWorker(): void {
  if (isMainThread || (workerData as { role?: string } | null)?.role !== ROLE) return;
  parentPort?.on('message', (req: PatternRequest) => servePatternRequest(req, (r: PatternReply) => parentPort?.postMessage(r)));
}

servePatternWorker();
