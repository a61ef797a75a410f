// Entry of dist/recommender-worker.js: trains the recommender on a Node worker thread of the
// extension host, so that training (seconds of CPU on a real corpus) never blocks the editor, and
// cancelling is terminating the thread. It reads the corpus as `corpus-annotator train` does (the
// CLI's loader: discovery, checks, statuses; sidecars as saved on disk), trains with core, and
// hands the model file's text back; the host writes it. Never imported by the extension itself:
// the browser bundle stays free of Node.
import * as fsp from 'node:fs/promises';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { isStatus, Status } from '../core/model/model';
import { serializeModel, TrainingStats } from '../core/suggest/recommender/model-file';
import { DEFAULT_EPOCHS, DEFAULT_SEED, labelsOf, trainModel } from '../core/suggest/recommender/recommender';
import { loadTrainingDocs } from '../cli/recommender';
import { Io } from '../cli/io';
import { TRAIN_WORKER_ROLE, TrainMessage, TrainRequest } from './recommender-protocol';

/** Reading the corpus is this share of the progress bar; the epochs share the rest. */
const READING_SHARE = 0.1;

/** Runs one training request, telling `post` how it goes; resolves after the last message. */
export async function runTraining(req: TrainRequest, post: (m: TrainMessage) => void): Promise<void> {
  const problems: string[] = [];
  const io: Io = { stdout: () => undefined, stderr: (t) => void problems.push(t.trimEnd()), cwd: req.root, fs: fsp };
  try {
    const statuses = req.statuses.filter(isStatus) as Status[];
    post({ kind: 'progress', message: 'reading the annotated documents', fraction: 0 });
    const { docs, skipped } = await loadTrainingDocs(io, [req.root], statuses, io.stderr);
    const labels = labelsOf(docs);
    if (docs.length === 0 || labels.length === 0) {
      const none = docs.length === 0 ? `no document with status ${statuses.join(' or ')}` : `no entity in the ${docs.length} document(s) with status ${statuses.join(' or ')}`;
      post({ kind: 'failed', message: `nothing to learn from: ${none}${skipped ? ` (${skipped} document(s) of other statuses)` : ''}`, problems });
      return;
    }
    const epochs = req.epochs ?? DEFAULT_EPOCHS;
    const seed = req.seed ?? DEFAULT_SEED;
    const entities = docs.reduce((n, d) => n + d.entities.length, 0);
    post({ kind: 'progress', message: `${docs.length} documents, ${entities} entities`, fraction: READING_SHARE });
    const t0 = Date.now();
    let tokens = 0;
    const model = trainModel(docs, {
      labels,
      epochs,
      seed,
      ...(req.hashBits !== undefined ? { hashBits: req.hashBits } : {}),
      onTokens: (n) => { tokens = n; },
      onEpoch: (epoch) => post({ kind: 'progress', message: `pass ${epoch} of ${epochs}`, fraction: READING_SHARE + (1 - READING_SHARE) * (epoch / epochs) }),
    });
    const trainMs = Date.now() - t0;
    const stats: TrainingStats = { documents: docs.length, entities, tokens, epochs, seed, trainedAt: new Date().toISOString(), statuses };
    post({ kind: 'done', text: serializeModel({ name: req.name, model, stats }), summary: { documents: docs.length, entities, tokens, labels, skipped, problems, trainMs } });
  } catch (e) {
    post({ kind: 'failed', message: e instanceof Error ? e.message : String(e), problems });
  }
}

if (!isMainThread && (workerData as Partial<TrainRequest> | null)?.role === TRAIN_WORKER_ROLE) {
  void runTraining(workerData as TrainRequest, (m) => parentPort?.postMessage(m));
}
