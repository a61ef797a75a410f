// Entry of dist/expected-gain-worker.js: the expected gain of every article of the corpus
// (src/core/suggest/recommender/expected-gain.ts) on a Node worker thread of the extension host,
// so that predicting over the whole corpus (seconds on a real one) never blocks the editor, and
// cancelling is terminating the thread. It reads the model, the articles and their sidecars itself,
// as saved on disk: the figures are a snapshot. The computation is the browser's Web Worker's
// (expected-gain-docs.ts). Never imported by the extension itself: the browser bundle stays free of Node.
import * as fsp from 'node:fs/promises';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { decodeArticle } from '../core/model/article';
import { sidecarPathOf } from '../core/model/model';
import { readSidecar } from '../core/sidecar/sidecar-read';
import { withoutSuggestions } from '../core/suggest/suggest';
import { describeFsError, errorCode } from '../cli/io';
import { gainsOnDocs } from './expected-gain-docs';
import { ARTICLE_CHANGED, GAIN_WORKER_ROLE, GainDoc, GainMessage, GainRequest, SIDECAR_ERRORS } from './expected-gain-protocol';

export async function runGains(req: GainRequest, post: (m: GainMessage) => void): Promise<void> {
  let modelText: string;
  try {
    modelText = await fsp.readFile(req.modelPath, 'utf8');
  } catch (e) {
    post({ kind: 'failed', message: `cannot read the model ${req.modelPath}: ${e instanceof Error ? describeFsError(e) : String(e)}` });
    return;
  }
  // One article at a time: the corpus's texts are never all in memory at once.
  await gainsOnDocs(modelText, req.modelPath, req.articles.length, (i) => readGainDoc(req.articles[i] ?? ''), post);
}

async function readGainDoc(path: string): Promise<GainDoc> {
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
  if (source === undefined) return { text, annotations: [] };
  const { sidecar } = readSidecar(source);
  if (!sidecar) return { problem: SIDECAR_ERRORS };
  // Stale offsets would mark annotated spans as new and inflate the gain: no figure rather than a wrong one.
  if (sidecar.sha256 !== undefined && sidecar.sha256 !== sha256) return { problem: ARTICLE_CHANGED };
  return { text, annotations: withoutSuggestions(sidecar.entities) };
}

if (!isMainThread && (workerData as Partial<GainRequest> | null)?.role === GAIN_WORKER_ROLE) {
  void runGains(workerData as GainRequest, (m) => parentPort?.postMessage(m));
}
