// Entry of dist/web/recommender-worker.js: trains the recommender on a dedicated Web Worker started
// by the browser's web worker extension host (recommender-host.web.ts), so that training never
// blocks the editor there either; cancelling is terminating the worker. The host reads the
// documents (a Web Worker has no workspace.fs) and posts them with the request; training is the
// Node worker's (recommender-train.ts). Bundled for the browser: no Node import may reach here.
import { TRAIN_WORKER_ROLE, TrainMessage, WebTrainRequest } from './recommender-protocol';
import { trainOnDocs } from './recommender-train';

/** What this file uses of a dedicated worker's global scope (the DOM lib is not in tsconfig). */
interface WorkerScope {
  onmessage: ((event: { data: Partial<WebTrainRequest> | null }) => void) | null;
  postMessage(message: TrainMessage): void;
}

const scope = globalThis as unknown as WorkerScope;
scope.onmessage = (event) => {
  const req = event.data;
  if (req?.role !== TRAIN_WORKER_ROLE || !req.set) return;
  scope.onmessage = null; // one request per worker: the host starts a fresh one for each training
  trainOnDocs(req.set, req as WebTrainRequest, (m) => scope.postMessage(m));
};
