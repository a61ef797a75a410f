// Figure 4, and figure 2 as the editor lives it, measured where they matter: in code-server's real
// (Node) extension host, on a 10k-entity document (bench/host/decorations.bench.ts):
//   - decorations computed by the extension after the sidecar is read (its own debug log line
//     "rendered N decorations … in X ms"), against the bare VS Code API cost of the same ranges;
//   - tagging one more entity: until drawn, and until the command and its sidecar write are done,
//     with incremental writes against the previous full rewrite (CORPUS_ANNOTATOR_FULL_WRITES=1),
//     sessions interleaved (full, incremental, full, incremental) on the same machine.
// Needs the built extension and the compiled bench (`npm run build && npx tsc -p .`) and the test
// host (`npm run host:install`). Alone: `node bench/host-decorations.mjs`; in bench/run.mjs's list.
import { median, ms, report, row } from './lib/common.mjs';
import { runHostBench } from './lib/host-bench.mjs';
import { exitOnUncaughtErrors, shutdown } from '../test/host/lifecycle.mjs';

exitOnUncaughtErrors();
const ROUNDS = 3;

/** One code-server session running the bench suite; what it logged. */
async function session(fullWrites) {
  const out = { renders: [], writes: [], figures: {} };
  const env = { CORPUS_ANNOTATOR_LOG_TO_CONSOLE: '1', CORPUS_ANNOTATOR_BENCH: 'decorations' };
  if (fullWrites) env.CORPUS_ANNOTATOR_FULL_WRITES = '1';
  const { code, figures } = await runHostBench({
    env,
    onLine: (line) => {
      const r = /rendered (\d+) decorations of zz_bench_10k\.txt in ([\d.]+) ms/.exec(line);
      if (r) out.renders.push({ n: Number(r[1]), ms: Number(r[2]) });
      const w = /wrote zz_bench_10k\.txt\.ann\.yaml \((\d+) entities, (patched|rewritten)\) in ([\d.]+) ms, ([\d.]+) ms of it computing/.exec(line);
      if (w) out.writes.push({ how: w[2], ms: Number(w[3]), busy: Number(w[4]) });
    },
  });
  out.figures = figures;
  if (code !== 0) throw new Error(`the host bench failed (exit ${code}); run it with CORPUS_ANNOTATOR_TEST_VERBOSE=1 to see why`);
  process.stderr.write(`host-decorations: ${fullWrites ? 'full writes' : 'incremental writes'} session done\n`);
  return out;
}

const incremental = [];
const full = [];
for (let round = 0; round < ROUNDS; round++) {
  full.push(await session(true));
  incremental.push(await session(false));
}

const all = (sessions, f) => sessions.flatMap(f);
const firstRenders = all(incremental, (s) => s.renders.filter((r) => r.n === 10_000).slice(0, 1).map((r) => r.ms));
const reRenders = all(incremental, (s) => s.renders.filter((r) => r.n > 10_000).map((r) => r.ms));
const bare = all(incremental, (s) => s.figures.bare ?? []);
const loads = all(incremental, (s) => s.figures.load ?? []);
const writesInc = all(incremental, (s) => s.writes.filter((w) => w.how === 'patched').map((w) => w.ms));
const writesFull = all(full, (s) => s.writes.map((w) => w.ms).slice(1)); // the first write of a session warms up
const busyInc = all(incremental, (s) => s.writes.filter((w) => w.how === 'patched').map((w) => w.busy));
const busyFull = all(full, (s) => s.writes.map((w) => w.busy).slice(1));
const io = all(incremental, (s) => s.figures.io ?? []);
const drawnInc = all(incremental, (s) => s.figures.tagDrawn ?? []);
const drawnFull = all(full, (s) => s.figures.tagDrawn ?? []);
const doneInc = all(incremental, (s) => s.figures.tagDone ?? []);
const doneFull = all(full, (s) => s.figures.tagDone ?? []);
if (!firstRenders.length || !writesInc.length || !doneInc.length) throw new Error('the host bench logged no figures (is the debug log line still there?)');

const first = median(firstRenders);
const re = median(reRenders);
const b = median(bare);
const rows = [
  row('4. decorations for 10k entities, extension side, first render after the sidecar read (cold; host)', {
    measured: `${ms(first)} (${firstRenders.map((x) => x.toFixed(0)).join(', ')})`, baseline: `bare API ${ms(b)}`, ratio: first / b, target: '≤ 50 ms', met: first <= 50,
  }),
  row('4. … re-render of all entities after one more (warm; host)', { measured: ms(re), baseline: `bare API ${ms(b)}`, ratio: re / b, target: '≤ 50 ms', met: re <= 50 }),
  row('4. … sidecar load: read+parse+validate 10k entities (host, api.annotations)', { measured: ms(median(loads)) }),
  row('2. tag 1 entity in a 10k-entity doc: store write() incl. I/O (host)', {
    measured: `${ms(median(writesInc))} (patched)`, baseline: `full rewrite ${ms(median(writesFull))}`, ratio: median(writesInc) / median(writesFull), target: '≤ 5 ms median', met: median(writesInc) <= 5,
  }),
  row('2. … of which computing (the extension host\'s thread busy: checks, patch, encode; host)', {
    measured: ms(median(busyInc)), baseline: `full rewrite ${ms(median(busyFull))}`, ratio: median(busyInc) / median(busyFull), target: '≤ 5 ms median', met: median(busyInc) <= 5,
  }),
  row('2. … the file-system calls alone (read article, read sidecar, write tmp, rename; host)', { measured: ms(median(io)) }),
  row('2. … tag until drawn (host)', { measured: ms(median(drawnInc)), baseline: `full rewrite ${ms(median(drawnFull))}`, ratio: median(drawnInc) / median(drawnFull) }),
  row('2. … tag until the command and its write are done (host)', { measured: ms(median(doneInc)), baseline: `full rewrite ${ms(median(doneFull))}`, ratio: median(doneInc) / median(doneFull) }),
];
const notes = [
  `host-decorations: code-server's Node extension host, ${ROUNDS} sessions per variant interleaved (full writes first); `
    + `first render: one per session; re-render, writes, tags: medians over ${reRenders.length}, ${writesInc.length}/${writesFull.length}, ${doneInc.length}/${doneFull.length} samples `
    + `(first 2 tags of a session untimed); bare API = 10k vscode.Range from known UTF-16 offsets + one setDecorations call`,
];
report('host-decorations', rows, notes);
await new Promise((resolve) => process.stdout.write('', resolve)); // flushed before the exit
await shutdown(0);
