// Runs every benchmark, each in its own process (so memory figures are its own), and prints one
// table. `npm run bench` builds and compiles first; alone: `npm run build && npx tsc -p . &&
// node bench/run.mjs [name…]`. Data sets are generated on first use into $BENCH_DIR or the OS
// temp directory (about 380 MB, reused afterwards; delete that folder to reclaim the space);
// every bench removes its own temporary files, also when it fails. A failed bench is reported and
// the others still run; the exit code is then 1.
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatTable } from './lib/common.mjs';
import { cacheDir } from './lib/corpus.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// host-decorations needs the built extension (`npm run build`) and the test host (`npm run host:install`).
const BENCHES = ['load', 'edit', 'corpus-index', 'export-jsonl', 'cli-memory', 'merge', 'overlap', 'gazetteer', 'patterns', 'host-decorations'];
const chosen = process.argv.slice(2).length ? process.argv.slice(2) : BENCHES;
for (const name of chosen) if (!BENCHES.includes(name)) throw new Error(`unknown bench ${name} (${BENCHES.join(', ')})`);

const rows = [];
const notes = [];
const failed = [];
const started = Date.now();
for (const name of chosen) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [path.join(here, `${name}.mjs`)], {
    env: { ...process.env, BENCH_JSON: '1', BENCH_COMPILED_CHECKED: '1' }, stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
  });
  let reported = false;
  for (const line of (r.stdout ?? '').split('\n')) {
    if (!line.startsWith('@@bench ')) continue;
    const result = JSON.parse(line.slice('@@bench '.length));
    rows.push(...result.rows);
    notes.push(...result.notes);
    reported = true;
  }
  if (r.status !== 0 || !reported) {
    process.stderr.write(r.stdout ?? '');
    failed.push(`${name} (exit ${r.status ?? r.signal}${reported ? '' : ', no figures'})`);
  }
  process.stderr.write(`${name}: ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
}

console.log(`\nCorpus Annotator benchmarks — node ${process.version}, ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, `
  + `load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; data in ${cacheDir()}; ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
console.log(formatTable(rows));
console.log('');
for (const n of notes) console.log(`- ${n}`);
const missed = rows.filter((r) => r.met === false);
if (missed.length) console.log(`\n${missed.length} target(s) missed: see bench/README.md for what bounds them.`);
if (failed.length) {
  console.log(`\nFAILED: ${failed.join(', ')}`);
  process.exitCode = 1;
}
