// "Export Annotations…" and "Import Annotations…": the dialogs, the progress notification and the
// file I/O (vscode.workspace.fs) around the conversions of src/core/exchange/export and src/core/exchange/import.
import * as vscode from 'vscode';
import { Article, ArticleDecodeError, decodeArticle } from '../core/model/article';
import {
  assignSplits, bratConf, bratNames, collectBratAttrs, DocBinBuilder, DocumentOutput, ExportDocument, ExportFormat, exportDocument, ExportTally, formatIssue,
  formatSplitAssignment, HfLabelNames, hfLabelNamesPath, JsonArrayWriter, OFFSET_UNITS, parseSplitSpec, selectEntities, splitOutputPath, SplitPart, zlibCompress,
} from '../core/exchange/export';
import {
  ArticleMatcher, ImportFormat, ImportIssue, ImportRecord, mergeImported, MergeResult, parseBrat, parseDoccanoLine, parseJsonlLine,
  parseLabelStudio, Parsed,
} from '../core/exchange/import';
import { baseName, sidecarPathOf } from '../core/model/model';
import { hasErrors } from '../core/model/problems';
import { readSidecar } from '../core/sidecar/sidecar-read';
import { validateAgainstArticle } from '../core/sidecar/validate';
import { Corpus } from './corpus';
import { LabelService } from './labels';
import { registerCommand } from './register-command';
import { AnnotationStore } from './store';

const FORMAT_ITEMS: ReadonlyArray<vscode.QuickPickItem & { format: ExportFormat; ext: string; filter: string }> = [
  { format: 'jsonl', ext: 'jsonl', filter: 'spaCy / Prodigy JSONL', label: 'spaCy / Prodigy JSONL', description: OFFSET_UNITS.jsonl, detail: 'One line per document: text, spans, meta. For spaCy, Prodigy, Python scripts.' },
  { format: 'conll', ext: 'conll', filter: 'CoNLL', label: 'CoNLL (IOB2)', description: 'tokens', detail: 'One "token TAG" line per token; nested entities: the longest is kept (the others are reported).' },
  { format: 'brat', ext: '', filter: '', label: 'brat standoff', description: OFFSET_UNITS.brat, detail: 'A folder of X.txt + X.ann files and annotation.conf.' },
  { format: 'doccano', ext: 'jsonl', filter: 'doccano JSONL', label: 'doccano JSONL', description: OFFSET_UNITS.doccano, detail: 'Sequence labelling import of doccano.' },
  { format: 'labelstudio', ext: 'json', filter: 'Label Studio JSON', label: 'Label Studio JSON', description: OFFSET_UNITS.labelstudio, detail: 'Tasks with annotations, for <Labels name="label" toName="text">.' },
  { format: 'spacy', ext: 'spacy', filter: 'spaCy DocBin', label: 'spaCy DocBin (.spacy)', description: OFFSET_UNITS.spacy, detail: 'For `spacy train`: doc.ents (the longest of nested entities) and doc.spans["sc"] (all).' },
  { format: 'hf', ext: 'jsonl', filter: 'Hugging Face JSONL', label: 'Hugging Face token classification', description: OFFSET_UNITS.hf, detail: 'One line per sentence {tokens, ner_tags}, X.label_names.json beside it; datasets.load_dataset("json").' },
];

/** Formats the importer reads (CoNLL, spaCy and hf are export only). */
const IMPORT_ITEMS = FORMAT_ITEMS.filter((i) => i.format !== 'conll' && i.format !== 'spacy' && i.format !== 'hf');

const SPLIT_ITEMS: ReadonlyArray<vscode.QuickPickItem & { spec?: string }> = [
  { label: 'No split', description: 'one output' },
  { label: 'train / dev / test', description: '80 / 10 / 10', spec: 'train=0.8,dev=0.1,test=0.1' },
  { label: 'train / test', description: '90 / 10', spec: 'train=0.9,test=0.1' },
  { label: 'Other split…', description: 'e.g. train=0.7,dev=0.15,test=0.15' },
];

export interface ExportArgs {
  format?: ExportFormat;
  scope?: 'workspace' | 'document';
  /** The file (brat: folder) to write; asked for when absent. */
  target?: vscode.Uri;
  /** Ask whether to open the result (default true). */
  offerToOpen?: boolean;
  /** Splits by document, `train=0.8,dev=0.1,test=0.1` (as the CLI's --split); '' for none; asked for when absent. */
  split?: string;
  /** Seed of the split (default 0). */
  seed?: number;
}

export interface ExportOutcome {
  target: string;
  documents: number;
  entities: number;
  issues: number;
  invalid: number;
}

export interface ImportArgs {
  format?: ImportFormat;
  source?: vscode.Uri;
  /** Only compute what would change. */
  dryRun?: boolean;
  /** Ask for confirmation before writing (default true). */
  confirm?: boolean;
}

export interface ImportOutcome {
  records: number;
  unmatched: number;
  added: number;
  identical: number;
  conflicts: number;
  invalid: number;
  written: number;
}

interface ImportPlan {
  uri: vscode.Uri;
  spans: ImportRecord['spans'];
  sidecarExists: boolean;
  status?: ImportRecord['status'];
  /** The last merge, on top of the previous ones. */
  result: MergeResult;
  added: number;
  identical: number;
  conflicts: number;
  invalid: number;
}

export class ExportCommands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: AnnotationStore, private readonly corpus: Corpus, private readonly labels: LabelService, private readonly log: vscode.LogOutputChannel) {
    const reg = (id: string, f: (arg?: never) => Promise<unknown>) => this.disposables.push(registerCommand(this.log, id, f));
    reg('exportAnnotations', (args?: ExportArgs) => this.export(args ?? {}));
    reg('importAnnotations', (args?: ImportArgs) => this.import(args ?? {}));
  }

  private async export(args: ExportArgs): Promise<ExportOutcome | undefined> {
    const item = args.format ? FORMAT_ITEMS.find((i) => i.format === args.format) : await vscode.window.showQuickPick(FORMAT_ITEMS, { title: 'Export annotations as…', matchOnDetail: true });
    if (!item) return undefined;
    const active = vscode.window.activeTextEditor?.document.uri;
    const activeIsArticle = active !== undefined && this.labels.isArticle(active);
    let scope = args.scope;
    if (!scope) {
      if (!activeIsArticle) scope = 'workspace';
      else {
        const picked = await vscode.window.showQuickPick([
          { label: 'Whole workspace', description: 'every annotated article', scope: 'workspace' as const },
          { label: 'Current document', description: baseName(active.path), scope: 'document' as const },
        ], { title: `Export ${item.label}: which articles?` });
        if (!picked) return undefined;
        scope = picked.scope;
      }
    }
    let splitSpec = args.split;
    if (splitSpec === undefined && scope === 'workspace' && !args.target) {
      const picked = await vscode.window.showQuickPick(SPLIT_ITEMS, { title: `Export ${item.label}: split by document?` });
      if (!picked) return undefined;
      splitSpec = picked.spec ?? (picked.label === 'Other split…'
        ? await vscode.window.showInputBox({ title: 'Splits (name=ratio, comma-separated)', value: 'train=0.8,dev=0.1,test=0.1', validateInput: (v) => { try { parseSplitSpec(v); return undefined; } catch (e) { return e instanceof Error ? e.message : String(e); } } })
        : '');
      if (splitSpec === undefined) return undefined;
    }
    const split = splitSpec ? { parts: parseSplitSpec(splitSpec), seed: args.seed ?? 0 } : undefined;
    let articles: vscode.Uri[];
    if (scope === 'document') {
      if (!active) throw new Error('no document is open to export');
      articles = [active];
    } else {
      await this.corpus.ready();
      articles = this.corpus.list();
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    let target = args.target;
    if (!target) {
      if (item.format === 'brat') {
        const picked = await vscode.window.showOpenDialog({ canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Export Here', title: 'Folder for the brat collection (X.txt + X.ann)', ...(folder ? { defaultUri: folder } : {}) });
        target = picked?.[0];
      } else {
        const name = scope === 'document' && active ? `${baseName(active.path).replace(/\.[^.]*$/, '')}.${item.ext}` : `annotations.${item.format === 'conll' ? 'conll' : item.ext}`;
        target = await vscode.window.showSaveDialog({
          title: `Export ${item.label}`,
          saveLabel: 'Export',
          filters: { [item.filter]: [item.ext], 'All files': ['*'] },
          ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
        });
      }
    }
    if (!target) return undefined;
    const dest = target;

    const outcome = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Exporting annotations (${item.label})`, cancellable: true },
      (progress, token) => this.runExport(item.format, articles, dest, progress, token, split),
    );
    if (!outcome) return undefined;
    const lost = outcome.issues ? ` ${outcome.issues} thing(s) the format cannot hold were left out or simplified (listed in the log).` : '';
    const invalid = outcome.invalid ? ` ${outcome.invalid} invalid sidecar(s) were not exported.` : '';
    const message = `Exported ${outcome.documents} document(s), ${outcome.entities} entities to ${baseName(dest.path)}.${lost}${invalid}`;
    if (args.offerToOpen === false) {
      void vscode.window.showInformationMessage(message);
      return outcome;
    }
    const buttons = [item.format === 'brat' ? 'Reveal' : 'Open', ...(outcome.issues || outcome.invalid ? ['Show Details'] : [])];
    void vscode.window.showInformationMessage(message, ...buttons).then(async (choice) => {
      if (choice === 'Open') await vscode.window.showTextDocument(dest);
      else if (choice === 'Reveal') await vscode.commands.executeCommand('revealFileInOS', dest);
      else if (choice === 'Show Details') this.log.show();
    });
    return outcome;
  }

  /** The same conversions as the CLI's export (src/core/exchange/export), the output built in memory. */
  private async runExport(format: ExportFormat, articles: readonly vscode.Uri[], target: vscode.Uri, progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken, split?: { parts: SplitPart[]; seed: number }): Promise<ExportOutcome | undefined> {
    const tally = new ExportTally();
    const labelNames: string[] = [];
    const attrValues = new Map<string, Set<string>>();
    const hfNames = new HfLabelNames();
    let invalid = 0;
    let issues = 0;
    const encoder = new TextEncoder();
    this.log.info(`export (${format}) of ${articles.length} article(s) to ${target.fsPath}${split ? ` split ${split.parts.map((p) => `${p.name}=${p.ratio}`).join(',')} seed ${split.seed}` : ''}`);
    const docs: ExportDocument[] = [];
    for (const [n, uri] of articles.entries()) {
      if (token.isCancellationRequested) {
        this.log.info('export cancelled');
        return undefined;
      }
      progress.report({ message: `${n + 1}/${articles.length} ${baseName(uri.path)}`, increment: 100 / articles.length });
      const doc = await this.readForExport(uri);
      if (doc === 'none') continue;
      if (doc === 'invalid') {
        invalid++;
        continue;
      }
      docs.push(doc);
      for (const l of this.labels.configFor(uri).labels) {
        if (!labelNames.includes(l.name)) labelNames.push(l.name);
        hfNames.addLabel(l.name);
      }
    }
    const assignment = split
      ? assignSplits(docs.map((d) => ({ name: d.relPath, labels: new Set(selectEntities(d.sidecar.entities, {}).map((e) => e.label)) })), split.parts, split.seed)
      : undefined;
    const brat = format === 'brat';
    const outputs = (split ? split.parts.map((p) => p.name) : ['']).map((name) => ({
      name,
      uri: name === '' ? target : target.with({ path: splitOutputPath(target.path, name, brat) }),
      chunks: [] as Array<string>,
      array: new JsonArrayWriter(),
      docBin: new DocBinBuilder(),
    }));
    for (const doc of docs) {
      const output = outputs.find((o) => o.name === (assignment?.[doc.relPath] ?? '')) ?? (outputs[0] as (typeof outputs)[number]);
      const out: DocumentOutput = exportDocument(format, doc, {}, { hfNames });
      tally.add(out);
      for (const i of out.issues) {
        issues++;
        this.log.warn(`export: ${formatIssue(i)}`);
      }
      if (brat) {
        const selected = selectEntities(doc.sidecar.entities, {});
        for (const e of selected) if (!labelNames.includes(e.label)) labelNames.push(e.label);
        collectBratAttrs(selected, attrValues);
        const names = bratNames(doc.relPath);
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(output.uri, ...names.txt.split('/')), encoder.encode(out.text));
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(output.uri, ...names.ann.split('/')), encoder.encode(out.ann ?? ''));
      } else if (out.spacy) {
        output.docBin.add(out.spacy);
      } else {
        output.chunks.push(format === 'labelstudio' ? output.array.next(out.text) : out.text);
      }
    }
    for (const output of outputs) {
      if (brat) {
        await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(output.uri, 'annotation.conf'), encoder.encode(bratConf(labelNames, attrValues)));
      } else if (format === 'spacy') {
        await vscode.workspace.fs.writeFile(output.uri, await zlibCompress(output.docBin.toMsgpack()));
      } else {
        if (format === 'labelstudio') output.chunks.push(output.array.end());
        await vscode.workspace.fs.writeFile(output.uri, encoder.encode(output.chunks.join('')));
        if (format === 'hf') await vscode.workspace.fs.writeFile(output.uri.with({ path: hfLabelNamesPath(output.uri.path) }), encoder.encode(hfNames.toJson()));
      }
    }
    if (split && assignment) {
      const file = brat ? vscode.Uri.joinPath(target, 'splits.json') : target.with({ path: target.path.replace(/(\.[^./]*)?$/, '.splits.json') });
      await vscode.workspace.fs.writeFile(file, encoder.encode(formatSplitAssignment({ seed: split.seed, splits: split.parts, documents: assignment })));
    }
    this.log.info(`export (${format}): ${tally.summary()}${invalid ? `; ${invalid} invalid sidecar(s) not exported` : ''}`);
    return { target: target.toString(), documents: tally.documents, entities: tally.entities, issues, invalid };
  }

  /** An article with a valid sidecar as the exporters take it; 'none' without a sidecar. */
  private async readForExport(uri: vscode.Uri): Promise<ExportDocument | 'none' | 'invalid'> {
    const sidecarUri = uri.with({ path: sidecarPathOf(uri.path) });
    let source: string;
    try {
      source = new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(sidecarUri));
    } catch (e) {
      if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return 'none';
      this.log.warn(`export: ${sidecarUri.fsPath}: cannot read it: ${String(e)}`);
      return 'invalid';
    }
    const parsed = readSidecar(source);
    const article = await this.readArticle(uri);
    if (!parsed.sidecar || hasErrors(parsed.problems) || !article) {
      this.log.warn(`export: ${sidecarUri.fsPath}: invalid, not exported${parsed.problems[0] ? ` (line ${parsed.problems[0].line}: ${parsed.problems[0].message})` : ''}`);
      return 'invalid';
    }
    const config = this.labels.configFor(uri);
    const problems = validateAgainstArticle(parsed.sidecar, article, { labels: new Set(config.labels.map((l) => l.name)), overlap: config.overlap });
    if (hasErrors(problems)) {
      this.log.warn(`export: ${sidecarUri.fsPath}: invalid, not exported (${problems.find((p) => p.severity === 'error')?.message ?? ''})`);
      return 'invalid';
    }
    return { name: baseName(uri.path), relPath: vscode.workspace.asRelativePath(uri, false), article, sidecar: parsed.sidecar };
  }

  private async readArticle(uri: vscode.Uri): Promise<Article | undefined> {
    try {
      return decodeArticle(await vscode.workspace.fs.readFile(uri));
    } catch (e) {
      if (e instanceof ArticleDecodeError || e instanceof vscode.FileSystemError) return undefined;
      throw e;
    }
  }

  private async import(args: ImportArgs): Promise<ImportOutcome | undefined> {
    const items = IMPORT_ITEMS;
    const item = args.format ? items.find((i) => i.format === args.format) : await vscode.window.showQuickPick(items, { title: 'Import annotations from…' });
    if (!item) return undefined;
    const format = item.format as ImportFormat;
    let source = args.source;
    if (!source) {
      const picked = await vscode.window.showOpenDialog(format === 'brat'
        ? { canSelectFiles: false, canSelectFolders: true, canSelectMany: false, openLabel: 'Import', title: 'brat collection folder (X.txt + X.ann)' }
        : { canSelectFiles: true, canSelectFolders: false, canSelectMany: false, openLabel: 'Import', title: `Import ${item.label}`, filters: { [item.filter]: [item.ext], 'All files': ['*'] } });
      source = picked?.[0];
    }
    if (!source) return undefined;
    const src = source;
    this.log.info(`import (${format}) from ${src.fsPath}`);

    const plan = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading ${item.label}`, cancellable: true },
      (progress, token) => this.planImport(format, src, progress, token),
    );
    if (!plan) return undefined;
    const outcome: ImportOutcome = { records: plan.records, unmatched: plan.unmatched, added: 0, identical: 0, conflicts: 0, invalid: plan.invalidSidecars, written: 0 };
    for (const p of plan.merges) {
      outcome.added += p.added;
      outcome.identical += p.identical;
      outcome.conflicts += p.conflicts;
      outcome.invalid += p.invalid;
    }
    const problems = outcome.unmatched + outcome.conflicts + outcome.invalid + plan.errors;
    const summary = `${outcome.added} entities to add to ${plan.merges.filter((m) => m.added).length} article(s) from ${outcome.records} source document(s); ${outcome.identical} already there, ${outcome.conflicts} conflict(s), ${outcome.unmatched} document(s) without a matching article.`;
    if (args.dryRun || outcome.added === 0) {
      void vscode.window.showInformationMessage(`${args.dryRun ? 'Dry run: ' : 'Nothing to import: '}${summary}`, ...(problems ? ['Show Details'] : []))
        .then((c) => c === 'Show Details' && this.log.show());
      return outcome;
    }
    if (args.confirm !== false) {
      const choice = await vscode.window.showInformationMessage(`Import ${summary}`, { modal: true, detail: problems ? 'Conflicts and unmatched documents are listed in the log and are not imported.' : undefined }, 'Import', 'Show Details');
      if (choice === 'Show Details') this.log.show();
      if (choice !== 'Import') return undefined;
    }
    for (const m of plan.merges) {
      if (!m.added) continue;
      const config = this.labels.configFor(m.uri);
      // Merged again on the sidecar as it is now (it may have changed while the dialog was open).
      const result = await this.store.apply(m.uri, `import ${m.added} entities (${format})`, (s, article) =>
        mergeImported(m.sidecarExists ? s : undefined, article, baseName(m.uri.path), m.spans, { format, overlap: config.overlap, ...(m.status ? { status: m.status } : {}) }).sidecar);
      if (result === 'changed') outcome.written++;
      else if (result !== 'unchanged') this.log.error(`import: ${m.uri.fsPath}: not written (${result})`);
    }
    void vscode.window.showInformationMessage(`Imported ${outcome.added} entities into ${outcome.written} article(s).${problems ? ' Some were not imported: see the log.' : ''}`, ...(problems ? ['Show Details'] : []))
      .then((c) => c === 'Show Details' && this.log.show());
    return outcome;
  }

  private async planImport(format: ImportFormat, source: vscode.Uri, progress: vscode.Progress<{ message?: string }>, token: vscode.CancellationToken) {
    await this.corpus.ready();
    const candidates = this.corpus.list().map((uri) => ({ key: uri.toString(), relPath: vscode.workspace.asRelativePath(uri, false) }));
    const byKey = new Map(this.corpus.list().map((u) => [u.toString(), u]));
    const matcher = new ArticleMatcher(candidates, (key) => this.readArticle(byKey.get(key) as vscode.Uri));
    /** Per article: every span the source gives for it, and what merging them all would do. */
    const plans = new Map<string, ImportPlan>();
    let records = 0;
    let unmatched = 0;
    let invalidSidecars = 0;
    let errors = 0;
    const report = (i: ImportIssue) => {
      if (i.severity === 'error') errors++;
      (i.severity === 'error' ? this.log.error : this.log.warn).call(this.log, `import: ${i.origin}: ${i.message}`);
    };
    for await (const parsed of this.readSource(format, source)) {
      if (token.isCancellationRequested) return undefined;
      parsed.issues.forEach(report);
      for (const record of parsed.records) {
        records++;
        progress.report({ message: `${records}: ${record.origin.split('/').pop() ?? ''}` });
        const m = await matcher.match(record);
        if (m.key === undefined) {
          unmatched++;
          this.log.error(`import: ${record.origin}: not imported: ${m.reason}`);
          continue;
        }
        const uri = byKey.get(m.key) as vscode.Uri;
        const ann = await this.store.load(uri);
        if (ann.kind !== 'ok') {
          invalidSidecars++;
          this.log.error(`import: ${record.origin}: not imported: the sidecar of ${m.relPath} is invalid and is never rewritten`);
          continue;
        }
        // Several source documents may name the same article: each merges into what the previous ones made.
        const plan = plans.get(m.key);
        const base = plan ? plan.result.sidecar : ann.sidecarExists ? ann.sidecar : undefined;
        const config = this.labels.configFor(uri);
        const result = mergeImported(base, m.article, baseName(uri.path), record.spans, { format, overlap: config.overlap, ...(record.status ? { status: record.status } : {}) });
        for (const c of result.conflicts) this.log.error(`import: ${record.origin}: conflict, not imported: ${c.span.label} ${c.span.start}-${c.span.end} in ${m.relPath}: ${c.reason}`);
        for (const x of result.invalid) this.log.error(`import: ${record.origin}: not imported: ${x.span.label} ${x.span.start}-${x.span.end}: ${x.reason}`);
        this.log.info(`import: ${record.origin} → ${m.relPath} (by ${m.by}): ${result.added.length} to add, ${result.identical.length} already there`);
        if (!plan) {
          plans.set(m.key, { uri, spans: [...record.spans], sidecarExists: ann.sidecarExists, ...(record.status ? { status: record.status } : {}), result, added: result.added.length, identical: result.identical.length, conflicts: result.conflicts.length, invalid: result.invalid.length });
        } else {
          plan.spans.push(...record.spans);
          plan.result = result;
          plan.added += result.added.length;
          plan.identical += result.identical.length;
          plan.conflicts += result.conflicts.length;
          plan.invalid += result.invalid.length;
        }
      }
    }
    const merges = [...plans.values()];
    return { records, unmatched, invalidSidecars, errors, merges };
  }

  private async *readSource(format: ImportFormat, source: vscode.Uri): AsyncGenerator<Parsed> {
    const decode = (bytes: Uint8Array) => new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    const name = vscode.workspace.asRelativePath(source, false);
    if (format === 'brat') {
      const stat = await vscode.workspace.fs.stat(source);
      const dir = stat.type & vscode.FileType.Directory ? source : vscode.Uri.joinPath(source, '..');
      const stems = stat.type & vscode.FileType.Directory ? await this.bratStems(source, '') : [baseName(source.path).replace(/\.(ann|txt)$/, '')];
      for (const stem of stems) {
        const origin = `${name}/${stem}.ann`;
        try {
          const txt = decodeArticle(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, `${stem}.txt`)));
          const ann = decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, `${stem}.ann`)));
          yield parseBrat(txt.text, ann, origin, `${stem}.txt`, txt.hasBom);
        } catch (e) {
          yield { records: [], issues: [{ origin, severity: 'error', message: `cannot read ${stem}.txt and .ann: ${e instanceof Error ? e.message : String(e)}` }] };
        }
      }
      return;
    }
    const text = decode(await vscode.workspace.fs.readFile(source)).replace(/^\uFEFF/, '');
    if (format === 'labelstudio') {
      yield parseLabelStudio(text, name);
      return;
    }
    const parse = format === 'doccano' ? parseDoccanoLine : parseJsonlLine;
    const lines = text.split('\n');
    for (const [i, line] of lines.entries()) {
      if (line.trim() !== '') yield parse(line, `${name}:${i + 1}`);
    }
  }

  private async bratStems(dir: vscode.Uri, prefix: string): Promise<string[]> {
    const out: string[] = [];
    const entries = (await vscode.workspace.fs.readDirectory(dir)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [entry, type] of entries) {
      if (type & vscode.FileType.Directory) {
        if (entry !== 'node_modules' && entry !== '.git') out.push(...(await this.bratStems(vscode.Uri.joinPath(dir, entry), `${prefix}${entry}/`)));
      } else if (entry.endsWith('.ann')) {
        out.push(prefix + entry.slice(0, -4));
      }
    }
    return out;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
