// The git history of the corpus's sidecars for the dashboard (Node host). The browser's web worker
// host has no git: esbuild.js puts dashboard-git.web.ts in its place there.
import { execFile } from 'node:child_process';

/** `git <args>` in `cwd`: its output, or undefined (no git, not a repository, a failure). */
export function gitOutput(cwd: string, args: readonly string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['--no-pager', '-c', 'core.quotepath=off', ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: 60_000, windowsHide: true }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}
