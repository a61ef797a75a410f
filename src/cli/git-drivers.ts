// `corpus-annotator install-git-drivers`: makes git merge sidecars as sets of entities (the merge
// driver) and show them one entity per line in `git diff` / `git log -p` (the textconv driver).
// Also the small git helpers the git-aware commands share (run git, read files at a revision).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ownPackage, parseCommandArgs, TOOL, UsageError } from './args';
import { copyCliForDrivers, driverCopiesDir, isInside, realPathOfFuture, userCacheDir } from './driver-copy';
import { git, gitTopLevel } from './git';
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

git runs the drivers on every merge, diff, log -p and show, in whatever the work tree
holds; so <command> never names a file the repository's commits can change (a committed
node_modules/corpus-annotator/dist/cli.js would otherwise run on a reviewer's git diff).
It is \`node <copy>\`: this tool's bundle copied into your cache directory
($XDG_CACHE_HOME, else ~/.cache; macOS ~/Library/Caches; Windows %LOCALAPPDATA%) under
corpus-annotator/git-drivers/<version>-<hash>/, named by absolute path. Moving the clone
changes nothing. After upgrading corpus-annotator, run this again to use the new version
(until then git keeps running the copy of the old one). It refuses to install a tool that
is itself a file tracked by the repository, or a cache directory inside the work tree.

Running it again changes nothing when everything is already in place.

Options:
      --dry-run        print what would be done, change nothing
      --uninstall      remove the git config entries and the .gitattributes lines this
                       command adds (nothing else; a .gitattributes left empty is deleted)
      --command CMD    the command git runs for the drivers, instead of the copy
                       (it must not name anything inside the repository: a warning says so)
  -h, --help           show this help

Exit status: 0 done (or nothing to do), 1 not in a git repository, git failed or the
installation would be unsafe, 2 usage error.

Examples:
  npx ${TOOL} install-git-drivers
  npx ${TOOL} install-git-drivers --dry-run
  npx ${TOOL} install-git-drivers --uninstall
`;

// The git helpers moved to ./git (shared with the extension's Node host); re-exported for the commands that import them from here.
export { git, gitTopLevel, listFilesAt, readFilesAt, resolveRevision } from './git';
export type { GitResult } from './git';

/** Quotes a word for the shell git runs drivers with, when it needs it. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** This tool's executable: dist/cli.js of the package this code belongs to; undefined when it is not built. */
export function cliScript(): { script: string; version: string } | undefined {
  const pkg = ownPackage();
  if (pkg === undefined) return undefined;
  const script = path.join(pkg.dir, 'dist', 'cli.js');
  const version = typeof pkg.json.version === 'string' ? pkg.json.version : '0.0.0';
  return fs.existsSync(script) ? { script, version } : undefined;
}

/** Why a user-given driver command may run what the repository holds; undefined when it names nothing of it. */
export function commandRisk(command: string, top: string): string | undefined {
  const words = command.trim().split(/\s+/);
  const first = words[0] ?? '';
  if (/^(npx|npm|pnpm|yarn|bunx)$/.test(path.basename(first))) {
    return `\`${first}\` looks in the repository's node_modules first, which the repository's commits can provide`;
  }
  const realTop = realPathOfFuture(top);
  for (const w of words) {
    const word = w.replace(/^['"]|['"]$/g, '');
    if (!word.includes('/') && !word.includes(path.sep)) continue;
    if (!path.isAbsolute(word)) return `${word} is a relative path, and git runs drivers from the top of the work tree`;
    if (isInside(realPathOfFuture(word), realTop)) return `${word} is inside the repository's work tree`;
  }
  return undefined;
}

/** Whether git tracks `file` (absolute, inside `top`) in the repository of `top`. */
async function isTracked(file: string, top: string): Promise<boolean> {
  const rel = path.relative(top, file).split(path.sep).join('/');
  const r = await git(['ls-files', '--error-unmatch', '--', rel], top);
  return r.code === 0;
}

/** The driver command to install, or a message saying why none can be installed safely. */
export async function safeDriverCommand(top: string, dry: boolean, io: Io): Promise<string | { error: string }> {
  const tool = cliScript();
  if (tool === undefined) return { error: 'cannot find this tool\'s dist/cli.js (is it built? run `npm run build`)' };
  const realTop = realPathOfFuture(top);
  const realScript = realPathOfFuture(tool.script);
  if (isInside(realScript, realTop) && await isTracked(realScript, realTop)) {
    return { error: `${path.relative(realTop, realScript)} is tracked by this repository: installing it would make git run whatever the repository's commits put there. Install ${TOOL} with npm (node_modules is not committed), or globally, and run this again` };
  }
  const copies = driverCopiesDir(userCacheDir());
  if (isInside(realPathOfFuture(copies), realTop)) {
    return { error: `the cache directory ${copies} is inside the repository's work tree, where a commit could replace the copy git runs; set XDG_CACHE_HOME to a directory outside it` };
  }
  const copy = copyCliForDrivers(tool.script, tool.version, copies, dry);
  if (copy.written) io.stdout(`${copy.script}: ${dry ? 'would copy' : 'copied'} ${TOOL} ${tool.version} (git runs this copy)\n`);
  return `node ${shellQuote(copy.script)}`;
}

export async function installGitDriversCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('install-git-drivers', argv, {
    'dry-run': { type: 'boolean' },
    uninstall: { type: 'boolean' },
    command: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(INSTALL_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}' (it configures the repository of the current directory)`, 'install-git-drivers');
  if (flags.uninstall && flags.command !== undefined) throw new UsageError('--command has no use with --uninstall', 'install-git-drivers');
  const dry = flags['dry-run'] === true;
  const top = await gitTopLevel(io.cwd);
  if (top === undefined) {
    io.stderr(`${TOOL} install-git-drivers: ${io.cwd} is not inside a git repository (run it in your clone)\n`);
    return 1;
  }
  if (flags.uninstall) return uninstall(top, dry, io);
  let command: string;
  if (typeof flags.command === 'string' && flags.command.trim()) {
    command = flags.command.trim();
    const risk = commandRisk(command, top);
    if (risk) io.stderr(`warning: ${risk}: git would run what a commit puts there on every merge and diff; prefer the default (no --command)\n`);
  } else {
    const safe = await safeDriverCommand(top, dry, io);
    if (typeof safe !== 'string') {
      io.stderr(`${TOOL} install-git-drivers: ${safe.error}\n`);
      return 1;
    }
    command = safe;
  }
  const would = dry ? 'would ' : '';
  let changes = 0;

  // .gitattributes at the top of the work tree.
  const attributes = path.join(top, '.gitattributes');
  const current = readAttributes(attributes);
  const has = current.split(/\r?\n/).some(isOurAttributesLine);
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
    const now = await configValue(key, top);
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
    io.stderr(`git drivers installed in ${top}. Commit .gitattributes; each clone runs \`${TOOL} install-git-drivers\` once, and again after upgrading ${TOOL}.\n`);
  } else io.stderr('nothing to do: the git drivers are installed\n');
  return 0;
}

/** The keys install sets: removed by --uninstall, whatever their value. */
const OUR_KEYS = [`merge.${DRIVER}.driver`, `merge.${DRIVER}.name`, `diff.${DRIVER}.textconv`];

/** Removes what install adds: its git config keys and its .gitattributes lines; nothing else. */
async function uninstall(top: string, dry: boolean, io: Io): Promise<number> {
  const would = dry ? 'would ' : '';
  let changes = 0;
  const attributes = path.join(top, '.gitattributes');
  const current = readAttributes(attributes);
  const lines = current.split(/(?<=\n)/);
  const kept = lines.filter((l) => !isOurAttributesLine(l) && l.trim() !== ATTRIBUTES_COMMENT);
  if (kept.length !== lines.length) {
    changes++;
    const rest = kept.join('');
    const deleteFile = rest.trim() === '';
    io.stdout(`.gitattributes: ${would}remove "${ATTRIBUTES_LINE}"${deleteFile ? ' (and the file, left empty)' : ''}\n`);
    if (!dry) {
      if (deleteFile) fs.rmSync(attributes);
      else fs.writeFileSync(attributes, rest);
    }
  }
  for (const key of OUR_KEYS) {
    const now = await configValue(key, top);
    if (now === undefined) continue;
    changes++;
    io.stdout(`git config ${key}: ${would}remove "${now}"\n`);
    if (!dry) {
      const r = await git(['config', '--local', '--unset-all', key], top);
      if (r.code !== 0) {
        io.stderr(`${TOOL} install-git-drivers: git config --unset ${key} failed: ${r.stderr.trim()}\n`);
        return 1;
      }
    }
  }
  // git leaves an empty [merge "corpus-annotator"] header behind; remove it when nothing else is in it.
  if (!dry) {
    for (const section of [`merge.${DRIVER}`, `diff.${DRIVER}`]) {
      const left = await git(['config', '--local', '--get-regexp', `^${section.replace(/\./g, '\\.')}\\.`], top);
      if (left.code === 1 && left.stdout.length === 0) await git(['config', '--local', '--remove-section', section], top);
    }
  }
  if (changes === 0) io.stderr('nothing to do: the git drivers are not installed\n');
  else if (dry) io.stderr(`${changes} change(s) to make (dry run: nothing changed)\n`);
  else io.stderr(`git drivers removed from ${top}: commit .gitattributes if it changed. The copy of ${TOOL} in ${driverCopiesDir(userCacheDir())} stays (other clones may use it).\n`);
  return 0;
}

function readAttributes(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return ''; // none yet
  }
}

function isOurAttributesLine(line: string): boolean {
  return line.trim().split(/\s+/).join(' ') === ATTRIBUTES_LINE;
}

async function configValue(key: string, top: string): Promise<string | undefined> {
  const got = await git(['config', '--local', '--get', key], top);
  return got.code === 0 ? got.stdout.toString('utf8').replace(/\n$/, '') : undefined;
}
