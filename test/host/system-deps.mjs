// Debian packages the host needs. Checked on every run (one dpkg-query call, a few ms) because
// a cached code-server install is useless if, say, chromium was removed since.
import { spawnSync } from 'node:child_process';

/**
 * - libkrb5-dev, build-essential, python3: code-server's native modules (kerberos, node-pty, argon2, spdlog...)
 *   are compiled from source by node-gyp against /usr/include/node (no prebuilt downloads offline).
 * - ripgrep: VS Code's search needs `rg`; @vscode/ripgrep would download it from GitHub, we give it Debian's.
 * - chromium: the browser playwright-core drives (playwright's own browser downloads are unreachable).
 * Keep in sync with .ci/run, which installs them up front on a clean CI machine.
 */
export const APT_PACKAGES = ['libkrb5-dev', 'ripgrep', 'chromium', 'build-essential', 'python3'];

/** @returns {string[]} the packages from APT_PACKAGES that dpkg does not report as installed. */
export function missingPackages() {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${db:Status-Status}\n', ...APT_PACKAGES], { encoding: 'utf8' });
  if (r.error) {
    // Not a Debian-like system: we cannot check, say so rather than guess.
    throw new Error(`cannot run dpkg-query (${r.error.message}); the test host needs Debian/Ubuntu packages: ${APT_PACKAGES.join(' ')}`);
  }
  const installed = new Set(
    r.stdout.split('\n').filter((l) => l.endsWith(' installed')).map((l) => l.split(' ')[0]),
  );
  return APT_PACKAGES.filter((p) => !installed.has(p));
}

/**
 * Installs missing packages when running as root (CI, containers); otherwise prints the exact
 * command and throws, because silently sudo-ing from a test script would be rude.
 * @param {(msg: string) => void} log
 */
export function ensureSystemPackages(log) {
  const missing = missingPackages();
  if (missing.length === 0) return;
  const command = `apt-get update && apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing Debian packages: ${missing.join(' ')}\nInstall them with:\n  sudo sh -c '${command}'`);
  }
  log(`installing missing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update'], ['install', '-y', ...missing]]) {
    const r = spawnSync('apt-get', args, { stdio: 'inherit', env });
    if (r.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status})`);
  }
}
