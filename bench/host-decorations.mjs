// Issue 9, figure 4, measured where it matters: in code-server's real extension host.
// Usage: npm run build && npx tsc -p . && node bench/host-decorations.mjs
// Prints the figures the suite logs ("bench-figure: …") and the extension's own render time
// (its debug log line "rendered N decorations … in X ms"), the extension-side cost asked for.
import path from 'node:path';
import { exitOnUncaughtErrors, shutdown } from '../test/host/lifecycle.mjs';
import { REPO_ROOT } from '../test/host/paths.mjs';
import { runInCodeServer } from '../test/host/run-in-code-server.mjs';
import { freshWorkspace } from '../test/host/workspace.mjs';

exitOnUncaughtErrors();
const renders = [];
const figures = [];
const code = await runInCodeServer({
  workspace: freshWorkspace(),
  extensionDevelopmentPath: REPO_ROOT,
  extensionTestsPath: path.join(REPO_ROOT, 'out', 'bench', 'host', 'index.js'),
  timeoutMs: 600_000,
  env: { CORPUS_ANNOTATOR_LOG_TO_CONSOLE: '1' },
  onConsole: (line) => {
    const r = /rendered (\d+) decorations of zz_bench_10k\.txt in ([\d.]+) ms/.exec(line);
    if (r) renders.push({ n: Number(r[1]), ms: Number(r[2]) });
    if (line.startsWith('bench-figure: ')) figures.push(line.slice('bench-figure: '.length));
  },
});
const first = renders.find((r) => r.n >= 10_000);
const later = renders.filter((r) => r.n > 10_000).map((r) => r.ms).sort((a, b) => a - b);
console.log('\n| figure | measured | target |');
console.log('|---|---|---|');
if (first) console.log(`| decorations computed for ${first.n} entities (extension side, first render) | ${first.ms.toFixed(1)} ms | ≤ 50 ms |`);
if (later.length) console.log(`| re-render after one change (median of ${later.length}) | ${later[Math.floor(later.length / 2)].toFixed(1)} ms | ≤ 50 ms |`);
for (const f of figures) console.log(`| ${f.replace(/: ([\d.]+ ms.*)$/, ' | $1 | – |')}`);
await shutdown(code);
