// The annotations of every article the extension has looked at: loaded from the sidecar,
// validated against the article, changed by commands (with undo), kept aligned with text edits,
// and written back in canonical form. Adapters only read from here and listen to onDidChange.
import * as vscode from 'vscode';
import { Article, ArticleDecodeError, articleFromText, decodeArticle } from '../core/model/article';
import { emptySidecar, Span } from '../core/model/edits';
import { History } from '../core/model/history';
import { articlePathOf, baseName, Entity, isSidecarPath, Sidecar, sidecarPathOf } from '../core/model/model';
import { OffsetMap } from '../core/model/offsets';
import { hasErrors, Problem } from '../core/model/problems';
import { reanchor, reanchoredSidecar, ReanchorResult, settleAmbiguous } from '../core/review/reanchor';
import { readSidecar } from '../core/sidecar/sidecar-read';
import { entityLine, writeSidecar } from '../core/sidecar/sidecar-write';
import { WrittenSidecar, writeSidecarIncrementally } from '../core/sidecar/sidecar-patch';
import { hostEnv, hostPid } from './platform';
import { localWriter } from './local-write';
import { readBytes } from './read-file';
import { tempPathFor } from '../core/sidecar/write-scratch';
import { changeBetween, trackChanges } from '../core/text/track';
import { validateAgainstArticle } from '../core/sidecar/validate';
import { LabelService } from './labels';
import { changeToCodePoints } from './positions';
import { sidecarWriteTarget } from './sidecar-link';

/** ok: annotations usable; invalid: the sidecar has errors and is left alone; unreadable: the article is not UTF-8 text. */
export type DocKind = 'ok' | 'invalid' | 'unreadable';

export interface DocAnnotations {
  readonly article: vscode.Uri;
  readonly sidecarUri: vscode.Uri;
  readonly kind: DocKind;
  /** The annotations; empty unless kind is 'ok'. Offsets refer to `text`. */
  readonly sidecar: Sidecar;
  /** Problems of the sidecar file (positions in the sidecar), errors and warnings. */
  readonly problems: readonly Problem[];
  readonly sidecarExists: boolean;
  /** The article text the offsets refer to: the editor's text when the article is open. */
  readonly text: string;
  readonly offsets: OffsetMap;
  /** Annotation changes wait for the article to be saved (its text has unsaved edits). */
  readonly pendingSave: boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /**
   * The article changed under its sidecar and not every entity was found again: what was found,
   * what is orphaned or ambiguous. `Re-anchor Annotations…` resolves it; undefined otherwise.
   */
  readonly reanchorPending: PendingReanchor | undefined;
}

export interface PendingReanchor {
  readonly sidecar: Sidecar;
  readonly result: ReanchorResult;
  /** The article text the result's offsets refer to: a choice is refused once the text differs. */
  readonly text: string;
}

export type ApplyResult = 'changed' | 'unchanged' | 'invalid' | 'unreadable' | 'failed';

export interface StoreChange {
  readonly article: vscode.Uri;
}

class Entry implements DocAnnotations {
  kind: DocKind = 'ok';
  sidecar: Sidecar;
  problems: Problem[] = [];
  sidecarExists = false;
  text = '';
  offsets = new OffsetMap('');
  pendingSave = false;
  reanchorPending: PendingReanchor | undefined;
  readonly history = new History<Sidecar>();
  /** The sidecar bytes as we last read or wrote them: anything else on disk is someone else's change. */
  diskText: string | undefined;
  /**
   * The article text that sidecar's offsets were made for (the file read with it, or the text a
   * write of ours was for). Not `text`, which follows the editor: when an open article changes on
   * disk, the editor's reload may reach us before the file watcher does, and the context needed to
   * re-anchor the stale offsets is then this text, not the editor's new one.
   */
  sidecarFor: string | undefined;
  /** Hash of the article's bytes on disk, written as `sha256`. */
  articleSha: string | undefined;
  hasBom = false;
  /** Serialises writes of this sidecar. */
  writing: Promise<unknown> = Promise.resolve();
  /**
   * What the last write wrote (its text and line index), so that the next write, if the file on
   * disk is still exactly that text, patches the changed lines instead of rewriting every line.
   * Used once: taken out by each write, put back when the new text is on disk.
   */
  written: WrittenSidecar | undefined;
  /** The article bytes last checked (checkArticle), and what they decoded to: the same bytes are not decoded and hashed again. */
  checkedArticle: CheckedArticle | undefined;
  /** The bytes write() last wrote or found, and their text: the same bytes on disk are not decoded again. */
  sidecarBytes: { readonly bytes: Uint8Array; readonly text: string } | undefined;
  /** When it was last loaded or changed through the store (performance.now()): the LRU's order. */
  lastUsed = performance.now();
  /** Writes queued or in flight: an entry with any is never evicted. */
  writes = 0;

  constructor(readonly article: vscode.Uri, readonly sidecarUri: vscode.Uri) {
    this.sidecar = emptySidecar(baseName(article.path));
  }
  get canUndo(): boolean { return this.kind === 'ok' && this.history.canUndo; }
  get canRedo(): boolean { return this.kind === 'ok' && this.history.canRedo; }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Work bound for re-anchoring one article in the extension host (synchronous): ~0.1 s. */
const REANCHOR_BUDGET = 50_000_000;

/** Entries of closed articles kept besides those open in editors: beyond, the least recently used idle ones are dropped. */
export const CLOSED_ENTRIES_KEPT = 16;
/** An entry untouched for this long is idle (no command is between loading it and using it). */
const IDLE_MS = 1000;

/** Where articles can live: local and remote files, GitHub's virtual file system, the web test host. */
export const ANNOTATABLE_SCHEMES = new Set(['file', 'vscode-remote', 'vscode-vfs', 'vscode-test-web']);

export class AnnotationStore implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<DocAnnotations>>();
  /** A forced read waiting for the read in flight (see load). */
  private readonly queuedReads = new Map<string, Promise<DocAnnotations>>();
  private sweepTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly emitter = new vscode.EventEmitter<StoreChange>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(private readonly labels: LabelService, private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => this.onTextChanged(e)),
      vscode.workspace.onDidSaveTextDocument((d) => void this.onArticleSaved(d)),
      vscode.workspace.onDidCloseTextDocument((d) => void this.onArticleClosed(d)),
      labels.onDidChange(() => void this.revalidateAll()),
    );
  }

  /** The loaded annotations of an article, if it was loaded. */
  get(article: vscode.Uri): DocAnnotations | undefined {
    return this.entries.get(article.toString());
  }

  /** Every loaded article. */
  all(): DocAnnotations[] {
    return [...this.entries.values()];
  }

  /**
   * Whether a file can be annotated (the `corpusAnnotator.activeArticle` context key, the status
   * bar): a corpus article, or any file with a file-like scheme that has a sidecar already. Decided
   * without reading a file, from the globs and what is loaded.
   */
  isAnnotatable(uri: vscode.Uri): boolean {
    if (isSidecarPath(uri.path) || !ANNOTATABLE_SCHEMES.has(uri.scheme)) return false;
    return this.labels.isArticle(uri) || !!this.entries.get(uri.toString())?.sidecarExists;
  }

  /**
   * Whether a document is worth loading annotations for: a file-like scheme, not a sidecar, and
   * an article of the corpus or a file that already has a sidecar. Output channels, settings,
   * logs and the like are never touched.
   */
  async isCandidate(uri: vscode.Uri): Promise<boolean> {
    if (!ANNOTATABLE_SCHEMES.has(uri.scheme) || isSidecarPath(uri.path)) return false;
    if (this.entries.has(uri.toString()) || this.labels.isArticle(uri)) return true;
    try {
      await vscode.workspace.fs.stat(uri.with({ path: sidecarPathOf(uri.path) }));
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Loads (once; again with `force`) an article's annotations. `force` asks for the files as they
   * are now: a read already in flight may have read them before the change that asks, so one more
   * read follows it (one, however many ask while it waits).
   */
  load(article: vscode.Uri, force = false): Promise<DocAnnotations> {
    const key = article.toString();
    const existing = this.entries.get(key);
    if (existing) existing.lastUsed = performance.now();
    if (existing && !force) return Promise.resolve(existing);
    const pending = this.loading.get(key);
    if (pending && !force) return pending;
    if (pending) {
      const queued = this.queuedReads.get(key);
      if (queued) return queued;
      const next = this.track(key, pending.catch(() => undefined).then(() => {
        this.queuedReads.delete(key);
        return this.read(article);
      }));
      this.queuedReads.set(key, next);
      return next;
    }
    return this.track(key, this.read(article));
  }

  /** Puts a (re)loaded entry in place; the store stays bounded (see sweep). */
  private keep(key: string, entry: Entry): void {
    entry.lastUsed = performance.now();
    this.entries.set(key, entry);
    if (this.entries.size > CLOSED_ENTRIES_KEPT && !this.sweepTimer) this.sweepTimer = setTimeout(() => this.sweep(), IDLE_MS);
  }

  /**
   * Drops the least recently used entries of closed articles beyond CLOSED_ENTRIES_KEPT, so that
   * memory does not grow with the number of articles ever shown (the sidebar, the Problems panel
   * and the corpus counts work from summaries). Only what can be read again unchanged from disk
   * goes: never an entry with unsaved changes, a write queued or in flight, a load in flight, a
   * re-anchoring waiting for a decision, an open editor, or one used within IDLE_MS.
   */
  private sweep(): void {
    this.sweepTimer = undefined;
    if (this.evictIdle(CLOSED_ENTRIES_KEPT, IDLE_MS)) this.sweepTimer = setTimeout(() => this.sweep(), IDLE_MS);
  }

  /**
   * Evicts (see sweep) down to `keep` closed entries among those idle for `idleMs`; true when some
   * over the limit are only waiting to be idle (worth another sweep). The integration tests call it
   * with (0, 0) through a test-only command, to check what works without a loaded entry.
   */
  evictIdle(keep: number, idleMs: number): boolean {
    const open = new Set(vscode.workspace.textDocuments.filter((d) => !d.isClosed).map((d) => d.uri.toString()));
    const closed = [...this.entries].filter(([key]) => !open.has(key));
    let excess = closed.length - keep;
    if (excess <= 0) return false;
    const now = performance.now();
    let waiting = false;
    for (const [key, entry] of closed.sort(([, a], [, b]) => a.lastUsed - b.lastUsed)) {
      if (excess <= 0) break;
      if (entry.pendingSave || entry.reanchorPending) continue; // until it is settled (a later sweep)
      if (entry.writes > 0 || this.loading.has(key) || now - entry.lastUsed < idleMs) {
        waiting = true;
        continue;
      }
      this.entries.delete(key);
      excess--;
    }
    return excess > 0 && waiting;
  }

  /** Registers `p` as the load in flight of `key` until it settles (unless replaced meanwhile). */
  private track(key: string, p: Promise<DocAnnotations>): Promise<DocAnnotations> {
    const tracked: Promise<DocAnnotations> = p.finally(() => {
      if (this.loading.get(key) === tracked) this.loading.delete(key);
    });
    this.loading.set(key, tracked);
    return tracked;
  }

  /**
   * Reads an article and its sidecar into the article's entry (a new one, or the one kept, so that
   * the text its offsets were made for is context for re-anchoring), in steps: forget what was
   * pending, read the article, read the sidecar, adopt both at once, follow the editor's unsaved
   * edits, keep and announce the entry. A file that cannot be read leaves the entry unreadable or
   * invalid, kept and announced as it is.
   */
  private async read(articleUri: vscode.Uri): Promise<DocAnnotations> {
    const key = articleUri.toString();
    const sidecarUri = articleUri.with({ path: sidecarPathOf(articleUri.path) });
    const entry = this.entries.get(key) ?? new Entry(articleUri, sidecarUri);
    const previousText = this.beginRead(entry);
    // The two reads are awaited here and nowhere else: a helper's own await would let other
    // continuations (the editor's reload of a changed article) run between reading the files and
    // adopting them, which the re-anchoring of an open article depends on not happening.
    let article: Article | undefined;
    try {
      article = this.articleRead(entry, decodeArticle(await readBytes(articleUri)));
    } catch (e) {
      article = this.articleNotRead(entry, articleUri, e);
    }
    if (article !== undefined) {
      let sidecar: { source: string | undefined } | undefined;
      try {
        sidecar = { source: decoder.decode(await readBytes(sidecarUri)) };
      } catch (e) {
        sidecar = this.sidecarNotRead(entry, article, e);
      }
      if (sidecar !== undefined) {
        // From here on no await: the entry changes all at once.
        this.adoptRead(entry, articleUri, article, sidecar.source, previousText);
        this.followEditor(entry, articleUri, article);
      }
    }
    this.keep(key, entry);
    this.emitter.fire({ article: articleUri });
    return entry;
  }

  /** Forgets what the entry had pending; returns the text its sidecar's offsets were made for, when we still have it (context for re-anchoring). */
  private beginRead(entry: Entry): string {
    const previousText = entry.sidecarFor ?? entry.text;
    entry.reanchorPending = undefined;
    entry.history.clear();
    entry.pendingSave = false;
    entry.problems = [];
    return previousText;
  }

  private articleRead(entry: Entry, article: Article): Article {
    entry.articleSha = article.sha256;
    entry.hasBom = article.hasBom;
    return article;
  }

  /**
   * The article file could not be read or decoded: the open editor's text when there is one and
   * the file is not simply something other than UTF-8 text (a document not saved yet); otherwise
   * undefined, the entry made unreadable.
   */
  private articleNotRead(entry: Entry, articleUri: vscode.Uri, e: unknown): Article | undefined {
    const open = this.openDocument(articleUri);
    if (e instanceof ArticleDecodeError || !open) {
      entry.kind = 'unreadable';
      entry.sidecar = emptySidecar(baseName(articleUri.path));
      entry.problems = [{ severity: 'error', code: 'article-unreadable', message: `${baseName(articleUri.path)}: ${e instanceof Error ? e.message : String(e)}`, line: 1, column: 1 }];
      this.log.warn(`cannot annotate ${articleUri.fsPath}: ${entry.problems[0]?.message}`);
      return undefined;
    }
    entry.articleSha = undefined;
    return articleFromText(open.getText());
  }

  /**
   * The sidecar file could not be read: none yet (`source` undefined), or, when it exists but is
   * not UTF-8 text or cannot be read, undefined, the entry made invalid and the file left untouched.
   */
  private sidecarNotRead(entry: Entry, article: Article, e: unknown): { source: undefined } | undefined {
    if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') return { source: undefined };
    entry.kind = 'invalid';
    entry.text = article.text;
    entry.offsets = article.offsets;
    entry.sidecarExists = true;
    entry.diskText = undefined;
    entry.problems = [{ severity: 'error', code: 'sidecar-unreadable', message: `the sidecar cannot be read (${e instanceof TypeError ? 'it is not UTF-8 text' : String(e)}); it is left untouched`, line: 1, column: 1 }];
    return undefined;
  }

  /**
   * The article and sidecar as read become the entry's: the sidecar's offsets refer to the file on
   * disk (we only ever write it for that text), checked and re-anchored against it by parseInto.
   */
  private adoptRead(entry: Entry, articleUri: vscode.Uri, article: Article, source: string | undefined, previousText: string): void {
    entry.text = article.text;
    entry.offsets = article.offsets;
    entry.diskText = source;
    entry.sidecarFor = article.text;
    entry.sidecarExists = source !== undefined;
    entry.pendingSave = false;
    if (source === undefined) {
      entry.kind = 'ok';
      entry.sidecar = emptySidecar(baseName(articleUri.path), entry.articleSha);
    } else {
      this.parseInto(entry, source, article, previousText);
    }
  }

  /**
   * Offsets follow the editor's text when it has unsaved edits; read after the last await, so an
   * edit made while the files were read is in it. A clean editor shows the file on disk, or is
   * about to (a document whose editor was just closed lingers with its old text): not trusted.
   */
  private followEditor(entry: Entry, articleUri: vscode.Uri, article: Article): void {
    const open = this.openDocument(articleUri);
    const liveText = open?.isDirty ? open.getText() : article.text;
    if (liveText !== article.text) this.followUnsavedEdits(entry, liveText);
  }

  /**
   * The editor has unsaved edits the annotations were not tracked through (made before or while
   * they were read): track them through the one change between the file and the editor's text.
   */
  private followUnsavedEdits(entry: Entry, liveText: string): void {
    const change = changeBetween(entry.text, liveText);
    const offsets = new OffsetMap(liveText);
    const diskArticle = this.articleOf(entry);
    entry.text = liveText;
    entry.offsets = offsets;
    if (!change || entry.kind !== 'ok') return;
    // All the unsaved edits as one change from the first difference to the last: whatever lies
    // between counts as cut. Adopt it only when nothing is cut; otherwise nothing is guessed: the
    // sidecar is checked against the editor's text (errors shown, nothing written) until the save,
    // after which it is re-anchored in the saved file.
    const r = trackChanges(entry.sidecar.entities, [change], (s, t) => offsets.slice(s, t));
    if (r.removed.length === 0) {
      entry.sidecar = { ...entry.sidecar, entities: r.entities };
      entry.pendingSave = true;
      return;
    }
    this.log.warn(`${baseName(entry.article.path)}: its unsaved edits could not be followed without losing ${r.removed.map((e) => `${e.label} "${e.text}"`).join(', ')}; the annotations are checked against the saved file again after the next save`);
    if (entry.diskText !== undefined) this.parseInto(entry, entry.diskText, { ...diskArticle, text: liveText, offsets });
  }

  private parseInto(entry: Entry, source: string, article: Article, previousText = ''): void {
    entry.reanchorPending = undefined;
    const parsed = readSidecar(source);
    const config = this.labels.configFor(entry.article);
    const problems = [...parsed.problems];
    const validateOpts = {
      labels: new Set(config.labels.map((l) => l.name)),
      overlap: config.overlap,
      articleName: baseName(entry.article.path),
      entityLines: parsed.entityLines,
      keyLines: parsed.keyLines,
    };
    if (parsed.sidecar) problems.push(...validateAgainstArticle(parsed.sidecar, article, validateOpts));
    // A changed article is re-anchored even when every entity's text is still at its offsets: a
    // repeated word can have moved there (the old text's context, when known, tells).
    if (parsed.sidecar && !hasErrors(parsed.problems) && drifted(parsed.sidecar, article)) {
      const r = reanchor(parsed.sidecar.entities, article, { budget: REANCHOR_BUDGET, ...(previousText && previousText !== article.text ? { oldText: previousText } : {}) });
      const next = reanchoredSidecar(parsed.sidecar, article, r);
      // Until the re-anchored sidecar is written (or the annotator settles what is pending), the
      // one on disk still describes the old text: a read meanwhile needs that text as context.
      if (previousText) entry.sidecarFor = previousText;
      if (next && !hasErrors(validateAgainstArticle(next, article, { ...validateOpts, entityLines: undefined }))) {
        entry.kind = 'ok';
        entry.sidecar = next;
        entry.problems = [];
        this.reportReanchored(entry, r);
        void this.persist(entry);
        return;
      }
      // Found what can be found; the rest is listed where it is written, for the annotator to decide.
      entry.reanchorPending = { sidecar: parsed.sidecar, result: r, text: article.text };
      const unresolved = new Set([...r.orphans.map((e) => e.id), ...r.ambiguous.map((a) => a.entity.id)]);
      const lineOf = (id: string) => parsed.entityLines.get(id) ?? 1;
      problems.splice(0, problems.length, ...problems.filter((p) => !(p.entityId && unresolved.has(p.entityId) && (p.code === 'text-mismatch' || p.code === 'out-of-range'))));
      for (const e of r.orphans) {
        problems.push({ severity: 'error', code: 'orphan', line: lineOf(e.id), column: 1, entityId: e.id,
          message: `entity ${e.id} (${e.label} "${e.text}") is no longer in the changed article: run "Corpus Annotator: Re-anchor Annotations…" to drop it, or correct its offsets by hand` });
      }
      for (const a of r.ambiguous) {
        problems.push({ severity: 'error', code: 'ambiguous', line: lineOf(a.entity.id), column: 1, entityId: a.entity.id,
          message: `entity ${a.entity.id} (${a.entity.label} "${a.entity.text}") occurs ${a.candidates.length} times in the changed article and none is clearly the one: run "Corpus Annotator: Re-anchor Annotations…" (or click it in the sidebar) to choose, or set its start/end to one of ${a.candidates.map((c) => `${c.start}-${c.end}`).join(', ')}` });
      }
      problems.sort((x, y) => x.line - y.line || x.column - y.column);
    }
    entry.problems = problems;
    if (parsed.sidecar && !hasErrors(problems)) {
      entry.kind = 'ok';
      entry.sidecar = parsed.sidecar;
    } else {
      // Never show or build on stale data: an invalid sidecar shows nothing and is never written.
      entry.kind = 'invalid';
      entry.sidecar = emptySidecar(baseName(entry.article.path));
      this.log.warn(`${entry.sidecarUri.fsPath}: ${problems.filter((p) => p.severity === 'error').length} error(s); annotations of this article are not shown until it is fixed`);
    }
  }

  private reportReanchored(entry: Entry, r: ReanchorResult): void {
    const name = baseName(entry.article.path);
    const fuzzy = r.moved.filter((m) => m.how === 'fuzzy');
    for (const m of r.moved) {
      this.log.info(`${name}: re-anchored ${m.entity.label} "${m.entity.text}" ${m.from.start}-${m.from.end} → ${m.entity.start}-${m.entity.end} (${m.how}${m.previousText !== undefined ? `, was "${m.previousText}"` : ''})`);
    }
    const message = `${name} changed since it was annotated: ${r.entities.length} entit${r.entities.length === 1 ? 'y' : 'ies'} found again (${r.moved.length} moved)` +
      (fuzzy.length ? `; ${fuzzy.length} matched a slightly different text — check ${fuzzy.map((m) => `"${m.entity.text}"`).join(', ')}` : '') + '. The sidecar was updated.';
    if (fuzzy.length) void vscode.window.showWarningMessage(message, 'Show Log').then((c) => c && this.log.show());
    else void vscode.window.showInformationMessage(message, 'Show Log').then((c) => c && this.log.show());
  }

  /**
   * Saves what re-anchoring found and drops the orphans, on the annotator's explicit request.
   * Ambiguous entities must be settled by hand first.
   */
  async resolveReanchor(articleUri: vscode.Uri): Promise<'saved' | 'ambiguous' | 'nothing'> {
    const entry = this.entries.get(articleUri.toString());
    const pending = entry?.reanchorPending;
    if (!entry || !pending) return 'nothing';
    if (pending.result.ambiguous.length > 0) return 'ambiguous';
    if (pending.text !== entry.text) return this.unsavedRefusal(entry, 'nothing');
    const next = reanchoredSidecar(pending.sidecar, this.articleOf(entry), pending.result, { dropOrphans: true });
    if (!next) return 'nothing';
    this.log.info(`${baseName(articleUri.path)}: dropped ${pending.result.orphans.length} orphan(s): ${pending.result.orphans.map((e) => `${e.label} "${e.text}"`).join(', ')}`);
    return (await this.adoptReanchored(entry, next)) ? 'saved' : 'nothing';
  }

  /** Re-anchoring was computed for the file; the editor shows other, unsaved text. */
  private unsavedRefusal<T>(entry: Entry, value: T): T {
    void vscode.window.showWarningMessage(`${baseName(entry.article.path)} has unsaved edits: save it first, then re-anchor its annotations (they were found again in the file as saved).`);
    return value;
  }

  /** Re-anchoring is settled: the entry shows `next` and saves it (with the article's new hash). */
  private adoptReanchored(entry: Entry, next: Sidecar): Promise<boolean> {
    entry.reanchorPending = undefined;
    entry.kind = 'ok';
    entry.sidecar = next;
    entry.problems = [];
    this.emitter.fire({ article: entry.article });
    return this.persist(entry);
  }

  /**
   * The annotator's choice for one ambiguous entity (one of its candidates, or 'drop'). When no
   * entity is left undecided, what was found is saved (or, with orphans left, offered to drop).
   */
  async settleAmbiguous(articleUri: vscode.Uri, entityId: string, choice: Span | 'drop'): Promise<'saved' | 'pending' | 'refused'> {
    const entry = this.entries.get(articleUri.toString());
    const pending = entry?.reanchorPending;
    if (!entry || !pending) return 'refused';
    if (pending.text !== entry.text) return this.unsavedRefusal(entry, 'refused');
    const article = this.articleOf(entry);
    const result = settleAmbiguous(pending.result, article, entityId, choice);
    if (!result) return 'refused';
    const entity = pending.result.ambiguous.find((a) => a.entity.id === entityId)?.entity;
    this.log.info(`${baseName(articleUri.path)}: ${choice === 'drop' ? `gave up` : `placed at ${choice.start}-${choice.end}`} the ambiguous ${entity?.label} "${entity?.text}" (${entityId})`);
    const next = reanchoredSidecar(pending.sidecar, article, result);
    if (next) return (await this.adoptReanchored(entry, next)) ? 'saved' : 'refused';
    entry.reanchorPending = { sidecar: pending.sidecar, result, text: pending.text };
    const problems = entry.problems.filter((p) => !(p.entityId === entityId && p.code === 'ambiguous'));
    if (choice === 'drop' && entity) {
      const line = entry.problems.find((p) => p.entityId === entityId)?.line ?? 1;
      problems.push({ severity: 'error', code: 'orphan', line, column: 1, entityId,
        message: `entity ${entityId} (${entity.label} "${entity.text}") was given up after re-anchoring: run "Corpus Annotator: Re-anchor Annotations…" to drop it, or correct its offsets by hand` });
      problems.sort((x, y) => x.line - y.line || x.column - y.column);
    }
    entry.problems = problems;
    this.emitter.fire({ article: articleUri });
    return 'pending';
  }

  /**
   * Changes an article's annotations with `op` (a pure function of the current sidecar), records
   * the previous state for undo, and saves. If the sidecar changed on disk since it was read
   * (another window, git), the op is applied to the fresh file instead, so nothing is lost.
   */
  async apply(articleUri: vscode.Uri, description: string, op: (s: Sidecar, article: Article) => Sidecar): Promise<ApplyResult> {
    const entry = (await this.load(articleUri)) as Entry;
    if (entry.kind !== 'ok') return entry.kind;
    const article = this.articleOf(entry);
    const before = entry.sidecar;
    const after = op(before, article);
    if (sameAnnotations(before, after)) return 'unchanged';
    entry.history.push(before);
    entry.sidecar = after;
    this.log.info(`${baseName(articleUri.path)}: ${description}`);
    this.emitter.fire({ article: articleUri });
    return (await this.persist(entry, op)) ? 'changed' : 'failed';
  }

  async undo(articleUri: vscode.Uri): Promise<boolean> {
    return this.travel(articleUri, (e, cur) => e.history.undo(cur), 'undo');
  }

  async redo(articleUri: vscode.Uri): Promise<boolean> {
    return this.travel(articleUri, (e, cur) => e.history.redo(cur), 'redo');
  }

  private async travel(articleUri: vscode.Uri, step: (e: Entry, current: Sidecar) => Sidecar | undefined, what: string): Promise<boolean> {
    const entry = this.entries.get(articleUri.toString());
    if (!entry || entry.kind !== 'ok') return false;
    const target = step(entry, entry.sidecar);
    if (!target) return false;
    entry.sidecar = target;
    this.log.info(`${baseName(articleUri.path)}: ${what}`);
    this.emitter.fire({ article: articleUri });
    await this.persist(entry);
    return true;
  }

  /** Queues a write of the sidecar (write() itself defers it while the article has unsaved edits). */
  private persist(entry: Entry, op?: (s: Sidecar, a: Article) => Sidecar): Promise<boolean> {
    entry.writes++;
    entry.lastUsed = performance.now();
    const run = entry.writing.then(() => this.write(entry, op)).finally(() => {
      entry.writes--;
      entry.lastUsed = performance.now();
    });
    entry.writing = run.catch(() => undefined);
    return run;
  }

  private async write(entry: Entry, op?: (s: Sidecar, a: Article) => Sidecar, attempt = 0): Promise<boolean> {
    try {
      const started = performance.now();
      // (CORPUS_ANNOTATOR_FULL_WRITES: every write decodes the article and rewrites the whole
      // sidecar, as before incremental writes; bench/host-decorations.mjs compares both.)
      const incremental = !hostEnv('CORPUS_ANNOTATOR_FULL_WRITES');
      if (!incremental) entry.checkedArticle = undefined;
      // Offsets must refer to the article as it is on disk, and `sha256` must be the hash of
      // exactly those bytes. While the editor holds unsaved edits, the write waits for the save.
      // (The editor's dirty flag is not reliable at this moment in every host; the bytes are.)
      const articleBytes = await readBytes(entry.article);
      let busyFrom = performance.now(); // the time spent computing, not waiting for the file system
      const onDiskArticle = checkArticle(entry, articleBytes);
      let busy = performance.now() - busyFrom;
      if (onDiskArticle.text !== entry.text) {
        if (!entry.pendingSave) {
          entry.pendingSave = true;
          this.emitter.fire({ article: entry.article });
        }
        return true;
      }
      entry.articleSha = onDiskArticle.sha256;
      entry.hasBom = onDiskArticle.hasBom;
      let onDisk: string | undefined;
      let onDiskBytes: Uint8Array | undefined;
      try {
        onDiskBytes = await readBytes(entry.sidecarUri);
        busyFrom = performance.now();
        // Exactly the bytes we wrote (or found) last: their text, without decoding them again.
        const last = incremental ? entry.sidecarBytes : undefined;
        onDisk = last !== undefined && sameBytes(last.bytes, onDiskBytes) ? last.text : decoder.decode(onDiskBytes);
      } catch (e) {
        if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) throw e;
        busyFrom = performance.now();
      }
      if (onDisk !== entry.diskText) {
        // Changed behind our back since we read it.
        const fresh = onDisk === undefined ? undefined : readSidecar(onDisk);
        if (onDisk !== undefined && (!fresh?.sidecar || hasErrors(fresh.problems))) {
          this.log.error(`${entry.sidecarUri.fsPath} changed on disk and is now invalid; your change was not written`);
          await this.load(entry.article, true);
          void this.showError(`The sidecar ${baseName(entry.sidecarUri.path)} was changed on disk and is invalid now; your last annotation change was not saved.`, entry.sidecarUri);
          return false;
        }
        if (op && fresh?.sidecar) {
          this.log.info(`${entry.sidecarUri.fsPath} changed on disk since it was read: applying the change to the new content`);
          entry.sidecar = op(fresh.sidecar, this.articleOf(entry));
          entry.history.clear();
          this.emitter.fire({ article: entry.article });
        } else {
          // Nothing to re-apply (undo, redo, a save of tracked offsets): the file on disk wins.
          this.log.warn(`${entry.sidecarUri.fsPath} changed on disk since it was read; reloading it instead of overwriting it`);
          await this.load(entry.article, true);
          void vscode.window.showWarningMessage(`${baseName(entry.sidecarUri.path)} was changed on disk by another program; it was reloaded and your last annotation change was not applied to it.`);
          return false;
        }
      }
      const sidecar: Sidecar = { ...entry.sidecar, document: baseName(entry.article.path) };
      if (entry.articleSha) sidecar.sha256 = entry.articleSha;
      // What this write is of: a change made while it is in flight (a tag, typing) must survive it.
      const writingSidecar = entry.sidecar;
      const writingText = entry.text;
      // When the file is still exactly what we last wrote, only the changed lines are spliced into
      // it; the text is writeSidecar(sidecar) byte for byte either way (test/unit/perf-sidecar-patch.test.ts).
      const previous = incremental && onDisk !== undefined && entry.written?.text === onDisk ? entry.written : undefined;
      entry.written = undefined;
      const { text, written, patched } = writeSidecarIncrementally(sidecar, previous);
      if (patched && hostEnv('CORPUS_ANNOTATOR_CHECK_WRITES') && text !== writeSidecar(sidecar)) {
        throw new Error('the incremental write differs from the canonical writer (nothing was written; this is a bug)');
      }
      if (text === onDisk) {
        entry.diskText = text;
        entry.sidecarFor = writingText;
        entry.written = written;
        if (onDisk !== undefined && onDiskBytes !== undefined) entry.sidecarBytes = { bytes: onDiskBytes, text: onDisk };
        return true;
      }
      const bytes = new TextEncoder().encode(text);
      busy += performance.now() - busyFrom;
      entry.sidecarBytes = undefined;
      const target = await sidecarWriteTarget(entry.sidecarUri); // a symbolic link: only inside the workspace folder
      if ((await writeAtomically(target, bytes, onDiskBytes)) === 'changed') {
        // Another writer (the CLI, another window) replaced the sidecar after we read it: start
        // over from its content, as for any change behind our back.
        if (attempt < 5) return await this.write(entry, op, attempt + 1);
        throw new Error('the sidecar keeps being changed on disk by another program');
      }
      entry.diskText = text;
      entry.sidecarFor = writingText;
      entry.written = written;
      entry.sidecarBytes = { bytes, text };
      entry.sidecarExists = true;
      if (entry.sidecar === writingSidecar && entry.text === writingText) {
        entry.sidecar = sidecar;
        entry.pendingSave = false;
      } else {
        // Changed meanwhile: keep that change (its own write is queued, or waits for the save).
        entry.sidecar = { ...entry.sidecar, document: sidecar.document, ...(sidecar.sha256 !== undefined ? { sha256: sidecar.sha256 } : {}) };
      }
      this.log.debug(`wrote ${baseName(entry.sidecarUri.path)} (${sidecar.entities.length} entities, ${patched ? 'patched' : 'rewritten'}) in ${(performance.now() - started).toFixed(1)} ms, ${busy.toFixed(1)} ms of it computing`);
      return true;
    } catch (e) {
      this.log.error(`cannot write ${entry.sidecarUri.fsPath}: ${String(e)}`);
      void this.showError(`Could not save annotations to ${baseName(entry.sidecarUri.path)}: ${e instanceof Error ? e.message : String(e)}. They are kept in memory; fix the problem and annotate again or run "Save Annotations".`, entry.sidecarUri);
      entry.pendingSave = true;
      this.emitter.fire({ article: entry.article });
      return false;
    }
  }

  /** Saves pending annotation changes (after an error, or on demand). */
  async save(articleUri: vscode.Uri): Promise<boolean> {
    const entry = this.entries.get(articleUri.toString());
    if (!entry || entry.kind !== 'ok') return false;
    return this.persist(entry);
  }

  /** A sidecar or article changed on disk: reload unless it is our own write. */
  async onFileChanged(uri: vscode.Uri): Promise<void> {
    const isSidecar = isSidecarPath(uri.path);
    const articleUri = isSidecar ? uri.with({ path: articlePathOf(uri.path) }) : uri;
    const entry = this.entries.get(articleUri.toString());
    if (!entry) return;
    if (isSidecar) {
      // Compared in the write queue: no write of ours can land between reading and comparing,
      // so content equal to what we last wrote is our own write's echo, anything else is foreign.
      const foreign = entry.writing.then(async () => {
        let onDisk: string | undefined;
        try {
          onDisk = decoder.decode(await readBytes(uri));
        } catch {
          onDisk = undefined;
        }
        return onDisk !== entry.diskText;
      });
      entry.writing = foreign.catch(() => undefined);
      if (!(await foreign)) return;
    } else {
      // A save of ours has already recorded the new hash. Anything else changed the file outside;
      // an editor with unsaved edits keeps its text (VS Code asks on save), a clean one follows
      // the file, and so do the annotations: they are reloaded from disk.
      try {
        const disk = checkArticle(entry, await readBytes(articleUri));
        if (disk.sha256 === entry.articleSha && disk.text === entry.text) return;
      } catch {
        // deleted or unreadable: the reload says so
      }
      if (this.openDocument(articleUri)?.isDirty) return;
    }
    this.log.info(`${uri.fsPath} changed on disk: reloading`);
    await this.load(articleUri, true);
  }

  private onTextChanged(e: vscode.TextDocumentChangeEvent): void {
    const entry = this.entries.get(e.document.uri.toString());
    // Not loaded: a first load in flight reads the editor's text at its end, this edit included.
    if (!entry) return;
    const loading = this.loading.get(e.document.uri.toString());
    if (loading) {
      // The entry is being (re)loaded: it will describe the file it reads, not this change. Should
      // the editor end up showing other text than that, read once more (tracking the unsaved edits
      // from the file's text), as part of the same load, so that no caller sees the state between.
      const key = e.document.uri.toString();
      this.track(key, loading.then((loaded) =>
        (!e.document.isClosed && entry.text !== e.document.getText() ? this.read(entry.article) : loaded)))
        .catch((err) => this.log.error(`cannot reload the annotations of ${entry.article.fsPath}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`));
      return;
    }
    if (e.contentChanges.length === 0) {
      // Only the dirty state changed, e.g. edits undone back to the saved text.
      if (entry.pendingSave && entry.kind === 'ok') void this.reconcileIfSaved(entry);
      return;
    }
    const before = entry.offsets;
    const text = e.document.getText();
    // The editor catching up with the file on disk that the annotations were loaded from.
    if (text === entry.text) return;
    // The changes must apply to the text the offsets refer to; if not, tracking would be garbage.
    const expected = entry.text.length + e.contentChanges.reduce((n, c) => n + c.text.length - c.rangeLength, 0);
    if (expected !== text.length) {
      this.log.warn(`${entry.article.fsPath}: an edit did not apply to the known text; reloading the annotations from disk`);
      void this.load(entry.article, true);
      return;
    }
    const offsets = new OffsetMap(text);
    let removedByChange: Entity[] = [];
    if (entry.kind === 'ok') {
      const changes = e.contentChanges.map((c) => changeToCodePoints(before, c));
      const slice = (s: number, t: number) => offsets.slice(s, t);
      const track = (s: Sidecar): Sidecar => ({ ...s, entities: trackChanges(s.entities, changes, slice).entities });
      const r = trackChanges(entry.sidecar.entities, changes, slice);
      removedByChange = r.removed;
      entry.history.map(track);
      const changed = r.removed.length > 0 || r.adjusted.length > 0 || r.entities.some((x, i) => x !== entry.sidecar.entities[i]);
      entry.sidecar = { ...entry.sidecar, entities: r.entities };
      if (changed) entry.pendingSave = true;
    }
    entry.text = text;
    entry.offsets = offsets;
    // A change that leaves the editor clean may be the file reloaded from disk, not typing; settled
    // against the new text (before it, a reload looked like an edit that cut the entities).
    if (entry.kind === 'ok' && (removedByChange.length || !e.document.isDirty)) void this.onChangeSettled(entry, removedByChange);
    if (entry.kind === 'invalid' && entry.diskText !== undefined) {
      // Whether the sidecar fits depends on the text: check the same sidecar against the new text.
      this.parseInto(entry, entry.diskText, { ...this.articleOf(entry), sha256: entry.articleSha ?? '' });
    }
    this.emitter.fire({ article: entry.article });
  }

  /**
   * After an edit that cut entities or left the editor clean. If the editor now shows a new
   * version of the file on disk, the file was reloaded (changed outside): the annotations are
   * reloaded from the sidecar, which re-anchors them. If it shows the saved version again, they
   * are reconciled with the sidecar. Otherwise it was an edit, and the annotator is told what it cut.
   */
  private async onChangeSettled(entry: Entry, removed: Entity[]): Promise<void> {
    const outcome = await this.reconcileIfSaved(entry, true);
    if (outcome === 'not-saved-text' && removed.length) this.reportRemoved(entry, removed);
  }

  /**
   * When the editor shows exactly the saved article again without a save (Revert File, undo back
   * to the saved text), the sidecar on disk describes that text: its entities come back (an edit
   * may have cut them), and entities tagged meanwhile are kept where their text still matches.
   * This is the only path, besides an explicit save, on which tracked changes are written.
   * A different file on disk (saved just now, or changed outside) is left to onArticleSaved and
   * onFileChanged.
   */
  private async reconcileIfSaved(entry: Entry, reloadIfChangedOutside = false): Promise<'reconciled' | 'reloaded' | 'not-saved-text' | 'failed'> {
    try {
      const text = entry.text;
      // The hash of the file the entry was read for, taken now: a reload finishing while the file
      // is read below changes it, and the sidecar on disk may not yet describe the new file.
      const sha = entry.articleSha;
      const disk = checkArticle(entry, await readBytes(entry.article));
      if (disk.text !== text || entry.text !== text) return 'not-saved-text';
      if (sha !== entry.articleSha) return 'reloaded';
      if (sha !== undefined && disk.sha256 !== sha) {
        // A content change showing a new file: reloaded from outside. (A save arrives as a
        // dirty-state change without content, which never asks for this.)
        if (!reloadIfChangedOutside) return 'failed';
        this.log.info(`${entry.article.fsPath} changed on disk: reloading its annotations`);
        await this.load(entry.article, true);
        return 'reloaded';
      }
      let saved: Sidecar;
      try {
        const parsed = readSidecar(decoder.decode(await readBytes(entry.sidecarUri)));
        if (!parsed.sidecar || hasErrors(parsed.problems)) return 'failed';
        saved = parsed.sidecar;
      } catch (e) {
        if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) return 'failed';
        saved = emptySidecar(baseName(entry.article.path), disk.sha256);
      }
      if (entry.text !== text) return 'not-saved-text';
      const merged = reconcile(saved, entry.sidecar, entry.offsets);
      if (!merged) return 'failed';
      entry.sidecar = merged;
      this.log.info(`${baseName(entry.article.path)}: text back to the saved version; annotations reconciled with the sidecar`);
      if (sameAnnotations(merged, saved)) entry.pendingSave = false;
      else void this.persist(entry);
      this.emitter.fire({ article: entry.article });
      return 'reconciled';
    } catch (e) {
      this.log.warn(`cannot re-read ${entry.article.fsPath}: ${String(e)}`);
      return 'failed';
    }
  }

  private reportRemoved(entry: Entry, removed: Entity[]): void {
    const list = removed.map((x) => `${x.label} "${x.text}"`).join(', ');
    this.log.warn(`${baseName(entry.article.path)}: an edit destroyed ${removed.length} entit${removed.length > 1 ? 'ies' : 'y'}: ${list}`);
    void vscode.window.showWarningMessage(`Your edit removed ${removed.length === 1 ? 'the entity' : `${removed.length} entities:`} ${list}. Use "Undo Annotation Change" after undoing the text edit to restore ${removed.length === 1 ? 'it' : 'them'}.`);
  }

  private async onArticleSaved(doc: vscode.TextDocument): Promise<void> {
    const entry = this.entries.get(doc.uri.toString());
    if (!entry || entry.kind !== 'ok') return;
    try {
      // Through the entry's cache: the write below and the file watcher's event for this save read
      // the same bytes again, and need not decode and hash them again.
      const disk = checkArticle(entry, await readBytes(doc.uri));
      if (disk.text !== entry.text) {
        // Saved with another encoding or line ending than the buffer: our offsets no longer apply.
        this.log.warn(`${doc.uri.fsPath}: the saved file differs from the editor text; reloading annotations`);
        await this.load(doc.uri, true);
        return;
      }
      // Recorded at once, so the file watcher's event for this save is not taken for an outside change.
      const shaChanged = disk.sha256 !== entry.articleSha;
      entry.articleSha = disk.sha256;
      // Pending offsets, or only a new hash: either way the sidecar must describe the saved file.
      if (entry.pendingSave || (entry.sidecarExists && shaChanged)) {
        await this.persist(entry);
        this.emitter.fire({ article: entry.article });
      }
    } catch (e) {
      this.log.error(`after saving ${doc.uri.fsPath}: ${String(e)}`);
    }
  }

  private async onArticleClosed(doc: vscode.TextDocument): Promise<void> {
    const entry = this.entries.get(doc.uri.toString());
    // From now on the file on disk is the text: anything derived from the editor's text is redone.
    if (entry && (entry.pendingSave || entry.kind !== 'ok' || entry.text !== doc.getText())) await this.load(doc.uri, true);
  }

  /** The label configuration changed: check every sidecar again, except those with changes waiting for a save. */
  private async revalidateAll(): Promise<void> {
    const settled = [...this.entries.values()].filter((e) => !e.pendingSave);
    await Promise.all(settled.map((e) => this.load(e.article, true).catch(() => undefined)));
  }

  /** The article was deleted (or renamed away): forget it. */
  forget(article: vscode.Uri): void {
    const prefix = article.toString() + '/';
    for (const key of [...this.entries.keys()]) {
      if (key === article.toString() || key.startsWith(prefix)) {
        const entry = this.entries.get(key) as Entry;
        this.entries.delete(key);
        this.emitter.fire({ article: entry.article });
      }
    }
  }

  private articleOf(entry: Entry): Article {
    return { text: entry.text, offsets: entry.offsets, sha256: entry.articleSha ?? '', hasBom: entry.hasBom };
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    // Closed documents linger in textDocuments for a while: they no longer own the text.
    return vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === key);
  }

  private async showError(message: string, sidecar: vscode.Uri): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Open Sidecar', 'Show Log');
    if (choice === 'Open Sidecar') await vscode.window.showTextDocument(sidecar);
    if (choice === 'Show Log') this.log.show();
  }

  dispose(): void {
    if (this.sweepTimer) clearTimeout(this.sweepTimer);
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * The saved sidecar's entities, plus those of the live model that it lacks or that changed,
 * wherever their text matches: what survives a revert without losing new work. Undefined when a
 * saved entity does not match the text (then nothing may be decided here).
 */
function reconcile(saved: Sidecar, live: Sidecar, offsets: OffsetMap): Sidecar | undefined {
  const matches = (e: Entity) => e.end <= offsets.codePointLength && offsets.slice(e.start, e.end) === e.text;
  if (!saved.entities.every(matches)) return undefined;
  const byId = new Map(saved.entities.map((e) => [e.id, e]));
  for (const e of live.entities) if (matches(e)) byId.set(e.id, e);
  return { ...saved, status: live.status, entities: [...byId.values()] };
}

/** The article is not the one the sidecar's offsets were made for. */
function drifted(sidecar: Sidecar, article: Article): boolean {
  return sidecar.sha256 !== undefined && article.sha256 !== '' && sidecar.sha256 !== article.sha256;
}

/** Same status and the same entities (in any order): no change worth an undo step or a write. */
function sameAnnotations(a: Sidecar, b: Sidecar): boolean {
  if (a.status !== b.status || a.entities.length !== b.entities.length) return false;
  if (a.entities.every((e, i) => e === b.entities[i])) return true;
  const byId = new Map(b.entities.map((e) => [e.id, e]));
  return a.entities.every((e) => {
    const o = byId.get(e.id);
    return o !== undefined && (o === e || entityLine(o) === entityLine(e));
  });
}

interface CheckedArticle {
  readonly bytes: Uint8Array;
  readonly text: string;
  readonly sha256: string;
  readonly hasBom: boolean;
}

/**
 * The article's bytes decoded and hashed, as decodeArticle does — or, when they are exactly the
 * bytes this entry last checked (compared in full), what they decoded to then: a large article is
 * not decoded and hashed again for every annotation change, nor by each step of one save.
 */
function checkArticle(entry: Entry, bytes: Uint8Array): CheckedArticle {
  const last = entry.checkedArticle;
  if (last !== undefined && sameBytes(last.bytes, bytes)) return last;
  const { text, sha256, hasBom } = decodeArticle(bytes);
  entry.checkedArticle = { bytes, text, sha256, hasBom };
  return entry.checkedArticle;
}

/** Byte-for-byte equality; four bytes at a time where both are aligned (a megabyte in well under a millisecond). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = a.length >>> 2;
    const x = new Uint32Array(a.buffer, a.byteOffset, words);
    const y = new Uint32Array(b.buffer, b.byteOffset, words);
    for (let k = 0; k < words; k++) if (x[k] !== y[k]) return false;
    i = words << 2;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Temporary file + rename: a crash mid-write never leaves a half-written sidecar. On a local
 * disk (Node host, `file:`), Node's rename replaces the sidecar in one step, under the lock the
 * CLI takes too, after checking it still holds `expected` (what write() read): 'changed' if not.
 * Elsewhere (remote, virtual file systems, the browser) only workspace.fs is there: its rename
 * with `overwrite` deletes the target first in VS Code 1.100, so a reader may find no sidecar
 * for that moment, and no lock can be taken; write() compared the content just before.
 */
async function writeAtomically(uri: vscode.Uri, bytes: Uint8Array, expected: Uint8Array | undefined): Promise<'written' | 'changed'> {
  if (uri.scheme === 'file' && localWriter) return localWriter.replace(uri.fsPath, bytes, expected);
  const tmp = uri.with({ path: tempPathFor(uri.path, hostPid) });
  await vscode.workspace.fs.writeFile(tmp, bytes);
  try {
    await vscode.workspace.fs.rename(tmp, uri, { overwrite: true });
  } catch (e) {
    await vscode.workspace.fs.delete(tmp).then(undefined, () => undefined);
    throw e;
  }
  return 'written';
}
