// Per document and corpus-wide counts for the sidebar (entities per label, suggestions, status)
// without loading every article: each sidecar's text is summarised once (core/corpus/corpus-index.ts,
// the fast reader) and kept current from the store (documents it has loaded) and from sidecar file
// events (documents it has not). A 10k-document corpus gets its rows and totals from this.
import * as vscode from 'vscode';
import { CorpusIndex, DocumentSummary, StringPool, summariseEntities, summariseSidecar } from '../core/corpus/corpus-index';
import { articlePathOf, Entity, sidecarPathOf } from '../core/model/model';
import { isSuggestion } from '../core/suggest/suggest';
import { SnapshotEntry } from '../core/corpus/corpus-index-snapshot';
import { coalesce } from './coalesce';
import { readBytes } from './read-file';
import { Corpus } from './corpus';
import type { CorpusIndexCache } from './corpus-index-cache';
import { AnnotationStore, DocAnnotations } from './store';
import { summariseOnWorkers } from './summarise-host';
import type { ReadStamp, SummarisePhase } from './summarise-protocol';

/** Sidecars read at once while summarising the corpus. */
const READ_CONCURRENCY = 16;
/**
 * Sidecars to summarise from which the pass goes to worker threads (summarise-host.ts; the Node
 * host, local files): below, a thread's start costs about what it saves.
 */
const WORKER_MIN = 100;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** One document's summary replaced (`after` undefined: forgotten); undefined: many changed at once (a pass). */
export type CountsChange = { readonly article: vscode.Uri; readonly before: DocumentSummary | undefined; readonly after: DocumentSummary | undefined } | undefined;

export class CorpusCounts implements vscode.Disposable {
  private readonly index = new CorpusIndex();
  /** Labels, surface forms and kb ids are shared by every summary that has them. */
  private readonly pool = new StringPool();
  private readonly emitter = new vscode.EventEmitter<CountsChange>();
  /** Fires when a document's summary changed, or many did (undefined, once per pass). */
  readonly onDidChange = this.emitter.event;
  private readonly passEmitter = new vscode.EventEmitter<void>();
  /** Fires after each pass over the corpus (every article has a summary then). */
  readonly onDidFinishPass = this.passEmitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter, this.passEmitter];
  private firstPassLogged = false;
  /** A pass over the corpus has finished (before, an empty index would pass for an empty corpus). */
  private passed = false;
  /** Bumped at each change of the article list; the pass that saw the latest one sets syncedVersion. */
  private articlesVersion = 0;
  private syncedVersion = -1;
  /** Bumped per document at each update, so that a slow read never overwrites a newer summary. */
  private readonly generation = new Map<string, number>();
  /** Showing the last session's totals (corpus-index-cache.ts) until the first pass has checked them. */
  private provisional = false;
  private persistedIndex: Promise<Map<string, SnapshotEntry> | undefined> | undefined;
  /** The full summaries (mentions) of a pass on worker threads, which follow its counts. */
  private fullSummaries: Promise<void> = Promise.resolve();
  /** Whether worker threads are summarising in full (the persisted index waits: it would save counts without mentions). */
  get summarising(): boolean {
    return this.workerRuns.size > 0;
  }
  private disposed = false;
  /** How the last pass went: sidecars summarised, how many of them on how many worker threads. */
  lastPass: { summarised: number; onWorkers: number; threads: number } | undefined;
  /** TEST-ONLY: another worker script (one that dies, to test the fallback to this thread). */
  workerScript: string | undefined;
  /** Stops the worker threads of a pass under way (on dispose). */
  private readonly workerRuns = new Set<() => void>();

  /** `extension`: where dist/summarise-worker.js is (none: every sidecar is summarised on this thread). */
  constructor(private readonly corpus: Corpus, private readonly store: AnnotationStore, private readonly log: vscode.LogOutputChannel, private readonly activatedAt = performance.now(), private readonly persisted?: CorpusIndexCache, private readonly extension?: vscode.Uri) {
    this.persistedIndex = persisted?.load(this.pool).then((entries) => this.seed(entries));
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
      corpus.onDidChangeArticles(() => {
        this.articlesVersion++;
        void this.sync();
      }),
    );
  }

  /** The summary of a document, once known. */
  get(article: vscode.Uri): DocumentSummary | undefined {
    return this.index.get(article.toString());
  }

  /** Every summary, by article (URI string), in the order first added. */
  documents(): IterableIterator<[string, DocumentSummary]> {
    return this.index.documents();
  }

  /** Whether every article of the corpus has a summary (the totals and whole-corpus views are complete). */
  complete(): boolean {
    // Sizes alone could match while a rename is half done: the pass must have seen the latest list.
    return this.provisional || (this.passed && this.syncedVersion === this.articlesVersion && this.index.size === this.corpus.list().length);
  }

  /**
   * Resolves once the summaries from the persisted index have their mentions (read after their
   * counts: the totals and the document grouping do without; the label and entity groupings wait).
   * Those found missing have none until the first pass reads their sidecars again.
   */
  async mentionsReady(): Promise<void> {
    await this.persistedIndex;
    await this.persisted?.mentionsReady();
    await this.fullSummaries;
  }

  /** Corpus totals, when every article of the corpus has a summary. */
  totals(): ReturnType<CorpusIndex['totals']> | undefined {
    return this.complete() ? this.index.totals() : undefined;
  }

  /** Summarises the articles not yet known and forgets those gone (one pass at a time: see coalesce). */
  private readonly sync = coalesce(async () => {
    await this.corpus.ready();
    const persisted = await this.persistedIndex;
    this.persistedIndex = undefined;
    const version = this.articlesVersion;
    const articles = this.corpus.list();
    const keep = new Set(articles.map((u) => u.toString()));
    let removed = 0;
    for (const [key] of [...this.index.documents()]) {
      if (!keep.has(key)) {
        this.index.delete(key);
        removed++;
      }
    }
    const stale = persisted && (await this.persisted?.stale(persisted, articles, (key) => this.index.get(key)));
    let todo = articles.filter((u) => !this.index.get(u.toString()) || stale?.has(u.toString()));
    const started = Date.now();
    const onWorkers = this.extension && todo.length >= WORKER_MIN ? this.summariseOnWorkers(this.extension, todo.filter((u) => u.scheme === 'file' && !this.store.get(u))) : undefined;
    let counted = 0;
    if (onWorkers) {
      const left = await onWorkers.counted;
      todo = todo.filter((u) => !onWorkers.taken.has(u)).concat(left);
      counted = onWorkers.taken.size - left.length;
    }
    for (let i = 0; i < todo.length; i += READ_CONCURRENCY) {
      // A document the store has loaded by now (the active editor's, the Problems panel's
      // background load) is summarised from it, as its changes are: its sidecar is not read again.
      await Promise.all(todo.slice(i, i + READ_CONCURRENCY).map((u) => (this.store.get(u) ? this.fromStore(u, false) : this.readSummary(u, false))));
    }
    const summarised = todo.length + counted;
    this.lastPass = { summarised, onWorkers: counted, threads: onWorkers?.threads ?? 0 };
    if (summarised) this.log.info(`summarised ${summarised} sidecar(s) for the sidebar in ${Date.now() - started} ms${onWorkers ? ` (${counted} counted on ${onWorkers.threads} worker thread(s))` : ''}`);
    this.passed = true;
    this.provisional = false;
    this.syncedVersion = version;
    if (persisted) this.logTotals('checked against the sidecars');
    else if (!this.firstPassLogged && this.complete()) this.logTotals('');
    if (summarised || removed || persisted) this.emitter.fire(undefined);
    if (onWorkers) {
      // The totals are out; the pass ends with the mentions (the label groupings and the saved index need them).
      await onWorkers.finished;
      this.log.info(`full summaries (mentions) of ${onWorkers.taken.size} sidecar(s) in ${Date.now() - started} ms`);
      this.emitter.fire(undefined);
    }
    this.passEmitter.fire();
  });

  /**
   * Summarises `articles` on worker threads: `counted` resolves, once every one has its counts,
   * to those the workers could not do (this thread reads them); `finished`, once their summaries
   * have their mentions. A summary replaced meanwhile (an edit, a file event, a load in the store)
   * is left as it is. Undefined when no thread could start.
   */
  private summariseOnWorkers(extension: vscode.Uri, articles: vscode.Uri[]): { taken: Set<vscode.Uri>; threads: number; counted: Promise<vscode.Uri[]>; finished: Promise<void> } | undefined {
    if (!articles.length || this.disposed) return undefined;
    const generations = articles.map((u) => this.bump(u));
    const counted: Array<DocumentSummary | undefined> = new Array(articles.length);
    const left: vscode.Uri[] = [];
    /** Counted, but their full summaries failed (their thread died): read here once the threads are done. */
    const again: number[] = [];
    const said = new Set<string>();
    /** Still this pass's to update: no newer read, load or deletion since it began. */
    const ours = (i: number, phase: SummarisePhase) => {
      const u = articles[i] as vscode.Uri;
      if (this.generation.get(u.toString()) !== generations[i] || !this.corpus.has(u)) return undefined;
      if (phase === 'full' && (counted[i] === undefined || this.index.get(u.toString()) !== counted[i])) return undefined;
      return u;
    };
    let run: ReturnType<typeof summariseOnWorkers>;
    try {
      run = summariseOnWorkers(this.workerScript ?? vscode.Uri.joinPath(extension, 'dist', 'summarise-worker.js').fsPath, articles.map((u) => sidecarPathOf(u.fsPath)), this.pool, {
        summary: (phase: SummarisePhase, i: number, summary: DocumentSummary, stamp: ReadStamp) => {
          const u = ours(i, phase);
          if (!u) return;
          if (phase === 'counts') counted[i] = summary;
          else this.persisted?.remember(summary, this.persisted.stampOf(stamp));
          this.replace(u, summary, false);
        },
        failed: (phase: SummarisePhase, i: number, why: string | undefined) => {
          const u = ours(i, phase);
          if (!u) return;
          // (A thread that stops fails all it had left with one reason: said once.)
          if (why && !said.has(why)) {
            said.add(why);
            this.log.warn(`summarising sidecars on a worker thread: ${why}; those it had not done are read on the extension host's thread`);
          }
          if (phase === 'counts') left.push(u);
          else again.push(i);
        },
      });
    } catch (e) {
      this.log.warn(`cannot start the summarising worker threads (${e instanceof Error ? e.message : String(e)}): the sidecars are read on the extension host's thread`);
      return undefined;
    }
    if (!run) return undefined;
    const stop = run.stop;
    this.workerRuns.add(stop);
    const finished = run.finished.then(async () => {
      // Bounded, as the pass's own reads: a thread that died mid-way leaves thousands.
      for (let k = 0; k < again.length; k += READ_CONCURRENCY) {
        const batch = again.slice(k, k + READ_CONCURRENCY).map((i) => ours(i, 'full')).filter((u): u is vscode.Uri => u !== undefined && !this.store.get(u));
        await Promise.all(batch.map((u) => this.readSummary(u, false)));
      }
    }).finally(() => this.workerRuns.delete(stop));
    this.fullSummaries = Promise.all([this.fullSummaries, finished]).then(() => undefined);
    return { taken: new Set(articles), threads: run.threads, counted: run.counted.then(() => left), finished };
  }

  /** The last session's summaries, shown until the first pass has checked them (nothing read yet). */
  private seed(entries: Map<string, SnapshotEntry> | undefined): Map<string, SnapshotEntry> | undefined {
    if (!entries || this.passed) return undefined;
    for (const [key, e] of entries) if (!this.index.get(key)) this.index.set(key, e.summary);
    this.provisional = true;
    this.logTotals('from the persisted index');
    this.emitter.fire(undefined);
    return entries;
  }

  private logTotals(how: string): void {
    this.firstPassLogged = true;
    const t = this.index.totals();
    // (bench/host-scale.mjs reads these lines.)
    this.log.info(`corpus totals known${how ? ` ${how}` : ''}: ${t.entities} entities in ${t.documents} documents, ${(performance.now() - this.activatedAt).toFixed(0)} ms after activation began`);
  }

  /** Reads every sidecar again (the Refresh button), except those of loaded documents (the store's). */
  async rescan(): Promise<void> {
    for (const [key] of [...this.index.documents()]) {
      if (!this.store.get(vscode.Uri.parse(key))) this.index.delete(key);
    }
    await this.sync();
  }

  private fromStore(article: vscode.Uri, fire = true): void {
    const ann = this.store.get(article);
    if (!ann || !this.corpus.has(article)) return;
    this.bump(article);
    this.replace(article, summaryOf(ann, this.pool), fire);
  }

  private replace(article: vscode.Uri, after: DocumentSummary, fire: boolean): void {
    const key = article.toString();
    const before = this.index.get(key);
    this.index.set(key, after);
    if (fire) this.emitter.fire({ article, before, after });
  }

  /** Reads a sidecar and summarises it; a read that a newer update overtook is dropped. */
  private async readSummary(article: vscode.Uri, fire = true): Promise<void> {
    const generation = this.bump(article);
    let text: string | undefined;
    const sidecar = article.with({ path: sidecarPathOf(article.path) });
    const stamp = await this.persisted?.stamp(sidecar);
    try {
      text = decoder.decode(await readBytes(sidecar));
    } catch (e) {
      if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) {
        // Unreadable or not UTF-8: counted as invalid; the store reports why when the document loads.
        this.log.warn(`cannot summarise the sidecar of ${article.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
        if (this.generation.get(article.toString()) !== generation || !this.corpus.has(article)) return;
        const message = e instanceof TypeError ? 'the sidecar is not UTF-8 text' : `the sidecar cannot be read (${e instanceof Error ? e.message : String(e)})`;
        this.replace(article, { state: 'invalid', entities: 0, suggestions: 0, labels: new Map(), errors: 1,
          problems: [{ severity: 'error', code: 'sidecar-unreadable', message: `${message}; it is left untouched`, line: 1, column: 1 }] }, fire);
        return;
      }
    }
    if (this.generation.get(article.toString()) !== generation) return;
    // An article deleted while its sidecar was read (a sidecar's delete event comes before its
    // article's): a summary put back now would outlive the pass that removed it, and the totals,
    // which need one summary per article, would stay hidden until the next change.
    if (!this.corpus.has(article)) return;
    const summary = summariseSidecar(text, { withMentions: this.pool });
    this.persisted?.remember(summary, stamp);
    this.replace(article, summary, fire);
  }

  private bump(article: vscode.Uri): number {
    const next = (this.generation.get(article.toString()) ?? 0) + 1;
    this.generation.set(article.toString(), next);
    return next;
  }

  dispose(): void {
    this.disposed = true;
    for (const stop of this.workerRuns) stop();
    for (const d of this.disposables) d.dispose();
  }
}

/** A loaded document's summary, from what the store shows (its live model: unsaved changes included). */
function summaryOf(ann: DocAnnotations, pool: StringPool): DocumentSummary {
  if (ann.kind !== 'ok') return { state: 'invalid', entities: 0, suggestions: 0, labels: new Map(), errors: ann.problems.filter((p) => p.severity === 'error').length };
  const summary = summariseEntities(ann.sidecar.status, ann.sidecar.entities, { withMentions: pool });
  return ann.sidecarExists ? summary : { ...summary, state: 'none' };
}

/**
 * Entities (suggestions apart) per label, in first-seen order, their total, and the suggestions:
 * how the sidebar and the status bar count a loaded document (core/corpus/corpus-index.ts counts a
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
