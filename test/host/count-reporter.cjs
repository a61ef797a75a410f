// Mocha reporter for plain-Node suites (unit, e2e) run by test/run-all.mjs: prints exactly what
// the `spec` reporter prints, and also writes {passed, failed, skipped} to the file named by
// CORPUS_ANNOTATOR_TEST_RESULTS so `npm test` can sum all suites into its closing line.
// (The integration suite writes the same file from inside the extension host: test/integration/index.ts.)
'use strict';
const fs = require('node:fs');
const Mocha = require('mocha');

class CountReporter extends Mocha.reporters.Spec {
  constructor(runner, options) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const file = process.env.CORPUS_ANNOTATOR_TEST_RESULTS;
      if (!file) return;
      const { passes, failures, pending } = runner.stats;
      fs.writeFileSync(file, JSON.stringify({ passed: passes, failed: failures, skipped: pending }));
    });
  }
}

module.exports = CountReporter;
