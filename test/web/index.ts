// Mocha entry for the browser's web worker extension host. That host loads this one bundled file
// (esbuild, platform browser) and calls run(); there is no Node, no fs, so tests use only the
// `vscode` API. Same reporting as the Node integration suite: counts on the console, reject on failure.
import 'mocha/mocha';

declare const mocha: BrowserMocha;
interface BrowserMocha {
  setup(opts: { ui: string; reporter?: unknown; timeout: number; color: boolean }): void;
  run(done: (failures: number) => void): { stats?: { passes: number; failures: number; pending: number } };
}

export function run(): Promise<void> {
  mocha.setup({ ui: 'bdd', reporter: undefined, timeout: 60_000, color: false });
  // Test files register their suites on import (the bundle includes them).
  require('./web.test');
  require('./hostile-pattern.test');
  require('./curate.test');
  require('./recommender.test');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const stats = runner.stats ?? { passes: 0, failures, pending: 0 };
      const counts = { passed: stats.passes, failed: stats.failures, skipped: stats.pending };
      // No file system here: the runner reads this line from the console (test/host/run-web.mjs).
      console.log(`web: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
      if (failures > 0) reject(new Error(`${failures} web test(s) failed`));
      else resolve();
    });
  });
}
