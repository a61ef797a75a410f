// Opens the VS Code web workbench served by code-server in Debian's Chromium via playwright-core,
// and builds the workbench URL that loads our extension from source.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM } from './paths.mjs';
import { onShutdown } from './lifecycle.mjs';

/** Headless, offline-quiet Chromium: no sandbox (root in CI), no GPU, no background traffic. */
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

/**
 * The workbench URL for `folder`, with the `payload` query parameter that VS Code's web embedder
 * reads: extensionDevelopmentPath loads the extension from the repo (no packaging), and
 * extensionTestsPath makes the extension host run that module's `run()` and then report the exit
 * code through window.codeAutomationExit. Paths are vscode-remote:// URIs: they live on the server.
 * @param {{ url: string, authority: string }} server
 * @param {{ folder: string, extensionDevelopmentPath?: string, extensionTestsPath?: string }} options
 */
export function workbenchUrl(server, { folder, extensionDevelopmentPath, extensionTestsPath, extensionDevelopmentKind }) {
  const remote = (/** @type {string} */ p) => `vscode-remote://${server.authority}${path.resolve(p).split(path.sep).join('/')}`;
  /** @type {[string, string][]} */
  const payload = [['skipWelcome', 'true']];
  if (extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remote(extensionDevelopmentPath)]);
  if (extensionTestsPath) payload.push(['extensionTestsPath', remote(extensionTestsPath)]);
  // 'web' runs the extension under development in the browser's web worker host (its `browser` entry).
  if (extensionDevelopmentKind) payload.push(['extensionDevelopmentKind', extensionDevelopmentKind]);
  return `${server.url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}

/**
 * Launches Chromium with a fresh profile and one page. Closing is registered with the lifecycle
 * module, so Ctrl+C or a crash also closes it (playwright's own signal handlers are off: one owner).
 * @returns {Promise<{ page: import('playwright-core').Page, close: () => Promise<void> }>}
 */
export async function launchBrowser() {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1400, height: 900 },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    // Chromium otherwise creates ~/.config/chromium (crash reports) and ~/.cache/dconf.
    env: { ...process.env, XDG_CONFIG_HOME: path.join(profile, 'xdg-config'), XDG_CACHE_HOME: path.join(profile, 'xdg-cache') },
  });
  /** @type {Promise<void> | undefined} */
  let closing;
  const close = () => (closing ??= (async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
    unregister();
  })());
  // On 'exit' playwright kills the browser itself; we only remove the profile.
  const unregister = onShutdown({ name: 'chromium', graceful: close, final: () => fs.rmSync(profile, { recursive: true, force: true }) });
  const page = context.pages()[0] ?? await context.newPage();
  return { page, close };
}
