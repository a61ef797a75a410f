// Entry of dist/web/pattern-worker.js: the pattern runner's worker in a browser, a dedicated Web
// Worker started by the web worker extension host (src/extension/pattern-host.web.ts). It only
// answers requests; the host terminates it when a pattern overruns its budget.
import { PatternReply, PatternRequest, servePatternRequest } from '../core/suggest/pattern-runner';

/** What this file uses of a dedicated worker's global scope (the DOM lib is not in tsconfig). */
interface WorkerScope {
  onmessage: ((event: { data: PatternRequest }) => void) | null;
  postMessage(reply: PatternReply): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (event) => servePatternRequest(event.data, (reply) => scope.postMessage(reply));
