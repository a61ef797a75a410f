// Where the git drivers' executable lives. git runs the merge and textconv drivers on `git merge`,
// `git diff`, `git log -p`, `git show`… in whatever the work tree holds, so the command must never
// name a file the repository's commits can change (a committed node_modules/…/cli.js would run on
// a reviewer's `git diff`). install-git-drivers copies this tool's bundle (dist/cli.js is one
// self-contained file) into the installing user's cache directory, one directory per content, and
// git config names that copy by absolute path: outside every clone, so moving a clone changes
// nothing, and only the user (re-running install-git-drivers after an upgrade) changes it.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { TOOL } from './args';

/** The user's cache directory: $XDG_CACHE_HOME, else the platform's (~/.cache, ~/Library/Caches, %LOCALAPPDATA%). */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home = os.homedir()): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && path.isAbsolute(xdg)) return xdg; // a relative one is invalid per the XDG spec
  if (platform === 'darwin') return path.join(home, 'Library', 'Caches');
  if (platform === 'win32') return env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local');
  return path.join(home, '.cache');
}

/** The directory holding the copies: `<cache>/corpus-annotator/git-drivers`. */
export function driverCopiesDir(cacheDir: string): string {
  return path.join(cacheDir, TOOL, 'git-drivers');
}

/** The path a file would have once created: its nearest existing ancestor resolved through symlinks. */
export function realPathOfFuture(p: string): string {
  const rest: string[] = [];
  for (let dir = path.resolve(p); ; dir = path.dirname(dir)) {
    try {
      return path.join(fs.realpathSync(dir), ...rest.reverse());
    } catch {
      if (path.dirname(dir) === dir) return path.resolve(p);
      rest.push(path.basename(dir));
    }
  }
}

/** Whether `p` is `dir` or below it (both real paths). */
export function isInside(p: string, dir: string): boolean {
  const rel = path.relative(dir, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

export interface DriverCopy {
  /** The copy's dist/cli.js, absolute. */
  script: string;
  /** False when an identical copy was already there. */
  written: boolean;
}

/**
 * Copies `script` (this tool's bundle) with a package.json naming its version (so the copy
 * knows its version and can itself reinstall) to `<copies>/<version>-<hash>/`. Content-addressed:
 * a new version gets a new directory and clones still pointing at the old one keep working.
 */
export function copyCliForDrivers(script: string, version: string, copiesDir: string, dryRun = false): DriverCopy {
  const bytes = fs.readFileSync(script);
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const dir = path.join(copiesDir, `${version.replace(/[^A-Za-z0-9._-]/g, '_')}-${hash}`);
  const target = path.join(dir, 'dist', 'cli.js');
  let current: Buffer | undefined;
  try {
    current = fs.readFileSync(target);
  } catch {
    // not copied yet
  }
  if (current !== undefined && current.equals(bytes)) return { script: target, written: false };
  if (dryRun) return { script: target, written: true };
  // Private to the user: nobody else may swap the file git will run.
  fs.mkdirSync(path.join(dir, 'dist'), { recursive: true, mode: 0o700 });
  writeReplacing(path.join(dir, 'package.json'), JSON.stringify({ name: TOOL, version, private: true }, null, 2) + '\n');
  writeReplacing(target, bytes);
  return { script: target, written: true };
}

/** Written beside, then renamed over: a git running the driver meanwhile sees the old file or the new, whole. */
function writeReplacing(file: string, data: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data, { mode: 0o644 });
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
