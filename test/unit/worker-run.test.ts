// The one supervisor of the extension's worker threads (src/extension/worker-run.ts), with the
// expected-gain worker as the job: progress then the outcome of the last message; cancelling
// settles as cancelled whatever the worker says afterwards; a thread that fails settles as failed.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { serializeModel } from '../../src/core/suggest/recommender/model-file';
import { trainModel } from '../../src/core/suggest/recommender/recommender';
import { GAIN_WORKER_ROLE, GainMessage, GainRequest } from '../../src/extension/expected-gain-protocol';
import { superviseWorker } from '../../src/extension/worker-run';
import { tempDirs } from './helpers/tmp';
import { tinyCorpus } from './helpers/tiny-corpus';

const { tmpDir } = tempDirs('worker-run');
const script = path.join(__dirname, '..', '..', 'src', 'extension', 'expected-gain-worker.js');

type Outcome = { kind: 'done'; n: number } | { kind: 'failed'; message: string };
const protocol = {
  outcomeOf: (m: Exclude<GainMessage, { kind: 'progress' }>): Outcome => (m.kind === 'done' ? { kind: 'done', n: m.entries.length } : m),
  failed: (message: string): Outcome => ({ kind: 'failed', message: `stopped: ${message}` }),
};

describe('worker supervisor', function () {
  this.timeout(60_000);

  async function request(copies: number): Promise<GainRequest> {
    const root = await tmpDir();
    const docs = tinyCorpus(4);
    const modelPath = path.join(root, 'model.json');
    fs.writeFileSync(modelPath, serializeModel({ name: 'tiny', model: trainModel(docs, { epochs: 1, hashBits: 10 }), stats: { documents: 4, entities: 0, tokens: 0, epochs: 1, seed: 1 } }));
    const article = path.join(root, 'a.txt');
    fs.writeFileSync(article, docs.map((d) => d.text).join('\n').repeat(20));
    return { role: GAIN_WORKER_ROLE, modelPath, articles: Array<string>(copies).fill(article) };
  }

  it('reports progress, then settles with the outcome of the last message', async () => {
    const fractions: number[] = [];
    const run = superviseWorker<GainMessage, Outcome>(script, await request(3), protocol, (_, f) => fractions.push(f));
    assert.ok(run, 'Node has worker threads');
    assert.deepEqual(await run.outcome, { kind: 'done', n: 3 });
    assert.equal(fractions.at(-1), 1);
  });

  it('cancelled mid-work: settles as cancelled; cancelling twice does no harm', async () => {
    let cancelAt: () => void = () => undefined;
    const progressed = new Promise<void>((resolve) => { cancelAt = resolve; });
    const run = superviseWorker<GainMessage, Outcome>(script, await request(5000), protocol, () => cancelAt());
    assert.ok(run);
    await progressed;
    run.cancel();
    run.cancel();
    assert.deepEqual(await run.outcome, { kind: 'cancelled' });
  });

  it('a thread that fails (a script that will not load) settles as failed, with its error', async () => {
    const bad = path.join(await tmpDir(), 'broken.js');
    fs.writeFileSync(bad, 'throw new Error("boom at load");');
    const run = superviseWorker<GainMessage, Outcome>(bad, {}, protocol, () => undefined);
    assert.ok(run);
    const outcome = await run.outcome;
    assert.equal(outcome.kind, 'failed');
    assert.match(outcome.kind === 'failed' ? outcome.message : '', /^stopped: boom at load/);
  });

  it('a thread that exits without its last message settles as failed (it does not wait for ever)', async () => {
    const quits = path.join(await tmpDir(), 'quits.js');
    fs.writeFileSync(quits, 'require("node:worker_threads").parentPort.postMessage({ kind: "progress", message: "starting", fraction: 0 }); process.exit(3);');
    const progress: string[] = [];
    const run = superviseWorker<GainMessage, Outcome>(quits, {}, protocol, (m) => progress.push(m));
    assert.ok(run);
    const outcome = await run.outcome;
    assert.deepEqual(progress, ['starting'], 'a message sent before it exits still arrives');
    assert.deepEqual(outcome, { kind: 'failed', message: 'stopped: the worker thread exited (code 3) before reporting its result' });
  });

  it('a thread whose last message is its exit: the outcome of that message, not a failure', async () => {
    const lastWords = path.join(await tmpDir(), 'last-words.js');
    fs.writeFileSync(lastWords, 'require("node:worker_threads").parentPort.postMessage({ kind: "done", entries: [1, 2] }); process.exit(0);');
    const run = superviseWorker<GainMessage, Outcome>(lastWords, {}, protocol, () => undefined);
    assert.ok(run);
    assert.deepEqual(await run.outcome, { kind: 'done', n: 2 });
  });
});
