// Runs the integration suite (out/test/integration/index.js, compiled by `npm run compile-tests`)
// in a real VS Code, picking the host:
//   CORPUS_ANNOTATOR_TEST_HOST=code-server  (default) code-server + headless Chromium, fully offline
//   CORPUS_ANNOTATOR_TEST_HOST=electron     desktop VS Code via @vscode/test-electron (downloads
//                                           VS Code from Microsoft, needs internet and a display/xvfb)
// Both load the same compiled files and call the same run(). Builds nothing: the npm script does.
// Env: MOCHA_GREP (filter tests), CORPUS_ANNOTATOR_TEST_TIMEOUT (seconds, default 900: five times a loaded run; then exit 124),
//      CORPUS_ANNOTATOR_TEST_RESULTS (file the suite writes its pass/fail counts to).
import fs from 'node:fs';
import { exitOnUncaughtErrors, shutdown } from './lifecycle.mjs';
import { INTEGRATION_ENTRY, REPO_ROOT } from './paths.mjs';
import { freshWorkspace } from './workspace.mjs';

exitOnUncaughtErrors();
const host = process.env.CORPUS_ANNOTATOR_TEST_HOST || 'code-server';
const timeoutMs = Number(process.env.CORPUS_ANNOTATOR_TEST_TIMEOUT || 900) * 1000;
if (!fs.existsSync(INTEGRATION_ENTRY)) {
  console.error(`[host] ${INTEGRATION_ENTRY} is missing: run \`npm run compile-tests\` (or \`npm run test:integration\`)`);
  process.exit(1);
}
const workspace = freshWorkspace();
// Only what the suite reads; the code-server host passes its whole environment anyway.
/** @type {Record<string, string>} */
const suiteEnv = {};
for (const k of ['MOCHA_GREP', 'CORPUS_ANNOTATOR_TEST_RESULTS']) if (process.env[k]) suiteEnv[k] = /** @type {string} */ (process.env[k]);
// Every incremental sidecar write is checked against the full canonical writer (a difference fails the write).
suiteEnv.CORPUS_ANNOTATOR_CHECK_WRITES = '1';

console.log(`[host] integration suite in ${host}, workspace: copy of examples/corpus at ${workspace}`);
let code;
if (host === 'code-server') {
  const { runInCodeServer } = await import('./run-in-code-server.mjs');
  code = await runInCodeServer({
    workspace, extensionDevelopmentPath: REPO_ROOT, extensionTestsPath: INTEGRATION_ENTRY, timeoutMs, env: suiteEnv,
  });
} else if (host === 'electron') {
  const { runTests } = await import('@vscode/test-electron');
  const watchdog = setTimeout(() => {
    console.error(`[host] TIMEOUT: the integration suite did not finish within ${timeoutMs / 1000} s`);
    void shutdown(124);
  }, timeoutMs);
  try {
    await runTests({
      // Same VS Code as code-server 4.100.3 by default; e.g. =stable to try the latest.
      version: process.env.CORPUS_ANNOTATOR_VSCODE_VERSION || '1.100.3',
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: INTEGRATION_ENTRY,
      extensionTestsEnv: suiteEnv,
      launchArgs: [workspace, '--disable-extensions', '--skip-welcome', '--skip-release-notes', '--disable-workspace-trust'],
    });
    code = 0;
  } catch (e) {
    console.error(`[host] test-electron: ${e instanceof Error ? e.message : e}`);
    if (/** @type {{ code?: string }} */ (e)?.code === 'ENOTFOUND') {
      console.error('[host] VS Code could not be downloaded (offline?). The default host needs no download: unset CORPUS_ANNOTATOR_TEST_HOST.');
    }
    code = 1;
  } finally {
    clearTimeout(watchdog);
  }
} else {
  console.error(`[host] unknown CORPUS_ANNOTATOR_TEST_HOST=${host} (use code-server or electron)`);
  code = 2;
}
await shutdown(code);
