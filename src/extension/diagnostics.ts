// The Problems panel: what is wrong in each sidecar (at its line in the sidecar), a pointer on the
// article to why its annotations are not shown, and the label configuration files' problems.
// Two sources, never the whole corpus loaded: the corpus counts' pass reads every sidecar once
// (core/corpus/corpus-index.ts: the reader's verdict, line-numbered, the article not read), and a loaded
// article (opened, or a new sidecar, or "Check All Annotations") is checked in full against its
// text by the store. A full check's result stays until its sidecar changes.
import * as vscode from 'vscode';
import { DocumentSummary } from '../core/corpus/corpus-index';
import { articlePathOf, baseName, sidecarPathOf } from '../core/model/model';
import { Problem } from '../core/model/problems';
import { Corpus } from './corpus';
import { CorpusCounts, CountsChange } from './corpus-counts';
import { LabelService } from './labels';
import { registerCommand } from './register-command';
import { readBytes } from './read-file';
import { AnnotationStore, DocAnnotations } from './store';
import { exists } from './file-exists';

export const DIAGNOSTIC_SOURCE = 'corpus-annotator';

/** Articles "Check All Annotations" checks at once: enough to be quick, few enough to leave the host responsive. */
const CHECK_CONCURRENCY = 4;

const lenientDecoder = new TextDecoder('utf-8');

export class SidecarDiagnostics implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('corpus-annotator');
  private readonly disposables: vscode.Disposable[] = [this.collection];
  /** Per article: the files its diagnostics are on (the sidecar and/or the article), to clear them later. */
  private readonly owned = new Map<string, vscode.Uri[]>();
  /** Per article: what the diagnostics were computed from; text edits fire the store without changing it. */
  private readonly shown = new Map<string, { kind: DocAnnotations['kind']; problems: readonly Problem[] }>();
  /** Per article: the latest update; an older one still reading a file drops its result. */
  private readonly generation = new Map<string, number>();
  /** Articles whose diagnostics come from a full check (the store), not the reader's verdict alone. */
  private readonly fullyChecked = new Set<string>();
  private configUris: vscode.Uri[] = [];
  private configGeneration = 0;
  private disposed = false;

  constructor(
    private readonly store: AnnotationStore,
    private readonly labels: LabelService,
    private readonly corpus: Corpus,
    private readonly log: vscode.LogOutputChannel,
    private readonly counts: CorpusCounts,
  ) {
    const sidecars = vscode.workspace.createFileSystemWatcher('**/*.ann.yaml', false, true, true);
    this.disposables.push(
      sidecars,
      store.onDidChange(({ article }) => void this.updateArticle(article)),
      labels.onDidChange(() => void this.updateConfig()),
      // The corpus scans after the label configuration is loaded (at activation and when it changes).
      corpus.onDidChangeArticles(() => void this.updateConfig()),
      counts.onDidChange((change) => this.fromCounts(change)),
      // A new sidecar of an article nobody has loaded: checked in full (one document; the store
      // keeps only a few closed ones).
      sidecars.onDidCreate((uri) => void this.loadSidecarArticle(uri)),
      registerCommand(log, 'checkAllAnnotations', () => this.checkAll()),
    );
    for (const ann of store.all()) void this.updateArticle(ann.article);
    this.fromCounts(undefined);
  }

  /**
   * The reader's verdict for articles the store has not loaded: a sidecar changed (one article), or
   * a pass over the corpus (every article; there a full check's result is kept, the files being the same).
   */
  private fromCounts(change: CountsChange): void {
    if (change) {
      if (this.store.get(change.article)) return; // the store's full check reports it
      this.fullyChecked.delete(change.article.toString());
      void this.updateFromSummary(change.article, change.after);
      return;
    }
    const articles = new Set(this.corpus.list().map((u) => u.toString()));
    for (const [key, summary] of this.counts.documents()) {
      // (Most documents have nothing to report and nothing shown: skipped before parsing their URI.)
      if ((!summary.problems && !this.owned.has(key)) || this.fullyChecked.has(key)) continue;
      const article = vscode.Uri.parse(key);
      if (!this.store.get(article)) void this.updateFromSummary(article, summary);
    }
    // Articles gone from the corpus (deleted, renamed, excluded) report nothing any more.
    for (const key of [...this.owned.keys()]) {
      if (!articles.has(key) && !this.store.get(vscode.Uri.parse(key))) void this.updateFromSummary(vscode.Uri.parse(key), undefined);
    }
  }

  /** Replaces an article's diagnostics with the reader's verdict on its sidecar (none: clears them). */
  private async updateFromSummary(article: vscode.Uri, summary: DocumentSummary | undefined): Promise<void> {
    const key = article.toString();
    const gen = this.nextGeneration(key);
    this.shown.delete(key);
    let next: Array<[vscode.Uri, vscode.Diagnostic[]]> = [];
    try {
      if (summary?.problems?.length) {
        const sidecar = article.with({ path: sidecarPathOf(article.path) });
        next = this.withArticleWarning(article, sidecar, summary.problems, summary.state === 'invalid', await readLines(sidecar), '');
      }
    } catch (e) {
      this.log.error(`cannot report the problems of ${article.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.publish(key, gen, next);
  }

  /**
   * Checks every article that has a sidecar against its text, as opening each would, with a
   * cancellable progress notification; each is loaded in turn and not kept (the store's LRU).
   */
  private async checkAll(): Promise<{ checked: number; withErrors: number; cancelled: boolean }> {
    await this.corpus.ready();
    const queue = this.corpus.list().filter((u) => this.counts.get(u)?.state !== 'none');
    const total = queue.length;
    let checked = 0;
    let withErrors = 0;
    const cancelled = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Checking annotations', cancellable: true }, async (progress, token) => {
      const worker = async () => {
        for (let uri = queue.shift(); uri && !this.disposed && !token.isCancellationRequested; uri = queue.shift()) {
          try {
            const ann = await this.store.load(uri);
            if (ann.kind !== 'ok') withErrors++;
          } catch (e) {
            this.log.error(`cannot check the annotations of ${uri.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
          }
          checked++;
          if (checked % 50 === 0 || checked === total) progress.report({ message: `${checked} of ${total}`, increment: (50 * 100) / Math.max(total, 1) });
        }
      };
      await Promise.all(Array.from({ length: Math.min(CHECK_CONCURRENCY, queue.length) }, worker));
      return token.isCancellationRequested;
    });
    this.log.info(`checked the annotations of ${checked} of ${total} article(s)${cancelled ? ' (cancelled)' : ''}: ${withErrors} with errors`);
    const summary = `Checked ${checked} of ${total} annotated article(s)${cancelled ? ' (cancelled)' : ''}: ${withErrors ? `${withErrors} with errors, see the Problems panel` : 'no errors'}.`;
    if (withErrors) {
      void vscode.window.showWarningMessage(summary, 'Show Problems').then((c) => c && vscode.commands.executeCommand('workbench.actions.view.problems'));
    } else void vscode.window.showInformationMessage(summary);
    return { checked, withErrors, cancelled };
  }

  private async loadSidecarArticle(sidecar: vscode.Uri): Promise<void> {
    const article = articleOf(sidecar);
    if (this.store.get(article)) return;
    try {
      // A sidecar without its article (left behind by a rename): nothing to check it against.
      if (!(await exists(article))) return;
      await this.store.load(article);
    } catch (e) {
      this.log.error(`cannot load the annotations of ${article.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }

  /** Replaces the diagnostics of one article (on its sidecar and on itself) after a store change. */
  private async updateArticle(article: vscode.Uri): Promise<void> {
    const key = article.toString();
    const ann = this.store.get(article);
    const before = this.shown.get(key);
    if (ann && before && before.kind === ann.kind && before.problems === ann.problems) return;
    const gen = this.nextGeneration(key);
    if (ann) {
      this.shown.set(key, { kind: ann.kind, problems: ann.problems });
      this.fullyChecked.add(key);
    } else {
      this.shown.delete(key);
      this.fullyChecked.delete(key);
    }

    let next: Array<[vscode.Uri, vscode.Diagnostic[]]> = [];
    try {
      next = ann ? await this.diagnosticsOf(ann) : [];
    } catch (e) {
      this.log.error(`cannot report the problems of ${article.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
    this.publish(key, gen, next);
  }

  private nextGeneration(key: string): number {
    const gen = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, gen);
    return gen;
  }

  /** Puts an article's diagnostics in place of those it had, unless a newer update overtook this one. */
  private publish(key: string, gen: number, next: Array<[vscode.Uri, vscode.Diagnostic[]]>): void {
    if (this.disposed || this.generation.get(key) !== gen) return;
    for (const uri of this.owned.get(key) ?? []) {
      if (!next.some(([u]) => u.toString() === uri.toString())) this.collection.delete(uri);
    }
    for (const [uri, diags] of next) this.collection.set(uri, diags);
    if (next.length) this.owned.set(key, next.map(([u]) => u));
    else this.owned.delete(key);
  }

  private async diagnosticsOf(ann: DocAnnotations): Promise<Array<[vscode.Uri, vscode.Diagnostic[]]>> {
    if (ann.kind === 'unreadable') {
      // The article itself is the problem (not UTF-8). A deleted article has nothing left to report on.
      if (!(await exists(ann.article))) return [];
      const message = ann.problems[0]?.message ?? `${baseName(ann.article.path)} cannot be read as UTF-8 text`;
      const d = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `Cannot annotate this file: ${message}`, vscode.DiagnosticSeverity.Error);
      d.source = DIAGNOSTIC_SOURCE;
      d.code = ann.problems[0]?.code ?? 'article-unreadable';
      return [[ann.article, [d]]];
    }
    if (ann.problems.length === 0) return [];
    const firstLine = (ann.text.split('\n', 1)[0] ?? '').replace(/\r$/, '');
    return this.withArticleWarning(ann.article, ann.sidecarUri, ann.problems, ann.kind === 'invalid', await readLines(ann.sidecarUri), firstLine);
  }

  /** The sidecar's diagnostics and, when its errors hide the annotations, a warning on the article's first line. */
  private withArticleWarning(article: vscode.Uri, sidecarUri: vscode.Uri, problems: readonly Problem[], invalid: boolean, lines: readonly string[], firstLine: string): Array<[vscode.Uri, vscode.Diagnostic[]]> {
    const sidecarDiags = problems.map((p) => toDiagnostic(p, lines));
    const result: Array<[vscode.Uri, vscode.Diagnostic[]]> = [[sidecarUri, sidecarDiags]];
    if (invalid) {
      const errors = problems.filter((p) => p.severity === 'error');
      const d = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, firstLine.length),
        `Annotations not shown: the sidecar ${baseName(sidecarUri.path)} has ${errors.length} error(s)`,
        vscode.DiagnosticSeverity.Warning,
      );
      d.source = DIAGNOSTIC_SOURCE;
      d.code = 'sidecar-invalid';
      const firstError = errors[0];
      const firstDiag = firstError ? sidecarDiags[problems.indexOf(firstError)] : undefined;
      if (firstError && firstDiag) {
        d.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(sidecarUri, firstDiag.range), firstError.message)];
      }
      result.push([article, [d]]);
    }
    return result;
  }

  /** Replaces the diagnostics of the label configuration files. */
  private async updateConfig(): Promise<void> {
    const gen = ++this.configGeneration;
    const next: Array<[vscode.Uri, vscode.Diagnostic[]]> = [];
    try {
      for (const { uri, problems } of this.labels.problems()) {
        if (problems.length === 0) continue;
        const lines = await readLines(uri);
        next.push([uri, problems.map((p) => toDiagnostic(p, lines))]);
      }
    } catch (e) {
      this.log.error(`cannot report the label configuration's problems: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (this.disposed || gen !== this.configGeneration) return;
    for (const uri of this.configUris) {
      if (!next.some(([u]) => u.toString() === uri.toString())) this.collection.delete(uri);
    }
    for (const [uri, diags] of next) this.collection.set(uri, diags);
    this.configUris = next.map(([u]) => u);
  }

  dispose(): void {
    this.disposed = true;
    for (const d of this.disposables) d.dispose();
  }
}

/** A problem (1-based, in the file's text) as a diagnostic: from its position to its end, or to the end of its line. */
function toDiagnostic(p: Problem, lines: readonly string[]): vscode.Diagnostic {
  const lineIndex = Math.max(0, p.line - 1);
  const text = lines[lineIndex] ?? '';
  let start = Math.min(Math.max(0, p.column - 1), text.length);
  let range: vscode.Range;
  if (p.endLine !== undefined && p.endColumn !== undefined) {
    range = new vscode.Range(lineIndex, start, Math.max(lineIndex, p.endLine - 1), Math.max(0, p.endColumn - 1));
  } else {
    // From the problem to the end of its line; a problem at the end of a line underlines the whole line.
    if (start >= text.length) start = text.length - text.trimStart().length;
    range = new vscode.Range(lineIndex, start, lineIndex, text.length);
  }
  const d = new vscode.Diagnostic(range, p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = DIAGNOSTIC_SOURCE;
  d.code = p.code;
  return d;
}

/** The lines of a file as on disk (where problem positions were found); none if it cannot be read. */
async function readLines(uri: vscode.Uri): Promise<string[]> {
  try {
    return lenientDecoder.decode(await readBytes(uri)).replace(/^\uFEFF/, '').split(/\r?\n/);
  } catch {
    return [];
  }
}

function articleOf(sidecar: vscode.Uri): vscode.Uri {
  return sidecar.with({ path: articlePathOf(sidecar.path) });
}

