// `corpus-annotator install-git-hooks`: a git pre-commit hook running `corpus-annotator pre-commit`
// on the staged sidecars. Like the merge drivers (git-drivers.ts), the hook runs a copy of this
// tool in the user's cache, named by absolute path: nothing a commit or a branch switch can change,
// and it keeps working after `npm uninstall`. A hook the user already has is never overwritten
// unless asked: --chain keeps it and runs it first, --force sets it aside; --uninstall puts it back.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseCommandArgs, TOOL, UsageError } from './args';
import { isInside, realPathOfFuture } from './driver-copy';
import { git, gitTopLevel, safeDriverCommand } from './git-drivers';
import { Io } from './io';

/** The line that tells our hook from anyone else's. */
export const HOOK_MARK = '# corpus-annotator-hook: pre-commit';
/** The user's own hook, kept and run first (--chain). */
export const CHAINED_SUFFIX = '.before-corpus-annotator';
/** The user's own hook, set aside (--force). */
export const BACKUP_SUFFIX = '.corpus-annotator-backup';

export const HOOKS_HELP = `Usage: ${TOOL} install-git-hooks [options]

Installs a git pre-commit hook that runs \`${TOOL} pre-commit\`: every commit's staged
sidecars (as staged, not as in the working tree) are checked like \`${TOOL} validate\`
and \`${TOOL} fmt --check\` do, and a commit holding an invalid or non-canonical sidecar,
git conflict markers, unresolved \`conflicts:\` entries or unmerged paths is refused
with one \`path:line:col: error: …\` line per problem. (\`git commit --no-verify\` skips it.)

The hook goes where git looks for hooks (\`git rev-parse --git-path hooks\`: core.hooksPath
when set, the common .git/hooks of all linked worktrees otherwise). It runs \`node <copy>\`,
this tool's bundle copied to your cache directory (the same copy as install-git-drivers;
see its --help), so it keeps working after \`npm uninstall\` or a branch switch; run this
again after upgrading ${TOOL}. Git hooks are not versioned: every clone runs this once.
For a hook shared through the repository use the pre-commit framework (docs/git-workflow.md).

An existing pre-commit hook that is not this tool's is left alone: the command refuses,
unless told what to do with it:
      --chain      keep it: it is renamed pre-commit${CHAINED_SUFFIX} and the new hook runs
                   it first (a failure of it refuses the commit, as before)
      --force      replace it: it is renamed pre-commit${BACKUP_SUFFIX}
--uninstall removes this tool's hook and puts the user's hook (chained or set aside) back.

Options:
      --chain        see above
      --force        see above
      --uninstall    remove the hook this command installed
      --dry-run      print what would be done, change nothing
  -h, --help         show this help

Exit status: 0 done (or nothing to do), 1 not in a git repository, an existing hook in
the way, or git failed, 2 usage error.

Examples:
  npx ${TOOL} install-git-hooks
  npx ${TOOL} install-git-hooks --chain
  npx ${TOOL} install-git-hooks --uninstall
`;

/** The hook's text: the user's chained hook first (when there is one), then the check by `cli` (shell-quoted). */
export function hookScript(cli: string): string {
  return `#!/bin/sh
${HOOK_MARK}
# Installed by \`${TOOL} install-git-hooks\`: refuses a commit whose staged annotation sidecars
# are invalid or not canonical. Remove it with \`${TOOL} install-git-hooks --uninstall\`.
chained="$(dirname "$0")/pre-commit${CHAINED_SUFFIX}"
if [ -f "$chained" ]; then
  "$chained" "$@" || exit $?
fi
cli=${cli}
if ! command -v node >/dev/null 2>&1; then
  echo "${TOOL} pre-commit hook: node is not on PATH; install Node.js (or commit with --no-verify)" >&2
  exit 1
fi
if [ ! -f "$cli" ]; then
  echo "${TOOL} pre-commit hook: $cli is gone (cache cleared?); run '${TOOL} install-git-hooks' again (or commit with --no-verify)" >&2
  exit 1
fi
exec node "$cli" pre-commit
`;
}

export function isOurHook(text: string): boolean {
  return text.split('\n').some((l) => l.trim() === HOOK_MARK);
}

/** Where git runs hooks from, absolute (core.hooksPath or the common git dir's hooks). */
async function hooksDir(top: string): Promise<string> {
  const r = await git(['rev-parse', '--git-path', 'hooks'], top);
  if (r.code !== 0) throw new Error(`git rev-parse --git-path hooks failed: ${r.stderr.trim()}`);
  return path.resolve(top, r.stdout.toString('utf8').trim());
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export async function installGitHooksCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('install-git-hooks', argv, {
    chain: { type: 'boolean' },
    force: { type: 'boolean' },
    uninstall: { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(HOOKS_HELP);
    return 0;
  }
  if (positionals.length) throw new UsageError(`unexpected argument '${positionals[0]}' (it configures the repository of the current directory)`, 'install-git-hooks');
  if (flags.chain && flags.force) throw new UsageError('--chain and --force exclude each other (keep the existing hook, or replace it)', 'install-git-hooks');
  if (flags.uninstall && (flags.chain || flags.force)) throw new UsageError('--chain and --force have no use with --uninstall', 'install-git-hooks');
  const dry = flags['dry-run'] === true;
  const would = dry ? 'would ' : '';
  const top = await gitTopLevel(io.cwd);
  if (top === undefined) {
    io.stderr(`${TOOL} install-git-hooks: ${io.cwd} is not inside a git repository (run it in your clone)\n`);
    return 1;
  }
  const dir = await hooksDir(top);
  const hook = path.join(dir, 'pre-commit');
  const chained = hook + CHAINED_SUFFIX;
  const backup = hook + BACKUP_SUFFIX;
  const current = readIfExists(hook);

  if (flags.uninstall) {
    if (current === undefined || !isOurHook(current)) {
      io.stderr(`nothing to do: ${hook} is ${current === undefined ? 'not there' : 'not the hook this tool installs (left alone)'}\n`);
      return 0;
    }
    io.stdout(`${hook}: ${would}remove\n`);
    const restore = fs.existsSync(chained) ? chained : fs.existsSync(backup) ? backup : undefined;
    if (restore) io.stdout(`${restore}: ${would}put back as ${hook}\n`);
    if (!dry) {
      fs.rmSync(hook);
      if (restore) fs.renameSync(restore, hook);
    }
    return 0;
  }

  const safe = await safeDriverCommand(top, dry, io);
  if (typeof safe !== 'string') {
    io.stderr(`${TOOL} install-git-hooks: ${safe.error}\n`);
    return 1;
  }
  const script = hookScript(safe.replace(/^node /, ''));
  if (current !== undefined && !isOurHook(current)) {
    const keep = flags.chain ? chained : flags.force ? backup : undefined;
    if (keep === undefined) {
      io.stderr(`${TOOL} install-git-hooks: ${hook} already exists and is not this tool's; it was left as it is. `
        + `Run again with --chain to keep it and run it before the check (it becomes pre-commit${CHAINED_SUFFIX}), `
        + `or with --force to replace it (it is kept as pre-commit${BACKUP_SUFFIX}; --uninstall puts it back)\n`);
      return 1;
    }
    if (fs.existsSync(keep)) {
      io.stderr(`${TOOL} install-git-hooks: ${keep} already exists, so ${hook} cannot be moved there; move one of them yourself first\n`);
      return 1;
    }
    io.stdout(`${hook}: ${would}rename to ${path.basename(keep)}${flags.chain ? ' (run before the check)' : ''}\n`);
    if (!dry) fs.renameSync(hook, keep);
  } else if (current === script) {
    io.stderr(`nothing to do: the pre-commit hook is installed (${hook})\n`);
    return 0;
  }
  io.stdout(`${hook}: ${would}${current === undefined || !isOurHook(current) ? 'write' : 'update'} the pre-commit hook (${safe} pre-commit)\n`);
  if (!dry) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${hook}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script, { mode: 0o755 });
    fs.chmodSync(tmp, 0o755); // whatever the umask
    fs.renameSync(tmp, hook);
  }
  if (isInside(realPathOfFuture(dir), realPathOfFuture(top))) {
    io.stderr(`note: core.hooksPath puts the hook inside the work tree (${path.relative(top, hook)}); it names a file in your cache, so do not commit it (use the pre-commit framework for a versioned hook)\n`);
  }
  if (!dry) io.stderr(`pre-commit hook installed in ${dir}: commits with invalid or non-canonical sidecars are refused (\`git commit --no-verify\` skips the check)\n`);
  return 0;
}

