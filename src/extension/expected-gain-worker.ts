// Entry of dist/expected-gain-worker.js: the expected gain of every article of the corpus
// (src/core/suggest/recommender/expected-gain.ts) on a Node worker thread of the extension host,
// so that predicting over the whole corpus (seconds on a real one) never blocks the editor, and
// cancelling is terminating the thread. It reads the model, the articles and their sidecars itself,
// as saved on disk: the figures are a snapshot. Never imported by the extension itself: the
// browser bundle stays free of Node.
import * as fsp from 'node:fs/promises';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { decodeArticle } from '../core/model/article';
import { sidecarPathOf } from '../core/model/model';
import { readSidecar } from '../core/sidecar/sidecar-read';
import { GainEntry } from '../core/corpus/tree-model';
import { documentGain } from '../core/suggest/recommender/expected-gain';
import { parseModel } from '../core/suggest/recommender/model-file';
import { Model } from '../core/suggest/recommender/recommender';
import { withoutSuggestions } from '../core/suggest/suggest';
import { describeFsError, errorCode } from '../cli/io';
import { GAIN_WORKER_ROLE, GainMessage, GainRequest } from './expected-gain-protocol';

/** Progress is posted at most this often (a message per article would flood the host on 10,000). */
const PROGRESS_EVERY_MS = 200;

export async function runGains(req: GainRequest, post: (m: GainMessage) => void): Promise<void> {
  let model: Model;
  let modelName: string;
  try {
    const file = parseModel(await fsp.readFile(req.modelPath, 'utf8'));
    model = file.model;
    modelName = file.name;
  } catch (e) {
    post({ kind: 'failed', message: `cannot read the model ${req.modelPath}: ${e instanceof Error ? describeFsError(e) : String(e)}` });
    return;
  }
  const entries: GainEntry[] = [];
  const total = req.articles.length;
  let lastPost = 0;
  for (const [i, path] of req.articles.entries()) {
    entries.push(await gainOfArticle(model, path));
    const now = Date.now();
    if (now - lastPost >= PROGRESS_EVERY_MS || i + 1 === total) {
      lastPost = now;
      post({ kind: 'progress', message: `${i + 1} of ${total} documents`, fraction: (i + 1) / total });
    }
  }
  post({ kind: 'done', modelName, entries });
}

async function gainOfArticle(model: Model, path: string): Promise<GainEntry> {
  let text: string;
  let sha256: string;
  try {
    ({ text, sha256 } = decodeArticle(await fsp.readFile(path)));
  } catch (e) {
    return { problem: `the article cannot be read: ${e instanceof Error ? describeFsError(e) : String(e)}` };
  }
  let source: string | undefined;
  try {
    source = await fsp.readFile(sidecarPathOf(path), 'utf8');
  } catch (e) {
    if (errorCode(e) !== 'ENOENT') return { problem: `its sidecar cannot be read: ${describeFsError(e)}` };
  }
  let annotations: Array<{ start: number; end: number; label: string }> = [];
  if (source !== undefined) {
    const { sidecar } = readSidecar(source);
    if (!sidecar) return { problem: 'its sidecar has errors (Problems panel); fix them and sort again' };
    // Stale offsets would mark annotated spans as new and inflate the gain: no figure rather than a wrong one.
    if (sidecar.sha256 !== undefined && sidecar.sha256 !== sha256) return { problem: 'the article changed since it was annotated; re-anchor its annotations and sort again' };
    annotations = withoutSuggestions(sidecar.entities);
  }
  return { gain: documentGain(model, text, annotations) };
}

if (!isMainThread && (workerData as Partial<GainRequest> | null)?.role === GAIN_WORKER_ROLE) {
  void runGains(workerData as GainRequest, (m) => parentPort?.postMessage(m));
}
