// Mocha entry for the VS Code extension host. The host (code-server via test/host/, or desktop
// VS Code via @vscode/test-electron) loads this compiled file as extensionTestsPath and calls
// run(): resolving means every test passed, rejecting makes the host exit non-zero.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({
    ui: 'bdd',
    color: false, // the output travels through the workbench as plain console lines
    timeout: 60_000,
    // The extension host inherits the server's environment, so `MOCHA_GREP=... npm run test:integration` works.
    grep: process.env.MOCHA_GREP || undefined,
  });
  // Every out/test/integration/**/*.test.js, in a stable order -- except stale ones: tsc never
  // deletes the output of a removed or renamed test/integration/*.test.ts.
  const sources = path.resolve(__dirname, '..', '..', '..', 'test', 'integration');
  const files = (fs.readdirSync(__dirname, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.test.js'))
    .sort();
  for (const f of files) {
    if (fs.existsSync(path.join(sources, f.replace(/\.js$/, '.ts')))) mocha.addFile(path.join(__dirname, f));
    else console.log(`(skipping out/test/integration/${f}: its source test/integration/${f.replace(/\.js$/, '.ts')} is gone)`);
  }

  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
        const counts = { passed: stats.passes, failed: stats.failures, skipped: stats.pending };
        console.log(`integration: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
        // test/run-all.mjs sums the counts of every suite for `npm test`'s closing line.
        const resultsFile = process.env.CORPUS_ANNOTATOR_TEST_RESULTS;
        if (resultsFile) fs.writeFileSync(resultsFile, JSON.stringify(counts));
        if (failures > 0) reject(new Error(`${failures} integration test(s) failed`));
        else resolve();
      });
    } catch (err) {
      reject(err);
    }
  });
}
