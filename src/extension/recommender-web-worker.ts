// Entry of dist/web/recommender-worker.js: the recommender's work on a dedicated Web Worker started
// by the browser's web worker extension host, so that it never blocks the editor there either;
// cancelling is terminating the worker. Three jobs, told apart by the request's role: training
// (recommender-host.web.ts), Find Likely Annotation Errors (likely-errors-host.web.ts) and Sort by
// Expected Gain (expected-gain-host.web.ts). The host reads the documents and the model file (a Web
// Worker has no workspace.fs) and posts them; the work itself is the Node workers'
// (recommender-train.ts, likely-errors-check.ts, expected-gain-docs.ts). Bundled for the
// browser: no Node import may reach here.
import { gainsOnDocs } from './expected-gain-docs';
import { GAIN_WORKER_ROLE, GainMessage, WebGainRequest } from './expected-gain-protocol';
import { checkOnDocs } from './likely-errors-check';
import { CHECK_WORKER_ROLE, CheckMessage, CheckRequest } from './likely-errors-protocol';
import { TRAIN_WORKER_ROLE, TrainMessage, WebTrainRequest } from './recommender-protocol';
import { trainOnDocs } from './recommender-train';

/** What this file uses of a dedicated worker's global scope (the DOM lib is not in tsconfig). */
interface WorkerScope {
  onmessage: ((event: { data: Partial<WebTrainRequest | CheckRequest | WebGainRequest> | null }) => void) | null;
  postMessage(message: TrainMessage | CheckMessage | GainMessage): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (event) => {
  const req = event.data;
  const post = (m: TrainMessage | CheckMessage | GainMessage) => scope.postMessage(m);
  // One request per worker: the host starts a fresh one for each run.
  if (req?.role === GAIN_WORKER_ROLE) {
    const gains = req as WebGainRequest;
    if (!Array.isArray(gains.docs)) return;
    scope.onmessage = null;
    void gainsOnDocs(gains.modelText, gains.modelWhere, gains.docs.length, (i) => gains.docs[i] ?? { problem: 'not sent to the worker' }, post);
    return;
  }
  if (!req || !('set' in req) || !req.set) return;
  if (req.role === TRAIN_WORKER_ROLE) {
    scope.onmessage = null;
    trainOnDocs(req.set, req as WebTrainRequest, post);
  } else if (req.role === CHECK_WORKER_ROLE) {
    scope.onmessage = null;
    checkOnDocs(req.set, req as CheckRequest, req.modelText, post);
  }
};
