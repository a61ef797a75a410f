// Shared by the benchmarks: the compiled core, timing, memory, and the results table.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The compiled core (out/src/core, from `npx tsc -p .`; `npm run bench` compiles first). A bench
 * run alone refuses compiled files older than their source; bench/run.mjs checks once before
 * starting and tells its children not to check again (BENCH_COMPILED_CHECKED), so that someone
 * editing a source file during a run does not stop it halfway.
 */
function loadCore() {
  const modules = {
    read: 'sidecar/sidecar-read', fast: 'sidecar/sidecar-fast-read', write: 'sidecar/sidecar-write', patch: 'sidecar/sidecar-patch', index: 'corpus/corpus-index',
    validate: 'sidecar/validate', article: 'model/article', model: 'model/model', edits: 'model/edits', exporter: 'exchange/export/index',
    hash: 'suggest/recommender/hash',
  };
  const out = {};
  for (const [key, name] of Object.entries(modules)) {
    const js = path.join(ROOT, 'out/src/core', `${name}.js`);
    const ts = path.join(ROOT, 'src/core', `${name}.ts`);
    const stale = !process.env.BENCH_COMPILED_CHECKED && fs.existsSync(ts) && fs.statSync(ts).mtimeMs > fs.statSync(js).mtimeMs;
    if (!fs.existsSync(js) || stale) {
      console.error(`out/src/core/${name}.js is missing or older than its source: run \`npx tsc -p .\` first (\`npm run bench\` does).`);
      process.exit(2);
    }
    out[key] = require(js);
  }
  return out;
}
export const core = loadCore();

export function now() {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Milliseconds of each of `runs` calls of `f` (after `warmup` untimed ones). */
export function times(f, { runs = 5, warmup = 1 } = {}) {
  for (let i = 0; i < warmup; i++) f();
  const out = [];
  for (let i = 0; i < runs; i++) {
    const t0 = now();
    f();
    out.push(now() - t0);
  }
  return out;
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}

export function ms(x) {
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : x >= 10 ? `${x.toFixed(0)} ms` : `${x.toFixed(2)} ms`;
}

export function mb(bytes) {
  return `${(bytes / 1e6).toFixed(0)} MB`;
}

/** Peak resident set size of this process so far (bytes). */
export function peakRss() {
  return process.resourceUsage().maxRSS * 1024;
}

/**
 * A result row. `measured`/`baseline` are display strings; `ratio` a number (measured ÷ baseline,
 * or baseline ÷ measured for throughputs, so that smaller is always better) or undefined;
 * `met` true/false/undefined (no target).
 */
export function row(figure, { measured, baseline = '', ratio, target = '', met } = {}) {
  return { figure, measured, baseline, ratio, target, met };
}

const HEADERS = ['figure', 'measured', 'baseline (same run)', 'ratio', 'target', 'met?'];

export function formatTable(rows) {
  const cells = rows.map((r) => [
    r.figure, r.measured, r.baseline,
    r.ratio === undefined ? '' : `${r.ratio.toFixed(2)}×`,
    r.target, r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = HEADERS.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  return [line(HEADERS), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

/**
 * Prints a bench's rows: as a table when run alone, as one JSON line for bench/run.mjs when
 * BENCH_JSON is set.
 */
export function report(name, rows, notes = []) {
  if (process.env.BENCH_JSON) {
    process.stdout.write(`@@bench ${JSON.stringify({ name, rows, notes })}\n`);
    return;
  }
  console.log(formatTable(rows));
  for (const n of notes) console.log(`  ${n}`);
}

/** True when this module is the script node was started with. */
export function isMain(metaUrl) {
  return process.argv[1] !== undefined && pathToFileURL(path.resolve(process.argv[1])).href === metaUrl;
}

export function info(message) {
  process.stderr.write(`${message}\n`);
}
