// Shared setup for e2e tests: a workbench session (code-server + Chromium + a throwaway copy of
// examples/corpus, with the extension loaded from the repo) and waiting for files on disk.
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, workbenchUrl } from '../host/browser.mjs';
import { startCodeServer } from '../host/code-server.mjs';
import { REPO_ROOT } from '../host/paths.mjs';
import { freshWorkspace } from '../host/workspace.mjs';
import { Workbench } from './workbench.mjs';

/**
 * Starts code-server on a fresh copy of the demo corpus and opens it in Chromium with the extension
 * loaded from source (payload extensionDevelopmentPath: what `npm run build` just produced, no
 * packaging). Call stop() in an `after` hook; Ctrl+C and crashes are covered by test/host/lifecycle.mjs.
 * @param {{ settings?: Record<string, unknown>, vsix?: string, prepare?: (folder: string) => void }} [options]
 *   extra user settings; a packaged extension to install and use instead of the source folder;
 *   a change to the fresh workspace before VS Code opens it
 */
export async function startWorkbench({ settings, vsix, prepare } = {}) {
  const folder = freshWorkspace();
  prepare?.(folder);
  const server = await startCodeServer({ folder, settings, installVsix: vsix ? [vsix] : [] });
  const browser = await launchBrowser();
  const { page } = browser;
  page.on('pageerror', (e) => console.error(`      [workbench] ${e.message}`));
  const t0 = performance.now();
  // With a .vsix the installed extension is the only one: no development path in the payload.
  await page.goto(workbenchUrl(server, { folder, extensionDevelopmentPath: vsix ? undefined : REPO_ROOT }));
  const wb = new Workbench(page);
  await wb.waitReady();
  console.log(`      [host] workbench ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return {
    page, wb, folder, server,
    async stop() {
      await browser.close();
      await server.stop();
    },
  };
}

/**
 * Registers, in the calling describe(), the hooks of one workbench session for its tests: started
 * before them, stopped after them, and a screenshot `FAILED-<test title>.png` (under test-results/,
 * `failurePrefix` instead of `FAILED-`) of any test that fails. The returned object is filled in by
 * the `before` hook: read it inside tests and later hooks, not while the describe() body runs.
 * @param {{ settings?: Record<string, unknown>, failurePrefix?: string, vsix?: () => string, prepare?: (folder: string) => void }} [options]
 *   `vsix` is called in the `before` hook (the package may be built by an earlier hook)
 * @returns {Awaited<ReturnType<typeof startWorkbench>>}
 */
export function useWorkbench({ settings, failurePrefix = 'FAILED-', vsix, prepare } = {}) {
  const session = /** @type {Awaited<ReturnType<typeof startWorkbench>>} */ ({});
  let started = false;

  before(async function () {
    Object.assign(session, await startWorkbench({ settings, vsix: vsix?.(), prepare }));
    started = true;
  });

  after(async function () {
    if (started) await session.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && started) {
      const shot = await session.wb.screenshot(`${failurePrefix}${this.currentTest.title.replace(/\W+/g, '-').slice(0, 60)}`).catch(() => undefined);
      if (shot) console.log(`      screenshot of the failure: ${shot}`);
    }
  });

  return session;
}

/**
 * Resolves with check(content)'s first non-undefined result, re-checking on every change in the
 * file's directory (fs.watch) and every 200 ms as a safety net. Rejects after `timeoutMs`.
 * @template T
 * @param {string} file
 * @param {(content: string) => T | undefined} check
 * @param {number} [timeoutMs]
 * @returns {Promise<T>}
 */
export function waitForFile(file, check, timeoutMs = 15_000) {
  return new Promise((resolve, reject) => {
    let last = '(file does not exist)';
    const probe = () => {
      let content;
      try { content = fs.readFileSync(file, 'utf8'); } catch { return; }
      last = content;
      let value;
      try { value = check(content); } catch { return; } // e.g. caught mid-write
      if (value === undefined) return;
      finish();
      resolve(value);
    };
    // The file's folder may not exist yet (the model's .corpus-annotator/): watch the nearest one
    // that does; the 200 ms probe below catches what a non-recursive watch misses.
    let watched = path.dirname(file);
    while (!fs.existsSync(watched) && path.dirname(watched) !== watched) watched = path.dirname(watched);
    const watcher = fs.watch(watched, probe);
    const poll = setInterval(probe, 200);
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${file}; last content:\n${last}`));
    }, timeoutMs);
    function finish() {
      watcher.close();
      clearInterval(poll);
      clearTimeout(timer);
    }
    probe();
  });
}
