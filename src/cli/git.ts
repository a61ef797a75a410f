// Running git: the one place the CLI and the extension's Node host spawn it to read a repository
// (src/extension/curate-git.ts imports this; nothing here may import vscode). What git prints is
// parsed in src/core/review/git-output.ts.
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { parseCatFileBatch, parseLocalBranches, parseNulSeparated } from '../core/review/git-output';

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs git in `cwd`; never throws for a non-zero exit (ENOENT for a missing git does reject). */
export function git(args: readonly string[], cwd: string, input?: string | Buffer): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? '');
  });
}

/** The top of the work tree containing `cwd`, or undefined outside a repository. */
export async function gitTopLevel(cwd: string): Promise<string | undefined> {
  try {
    const r = await git(['rev-parse', '--show-toplevel'], cwd);
    return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined;
  } catch {
    return undefined;
  }
}

export type Repository =
  | { ok: true; top: string; /** Where `cwd` is under the top ('' at the top, else 'a/b/'). */ prefix: string }
  | { ok: false; why: 'no-git' | 'not-a-repository'; message: string };

/** The repository `cwd` is in; unlike gitTopLevel, says whether git is missing or the folder is outside any repository. */
export async function gitRepository(cwd: string): Promise<Repository> {
  let r: GitResult;
  try {
    r = await git(['rev-parse', '--show-toplevel', '--show-prefix'], cwd);
  } catch (e) {
    // spawn reports a missing working directory as ENOENT too: not git's absence.
    if (!(await isDirectory(cwd))) return { ok: false, why: 'not-a-repository', message: `${cwd} is not a folder` };
    const code = (e as { code?: unknown }).code;
    const message = code === 'ENOENT' ? 'git was not found on the PATH' : `git cannot be run: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, why: 'no-git', message };
  }
  const [top, prefix] = r.stdout.toString('utf8').split('\n');
  if (r.code !== 0 || !top) return { ok: false, why: 'not-a-repository', message: `${cwd} is not in a git repository` };
  return { ok: true, top, prefix: prefix ?? '' };
}

/** The commit a revision names, or undefined when it names none (or there is no repository). */
export async function resolveRevision(rev: string, cwd: string): Promise<string | undefined> {
  if (rev.startsWith('-')) return undefined;
  try {
    const r = await git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], cwd);
    return r.code === 0 ? r.stdout.toString('utf8').trim() : undefined;
  } catch {
    return undefined;
  }
}

/** The repository's local branches (refs/heads), and the one checked out. */
export async function localBranches(cwd: string): Promise<{ branches: string[]; current: string | undefined }> {
  const r = await git(['for-each-ref', '--format=%(HEAD) %(refname:short)', 'refs/heads'], cwd);
  if (r.code !== 0) throw new Error(`git for-each-ref failed: ${r.stderr.trim()}`);
  return parseLocalBranches(r.stdout.toString('utf8'));
}

/** Repository-relative paths of the files of a commit (whole tree). */
export async function listFilesAt(commit: string, cwd: string): Promise<string[]> {
  const r = await git(['ls-tree', '-r', '-z', '--full-tree', '--name-only', commit], cwd);
  if (r.code !== 0) throw new Error(`git ls-tree ${commit} failed: ${r.stderr.trim()}`);
  return parseNulSeparated(r.stdout.toString('utf8'));
}

/** The contents of `rev:path` objects (undefined for a missing one), in one `git cat-file --batch`. */
export async function readFilesAt(specs: readonly string[], cwd: string): Promise<Map<string, Buffer | undefined>> {
  const out = new Map<string, Buffer | undefined>();
  if (specs.length === 0) return out;
  if (specs.some((s) => s.includes('\n'))) throw new Error('a path with a line break cannot be read from git');
  const r = await git(['cat-file', '--batch'], cwd, specs.map((s) => s + '\n').join(''));
  let objects: Map<string, Uint8Array | undefined>;
  try {
    objects = parseCatFileBatch(r.stdout, specs);
  } catch (e) {
    throw new Error(`${e instanceof Error ? e.message : String(e)}: ${r.stderr.trim()}`, { cause: e });
  }
  for (const [spec, bytes] of objects) out.set(spec, bytes && Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  return out;
}

async function isDirectory(p: string): Promise<boolean> {
  return stat(p).then((s) => s.isDirectory(), () => false);
}
