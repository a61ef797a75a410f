// `npm run demo`: the real VS Code (code-server) in your browser, on the demo corpus, with the
// extension as built by `npm run build`. examples/corpus is opened IN PLACE: annotations you make
// land in the repo's demo sidecars (git shows them; `git checkout examples/corpus` undoes them).
// Port: $PORT, else 8080, else any free port. Ctrl+C stops code-server and everything it started.
import fs from 'node:fs';
import { freePort, startCodeServer } from './code-server.mjs';
import { exitOnUncaughtErrors, isShuttingDown } from './lifecycle.mjs';
import { DEMO_CORPUS, REPO_ROOT } from './paths.mjs';

exitOnUncaughtErrors();
if (!fs.existsSync(`${REPO_ROOT}/dist/extension.js`)) {
  console.error('[demo] dist/extension.js is missing: run `npm run build` (`npm run demo` does)');
  process.exit(1);
}
const wanted = Number(process.env.PORT || 8080);
const port = await freePort(wanted);
if (port !== wanted) console.log(`[demo] port ${wanted} is busy, using ${port}`);

const server = await startCodeServer({ folder: DEMO_CORPUS, port, installLinked: [REPO_ROOT] });
console.log(`
  Corpus Annotator DEMO -- open this URL in your browser:

      ${server.url}/

  Workspace: ${DEMO_CORPUS} (in place: your annotations are saved to the demo sidecars)
  Try: open 003_3e55259b9cbe4b4c.txt, select a name, Ctrl+Alt+1 (PER) or F1 > "Corpus Annotator: Tag Selection As…"
  After \`npm run build\` in another terminal, reload the browser tab (F1 > "Developer: Reload Window").
  code-server log: ${server.logFile}
  Press Ctrl+C to stop.
`);
// Runs until Ctrl+C / SIGTERM (test/host/lifecycle.mjs then stops the server's process group), or
// until code-server dies on its own.
const code = await server.exited;
if (isShuttingDown()) await new Promise(() => {}); // Ctrl+C: lifecycle.mjs finishes and exits
const log = fs.readFileSync(server.logFile, 'utf8').trimEnd().split('\n').slice(-30).join('\n');
console.error(`[demo] code-server exited unexpectedly (code ${code}); last lines of its log:\n${log}`);
process.exit(1);
