// `corpus-annotator import --format F [--dry-run] SOURCE [corpus-dir]`: annotations made in
// another tool, merged into the sidecars of the matching articles.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { Article, ArticleDecodeError, decodeArticle } from '../core/model/article';
import { clip } from '../core/exchange/export';
import {
  ArticleMatcher, Candidate, IMPORT_FORMATS, ImportFormat, ImportIssue, ImportRecord, isImportFormat, mergeImported,
  parseBrat, parseConll, parseDoccanoLine, parseJsonlLine, parseLabelStudio, Parsed,
} from '../core/exchange/import';
import { CONLL_SCHEMES, ConllOptions, ConllScheme } from '../core/exchange/import/conll';
import { articlePathOf, cmp, Entity, isStatus, Sidecar, sidecarPathOf } from '../core/model/model';
import { hasErrors } from '../core/model/problems';
import { writeSidecar } from '../core/sidecar/sidecar-write';
import { parseCommandArgs, plural, TOOL, UsageError } from './args';
import { checkSidecar, ConfigGate } from './check';
import { Progress } from './export';
import { Anchor, createFileAtomic, decodeUtf8, formatPathError, SKIPPED_DIRS, Workspace, writeFileAtomic } from './files';
import { describeFsError, errorCode, Io } from './io';
import { sweepBeforeWriting } from './stale-scratch';

export const IMPORT_HELP = `Usage: ${TOOL} import --format <format> [options] SOURCE [corpus-dir]

Merges annotations made in another tool into the sidecars of a corpus (default: the
current directory). Each source document is matched with an article: by name (brat's
X.txt, meta.document in JSONL, "document" in doccano, data.document in Label Studio)
when the texts are identical, else by its exact text. Offsets only make sense on the
very same text, so a document whose text is in no article is reported, not imported.

Formats (SOURCE):
  brat         a brat collection directory (X.txt + X.ann, searched recursively) or one
               .ann file; offsets in code points; notes (#), Reference (N → attrs.kb)
               and attributes (A) are imported, relations and events are reported
  doccano      doccano JSONL ({"text", "label": [[start, end, "LABEL"]…]}); offsets in
               UTF-16 code units (doccano's default), converted to code points
  labelstudio  a Label Studio JSON export (array of tasks); "labels" results of every
               annotation not cancelled; offsets in code points, each result's
               "text" (when given) checked against the article's text there
  jsonl        spaCy / Prodigy JSONL ({"text", "spans": [{"start", "end", "label"}]});
               offsets in code points; kb_id → attrs.kb; rejected answers are skipped
  conll        CoNLL NER columns (one token a line, 2 to 4 columns, the last the tag;
               a blank line ends a sentence; -DOCSTART- starts a document): the
               articles are CREATED from the tokens (see "CoNLL" below)

CoNLL: each document becomes an article NAME.txt in the corpus directory with its
sidecar; NAME comes from -DOCSTART-(NAME) (our export) or a "# document: NAME" line,
else SOURCE's name and a number (train-001.txt…). The text is rebuilt from the tokens:
one sentence a line, tokens joined by one space except none before , . ; : ! ? ) ] }
» ” % … or a lone apostrophe, and none after ( [ { « “ or an elided word (l' qu’
jusqu'…); a lone hyphen joins its neighbours (Saint-Hilaire). An article that already exists with that exact text gets the entities
merged as in the other formats; one with another text is never overwritten.
Tags (--scheme): iob2 (default: B- starts an entity), iob1 (an I- after O or another
label starts one), bilou (B- I- L- U- and O; BIOES's E- and S- too). A malformed
sequence (IOB2: I-X after O or another label; BILOU: I-/L- with no open entity, an
entity not closed by L-) is an error at its line and nothing is imported, unless
--lenient, which starts an entity at such an I-/L- and closes an unclosed one.

Merging: imported entities get new ids and src: import:<format>. An entity already
there with the same start, end and label is skipped; one that overlaps an existing
entity with another label (or breaks the label configuration's overlap policy) is a
conflict: reported and not added. A sidecar with errors is never rewritten. New
sidecars take the status the source gives (our own exports carry it), else
in-progress. Files are replaced atomically.

Options:
  -f, --format F   brat, doccano, labelstudio, jsonl or conll (required)
      --scheme S   conll: iob2 (default), iob1 or bilou (= bioes)
      --lenient    conll: repair malformed tag sequences instead of refusing them
      --status S   conll: the status of the new sidecars (default in-progress)
  -n, --dry-run    write nothing: print what would be added, and the conflicts
  -q, --quiet      only problems and the summary
      --progress   show progress on stderr (count, elapsed)
  -h, --help       show this help

Exit status: 0 everything imported (or already there), 1 something was not imported
(no matching article, a conflict, an invalid span or sidecar, a file not readable or
writable), 2 usage error.

Examples:
  ${TOOL} import --format brat --dry-run brat-collection/ corpus/
  ${TOOL} import --format brat brat-collection/ corpus/
  ${TOOL} import --format labelstudio project-1-at-2026-11-23.json corpus/
  ${TOOL} import --format jsonl predictions.jsonl corpus/
  ${TOOL} import --format doccano admin.jsonl
  ${TOOL} import --format conll --scheme iob1 --status reviewed train.bio corpus/
`;

/**
 * The formats `import` reads: the merging ones of core, and CoNLL, which also creates the
 * articles (it is not in IMPORT_FORMATS: it cannot round-trip nested entities or the text).
 */
const SOURCE_FORMATS = [...IMPORT_FORMATS, 'conll'] as const;
type SourceFormat = ImportFormat | 'conll';

/** What the import has made of an article so far (several source documents may name it). */
interface ArticleState {
  sidecarAbs: string;
  display: string;
  /** The sidecar as it is now (after this run's merges); undefined when there is none. */
  sidecar?: Sidecar;
  /** Its bytes on disk when read, to replace it only if nobody changed it meanwhile. */
  bytes?: Uint8Array;
  invalid: boolean;
}

export async function importCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('import', argv, {
    format: { type: 'string', short: 'f' },
    'dry-run': { type: 'boolean', short: 'n' },
    quiet: { type: 'boolean', short: 'q' },
    progress: { type: 'boolean' },
    scheme: { type: 'string' },
    lenient: { type: 'boolean' },
    status: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(IMPORT_HELP);
    return 0;
  }
  const usage = (m: string) => new UsageError(m, 'import');
  const format = flags.format;
  if (format === undefined) throw usage(`missing --format (${SOURCE_FORMATS.join(', ')})`);
  if (format !== 'conll' && !isImportFormat(format)) throw usage(`unknown format '${String(format)}' (formats: ${SOURCE_FORMATS.join(', ')})`);
  const [source, corpusDir = '.', ...extra] = positionals;
  if (source === undefined) throw usage('missing SOURCE (the file or brat directory to import)');
  if (extra.length) throw usage(`too many arguments: '${extra.join(' ')}' (one SOURCE and one corpus directory)`);
  const dryRun = flags['dry-run'] === true;
  const quiet = flags.quiet === true;
  const conll = conllOptions(flags, format, source);

  const ws = new Workspace(io);
  const corpusAbs = ws.resolve(corpusDir);
  const found = await ws.discover([corpusDir], { articles: true });
  if (!dryRun) await sweepBeforeWriting(io, found.scratch, quiet);
  let failures = 0;
  const progress = new Progress(io, undefined, flags.progress === true, 'source documents');
  const err = (t: string) => {
    progress.clear();
    io.stderr(t);
  };
  const printIssue = (i: ImportIssue) => {
    if (i.severity === 'error') failures++;
    if (i.severity === 'error' || !quiet) err(`${i.origin}: ${i.severity}: ${i.message}\n`);
  };
  for (const e of found.errors) {
    failures++;
    err(formatPathError(e) + '\n');
  }
  if (found.errors.length && !found.sidecars.length && !found.articles.length) return 1;

  // The articles: files matching the configuration's globs, and every article that has a sidecar.
  const anchor: Anchor = { abs: corpusAbs, display: corpusDir };
  const byAbs = new Map<string, Candidate<string>>();
  const addCandidate = (abs: string) => {
    if (!byAbs.has(abs)) byAbs.set(abs, { key: abs, relPath: path.relative(corpusAbs, abs).split(path.sep).join('/') });
  };
  for (const a of found.articles) addCandidate(a.abs);
  for (const s of found.sidecars) if (await ws.isFile(articlePathOf(s.abs))) addCandidate(articlePathOf(s.abs));
  const load = async (abs: string): Promise<Article | undefined> => {
    try {
      return decodeArticle(await io.fs.readFile(abs));
    } catch (e) {
      if (e instanceof ArticleDecodeError || errorCode(e)) return undefined;
      throw e;
    }
  };
  const matcher = new ArticleMatcher([...byAbs.values()].sort((a, b) => cmp(a.relPath, b.relPath)), load);

  const states = new Map<string, ArticleState>();
  const tally = { records: 0, byName: 0, byText: 0, unmatched: 0, added: 0, identical: 0, conflicts: 0, invalidSpans: 0, sidecars: new Set<string>(), newSidecars: 0 };

  const gate = new ConfigGate(err);
  const handle = async (record: ImportRecord) => {
    tally.records++;
    progress.tick();
    let m = await matcher.match(record);
    if (m.key === undefined && conll && record.document !== undefined) {
      const created = await createArticle(io, corpusAbs, record.document, record.text, dryRun);
      if (typeof created === 'string') m = { reason: created };
      else {
        m = { key: created.abs, relPath: record.document, article: created.article, by: 'name' };
        const display = ws.displayOf(created.abs, anchor);
        if (!quiet) io.stdout(`${display}: ${dryRun ? 'would create' : 'created'} the article from ${record.origin}\n`);
      }
    }
    if (m.key === undefined) {
      tally.unmatched++;
      printIssue({ origin: record.origin, severity: 'error', message: `not imported: ${m.reason}` });
      return;
    }
    if (m.by === 'name') tally.byName++;
    else tally.byText++;
    const articleAbs = m.key;
    const state = states.get(articleAbs) ?? (await readState(ws, articleAbs, anchor));
    states.set(articleAbs, state);
    if (state.invalid) {
      failures++;
      err(`${record.origin}: error: not imported: the sidecar ${state.display} is invalid and is never rewritten (see \`${TOOL} validate\`)\n`);
      return;
    }
    const config = await ws.configFor(articleAbs, anchor);
    const blocked = gate.check(config);
    if (blocked) {
      failures++;
      err(`${record.origin}: error: not imported into ${state.display}: ${blocked}\n`);
      return;
    }
    const overlap = config.config.overlap;
    const merged = mergeImported(state.sidecar, m.article, path.basename(articleAbs), record.spans, { format, overlap, ...(record.status ? { status: record.status } : {}) });
    const spanText = (s: { start: number; end: number; label: string }) => `${s.label} ${s.start}-${s.end} "${clip(m.article.offsets.slice(s.start, Math.min(s.end, m.article.offsets.codePointLength)), 50)}"`;
    for (const c of merged.conflicts) {
      failures++;
      err(`${record.origin}: error: conflict, not imported: ${spanText(c.span)} in ${state.display}: ${c.reason} "${clip(c.existing.text, 50)}"\n`);
    }
    for (const x of merged.invalid) {
      failures++;
      err(`${record.origin}: error: not imported: ${x.span.label} ${x.span.start}-${x.span.end} in ${path.basename(articleAbs)}: ${x.reason}\n`);
    }
    tally.added += merged.added.length;
    tally.identical += merged.identical.length;
    tally.conflicts += merged.conflicts.length;
    tally.invalidSpans += merged.invalid.length;
    const rel = ws.displayOf(articleAbs, anchor);
    const how = `${m.by === 'name' ? 'by name' : 'by text'}`;
    const counts = [
      merged.identical.length ? `${merged.identical.length} already there` : '',
      merged.conflicts.length ? plural(merged.conflicts.length, 'conflict') : '',
      merged.invalid.length ? `${merged.invalid.length} invalid` : '',
    ].filter(Boolean).join(', ');
    if (merged.added.length === 0) {
      if (!quiet) io.stdout(`${rel}: nothing to add (${record.origin}, matched ${how}${counts ? `; ${counts}` : ''})\n`);
      return;
    }
    const wasNew = state.sidecar === undefined;
    if (!dryRun) {
      const outcome = await writeState(io, state, merged.sidecar);
      if (outcome !== 'written') {
        failures++;
        err(`${state.display}: error: not written: ${outcome}\n`);
        return;
      }
    }
    state.sidecar = merged.sidecar;
    tally.sidecars.add(articleAbs);
    if (wasNew) tally.newSidecars++;
    io.stdout(`${rel}: ${dryRun ? 'would add' : 'added'} ${plural(merged.added.length, 'entity', 'entities')}${wasNew ? ` (${dryRun ? 'new' : 'created'} ${path.basename(state.sidecarAbs)})` : ''} from ${record.origin}, matched ${how}${counts ? `; ${counts}` : ''}\n`);
    if (dryRun && !quiet) for (const e of merged.added) io.stdout(`  + ${entityText(e)}\n`);
  };

  try {
    for await (const parsed of readSource(io, ws, format, source, conll)) {
      for (const i of parsed.issues) printIssue(i);
      const errors = parsed.issues.filter((i) => i.severity === 'error').length;
      if (conll && errors) {
        progress.done();
        err(`import (conll): ${plural(errors, 'error')} in ${source}; nothing imported${conll.lenient ? '' : ' (--lenient repairs malformed tag sequences)'}\n`);
        return 1;
      }
      for (const r of parsed.records) await handle(r);
    }
  } catch (e) {
    if (!(e instanceof SourceError)) throw e;
    progress.done();
    err(`${source}: error: ${e.message}\n`);
    return 1;
  }
  progress.done();

  const parts = [
    `${plural(tally.records, 'source document')}: ${tally.byName + tally.byText} matched (${tally.byName} by name, ${tally.byText} by text)${tally.unmatched ? `, ${tally.unmatched} without a matching article` : ''}`,
    `${tally.added} ${tally.added === 1 ? 'entity' : 'entities'} ${dryRun ? 'would be added' : 'added'} to ${plural(tally.sidecars.size, 'sidecar')}${tally.newSidecars ? ` (${tally.newSidecars} new)` : ''}`,
    `${tally.identical} already there`,
    plural(tally.conflicts, 'conflict'),
  ];
  if (tally.invalidSpans) parts.push(`${tally.invalidSpans} invalid`);
  io.stderr(`import (${format})${dryRun ? ', dry run, nothing written' : ''}: ${parts.join('; ')}\n`);
  return failures ? 1 : 0;
}

function entityText(e: Entity): string {
  let s = `${e.label} ${e.start}-${e.end} "${clip(e.text, 60)}"`;
  if (e.attrs) s += ` ${Object.entries(e.attrs).map(([k, v]) => `${k}=${v}`).join(' ')}`;
  if (e.note !== undefined) s += ` note: "${clip(e.note, 40)}"`;
  return s;
}

async function readState(ws: Workspace, articleAbs: string, anchor: Anchor): Promise<ArticleState> {
  const sidecarAbs = sidecarPathOf(articleAbs);
  const display = ws.displayOf(sidecarAbs, anchor);
  if (!(await ws.isFile(sidecarAbs))) return { sidecarAbs, display, invalid: false };
  const check = await checkSidecar(ws, { abs: sidecarAbs, display, anchor, explicit: false });
  const valid = !hasErrors(check.problems) && check.parsed?.sidecar !== undefined;
  const state: ArticleState = { sidecarAbs, display, invalid: !valid };
  if (valid && check.parsed?.sidecar) state.sidecar = check.parsed.sidecar;
  if (check.bytes) state.bytes = check.bytes;
  return state;
}

/** Writes the merged sidecar: replaces the file only if it is as read, creates it only if still absent. */
async function writeState(io: Io, state: ArticleState, sidecar: Sidecar): Promise<'written' | string> {
  const text = writeSidecar(sidecar);
  try {
    if (state.bytes !== undefined) {
      const before = state.bytes;
      const outcome = await writeFileAtomic(io, state.sidecarAbs, text, (now) => Buffer.from(now).equals(Buffer.from(before)));
      if (outcome === 'changed') return 'the sidecar changed on disk during the import; run the import again';
    } else {
      const outcome = await createFileAtomic(io, state.sidecarAbs, text);
      if (outcome === 'exists') return 'the sidecar was created by someone else during the import; run the import again';
    }
  } catch (e) {
    return `cannot write it: ${describeFsError(e)}`;
  }
  state.bytes = Buffer.from(text, 'utf8');
  return 'written';
}

class SourceError extends Error {}

/** The source's documents, one parsed piece at a time (a line, a brat file, the Label Studio array). */
async function* readSource(io: Io, ws: Workspace, format: SourceFormat, source: string, conll?: ConllOptions): AsyncGenerator<Parsed> {
  const abs = ws.resolve(source);
  let stats;
  try {
    stats = await io.fs.stat(abs);
  } catch (e) {
    throw new SourceError(`cannot read it: ${describeFsError(e)}`);
  }
  if (format === 'brat') {
    const pairs = stats.isDirectory() ? await bratFiles(io, abs) : [abs.replace(/\.(ann|txt)$/, '')];
    if (!pairs.length) throw new SourceError('no brat .ann files here');
    for (const stem of pairs) {
      const rel = stats.isDirectory() ? path.relative(abs, stem).split(path.sep).join('/') : path.basename(stem);
      const annOrigin = (stats.isDirectory() ? path.join(source, rel) : path.join(path.dirname(source), path.basename(stem))) + '.ann';
      let txtBytes: Uint8Array;
      let annBytes: Uint8Array;
      try {
        txtBytes = await io.fs.readFile(`${stem}.txt`);
        annBytes = await io.fs.readFile(`${stem}.ann`);
      } catch (e) {
        yield { records: [], issues: [{ origin: annOrigin, severity: 'error', message: `cannot read ${path.basename(stem)}.txt and .ann: ${describeFsError(e)}` }] };
        continue;
      }
      let txt: Article;
      try {
        txt = decodeArticle(txtBytes);
      } catch (e) {
        yield { records: [], issues: [{ origin: annOrigin, severity: 'error', message: `${path.basename(stem)}.txt is not UTF-8 text: ${e instanceof Error ? e.message : String(e)}` }] };
        continue;
      }
      const ann = decodeUtf8(annBytes);
      if (ann === undefined) {
        yield { records: [], issues: [{ origin: annOrigin, severity: 'error', message: 'not valid UTF-8' }] };
        continue;
      }
      yield parseBrat(txt.text, ann, annOrigin, `${rel}.txt`, txt.hasBom);
    }
    return;
  }
  if (stats.isDirectory()) throw new SourceError(`it is a directory; --format ${format} reads a file`);
  if (format === 'labelstudio' || format === 'conll') {
    const text = decodeUtf8(await io.fs.readFile(abs));
    if (text === undefined) throw new SourceError('not valid UTF-8');
    yield conll ? parseConll(text, source, conll) : parseLabelStudio(text, source);
    return;
  }
  const parse = format === 'doccano' ? parseDoccanoLine : parseJsonlLine;
  const handle = await io.fs.open(abs, 'r');
  try {
    let n = 0;
    for await (const raw of handle.readLines({ encoding: 'utf8' })) {
      n++;
      const line = n === 1 ? raw.replace(/^\uFEFF/, '') : raw;
      if (line.trim() === '') continue;
      yield parse(line, `${source}:${n}`);
    }
  } finally {
    await handle.close();
  }
}

/** The X of every X.ann under a directory, sorted. */
async function bratFiles(io: Io, dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await io.fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => cmp(a.name, b.name));
  for (const e of entries) {
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (!SKIPPED_DIRS.has(e.name)) out.push(...(await bratFiles(io, abs)));
    } else if (e.name.endsWith('.ann')) {
      out.push(abs.slice(0, -4));
    }
  }
  return out;
}

/** The CoNLL options (undefined for other formats, which refuse them). */
function conllOptions(flags: Record<string, unknown>, format: SourceFormat, source: string): ConllOptions | undefined {
  const usage = (m: string) => new UsageError(m, 'import');
  if (format !== 'conll') {
    for (const f of ['scheme', 'lenient', 'status']) if (flags[f] !== undefined) throw usage(`--${f} is for --format conll`);
    return undefined;
  }
  const scheme = flags.scheme ?? 'iob2';
  const normalised = scheme === 'bioes' ? 'bilou' : scheme;
  if (!(CONLL_SCHEMES as readonly unknown[]).includes(normalised)) throw usage(`unknown --scheme '${String(scheme)}' (iob1, iob2, bilou or bioes)`);
  const status = flags.status;
  if (status !== undefined && !isStatus(status)) throw usage(`--status takes todo, in-progress, done or reviewed, not '${String(status)}'`);
  const stem = path.basename(source).replace(/\.[^.]*$/, '') || 'document';
  return { scheme: normalised as ConllScheme, lenient: flags.lenient === true, stem, ...(status !== undefined ? { status } : {}) };
}

/**
 * A CoNLL document's article, created at `name` under the corpus directory (never replacing a
 * file); in a dry run, only checked. Says why when it cannot.
 */
async function createArticle(io: Io, corpusAbs: string, name: string, text: string, dryRun: boolean): Promise<{ abs: string; article: Article } | string> {
  const abs = path.resolve(corpusAbs, ...name.split('/'));
  const article = decodeArticle(Buffer.from(text, 'utf8'));
  if (await io.fs.stat(abs).then(() => true, () => false)) return `${name} exists with another text; it is never overwritten (import into another directory)`;
  if (dryRun) return { abs, article };
  try {
    const mkdir = (io.fs as Partial<typeof fsp>).mkdir ?? fsp.mkdir;
    await mkdir(path.dirname(abs), { recursive: true });
    if ((await createFileAtomic(io, abs, text)) !== 'written') return `${name} appeared during the import; it is never overwritten`;
  } catch (e) {
    return `cannot create ${name}: ${describeFsError(e)}`;
  }
  return { abs, article };
}
