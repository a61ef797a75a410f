// `corpus-annotator fmt [--check] [paths…]`: rewrites valid sidecars in canonical form.
import { Article } from '../core/model/article';
import { dedupeSidecar } from '../core/review/duplicates';
import { baseName, Sidecar } from '../core/model/model';
import { formatProblem, Problem } from '../core/model/problems';
import { writeSidecar } from '../core/sidecar/sidecar-write';
import { parseCommandArgs, plural, TOOL } from './args';
import { checkSidecar, ConfigGate } from './check';
import { formatPathError, rewriteSidecar, Workspace } from './files';
import { describeFsError, Io } from './io';
import { sweepBeforeWriting } from './stale-scratch';

export const FMT_HELP = `Usage: ${TOOL} fmt [options] [paths…]

Rewrites sidecars (*.ann.yaml) in canonical form: the header comment, keys in a fixed
order, one entity per line sorted by position, the same quoting everywhere, so that
diffs and merges stay small. When every entity still matches the article, \`document\`
is set to the article's file name. \`sha256\` is never changed: when it differs from the
article's, the entities need re-anchoring (\`${TOOL} reanchor\`), even if their text is
still at their offsets, since a repeated word may have moved there.

Only valid sidecars are rewritten: one with a structural problem, an entity whose text
does not match the article (or any other error \`${TOOL} validate\` reports) is
reported and left byte-for-byte untouched. Files already canonical are not touched
(their modification time is kept); others are replaced atomically.

Paths are sidecars, articles (standing for their sidecar) or directories, searched
recursively (node_modules and .git are skipped). Default: the current directory.

Options:
      --dedupe  also merge duplicate entities (the same span and label under different
                ids, which \`${TOOL} validate\` warns about) into the one with the older
                (smaller base36) id, taking the others' note and attributes; two
                different notes or attribute values are reported and the file is left
                as it is
      --check   change nothing: list the files that would be reformatted and fail if
                there is one (for CI and pre-commit hooks)
  -q, --quiet   print only errors and the files (re)formatted, no summary
  -h, --help    show this help

Exit status: 0 all sidecars canonical (or reformatted), 1 an invalid or unwritable
sidecar, or with --check a sidecar not in canonical form, 2 usage error.

Examples:
  ${TOOL} fmt
  ${TOOL} fmt corpus/
  ${TOOL} fmt --check corpus/
  git diff --name-only -- '*.ann.yaml' | xargs ${TOOL} fmt
`;

/**
 * The sidecar as fmt writes it: unchanged, except that `document` and `sha256` (when present)
 * follow the article when every entity still matches its text. With a mismatch (or no article)
 * the old hash stays: it is what tells the re-anchoring tool the article moved.
 */
export function canonicalSidecar(sidecar: Sidecar, article?: Article, articleName?: string): Sidecar {
  const out: Sidecar = { ...sidecar };
  if (article === undefined || articleName === undefined) return out;
  const length = article.offsets.codePointLength;
  const allMatch = sidecar.entities.every((e) => e.end <= length && article.offsets.slice(e.start, e.end) === e.text);
  // The hash is left alone: a new one is recorded by reanchor, which checks the entities
  // against the old text's context (text at an old offset can match by chance).
  if (allMatch) out.document = articleName;
  return out;
}

export function canonicalText(sidecar: Sidecar, article?: Article, articleName?: string): string {
  return writeSidecar(canonicalSidecar(sidecar, article, articleName));
}

export async function fmtCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('fmt', argv, {
    check: { type: 'boolean' },
    dedupe: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(FMT_HELP);
    return 0;
  }
  const checkOnly = flags.check === true;
  const quiet = flags.quiet === true;
  const ws = new Workspace(io);
  const found = await ws.discover(positionals);
  for (const e of found.errors) io.stderr(formatPathError(e) + '\n');
  if (!quiet) for (const note of found.notes) io.stderr(`note: ${note}\n`);
  if (!checkOnly) await sweepBeforeWriting(io, found.scratch, quiet);

  let invalid = 0;
  let unwritable = 0;
  let canonical = 0;
  let changed = 0;
  const fail = (path: string, message: string) => {
    const p: Problem = { severity: 'error', code: 'io-error', message, line: 1, column: 1 };
    io.stderr(formatProblem(path, p) + '\n');
  };

  const gate = new ConfigGate((t) => io.stderr(t));
  for (const target of found.sidecars) {
    const check = await checkSidecar(ws, target);
    const blocked = gate.check(check.config);
    if (blocked) {
      invalid++;
      fail(target.display, `not reformatted: ${blocked}`);
      continue;
    }
    const errors = check.problems.filter((p) => p.severity === 'error');
    const sidecar = check.parsed?.sidecar;
    if (errors.length || !sidecar || !check.bytes || !check.article) {
      invalid++;
      for (const p of errors) io.stderr(formatProblem(target.display, p) + '\n');
      continue;
    }
    let model = sidecar;
    let merged = 0;
    if (flags.dedupe === true) {
      const d = dedupeSidecar(sidecar);
      if (d.refused.length) {
        invalid++;
        for (const why of d.refused) fail(target.display, `duplicate entities not merged: ${why}`);
        continue;
      }
      model = d.sidecar;
      merged = d.merged;
    }
    const dedupeNote = merged ? ` (${plural(merged, 'duplicate entity', 'duplicate entities')} merged)` : '';
    const text = canonicalText(model, check.article, baseName(check.articleAbs));
    const bytes = Buffer.from(text, 'utf8');
    if (bytes.equals(check.bytes)) {
      canonical++;
      continue;
    }
    if (checkOnly) {
      changed++;
      io.stdout(`would reformat ${target.display}${dedupeNote}\n`);
      continue;
    }
    try {
      const outcome = await rewriteSidecar(io, target.abs, text, check.bytes);
      if (outcome !== 'written') {
        unwritable++;
        fail(target.display, outcome === 'read-only'
          ? 'this sidecar is read-only, so it was not reformatted; make it writable (e.g. `chmod u+w`) and run fmt again, or leave it as it is'
          : 'this sidecar changed on disk while it was being formatted, so it was not rewritten; run fmt again');
        continue;
      }
    } catch (e) {
      unwritable++;
      fail(target.display, `cannot rewrite this sidecar: ${describeFsError(e)}; it was left as it was`);
      continue;
    }
    changed++;
    io.stdout(`reformatted ${target.display}${dedupeNote}\n`);
  }

  if (!quiet) {
    const parts = [
      `${changed} ${checkOnly ? 'would be reformatted' : 'reformatted'}`,
      `${canonical} already canonical`,
    ];
    if (invalid) parts.push(`${invalid} invalid (not reformatted; see \`${TOOL} validate\`)`);
    if (unwritable) parts.push(`${unwritable} could not be written`);
    io.stderr(`${plural(found.sidecars.length, 'sidecar')}: ${parts.join(', ')}\n`);
  }
  const failed = found.errors.length > 0 || invalid > 0 || unwritable > 0 || (checkOnly && changed > 0);
  return failed ? 1 : 0;
}
