// Training shared by the Node worker thread and the browser's Web Worker (issue 16): which
// documents are learnt from (core's trainingDocOf, also the CLI's rule), training on documents
// already read (recommender-train.ts: the same model whichever way they were read), the run that
// settles once and stops its worker (worker-run.ts, recommender-run.ts), and the Web Worker's bundle, which must
// hold no Node module.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeArticle } from '../../src/core/model/article';
import { articlePathOf, Entity, Sidecar } from '../../src/core/model/model';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { TrainingDoc, trainingDocOf } from '../../src/core/suggest/recommender/data';
import { parseModel } from '../../src/core/suggest/recommender/model-file';
import { TRAIN_WORKER_ROLE, TrainingSet, TrainMessage, TrainParams } from '../../src/extension/recommender-protocol';
import { TrainOutcome, trainingRun } from '../../src/extension/recommender-run';
import { WorkerHandlers } from '../../src/extension/worker-run';
import { trainOnDocs } from '../../src/extension/recommender-train';
import { runTraining } from '../../src/extension/recommender-worker';
import { checkOnDocs } from '../../src/extension/likely-errors-check';
import { CHECK_WORKER_ROLE, CheckMessage } from '../../src/extension/likely-errors-protocol';
import { runCheck } from '../../src/extension/likely-errors-worker';
import { DEMO_CORPUS, REPO_ROOT } from './helpers/corpus';

const PARAMS: TrainParams = { statuses: ['done', 'reviewed'], name: 'demo', epochs: 2, hashBits: 12 };

/** The demo corpus read as the browser host reads it (sidecar and article text, then the shared rule). */
function demoSet(statuses = ['done', 'reviewed'] as const): TrainingSet {
  const set: TrainingSet = { docs: [], skipped: 0, problems: [] };
  for (const f of fs.readdirSync(DEMO_CORPUS).filter((n) => n.endsWith('.ann.yaml')).sort()) {
    const sidecar = readSidecar(fs.readFileSync(path.join(DEMO_CORPUS, f), 'utf8')).sidecar as Sidecar;
    const doc = trainingDocOf(articlePathOf(f), decodeArticle(fs.readFileSync(path.join(DEMO_CORPUS, articlePathOf(f)))).text, sidecar, statuses);
    if (doc) set.docs.push(doc);
    else set.skipped++;
  }
  return set;
}

const withoutDate = (text: string) => text.replace(/"trainedAt":\s*"[^"]*"/, '');

describe('recommender training: which documents', () => {
  const sidecar = (status: Sidecar['status'], entities: Entity[]): Sidecar => ({ version: 1, document: 'a.txt', status, entities });
  const e = (id: string, suggested = false): Entity => ({ id, label: 'PER', start: 0, end: 3, text: 'Léa', attrs: { note: 'x' }, ...(suggested ? { suggested: true } : {}) });

  it('learns from the given statuses only, without suggestions, keeping only spans and labels', () => {
    assert.equal(trainingDocOf('a.txt', 'Léa', sidecar('in-progress', [e('1')]), ['done', 'reviewed']), undefined);
    const doc = trainingDocOf('a.txt', 'Léa', sidecar('done', [e('1'), e('2', true)]), ['done']) as TrainingDoc;
    assert.deepEqual(doc, { name: 'a.txt', text: 'Léa', entities: [{ id: '1', start: 0, end: 3, label: 'PER' }] });
  });
});

describe('recommender training: on documents already read', function () {
  this.timeout(60_000);

  it('trains the same model on documents the browser host sends as the Node worker reading the disk', async () => {
    const fromDisk: TrainMessage[] = [];
    await runTraining({ ...PARAMS, role: TRAIN_WORKER_ROLE, root: DEMO_CORPUS }, (m) => fromDisk.push(m));
    const sent: TrainMessage[] = [];
    trainOnDocs(demoSet(), PARAMS, (m) => sent.push(m));
    const a = fromDisk.at(-1);
    const b = sent.at(-1);
    assert.equal(a?.kind, 'done');
    assert.equal(b?.kind, 'done');
    if (a?.kind !== 'done' || b?.kind !== 'done') return;
    assert.equal(b.summary.documents, 4);
    assert.equal(b.summary.skipped, 1, '003 is in progress');
    assert.equal(withoutDate(b.text), withoutDate(a.text), 'the same model file, to the byte');
    assert.equal(parseModel(b.text).name, 'demo');
    const fractions = sent.flatMap((m) => (m.kind === 'progress' ? [m.fraction] : []));
    assert.deepEqual(fractions, [...fractions].sort((x, y) => x - y), 'progress only grows');
    assert.equal(fractions.at(-1), 1);
  });

  it('the Node worker trains on a set the host sent (a folder not on the local disk) without reading any root', async () => {
    const messages: TrainMessage[] = [];
    await runTraining({ ...PARAMS, role: TRAIN_WORKER_ROLE, set: demoSet() }, (m) => messages.push(m));
    const last = messages.at(-1);
    assert.equal(last?.kind, 'done');
    if (last?.kind === 'done') assert.equal(last.summary.documents, 4);
  });

  it('checks for likely errors the same on documents sent as the Node worker reading the disk (training first)', async () => {
    const params = { statuses: ['done', 'reviewed'], minScore: 0.5, train: { name: 'demo', epochs: 2, hashBits: 12 } };
    const fromDisk: CheckMessage[] = [];
    await runCheck({ ...params, role: CHECK_WORKER_ROLE, root: DEMO_CORPUS }, (m) => fromDisk.push(m));
    const sent: CheckMessage[] = [];
    checkOnDocs(demoSet(), params, undefined, (m) => sent.push(m));
    const a = fromDisk.at(-1);
    const b = sent.at(-1);
    assert.equal(a?.kind, 'done', JSON.stringify(a).slice(0, 300));
    assert.equal(b?.kind, 'done', JSON.stringify(b).slice(0, 300));
    if (a?.kind !== 'done' || b?.kind !== 'done') return;
    assert.deepEqual(b.documents.map((d) => d.path), demoSet().docs.map((d) => d.name), 'findings under the names the host gave');
    assert.deepEqual(b.documents.map((d) => d.findings), a.documents.map((d) => d.findings), 'the same findings');
    assert.equal(withoutDate(b.trained?.text ?? ''), withoutDate(a.trained?.text ?? 'x'), 'the same model');
    // With the model's text instead of training: the same findings again.
    const withModel: CheckMessage[] = [];
    checkOnDocs(demoSet(), { statuses: params.statuses, minScore: 0.5 }, b.trained?.text, (m) => withModel.push(m));
    const c = withModel.at(-1);
    assert.equal(c?.kind, 'done');
    if (c?.kind === 'done') assert.deepEqual(c.documents.map((d) => d.findings), b.documents.map((d) => d.findings));
  });

  it('fails with the reason and the problems the host found when nothing is to be learnt', () => {
    const messages: TrainMessage[] = [];
    trainOnDocs({ docs: [], skipped: 5, problems: ['x.txt: left out, the sidecar is invalid'] }, { ...PARAMS, statuses: ['done'] }, (m) => messages.push(m));
    assert.deepEqual(messages, [{ kind: 'failed', message: 'nothing to learn from: no document with status done (5 document(s) of other statuses)', problems: ['x.txt: left out, the sidecar is invalid'] }]);
  });
});

describe('recommender training: a run on a worker', () => {
  /** A fake worker: `handlers` once started, `stops` counts how often it was stopped. */
  function fake(startFails?: Error) {
    const state = { handlers: undefined as WorkerHandlers<TrainMessage> | undefined, stops: 0, progress: [] as string[] };
    let started: () => void = () => undefined;
    const ready = new Promise<void>((r) => { started = r; });
    const run = trainingRun((message) => state.progress.push(message), async (h) => {
      state.handlers = h;
      started();
      if (startFails) throw startFails;
      return () => { state.stops++; };
    });
    return { state, run, ready };
  }
  const summary = { documents: 1, entities: 1, tokens: 1, labels: ['PER'], skipped: 0, problems: [], trainMs: 1 };

  it('forwards progress, settles on done, stops the worker once and ignores what comes after', async () => {
    const { state, run, ready } = fake();
    await ready;
    await Promise.resolve(); // the stop function is taken once start resolved
    state.handlers?.onMessage({ kind: 'progress', message: 'pass 1 of 2', fraction: 0.5 });
    state.handlers?.onMessage({ kind: 'done', text: '{}', summary });
    state.handlers?.onMessage({ kind: 'progress', message: 'late', fraction: 1 });
    state.handlers?.onMessage({ kind: 'failed', message: 'late', problems: [] });
    run.cancel();
    assert.deepEqual(await run.outcome, { kind: 'done', text: '{}', summary } satisfies TrainOutcome);
    assert.deepEqual(state.progress, ['pass 1 of 2']);
    assert.equal(state.stops, 1);
    assert.equal(state.handlers?.settled(), true);
  });

  it('a cancel before the worker started stops it as soon as it is (and says so to the reader)', async () => {
    const { state, run, ready } = fake();
    run.cancel();
    assert.deepEqual(await run.outcome, { kind: 'cancelled' });
    await ready;
    assert.equal(state.handlers?.settled(), true, 'reading can stop early');
    await new Promise<void>((r) => setImmediate(r));
    assert.equal(state.stops, 1, 'the worker started meanwhile is stopped');
  });

  it('a worker error or a failed start is a failed run', async () => {
    const broken = fake();
    await broken.ready;
    broken.state.handlers?.onError(new Error('the training worker failed: boom'));
    assert.deepEqual(await broken.run.outcome, { kind: 'failed', message: 'the training worker failed: boom', problems: [] });
    const refused = fake(new Error('this browser could not start a Web Worker'));
    assert.deepEqual(await refused.run.outcome, { kind: 'failed', message: 'this browser could not start a Web Worker', problems: [] });
  });
});

describe('recommender training: the Web Worker bundle', () => {
  it('holds no Node module: only core, the protocols, the shared training and check (and yaml\'s browser build)', async () => {
    // esbuild, as esbuild.js bundles dist/web/recommender-worker.js; a Node built-in would fail the build there,
    // but a CLI module (Node-only by design) would slip in unnoticed.
    const esbuild = await import('esbuild');
    const result = await esbuild.build({ entryPoints: [path.join(REPO_ROOT, 'src/extension/recommender-web-worker.ts')], bundle: true, write: false, platform: 'browser', format: 'iife', metafile: true, logLevel: 'silent' });
    const inputs = Object.keys(result.metafile.inputs).map((p) => path.relative(REPO_ROOT, path.resolve(p)).split(path.sep).join('/'));
    const allowed = (p: string) => p.startsWith('src/core/') || /^src\/extension\/(recommender-(protocol|train|web-worker)|likely-errors-(check|protocol)|expected-gain-(docs|protocol))\.ts$/.test(p) || /node_modules\/yaml\/browser\//.test(p);
    assert.deepEqual(inputs.filter((p) => !allowed(p)), []);
    assert.ok(inputs.includes('src/extension/recommender-train.ts'));
    assert.ok(inputs.includes('src/extension/likely-errors-check.ts'));
    assert.ok(inputs.includes('src/extension/expected-gain-docs.ts'));
  });
});
