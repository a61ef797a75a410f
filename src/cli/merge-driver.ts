// `corpus-annotator merge-driver %O %A %B %P`: git's merge driver for sidecars (see
// install-git-drivers), and `corpus-annotator resolve [--ours|--theirs] FILE…`, which settles the
// conflicts it leaves, or merges a sidecar left with raw git conflict markers as sets of entities.
import * as path from 'node:path';
import { OverlapPolicy } from '../core/config/config';
import { atFileLine, Conflict, mergeSidecars, MergeResult, readConflictedSidecar, resolveConflicts, Side, splitConflictMarkers, wholeFileConflict, writeConflictedSidecar } from '../core/review/merge';
import { isSidecarPath, Sidecar, sidecarPathOf } from '../core/model/model';
import { Problem } from '../core/model/problems';
import { readSidecar } from '../core/sidecar/sidecar-read';
import { parseCommandArgs, plural, TOOL, UsageError } from './args';
import { decodeUtf8, Workspace, writeFileAtomic } from './files';
import { git, readFilesAt } from './git-drivers';
import { theirsMissing, UnmergedIndex } from './git-unmerged';
import { describeFsError, errorCode, Io } from './io';

export const MERGE_DRIVER_HELP = `Usage: ${TOOL} merge-driver BASE OURS THEIRS [PATH]

git's merge driver for annotation sidecars (git passes %O %A %B %P; set it up with
\`${TOOL} install-git-drivers\`). Merges the three versions as sets of entities keyed
by id and writes the result, in canonical form, over OURS:

  - an entity added on one side is kept; deleted on one side and unchanged on the other,
    deleted; changed on one side, that change; changed on both, merged field by field
    (label, span, note, attrs…), a field changed differently on both sides being a conflict;
    deleted on one side and changed on the other is a conflict;
  - entities new on both sides: the same span and label is kept once; the same span with
    different labels, or overlapping spans the overlap policy of the nearest
    .corpus-annotator.yaml (from PATH's directory; default nested) forbids, is a conflict;
  - status: 3-way; changed differently on both sides, the less advanced one (noted);
  - sha256: when ours and theirs annotate different versions of the article, the entities
    are merged anyway and the older sha256 is kept, so \`${TOOL} validate\` re-checks every
    entity against the merged article (noted).

On conflict the sidecar stays valid YAML: the settled entities under \`entities:\` and each
conflict, with both sides' entities, under \`conflicts:\`, which \`validate\` (and VS Code's
Problems panel) reports as an error until \`${TOOL} resolve --ours|--theirs PATH\`.
When OURS or THEIRS is not a valid sidecar, falls back to git's line merge (with diff3
markers, which \`${TOOL} resolve\` understands). An empty OURS or THEIRS (0 bytes or
blank: truncated; only BASE may be "no file yet") is never merged: both versions are left
whole between diff3 markers (exit 1), since any merge would delete every entity the other
side kept. A side that deleted every entity while the other changed entities gives a
conflict for each entity it dropped. At most 20 notes and 20 conflicts are printed, then
a count (every conflict is in the file).

Exit status: 0 merged cleanly, 1 conflicts left (git then reports a conflict), 2 usage.

Example (what install-git-drivers configures; <copy> is this tool copied into your cache
directory, never a file inside the repository: see install-git-drivers --help):
  git config merge.corpus-annotator.driver "node <copy>/dist/cli.js merge-driver %O %A %B %P"
`;

export const RESOLVE_HELP = `Usage: ${TOOL} resolve [--ours | --theirs] FILE…

Settles annotation conflicts in sidecars (FILE is a sidecar or its article):

  - a sidecar with a \`conflicts:\` list (left by the merge driver): --ours keeps ours'
    version of every conflicting entity, --theirs theirs'. Without either, lists them.
  - a sidecar with raw git conflict markers (<<<<<<< ======= >>>>>>>, from a merge made
    without the merge driver): both sides of the markers are read as sidecars and merged
    as sets of entities: 3-way when the markers include the base (merge.conflictStyle
    diff3 or zdiff3) or, in the middle of a git merge, from git's index; else 2-way: the
    union by id (so an entity deleted on one side comes back), an id with different
    content on the two sides becoming a conflict (kept under \`conflicts:\`, or settled
    by --ours/--theirs).
  - a sidecar git still lists as unmerged (\`git ls-files -u\`) whose file is ours'
    version without theirs' changes (the merge driver could not run): the merge is
    rebuilt from git's index (stages 1, 2, 3), as the driver would have made it.
  - markers around an empty side (left by the merge driver for a truncated sidecar):
    choose the other side with --ours or --theirs.

"ours" is the side between <<<<<<< and ======= (in a rebase, that is the branch being
rebased onto; theirs is your commit). The result is written in canonical form; then
\`git add FILE\`.

Options:
      --ours     keep ours' version of each conflicting entity
      --theirs   keep theirs' version
  -h, --help     show this help

Exit status: 0 every file resolved, 1 conflicts left or a file could not be resolved,
2 usage error.

Examples:
  ${TOOL} resolve corpus/a.txt.ann.yaml             # list the conflicts, or merge raw markers
  ${TOOL} resolve --theirs corpus/a.txt.ann.yaml
  git diff --name-only --diff-filter=U | grep '\\.ann\\.yaml$' | xargs ${TOOL} resolve --ours
`;

export async function mergeDriverCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('merge-driver', argv, { help: { type: 'boolean', short: 'h' } });
  if (flags.help) {
    io.stdout(MERGE_DRIVER_HELP);
    return 0;
  }
  if (positionals.length < 3 || positionals.length > 4) throw new UsageError('expected BASE OURS THEIRS [PATH] (git passes %O %A %B %P)', 'merge-driver');
  const [basePath, oursPath, theirsPath, name] = positionals as [string, string, string, string | undefined];
  const ws = new Workspace(io);
  const shown = name ?? oursPath;
  const read = async (p: string): Promise<string | undefined> => {
    try {
      return decodeUtf8(await io.fs.readFile(ws.resolve(p)));
    } catch (e) {
      if (errorCode(e) === 'ENOENT') return '';
      throw e;
    }
  };
  const [baseSrc, oursSrc, theirsSrc] = await Promise.all([read(basePath), read(oursPath), read(theirsPath)]);
  // Only the base may be "no file yet". An empty ours or theirs is a truncated file, not a decision
  // to delete every entity: both versions stay whole between markers, and git reports a conflict.
  const blank = (s: string | undefined) => s !== undefined && s.trim() === '';
  if (blank(oursSrc) && blank(theirsSrc)) return 0;
  if (blank(oursSrc) || blank(theirsSrc)) {
    const [empty, other, src] = blank(oursSrc) ? ['ours', 'theirs', oursSrc] : ['theirs', 'ours', theirsSrc];
    io.stderr(`${shown}: cannot merge as sets of entities: ${empty} is empty (${src === '' ? '0 bytes' : 'blank'}), and merging it would delete every entity ${other} kept; `
      + `both versions are left whole between conflict markers: keep ${other}' with \`${TOOL} resolve --${other} ${shown}\`\n`);
    await writeFileAtomic(io, ws.resolve(oursPath), wholeFileConflict(oursSrc ?? '', baseSrc, theirsSrc ?? ''), () => true);
    return 1;
  }
  const ours = oursSrc === undefined ? 'it is not UTF-8' : forMerge(oursSrc);
  const theirs = theirsSrc === undefined ? 'it is not UTF-8' : forMerge(theirsSrc);
  if (typeof ours === 'string' || typeof theirs === 'string') {
    const why = typeof ours === 'string' ? `ours is not a valid sidecar (${ours})` : `theirs is not a valid sidecar (${theirs as string})`;
    io.stderr(`${shown}: cannot merge as sets of entities: ${why}; merging as text instead\n`);
    return textMerge(io, ws, basePath, oursPath, theirsPath);
  }
  let base: Sidecar | undefined;
  if (baseSrc !== undefined && baseSrc.trim() !== '') {
    const b = forMerge(baseSrc, true);
    if (typeof b === 'string') io.stderr(`${shown}: note: the common ancestor is not a valid sidecar (${b}); merging 2-way\n`);
    else base = b;
  }
  const overlap = await overlapFor(ws, name ?? oursPath);
  const result = mergeSidecars({ base, ours, theirs, overlap });
  await writeFileAtomic(io, ws.resolve(oursPath), writeConflictedSidecar(result.sidecar, result.conflicts), () => true);
  report(io, shown, result);
  return result.conflicts.length ? 1 : 0;
}

/** A side of a merge as a model; the settled part of a sidecar with `conflicts:` only for the base. */
function forMerge(source: string, isBase = false): Sidecar | string {
  const c = readConflictedSidecar(source);
  if (c.sidecar && (isBase || c.conflicts.length === 0)) return c.sidecar;
  if (c.conflicts.length) return 'it has unresolved conflicts';
  const p = c.problems[0];
  return p ? `line ${p.line}: ${p.message}` : 'it cannot be read';
}

async function overlapFor(ws: Workspace, file: string): Promise<OverlapPolicy> {
  const abs = ws.resolve(file);
  const entry = await ws.configFor(abs, { abs: path.dirname(abs), display: path.dirname(file) });
  return entry.config.overlap;
}

/** Lines of notes, and of conflicts, printed for one file; the rest is counted (git shows all of stderr). */
const REPORT_LINES = 20;

function report(io: Io, shown: string, result: MergeResult): void {
  for (const note of result.notes.slice(0, REPORT_LINES)) io.stderr(`${shown}: note: ${note}\n`);
  if (result.notes.length > REPORT_LINES) {
    io.stderr(`${shown}: … and ${result.notes.length - REPORT_LINES} more notes like these (${result.notes.length} in all)\n`);
  }
  if (!result.conflicts.length) return;
  io.stderr(`${shown}: ${plural(result.conflicts.length, 'annotation conflict')}, kept under \`conflicts:\` (the sidecar stays valid YAML):\n`);
  for (const c of result.conflicts.slice(0, REPORT_LINES)) io.stderr(`  ${c.id}: ${c.reason}\n`);
  if (result.conflicts.length > REPORT_LINES) {
    io.stderr(`  … and ${result.conflicts.length - REPORT_LINES} more conflicts: see \`conflicts:\` in the file, or \`${TOOL} resolve ${shown}\`\n`);
  }
  io.stderr(`  resolve with: ${TOOL} resolve --ours ${shown}   (or --theirs; or edit the file)\n`);
}

/** git's own line merge into OURS, with diff3 markers (which `resolve` reads 3-way). */
async function textMerge(io: Io, ws: Workspace, basePath: string, oursPath: string, theirsPath: string): Promise<number> {
  try {
    const r = await git(['merge-file', '--diff3', '-L', 'ours', '-L', 'base', '-L', 'theirs', ws.resolve(oursPath), ws.resolve(basePath), ws.resolve(theirsPath)], io.cwd);
    return r.code === 0 ? 0 : 1;
  } catch (e) {
    io.stderr(`cannot run git merge-file: ${describeFsError(e)}\n`);
    return 1;
  }
}

export async function resolveCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('resolve', argv, {
    ours: { type: 'boolean' },
    theirs: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(RESOLVE_HELP);
    return 0;
  }
  if (flags.ours && flags.theirs) throw new UsageError('choose one of --ours and --theirs', 'resolve');
  if (positionals.length === 0) throw new UsageError('which sidecar? (e.g. corpus/a.txt.ann.yaml)', 'resolve');
  const side: Side | undefined = flags.ours ? 'ours' : flags.theirs ? 'theirs' : undefined;
  const ws = new Workspace(io);
  let failed = 0;
  for (const arg of positionals) {
    const display = isSidecarPath(arg) ? arg : sidecarPathOf(arg);
    const ok = await resolveOne(io, ws, display, side).catch((e: unknown) => {
      io.stderr(`${display}: error: ${describeFsError(e)}\n`);
      return false;
    });
    if (!ok) failed++;
  }
  return failed ? 1 : 0;
}

async function resolveOne(io: Io, ws: Workspace, display: string, side: Side | undefined): Promise<boolean> {
  const abs = ws.resolve(display);
  const bytes = await io.fs.readFile(abs);
  const source = decodeUtf8(bytes);
  if (source === undefined) {
    io.stderr(`${display}: error: not valid UTF-8\n`);
    return false;
  }
  const write = async (sidecar: Sidecar, conflicts: Conflict[]) => {
    const outcome = await writeFileAtomic(io, abs, writeConflictedSidecar(sidecar, conflicts), (now) => Buffer.from(now).equals(Buffer.from(bytes)));
    if (outcome === 'changed') throw new Error('the file changed on disk while being resolved; run resolve again');
  };
  const problem = (what: string, p: Problem | undefined) => io.stderr(`${display}: error: ${what}${p ? `: line ${p.line}: ${p.message}` : ''}\n`);

  const markers = splitConflictMarkers(source);
  if (typeof markers === 'string') {
    io.stderr(`${display}: error: ${markers}\n`);
    return false;
  }
  if (markers) {
    const emptied = markers.ours.trim() === '' ? 'ours' : markers.theirs.trim() === '' ? 'theirs' : undefined;
    if (emptied) {
      // One side was emptied (see the merge driver): nothing to merge, only a side to choose.
      const other: Side = emptied === 'ours' ? 'theirs' : 'ours';
      if (side !== other) {
        io.stderr(`${display}: error: ${emptied}' version (${emptied === 'ours' ? 'between <<<<<<< and =======' : 'between ======= and >>>>>>>'}) is empty (the sidecar was emptied on that side), so there is nothing to merge and an empty sidecar is never written; `
          + `keep ${other}' version with \`${TOOL} resolve --${other} ${display}\`, or delete the file if no annotation is wanted\n`);
        return false;
      }
      const kept = readSidecar(markers[other]);
      const keptProblem = kept.problems[0];
      if (!kept.sidecar) return problem(`${other}' version is not a valid sidecar`, keptProblem && atFileLine(keptProblem, markers, other)), false;
      await write(kept.sidecar, []);
      io.stdout(`${display}: ${emptied}' version was empty: kept ${other}' version (${plural(kept.sidecar.entities.length, 'entity', 'entities')})\n`);
      return true;
    }
    const ours = readSidecar(markers.ours);
    const theirs = readSidecar(markers.theirs);
    // Lines as the file numbers them, not as each version alone would.
    const first = (r: { problems: Problem[] }, s: Side) => (r.problems[0] ? atFileLine(r.problems[0], markers, s) : undefined);
    if (!ours.sidecar) return problem('ours\' version (between <<<<<<< and =======) is not a valid sidecar', first(ours, 'ours')), false;
    if (!theirs.sidecar) return problem('theirs\' version (between ======= and >>>>>>>) is not a valid sidecar', first(theirs, 'theirs')), false;
    let base: Sidecar | undefined;
    let baseFrom = 'the markers carry the base';
    if (markers.base !== undefined) {
      base = readSidecar(markers.base).sidecar;
      if (!base) io.stderr(`${display}: note: the base version in the diff3 markers is not a valid sidecar; merging 2-way\n`);
    } else {
      // In the middle of a git merge, the index holds the common ancestor (stage 1).
      const staged = await mergeBaseFromIndex(abs);
      if (staged !== undefined) {
        base = readSidecar(staged).sidecar;
        baseFrom = 'the base from git\'s index';
      }
    }
    const result = mergeSidecars({ base, ours: ours.sidecar, theirs: theirs.sidecar, overlap: await overlapFor(ws, display) });
    const how = `${base ? `3-way (${baseFrom})` : '2-way (union by id)'}, ${plural(markers.hunks, 'conflict hunk')}`;
    return settle(io, display, result, how, side, write);
  }

  const c = readConflictedSidecar(source);
  if (c.conflicts.length === 0) {
    const stages = await new UnmergedIndex().stagesOf(abs);
    if (stages && theirsMissing(bytes, stages)) {
      // git left ours' file without markers (its merge driver did not run): merge the index's stages.
      const side3 = (b: Buffer | undefined) => (b === undefined ? undefined : readSidecar(b.toString('utf8')));
      const [base3, ours3, theirs3] = [side3(stages.base), side3(stages.ours), side3(stages.theirs)];
      if (!ours3?.sidecar) return problem('ours\' version in git\'s index (stage 2) is not a valid sidecar', ours3?.problems[0]), false;
      if (!theirs3?.sidecar) return problem('theirs\' version in git\'s index (stage 3) is not a valid sidecar', theirs3?.problems[0]), false;
      const result = mergeSidecars({ base: base3?.sidecar, ours: ours3.sidecar, theirs: theirs3.sidecar, overlap: await overlapFor(ws, display) });
      const how = `${base3?.sidecar ? '3-way' : '2-way'} from git's index (its merge driver did not run and left ours' version)`;
      return settle(io, display, result, how, side, write);
    }
    if (c.sidecar) {
      io.stdout(`${display}: nothing to resolve${stages ? ' (git still lists it as unmerged: `git add` it to finish the merge)' : ''}\n`);
      return true;
    }
    return problem('not a valid sidecar', c.problems[0]), false;
  }
  if (!c.sidecar) return problem('cannot resolve', c.problems[0]), false;
  if (!side) {
    io.stdout(`${display}: ${plural(c.conflicts.length, 'unresolved conflict')}:\n`);
    for (const x of c.conflicts) io.stdout(`  ${x.id}: ${x.reason}\n`);
    io.stdout(`  choose a side: ${TOOL} resolve --ours ${display}   (or --theirs)\n`);
    return false;
  }
  await write(resolveConflicts(c.sidecar, c.conflicts, side), []);
  io.stdout(`${display}: ${plural(c.conflicts.length, 'conflict')} resolved with --${side} (${side === 'ours' ? 'our' : 'their'} version kept)\n`);
  return true;
}

/** Writes a merge `resolve` made (settled with --ours/--theirs when given) and says what it did. */
async function settle(io: Io, display: string, result: MergeResult, how: string, side: Side | undefined, write: (s: Sidecar, c: Conflict[]) => Promise<void>): Promise<boolean> {
  for (const note of result.notes) io.stderr(`${display}: note: ${note}\n`);
  if (side && result.conflicts.length) {
    await write(resolveConflicts(result.sidecar, result.conflicts, side), []);
    io.stdout(`${display}: merged both sides as sets of entities, ${how}; ${plural(result.conflicts.length, 'conflict')} settled with --${side} (${side === 'ours' ? 'our' : 'their'} version kept)\n`);
    return true;
  }
  await write(result.sidecar, result.conflicts);
  if (!result.conflicts.length) {
    io.stdout(`${display}: merged both sides as sets of entities, ${how}: no conflict left (${plural(result.sidecar.entities.length, 'entity', 'entities')})\n`);
    return true;
  }
  io.stdout(`${display}: merged both sides as sets of entities, ${how}; ${plural(result.conflicts.length, 'conflict')} kept under \`conflicts:\`:\n`);
  for (const c of result.conflicts) io.stdout(`  ${c.id}: ${c.reason}\n`);
  io.stdout(`  settle them with: ${TOOL} resolve --ours ${display}   (or --theirs)\n`);
  return false;
}

/** The common ancestor's version of a file being merged (git's index stage 1), if git has one. */
async function mergeBaseFromIndex(abs: string): Promise<string | undefined> {
  try {
    const spec = `:1:./${path.basename(abs)}`;
    const bytes = (await readFilesAt([spec], path.dirname(abs))).get(spec);
    return bytes === undefined ? undefined : decodeUtf8(bytes);
  } catch {
    return undefined; // no git, not a repository
  }
}
