// The recommender (issue 16) on real pages: 5-fold cross-validated F1 by document, training time
// on every page, prediction time per article, model size and load time; and, in the same run and
// folds, the baseline a corpus has without it: the gazetteer of the training annotations
// (`corpus-annotator gazetteer` + `suggest`, the same core functions in process).
//
//   npx tsc -p . && node bench/recommender.mjs [pages dir]   (default ../shared/data/europeana-fr or ../../shared/…)
//
// Run it on an otherwise idle machine for the timings (it prints the load average before and
// after); the F1 figures do not depend on the load.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { core, info, median, ms, now, report, ROOT, row } from './lib/common.mjs';

const require = createRequire(import.meta.url);
const out = (name) => require(path.join(ROOT, 'out/src/core', `${name}.js`));
const { crossValidate, foldsOf, Tally } = out('suggest/recommender/evaluate');
const { trainModel, predict, DEFAULT_EPOCHS, DEFAULT_HASH_BITS } = out('suggest/recommender/recommender');
const { serializeModel, parseModel } = out('suggest/recommender/model-file');
const { buildGazetteer } = out('suggest/build-gazetteer');
const { parseGazetteer } = out('suggest/gazetteer');
const { suggestForArticle } = out('suggest/suggest');
const { emptySidecar } = out('model/edits');

// The shared pages sit beside the repository (or beside the worktrees' folder).
const candidates = ['..', '../..'].map((up) => path.join(ROOT, up, 'shared', 'data', 'europeana-fr'));
const dir = path.resolve(process.argv[2] ?? candidates.find((c) => fs.existsSync(c)) ?? candidates[0]);
if (!fs.existsSync(dir)) {
  console.error(`${dir}: no such directory (give the pages' directory as the first argument)`);
  process.exit(2);
}
const loadBefore = os.loadavg();
const pages = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => {
  const bytes = fs.readFileSync(path.join(dir, f));
  const { sidecar } = core.read.readSidecar(fs.readFileSync(path.join(dir, `${f}.ann.yaml`), 'utf8'));
  return { name: f, article: core.article.decodeArticle(bytes), sidecar };
});
const docs = pages.map((p) => ({
  name: p.name, text: p.article.text,
  entities: p.sidecar.entities.filter((e) => !e.suggested).map((e) => ({ start: e.start, end: e.end, label: e.label })),
}));
const entities = docs.reduce((n, d) => n + d.entities.length, 0);
info(`${docs.length} pages, ${entities} entities (${dir})`);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const K = 5;
const SEED = 1;

// ---- Cross-validated F1: the recommender ----
let t0 = now();
let c0 = cpu();
const cv = crossValidate(docs, K, { seed: SEED }, (f) => info(`recommender: fold ${f}/${K}`));
info('gazetteer baseline…');
const cvWall = now() - t0;
const cvCpu = cpu() - c0;
const e = cv.evaluation;

// ---- The same folds: the gazetteer baseline ----
function gazetteerCv(minLength) {
  const tally = new Tally();
  for (const test of foldsOf(docs.length, K, SEED)) {
    const inTest = new Set(test);
    const built = buildGazetteer(pages.filter((_, i) => !inTest.has(i)).map((p) => ({ path: p.name, sidecar: p.sidecar })));
    const tsv = built.tsv.split('\n').filter((l) => l.startsWith('#') || [...(l.split('\t')[0] ?? '')].length >= minLength).join('\n');
    const { gazetteer } = parseGazetteer(tsv, 'gazetteer.tsv');
    for (const i of test) {
      const p = pages[i];
      const { added } = suggestForArticle(emptySidecar(p.name, p.article.sha256), p.article, { gazetteers: [gazetteer] });
      tally.add(docs[i].entities, added.map((a) => ({ start: a.start, end: a.end, label: a.label })));
    }
  }
  return tally.result();
}
t0 = now();
const gaz = gazetteerCv(1);
const gazWall = now() - t0;
const gaz2 = gazetteerCv(2);

// ---- Training on every page, the model file, prediction ----
c0 = cpu();
t0 = now();
const model = trainModel(docs, { seed: SEED, temperature: cv.temperature });
const trainWall = now() - t0;
const trainCpu = cpu() - c0;
const text = serializeModel({ name: 'model', model, stats: { documents: docs.length, entities, tokens: 0, epochs: DEFAULT_EPOCHS, seed: SEED } });
const size = Buffer.byteLength(text);
const loads = [];
for (let i = 0; i < 5; i++) { const a = now(); parseModel(text); loads.push(now() - a); }
const perArticle = [];
const perArticleCpu = [];
for (const d of docs.slice(0, 5)) predict(model, d.text); // warm-up
for (const d of docs) {
  const a = now();
  const c = cpu();
  predict(model, d.text);
  perArticle.push(now() - a);
  perArticleCpu.push(cpu() - c);
}
const loadAfter = os.loadavg();
const tokens = Math.round(docs.reduce((n, d) => n + d.text.split(/\s+/).length, 0));

// Calibration: how often the held-out predictions of each score band were exactly right.
const bands = [[0, 0.5], [0.5, 0.8], [0.8, 0.95], [0.95, 1.01]].map(([lo, hi]) => {
  const inBand = cv.predictions.filter((p) => p.score >= lo && p.score < hi);
  const right = inBand.filter((p) => p.correct).length;
  const mean = inBand.reduce((a, p) => a + p.score, 0) / (inBand.length || 1);
  return `[${lo}, ${Math.min(hi, 1)}${hi > 1 ? ']' : ')'}: ${inBand.length} predictions, mean score ${mean.toFixed(2)}, ${(right / (inBand.length || 1)).toFixed(2)} right`;
});

const f = (s) => s.f1.toFixed(3);
const labels = Object.keys(e.byLabel);
report('recommender', [
  row(`5-fold CV micro F1 by document (${docs.length} pages)`, { measured: f(e.micro), baseline: `gazetteer ${f(gaz.micro)} (surfaces ≥ 2 chars ${f(gaz2.micro)})`, ratio: gaz2.micro.f1 / e.micro.f1, target: '≥ 0.65', met: e.micro.f1 >= 0.65 }),
  ...labels.map((l) => row(`  ${l} F1 (P / R)`, { measured: `${f(e.byLabel[l])} (${e.byLabel[l].precision.toFixed(2)} / ${e.byLabel[l].recall.toFixed(2)})`, baseline: `gazetteer ${gaz2.byLabel[l] ? f(gaz2.byLabel[l]) : '-'}` })),
  row(`training on all ${docs.length} pages (~${tokens} words), wall / CPU`, { measured: `${ms(trainWall)} / ${ms(trainCpu)}`, target: '≤ 20 s', met: trainWall <= 20000 }),
  row(`5-fold CV (5 trainings + predictions), wall / CPU`, { measured: `${ms(cvWall)} / ${ms(cvCpu)}`, baseline: `gazetteer CV ${ms(gazWall)}` }),
  row('prediction per article, median (max) wall; median CPU', { measured: `${ms(median(perArticle))} (${ms(Math.max(...perArticle))}); ${ms(median(perArticleCpu))}`, target: '≤ 50 ms', met: median(perArticle) <= 50 }),
  row('model file size', { measured: `${(size / 1e6).toFixed(1)} MB`, target: '≤ 20 MB', met: size <= 20e6 }),
  row('model load (parse), median of 5', { measured: ms(median(loads)), target: '≤ 200 ms', met: median(loads) <= 200 }),
], [
  `hash bits ${DEFAULT_HASH_BITS}, ${DEFAULT_EPOCHS} epochs, seed ${SEED}; calibrated temperature ${cv.temperature}; errors: ${e.boundaryErrors} boundary, ${e.missed} missed, ${e.spurious} spurious; confusions ${JSON.stringify(e.confusion)}`,
  `held-out score calibration: ${bands.join('; ')}`,
  `load average before ${loadBefore.map((x) => x.toFixed(1)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(1)).join(' ')} (${os.cpus().length} CPUs)`,
]);
