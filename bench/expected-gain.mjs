// Sort by Expected Gain (issue 16): how long the sidebar waits for the gains, measured as the
// extension computes them: dist/expected-gain-worker.js on a worker thread, from its start to its
// last message (reading the model, every article and its sidecar, predicting, summing). On the
// demo corpus and on a generated corpus (bench/lib/corpus.mjs); the model is trained first (core,
// in process, not timed) on the corpus's done and reviewed documents (at most 200). Then the tree's
// part: ordering 10,000 documents by a snapshot (sortByGain), which every refresh of the root does.
//
//   npm run build && npx tsc -p . && node bench/expected-gain.mjs [documents=1000] [perDocument=100]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { core, info, median, ms, now, report, ROOT, row } from './lib/common.mjs';
import { ensureCorpus } from './lib/corpus.mjs';

const require = createRequire(import.meta.url);
const out = (name) => require(path.join(ROOT, 'out/src', `${name}.js`));
const { trainModel } = out('core/suggest/recommender/recommender');
const { serializeModel } = out('core/suggest/recommender/model-file');
const { sortByGain } = out('core/corpus/tree-model');
const { GAIN_WORKER_ROLE } = out('extension/expected-gain-protocol');

const documents = Number(process.argv[2] ?? 1000);
const perDocument = Number(process.argv[3] ?? 100);
const WORKER = path.join(ROOT, 'dist', 'expected-gain-worker.js');
if (!fs.existsSync(WORKER)) {
  console.error(`${WORKER} is missing: run \`npm run build\` first`);
  process.exit(2);
}
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-bench-gain-'));
process.on('exit', () => fs.rmSync(scratch, { recursive: true, force: true }));

/** Trains on the done/reviewed articles among `articles` (at most 200) and writes the model file. */
function modelFor(articles, name) {
  const docs = [];
  for (const a of articles) {
    const { sidecar } = core.read.readSidecar(fs.readFileSync(`${a}.ann.yaml`, 'utf8'));
    if (!sidecar || !['done', 'reviewed'].includes(sidecar.status)) continue;
    docs.push({ name: a, text: core.article.decodeArticle(fs.readFileSync(a)).text, entities: sidecar.entities.filter((e) => !e.suggested) });
    if (docs.length >= 200) break;
  }
  const t0 = now();
  const model = trainModel(docs);
  info(`${name}: trained on ${docs.length} documents in ${ms(now() - t0)}`);
  const file = path.join(scratch, `${name}.json`);
  fs.writeFileSync(file, serializeModel({ name, model, stats: { documents: docs.length, entities: 0, tokens: 0, epochs: 0, seed: 0 } }));
  return file;
}

/** One run of the worker, as the extension starts it: wall time to its last message, and its figures. */
function runWorker(modelPath, articles) {
  return new Promise((resolve, reject) => {
    const t0 = now();
    const worker = new Worker(WORKER, { workerData: { role: GAIN_WORKER_ROLE, modelPath, articles } });
    worker.on('message', (m) => {
      if (m.kind === 'progress') return;
      const wall = now() - t0;
      void worker.terminate();
      if (m.kind === 'failed') reject(new Error(m.message));
      else resolve({ wall, entries: m.entries });
    });
    worker.on('error', reject);
  });
}

const loadBefore = os.loadavg();
const rows = [];
const notes = [];

const demo = fs.readdirSync(path.join(ROOT, 'examples', 'corpus')).filter((f) => f.endsWith('.txt')).sort().map((f) => path.join(ROOT, 'examples', 'corpus', f));
const demoModel = modelFor(demo, 'demo');
const demoRuns = [];
for (let i = 0; i < 5; i++) demoRuns.push((await runWorker(demoModel, demo)).wall);
rows.push(row(`gains of the demo corpus (${demo.length} articles), worker start to result, median of 5`, { measured: ms(median(demoRuns)) }));

const { articles } = ensureCorpus({ documents, perDocument, inChild: true });
const bigModel = modelFor(articles, 'generated');
const first = await runWorker(bigModel, articles);
const second = await runWorker(bigModel, articles);
const scored = first.entries.filter((e) => 'gain' in e);
rows.push(row(`gains of a generated corpus (${documents} articles × ${perDocument} entities), first run`, { measured: ms(first.wall) }));
rows.push(row('…second run (files in the OS cache)', { measured: ms(second.wall) }));
rows.push(row('…per article (second run)', { measured: ms(second.wall / documents) }));
notes.push(`${scored.length} of ${documents} generated articles scored; gains ${Math.min(...scored.map((e) => e.gain.gain)).toFixed(1)}…${Math.max(...scored.map((e) => e.gain.gain)).toFixed(1)}`);

// The tree's part: 10,000 document keys ordered by a snapshot (half scored, half not).
const keys = Array.from({ length: 10_000 }, (_, i) => `file:///corpus/part${Math.floor(i / 1000)}/article-${String(i).padStart(5, '0')}.txt`);
const entries = new Map(keys.filter((_, i) => i % 2 === 0).map((k, i) => [k, { gain: { gain: (i * 7919) % 1000 / 10, predictions: 1, unannotated: 1 } }]));
const snapshot = { entries, model: 'm', taken: '' };
const sorts = [];
for (let i = 0; i < 7; i++) {
  const t0 = now();
  sortByGain(keys, (k) => k, snapshot);
  sorts.push(now() - t0);
}
rows.push(row('tree: 10,000 documents ordered by a snapshot (sortByGain), median of 7', { measured: ms(median(sorts)) }));

notes.push(`load average before ${loadBefore.map((x) => x.toFixed(2)).join(', ')}, after ${os.loadavg().map((x) => x.toFixed(2)).join(', ')} (${os.cpus().length} cores)`);
report('expected-gain', rows, notes);
