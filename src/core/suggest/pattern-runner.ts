// Runs a document's user patterns on a worker that can be stopped: a regex with catastrophic
// backtracking (`(a+)+$` on `aaa…ab`) cannot be interrupted on the thread running it, so it runs on
// another one, which is terminated when a pattern overruns its time budget on a document. The
// pattern is then reported and skipped; the others still run (on a new worker).
// Pure: the caller supplies the worker (a Node worker thread in the CLI and the extension's Node
// host; src/cli/pattern-runner.ts serves the requests on the worker's side).
import { matchPattern, Pattern, PatternMatches, PatternText } from './patterns';
import { articleFromText } from '../model/article';

/** Time one pattern may take on one document, by default. */
export const PATTERN_BUDGET_MS = 1000;

export interface PatternRequest {
  patterns: Pattern[];
  text: string;
}
export type PatternReply = { index: number; matches: PatternMatches } | { error: string };

/** What the runner needs of a worker (Node's worker_threads.Worker, adapted). */
export interface PatternWorker {
  post(request: PatternRequest): void;
  /** Listens to replies and errors; returns the function that stops listening. */
  listen(onReply: (reply: PatternReply) => void, onError: (e: Error) => void): () => void;
  terminate(): void;
}

export interface DocumentMatches {
  /** Every pattern that finished, with its matches. */
  matches: Map<Pattern, PatternMatches>;
  /** Patterns stopped after the budget: skipped for this document. */
  timedOut: Pattern[];
}

export class PatternRunner {
  private worker: PatternWorker | undefined;

  constructor(private readonly spawn: () => PatternWorker, private readonly budgetMs = PATTERN_BUDGET_MS) {}

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

  /** Stops the worker. */
  close(): void {
    const w = this.worker;
    this.worker = undefined;
    w?.terminate();
  }

  /** True when every pattern finished; false when one overran (its worker is then terminated). */
  private runSome(patterns: Pattern[], text: string, onMatches: (index: number, m: PatternMatches) => void): Promise<boolean> {
    this.worker ??= this.spawn();
    const worker = this.worker;
    return new Promise<boolean>((resolve, reject) => {
      let received = 0;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const arm = () => {
        if (timer !== undefined) clearTimeout(timer);
        timer = setTimeout(() => {
          finish();
          this.worker = undefined;
          worker.terminate();
          resolve(false);
        }, this.budgetMs);
      };
      const stop = worker.listen((reply) => {
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
      }, (e) => {
        finish();
        this.worker = undefined;
        reject(e);
      });
      const finish = () => {
        if (timer !== undefined) clearTimeout(timer);
        stop();
      };
      arm();
      worker.post({ patterns, text });
    });
  }
}

/** The worker's side: one reply per pattern, as soon as it is matched. */
export function servePatternRequest(request: PatternRequest, reply: (r: PatternReply) => void): void {
  try {
    const text = new PatternText(articleFromText(request.text));
    request.patterns.forEach((p, index) => reply({ index, matches: matchPattern(p, text) }));
  } catch (e) {
    reply({ error: e instanceof Error ? e.message : String(e) });
  }
}
