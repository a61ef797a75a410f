// Find Likely Annotation Errors on documents already read, the part the Node worker thread
// (likely-errors-worker.ts) and the browser's Web Worker (recommender-web-worker.ts) share: only
// how the documents and the model file are read differs. No `vscode` and no Node import.
import { crossReviewCorpus, reviewCorpus } from '../core/suggest/recommender/likely-error-review';
import { parseModel } from '../core/suggest/recommender/model-file';
import { CheckMessage, CheckParams, isHeldOut } from './likely-errors-protocol';
import { TrainingSet, TrainMessage } from './recommender-protocol';
import { statusesOf, trainOnDocs } from './recommender-train';

/** Training, when asked for, takes this share of the progress bar; the check takes the rest. */
const TRAINING_SHARE = 0.7;

/** Checks `set` with the model `modelText` (or one trained on `set` first, `req.train`); the last message is 'done' or 'failed'. */
export function checkOnDocs(set: TrainingSet, req: CheckParams, modelText: string | undefined, post: (m: CheckMessage) => void): void {
  const { docs, problems } = set;
  const statuses = statusesOf(req);
  let start = 0;
  let trained: { text: string; summary: Extract<TrainMessage, { kind: 'done' }>['summary'] } | undefined;
  const asReviewed = () => docs.map((d) => ({ name: d.name, text: d.text, entities: d.entities.map((e, i) => ({ ...e, id: e.id ?? `#${i}` })) }));
  try {
    if (isHeldOut(req)) {
      const k = req.folds as number;
      if (docs.length < 2) {
        post({ kind: 'failed', stage: 'train', message: `nothing to learn from: a held-out check needs 2 documents with status ${statuses.join(' or ')} or more (${docs.length} found)`, problems });
        return;
      }
      const found = crossReviewCorpus(asReviewed(), k, req.minScore, req.foldTraining ?? {},
        (fold, folds) => post({ kind: 'progress', message: `trained and checked fold ${fold} of ${folds}`, fraction: fold / folds }));
      post({ kind: 'done', modelName: `held-out-${Math.min(k, docs.length)}`, problems, documents: docs.map((d, i) => ({ path: d.name, findings: found[i] ?? [] })) });
      return;
    }
    let text = modelText ?? '';
    if (req.train) {
      let failed: Extract<TrainMessage, { kind: 'failed' }> | undefined;
      trainOnDocs(set, { statuses, ...req.train }, (m) => {
        if (m.kind === 'progress') post({ kind: 'progress', message: `training: ${m.message}`, fraction: TRAINING_SHARE * m.fraction });
        else if (m.kind === 'done') trained = { text: m.text, summary: m.summary };
        else failed = m;
      });
      if (!trained) {
        post({ kind: 'failed', stage: 'train', message: failed?.message ?? 'training ended without a model', problems: failed?.problems ?? problems });
        return;
      }
      text = trained.text;
      start = TRAINING_SHARE;
    }
    const file = parseModel(text);
    if (docs.length === 0) {
      post({ kind: 'failed', stage: 'check', message: `no document with status ${statuses.join(' or ')} to check`, problems });
      return;
    }
    const found = reviewCorpus(file.model, asReviewed(), req.minScore,
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
