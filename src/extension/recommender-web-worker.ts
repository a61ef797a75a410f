// Entry of dist/web/recommender-worker.js: the recommender's work on a dedicated Web Worker started
// by the browser's web worker extension host, so that it never blocks the editor there either;
// cancelling is terminating the worker. Two jobs, told apart by the request's role: training
// (recommender-host.web.ts) and Find Likely Annotation Errors (likely-errors-host.web.ts). The host
// reads the documents and the model file (a Web Worker has no workspace.fs) and posts them; the
// work itself is the Node workers' (recommender-train.ts, likely-errors-check.ts). Bundled for the
// browser: no Node import may reach here.
import { checkOnDocs } from './likely-errors-check';
import { CHECK_WORKER_ROLE, CheckMessage, CheckRequest } from './likely-errors-protocol';
import { TRAIN_WORKER_ROLE, TrainMessage, WebTrainRequest } from './recommender-protocol';
import { trainOnDocs } from './recommender-train';

/** What this file uses of a dedicated worker's global scope (the DOM lib is not in tsconfig). */
interface WorkerScope {
  onmessage: ((event: { data: Partial<WebTrainRequest | CheckRequest> | null }) => void) | null;
  postMessage(message: TrainMessage | CheckMessage): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (event) => {
  const req = event.data;
  if (!req?.set) return;
  const post = (m: TrainMessage | CheckMessage) => scope.postMessage(m);
  // One request per worker: the host starts a fresh one for each run.
  if (req.role === TRAIN_WORKER_ROLE) {
    scope.onmessage = null;
    trainOnDocs(req.set, req as WebTrainRequest, post);
  } else if (req.role === CHECK_WORKER_ROLE) {
    scope.onmessage = null;
    checkOnDocs(req.set, req as CheckRequest, req.modelText, post);
  }
};
