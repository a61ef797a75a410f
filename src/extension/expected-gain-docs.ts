// The expected gains of documents already read, the part the Node worker thread
// (expected-gain-worker.ts, which reads the disk itself) and the browser's Web Worker
// (recommender-web-worker.ts, sent the documents by expected-gain-host.web.ts) share: only how the
// model file and the documents are read differs. No `vscode` and no Node import.
import { GainEntry } from '../core/corpus/tree-model';
import { documentGain } from '../core/suggest/recommender/expected-gain';
import { parseModel } from '../core/suggest/recommender/model-file';
import { Model } from '../core/suggest/recommender/recommender';
import { GainDoc, GainMessage } from './expected-gain-protocol';

/** Progress is posted at most this often (a message per article would flood the host on 10,000). */
const PROGRESS_EVERY_MS = 200;

/** A document's figure, or the reason it has none (read by whoever read the document). */
export function gainEntryOf(model: Model, doc: GainDoc): GainEntry {
  if ('problem' in doc) return { problem: doc.problem };
  return { gain: documentGain(model, doc.text, doc.annotations) };
}

/**
 * The gains of the `total` documents `docAt` reads (in order) with the model file `modelText`
 * (`modelWhere` names it in a failure); the last message is 'done' (one entry per document, in
 * order) or 'failed'.
 */
export async function gainsOnDocs(modelText: string, modelWhere: string, total: number, docAt: (i: number) => GainDoc | Promise<GainDoc>, post: (m: GainMessage) => void): Promise<void> {
  let model: Model;
  let modelName: string;
  try {
    ({ model, name: modelName } = parseModel(modelText));
  } catch (e) {
    post({ kind: 'failed', message: `cannot read the model ${modelWhere}: ${e instanceof Error ? e.message : String(e)}` });
    return;
  }
  const entries: GainEntry[] = [];
  let lastPost = 0;
  try {
    for (let i = 0; i < total; i++) {
      entries.push(gainEntryOf(model, await docAt(i)));
      const now = Date.now();
      if (now - lastPost >= PROGRESS_EVERY_MS || i + 1 === total) {
        lastPost = now;
        post({ kind: 'progress', message: `${i + 1} of ${total} documents`, fraction: (i + 1) / total });
      }
    }
  } catch (e) {
    post({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
    return;
  }
  post({ kind: 'done', modelName, entries });
}
