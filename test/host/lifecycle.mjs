// Cleanup that runs however the process ends -- normal end, failure, timeout, Ctrl+C, SIGTERM,
// uncaught error -- so no code-server, extension host or Chromium outlives a test command.
//
// Each resource registers two hooks: an async one (graceful: close the browser, SIGTERM then wait)
// used on signals and errors, and a sync one for the 'exit' event, where only synchronous work is
// possible (SIGKILL the process group, delete the temp dir).

/** @typedef {{ name: string, graceful?: () => Promise<void>, final?: () => void }} Hook */

/** @type {Set<Hook>} */
const hooks = new Set();
let installed = false;
let shuttingDown = false;

/**
 * Registers cleanup for a resource. Returns a function that unregisters it (call after a normal stop).
 * @param {Hook} hook
 * @returns {() => void}
 */
export function onShutdown(hook) {
  installHandlers();
  hooks.add(hook);
  return () => hooks.delete(hook);
}

/** True once shutdown() started: a resource going away now is expected, not an error. */
export function isShuttingDown() {
  return shuttingDown;
}

/**
 * Runs all graceful hooks (newest first, each bounded to 10 s) and exits with `code`.
 * @param {number} code
 * @returns {Promise<never>}
 */
export async function shutdown(code) {
  // A second request (e.g. SIGINT from the terminal plus the same signal forwarded by
  // test/run-all.mjs) waits for the first: the cleanup is bounded, so it cannot hang.
  if (shuttingDown) return new Promise(() => {});
  shuttingDown = true;
  for (const hook of [...hooks].reverse()) {
    if (!hook.graceful) continue;
    let timer;
    await Promise.race([
      hook.graceful().catch((e) => console.error(`[host] cleanup of ${hook.name} failed: ${e}`)),
      new Promise((resolve) => { timer = setTimeout(resolve, 10_000); }),
    ]);
    clearTimeout(timer);
  }
  process.exit(code);
}

/**
 * For CLI entry points (runner, demo): an uncaught error cleans up and exits 1. Not installed by
 * default, because under mocha (e2e) mocha itself turns uncaught errors into test failures.
 */
export function exitOnUncaughtErrors() {
  installHandlers();
  process.on('uncaughtException', (e) => { console.error('[host] uncaught error:', e); void shutdown(1); });
  process.on('unhandledRejection', (e) => { console.error('[host] unhandled rejection:', e); void shutdown(1); });
}

function installHandlers() {
  if (installed) return;
  installed = true;
  // 128 + signal number, the shell convention (Ctrl+C -> 130).
  process.on('SIGINT', () => { console.error('\n[host] interrupted, stopping...'); void shutdown(130); });
  process.on('SIGTERM', () => { void shutdown(143); });
  process.on('SIGHUP', () => { void shutdown(129); });
  process.on('exit', () => {
    for (const hook of [...hooks].reverse()) {
      try { hook.final?.(); } catch { /* best effort: we are exiting anyway */ }
    }
  });
}
