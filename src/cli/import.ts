// `corpus-annotator import --format F [--dry-run] SOURCE [corpus-dir]`: annotations made in
// another tool, merged into the sidecars of the matching articles.
import * as path from 'node:path';
import { Article, ArticleDecodeError, decodeArticle } from '../core/article';
import { clip } from '../core/export';
import {
  ArticleMatcher, Candidate, IMPORT_FORMATS, ImportFormat, ImportIssue, ImportRecord, isImportFormat, mergeImported,
  parseBrat, parseDoccanoLine, parseJsonlLine, parseLabelStudio, Parsed,
} from '../core/import';
import { articlePathOf, cmp, Entity, Sidecar, sidecarPathOf } from '../core/model';
import { hasErrors } from '../core/problems';
import { writeSidecar } from '../core/sidecar-write';
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

Merging: imported entities get new ids and src: import:<format>. An entity already
there with the same start, end and label is skipped; one that overlaps an existing
entity with another label (or breaks the label configuration's overlap policy) is a
conflict: reported and not added. A sidecar with errors is never rewritten. New
sidecars take the status the source gives (our own exports carry it), else
in-progress. Files are replaced atomically.

Options:
  -f, --format F   brat, doccano, labelstudio or jsonl (required)
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
`;

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
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(IMPORT_HELP);
    return 0;
  }
  const usage = (m: string) => new UsageError(m, 'import');
  const format = flags.format;
  if (format === undefined) throw usage(`missing --format (${IMPORT_FORMATS.join(', ')})`);
  if (!isImportFormat(format)) throw usage(`unknown format '${String(format)}' (formats: ${IMPORT_FORMATS.join(', ')})`);
  const [source, corpusDir = '.', ...extra] = positionals;
  if (source === undefined) throw usage('missing SOURCE (the file or brat directory to import)');
  if (extra.length) throw usage(`too many arguments: '${extra.join(' ')}' (one SOURCE and one corpus directory)`);
  const dryRun = flags['dry-run'] === true;
  const quiet = flags.quiet === true;

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
    const m = await matcher.match(record);
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
    for await (const parsed of readSource(io, ws, format, source)) {
      for (const i of parsed.issues) printIssue(i);
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
async function* readSource(io: Io, ws: Workspace, format: ImportFormat, source: string): AsyncGenerator<Parsed> {
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
  if (format === 'labelstudio') {
    const json = decodeUtf8(await io.fs.readFile(abs));
    if (json === undefined) throw new SourceError('not valid UTF-8');
    yield parseLabelStudio(json, source);
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
