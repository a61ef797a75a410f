// The Problems panel: what is wrong in each sidecar (at its line in the sidecar), a pointer on the
// article to why its annotations are not shown, and the label configuration files' problems.
// Kept current per article from the store's change events; sidecars are loaded in the background
// after activation, so their problems show without opening every article.
import * as vscode from 'vscode';
import { articlePathOf, baseName } from '../core/model';
import { Problem } from '../core/problems';
import { coalesce } from './coalesce';
import { Corpus } from './corpus';
import { LabelService } from './labels';
import { AnnotationStore, DocAnnotations } from './store';

export const DIAGNOSTIC_SOURCE = 'corpus-annotator';

/** How many articles the background load reads at once: enough to be quick, few enough to leave the host responsive. */
const LOAD_CONCURRENCY = 8;

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
  private configUris: vscode.Uri[] = [];
  private configGeneration = 0;
  private disposed = false;

  constructor(
    private readonly store: AnnotationStore,
    private readonly labels: LabelService,
    corpus: Corpus,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const sidecars = vscode.workspace.createFileSystemWatcher('**/*.ann.yaml', false, true, true);
    this.disposables.push(
      sidecars,
      store.onDidChange(({ article }) => void this.updateArticle(article)),
      labels.onDidChange(() => void this.updateConfig()),
      // The corpus scans after the label configuration is loaded (at activation and when it changes):
      // only then can sidecars be validated against the right labels.
      corpus.onDidChangeArticles(() => {
        void this.updateConfig();
        void this.loadAllSidecars();
      }),
      // A new sidecar of an article nobody has loaded: the store ignores it, so load it here.
      sidecars.onDidCreate((uri) => void this.loadSidecarArticle(uri)),
    );
    for (const ann of store.all()) void this.updateArticle(ann.article);
  }

  /**
   * Loads every article that has a sidecar, so its problems are known without opening it. Asked
   * for at each change of the article list: one pass (one search of the workspace) at a time.
   */
  private readonly loadAllSidecars = coalesce(async () => {
    try {
      const started = Date.now();
      const sidecars = await vscode.workspace.findFiles('**/*.ann.yaml', '**/{node_modules,.git}/**');
      const queue = sidecars.filter((uri) => !this.store.get(articleOf(uri)));
      const worker = async () => {
        for (let uri = queue.shift(); uri && !this.disposed; uri = queue.shift()) await this.loadSidecarArticle(uri);
      };
      await Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, queue.length) }, worker));
      if (sidecars.length) this.log.info(`checked ${sidecars.length} sidecar(s) in ${Date.now() - started} ms`);
    } catch (e) {
      this.log.error(`cannot list the sidecars of the workspace: ${e instanceof Error ? e.message : String(e)}`);
    }
  });

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
    const gen = (this.generation.get(key) ?? 0) + 1;
    this.generation.set(key, gen);
    if (ann) this.shown.set(key, { kind: ann.kind, problems: ann.problems });
    else this.shown.delete(key);

    let next: Array<[vscode.Uri, vscode.Diagnostic[]]> = [];
    try {
      next = ann ? await this.diagnosticsOf(ann) : [];
    } catch (e) {
      this.log.error(`cannot report the problems of ${article.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
    }
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
    const lines = await readLines(ann.sidecarUri);
    const sidecarDiags = ann.problems.map((p) => toDiagnostic(p, lines));
    const result: Array<[vscode.Uri, vscode.Diagnostic[]]> = [[ann.sidecarUri, sidecarDiags]];
    if (ann.kind === 'invalid') {
      const errors = ann.problems.filter((p) => p.severity === 'error');
      const firstLine = (ann.text.split('\n', 1)[0] ?? '').replace(/\r$/, '');
      const d = new vscode.Diagnostic(
        new vscode.Range(0, 0, 0, firstLine.length),
        `Annotations not shown: the sidecar ${baseName(ann.sidecarUri.path)} has ${errors.length} error(s)`,
        vscode.DiagnosticSeverity.Warning,
      );
      d.source = DIAGNOSTIC_SOURCE;
      d.code = 'sidecar-invalid';
      const firstError = errors[0];
      const firstIndex = firstError ? ann.problems.indexOf(firstError) : -1;
      const firstDiag = sidecarDiags[firstIndex];
      if (firstError && firstDiag) {
        d.relatedInformation = [new vscode.DiagnosticRelatedInformation(new vscode.Location(ann.sidecarUri, firstDiag.range), firstError.message)];
      }
      result.push([ann.article, [d]]);
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
    return lenientDecoder.decode(await vscode.workspace.fs.readFile(uri)).replace(/^\uFEFF/, '').split(/\r?\n/);
  } catch {
    return [];
  }
}

function articleOf(sidecar: vscode.Uri): vscode.Uri {
  return sidecar.with({ path: articlePathOf(sidecar.path) });
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
