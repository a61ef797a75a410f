// Runs a document's user patterns in a worker thread that can be stopped: a regex with
// catastrophic backtracking (`(a+)+$` on `aaa…ab`) cannot be interrupted on the thread running it,
// so it runs on another one, which is terminated when a pattern overruns its time budget on a
// document. The pattern is then reported and skipped; the others still run (on a new worker).
//
// The same file is the worker: started with `workerData.role === ROLE`, it serves requests
// (bundled, dist/cli.js starts itself; compiled for the tests, this module's own file).
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { articleFromText } from '../core/article';
import { matchPattern, Pattern, PatternMatches, PatternText } from '../core/patterns';

const ROLE = 'corpus-annotator-pattern-runner';

/** Time one pattern may take on one document, by default. */
export const PATTERN_BUDGET_MS = 1000;

interface Request {
  patterns: Pattern[];
  text: string;
}
type Reply = { index: number; matches: PatternMatches } | { error: string };

export interface DocumentMatches {
  /** Every pattern that finished, with its matches. */
  matches: Map<Pattern, PatternMatches>;
  /** Patterns stopped after the budget: skipped for this document. */
  timedOut: Pattern[];
}

export class PatternRunner {
  private worker: Worker | undefined;

  constructor(private readonly budgetMs = PATTERN_BUDGET_MS) {}

  /** Matches `patterns` on `text`, each within the budget. */
  async run(patterns: readonly Pattern[], text: string): Promise<DocumentMatches> {
    const result: DocumentMatches = { matches: new Map(), timedOut: [] };
    let next = 0;
    while (next < patterns.length) {
      const rest = patterns.slice(next);
      const done = await this.runSome(rest, text, (index, matches) => {
        result.matches.set(rest[index] as Pattern, matches);
        next++;
      });
      if (!done) {
        // patterns[next] overran: the worker was stopped; the patterns after it go to a new one.
        result.timedOut.push(patterns[next] as Pattern);
        next++;
      }
    }
    return result;
  }

  /** Stops the worker (the process can then exit). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }

  /** True when every pattern finished; false when one overran (its worker is then terminated). */
  private runSome(patterns: Pattern[], text: string, onMatches: (index: number, m: PatternMatches) => void): Promise<boolean> {
    if (!this.worker) {
      this.worker = new Worker(__filename, { workerData: { role: ROLE } });
      // Never what keeps the process alive: a pending run has its timer for that.
      this.worker.unref();
    }
    const worker = this.worker;
    return new Promise<boolean>((resolve, reject) => {
      let received = 0;
      let timer: NodeJS.Timeout;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          finish();
          this.worker = undefined;
          void worker.terminate();
          resolve(false);
        }, this.budgetMs);
      };
      const onMessage = (reply: Reply) => {
        if ('error' in reply) {
          finish();
          reject(new Error(reply.error));
          return;
        }
        onMatches(reply.index, reply.matches);
        if (++received === patterns.length) {
          finish();
          resolve(true);
        } else arm();
      };
      const onError = (e: Error) => {
        finish();
        this.worker = undefined;
        reject(e);
      };
      const finish = () => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      arm();
      worker.postMessage({ patterns, text } satisfies Request);
    });
  }
}

/** The worker's side: one reply per pattern, as soon as it is matched. */
function serve(): void {
  parentPort?.on('message', (req: Request) => {
    try {
      const text = new PatternText(articleFromText(req.text));
      req.patterns.forEach((p, index) => parentPort?.postMessage({ index, matches: matchPattern(p, text) } satisfies Reply));
    } catch (e) {
      parentPort?.postMessage({ error: e instanceof Error ? e.message : String(e) } satisfies Reply);
    }
  });
}

if (!isMainThread && (workerData as { role?: string } | null)?.role === ROLE) serve();
