// Real git in temporary repositories, isolated from the user's configuration, for the tests of the
// git drivers: a clean environment, git and the built CLI run in it, repositories with a first commit.
import { strict as assert } from 'node:assert';
import { execFileSync, spawnSync, SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CLI_BIN } from './cli';
import { tempDirs } from './tmp';

/**
 * Call at a test file's top level (it registers the scratch directories' cleanup). The environment
 * has no hook's GIT_DIR, no user or system git configuration (conflict style…), and its own cache
 * directory, where install-git-drivers puts its copy of the CLI.
 */
export function gitSandbox(name: string) {
  const { tmpDirSync } = tempDirs(name);
  const cacheHome = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `corpus-annotator-${name}-cache-`)));
  after(() => fs.rmSync(cacheHome, { recursive: true, force: true }));
  const ENV: NodeJS.ProcessEnv = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0', XDG_CACHE_HOME: cacheHome };
  for (const k of ['GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_CONFIG', 'GIT_CONFIG_PARAMETERS']) delete ENV[k];

  const git = (cwd: string, ...args: string[]): string =>
    execFileSync('git', args, { cwd, env: ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const gitRun = (cwd: string, ...args: string[]): SpawnSyncReturns<string> => spawnSync('git', args, { cwd, env: ENV, encoding: 'utf8' });
  /** The built CLI (dist/cli.js), as a user runs it. */
  const tool = (cwd: string, ...args: string[]): SpawnSyncReturns<string> =>
    spawnSync(process.execPath, [CLI_BIN, ...args], { cwd, env: ENV, encoding: 'utf8' });

  /** A repository holding `files`, committed on `main`; the drivers installed unless told not to. */
  const repo = (files: Record<string, string>, opts: { drivers?: boolean } = {}): string => {
    const root = tmpDirSync();
    git(root, 'init', '-q', '-b', 'main');
    git(root, 'config', 'user.name', 'Test');
    git(root, 'config', 'user.email', 'test@example.com');
    for (const [f, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
      fs.writeFileSync(path.join(root, f), content);
    }
    if (opts.drivers !== false) {
      const r = tool(root, 'install-git-drivers');
      assert.equal(r.status, 0, r.stderr);
    }
    git(root, 'add', '-A');
    git(root, 'commit', '-q', '-m', 'base');
    return root;
  };

  /** Checks out `branch` (created unless told not to), writes `files` and commits them. */
  const commitOn = (root: string, branch: string, files: Record<string, string>, create = true): void => {
    git(root, 'checkout', '-q', ...(create ? ['-b', branch] : [branch]));
    for (const [f, content] of Object.entries(files)) fs.writeFileSync(path.join(root, f), content);
    git(root, 'commit', '-q', '-am', `on ${branch}`);
  };

  const read = (root: string, f = 'a.txt.ann.yaml') => fs.readFileSync(path.join(root, f), 'utf8');

  return { ENV, cacheHome, tmpDirSync, git, gitRun, tool, repo, commitOn, read };
}
