// The Find Likely Annotation Errors worker (src/extension/likely-errors-worker.ts) in plain Node:
// trains first when asked, checks with a model file otherwise, and says why when it cannot.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CHECK_WORKER_ROLE, CheckMessage, CheckRequest } from '../../src/extension/likely-errors-protocol';
import { runCheck } from '../../src/extension/likely-errors-worker';
import { DEMO_CORPUS } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';
import { assertStrayStartDoesNothing, assertTerminatesMidWork } from './helpers/worker-thread';

const { tmpDir } = tempDirs('likely-errors-worker');
const PLANTED = '000_a5c2016fc8888533.txt';

describe('likely errors: the worker', function () {
  this.timeout(60_000);

  /** The demo corpus with one "Laftit" relabelled LOC among its many PER ones. */
  async function planted(): Promise<string> {
    const dir = await tmpDir();
    fs.cpSync(DEMO_CORPUS, dir, { recursive: true });
    const sidecar = path.join(dir, `${PLANTED}.ann.yaml`);
    const before = fs.readFileSync(sidecar, 'utf8');
    const after = before.replace('{id: f6by7c, label: PER', '{id: f6by7c, label: LOC');
    assert.notEqual(after, before);
    fs.writeFileSync(sidecar, after);
    return dir;
  }
  const request = (root: string, more: Partial<CheckRequest>): CheckRequest => ({ role: CHECK_WORKER_ROLE, root, statuses: ['done', 'reviewed'], minScore: 0.7, ...more });
  const run = async (req: CheckRequest) => {
    const messages: CheckMessage[] = [];
    await runCheck(req, (m) => messages.push(m));
    return messages;
  };

  it('trains first, reports progress, finds the planted label, and hands back the model', async () => {
    const root = await planted();
    const messages = await run(request(root, { train: { name: 'demo', epochs: 3, hashBits: 12 } }));
    const last = messages.at(-1);
    assert.equal(last?.kind, 'done', JSON.stringify(last));
    if (last?.kind !== 'done') return;
    const fractions = messages.filter((m) => m.kind === 'progress').map((m) => (m as { fraction: number }).fraction);
    assert.deepEqual(fractions, [...fractions].sort((a, b) => a - b), 'progress only goes forward');
    assert.ok(messages.some((m) => m.kind === 'progress' && m.message.startsWith('training: ')));
    assert.equal(last.modelName, 'demo');
    assert.ok(last.trained && last.trained.summary.documents === 4);
    assert.equal(last.documents.length, 4);
    const doc = last.documents.find((d) => d.path === path.join(root, PLANTED));
    const laftit = doc?.findings.find((f) => f.current?.id === 'f6by7c');
    assert.ok(laftit, JSON.stringify(doc?.findings));
    assert.equal(laftit.proposed.label, 'PER');
    assert.ok((laftit.others ?? 0) >= 10, 'the other PER occurrences are counted');

    // With the model file it wrote (as the host does): the same findings, nothing trained.
    const modelPath = path.join(root, 'model.json');
    fs.writeFileSync(modelPath, last.trained.text);
    const again = (await run(request(root, { modelPath }))).at(-1);
    assert.equal(again?.kind, 'done');
    if (again?.kind !== 'done') return;
    assert.equal(again.trained, undefined);
    assert.deepEqual(again.documents, last.documents);
  });

  it('nothing to learn from: fails at training, with the reason', async () => {
    const root = await tmpDir();
    fs.cpSync(DEMO_CORPUS, root, { recursive: true });
    for (const f of fs.readdirSync(root).filter((n) => n.endsWith('.ann.yaml'))) {
      const p = path.join(root, f);
      fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(/^status: \S+/m, 'status: in-progress'));
    }
    const last = (await run(request(root, { train: { name: 'demo', epochs: 1, hashBits: 10 } }))).at(-1);
    assert.equal(last?.kind, 'failed');
    if (last?.kind !== 'failed') return;
    assert.equal(last.stage, 'train');
    assert.match(last.message, /nothing to learn from: no document with status done or reviewed/);
  });

  it('an unreadable or invalid model file fails the check, naming the problem', async () => {
    const root = await planted();
    const missing = (await run(request(root, { modelPath: path.join(root, 'none.json') }))).at(-1);
    assert.equal(missing?.kind, 'failed');
    assert.match(missing?.kind === 'failed' ? missing.message : '', /ENOENT/);
    fs.writeFileSync(path.join(root, 'bad.json'), '{"format": "something else"}');
    const bad = (await run(request(root, { modelPath: path.join(root, 'bad.json') }))).at(-1);
    assert.equal(bad?.kind, 'failed');
    assert.equal(bad?.kind === 'failed' ? bad.stage : '', 'check');
  });

  const script = path.join(__dirname, '..', '..', 'src', 'extension', 'likely-errors-worker.js');

  it('runs on a worker thread that terminating stops at once, mid-training (cancel)', async () => {
    const root = await planted();
    await assertTerminatesMidWork<CheckMessage>(script, request(root, { train: { name: 'demo', epochs: 10_000, hashBits: 12 } }),
      (m) => m.kind === 'progress' && m.message.startsWith('training: pass'));
  });

  it('does nothing on a thread started without its role (a stray import)', () => assertStrayStartDoesNothing(script));
});
