// `npm test`: every stage in order -- typecheck, lint (eslint.config.mjs), unit, integration (real
// VS Code), web, e2e (UI), package (the installed .vsix and CLI tarball) --
// stopping at the first failing stage, and always ending with ONE closing line:
//   N passed, N failed, N skipped
// summed over all suites (CI reads that line; mocha's "N passing" is not recognised). Each suite
// writes its counts to the file named by CORPUS_ANNOTATOR_TEST_RESULTS (test/host/count-reporter.cjs
// for plain-Node mocha, test/integration/index.ts inside the extension host). A stage that fails
// without reporting a failed test (compile error, crash, timeout) counts as one failure.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPORTER = ['--', '--reporter', 'test/host/count-reporter.cjs'];
/** @type {{ name: string, args: string[] }[]} */
const STAGES = [
  { name: 'typecheck', args: ['run', 'typecheck'] },
  { name: 'lint', args: ['run', 'lint'] },
  { name: 'unit', args: ['run', 'test:unit', ...REPORTER] },
  { name: 'integration', args: ['run', 'test:integration'] },
  { name: 'web', args: ['run', 'test:web'] },
  { name: 'e2e', args: ['run', 'test:e2e', ...REPORTER] },
  { name: 'package', args: ['run', 'test:package', ...REPORTER] },
];

const resultsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-results-'));
const total = { passed: 0, failed: 0, skipped: 0 };
/** @type {string[]} */
const report = [];
/** @type {import('node:child_process').ChildProcess | undefined} */
let current;
let interrupted = false;
for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  // The stage's own cleanup (test/host/lifecycle.mjs) needs the signal; we just stop after it.
  process.on(signal, () => { interrupted = true; current?.kill(signal); });
}

for (const stage of STAGES) {
  if (interrupted || total.failed > 0) {
    report.push(`${stage.name}: not run`);
    continue;
  }
  console.log(`\n=== ${stage.name}: npm ${stage.args.join(' ')}`);
  const resultsFile = path.join(resultsDir, `${stage.name}.json`);
  const t0 = performance.now();
  const code = await new Promise((resolve) => {
    current = spawn('npm', stage.args, { stdio: 'inherit', env: { ...process.env, CORPUS_ANNOTATOR_TEST_RESULTS: resultsFile } });
    current.on('exit', (c, signal) => resolve(c ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
    current.on('error', (e) => { console.error(e); resolve(1); });
  });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);
  /** @type {{ passed: number, failed: number, skipped: number } | undefined} */
  let counts;
  try { counts = JSON.parse(fs.readFileSync(resultsFile, 'utf8')); } catch { counts = undefined; }
  if (counts) {
    total.passed += counts.passed;
    total.failed += counts.failed;
    total.skipped += counts.skipped;
  }
  if (code !== 0 && !(counts && counts.failed > 0)) total.failed += 1; // failed outside any test
  const what = counts ? `${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped` : code === 0 ? 'ok' : 'FAILED';
  report.push(`${stage.name}: ${what}${code === 0 ? '' : ` (exit ${code}${code === 124 ? ', timeout' : ''})`} in ${seconds} s`);
}
fs.rmSync(resultsDir, { recursive: true, force: true });

console.log(`\n=== summary\n${report.join('\n')}`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exitCode = total.failed > 0 || interrupted ? 1 : 0;
