// Runs the web suite (out/web-suite.js, bundled by esbuild for the browser) in code-server's
// browser web worker extension host — where the extension loads its `browser` entry, as on
// vscode.dev and github.dev. The suite logs "web: N passed, N failed, N skipped"; that line, read
// from the page's console, becomes the counts test/run-all.mjs sums.
import fs from 'node:fs';
import path from 'node:path';
import { exitOnUncaughtErrors, shutdown } from './lifecycle.mjs';
import { REPO_ROOT } from './paths.mjs';
import { runInCodeServer } from './run-in-code-server.mjs';
import { freshWorkspace } from './workspace.mjs';

exitOnUncaughtErrors();
const entry = path.join(REPO_ROOT, 'out', 'web-suite.js');
if (!fs.existsSync(entry)) {
  console.error(`[host] ${entry} is missing: run \`npm run build\``);
  process.exit(1);
}
const timeoutMs = Number(process.env.CORPUS_ANNOTATOR_TEST_TIMEOUT || 300) * 1000;
const workspace = freshWorkspace();
console.log(`[host] web suite in code-server's web worker extension host, workspace: copy of examples/corpus at ${workspace}`);

let counts;
const code = await runInCodeServer({
  workspace,
  extensionDevelopmentPath: REPO_ROOT,
  extensionTestsPath: entry,
  // The payload's `extensionDevelopmentKind` is ignored by this workbench build in a browser; the
  // `remote.extensionKind` setting is honoured, and the workbench lets a remote extension run in
  // the browser's web worker host when it has a `browser` entry.
  extensionDevelopmentKind: 'web',
  settings: { 'remote.extensionKind': { 'corpus-annotator.corpus-annotator': ['web'] } },
  timeoutMs,
  onConsole: (line) => {
    const m = /^web: (\d+) passed, (\d+) failed, (\d+) skipped/.exec(line);
    if (m) counts = { passed: Number(m[1]), failed: Number(m[2]), skipped: Number(m[3]) };
  },
});
const results = process.env.CORPUS_ANNOTATOR_TEST_RESULTS;
if (results && counts) fs.writeFileSync(results, JSON.stringify(counts));
if (!counts) console.error('[host] the web suite reported no counts (did it load in the web worker host?)');
await shutdown(code === 0 && counts && counts.failed === 0 ? 0 : code || 1);
