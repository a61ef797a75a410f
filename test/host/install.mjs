// Installs the real VS Code test host -- code-server (VS Code server + web workbench), pinned --
// into .vscode-test/code-server/ using only the npm registry and Debian packages.
//
//   node test/host/install.mjs     (npm run host:install)
//
// Cached: .vscode-test/code-server/.installed.json records what was installed; when it matches,
// a run is a no-op that takes a few milliseconds. The marker is written last, so an interrupted
// install is never mistaken for a finished one (the next run starts over).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CODE_SERVER_BIN, CODE_SERVER_DIR, CODE_SERVER_VERSION, HOST_DIR } from './paths.mjs';
import { ensureSystemPackages } from './system-deps.mjs';

const MARKER = path.join(CODE_SERVER_DIR, '.installed.json');
const INSTALL_LOG = path.join(HOST_DIR, 'install.log');
/** npm lockfile for code-server's own (top-level) dependency tree; VS Code's tree is pinned by code-server's shrinkwrap. */
const LOCKFILE = fileURLToPath(new URL('./code-server.lock.json', import.meta.url));

/** @param {string} msg */
const defaultLog = (msg) => console.log(`[host] ${msg}`);

/** What a usable install depends on: native modules are built for one Node ABI and platform. */
function expectedMarker() {
  return {
    codeServer: CODE_SERVER_VERSION,
    nodeAbi: process.versions.modules,
    platform: `${process.platform}-${process.arch}`,
  };
}

/** @returns {boolean} true when the pinned code-server is installed for this Node ABI. */
export function isInstalled() {
  try {
    const marker = JSON.parse(fs.readFileSync(MARKER, 'utf8'));
    const expected = expectedMarker();
    return Object.entries(expected).every(([k, v]) => marker[k] === v) && fs.existsSync(CODE_SERVER_BIN);
  } catch {
    return false;
  }
}

/**
 * Makes sure the Debian packages and the pinned code-server are installed; returns the code-server binary.
 * @param {{ log?: (msg: string) => void }} [options]
 * @returns {string}
 */
export function ensureCodeServer({ log = defaultLog } = {}) {
  const t0 = performance.now();
  ensureSystemPackages(log);
  if (isInstalled()) {
    log(`code-server ${CODE_SERVER_VERSION} already installed in ${path.relative(process.cwd(), CODE_SERVER_DIR) || '.'} (checked in ${Math.round(performance.now() - t0)} ms)`);
    return CODE_SERVER_BIN;
  }
  withInstallLock(log, () => {
    if (isInstalled()) { // another process finished it while we waited
      log(`code-server ${CODE_SERVER_VERSION} was installed by the other process`);
      return;
    }
    log(`installing code-server ${CODE_SERVER_VERSION} into ${CODE_SERVER_DIR} (about a minute; log: ${INSTALL_LOG})`);
    install(log);
    log(`code-server ${CODE_SERVER_VERSION} installed in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  });
  return CODE_SERVER_BIN;
}

/**
 * Two test commands started together on a fresh checkout must not install into the same dir at
 * once: a lock file holding the installer's pid; a lock whose process is gone is stale.
 * @param {(msg: string) => void} log
 * @param {() => void} fn
 */
function withInstallLock(log, fn) {
  const lock = path.join(HOST_DIR, 'code-server.install.lock');
  fs.mkdirSync(HOST_DIR, { recursive: true });
  const deadline = Date.now() + 15 * 60_000;
  let announced = false;
  for (;;) {
    try {
      fs.writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (e) {
      if (/** @type {NodeJS.ErrnoException} */ (e).code !== 'EEXIST') throw e;
    }
    const holder = Number(fs.readFileSync(lock, 'utf8')) || 0;
    let alive;
    try { alive = holder > 0 && process.kill(holder, 0); } catch { alive = false; }
    if (!alive) {
      fs.rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`gave up waiting for the code-server install of pid ${holder} (${lock})`);
    if (!announced) log(`another process (pid ${holder}) is installing code-server; waiting`);
    announced = true;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500); // synchronous sleep: this module is sync
  }
  try {
    fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

/** @param {(msg: string) => void} log */
function install(log) {
  fs.rmSync(CODE_SERVER_DIR, { recursive: true, force: true });
  const tmp = path.join(CODE_SERVER_DIR, '.tmp');
  fs.mkdirSync(tmp, { recursive: true });
  const logFd = fs.openSync(INSTALL_LOG, 'w');
  const env = installEnv(tmp);

  /** Runs a command with its output in the install log; throws with the log's tail on failure. */
  const run = (/** @type {string} */ cmd, /** @type {string[]} */ args, cwd = CODE_SERVER_DIR) => {
    fs.writeSync(logFd, `\n$ ${cmd} ${args.join(' ')}\n`);
    const r = spawnSync(cmd, args, { cwd, env, stdio: ['ignore', logFd, logFd] });
    if (r.status !== 0) {
      const tail = fs.readFileSync(INSTALL_LOG, 'utf8').split('\n').slice(-60).join('\n');
      throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})\n--- last lines of ${INSTALL_LOG} ---\n${tail}`);
    }
  };

  try {
    // 1. code-server itself, without running its postinstall yet (ripgrep needs preparing first).
    //    With the committed lockfile this is `npm ci`: the same tree on every machine.
    fs.writeFileSync(path.join(CODE_SERVER_DIR, 'package.json'),
      JSON.stringify({ private: true, dependencies: { 'code-server': CODE_SERVER_VERSION } }, null, 2) + '\n');
    if (lockfileMatches()) {
      fs.copyFileSync(LOCKFILE, path.join(CODE_SERVER_DIR, 'package-lock.json'));
      log('npm ci code-server (lockfile test/host/code-server.lock.json, no scripts yet)');
      run('npm', ['ci', '--ignore-scripts']);
    } else {
      log('npm install code-server (no lockfile for this version, no scripts yet)');
      run('npm', ['install', '--ignore-scripts']);
    }

    // 2. ripgrep: see seedRipgrepCache.
    for (const line of seedRipgrepCache(tmp, run)) log(line);

    // 3. code-server's postinstall (`npm install --omit=dev` in lib/vscode and lib/vscode/extensions,
    //    compiling kerberos, node-pty, spdlog, native-watchdog...) and argon2, whose prebuilt-binary
    //    download fails offline and falls back to a source build.
    log('npm rebuild argon2 code-server (compiles native modules)');
    run('npm', ['rebuild', 'argon2', 'code-server', '--foreground-scripts']);

    // 4. Sanity checks, so a broken install fails here and not in the middle of a test run.
    const rg = path.join(CODE_SERVER_DIR, 'node_modules/code-server/lib/vscode/node_modules/@vscode/ripgrep/bin/rg');
    run(rg, ['--version']);
    run(CODE_SERVER_BIN, ['--version']);
  } finally {
    fs.closeSync(logFd);
  }
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.writeFileSync(MARKER, JSON.stringify({ ...expectedMarker(), installedAt: new Date().toISOString() }, null, 2) + '\n');
}

/**
 * Environment for the install's npm runs.
 * @param {string} tmp
 */
function installEnv(tmp) {
  /** @type {NodeJS.ProcessEnv} */
  const env = {};
  // Under `npm run host:install` the outer npm exports its settings as npm_config_* (registry,
  // cache, proxy, cafile: kept, the nested npm should use them too) and describes the project in
  // npm_package_*, npm_lifecycle_*, npm_config_local_prefix (dropped: the nested npm works on
  // .vscode-test/code-server, not on the project).
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^npm_(package_|lifecycle_|command$|config_local_prefix$)/i.test(k)) env[k] = v;
  }
  // ripgrep's download cache lives in $TMPDIR; also keeps build temp files inside .vscode-test.
  env.TMPDIR = tmp;
  // node-pty's postinstall runs `npx node-gyp`; `yes=false` in ~/.npmrc would make npx refuse.
  env.npm_config_yes = 'true';
  // code-server's postinstall refuses to run as root without unsafe-perm.
  env.npm_config_unsafe_perm = 'true';
  // node-gyp must not download Node headers (nodejs.org may be unreachable): use Debian's.
  const nodedir = process.env.npm_config_nodedir || (fs.existsSync('/usr/include/node/node_version.h') ? '/usr' : '');
  if (nodedir) env.npm_config_nodedir = nodedir;
  env.npm_config_audit = 'false';
  env.npm_config_fund = 'false';
  env.npm_config_update_notifier = 'false';
  // `code-server --version` would otherwise create ~/.config/code-server/config.yaml.
  env.XDG_CONFIG_HOME = path.join(tmp, 'xdg-config');
  env.XDG_DATA_HOME = path.join(tmp, 'xdg-data');
  env.XDG_CACHE_HOME = path.join(tmp, 'xdg-cache');
  return env;
}

function lockfileMatches() {
  try {
    const lock = JSON.parse(fs.readFileSync(LOCKFILE, 'utf8'));
    return lock.packages?.['node_modules/code-server']?.version === CODE_SERVER_VERSION;
  } catch {
    return false;
  }
}

/**
 * @vscode/ripgrep's postinstall downloads `rg` from GitHub (unreachable here), but first looks for
 * `$TMPDIR/vscode-ripgrep-cache-<package version>/ripgrep-<release tag>-<target>.tar.gz`.
 * We put a tarball holding Debian's /usr/bin/rg there. The release tag is read from the package's
 * own lib/postinstall.js (fetched with `npm pack`), so the file name is exact rather than guessed.
 * @param {string} tmp
 * @param {(cmd: string, args: string[], cwd?: string) => void} run
 * @returns {string[]} what was seeded, for the log
 */
function seedRipgrepCache(tmp, run) {
  const vscodeDir = path.join(CODE_SERVER_DIR, 'node_modules/code-server/lib/vscode');
  /** @type {Set<string>} */
  const versions = new Set();
  for (const lock of ['npm-shrinkwrap.json', 'extensions/npm-shrinkwrap.json', 'extensions/package-lock.json']) {
    const file = path.join(vscodeDir, lock);
    if (!fs.existsSync(file)) continue;
    for (const [key, pkg] of Object.entries(JSON.parse(fs.readFileSync(file, 'utf8')).packages ?? {})) {
      if (key.endsWith('node_modules/@vscode/ripgrep') && pkg.version) versions.add(pkg.version);
    }
  }
  const target = { x64: 'x86_64-unknown-linux-musl', arm64: 'aarch64-unknown-linux-musl' }[os.arch()];
  if (!target) throw new Error(`no ripgrep target known for ${os.arch()}`);
  const stage = path.join(tmp, 'rg-stage');
  fs.mkdirSync(stage, { recursive: true });
  fs.copyFileSync('/usr/bin/rg', path.join(stage, 'rg'));
  fs.chmodSync(path.join(stage, 'rg'), 0o755);

  const seeded = [];
  for (const version of versions) {
    run('npm', ['pack', `@vscode/ripgrep@${version}`, '--pack-destination', tmp], tmp);
    run('tar', ['xzf', `vscode-ripgrep-${version}.tgz`, 'package/lib/postinstall.js'], tmp);
    const postinstall = fs.readFileSync(path.join(tmp, 'package/lib/postinstall.js'), 'utf8');
    const tag = /const VERSION = '([^']+)'/.exec(postinstall)?.[1];
    if (!tag) throw new Error(`cannot find the ripgrep release tag in @vscode/ripgrep@${version}'s postinstall.js`);
    const cacheDir = path.join(tmp, `vscode-ripgrep-cache-${version}`);
    fs.mkdirSync(cacheDir, { recursive: true });
    run('tar', ['czf', path.join(cacheDir, `ripgrep-${tag}-${target}.tar.gz`), '-C', stage, 'rg'], tmp);
    fs.rmSync(path.join(tmp, 'package'), { recursive: true, force: true });
    seeded.push(`ripgrep: @vscode/ripgrep@${version} will unpack Debian's /usr/bin/rg (seeded as release ${tag})`);
  }
  if (seeded.length === 0) throw new Error('@vscode/ripgrep not found in code-server\'s lockfiles; the ripgrep fix needs revisiting');
  return seeded;
}

// CLI: `node test/host/install.mjs`
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    ensureCodeServer();
  } catch (e) {
    console.error(`[host] ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
