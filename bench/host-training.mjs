// Issue 16: does training the recommender block the annotator? In code-server's real (Node)
// extension host (bench/host/training.bench.ts): the 72 Europeana pages copied into the demo
// workspace, a tag + undo of one name repeated with nothing else running, then every 100 ms while
// *Train Recommender* trains on the pages; the tag's time from the command to its sidecar written,
// and the extension host's longest event-loop stall in both phases.
// Needs the built extension and the compiled bench (`npm run build && npx tsc -p .`) and the test
// host (`npm run host:install`). Alone: `node bench/host-training.mjs [pages dir]` (~1 min).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, ms, percentile, report, row } from './lib/common.mjs';
import { runHostBench } from './lib/host-bench.mjs';
import { exitOnUncaughtErrors, shutdown } from '../test/host/lifecycle.mjs';
import { REPO_ROOT } from '../test/host/paths.mjs';

exitOnUncaughtErrors();
const pages = process.argv[2] ?? ['..', '../..'].map((up) => path.join(REPO_ROOT, up, 'shared', 'data', 'europeana-fr')).find((p) => fs.existsSync(p));
if (!pages || !fs.existsSync(pages)) throw new Error('the Europeana pages were not found: pass their folder (../shared/data/europeana-fr)');

const load = [];
const sampler = setInterval(() => load.push(os.loadavg()[0]), 2000);
const { code, figures } = await runHostBench({ env: { CORPUS_ANNOTATOR_BENCH: 'training', CORPUS_ANNOTATOR_BENCH_PAGES: path.resolve(pages) } })
  .finally(() => clearInterval(sampler));
if (code !== 0 || !figures.during) throw new Error(`the host bench failed (exit ${code}); run it with CORPUS_ANNOTATOR_TEST_VERBOSE=1 to see why`);

const idle = figures.idle;
const during = figures.during;
const one = (name) => figures[name]?.[0] ?? NaN;
const p95 = percentile(during, 95);
const rows = [
  row('16. tag until its sidecar is written, during training (median / p95 / max; host)', {
    measured: `${ms(median(during))} / ${ms(p95)} / ${ms(Math.max(...during))} (${during.length} tags)`,
    baseline: `idle ${ms(median(idle))} / ${ms(percentile(idle, 95))} / ${ms(Math.max(...idle))}`,
    ratio: median(during) / median(idle), target: '≤ 150 ms', met: p95 <= 150,
  }),
  row('16. … longest extension-host stall, during training / idle', { measured: ms(one('stallTraining')), baseline: `idle ${ms(one('stallIdle'))}`, target: '≤ 50 ms', met: one('stallTraining') <= 50 }),
  row('16. Train Recommender in the host (worker thread), command to model written', { measured: `${(one('trainMs') / 1000).toFixed(1)} s on ${one('documents')} documents, ${one('entities')} entities`, target: '≤ 20 s', met: one('trainMs') <= 20_000 }),
];
const notes = [
  `host-training: code-server's Node extension host, demo corpus + ${one('pages')} Europeana pages; one tag + undo every 100 ms; `
    + `load average during the run ${Math.min(...load).toFixed(1)}–${Math.max(...load).toFixed(1)} on ${os.cpus().length} cores`,
];
report('host-training', rows, notes);
await new Promise((resolve) => process.stdout.write('', resolve));
await shutdown(0);
