// `corpus-annotator validate [paths…]`: checks sidecars against their articles and labels.
import { formatProblem, hasErrors, Problem } from '../core/model/problems';
import { parseCommandArgs, plural, TOOL } from './args';
import { checkSidecar } from './check';
import { formatPathError, Workspace } from './files';
import { unmergedProblem, UnmergedIndex } from './git-unmerged';
import { Io } from './io';
import { staleScratch, staleScratchProblem } from './stale-scratch';

export const VALIDATE_HELP = `Usage: ${TOOL} validate [options] [paths…]

Checks annotation sidecars (*.ann.yaml): their YAML structure, that every entity's
start/end (Unicode code points, end-exclusive) still covers its text in the article
beside it (a.txt.ann.yaml annotates a.txt), that labels are in the label configuration
(the nearest .corpus-annotator.yaml in the sidecar's directory or above; else the
default labels PER ORG LOC DATE EVENT MISC) and its overlap policy. Also: an empty
sidecar (an error: truncated), duplicate entities (a warning: \`${TOOL} fmt --dedupe\`),
and a sidecar git has not finished merging (an error when it lacks theirs' changes:
\`${TOOL} resolve\`; a warning once resolved but not yet \`git add\`ed).

Paths are sidecars, articles (standing for their sidecar) or directories, searched
recursively (node_modules and .git are skipped). Default: the current directory.

Prints one line per problem, \`path:line:col: severity: message\`, and a summary on
stderr. Warnings (unknown label, changed article…) alone do not make it fail.

Options:
  -q, --quiet   print only the problems (no summary, no notes)
      --json    print the results as JSON on stdout
  -h, --help    show this help

Exit status: 0 no errors (warnings allowed), 1 errors found or a file could not be read,
2 usage error.

Examples:
  ${TOOL} validate
  ${TOOL} validate corpus/
  ${TOOL} validate corpus/a.txt.ann.yaml corpus/b.txt
  ${TOOL} validate --quiet corpus || echo "fix the sidecars above"
  ${TOOL} validate --json corpus > report.json
`;

interface FileResult {
  path: string;
  kind: 'sidecar' | 'config' | 'path';
  article?: string;
  problems: Problem[];
}

export async function validateCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('validate', argv, {
    quiet: { type: 'boolean', short: 'q' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(VALIDATE_HELP);
    return 0;
  }
  const json = flags.json === true;
  const quiet = flags.quiet === true;
  const ws = new Workspace(io);
  const found = await ws.discover(positionals);
  // Counted as they come; kept only for --json (whose summary comes first): without it, what was
  // checked is printed and dropped, so memory does not grow with the corpus.
  const results: FileResult[] = [];
  let problemCount = 0;
  let errors = 0;
  const count = (r: FileResult) => {
    problemCount += r.problems.length;
    for (const p of r.problems) if (p.severity === 'error') errors++;
    if (json) results.push(r);
  };
  const print = (r: FileResult) => {
    count(r);
    if (json) return;
    for (const p of r.problems) io.stdout(formatProblem(r.path, p) + '\n');
  };

  for (const e of found.errors) {
    count({ path: e.path, kind: 'path', problems: [{ severity: 'error', code: 'io-error', message: e.message, line: 1, column: 1 }] });
    if (!json) io.stdout(formatPathError(e) + '\n');
  }
  if (!quiet && !json) for (const note of found.notes) io.stderr(`note: ${note}\n`);

  const reportedConfigs = new Set<string>();
  let withErrors = 0;
  const unmerged = new UnmergedIndex();
  for (const target of found.sidecars) {
    const check = await checkSidecar(ws, target);
    const stages = check.bytes && await unmerged.stagesOf(target.abs);
    if (stages && check.bytes) check.problems.push(unmergedProblem(check.bytes, stages));
    const config = check.config;
    if (config.abs !== undefined && !reportedConfigs.has(config.abs)) {
      reportedConfigs.add(config.abs);
      if (config.problems.length) print({ path: config.display ?? config.abs, kind: 'config', problems: config.problems });
    }
    if (hasErrors(check.problems)) withErrors++;
    print({ path: target.display, kind: 'sidecar', article: check.articleDisplay, problems: check.problems });
  }

  // What writers killed mid-write left behind (no sidecar is damaged by it; fmt removes them).
  for (const s of await staleScratch(io, found.scratch)) print({ path: s.target.display, kind: 'path', problems: [staleScratchProblem(s, TOOL)] });
  const warnings = problemCount - errors;
  const summary = {
    sidecars: found.sidecars.length,
    withErrors,
    problems: problemCount,
    errors,
    warnings,
  };
  if (json) {
    io.stdout(JSON.stringify({
      ok: errors === 0,
      summary,
      files: results.map((r) => ({
        path: r.path,
        kind: r.kind,
        ...(r.article !== undefined ? { article: r.article } : {}),
        valid: !hasErrors(r.problems),
        problems: r.problems.map(problemJson),
      })),
    }, null, 2) + '\n');
  }
  if (!quiet) {
    io.stderr(`${plural(summary.sidecars, 'sidecar')} checked: ${withErrors} with errors, ${plural(problemCount, 'problem')} (${plural(errors, 'error')}, ${plural(warnings, 'warning')})\n`);
  }
  return errors > 0 ? 1 : 0;
}

/** A problem as JSON, keys always in the same order. */
export function problemJson(p: Problem): Record<string, unknown> {
  const out: Record<string, unknown> = { severity: p.severity, code: p.code, line: p.line, column: p.column };
  if (p.endLine !== undefined) out.endLine = p.endLine;
  if (p.endColumn !== undefined) out.endColumn = p.endColumn;
  out.message = p.message;
  if (p.entityId !== undefined) out.entityId = p.entityId;
  return out;
}
