// Training on documents already read, the part the Node worker thread (recommender-worker.ts) and
// the browser's Web Worker (recommender-web-worker.ts) share: only how the documents are read
// differs. No `vscode` and no Node import (esbuild bundles this file for the browser).
import { isStatus, Status } from '../core/model/model';
import { serializeModel, TrainingStats } from '../core/suggest/recommender/model-file';
import { DEFAULT_EPOCHS, DEFAULT_SEED, labelsOf, trainModel } from '../core/suggest/recommender/recommender';
import { READING_SHARE, TrainingSet, TrainMessage, TrainParams } from './recommender-protocol';

/** The statuses of a request that are statuses (a request crosses a worker boundary unchecked). */
export function statusesOf(params: { statuses: readonly string[] }): Status[] {
  return params.statuses.filter(isStatus);
}

/** Trains on `set`, telling `post` how it goes; the last message is 'done' or 'failed'. */
export function trainOnDocs(set: TrainingSet, params: TrainParams, post: (m: TrainMessage) => void): void {
  const { docs, skipped, problems } = set;
  const statuses = statusesOf(params);
  try {
    const labels = labelsOf(docs);
    if (docs.length === 0 || labels.length === 0) {
      const none = docs.length === 0 ? `no document with status ${statuses.join(' or ')}` : `no entity in the ${docs.length} document(s) with status ${statuses.join(' or ')}`;
      post({ kind: 'failed', message: `nothing to learn from: ${none}${skipped ? ` (${skipped} document(s) of other statuses)` : ''}`, problems });
      return;
    }
    const epochs = params.epochs ?? DEFAULT_EPOCHS;
    const seed = params.seed ?? DEFAULT_SEED;
    const entities = docs.reduce((n, d) => n + d.entities.length, 0);
    post({ kind: 'progress', message: `${docs.length} documents, ${entities} entities`, fraction: READING_SHARE });
    const t0 = Date.now();
    let tokens = 0;
    const model = trainModel(docs, {
      labels,
      epochs,
      seed,
      ...(params.hashBits !== undefined ? { hashBits: params.hashBits } : {}),
      onTokens: (n) => { tokens = n; },
      onEpoch: (epoch) => post({ kind: 'progress', message: `pass ${epoch} of ${epochs}`, fraction: READING_SHARE + (1 - READING_SHARE) * (epoch / epochs) }),
    });
    const trainMs = Date.now() - t0;
    const stats: TrainingStats = { documents: docs.length, entities, tokens, epochs, seed, trainedAt: new Date().toISOString(), statuses };
    post({ kind: 'done', text: serializeModel({ name: params.name, model, stats }), summary: { documents: docs.length, entities, tokens, labels, skipped, problems, trainMs } });
  } catch (e) {
    post({ kind: 'failed', message: e instanceof Error ? e.message : String(e), problems });
  }
}
