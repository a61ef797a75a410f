// `corpus-annotator diff A B [paths…]`: what changed in the annotations between two git revisions,
// directories or sidecar files, entity by entity; `diff --textconv FILE`: the one-entity-per-line
// rendering git's textconv driver shows. Also the loader of "two sides" that `agree` shares.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { countDiffs, diffSidecars, DocumentDiff, EntityChange, formatDocumentDiff, isEmptyDiff, matchRenames, RenameCandidate, textconv } from '../core/review/annotation-diff';
import { readConflictedSidecar } from '../core/review/merge';
import { articlePathOf, baseName, cmp, Entity, isSidecarPath, Sidecar, sidecarPathOf } from '../core/model/model';
import { parseCommandArgs, plural, TOOL, UsageError } from './args';
import { decodeUtf8, Workspace } from './files';
import { gitTopLevel, listFilesAt, readFilesAt, resolveRevision } from './git-drivers';
import { describeFsError, Io } from './io';

export const DIFF_HELP = `Usage: ${TOOL} diff [options] A B [paths…]
       ${TOOL} diff --textconv FILE

Shows how the annotations changed from A to B, entity by entity (entities are matched
by id): added (+), removed (-), changed (~: relabelled, boundary changed, note, attrs,
by or src changed), and each document's status and article hash (sha256) changes.
One line per change, naming the article and the span, e.g.

  + PER «Abdellatif Hammouchi» corpus/003_3e55259b9cbe4b4c.txt:5547-5567 [k3f9a2]
  ~ ORG «DGSN» corpus/a.txt:20-24 [b81c0d]  label PER → ORG
  ~ PER «Laftit» corpus/a.txt:30-36 [q0m2zz]  span 27-36 «M. Laftit» → 30-36

A and B are each a git revision (HEAD, main, a1b2c3d, HEAD~2…; the sidecars are read
from git, nothing is checked out), a directory (its sidecars, recursively) or a sidecar
(or its article). A path on disk wins over a revision of the same name. Documents are
paired by their path in the repository when a revision is involved, else by their path
under each directory (two files are compared with each other).
paths… restrict the comparison to those files or directories (relative to the current
directory with a revision; to each directory otherwise).

With --textconv FILE, prints FILE as git's textconv driver shows it (set up by
\`${TOOL} install-git-drivers\`): the header, then one line per entity in canonical
order, \`PER  «Abdellatif Hammouchi»  5547-5567  [k3f9a2]\` plus its note, attrs, by, src.

Options:
      --json        print the differences as JSON
      --exit-code   exit 1 when there are differences (like git diff --exit-code)
      --textconv    render one sidecar for git (see above)
  -h, --help        show this help

Exit status: 0 (with --exit-code: no differences), 1 differences with --exit-code, or a
sidecar could not be read, 2 usage error.

Examples:
  ${TOOL} diff HEAD~1 HEAD                  # what the last commit changed
  ${TOOL} diff main .                       # your working tree against main
  ${TOOL} diff main alice-review corpus/    # two branches, only corpus/
  ${TOOL} diff alice/ bob/                  # two annotators' copies of a corpus
  ${TOOL} diff --json HEAD . | jq '.documents[].changes[]'
  git diff HEAD~1 -- '*.ann.yaml'           # same, through the textconv driver
`;

export type SideKind = 'rev' | 'dir' | 'file';

export interface SideSpec {
  spec: string;
  kind: SideKind;
  /** Working-tree sides: the absolute path (a file side: its sidecar). */
  abs?: string;
  /** Revision sides: the commit. */
  commit?: string;
}

/** One sidecar of one side, read lazily. */
export interface SideEntry {
  /** Where it is, for messages: a path, or `REV:path`. */
  display: string;
  sidecar(): Promise<string | undefined>;
  /** The article's bytes (undefined when missing). */
  article(): Promise<Uint8Array | undefined>;
}

export interface LoadedPair {
  /** Document keys (sidecar paths, `/`-separated), sorted. */
  keys: string[];
  a: Map<string, SideEntry>;
  b: Map<string, SideEntry>;
}

/** A command-line word as a side: a path on disk, else a git revision. */
export async function resolveSide(io: Io, spec: string, command: string): Promise<SideSpec> {
  const abs = path.resolve(io.cwd, spec);
  try {
    const st = await io.fs.stat(abs);
    if (st.isDirectory()) return { spec, kind: 'dir', abs };
    return { spec, kind: 'file', abs: isSidecarPath(abs) ? abs : sidecarPathOf(abs) };
  } catch {
    // not on disk
  }
  const commit = await resolveRevision(spec, io.cwd);
  if (commit !== undefined) return { spec, kind: 'rev', commit };
  throw new UsageError(`'${spec}' is neither a file, a directory nor a git revision`, command);
}

function realpath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function posix(p: string): string {
  return p.split(path.sep).join('/');
}

function under(key: string, prefix: string): boolean {
  return prefix === '' || prefix === '.' || key === prefix || key.startsWith(prefix.endsWith('/') ? prefix : prefix + '/');
}

/** The sidecars of both sides, paired by document key. */
export async function loadPair(io: Io, a: SideSpec, b: SideSpec, paths: readonly string[], command: string): Promise<LoadedPair> {
  const repoMode = a.kind === 'rev' || b.kind === 'rev';
  let top: string | undefined;
  if (repoMode) {
    top = await gitTopLevel(io.cwd);
    if (top === undefined) throw new UsageError('a git revision was given but the current directory is not in a git repository', command);
    top = realpath(top);
  }
  const cwd = realpath(io.cwd);
  const scopes: string[] = [];
  if (top !== undefined) {
    for (const s of [a, b]) if (s.abs !== undefined) scopes.push(posix(path.relative(top, realpath(s.abs))));
  }
  const prefixes = paths.map((p) => (top !== undefined ? posix(path.relative(top, path.resolve(cwd, p))) : posix(path.normalize(p)).replace(/\/$/, '')));
  const keep = (key: string) => scopes.every((s) => under(key, s)) && (prefixes.length === 0 || prefixes.some((p) => under(key, p)));

  const load = async (side: SideSpec): Promise<Map<string, SideEntry>> => {
    const out = new Map<string, SideEntry>();
    if (side.kind === 'rev') {
      const commit = side.commit as string;
      const files = (await listFilesAt(commit, top as string)).filter((f) => isSidecarPath(f) && keep(f));
      const contents = await readFilesAt(files.map((f) => `${commit}:${f}`), top as string);
      for (const f of files) {
        out.set(f, {
          display: `${side.spec}:${f}`,
          sidecar: async () => {
            const bytes = contents.get(`${commit}:${f}`);
            return bytes === undefined ? undefined : decodeUtf8(bytes);
          },
          article: async () => (await readFilesAt([`${commit}:${articlePathOf(f)}`], top as string)).get(`${commit}:${articlePathOf(f)}`),
        });
      }
      return out;
    }
    const ws = new Workspace(io);
    const found = await ws.discover([side.abs as string]);
    for (const e of found.errors) throw new Error(`${e.path}: ${e.message}`);
    for (const t of found.sidecars) {
      const rel = top !== undefined ? posix(path.relative(top, realpath(t.abs)))
        : side.kind === 'dir' ? posix(path.relative(side.abs as string, t.abs)) : baseName(t.abs);
      if (!keep(rel)) continue;
      const display = side.kind === 'file' ? side.spec : posix(path.join(side.spec, path.relative(side.abs as string, t.abs)));
      out.set(rel, {
        display,
        sidecar: async () => decodeUtf8(await io.fs.readFile(t.abs)),
        article: async () => io.fs.readFile(articlePathOf(t.abs)).catch(() => undefined),
      });
    }
    return out;
  };
  const [ma, mb] = await Promise.all([load(a), load(b)]);
  if (a.kind === 'file' && b.kind === 'file' && top === undefined) {
    // Two files: compared with each other whatever their names.
    const ea = [...ma.values()][0];
    const eb = [...mb.values()][0];
    const key = posix(path.relative(cwd, realpath(a.abs as string))) || baseName(a.abs as string);
    const pa = new Map<string, SideEntry>();
    const pb = new Map<string, SideEntry>();
    if (ea) pa.set(key, ea);
    if (eb) pb.set(key, eb);
    return { keys: [key], a: pa, b: pb };
  }
  const keys = [...new Set([...ma.keys(), ...mb.keys()])].sort(cmp);
  return { keys, a: ma, b: mb };
}

export interface ReadSide {
  sidecar?: Sidecar;
  /** Why it could not be read. */
  error?: string;
  /** Unresolved conflicts: only the settled entities are in `sidecar`. */
  conflicts: number;
}

/** Reads one side's sidecar of a document (missing: neither sidecar nor error). */
export async function readSide(entry: SideEntry | undefined): Promise<ReadSide> {
  if (!entry) return { conflicts: 0 };
  let source: string | undefined;
  try {
    source = await entry.sidecar();
  } catch (e) {
    return { error: `cannot read it: ${describeFsError(e)}`, conflicts: 0 };
  }
  if (source === undefined) return { error: 'not valid UTF-8', conflicts: 0 };
  const c = readConflictedSidecar(source);
  if (!c.sidecar) {
    const p = c.problems[0];
    return { error: `not a valid sidecar${p ? ` (line ${p.line}: ${p.message})` : ''}`, conflicts: 0 };
  }
  return { sidecar: c.sidecar, conflicts: c.conflicts.length };
}

export async function diffCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('diff', argv, {
    json: { type: 'boolean' },
    'exit-code': { type: 'boolean' },
    textconv: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(DIFF_HELP);
    return 0;
  }
  if (flags.textconv) {
    if (positionals.length !== 1) throw new UsageError('--textconv takes exactly one file (git passes it)', 'diff');
    return textconvCommand(io, positionals[0] as string);
  }
  if (positionals.length < 2) throw new UsageError('expected two revisions, directories or files to compare (e.g. HEAD~1 HEAD)', 'diff');
  const [specA, specB, ...paths] = positionals as [string, string, ...string[]];
  const a = await resolveSide(io, specA, 'diff');
  const b = await resolveSide(io, specB, 'diff');
  const pair = await loadPair(io, a, b, paths, 'diff');

  const diffs: DocumentDiff[] = [];
  let errors = 0;
  // Documents on one side only may be one document renamed (same article): paired first.
  const onlyA: RenameCandidate[] = [];
  const onlyB: RenameCandidate[] = [];
  for (const key of pair.keys) {
    const onA = pair.a.has(key);
    if (onA === pair.b.has(key)) continue;
    const r = await readSide(onA ? pair.a.get(key) : pair.b.get(key));
    if (r.sidecar) (onA ? onlyA : onlyB).push({ document: key, sha256: r.sidecar.sha256 });
  }
  const renamedTo = new Map(matchRenames(onlyA, onlyB));
  const renamedFrom = new Map([...renamedTo].map(([from, to]) => [to, from]));
  for (const key of pair.keys) {
    if (renamedTo.has(key)) continue; // shown with its new name
    const from = renamedFrom.get(key);
    const [ra, rb] = await Promise.all([readSide(pair.a.get(from ?? key)), readSide(pair.b.get(key))]);
    let bad = false;
    for (const [r, entry] of [[ra, pair.a.get(from ?? key)], [rb, pair.b.get(key)]] as const) {
      if (r.error !== undefined) {
        io.stderr(`${entry?.display ?? key}: error: ${r.error}; not compared\n`);
        bad = true;
      } else if (r.conflicts) io.stderr(`${entry?.display ?? key}: note: ${plural(r.conflicts, 'unresolved conflict')}; only its settled entities are compared\n`);
    }
    if (bad) {
      errors++;
      continue;
    }
    const d = diffSidecars(articlePathOf(key), ra.sidecar, rb.sidecar, from !== undefined ? articlePathOf(from) : undefined);
    if (!isEmptyDiff(d)) diffs.push(d);
  }
  const counts = countDiffs(diffs);
  if (flags.json) {
    io.stdout(JSON.stringify({
      a: sideJson(a),
      b: sideJson(b),
      summary: counts,
      documents: diffs.map((d) => ({
        document: d.document,
        ...(d.renamedFrom !== undefined ? { renamedFrom: d.renamedFrom } : {}),
        ...(d.only ? { only: d.only === 'after' ? 'b' : 'a' } : {}),
        ...(d.status ? { status: { a: d.status.before, b: d.status.after } } : {}),
        ...(d.sha256 ? { sha256: { a: d.sha256.before ?? null, b: d.sha256.after ?? null } } : {}),
        changes: d.entities.map(changeJson),
      })),
    }, null, 2) + '\n');
  } else {
    for (const d of diffs) for (const line of formatDocumentDiff(d)) io.stdout(line + '\n');
    io.stderr(`${plural(counts.documents, 'document')} changed${counts.renamed ? ` (${counts.renamed} renamed)` : ''}: ${counts.added} added, ${counts.removed} removed, ${counts.relabelled} relabelled, `
      + `${plural(counts.boundary, 'boundary change')}, ${counts.moved} moved with an edit, ${plural(counts.other, 'other change')}\n`);
  }
  if (errors) return 1;
  return flags['exit-code'] && diffs.length ? 1 : 0;
}

function sideJson(s: SideSpec): Record<string, string> {
  return s.kind === 'rev' ? { kind: 'revision', spec: s.spec, commit: s.commit as string } : { kind: s.kind === 'dir' ? 'directory' : 'file', spec: s.spec };
}

function changeJson(c: EntityChange): Record<string, unknown> {
  const kind = c.kind === 'changed' ? (c.fields.includes('label') ? 'relabelled' : c.fields.includes('span') ? 'boundary' : c.fields.includes('moved') ? 'moved' : 'changed') : c.kind;
  const out: Record<string, unknown> = { kind, id: c.id };
  if (c.kind === 'changed') out.fields = c.fields;
  if (c.before) out.a = entityJson(c.before);
  if (c.after) out.b = entityJson(c.after);
  return out;
}

function entityJson(e: Entity): Record<string, unknown> {
  return { ...e };
}

/** git's textconv: the sidecar's rendering, or the file as it is when it is not a readable sidecar (never fails). */
async function textconvCommand(io: Io, file: string): Promise<number> {
  let bytes: Uint8Array;
  try {
    bytes = await io.fs.readFile(path.resolve(io.cwd, file));
  } catch (e) {
    io.stderr(`${file}: ${describeFsError(e)}\n`);
    return 1;
  }
  const source = decodeUtf8(bytes);
  if (source === undefined) {
    io.stdout(Buffer.from(bytes).toString('latin1'));
    return 0;
  }
  const c = readConflictedSidecar(source);
  io.stdout(c.sidecar ? textconv(c.sidecar, c.conflicts) : source);
  return 0;
}
