// `corpus-annotator pre-commit`: what the pre-commit hook (install-git-hooks) and the pre-commit
// framework's entry run. It checks what the commit will hold, the sidecars as staged in git's index
// (`git show :path`), not the working tree: with `git add -p` the two differ, and a hook reading the
// working tree would pass a commit whose sidecar is broken (or refuse a good one).
import * as path from 'node:path';
import { CONFIG_FILE } from '../core/config/config';
import { baseName, isSidecarPath, sidecarPathOf, articlePathOf } from '../core/model/model';
import { formatProblem, Problem } from '../core/model/problems';
import { parseCommandArgs, plural, TOOL } from './args';
import { checkSidecar, ConfigGate } from './check';
import { Workspace } from './files';
import { canonicalText } from './fmt';
import { git, gitTopLevel, readFilesAt } from './git-drivers';
import { CliFs, Io } from './io';

export const PRE_COMMIT_HELP = `Usage: ${TOOL} pre-commit [options]

Checks the annotation sidecars a commit is about to record, as they are staged in git's
index (not as the working tree holds them): the sidecars staged as added, copied,
modified or renamed, and the sidecar of every staged article. For each one:
  - the checks of \`${TOOL} validate\` (YAML, offsets against the staged article,
    labels of the staged .corpus-annotator.yaml, overlaps), including git conflict
    markers and unresolved \`conflicts:\` entries left by a merge;
  - the check of \`${TOOL} fmt --check\` (canonical form).
Paths git has not finished merging are refused too.

A file the index does not hold (an article kept out of git) is read from the working tree.

It prints one line per problem, \`path:line:col: severity: message\`, and fails when
there is an error, so that git refuses the commit. Warnings do not make it fail.
\`${TOOL} install-git-hooks\` installs a git pre-commit hook that runs this; the
pre-commit framework's hook id is \`corpus-annotator\` (see docs/git-workflow.md).

Options:
  -q, --quiet   print only the problems
  -h, --help    show this help

Exit status: 0 nothing to refuse, 1 errors (the commit is refused) or not in a git
repository, 2 usage error.
`;

export async function preCommitCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags } = parseCommandArgs('pre-commit', argv, {
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(PRE_COMMIT_HELP);
    return 0;
  }
  // File names the pre-commit framework passes (positionals) are ignored: what is staged is read from git.
  const quiet = flags.quiet === true;
  const top = await gitTopLevel(io.cwd);
  if (top === undefined) {
    io.stderr(`${TOOL} pre-commit: ${io.cwd} is not inside a git repository\n`);
    return 1;
  }
  const display = (rel: string) => path.relative(io.cwd, path.join(top, rel)) || rel;
  let errors = 0;
  const report = (file: string, p: Problem) => {
    if (p.severity === 'error') errors++;
    io.stdout(formatProblem(file, p) + '\n');
  };

  const unmerged = await gitLines(['ls-files', '-u', '-z', '--full-name'], top);
  const unmergedPaths = new Set(unmerged.map((r) => r.replace(/^[^\t]*\t/, '')));
  for (const rel of [...unmergedPaths].sort()) {
    report(display(rel), {
      severity: 'error', code: 'unmerged', line: 1, column: 1,
      message: `git has not finished merging this file${isSidecarPath(rel) ? ` (settle it with \`${TOOL} resolve ${display(rel)}\`)` : ''}; then \`git add\` it`,
    });
  }

  const indexed = new Set(await gitLines(['ls-files', '-z', '--full-name'], top));
  const staged = await gitLines(['diff', '--cached', '--name-only', '-z', '--diff-filter=ACMR'], top);
  const sidecars = new Set<string>();
  for (const rel of staged) {
    if (unmergedPaths.has(rel)) continue;
    if (isSidecarPath(rel)) sidecars.add(rel);
    else if (indexed.has(sidecarPathOf(rel))) sidecars.add(sidecarPathOf(rel)); // an article edit can break its sidecar
  }
  const wanted = new Set<string>();
  for (const rel of sidecars) {
    wanted.add(rel);
    if (indexed.has(articlePathOf(rel))) wanted.add(articlePathOf(rel));
  }
  for (const rel of indexed) if (baseName(rel) === CONFIG_FILE) wanted.add(rel);
  const blobs = await readFilesAt([...wanted].map((rel) => `:${rel}`), top);

  // The index first, the working tree for what it does not hold: checkSidecar reads through this.
  const readFile = (async (p: string, ...rest: unknown[]) => {
    const rel = path.relative(top, path.resolve(String(p))).split(path.sep).join('/');
    const blob = wanted.has(rel) ? blobs.get(`:${rel}`) : undefined;
    if (blob !== undefined) return blob;
    return (io.fs.readFile as (...a: unknown[]) => Promise<Buffer>)(p, ...rest);
  }) as CliFs['readFile'];
  const ws = new Workspace({ ...io, fs: { ...io.fs, readFile } });
  const anchor = { abs: top, display: path.relative(io.cwd, top) || '.' };
  const gate = new ConfigGate((t) => {
    errors++;
    io.stdout(t);
  });
  for (const rel of [...sidecars].sort()) {
    const abs = path.join(top, rel);
    const file = display(rel);
    const check = await checkSidecar(ws, { abs, display: file, anchor, explicit: true });
    gate.check(check.config);
    for (const p of check.problems) report(file, p);
    const sidecar = check.parsed?.sidecar;
    if (check.problems.some((p) => p.severity === 'error') || !sidecar || !check.article || !check.source) continue;
    const canonical = canonicalText(sidecar, check.article, baseName(check.articleAbs));
    if (canonical !== check.source) {
      report(file, {
        severity: 'error', code: 'not-canonical', line: firstDifferentLine(check.source, canonical), column: 1,
        message: `not in canonical form (\`${TOOL} fmt --check\` fails from this line on); run \`${TOOL} fmt ${file}\`, then \`git add ${file}\``,
      });
    }
  }
  if (!quiet) {
    const what = `${TOOL} pre-commit: ${plural(sidecars.size, 'staged sidecar')} checked`;
    io.stderr(errors
      ? `${what}: ${plural(errors, 'error')}, commit refused. Fix them and \`git add\` the files (or commit with --no-verify to skip this check)\n`
      : `${what}: no errors\n`);
  }
  return errors ? 1 : 0;
}

/** The NUL-separated records git prints. */
async function gitLines(args: string[], top: string): Promise<string[]> {
  const r = await git(args, top);
  if (r.code !== 0) throw new Error(`git ${args[0]} failed: ${r.stderr.trim()}`);
  return r.stdout.toString('utf8').split('\0').filter((s) => s !== '');
}

/** The 1-based line where `a` and `b` first differ. */
function firstDifferentLine(a: string, b: string): number {
  const la = a.split('\n');
  const lb = b.split('\n');
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  return i + 1;
}
