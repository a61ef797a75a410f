// `corpus-annotator install-git-drivers`: makes git merge sidecars as sets of entities (the merge
// driver) and show them one entity per line in `git diff` / `git log -p` (the textconv driver).
// Also the small git helpers the git-aware commands share (run git, read files at a revision).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ownPackage, parseCommandArgs, TOOL, UsageError } from './args';
import { Io } from './io';

export const DRIVER = 'corpus-annotator';
export const ATTRIBUTES_LINE = `*.ann.yaml merge=${DRIVER} diff=${DRIVER}`;
const ATTRIBUTES_COMMENT = `# Corpus Annotator: merge sidecars as sets of entities, show them one entity per line in git diff (${TOOL} install-git-drivers)`;

export const INSTALL_HELP = `Usage: ${TOOL} install-git-drivers [options]

Configures the git repository of the current directory so that git understands
annotation sidecars (*.ann.yaml):

  .gitattributes   ${ATTRIBUTES_LINE}
                   (versioned: commit it, so every clone uses the drivers)
  git config       merge.${DRIVER}.driver    <command> merge-driver %O %A %B %P
  (.git/config)    merge.${DRIVER}.name      a description
                   diff.${DRIVER}.textconv   <command> diff --textconv

With the merge driver, two annotators' work on the same article merges by entity id:
additions on both sides are kept, a relabel on one side wins, and a real disagreement
(the same entity changed differently) leaves a valid sidecar with a \`conflicts:\` list
(git reports the conflict; settle it with \`${TOOL} resolve --ours|--theirs FILE\`).
With the textconv driver, \`git diff\`, \`git log -p\` and \`git show\` print each entity
as \`PER  «Abdellatif Hammouchi»  5547-5567  [k3f9a2]\`.

git config is not versioned: every clone runs this once (after \`npm install\`).
<command> is \`node <path of this tool's dist/cli.js>\`: relative to the top of the
repository when the tool is installed inside it (node_modules/corpus-annotator/…, so
moving the clone keeps working; git runs drivers from the top of the work tree),
absolute otherwise. Use --command to choose another, e.g.
--command "npx --no-install ${TOOL}" (slower: about half a second per file).

Running it again changes nothing when everything is already in place.

Options:
      --dry-run        print what would be done, change nothing
      --command CMD    the command git runs for the drivers
  -h, --help           show this help

Exit status: 0 done (or nothing to do), 1 not in a git repository or git failed,
2 usage error.

Examples:
  npx ${TOOL} install-git-drivers
  npx ${TOOL} install-git-drivers --dry-run
  npx ${TOOL} install-git-drivers --command "npx --no-install ${TOOL}"
`;

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs git in `cwd`; never throws for a non-zero exit (ENOENT for a missing git does reject). */
export function git(args: readonly string[], cwd: string, input?: string | Buffer): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', [...args], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
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

/** Repository-relative paths of the files of a commit (whole tree). */
export async function listFilesAt(commit: string, cwd: string): Promise<string[]> {
  const r = await git(['ls-tree', '-r', '-z', '--full-tree', '--name-only', commit], cwd);
  if (r.code !== 0) throw new Error(`git ls-tree ${commit} failed: ${r.stderr.trim()}`);
  return r.stdout.toString('utf8').split('\0').filter((p) => p !== '');
}

/** The contents of `rev:path` objects (undefined for a missing one), in one `git cat-file --batch`. */
export async function readFilesAt(specs: readonly string[], cwd: string): Promise<Map<string, Buffer | undefined>> {
  const out = new Map<string, Buffer | undefined>();
  if (specs.length === 0) return out;
  if (specs.some((s) => s.includes('\n'))) throw new Error('a path with a line break cannot be read from git');
  const r = await git(['cat-file', '--batch'], cwd, specs.map((s) => s + '\n').join(''));
  const buf = r.stdout;
  let at = 0;
  for (const spec of specs) {
    const nl = buf.indexOf(0x0a, at);
    if (nl < 0) throw new Error(`git cat-file --batch stopped early: ${r.stderr.trim()}`);
    const header = buf.subarray(at, nl).toString('utf8');
    at = nl + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      out.set(spec, undefined); // "<spec> missing" or "ambiguous"
      continue;
    }
    const size = Number(m[2]);
    out.set(spec, m[1] === 'blob' ? Buffer.from(buf.subarray(at, at + size)) : undefined);
    at += size + 1;
  }
  return out;
}

/** Quotes a word for the shell git runs drivers with, when it needs it. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** This tool's executable: dist/cli.js of the package this code belongs to; undefined when it is not built. */
export function cliScript(): string | undefined {
  const pkg = ownPackage();
  if (pkg === undefined) return undefined;
  const script = path.join(pkg.dir, 'dist', 'cli.js');
  return fs.existsSync(script) ? script : undefined;
}

/** The command the git config runs: see INSTALL_HELP. */
export function driverCommand(top: string, script: string | undefined): string {
  if (script === undefined) return `npx --no-install ${TOOL}`;
  let real = script;
  let realTop = top;
  try {
    real = fs.realpathSync(script);
    realTop = fs.realpathSync(top);
  } catch {
    // keep them as they are
  }
  const rel = path.relative(realTop, real);
  const inside = rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
  return `node ${shellQuote(inside ? rel.split(path.sep).join('/') : real)}`;
}

export async function installGitDriversCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('install-git-drivers', argv, {
    'dry-run': { type: 'boolean' },
    command: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(INSTALL_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}' (it configures the repository of the current directory)`, 'install-git-drivers');
  const dry = flags['dry-run'] === true;
  const top = await gitTopLevel(io.cwd);
  if (top === undefined) {
    io.stderr(`${TOOL} install-git-drivers: ${io.cwd} is not inside a git repository (run it in your clone)\n`);
    return 1;
  }
  const command = typeof flags.command === 'string' && flags.command.trim() ? flags.command.trim() : driverCommand(top, cliScript());
  const would = dry ? 'would ' : '';
  let changes = 0;

  // .gitattributes at the top of the work tree.
  const attributes = path.join(top, '.gitattributes');
  let current = '';
  try {
    current = fs.readFileSync(attributes, 'utf8');
  } catch {
    // none yet
  }
  const has = current.split(/\r?\n/).some((l) => l.trim().split(/\s+/).join(' ') === ATTRIBUTES_LINE);
  if (has) io.stdout(`.gitattributes: already has "${ATTRIBUTES_LINE}"\n`);
  else {
    changes++;
    io.stdout(`.gitattributes: ${would}add "${ATTRIBUTES_LINE}"\n`);
    if (!dry) {
      const sep = current === '' || current.endsWith('\n') ? '' : '\n';
      fs.writeFileSync(attributes, `${current}${sep}${ATTRIBUTES_COMMENT}\n${ATTRIBUTES_LINE}\n`);
    }
  }

  const settings: Array<[string, string]> = [
    [`merge.${DRIVER}.name`, 'Corpus Annotator: merge annotation sidecars as sets of entities'],
    [`merge.${DRIVER}.driver`, `${command} merge-driver %O %A %B %P`],
    [`diff.${DRIVER}.textconv`, `${command} diff --textconv`],
  ];
  for (const [key, value] of settings) {
    const got = await git(['config', '--local', '--get', key], top);
    const now = got.code === 0 ? got.stdout.toString('utf8').replace(/\n$/, '') : undefined;
    if (now === value) {
      io.stdout(`git config ${key}: already "${value}"\n`);
      continue;
    }
    changes++;
    io.stdout(`git config ${key}: ${would}set to "${value}"${now !== undefined ? ` (was "${now}")` : ''}\n`);
    if (!dry) {
      const set = await git(['config', '--local', key, value], top);
      if (set.code !== 0) {
        io.stderr(`${TOOL} install-git-drivers: git config ${key} failed: ${set.stderr.trim()}\n`);
        return 1;
      }
    }
  }
  if (dry) io.stderr(changes ? `${changes} change(s) to make (dry run: nothing changed)\n` : 'nothing to do: the git drivers are installed\n');
  else if (changes) {
    io.stderr(`git drivers installed in ${top}. Commit .gitattributes; each clone runs \`${TOOL} install-git-drivers\` once.\n`);
  } else io.stderr('nothing to do: the git drivers are installed\n');
  return 0;
}
