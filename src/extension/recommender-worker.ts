// Entry of dist/recommender-worker.js: trains the recommender on a Node worker thread of the
// extension host, so that training (seconds of CPU on a real corpus) never blocks the editor, and
// cancelling is terminating the thread. It reads the corpus as `corpus-annotator train` does (the
// CLI's loader: discovery, checks, statuses; sidecars as saved on disk), unless the host sent the
// documents (a folder not on the local disk), and trains as the browser's
// Web Worker does (recommender-train.ts), handing the model file's text back; the host writes it.
// Never imported by the extension itself: the browser bundle stays free of Node.
import * as fsp from 'node:fs/promises';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { loadTrainingDocs } from '../cli/recommender';
import { Io } from '../cli/io';
import { READING_MESSAGE, TRAIN_WORKER_ROLE, TrainMessage, TrainRequest } from './recommender-protocol';
import { statusesOf, trainOnDocs } from './recommender-train';

/** Runs one training request, telling `post` how it goes; resolves after the last message. */
export async function runTraining(req: TrainRequest, post: (m: TrainMessage) => void): Promise<void> {
  const problems: string[] = [];
  try {
    if (req.set) return trainOnDocs(req.set, req, post);
    const root = req.root ?? '.';
    const io: Io = { stdout: () => undefined, stderr: (t) => void problems.push(t.trimEnd()), cwd: root, fs: fsp };
    post({ kind: 'progress', message: READING_MESSAGE, fraction: 0 });
    const { docs, skipped } = await loadTrainingDocs(io, [root], statusesOf(req), io.stderr);
    trainOnDocs({ docs, skipped, problems }, req, post);
  } catch (e) {
    post({ kind: 'failed', message: e instanceof Error ? e.message : String(e), problems });
  }
}

if (!isMainThread && (workerData as Partial<TrainRequest> | null)?.role === TRAIN_WORKER_ROLE) {
  void runTraining(workerData as TrainRequest, (m) => parentPort?.postMessage(m));
}
