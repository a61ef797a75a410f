// Entry of dist/likely-errors-worker.js: Find Likely Annotation Errors on a Node worker thread of
// the extension host, so that training (when there is no model yet) and predicting over the whole
// corpus never block the editor, and cancelling is terminating the thread. Reads the corpus as the
// CLI does (sidecars as saved on disk), unless the host sent the documents; checks as the browser's
// Web Worker does (likely-errors-check.ts). The host checks every finding against the annotations
// it holds before showing it. Never imported by the extension itself: the browser bundle stays free of Node.
import * as fsp from 'node:fs/promises';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { loadTrainingDocs } from '../cli/recommender';
import { Io } from '../cli/io';
import { checkOnDocs } from './likely-errors-check';
import { CHECK_WORKER_ROLE, CheckMessage, CheckRequest, isHeldOut } from './likely-errors-protocol';
import { READING_MESSAGE } from './recommender-protocol';
import { statusesOf } from './recommender-train';

export async function runCheck(req: CheckRequest, post: (m: CheckMessage) => void): Promise<void> {
  const problems: string[] = [];
  try {
    const modelText = req.train || isHeldOut(req) || req.modelText !== undefined ? req.modelText : await fsp.readFile(req.modelPath ?? '', 'utf8');
    if (req.set) return checkOnDocs(req.set, req, modelText, post);
    const root = req.root ?? '.';
    const io: Io = { stdout: () => undefined, stderr: (t) => void problems.push(t.trimEnd()), cwd: root, fs: fsp };
    post({ kind: 'progress', message: req.train ? `training: ${READING_MESSAGE}` : READING_MESSAGE, fraction: 0 });
    const { docs, skipped } = await loadTrainingDocs(io, [root], statusesOf(req), io.stderr);
    checkOnDocs({ docs, skipped, problems }, req, modelText, post);
  } catch (e) {
    post({ kind: 'failed', stage: 'check', message: e instanceof Error ? e.message : String(e), problems });
  }
}

if (!isMainThread && (workerData as Partial<CheckRequest> | null)?.role === CHECK_WORKER_ROLE) {
  void runCheck(workerData as CheckRequest, (m) => parentPort?.postMessage(m));
}
