// Entry of dist/likely-errors-worker.js: Find Likely Annotation Errors on a Node worker thread of
// the extension host, so that training (when there is no model yet) and predicting over the whole
// corpus never block the editor, and cancelling is terminating the thread. Reads the corpus as the
// CLI does (sidecars as saved on disk); the host checks every finding against the annotations it
// holds before showing it. Never imported by the extension itself: the browser bundle stays free of Node.
import * as fsp from 'node:fs/promises';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { isStatus, Status } from '../core/model/model';
import { crossReviewCorpus, reviewCorpus } from '../core/suggest/recommender/likely-error-review';
import { parseModel } from '../core/suggest/recommender/model-file';
import { loadTrainingDocs } from '../cli/recommender';
import { Io } from '../cli/io';
import { CHECK_WORKER_ROLE, CheckMessage, CheckRequest } from './likely-errors-protocol';
import { TRAIN_WORKER_ROLE, TrainMessage } from './recommender-protocol';
import { runTraining } from './recommender-worker';

/** Training, when asked for, takes this share of the progress bar; the check takes the rest. */
const TRAINING_SHARE = 0.7;

export async function runCheck(req: CheckRequest, post: (m: CheckMessage) => void): Promise<void> {
  const problems: string[] = [];
  const io: Io = { stdout: () => undefined, stderr: (t) => void problems.push(t.trimEnd()), cwd: req.root, fs: fsp };
  const statuses = req.statuses.filter(isStatus) as Status[];
  let trained: { text: string; summary: Extract<TrainMessage, { kind: 'done' }>['summary'] } | undefined;
  let start = 0;
  const asReviewed = (docs: Awaited<ReturnType<typeof loadTrainingDocs>>['docs']) =>
    docs.map((d) => ({ name: d.name, text: d.text, entities: d.entities.map((e, i) => ({ ...e, id: e.id ?? `#${i}` })) }));
  try {
    if (req.folds !== undefined && req.folds >= 2) {
      const k = req.folds;
      post({ kind: 'progress', message: 'reading the annotated documents', fraction: 0 });
      const { docs } = await loadTrainingDocs(io, [req.root], statuses, io.stderr);
      if (docs.length < 2) {
        post({ kind: 'failed', stage: 'train', message: `nothing to learn from: a held-out check needs 2 documents with status ${statuses.join(' or ')} or more (${docs.length} found)`, problems });
        return;
      }
      const found = crossReviewCorpus(asReviewed(docs), k, req.minScore, req.foldTraining ?? {},
        (fold, folds) => post({ kind: 'progress', message: `trained and checked fold ${fold} of ${folds}`, fraction: fold / folds }));
      post({ kind: 'done', modelName: `held-out-${Math.min(k, docs.length)}`, problems, documents: docs.map((d, i) => ({ path: d.name, findings: found[i] ?? [] })) });
      return;
    }
    let modelText: string;
    if (req.train) {
      let failed: Extract<TrainMessage, { kind: 'failed' }> | undefined;
      await runTraining({ role: TRAIN_WORKER_ROLE, root: req.root, statuses, ...req.train }, (m) => {
        if (m.kind === 'progress') post({ kind: 'progress', message: `training: ${m.message}`, fraction: TRAINING_SHARE * m.fraction });
        else if (m.kind === 'done') trained = { text: m.text, summary: m.summary };
        else failed = m;
      });
      if (!trained) {
        post({ kind: 'failed', stage: 'train', message: failed?.message ?? 'training ended without a model', problems: failed?.problems ?? [] });
        return;
      }
      modelText = trained.text;
      start = TRAINING_SHARE;
    } else {
      modelText = await fsp.readFile(req.modelPath ?? '', 'utf8');
    }
    const file = parseModel(modelText);
    post({ kind: 'progress', message: 'reading the annotated documents', fraction: start });
    const { docs } = await loadTrainingDocs(io, [req.root], statuses, io.stderr);
    if (docs.length === 0) {
      post({ kind: 'failed', stage: 'check', message: `no document with status ${statuses.join(' or ')} to check`, problems });
      return;
    }
    const found = reviewCorpus(file.model, asReviewed(docs), req.minScore,
      (done, total) => post({ kind: 'progress', message: `checked ${done} of ${total} documents`, fraction: start + (1 - start) * (done / total) }));
    post({
      kind: 'done', modelName: file.name, problems,
      documents: docs.map((d, i) => ({ path: d.name, findings: found[i] ?? [] })),
      ...(trained ? { trained } : {}),
    });
  } catch (e) {
    post({ kind: 'failed', stage: 'check', message: e instanceof Error ? e.message : String(e), problems });
  }
}

if (!isMainThread && (workerData as Partial<CheckRequest> | null)?.role === CHECK_WORKER_ROLE) {
  void runCheck(workerData as CheckRequest, (m) => parentPort?.postMessage(m));
}
