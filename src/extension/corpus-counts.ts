// Per document and corpus-wide counts for the sidebar (entities per label, suggestions, status)
// without loading every article: each sidecar's text is summarised once (core/corpus-index.ts,
// the fast reader) and kept current from the store (documents it has loaded) and from sidecar file
// events (documents it has not). A 10k-document corpus gets its rows and totals from this.
import * as vscode from 'vscode';
import { CorpusIndex, DocumentSummary, summariseSidecar } from '../core/corpus-index';
import { articlePathOf, Entity, sidecarPathOf } from '../core/model';
import { isSuggestion } from '../core/suggest';
import { coalesce } from './coalesce';
import { Corpus } from './corpus';
import { AnnotationStore, DocAnnotations } from './store';

/** Sidecars read at once while summarising the corpus. */
const READ_CONCURRENCY = 16;
const decoder = new TextDecoder('utf-8', { fatal: true });

export class CorpusCounts implements vscode.Disposable {
  private readonly index = new CorpusIndex();
  private readonly emitter = new vscode.EventEmitter<vscode.Uri | undefined>();
  /** Fires when a document's summary changed (its article), or many did (undefined). */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  /** Bumped per document at each update, so that a slow read never overwrites a newer summary. */
  private readonly generation = new Map<string, number>();

  constructor(private readonly corpus: Corpus, private readonly store: AnnotationStore, private readonly log: vscode.LogOutputChannel) {
    const sidecars = vscode.workspace.createFileSystemWatcher('**/*.ann.yaml');
    const onSidecar = (uri: vscode.Uri) => {
      const article = uri.with({ path: articlePathOf(uri.path) });
      // A loaded document is the store's to report (it also knows the unsaved state).
      if (this.corpus.has(article) && !this.store.get(article)) void this.readSummary(article);
    };
    this.disposables.push(
      sidecars,
      sidecars.onDidCreate(onSidecar),
      sidecars.onDidChange(onSidecar),
      sidecars.onDidDelete(onSidecar),
      store.onDidChange(({ article }) => this.fromStore(article)),
      corpus.onDidChangeArticles(() => void this.sync()),
    );
  }

  /** The summary of a document, once known. */
  get(article: vscode.Uri): DocumentSummary | undefined {
    return this.index.get(article.toString());
  }

  /** Corpus totals, when every article of the corpus has a summary. */
  totals(): ReturnType<CorpusIndex['totals']> | undefined {
    return this.index.size === this.corpus.list().length ? this.index.totals() : undefined;
  }

  /** Summarises the articles not yet known and forgets those gone (one pass at a time: see coalesce). */
  private readonly sync = coalesce(async () => {
    await this.corpus.ready();
    const articles = this.corpus.list();
    const keep = new Set(articles.map((u) => u.toString()));
    for (const [key] of [...this.index.documents()]) if (!keep.has(key)) this.index.delete(key);
    const todo = articles.filter((u) => !this.index.get(u.toString()));
    const started = Date.now();
    for (let i = 0; i < todo.length; i += READ_CONCURRENCY) {
      // A document the store has loaded by now (the active editor's, the Problems panel's
      // background load) is summarised from it, as its changes are: its sidecar is not read again.
      await Promise.all(todo.slice(i, i + READ_CONCURRENCY).map((u) => (this.store.get(u) ? this.fromStore(u, false) : this.readSummary(u, false))));
    }
    if (todo.length) this.log.info(`summarised ${todo.length} sidecar(s) for the sidebar in ${Date.now() - started} ms`);
    this.emitter.fire(undefined);
  });

  private fromStore(article: vscode.Uri, fire = true): void {
    const ann = this.store.get(article);
    if (!ann || !this.corpus.has(article)) return;
    this.bump(article);
    this.index.set(article.toString(), summaryOf(ann));
    if (fire) this.emitter.fire(article);
  }

  /** Reads a sidecar and summarises it; a read that a newer update overtook is dropped. */
  private async readSummary(article: vscode.Uri, fire = true): Promise<void> {
    const generation = this.bump(article);
    let text: string | undefined;
    try {
      text = decoder.decode(await vscode.workspace.fs.readFile(article.with({ path: sidecarPathOf(article.path) })));
    } catch (e) {
      if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) {
        // Unreadable or not UTF-8: counted as invalid; the store reports why when the document loads.
        this.log.warn(`cannot summarise the sidecar of ${article.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
        if (this.generation.get(article.toString()) !== generation) return;
        this.index.set(article.toString(), { state: 'invalid', entities: 0, suggestions: 0, labels: new Map(), errors: 1 });
        if (fire) this.emitter.fire(article);
        return;
      }
    }
    if (this.generation.get(article.toString()) !== generation) return;
    this.index.set(article.toString(), summariseSidecar(text));
    if (fire) this.emitter.fire(article);
  }

  private bump(article: vscode.Uri): number {
    const next = (this.generation.get(article.toString()) ?? 0) + 1;
    this.generation.set(article.toString(), next);
    return next;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** A loaded document's summary, from what the store shows. */
function summaryOf(ann: DocAnnotations): DocumentSummary {
  if (ann.kind !== 'ok') return { state: 'invalid', entities: 0, suggestions: 0, labels: new Map(), errors: ann.problems.filter((p) => p.severity === 'error').length };
  return { state: ann.sidecarExists ? 'ok' : 'none', status: ann.sidecar.status, ...countEntities(ann.sidecar.entities), errors: 0 };
}

/**
 * Entities (suggestions apart) per label, in first-seen order, their total, and the suggestions:
 * how the sidebar and the status bar count a loaded document (core/corpus-index.ts counts a
 * sidecar's text the same way).
 */
export function countEntities(entities: readonly Entity[]): { entities: number; suggestions: number; labels: Map<string, number> } {
  const labels = new Map<string, number>();
  let suggestions = 0;
  for (const e of entities) {
    if (isSuggestion(e)) suggestions++;
    else labels.set(e.label, (labels.get(e.label) ?? 0) + 1);
  }
  return { entities: entities.length - suggestions, suggestions, labels };
}
