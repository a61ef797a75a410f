// The expected-gain worker (src/extension/expected-gain-worker.ts) in plain Node: one figure per
// article, the same as core's for the same model and annotations; an article without a sidecar,
// an unreadable one, an invalid sidecar and stale offsets each say why they have none; a bad
// model fails the run; terminating stops it mid-work. The browser's Web Worker (recommender-web-worker.ts),
// sent the same documents read by its host, gives the same figures: the computation is one (expected-gain-docs.ts).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { decodeArticle } from '../../src/core/model/article';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { documentGain } from '../../src/core/suggest/recommender/expected-gain';
import { parseModel, serializeModel } from '../../src/core/suggest/recommender/model-file';
import { trainModel } from '../../src/core/suggest/recommender/recommender';
import { withoutSuggestions } from '../../src/core/suggest/suggest';
import { gainsOnDocs } from '../../src/extension/expected-gain-docs';
import { GAIN_WORKER_ROLE, GainDoc, GainMessage, GainRequest, WebGainRequest } from '../../src/extension/expected-gain-protocol';
import { runGains } from '../../src/extension/expected-gain-worker';
import { DEMO_CORPUS } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';
import { tinyCorpus } from './helpers/tiny-corpus';
import { assertStrayStartDoesNothing, assertTerminatesMidWork } from './helpers/worker-thread';

const { tmpDir } = tempDirs('expected-gain-worker');
const STATS = { documents: 0, entities: 0, tokens: 0, epochs: 1, seed: 1 };

describe('expected gain: the worker', function () {
  this.timeout(60_000);

  /** The demo corpus and a model trained on its texts and annotations (small, to be quick). */
  async function corpus(): Promise<{ root: string; articles: string[]; modelPath: string; modelText: string }> {
    const root = await tmpDir();
    fs.cpSync(DEMO_CORPUS, root, { recursive: true });
    const articles = fs.readdirSync(root).filter((f) => f.endsWith('.txt')).sort().map((f) => path.join(root, f));
    const docs = articles.map((a) => {
      const sidecar = readSidecar(fs.readFileSync(`${a}.ann.yaml`, 'utf8')).sidecar;
      assert.ok(sidecar);
      return { name: a, text: decodeArticle(fs.readFileSync(a)).text, entities: withoutSuggestions(sidecar.entities) };
    });
    const modelText = serializeModel({ name: 'demo', model: trainModel(docs.slice(0, 3), { epochs: 2, hashBits: 12 }), stats: STATS });
    const modelPath = path.join(root, 'model.json');
    fs.writeFileSync(modelPath, modelText);
    return { root, articles, modelPath, modelText };
  }
  const run = async (req: Omit<GainRequest, 'role'>) => {
    const messages: GainMessage[] = [];
    await runGains({ role: GAIN_WORKER_ROLE, ...req }, (m) => messages.push(m));
    return messages;
  };

  it("gives every article core's figure for the same model, in the order asked, with progress up to 1", async () => {
    const { articles, modelPath, modelText } = await corpus();
    const messages = await run({ modelPath, articles });
    const last = messages.at(-1);
    assert.equal(last?.kind, 'done', JSON.stringify(last));
    if (last?.kind !== 'done') return;
    assert.equal(last.modelName, 'demo');
    const model = parseModel(modelText).model;
    const expected = articles.map((a) => ({
      gain: documentGain(model, decodeArticle(fs.readFileSync(a)).text, withoutSuggestions(readSidecar(fs.readFileSync(`${a}.ann.yaml`, 'utf8')).sidecar?.entities ?? [])),
    }));
    assert.deepEqual(last.entries, expected);
    assert.ok(expected.some((e) => e.gain.gain > 0), 'some document has something to teach');
    const fractions = messages.filter((m) => m.kind === 'progress').map((m) => (m as { fraction: number }).fraction);
    assert.equal(fractions.at(-1), 1);
    assert.deepEqual(fractions, [...fractions].sort((a, b) => a - b));
  });

  it('an article without a sidecar has every prediction unannotated; the others say why they have no figure', async () => {
    const { root, articles, modelPath } = await corpus();
    const [first, second, third, fourth] = articles as [string, string, string, string];
    const fresh = path.join(root, 'fresh.txt');
    fs.copyFileSync(first, fresh);
    fs.writeFileSync(`${second}.ann.yaml`, 'entities: [oops\n');
    const stale = fs.readFileSync(`${third}.ann.yaml`, 'utf8').replace(/^sha256: .*$/m, `sha256: ${'0'.repeat(64)}`);
    assert.match(stale, /sha256: 0{64}/);
    fs.writeFileSync(`${third}.ann.yaml`, stale);
    fs.writeFileSync(fourth, new Uint8Array([0x41, 0xc3, 0x28]));
    const last = (await run({ modelPath, articles: [fresh, second, third, fourth, path.join(root, 'gone.txt')] })).at(-1);
    assert.equal(last?.kind, 'done');
    if (last?.kind !== 'done') return;
    const [f, invalid, changed, latin1, gone] = last.entries;
    assert.ok(f && 'gain' in f && f.gain.unannotated === f.gain.predictions && f.gain.predictions > 0, JSON.stringify(f));
    assert.match(invalid && 'problem' in invalid ? invalid.problem : '', /sidecar has errors/);
    assert.match(changed && 'problem' in changed ? changed.problem : '', /changed since it was annotated; re-anchor/);
    assert.match(latin1 && 'problem' in latin1 ? latin1.problem : '', /cannot be read: .*not valid UTF-8/);
    assert.match(gone && 'problem' in gone ? gone.problem : '', /cannot be read: no such file or directory \(ENOENT\)/);
  });

  it('a missing or invalid model fails the run, naming the file', async () => {
    const { root, articles } = await corpus();
    const missing = (await run({ modelPath: path.join(root, 'none.json'), articles })).at(-1);
    assert.equal(missing?.kind, 'failed');
    assert.match(missing?.kind === 'failed' ? missing.message : '', /none\.json: no such file or directory \(ENOENT\)/);
    fs.writeFileSync(path.join(root, 'bad.json'), '{"format": "something else"}');
    const bad = (await run({ modelPath: path.join(root, 'bad.json'), articles })).at(-1);
    assert.equal(bad?.kind, 'failed');
    assert.match(bad?.kind === 'failed' ? bad.message : '', /bad\.json/);
  });

  /** The documents as the browser's host sends them (text and annotations without suggestions). */
  const sent = (articles: readonly string[]): GainDoc[] => articles.map((a) => {
    const sidecar = readSidecar(fs.readFileSync(`${a}.ann.yaml`, 'utf8')).sidecar;
    return sidecar ? { text: decodeArticle(fs.readFileSync(a)).text, annotations: withoutSuggestions(sidecar.entities) } : { problem: 'its sidecar has errors' };
  });

  it("the browser's Web Worker, sent the same documents and model, gives the Node worker's figures", async () => {
    const { articles, modelPath, modelText } = await corpus();
    const node = (await run({ modelPath, articles })).at(-1);
    assert.equal(node?.kind, 'done');
    // The Web Worker's entry as the browser runs it: its global scope's onmessage and postMessage.
    const scope = globalThis as unknown as { onmessage?: ((e: { data: unknown }) => void) | null; postMessage?: (m: GainMessage) => void };
    const posted: GainMessage[] = [];
    const finished = new Promise<void>((resolve) => {
      scope.postMessage = (m) => {
        posted.push(m);
        if (m.kind !== 'progress') resolve();
      };
    });
    try {
      await import('../../src/extension/recommender-web-worker');
      assert.equal(typeof scope.onmessage, 'function');
      const docs = [...sent(articles), { problem: 'the article cannot be read: it is not UTF-8 text' }];
      scope.onmessage?.({ data: { role: GAIN_WORKER_ROLE, modelText, modelWhere: 'model.json', docs } satisfies WebGainRequest });
      await finished;
    } finally {
      delete scope.postMessage;
      scope.onmessage = null;
    }
    const web = posted.at(-1);
    assert.equal(web?.kind, 'done', JSON.stringify(web));
    if (web?.kind !== 'done' || node?.kind !== 'done') return;
    assert.equal(web.modelName, node.modelName);
    assert.deepEqual(web.entries.slice(0, -1), node.entries);
    assert.deepEqual(web.entries.at(-1), { problem: 'the article cannot be read: it is not UTF-8 text' }, 'a reason the host gave passes through');
    const progress = posted.filter((m): m is Extract<GainMessage, { kind: 'progress' }> => m.kind === 'progress');
    assert.equal(progress.at(-1)?.fraction, 1);
  });

  it('gainsOnDocs fails naming the model when its text is not a model, before reading any document', async () => {
    const messages: GainMessage[] = [];
    let read = 0;
    await gainsOnDocs('{"format": "something else"}', 'models/ner.json', 3, () => { read++; return { problem: 'x' }; }, (m) => messages.push(m));
    assert.equal(read, 0);
    assert.equal(messages.length, 1);
    assert.match(messages[0]?.kind === 'failed' ? messages[0].message : '', /cannot read the model models\/ner\.json: /);
  });

  const script = path.join(__dirname, '..', '..', 'src', 'extension', 'expected-gain-worker.js');

  it('runs on a worker thread that terminating stops at once, mid-work (cancel)', async () => {
    const root = await tmpDir();
    const docs = tinyCorpus(4);
    const modelPath = path.join(root, 'model.json');
    fs.writeFileSync(modelPath, serializeModel({ name: 'tiny', model: trainModel(docs, { epochs: 1, hashBits: 10 }), stats: STATS }));
    // Many long articles: far more work than the first progress report.
    const article = path.join(root, 'long.txt');
    fs.writeFileSync(article, docs.map((d) => d.text).join('\n').repeat(50));
    await assertTerminatesMidWork<GainMessage>(script, { role: GAIN_WORKER_ROLE, modelPath, articles: Array(2000).fill(article) } satisfies GainRequest,
      (m) => m.kind === 'progress');
  });

  it('does nothing on a thread started without its role (a stray import)', () => assertStrayStartDoesNothing(script));
});
