// `corpus-annotator export --format F [options] [paths…]`: the corpus as training data for other
// tools. Streams: one document is read, converted (by src/core/exchange/export) and written at a time.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import {
  assignSplits, bratConf, bratNames, collectBratAttrs, DOC_NAMES, DocBinBuilder, DocNames, DocumentOutput, EXPORT_FORMATS, HfLabelNames, hfLabelNamesPath, ExportDocument, ExportFilter,
  ExportFormat, exportDocument, ExportOptions, ExportTally, formatIssue, formatSplitAssignment, includesDocument, isExportFormat, JsonArrayWriter, labelStudioConfig,
  parseSplitAssignment, parseSplitSpec, selectEntities, SplitAssignment, SplitDocument, splitOutputPath, SplitPart, SplitSpecError, TAG_SCHEMES, TagScheme, zlibCompress,
} from '../core/exchange/export';
import { baseName, isStatus, sidecarPathOf, Status, STATUSES } from '../core/model/model';
import { parseCommandArgs, plural, TOOL, UsageError } from './args';
import { checkSidecar, ConfigGate } from './check';
import { formatPathError, Workspace } from './files';
import { describeFsError, Io, openOutput } from './io';

export const EXPORT_HELP = `Usage: ${TOOL} export --format <format> [options] [paths…]

Exports the annotated articles (those with a valid sidecar) under the given paths for
training and evaluation in other tools. Formats and their offsets:

  jsonl        spaCy / Prodigy: one line per document
               {"text", "spans": [{"start", "end", "label"}], "meta": {"document",
               "sha256", "status"}}; offsets in code points (Python string indices);
               attrs.kb becomes "kb_id", attrs.canonical "canonical", a note and other
               attributes ride along as the span's "note" and "attrs"; --tokens adds
               "tokens" (spaCy's words: whitespace other than one space after a
               token is a token, "ws" its spaces value, so Doc(vocab, words, spaces)
               is the text) and token_start/token_end
  conll        CoNLL-2003 style: "-DOCSTART-(name) O" then one "token TAG" line per token
               (a space between the columns; tokens never contain spaces), a blank line
               after each sentence; IOB2 tags, or BILOU with --scheme bilou; every line
               has the same number of columns (conlleval requires it); --columns 4:
               "token _ _ TAG" and "-DOCSTART-(name) -X- O O"
  brat         brat standoff: a directory (--out) of X.txt (the article exactly: BOM
               removed, CRLF kept) and X.ann (T, #AnnotatorNotes, N Reference from
               attrs.kb, A attribute lines), plus annotation.conf; offsets in code points
  doccano      doccano JSONL {"text", "label": [[start, end, "LABEL"]…], "document", …};
               offsets in UTF-16 code units, as doccano counts them by default
  labelstudio  Label Studio tasks, one JSON array; offsets in code points, as its
               front end counts them; suggestions become predictions (pre-annotations);
               labelling config: <Labels name="label" toName="text"> and
               <Text name="text" value="$text"/>

  hf           Hugging Face token classification (--out required): one line per sentence
               {"id", "document", "tokens", "ner_tags": [ints]}, the CoNLL tokens and IOB2
               tags; X.label_names.json beside it: the names and the dataset features
  spacy        a spaCy 3 DocBin (.spacy, --out required) for \`spacy train\`: doc.text is
               the article, doc.ents the entities (the longest of nested ones),
               doc.spans["sc"] all of them, kb ids as kb_id, user_data the document

Sidecar offsets are code points; doccano's UTF-16 offsets differ after an emoji or 𝔸
and are converted. Without --out, jsonl, conll, doccano and labelstudio go to stdout.

What a format cannot hold is reported on stderr, one line per entity, then counted in
a summary: CoNLL keeps the longest of nested or overlapping entities and drops the
others, drops entities whose boundary falls inside a token, and has no place for notes
and attributes; doccano and Label Studio have none for notes and attributes either;
with --tokens, a span not aligned to tokens has no token_start/token_end. Nothing is
left out silently. Sidecars with errors are not exported (see \`${TOOL} validate\`).
Suggestions (entities marked suggested: true, from \`${TOOL} suggest\` or tag all
occurrences) are not annotations until accepted: they are left out (counted in the
summary) unless --include-suggestions.

Options:
  -f, --format F        jsonl, conll, brat, doccano, labelstudio, spacy or hf (required)
  -o, --out PATH        write to this file (brat: directory) instead of stdout; a file
                        is replaced only once complete; a FIFO or device is written
                        through, a symbolic link followed; - is stdout
      --status LIST     only documents with these statuses (todo, in-progress, done,
                        reviewed), comma-separated
      --label LIST      only entities with these labels, e.g. PER,ORG
      --exclude-src LIST  leave out entities whose src matches, e.g.
                        propagated,pattern:* (* matches anything)
      --include-suggestions  export suggestions (suggested: true) as entities too
      --tokens          jsonl: add tokens (the French tokeniser of the CoNLL export)
      --scheme S        conll: iob2 (default) or bilou
      --columns N       conll: 2 (token TAG, default) or 4 (CoNLL-2003: token POS
                        chunk TAG, with _ fillers)
      --doc-names W     conll: where each document's name goes: docstart (in the
                        -DOCSTART- token, default), comment (a "# document: X" line
                        before it; not for conlleval) or none (with 4 columns,
                        documents then start with exactly "-DOCSTART- -X- O O", the
                        line spaCy's converter splits on)
      --split SPEC      one output per split, by document, e.g. train=0.8,dev=0.1,test=0.1
                        (ratios or percentages): --out corpus.jsonl writes
                        corpus.train.jsonl, corpus.dev.jsonl…; brat --out DIR writes
                        DIR/train/, DIR/dev/…. Stratified: every split gets every label
                        that has enough documents (iterative stratification, seeded).
                        The assignment (document → split) is written to --split-file,
                        by default beside the output (corpus.splits.json, DIR/splits.json)
      --seed N          --split: the seed of the assignment (default 0; the same seed and
                        documents give the same splits)
      --split-file FILE --split: read the assignment of an earlier export first: its
                        documents keep their split, only new ones are placed (--split and
                        --seed default to the file's); then write it back with them
      --strict          exit 1 when anything could not be exported as it is
  -q, --quiet           only the summary on stderr, not one line per entity
      --progress        show progress (count/total, elapsed) on stderr; shown anyway
                        on a terminal when the export takes more than a second
  -h, --help            show this help

Paths are directories (searched recursively), articles or sidecars; default: the
current directory. Documents come in path order.

Exit status: 0 exported, 1 a sidecar was invalid or a file could not be read or
written (or, with --strict, something was not held by the format), 2 usage error.

Examples:
  ${TOOL} export --format jsonl corpus/ > train.jsonl
  ${TOOL} export --format jsonl --tokens --status reviewed,done --out train.jsonl corpus/
  ${TOOL} export --format conll --scheme bilou --label PER,ORG,LOC corpus/ > train.conll
  ${TOOL} export --format brat --out brat-collection/ corpus/
  ${TOOL} export --format spacy --status reviewed --out train.spacy corpus/
  ${TOOL} export --format labelstudio --exclude-src 'propagated,pattern:*' -o tasks.json corpus/
  ${TOOL} export --format conll --strict -q corpus/ > /dev/null   # does CoNLL lose anything?
  ${TOOL} export --format spacy --split train=0.8,dev=0.1,test=0.1 --seed 1 \\
      --split-file splits.json --out data/corpus.spacy corpus/
`;

/** Where the documents' output goes: stdout, a file replaced at the end, or a brat directory. */
interface Sink {
  write(text: string | Uint8Array): Promise<void>;
  writeBrat(relPath: string, txt: string, ann: string): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

export async function exportCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('export', argv, {
    format: { type: 'string', short: 'f' },
    out: { type: 'string', short: 'o' },
    status: { type: 'string' },
    label: { type: 'string' },
    'exclude-src': { type: 'string' },
    'include-suggestions': { type: 'boolean' },
    tokens: { type: 'boolean' },
    scheme: { type: 'string' },
    columns: { type: 'string' },
    'doc-names': { type: 'string' },
    strict: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    progress: { type: 'boolean' },
    split: { type: 'string' },
    'split-file': { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(EXPORT_HELP);
    return 0;
  }
  const usage = (m: string) => new UsageError(m, 'export');
  const format = flags.format;
  if (format === undefined) throw usage(`missing --format (${EXPORT_FORMATS.join(', ')})`);
  if (!isExportFormat(format)) throw usage(`unknown format '${String(format)}' (formats: ${EXPORT_FORMATS.join(', ')})`);
  const scheme = (flags.scheme ?? 'iob2') as string;
  if (!(TAG_SCHEMES as readonly string[]).includes(scheme)) throw usage(`unknown --scheme '${scheme}' (iob2 or bilou)`);
  if (flags.scheme !== undefined && format !== 'conll') throw usage('--scheme applies to --format conll only');
  const columns = flags.columns === undefined ? 2 : Number(flags.columns);
  if (columns !== 2 && columns !== 4) throw usage(`--columns must be 2 or 4, not '${String(flags.columns)}'`);
  if (flags.columns !== undefined && format !== 'conll') throw usage('--columns applies to --format conll only');
  const docNames = (flags['doc-names'] ?? 'docstart') as string;
  if (!(DOC_NAMES as readonly string[]).includes(docNames)) throw usage(`unknown --doc-names '${docNames}' (${DOC_NAMES.join(', ')})`);
  if (flags['doc-names'] !== undefined && format !== 'conll') throw usage('--doc-names applies to --format conll only');
  if (flags.tokens && format !== 'jsonl') throw usage('--tokens applies to --format jsonl only (conll is always tokenised)');
  const out = typeof flags.out === 'string' ? flags.out : undefined;
  if (format === 'brat' && (out === undefined || out === '-')) throw usage('brat writes a directory: give it with --out DIR');
  if (format === 'spacy' && (out === undefined || out === '-')) throw usage('spacy writes a binary .spacy file: give it with --out FILE');
  if (format === 'hf' && (out === undefined || out === '-')) throw usage('hf writes a JSONL file and its label_names beside it: give it with --out FILE');
  const filter: ExportFilter = {};
  if (typeof flags.status === 'string') {
    const statuses = list(flags.status);
    const bad = statuses.filter((s) => !isStatus(s));
    if (bad.length || !statuses.length) throw usage(`unknown status '${bad.join(',')}' in --status (statuses: ${STATUSES.join(', ')})`);
    filter.statuses = new Set(statuses as Status[]);
  }
  if (typeof flags.label === 'string') filter.labels = new Set(list(flags.label));
  if (typeof flags['exclude-src'] === 'string') filter.excludeSrc = list(flags['exclude-src']);
  if (flags['include-suggestions'] === true) filter.includeSuggestions = true;
  const hfNames = new HfLabelNames();
  const options: ExportOptions = { tokens: flags.tokens === true, scheme: scheme as TagScheme, columns, docNames: docNames as DocNames, hfNames };
  const quiet = flags.quiet === true;

  const splitSpec = typeof flags.split === 'string' ? flags.split : undefined;
  const splitFile = typeof flags['split-file'] === 'string' ? flags['split-file'] : undefined;
  const splitting = splitSpec !== undefined || splitFile !== undefined;
  let seed: number | undefined;
  if (flags.seed !== undefined) {
    if (!splitting) throw usage('--seed applies to --split only');
    seed = Number(flags.seed);
    if (!/^-?\d+$/.test(String(flags.seed)) || !Number.isSafeInteger(seed)) throw usage(`--seed must be an integer, not '${String(flags.seed)}'`);
  }
  if (splitting && (out === undefined || out === '-')) throw usage('--split writes one output per split: give the file (brat: directory) with --out, each split\'s name is added to it');
  let parts: SplitPart[] | undefined;
  if (splitSpec !== undefined) {
    try {
      parts = parseSplitSpec(splitSpec);
    } catch (e) {
      if (e instanceof SplitSpecError) throw usage(`--split: ${e.message}`);
      throw e;
    }
  }

  const ws = new Workspace(io);
  let previous: SplitAssignment | undefined;
  const splitFileShown = !splitting ? undefined : splitFile ?? (format === 'brat' ? path.join(out as string, 'splits.json') : (out as string).replace(/(\.[^./\\]*)?$/, '.splits.json'));
  const splitFileAbs = splitFileShown === undefined ? undefined : ws.resolve(splitFileShown);
  if (splitFileAbs !== undefined && splitFile !== undefined) {
    let json: string | undefined;
    try {
      json = (await io.fs.readFile(splitFileAbs)).toString();
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        io.stderr(`${splitFile}: error: cannot read the splits file: ${describeFsError(e)}\n`);
        return 1;
      }
      if (parts === undefined) throw usage(`--split-file ${splitFile} does not exist: give --split (e.g. train=0.8,dev=0.1,test=0.1) to make it`);
    }
    if (json !== undefined) {
      try {
        previous = parseSplitAssignment(json);
      } catch (e) {
        if (!(e instanceof SplitSpecError)) throw e;
        io.stderr(`${splitFile}: error: not a splits file: ${e.message}; nothing exported\n`);
        return 1;
      }
    }
  }
  if (splitting && parts === undefined) parts = previous?.splits;
  const splitSeed = seed ?? previous?.seed ?? 0;

  const found = await ws.discover(positionals, { articles: true });
  const progress = new Progress(io, found.sidecars.length * (splitting ? 2 : 1), flags.progress === true);
  const err = (t: string) => {
    progress.clear();
    io.stderr(t);
  };
  for (const e of found.errors) err(formatPathError(e) + '\n');
  const withSidecar = new Set(found.sidecars.map((s) => s.abs));
  const unannotated = found.articles.filter((a) => !withSidecar.has(sidecarPathOf(a.abs))).length;

  const tally = new ExportTally();
  const labels: string[] = [];
  const attrValues = new Map<string, Set<string>>();
  let invalid = 0;
  const gate = new ConfigGate(err);
  /** The document of a sidecar to export, or undefined (reported when `report`: invalid, or left out by status). */
  const load = async (target: (typeof found.sidecars)[number], report: boolean): Promise<{ doc: ExportDocument; articleAbs: string; articleDisplay: string } | undefined> => {
    progress.tick();
    const check = await checkSidecar(ws, target);
    const blocked = gate.check(check.config);
    if (blocked) {
      invalid++;
      if (report) err(`${target.display}: error: not exported: ${blocked}\n`);
      return undefined;
    }
    const errors = check.problems.filter((p) => p.severity === 'error');
    const sidecar = check.parsed?.sidecar;
    if (errors.length || !sidecar || !check.article) {
      invalid++;
      const first = errors[0];
      if (report) err(`${target.display}: error: not exported, the sidecar is invalid${first ? ` (line ${first.line}: ${first.message})` : ''}${errors.length > 1 ? ` and ${plural(errors.length - 1, 'more error')}` : ''}\n`);
      return undefined;
    }
    if (!includesDocument(sidecar, filter)) {
      if (report) tally.skippedByStatus++;
      return undefined;
    }
    for (const l of check.config.config.labels) {
      if (!labels.includes(l.name)) labels.push(l.name);
      hfNames.addLabel(l.name); // the configured labels first, in their order, so tag ids do not depend on which documents are exported
    }
    const relPath = path.relative(target.anchor.abs, check.articleAbs).split(path.sep).join('/');
    return { doc: { name: baseName(check.articleAbs), relPath, article: check.article, sidecar }, articleAbs: check.articleAbs, articleDisplay: check.articleDisplay };
  };

  // With --split, a first pass finds each document's labels to place it, then the export proper.
  let assignment: Record<string, string> | undefined;
  if (splitting && parts) {
    const docs: SplitDocument[] = [];
    for (const target of found.sidecars) {
      const loaded = await load(target, true);
      if (loaded) docs.push({ name: loaded.doc.relPath, labels: new Set(selectEntities(loaded.doc.sidecar.entities, filter).map((e) => e.label)) });
    }
    try {
      assignment = assignSplits(docs, parts, splitSeed, previous?.documents);
    } catch (e) {
      if (!(e instanceof SplitSpecError)) throw e;
      progress.done();
      io.stderr(`${splitFile ?? '--split'}: error: ${e.message}; nothing exported\n`);
      return 1;
    }
    invalid = 0; // counted again by the export pass (which does not repeat the messages)
  }

  const outputs = new Map<string, Output>();
  const outputNames = splitting && parts ? parts.map((p) => p.name) : [''];
  try {
    for (const name of outputNames) {
      const outAbs = out === '-' || out === undefined ? out : ws.resolve(name === '' ? out : splitOutputPath(out, name, format === 'brat'));
      outputs.set(name, new Output(format, await openSink(io, format, outAbs), outAbs));
    }
  } catch (e) {
    for (const o of outputs.values()) await o.sink.abort();
    err(`${out}: error: cannot write the export here: ${describeFsError(e)}\n`);
    return 1;
  }
  const perSplit = new Map<string, number>();
  try {
    for (const target of found.sidecars) {
      const loaded = await load(target, !splitting);
      if (!loaded) continue;
      const { doc, articleAbs, articleDisplay } = loaded;
      const split = assignment ? assignment[doc.relPath] : '';
      if (split === undefined) continue; // appeared between the two passes: not placed, not exported
      perSplit.set(split, (perSplit.get(split) ?? 0) + 1);
      const output = outputs.get(split) as Output;
      const result = exportDocument(format, doc, filter, options);
      tally.add(result);
      if (!quiet) for (const i of result.issues) err(formatIssue({ ...i, document: articleDisplay }) + '\n');
      const selected = selectEntities(doc.sidecar.entities, filter);
      for (const e of selected) if (!labels.includes(e.label)) labels.push(e.label);
      if (format === 'brat') {
        const txtAbs = path.join(output.outAbs as string, ...bratNames(doc.relPath).txt.split('/'));
        if (ws.resolve(txtAbs) === articleAbs) {
          err(`${out}: error: the brat directory is the corpus itself, where ${path.basename(txtAbs)} would overwrite its article; export to another directory\n`);
          for (const o of outputs.values()) await o.sink.abort();
          progress.done();
          return 1;
        }
        collectBratAttrs(selected, attrValues);
      }
      await output.add(result, doc.relPath);
    }
    for (const output of outputs.values()) await output.finish(io, hfNames, labels, attrValues);
    if (assignment && splitFileAbs) {
      const file = await openSink(io, 'jsonl', splitFileAbs);
      await file.write(formatSplitAssignment({ seed: splitSeed, splits: parts as SplitPart[], documents: assignment }));
      await file.finish();
    }
  } catch (e) {
    for (const o of outputs.values()) await o.sink.abort();
    err(`${out ?? 'stdout'}: error: the export could not be written: ${describeFsError(e)}\n`);
    return 1;
  } finally {
    progress.done();
  }

  let summary = `export (${format}): ${tally.summary()}`;
  if (invalid) summary += `; ${plural(invalid, 'invalid sidecar')} not exported`;
  if (unannotated) summary += `; ${plural(unannotated, 'article')} without a sidecar not exported`;
  if (assignment) {
    summary += `; splits: ${outputNames.map((n) => `${n} ${perSplit.get(n) ?? 0}`).join(', ')} (seed ${splitSeed}, assignment in ${splitFileShown})`;
    summary += `; written to ${outputNames.map((n) => splitOutputPath(out as string, n, format === 'brat')).join(', ')}`;
  } else if (out !== undefined) summary += `; written to ${out}`;
  io.stderr(summary + '\n');
  if (format === 'labelstudio' && out !== undefined && !quiet) {
    io.stderr(`Label Studio labelling configuration for these tasks:\n${labelStudioConfig(labels)}`);
  }
  const lossy = tally.issueCount > 0;
  return found.errors.length || invalid || (flags.strict && lossy) ? 1 : 0;
}

/** One output of an export (the whole export, or one split): its sink and what closes it. */
class Output {
  private readonly array = new JsonArrayWriter();
  private readonly docBin = new DocBinBuilder();

  constructor(private readonly format: ExportFormat, readonly sink: Sink, readonly outAbs: string | undefined) {}

  async add(result: DocumentOutput, relPath: string): Promise<void> {
    if (this.format === 'brat') await this.sink.writeBrat(relPath, result.text, result.ann ?? '');
    else if (result.spacy) this.docBin.add(result.spacy);
    else await this.sink.write(this.format === 'labelstudio' ? this.array.next(result.text) : result.text);
  }

  async finish(io: Io, hfNames: HfLabelNames, labels: readonly string[], attrValues: ReadonlyMap<string, ReadonlySet<string>>): Promise<void> {
    if (this.format === 'labelstudio') await this.sink.write(this.array.end());
    if (this.format === 'spacy') await this.sink.write(await zlibCompress(this.docBin.toMsgpack()));
    if (this.format === 'hf') {
      const names = await openSink(io, 'jsonl', hfLabelNamesPath(this.outAbs as string));
      await names.write(hfNames.toJson());
      await names.finish();
    }
    if (this.format === 'brat') await this.sink.write(bratConf(labels, attrValues));
    await this.sink.finish();
  }
}


function list(s: string): string[] {
  return s.split(',').map((x) => x.trim()).filter((x) => x !== '');
}

async function openSink(io: Io, format: ExportFormat, outAbs: string | undefined): Promise<Sink> {
  const mkdir = (io.fs as Partial<typeof fsp>).mkdir ?? fsp.mkdir;
  if (outAbs === undefined) {
    return { write: async (t) => io.stdout(typeof t === 'string' ? t : Buffer.from(t).toString('latin1')), writeBrat: async () => undefined, finish: async () => undefined, abort: async () => undefined };
  }
  if (format === 'brat') {
    await mkdir(outAbs, { recursive: true });
    const writeFile = async (abs: string, text: string) => {
      await mkdir(path.dirname(abs), { recursive: true });
      const h = await io.fs.open(abs, 'w');
      try {
        await h.writeFile(text, 'utf8');
      } finally {
        await h.close();
      }
    };
    return {
      // the only direct write for brat: annotation.conf, at the end
      write: (t) => writeFile(path.join(outAbs, 'annotation.conf'), typeof t === 'string' ? t : Buffer.from(t).toString('utf8')),
      writeBrat: async (relPath, txt, ann) => {
        const names = bratNames(relPath);
        await writeFile(path.join(outAbs, ...names.txt.split('/')), txt);
        await writeFile(path.join(outAbs, ...names.ann.split('/')), ann);
      },
      finish: async () => undefined,
      abort: async () => undefined,
    };
  }
  // A file appears only complete (written beside its final name, then renamed over it); a FIFO
  // or device is written through; `-` is stdout (see openOutput).
  if (outAbs !== '-') await mkdir(path.dirname(outAbs), { recursive: true });
  const output = await openOutput(io, outAbs);
  return { write: (t) => output.write(t), writeBrat: async () => undefined, finish: () => output.commit(), abort: () => output.abort() };
}

/**
 * Progress on stderr: `export: 120/10000 documents, 3.2 s`. On a terminal it is one line
 * rewritten in place, shown once the work takes more than a second (or at once with
 * --progress); elsewhere only with --progress, a line every second and one at the end.
 */
export class Progress {
  private count = 0;
  private readonly started = Date.now();
  private lastShown = 0;
  private shown = false;
  private readonly tty = process.stderr.isTTY === true;

  /** `total` undefined: not known in advance (only the count is shown). */
  constructor(private readonly io: Io, private readonly total: number | undefined, private readonly forced: boolean, private readonly what = 'documents') {}

  tick(): void {
    this.count++;
    const now = Date.now();
    const elapsed = now - this.started;
    if (!this.forced && !(this.tty && elapsed > 1000)) return;
    if (this.shown && now - this.lastShown < (this.tty ? 100 : 1000)) return;
    this.lastShown = now;
    this.show(false);
  }

  /** Removes the progress line (on a terminal) before other output. */
  clear(): void {
    if (this.shown && this.tty) this.io.stderr('\r\x1b[K');
  }

  done(): void {
    if (!this.shown) return;
    if (this.tty) this.clear();
    else this.show(true);
    this.shown = false;
  }

  private show(final: boolean): void {
    const seconds = ((Date.now() - this.started) / 1000).toFixed(1);
    const line = `${this.count}${this.total !== undefined ? `/${this.total}` : ''} ${this.what}, ${seconds} s${final ? ' (done)' : ''}`;
    this.io.stderr(this.tty ? `\r\x1b[K${line}` : `${line}\n`);
    this.shown = true;
  }
}
