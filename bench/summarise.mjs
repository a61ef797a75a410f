// Issue 14, first opening: summarising every sidecar of the generated 10k × 100 corpus as the
// extension's counts pass does (summariseSidecar with mentions, one StringPool per pass), the
// files read into memory first so that only the summarising is timed. Each path runs in a fresh
// process (a cold JIT and an empty pool, as at the first opening), three times, alternating:
// the first pass of each process (cold) and the median of its next three (warm). When the build
// has it, the previous path (summariseSidecarRead: readSidecar's entity model, then
// summariseEntities) is the baseline. CPU time is reported beside wall time: this machine is shared.
//   node bench/summarise.mjs [documents=10000] [perDocument=100]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { core, info, isMain, median, ms, now, report, row } from './lib/common.mjs';
import { ensureCorpus } from './lib/corpus.mjs';

/** In the child: the passes of one path; prints {cold, warm} (wall and CPU ms) as JSON. */
function child(which, documents, perDocument, withMentions) {
  const { articles } = ensureCorpus({ documents, perDocument });
  const texts = articles.map((a) => fs.readFileSync(a + '.ann.yaml', 'utf8'));
  const summarise = which === 'read' ? core.index.summariseSidecarRead : core.index.summariseSidecar;
  const passes = [];
  for (let k = 0; k < 4; k++) {
    global.gc?.();
    const pool = new core.index.StringPool();
    const options = withMentions ? { withMentions: pool } : {};
    let entities = 0;
    const cpu = process.cpuUsage();
    const t0 = now();
    for (const text of texts) entities += summarise(text, options).entities;
    const wall = now() - t0;
    const used = process.cpuUsage(cpu);
    if (!(entities > 0)) throw new Error(`counted ${entities} entities`);
    passes.push({ wall, cpu: (used.user + used.system) / 1000 });
  }
  const [cold, ...warm] = passes;
  process.stdout.write(JSON.stringify({ cold, warm: { wall: median(warm.map((p) => p.wall)), cpu: median(warm.map((p) => p.cpu)) } }));
}

function spawnPath(which, documents, perDocument, withMentions) {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--child', which, String(documents), String(perDocument), withMentions ? '1' : '0'], { encoding: 'utf8', env: { ...process.env, BENCH_COMPILED_CHECKED: '1' } });
  if (r.status !== 0) throw new Error(`summarise child failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

export async function run({ documents = 10_000, perDocument = 100 } = {}) {
  ensureCorpus({ documents, perDocument, inChild: true });
  info(`summarise: ${documents} sidecars × ${perDocument} entities …`);
  const paths = core.index.summariseSidecarRead ? ['scan', 'read'] : ['scan'];
  const rows = [];
  for (const withMentions of [true, false]) {
    const runs = Object.fromEntries(paths.map((p) => [p, []]));
    for (let k = 0; k < 3; k++) for (const p of paths) runs[p].push(spawnPath(p, documents, perDocument, withMentions));
    const figure = (p, phase, key) => median(runs[p].map((r) => r[phase][key]));
    for (const phase of ['cold', 'warm']) {
      const scan = figure('scan', phase, 'wall');
      const read = runs.read ? figure('read', phase, 'wall') : undefined;
      rows.push(row(`summariseSidecar ×${documents / 1000}k, ${withMentions ? 'with mentions (the extension)' : 'counts only'}, ${phase === 'cold' ? 'first pass' : 'later passes'}`, {
        measured: `${ms(scan)} (CPU ${ms(figure('scan', phase, 'cpu'))})`,
        baseline: read === undefined ? '' : `entity model ${ms(read)} (CPU ${ms(figure('read', phase, 'cpu'))})`,
        ratio: read === undefined ? undefined : scan / read,
      }));
    }
  }
  return { rows, notes: ['summarise: sidecar texts in memory; each path in its own process ×3 alternating; first pass = a fresh process\'s first (cold JIT, empty pool), later = median of its next 3; figures are medians over the 3 processes'] };
}

if (process.argv[2] === '--child') {
  child(process.argv[3], Number(process.argv[4]), Number(process.argv[5]), process.argv[6] === '1');
} else if (isMain(import.meta.url)) {
  const { rows, notes } = await run({ documents: Number(process.argv[2] ?? 10_000), perDocument: Number(process.argv[3] ?? 100) });
  report('summarise', rows, notes);
}
