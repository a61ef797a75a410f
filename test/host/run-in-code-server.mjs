// Runs the compiled integration suite inside code-server's real (Node) extension host -- the way
// VS Code's own browser integration tests do it: open the workbench with a `payload` naming
// extensionDevelopmentPath + extensionTestsPath; the extension host then calls the suite's run()
// and reports back through two window functions we expose to the page:
//   codeAutomationLog(type, args)  every console.* line of the extension host -> our stdout
//   codeAutomationExit(code)       0 when run() resolved, non-zero when it rejected
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, workbenchUrl } from './browser.mjs';
import { startCodeServer } from './code-server.mjs';
import { shutdown } from './lifecycle.mjs';
import { RESULTS_DIR } from './paths.mjs';

/** Workbench chatter that says nothing about our tests (shown with CORPUS_ANNOTATOR_TEST_VERBOSE=1). */
const NOISE = /^(Resolving connection token|Resolved connection token|Creating a socket|Ignoring fetching additional builtin|Updating additional builtin|\[Service Worker\]|ChatSessionStore)/;

/**
 * @param {object} options
 * @param {string} options.workspace                 folder to open (a throwaway copy)
 * @param {string} options.extensionDevelopmentPath  the repo root
 * @param {string} options.extensionTestsPath        compiled suite entry exporting run()
 * @param {number} options.timeoutMs                 whole run, startup included; then exit 124
 * @param {NodeJS.ProcessEnv} [options.env]          reaches the extension host (it inherits the server's env)
 * @param {string} [options.extensionDevelopmentKind] 'web': run the extension in the browser's web worker host
 * @param {(line: string) => void} [options.onConsole] every console line of the extension host under test
 * @param {Record<string, unknown>} [options.settings] extra user settings for this run
 * @param {string} [options.userDataDir]           user data kept between runs (see startCodeServer)
 * @param {number} [options.port]                  the server's port (0/undefined: any free one)
 * @returns {Promise<number>} the suite's exit code
 */
export async function runInCodeServer({ workspace, extensionDevelopmentPath, extensionTestsPath, extensionDevelopmentKind, timeoutMs, env, onConsole, settings, userDataDir, port }) {
  const verbose = !!process.env.CORPUS_ANNOTATOR_TEST_VERBOSE;
  const t0 = performance.now();
  const lap = (/** @type {string} */ m) => console.log(`[host ${((performance.now() - t0) / 1000).toFixed(1)}s] ${m}`);
  /** @type {import('playwright-core').Page | undefined} */
  let page;
  /** @type {import('./code-server.mjs').CodeServer | undefined} */
  let server;
  /** @type {{ close: () => Promise<void> } | undefined} */
  let browser;

  // Watchdog over everything (server start, workbench load, the suite): a hang ends as exit 124,
  // with a screenshot and the server log to show where it stuck, and nothing left running.
  const watchdog = setTimeout(async () => {
    console.error(`[host] TIMEOUT: the integration suite did not finish within ${timeoutMs / 1000} s`);
    if (page) {
      const shot = path.join(RESULTS_DIR, 'integration-timeout.png');
      fs.mkdirSync(RESULTS_DIR, { recursive: true });
      await page.screenshot({ path: shot, timeout: 5_000 }).then(() => console.error(`[host] screenshot: ${shot}`), () => {});
    }
    if (server) printLogTail(server.logFile, verbose ? Infinity : 40);
    await shutdown(124);
  }, timeoutMs);

  try {
    server = await startCodeServer({ folder: workspace, env, settings, userDataDir, port });
    browser = await launchBrowser();
    page = browser.page;

    /** @type {(code: number) => void} */
    let onExit = () => {};
    const exited = new Promise((resolve) => { onExit = resolve; });
    await page.exposeFunction('codeAutomationLog', (/** @type {string} */ type, /** @type {unknown[]} */ args) => {
      const parts = Array.isArray(args) ? args : [args];
      if (!verbose && typeof parts[0] === 'string' && NOISE.test(parts[0])) return;
      const write = type === 'error' || type === 'warn' ? console.error : console.log;
      write(...parts);
      onConsole?.(parts.map(String).join(' '));
    });
    await page.exposeFunction('codeAutomationExit', (/** @type {number} */ code) => onExit(Number(code)));
    page.on('pageerror', (e) => console.error(`[workbench] ${e.message}`));
    if (verbose) page.on('console', (m) => console.log(`[workbench ${m.type()}] ${m.text()}`));

    await page.goto(workbenchUrl(server, { folder: workspace, extensionDevelopmentPath, extensionTestsPath, extensionDevelopmentKind }), { timeout: 180_000 });
    lap('workbench loading; the extension host runs the suite');
    const code = await exited;
    lap(`extension host finished the suite with exit code ${code}`);
    if (code !== 0 && verbose) printLogTail(server.logFile, Infinity);
    return code;
  } finally {
    clearTimeout(watchdog);
    await browser?.close();
    await server?.stop();
  }
}

/**
 * @param {string} file
 * @param {number} lines
 */
function printLogTail(file, lines) {
  try {
    const all = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    console.error(`--- code-server log (${file}), last ${Math.min(lines, all.length)} lines ---\n${all.slice(-lines).join('\n')}`);
  } catch { /* the state dir may already be gone */ }
}
