// `corpus-annotator curate --out GOLD A B [C…]`: several annotators' versions of the same articles
// (directories, git revisions or `rev:path`) into one gold corpus: agreed entities, and suggestions
// for every disagreement (src/core/review/curate.ts), with the agreement figures per document.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { collectTokenLabels, CuratedDocument, curateSources, fleissKappa, FleissKappa, meanPairwiseF1, PairwiseMean, ReanchoredInput } from '../core/review/curate';
import { badInputNames, CurationEntry, CurationInput, documentKeys, missingIn, readSources } from '../core/review/curate-inputs';
import { articlePathOf, baseName } from '../core/model/model';
import { writeSidecar } from '../core/sidecar/sidecar-write';
import { parseCommandArgs, plural, TOOL, UsageError } from './args';
import { num, table } from './agree';
import { createFileAtomic, decodeUtf8, Workspace } from './files';
import { readRevisionInput } from './curate-revision';
import { gitTopLevel, resolveRevision } from './git';
import { describeFsError, Io } from './io';

export const CURATE_HELP = `Usage: ${TOOL} curate --out GOLD_DIR [options] A B [C…]

Turns two or more annotators' versions of the same articles into one gold corpus in
GOLD_DIR. Each input is a directory, a git revision (a branch, a commit) or REV:PATH
(a directory at a revision); documents are paired by their path under each input, and
their articles must be byte-identical in every input (else the document is refused,
unless --reanchor).

Entities are matched by span and label, never by id (independent annotators never
share ids). A proposal every input makes (or --min-agree K of them) becomes a plain
entity: src: curated, attrs.agreed: "A,B". Every other proposal — a span only some
inputs have, the same span with another label, overlapping different spans — becomes
one suggestion (suggested: true, attrs.from: "C"), to settle in VS Code with the
suggestion keys: Ctrl+Alt+] next, Ctrl+Alt+Y accept, Ctrl+Alt+N reject.
Suggestions already in the inputs are left out. The result is deterministic (ids
included): curating the same inputs again writes the same files.

GOLD_DIR receives a copy of each article and its gold sidecar (status done when
everything agreed, in-progress otherwise). Existing files there are never replaced:
a document whose gold sidecar exists is reported and skipped.

Reports per document the agreed entities, the disagreements and the pairwise exact
F1, then over all documents the pairwise F1 matrix and Fleiss' κ on tokens (each token
labelled by the outermost entity touching it, or O; κ over tokens that any input
annotated is also given, since the O majority inflates κ over all tokens).

Options:
  -o, --out DIR         where the gold corpus goes (required)
      --min-agree K     accept a proposal made by at least K inputs (default: all)
      --names A,B,…     names for the inputs in attrs (default: each input's last
                        path component, or the revision)
      --reanchor        when an input's article differs from the first input's,
                        find its entities again in the first input's article (as
                        \`${TOOL} reanchor\` does, its own article as the old text)
                        instead of refusing the document; entities that cannot be
                        placed (ambiguous, not found) are left out and listed per
                        document (--json: "reanchored" of each document)
      --json            print the report as JSON
  -h, --help            show this help

Exit status: 0, 1 a document could not be curated (articles differ, a sidecar cannot
be read or does not match its article, a gold sidecar exists), 2 usage error.

Examples:
  ${TOOL} curate --out gold/ annotators/alice annotators/bob
  ${TOOL} curate --out gold/ --min-agree 2 alice bob carol       # three branches
  ${TOOL} curate --out gold/ main:corpus review/bob:corpus
`;

export interface Input extends CurationInput {
  spec: string;
  /** The label configuration at the input's root, if any. */
  config: () => Promise<Uint8Array | undefined>;
}

interface DocumentReport {
  document: string;
  agreed: number;
  disagreements: number;
  pairwise: CuratedDocument['pairwise'];
  written: boolean;
  /** With --reanchor: the inputs whose article differed, re-anchored onto the first input's. */
  reanchored?: ReanchoredInput[];
}

export async function curateCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('curate', argv, {
    out: { type: 'string', short: 'o' },
    'min-agree': { type: 'string' },
    names: { type: 'string' },
    reanchor: { type: 'boolean' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(CURATE_HELP);
    return 0;
  }
  if (typeof flags.out !== 'string' || flags.out === '') throw new UsageError('--out GOLD_DIR is required', 'curate');
  if (positionals.length < 2) throw new UsageError('expected two or more inputs (directories or git revisions)', 'curate');
  let minAgree: number | undefined;
  if (flags['min-agree'] !== undefined) {
    minAgree = Number(flags['min-agree']);
    if (!Number.isInteger(minAgree) || minAgree < 1 || minAgree > positionals.length) {
      throw new UsageError(`--min-agree must be a whole number from 1 to ${positionals.length}`, 'curate');
    }
  }
  const inputs = await loadInputs(io, positionals, flags.names, 'curate');
  const outDir = path.resolve(io.cwd, flags.out);
  const mkdir = (io.fs as Partial<typeof fsp>).mkdir ?? fsp.mkdir;
  // The gold corpus is checked against the same labels as the first input's.
  const config = await inputs[0]?.config().catch(() => undefined);
  if (config) {
    await mkdir(outDir, { recursive: true });
    if ((await createFileAtomic(io, path.join(outDir, CONFIG_FILE), config)) === 'written') io.stderr(`note: copied ${CONFIG_FILE} of ${inputs[0]?.spec} into ${outDir}\n`);
  }

  const reports: DocumentReport[] = [];
  const ratings = { all: inputs.map((): string[] => []), annotated: inputs.map((): string[] => []) };
  let failures = 0;
  const fail = (document: string, why: string) => {
    io.stderr(`${document}: error: ${why}; not curated\n`);
    failures++;
  };
  for (const key of documentKeys(inputs)) {
    const document = articlePathOf(key);
    const missing = missingIn(inputs, key);
    if (missing.length) {
      io.stderr(`${document}: note: not annotated in ${missing.join(', ')}; left out\n`);
      continue;
    }
    const read = await readSources(inputs, key, describeFsError);
    if (!read.ok) {
      fail(document, read.error);
      continue;
    }
    const sources = read.sources;
    const curated = curateSources(baseName(document), sources, { minAgree, seed: key, reanchor: flags.reanchor === true });
    if (!curated.ok) {
      fail(document, curated.error);
      continue;
    }
    if (!flags.json) for (const r of curated.reanchored) io.stderr(reanchorNote(document, inputs[0]?.name ?? '', r));
    collectTokenLabels(ratings, curated.tokenLabels);
    const first = curated.article;
    const sidecarAbs = path.join(outDir, ...key.split('/'));
    const articleAbs = articlePathOf(sidecarAbs);
    let written = false;
    try {
      await mkdir(path.dirname(sidecarAbs), { recursive: true });
      const a = await createFileAtomic(io, articleAbs, first);
      const existing = a === 'exists' ? await io.fs.readFile(articleAbs) : undefined;
      if (existing && !Buffer.from(existing).equals(Buffer.from(first))) {
        fail(document, `${articleAbs} exists with other content; left untouched`);
      } else if ((await createFileAtomic(io, sidecarAbs, writeSidecar(curated.sidecar))) === 'exists') {
        fail(document, `${sidecarAbs} exists (a curation in progress?); left untouched — remove it to curate again`);
      } else {
        written = true;
      }
    } catch (e) {
      fail(document, `cannot write into ${path.dirname(sidecarAbs)}: ${describeFsError(e)}`);
    }
    const report: DocumentReport = { document, agreed: curated.result.agreed, disagreements: curated.result.disagreements, pairwise: curated.result.pairwise, written };
    if (curated.reanchored.length) report.reanchored = curated.reanchored;
    reports.push(report);
  }

  const matrix = meanPairwiseF1(reports.map((r) => r.pairwise));
  const kappa = fleissKappa(ratings.all);
  const kappaAnnotated = fleissKappa(ratings.annotated);
  if (flags.json) {
    io.stdout(JSON.stringify({ inputs: inputs.map((i) => ({ spec: i.spec, name: i.name })), minAgree: minAgree ?? inputs.length, out: outDir, documents: reports, pairwise: matrix, fleissKappa: kappa, fleissKappaAnnotatedTokens: kappaAnnotated }, null, 2) + '\n');
  } else {
    io.stdout(formatReport(inputs.map((i) => i.name), reports, matrix, kappa, kappaAnnotated, outDir));
  }
  return failures ? 1 : 0;
}

/** What re-anchoring one input's version did, for stderr: a line, then one per entity left out. */
function reanchorNote(document: string, first: string, r: ReanchoredInput): string {
  const fuzzy = r.fuzzy ? ` (${r.fuzzy} by a close match of their text: check them)` : '';
  const lost = r.notReanchored.length ? `; ${plural(r.notReanchored.length, 'entity', 'entities')} could not be re-anchored, left out:` : '';
  const head = `${document}: note: ${r.input}'s article differs from ${first}'s: its entities re-anchored onto ${first}'s article, ${r.moved} moved${fuzzy}${lost}\n`;
  return head + r.notReanchored.map((e) => `  ${e.label} «${e.text}» ${e.start}-${e.end} [${e.id}]: ${e.why === 'ambiguous' ? 'ambiguous (fits several places)' : 'not found in the article'}\n`).join('');
}

/** The inputs named on the command line, each with its name (`--names A,B,…` or from its spec). */
export async function loadInputs(io: Io, specs: readonly string[], namesFlag: unknown, command: string): Promise<Input[]> {
  const names = typeof namesFlag === 'string' ? namesFlag.split(',').map((s) => s.trim()) : specs.map(defaultName);
  if (names.length !== specs.length) throw new UsageError(`--names gives ${names.length} names for ${specs.length} inputs`, command);
  const bad = badInputNames(names);
  if (bad !== undefined) throw new UsageError(`${bad}: give --names`, command);
  const inputs: Input[] = [];
  for (const [i, spec] of specs.entries()) inputs.push({ spec, name: names[i] as string, ...(await loadInput(io, spec, command)) });
  return inputs;
}

/** `annotators/alice` → `alice`; `review/bob:corpus` → `review/bob`; `HEAD~1` → `HEAD~1`. */
function defaultName(spec: string): string {
  const colon = spec.indexOf(':');
  const s = colon > 0 && !/^[A-Za-z]:[\\/]/.test(spec) ? spec.slice(0, colon) : spec;
  const trimmed = s.replace(/[\\/]+$/, '');
  return path.basename(trimmed) || trimmed;
}

const CONFIG_FILE = '.corpus-annotator.yaml';

/** The sidecars of one input by their path under it: a directory on disk, REV or REV:PATH. */
async function loadInput(io: Io, spec: string, command: string): Promise<Pick<Input, 'docs' | 'config'>> {
  const out = new Map<string, CurationEntry>();
  const abs = path.resolve(io.cwd, spec);
  const onDisk = await io.fs.stat(abs).then((s) => s.isDirectory(), () => undefined);
  if (onDisk === false) throw new UsageError(`'${spec}' is a file: give directories or revisions`, command);
  if (onDisk) {
    const found = await new Workspace(io).discover([abs]);
    for (const e of found.errors) throw new Error(`${e.path}: ${e.message}`);
    for (const t of found.sidecars) {
      const rel = path.relative(abs, t.abs).split(path.sep).join('/');
      out.set(rel, {
        display: path.join(spec, rel),
        sidecar: async () => decodeUtf8(await io.fs.readFile(t.abs)),
        article: async () => io.fs.readFile(articlePathOf(t.abs)),
      });
    }
    return { docs: out, config: () => io.fs.readFile(path.join(abs, CONFIG_FILE)) };
  }
  const colon = spec.indexOf(':');
  const rev = colon > 0 ? spec.slice(0, colon) : spec;
  const prefix = colon > 0 ? spec.slice(colon + 1).replace(/^\/+|\/+$/g, '') : '';
  const top = await gitTopLevel(io.cwd);
  const commit = top === undefined ? undefined : await resolveRevision(rev, io.cwd);
  if (top === undefined || commit === undefined) throw new UsageError(`'${spec}' is neither a directory nor a git revision`, command);
  // REV:PATH is relative to the repository's top, as in `git show REV:PATH`.
  const at = await readRevisionInput(top, commit, rev, prefix);
  return { docs: at.docs, config: () => at.fileAt(CONFIG_FILE) };
}

function formatReport(names: readonly string[], reports: readonly DocumentReport[], matrix: readonly PairwiseMean[], kappa: FleissKappa, kappaAnnotated: FleissKappa, outDir: string): string {
  const out: string[] = [];
  const written = reports.filter((r) => r.written).length;
  out.push(`Curated ${plural(written, 'document')} of ${names.join(', ')} into ${outDir}`);
  out.push('');
  const pairs = reports[0]?.pairwise.map((p) => `F1 ${p.a}/${p.b}`) ?? [];
  const head = ['Document', 'agreed', 'disagreements', ...pairs];
  const rows = reports.map((r) => [r.document, String(r.agreed), String(r.disagreements), ...r.pairwise.map((p) => num(p.f1))]);
  rows.push(['total', String(reports.reduce((s, r) => s + r.agreed, 0)), String(reports.reduce((s, r) => s + r.disagreements, 0)), ...matrix.map((m) => num(m.f1))]);
  out.push(...table(head, rows));
  out.push('');
  out.push('Pairwise exact F1 (mean over documents):');
  const mh = ['', ...names];
  const mrows = names.map((a) => [a, ...names.map((b) => {
    if (a === b) return '1.000';
    const m = matrix.find((x) => (x.a === a && x.b === b) || (x.a === b && x.b === a));
    return num(m?.f1);
  })]);
  out.push(...table(mh, mrows));
  out.push('');
  out.push(`Fleiss' κ over all tokens: ${num(kappa.kappa)} (${plural(kappa.subjects, 'token')}, ${kappa.raters} annotators)`);
  out.push(`Fleiss' κ over tokens any annotator labelled: ${num(kappaAnnotated.kappa)} (${plural(kappaAnnotated.subjects, 'token')}; O tokens nobody labelled inflate the first figure)`);
  return out.join('\n') + '\n';
}
