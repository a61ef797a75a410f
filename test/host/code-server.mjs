// Starts and stops one code-server process: 127.0.0.1 only, no auth, throwaway state, its own
// process group. code-server spawns a file watcher, extension hosts and language servers; killing
// them one by one lets the server respawn its watcher in between, so we always signal the group.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureCodeServer } from './install.mjs';
import { onShutdown } from './lifecycle.mjs';

/** Quiet, deterministic workbench: no welcome page, tips, telemetry, update checks, trust prompts, git. */
const SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.commandCenter.enabled': false,
  'window.commandCenter': false,
};

/**
 * @typedef {object} CodeServer
 * @property {string} url        e.g. http://127.0.0.1:41234
 * @property {string} authority  e.g. 127.0.0.1:41234 (for vscode-remote:// URIs)
 * @property {number} pid        also the process group id
 * @property {string} stateDir   throwaway user-data, extensions, XDG and TMPDIR dirs
 * @property {string} logFile    code-server's stdout/stderr
 * @property {Promise<number | null>} exited  settles when the server process exits (its exit code)
 * @property {() => Promise<void>} stop  stops the whole process group, removes stateDir
 */

/**
 * @param {object} options
 * @param {string} options.folder            workspace folder opened by default (`/?folder=` may override)
 * @param {number} [options.port]            0 or undefined = any free port
 * @param {NodeJS.ProcessEnv} [options.env]  extra environment (inherited by the extension host)
 * @param {string[]} [options.installLinked] extension source folders to install as symlinks in the
 *   throwaway extensions dir: loaded like an installed extension (plain URL, no payload, no
 *   "Extension Development Host"), yet always the repo's current build. Used by the demo.
 * @param {string[]} [options.installVsix]   packaged extensions (.vsix) installed into the throwaway
 *   extensions dir with `code-server --install-extension`, exactly as a user installs one.
 * @param {string} [options.userDataDir]     user data kept by the caller instead of a throwaway one:
 *   a second session on it finds the first one's workspace storage (bench/host-scale.mjs).
 * @param {(msg: string) => void} [options.log]
 * @returns {Promise<CodeServer>}
 */
export async function startCodeServer({ folder, port, env = {}, installLinked = [], installVsix = [], settings = {}, userDataDir, log = (m) => console.log(`[host] ${m}`) }) {
  const bin = ensureCodeServer({ log });
  const stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-host-'));
  const dirs = Object.fromEntries(['user-data', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp']
    .map((d) => [d, path.join(stateDir, d)]));
  if (userDataDir) dirs['user-data'] = userDataDir;
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  fs.mkdirSync(path.join(dirs['user-data'], 'User'), { recursive: true });
  fs.writeFileSync(path.join(dirs['user-data'], 'User', 'settings.json'), JSON.stringify({ ...SETTINGS, ...settings }, null, 2));
  for (const ext of installLinked) {
    // VS Code picks up <publisher>.<name>-<version> folders it finds in the extensions dir.
    const { publisher, name, version } = JSON.parse(fs.readFileSync(path.join(ext, 'package.json'), 'utf8'));
    fs.symlinkSync(path.resolve(ext), path.join(dirs.extensions, `${publisher}.${name}-${version}`));
  }

  // Same XDG/TMPDIR confinement as the server below, so an install leaves nothing in ~ or /tmp.
  const confined = {
    ...process.env,
    ...env,
    XDG_CONFIG_HOME: dirs['xdg-config'],
    XDG_DATA_HOME: dirs['xdg-data'],
    XDG_CACHE_HOME: dirs['xdg-cache'],
    TMPDIR: dirs.tmp,
    EXTENSIONS_GALLERY: process.env.EXTENSIONS_GALLERY ?? '{}',
  };
  for (const vsix of installVsix) {
    const r = spawnSync(bin, ['--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions, '--install-extension', path.resolve(vsix)], { env: confined, encoding: 'utf8' });
    if (r.status !== 0) {
      fs.rmSync(stateDir, { recursive: true, force: true });
      throw new Error(`code-server --install-extension ${vsix} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
    }
    log(`installed ${path.basename(vsix)}: ${r.stdout.trim().split('\n').pop()}`);
  }

  const chosenPort = port || await freePort();
  const authority = `127.0.0.1:${chosenPort}`;
  const logFile = path.join(stateDir, 'code-server.log');
  const logFd = fs.openSync(logFile, 'w');
  const t0 = performance.now();
  const child = spawn(bin, [
    '--auth', 'none',
    '--bind-addr', authority,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--disable-proxy',
    '--ignore-last-opened',
    '--user-data-dir', dirs['user-data'],
    '--extensions-dir', dirs.extensions,
    folder,
  ], {
    // Keep code-server and VS Code out of ~/.config, ~/.local/share, ~/.cache and /tmp;
    // EXTENSIONS_GALLERY '{}' = no marketplace: the default (open-vsx.org) is unreachable offline.
    env: confined,
    stdio: ['ignore', logFd, logFd],
    detached: true, // setsid: the child leads a new process group whose id is its pid
  });
  fs.closeSync(logFd);
  const pid = /** @type {number} */ (child.pid);
  let exited = false;
  /** @type {Promise<number | null>} */
  const exitedPromise = new Promise((resolve) => child.once('exit', (code) => { exited = true; resolve(code); }));

  const cleanupDir = () => {
    if (!process.env.CORPUS_ANNOTATOR_KEEP_STATE) fs.rmSync(stateDir, { recursive: true, force: true });
  };
  /** @type {Promise<void> | undefined} */
  let stopping;
  // Idempotent; every caller waits for the same stop. The exit-time hook stays registered until the
  // group is gone, so an exit in the middle of a stop still SIGKILLs whatever is left.
  const stop = () => (stopping ??= (async () => {
    await killGroup(pid);
    cleanupDir();
    unregister();
  })());
  const unregister = onShutdown({
    name: `code-server pid ${pid}`,
    graceful: stop,
    final: () => { signalGroup(pid, 'SIGKILL'); cleanupDir(); },
  });

  // Ready when /healthz answers; give up early if the process dies (the log says why).
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited) {
      const out = fs.readFileSync(logFile, 'utf8');
      await stop();
      throw new Error(`code-server exited during startup:\n${out}`);
    }
    try {
      if ((await fetch(`http://${authority}/healthz`)).ok) break;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`code-server did not answer on http://${authority}/healthz within 60 s`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  log(`code-server pid ${pid} ready on http://${authority} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { url: `http://${authority}`, authority, pid, stateDir, logFile, exited: exitedPromise, stop };
}

/**
 * SIGTERM to the group, wait up to 5 s for every member to go, then SIGKILL.
 * @param {number} pgid
 */
async function killGroup(pgid) {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + 5_000;
  while (Date.now() < deadline) {
    if (!signalGroup(pgid, 0)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  signalGroup(pgid, 'SIGKILL');
}

/**
 * @param {number} pgid
 * @param {NodeJS.Signals | 0} signal  0 only tests whether any member is alive
 * @returns {boolean} false when the group has no members left
 */
function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false; // ESRCH: nobody left in the group
  }
}

/**
 * A free TCP port on 127.0.0.1; `preferred` if it is free, otherwise any.
 * @param {number} [preferred]
 * @returns {Promise<number>}
 */
export async function freePort(preferred = 0) {
  const tryListen = (/** @type {number} */ p) => new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(p, '127.0.0.1', () => {
      const { port } = /** @type {net.AddressInfo} */ (server.address());
      server.close(() => resolve(port));
    });
  });
  if (preferred) {
    try { return /** @type {number} */ (await tryListen(preferred)); } catch { /* busy: any port */ }
  }
  return /** @type {number} */ (await tryListen(0));
}
