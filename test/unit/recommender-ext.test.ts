// The recommender's VS Code side without VS Code (issue 16): which prediction Next Most Uncertain
// goes to (core/suggest/recommender/uncertainty.ts), when background retraining is due
// (extension/recommender-retrain.ts), and the training worker (extension/recommender-worker.ts),
// in-process and on a real worker thread that a cancel terminates.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Entity } from '../../src/core/model/model';
import { parseModel } from '../../src/core/suggest/recommender/model-file';
import { predict } from '../../src/core/suggest/recommender/recommender';
import { nextUncertain, rankByUncertainty, uncertainty } from '../../src/core/suggest/recommender/uncertainty';
import { TRAIN_WORKER_ROLE, TrainMessage, TrainRequest } from '../../src/extension/recommender-protocol';
import { AnnotationCounter } from '../../src/extension/recommender-retrain';
import { runTraining } from '../../src/extension/recommender-worker';
import { DEMO_CORPUS } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';
import { assertStrayStartDoesNothing, assertTerminatesMidWork } from './helpers/worker-thread';

const { tmpDir } = tempDirs('recommender-ext');

const p = (start: number, end: number, label: string, score: number) => ({ start, end, label, score });

describe('recommender: uncertainty (Next Most Uncertain)', () => {
  it('is highest at the decision boundary 0.5 and zero for certain scores', () => {
    assert.equal(uncertainty(0.5), 1);
    assert.equal(uncertainty(0), 0);
    assert.equal(uncertainty(1), 0);
    assert.ok(Math.abs(uncertainty(0.4) - 0.8) < 1e-12);
    assert.equal(uncertainty(0.4), uncertainty(0.6));
    assert.equal(uncertainty(Number.NaN), 0);
    assert.equal(uncertainty(7), 0);
  });

  it('ranks predictions by margin to 0.5, leaving out annotated spans but not suggestions', () => {
    const predictions = [p(0, 5, 'PER', 0.95), p(10, 15, 'LOC', 0.1), p(20, 25, 'ORG', 0.55), p(30, 35, 'LOC', 0.45), p(40, 45, 'PER', 0.5), p(40, 45, 'PER', 0.5)];
    // An annotation overlapping 40–45 (nested inside it, starting earlier): that prediction is decided.
    const annotations = [{ start: 38, end: 42, label: 'PER' }];
    const ranked = rankByUncertainty(predictions, annotations);
    assert.deepEqual(ranked.map((r) => r.start), [20, 30, 10, 0], 'ties (0.55 and 0.45) in text order; 40–45 overlaps an annotation');
    // A long annotation earlier in the text still covers a later prediction.
    assert.deepEqual(rankByUncertainty([p(50, 52, 'LOC', 0.5)], [{ start: 0, end: 100, label: 'EVENT' }, { start: 60, end: 61, label: 'LOC' }]), []);
  });

  it('goes to the most uncertain, then to the next one when the cursor is on it, wrapping round', () => {
    const ranked = rankByUncertainty([p(0, 5, 'PER', 0.9), p(10, 15, 'LOC', 0.5), p(20, 25, 'ORG', 0.6)], []);
    assert.equal(nextUncertain(ranked)?.start, 10);
    assert.equal(nextUncertain(ranked, { start: 3, end: 3 })?.start, 10, 'a cursor elsewhere: the most uncertain');
    assert.equal(nextUncertain(ranked, { start: 10, end: 15 })?.start, 20);
    assert.equal(nextUncertain(ranked, { start: 20, end: 25 })?.start, 0);
    assert.equal(nextUncertain(ranked, { start: 0, end: 5 })?.start, 10, 'wraps round');
    assert.equal(nextUncertain([], { start: 0, end: 5 }), undefined);
  });
});

describe('recommender: background retraining counter', () => {
  const e = (id: string, suggested = false): Entity => ({ id, label: 'PER', start: 0, end: 1, text: 'x', ...(suggested ? { suggested: true } : {}) });

  it('counts annotations made (tags and accepted suggestions), not loading, suggesting or removing', () => {
    const c = new AnnotationCounter();
    assert.equal(c.observe('a', [e('1'), e('2')]), 0, 'first sight: loaded, not annotated');
    assert.equal(c.observe('a', [e('1'), e('2'), e('s', true)]), 0, 'a suggestion is not an annotation');
    assert.equal(c.observe('a', [e('1'), e('2'), e('s')]), 1, 'accepting it is');
    assert.equal(c.observe('a', [e('1'), e('s'), e('3')]), 1, 'a removal does not count, a tag does');
    assert.equal(c.pending, 2);
    assert.equal(c.due(3), false);
    assert.equal(c.observe('b', [e('9')]), 0);
    assert.equal(c.observe('b', [e('9'), e('10')]), 1);
    assert.equal(c.due(3), true, 'three annotations, in two articles');
    assert.equal(c.pending, 0, 'the count restarts');
    assert.equal(c.due(3), false);
  });

  it('is never due when the setting is off (0) or nonsense', () => {
    const c = new AnnotationCounter();
    c.observe('a', []);
    c.observe('a', [e('1'), e('2')]);
    for (const every of [0, -1, Number.NaN]) assert.equal(c.due(every), false, String(every));
    assert.equal(c.due(1), true);
  });
});

describe('recommender: the training worker', function () {
  this.timeout(60_000);

  async function demoCopy(): Promise<string> {
    const dir = await tmpDir();
    fs.cpSync(DEMO_CORPUS, dir, { recursive: true });
    return dir;
  }
  const request = (root: string, statuses = ['done', 'reviewed']): TrainRequest => ({ role: TRAIN_WORKER_ROLE, root, statuses, name: 'demo', epochs: 2, hashBits: 12 });

  it('trains on the done and reviewed documents, reports progress, and hands back a model file', async () => {
    const root = await demoCopy();
    const messages: TrainMessage[] = [];
    await runTraining(request(root), (m) => messages.push(m));
    const last = messages.at(-1);
    assert.equal(last?.kind, 'done', JSON.stringify(last).slice(0, 300));
    if (last?.kind !== 'done') return;
    const progress = messages.filter((m) => m.kind === 'progress').map((m) => (m.kind === 'progress' ? m.fraction : -1));
    assert.ok(progress.length >= 4, 'reading, counted, two passes');
    assert.deepEqual(progress, [...progress].sort((a, b) => a - b), 'progress only grows');
    assert.equal(progress.at(-1), 1);
    assert.equal(last.summary.documents, 4, 'the 4 reviewed demo documents; 003 is in progress');
    assert.equal(last.summary.skipped, 1);
    assert.deepEqual(last.summary.problems, []);
    const file = parseModel(last.text);
    assert.equal(file.name, 'demo');
    assert.deepEqual(file.stats.statuses, ['done', 'reviewed']);
    assert.ok(predict(file.model, fs.readFileSync(path.join(root, '003_3e55259b9cbe4b4c.txt'), 'utf8')).length > 0);
  });

  it('says why when there is nothing to learn from, and names invalid sidecars it left out', async () => {
    const root = await demoCopy();
    const broken = path.join(root, '000_a5c2016fc8888533.txt.ann.yaml');
    fs.writeFileSync(broken, fs.readFileSync(broken, 'utf8').replace('version: 1', 'version: [1'));
    const messages: TrainMessage[] = [];
    await runTraining(request(root, ['done']), (m) => messages.push(m));
    const last = messages.at(-1);
    assert.equal(last?.kind, 'failed');
    if (last?.kind !== 'failed') return;
    assert.match(last.message, /nothing to learn from: no document with status done \(4 document\(s\) of other statuses\)/);
    assert.equal(last.problems.length, 1);
    assert.match(last.problems[0] as string, /000_a5c2016fc8888533\.txt\.ann\.yaml: error: left out, the sidecar is invalid/);
  });

  const script = path.join(__dirname, '..', '..', 'src', 'extension', 'recommender-worker.js');

  it('runs on a worker thread that terminating stops at once (cancel)', async () => {
    const root = await demoCopy();
    await assertTerminatesMidWork<TrainMessage>(script, { ...request(root), epochs: 10_000 },
      (m) => m.kind === 'progress' && m.message.startsWith('pass'));
  });

  it('does nothing on a thread started without its role (a stray import)', () => assertStrayStartDoesNothing(script));
});
