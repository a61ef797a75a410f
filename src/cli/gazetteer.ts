// `corpus-annotator gazetteer [paths…] [--out F]`: the gazetteer of a corpus's own annotations
// (every annotated surface form with its most frequent label), to pre-annotate new articles with
// `corpus-annotator suggest`.
import { buildGazetteer } from '../core/suggest/build-gazetteer';
import { Sidecar } from '../core/model/model';
import { parseCommandArgs, plural, TOOL, UsageError } from './args';
import { checkSidecar, ConfigGate } from './check';
import { formatPathError, Workspace } from './files';
import { describeFsError, Io, openOutput, Output } from './io';

export const GAZETTEER_HELP = `Usage: ${TOOL} gazetteer [options] [paths…]

Builds a gazetteer from the annotations of the sidecars under the given paths: one
line per surface form annotated somewhere, "surface<TAB>label[<TAB>kb id]", with the
label it was given most often (a tie goes to the first label in alphabetical order)
and the kb id (attrs.kb) when every occurrence that has one agrees. Suggestions
(suggested: true) are not annotations and are left out. Runs of spaces and line
breaks inside a surface become one space. The output is sorted and deterministic.

Surfaces given several labels are listed on stderr with their counts, e.g.
  gazetteer: "Rabat": LOC 5, ORG 2 → LOC
so you can fix the annotations or edit the gazetteer. Sidecars with errors are left
out (see \`${TOOL} validate\`).

Options:
  -o, --out F         write the gazetteer to F (replaced atomically; a FIFO or device
                      is written through, a symbolic link followed; - is stdout)
      --min-count N   leave out surfaces annotated fewer than N times (default 1)
  -q, --quiet         only the summary, not each conflicting surface
  -h, --help          show this help

Exit status: 0 written, 1 a sidecar was invalid or a file could not be read or
written, 2 usage error.

Examples:
  ${TOOL} gazetteer corpus/ > gazetteer.tsv
  ${TOOL} gazetteer --min-count 2 --out gazetteer.tsv corpus/
  ${TOOL} suggest --gazetteer gazetteer.tsv new-articles/
`;

export async function gazetteerCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('gazetteer', argv, {
    out: { type: 'string', short: 'o' },
    'min-count': { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(GAZETTEER_HELP);
    return 0;
  }
  let minCount = 1;
  if (flags['min-count'] !== undefined) {
    minCount = Number(flags['min-count']);
    if (!Number.isSafeInteger(minCount) || minCount < 1) throw new UsageError(`--min-count must be a whole number from 1 ('${String(flags['min-count'])}')`, 'gazetteer');
  }
  const out = typeof flags.out === 'string' ? flags.out : undefined;
  if (out === '') throw new UsageError('--out needs a file name', 'gazetteer');
  const quiet = flags.quiet === true;

  const ws = new Workspace(io);
  const found = await ws.discover(positionals);
  for (const e of found.errors) io.stderr(formatPathError(e) + '\n');
  const docs: Array<{ path: string; sidecar: Sidecar }> = [];
  let invalid = 0;
  const gate = new ConfigGate((t) => io.stderr(t));
  for (const target of found.sidecars) {
    const check = await checkSidecar(ws, target);
    const blocked = gate.check(check.config);
    if (blocked) {
      invalid++;
      io.stderr(`${target.display}: error: left out: ${blocked}\n`);
      continue;
    }
    const errors = check.problems.filter((p) => p.severity === 'error');
    const sidecar = check.parsed?.sidecar;
    if (!sidecar || errors.length) {
      invalid++;
      const first = errors[0];
      io.stderr(`${target.display}: error: left out, the sidecar is invalid${first ? ` (line ${first.line}: ${first.message})` : ''}\n`);
      continue;
    }
    docs.push({ path: target.display, sidecar });
  }
  const built = buildGazetteer(docs, { minCount });
  if (!quiet) {
    for (const c of built.conflicts) {
      const counts = Object.entries(c.labels).map(([l, n]) => `${l} ${n}`).join(', ');
      io.stderr(`gazetteer: "${c.surface}": ${counts} → ${c.chosen}${c.tie ? ' (a tie: the first label in alphabetical order)' : ''}\n`);
    }
    for (const c of built.kbConflicts) {
      const counts = Object.entries(c.kbs).map(([k, n]) => `${k} ${n}`).join(', ');
      io.stderr(`gazetteer: "${c.surface}" ${c.label}: kb ids disagree (${counts}): no kb written\n`);
    }
    for (const s of built.skipped) io.stderr(`gazetteer: "${s}": left out (a gazetteer line starting with # is a comment)\n`);
  }
  if (out === undefined) {
    io.stdout(built.tsv);
  } else {
    let output: Output | undefined;
    try {
      output = await openOutput(io, out === '-' ? out : ws.resolve(out));
      await output.write(built.tsv);
      await output.commit();
    } catch (e) {
      await output?.abort();
      io.stderr(`${out}: error: cannot write the gazetteer: ${describeFsError(e)}\n`);
      return 1;
    }
  }
  let summary = `gazetteer: ${plural(built.documents, 'document')}, ${plural(built.entities, 'entity', 'entities')}: ${plural(built.entries.length, 'surface form')}`;
  const notes = [
    built.conflicts.length ? `${built.conflicts.length} with several labels` : '',
    built.kbConflicts.length ? `${built.kbConflicts.length} with disagreeing kb ids` : '',
  ].filter(Boolean);
  if (notes.length) summary += ` (${notes.join(', ')})`;
  if (invalid) summary += `; ${plural(invalid, 'invalid sidecar')} left out`;
  if (out !== undefined) summary += `; written to ${out}`;
  io.stderr(summary + '\n');
  return invalid || found.errors.length ? 1 : 0;
}
