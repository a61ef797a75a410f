// Figure 6: the git merge driver when two annotators tag the same fresh article — N entities added
// on each side (10k + 10k and 20k + 20k), most mentions tagged by both (same span and label: kept
// once), some with a different label (a conflict each), some only by one side. Measured: the whole
// `corpus-annotator merge-driver` command as git runs it (a Node process reading the three
// versions and writing the merge), its lines on stderr, and `mergeSidecars` alone. Baseline: the
// quadratic definition the sweep replaced (test/unit/helpers/merge-quadratic.ts, compiled), in the
// same run; both results are checked equal.
//   node bench/merge.mjs [sizes=10000,20000]
//   BENCH_MERGE_CLI=/path/to/old/dist/cli.js node bench/merge.mjs 10000   # the command of another build
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { core, info, isMain, median, ms, now, report, ROOT, row } from './lib/common.mjs';
import { LABELS, makeDocument, prng } from './lib/corpus.mjs';

const require = createRequire(import.meta.url);
const merge = require(path.join(ROOT, 'out/src/core/review/merge.js'));
const { pairAddedQuadratic } = require(path.join(ROOT, 'out/test/unit/helpers/merge-quadratic.js'));
// BENCH_MERGE_CLI: another build's dist/cli.js, to measure the command before a change.
const CLI = process.env.BENCH_MERGE_CLI ? path.resolve(process.env.BENCH_MERGE_CLI) : path.join(ROOT, 'dist/cli.js');
const CPU_AT_EXIT = path.join(ROOT, 'bench/lib/cpu-at-exit.cjs');
const TARGET_MS = 3000;

/** The two sides: ours and theirs each tag `n` of the article's mentions, with their own ids. */
function scenario(n, seed) {
  const rand = prng(seed);
  const doc = makeDocument(rand, 'a.txt', Math.round(n * 1.25));
  const mentions = doc.sidecar.entities;
  const pickN = () => {
    const idx = mentions.map((_, i) => i);
    for (let i = idx.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    return new Set(idx.slice(0, n));
  };
  const ids = new Set();
  const freshId = () => {
    let id;
    do id = 'abcdefghijklmnopqrstuvwxyz'[Math.floor(rand() * 26)] + Math.floor(rand() * 36 ** 5).toString(36).padStart(5, '0');
    while (ids.has(id));
    ids.add(id);
    return id;
  };
  const side = (chosen, by, relabel) => mentions.flatMap((m, i) => {
    if (!chosen.has(i)) return [];
    const label = relabel && rand() < 0.05 ? LABELS[(LABELS.indexOf(m.label) + 1) % LABELS.length] : m.label;
    return [{ id: freshId(), label, start: m.start, end: m.end, text: m.text, by, src: 'manual' }];
  });
  const head = { version: 1, document: 'a.txt', sha256: doc.sidecar.sha256, status: 'in-progress' };
  return {
    text: doc.text,
    base: { ...head, status: 'todo', entities: [] },
    ours: { ...head, entities: side(pickN(), 'amina', false) },
    theirs: { ...head, entities: side(pickN(), 'youssef', true) },
  };
}

/** Median CPU time (user + system: steady on a loaded machine, unlike the wall clock) of `runs` merges. */
function timeMerge(input, pairing, runs) {
  const out = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = process.cpuUsage();
    result = merge.mergeSidecars(input, pairing);
    const d = process.cpuUsage(t0);
    out.push((d.user + d.system) / 1000);
  }
  return { ms: median(out), result };
}

/** `corpus-annotator merge-driver O A B a.txt.ann.yaml` in a scratch directory, as git runs it. */
function runDriver(s, dir) {
  const write = core.write.writeSidecar;
  fs.writeFileSync(path.join(dir, 'a.txt'), s.text);
  fs.writeFileSync(path.join(dir, 'O'), write(s.base));
  fs.writeFileSync(path.join(dir, 'A'), write(s.ours));
  fs.writeFileSync(path.join(dir, 'B'), write(s.theirs));
  const cpuFile = path.join(dir, 'cpu.json');
  const t0 = now();
  const r = spawnSync(process.execPath, ['--require', CPU_AT_EXIT, CLI, 'merge-driver', 'O', 'A', 'B', 'a.txt.ann.yaml'], {
    cwd: dir, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, BENCH_CPU_FILE: cpuFile },
  });
  const elapsed = now() - t0;
  if (r.status !== 0 && r.status !== 1) throw new Error(`merge-driver failed (${r.status}): ${r.stderr}`);
  const cpu = JSON.parse(fs.readFileSync(cpuFile, 'utf8'));
  return { ms: elapsed, cpuMs: (cpu.user + cpu.system) / 1000, lines: r.stderr.split('\n').filter((l) => l !== '').length, code: r.status };
}

export async function run({ sizes = [10_000, 20_000] } = {}) {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` first');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-bench-merge-'));
  const rows = [];
  const notes = [];
  try {
    for (const n of sizes) {
      const s = scenario(n, 1000 + n);
      const input = { base: s.base, ours: s.ours, theirs: s.theirs, overlap: 'nested' };
      const k = `${n / 1000}k + ${n / 1000}k`;
      info(`merge: ${k}…`);
      const driver = [runDriver(s, dir), runDriver(s, dir), runDriver(s, dir)];
      const wall = median(driver.map((d) => d.ms));
      const cpu = median(driver.map((d) => d.cpuMs));
      const sweep = timeMerge(input, merge.pairAddedSweep, 3);
      const quadratic = timeMerge(input, pairAddedQuadratic, 1);
      if (JSON.stringify(sweep.result) !== JSON.stringify(quadratic.result)) throw new Error(`${k}: the sweep and the quadratic definition disagree`);
      const r = sweep.result;
      rows.push(row(`merge driver, ${k} entities added on both sides (same fresh article): the whole command, CPU time (user + system)`, {
        measured: ms(cpu), target: `≤ ${ms(TARGET_MS)}`, met: cpu <= TARGET_MS,
      }));
      rows.push(row(`… wall clock (load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores)`, { measured: ms(wall), target: `≤ ${ms(TARGET_MS)}`, met: wall <= TARGET_MS }));
      rows.push(row(`… of which mergeSidecars, CPU time (${r.sidecar.entities.length} kept, ${r.conflicts.length} conflicts, ${r.notes.length} kept once)`, {
        measured: ms(sweep.ms), baseline: `quadratic ${ms(quadratic.ms)}`, ratio: sweep.ms / quadratic.ms,
      }));
      rows.push(row(`… lines on stderr (git shows them all)`, { measured: String(driver[0].lines), target: '≤ 20 notes + 20 conflicts + summaries' }));
    }
    notes.push('merge: the quadratic baseline is the pairing of added entities the sweep replaced (test/unit/helpers/merge-quadratic.ts); both results are checked equal.');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { rows, notes };
}

if (isMain(import.meta.url)) {
  const sizes = (process.argv[2] ?? '10000,20000').split(',').map(Number);
  const { rows, notes } = await run({ sizes });
  report('merge', rows, notes);
}
