// The annotations of every article the extension has looked at: loaded from the sidecar,
// validated against the article, changed by commands (with undo), kept aligned with text edits,
// and written back in canonical form. Adapters only read from here and listen to onDidChange.
import * as vscode from 'vscode';
import { Article, ArticleDecodeError, articleFromText, decodeArticle } from '../core/article';
import { emptySidecar } from '../core/edits';
import { History } from '../core/history';
import { baseName, Entity, Sidecar, sidecarPathOf } from '../core/model';
import { OffsetMap } from '../core/offsets';
import { hasErrors, Problem } from '../core/problems';
import { readSidecar } from '../core/sidecar-read';
import { writeSidecar } from '../core/sidecar-write';
import { trackChanges } from '../core/track';
import { validateAgainstArticle } from '../core/validate';
import { LabelService } from './labels';
import { changeToCodePoints } from './positions';

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
  readonly history = new History<Sidecar>();
  /** The sidecar bytes as we last read or wrote them: anything else on disk is someone else's change. */
  diskText: string | undefined;
  /** Hash of the article's bytes on disk, written as `sha256`. */
  articleSha: string | undefined;
  hasBom = false;
  /** Serialises writes of this sidecar. */
  writing: Promise<unknown> = Promise.resolve();

  constructor(readonly article: vscode.Uri, readonly sidecarUri: vscode.Uri) {
    this.sidecar = emptySidecar(baseName(article.path));
  }
  get canUndo(): boolean { return this.kind === 'ok' && this.history.canUndo; }
  get canRedo(): boolean { return this.kind === 'ok' && this.history.canRedo; }
}

const decoder = new TextDecoder('utf-8', { fatal: true });

export class AnnotationStore implements vscode.Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly loading = new Map<string, Promise<DocAnnotations>>();
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

  /** Loads (once; again with `force`) an article's annotations. */
  load(article: vscode.Uri, force = false): Promise<DocAnnotations> {
    const key = article.toString();
    const existing = this.entries.get(key);
    if (existing && !force) return Promise.resolve(existing);
    const pending = this.loading.get(key);
    if (pending) return pending;
    const p = this.read(article).finally(() => this.loading.delete(key));
    this.loading.set(key, p);
    return p;
  }

  private async read(articleUri: vscode.Uri): Promise<DocAnnotations> {
    const key = articleUri.toString();
    const sidecarUri = articleUri.with({ path: sidecarPathOf(articleUri.path) });
    const entry = this.entries.get(key) ?? new Entry(articleUri, sidecarUri);
    entry.history.clear();
    entry.pendingSave = false;
    entry.problems = [];

    let article: Article;
    try {
      article = decodeArticle(await vscode.workspace.fs.readFile(articleUri));
      entry.articleSha = article.sha256;
      entry.hasBom = article.hasBom;
    } catch (e) {
      const open = this.openDocument(articleUri);
      if (e instanceof ArticleDecodeError || !open) {
        entry.kind = 'unreadable';
        entry.sidecar = emptySidecar(baseName(articleUri.path));
        entry.problems = [{ severity: 'error', code: 'article-unreadable', message: `${baseName(articleUri.path)}: ${e instanceof Error ? e.message : String(e)}`, line: 1, column: 1 }];
        this.log.warn(`cannot annotate ${articleUri.fsPath}: ${entry.problems[0]?.message}`);
        this.entries.set(key, entry);
        this.emitter.fire({ article: articleUri });
        return entry;
      }
      article = articleFromText(open.getText());
      entry.articleSha = undefined;
    }
    // Offsets follow what the annotator sees: the editor's text, when the article is open.
    const open = this.openDocument(articleUri);
    const liveText = open ? open.getText() : article.text;
    entry.text = liveText;
    entry.offsets = liveText === article.text ? article.offsets : new OffsetMap(liveText);
    const live: Article = liveText === article.text ? article : { ...article, text: liveText, offsets: entry.offsets };

    let source: string | undefined;
    try {
      source = decoder.decode(await vscode.workspace.fs.readFile(sidecarUri));
    } catch (e) {
      if (e instanceof vscode.FileSystemError && e.code === 'FileNotFound') source = undefined;
      else {
        entry.kind = 'invalid';
        entry.sidecarExists = true;
        entry.diskText = undefined;
        entry.problems = [{ severity: 'error', code: 'sidecar-unreadable', message: `the sidecar cannot be read (${e instanceof TypeError ? 'it is not UTF-8 text' : String(e)}); it is left untouched`, line: 1, column: 1 }];
        this.entries.set(key, entry);
        this.emitter.fire({ article: articleUri });
        return entry;
      }
    }
    entry.diskText = source;
    entry.sidecarExists = source !== undefined;
    if (source === undefined) {
      entry.kind = 'ok';
      entry.sidecar = emptySidecar(baseName(articleUri.path), entry.articleSha);
    } else {
      this.parseInto(entry, source, live);
    }
    this.entries.set(key, entry);
    this.emitter.fire({ article: articleUri });
    return entry;
  }

  private parseInto(entry: Entry, source: string, article: Article): void {
    const parsed = readSidecar(source);
    const config = this.labels.configFor(entry.article);
    const problems = [...parsed.problems];
    if (parsed.sidecar) {
      problems.push(...validateAgainstArticle(parsed.sidecar, article, {
        labels: new Set(config.labels.map((l) => l.name)),
        overlap: config.overlap,
        articleName: baseName(entry.article.path),
        entityLines: parsed.entityLines,
        keyLines: parsed.keyLines,
      }));
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

  /** Writes the sidecar now, or marks it pending while the article has unsaved text edits. */
  private persist(entry: Entry, op?: (s: Sidecar, a: Article) => Sidecar): Promise<boolean> {
    if (this.openDocument(entry.article)?.isDirty) {
      // Offsets refer to unsaved text: writing them now would not match the article on disk.
      entry.pendingSave = true;
      this.emitter.fire({ article: entry.article });
      return Promise.resolve(true);
    }
    const run = entry.writing.then(() => this.write(entry, op));
    entry.writing = run.catch(() => undefined);
    return run;
  }

  private async write(entry: Entry, op?: (s: Sidecar, a: Article) => Sidecar): Promise<boolean> {
    try {
      let onDisk: string | undefined;
      try {
        onDisk = decoder.decode(await vscode.workspace.fs.readFile(entry.sidecarUri));
      } catch (e) {
        if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) throw e;
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
        }
      }
      const sidecar: Sidecar = { ...entry.sidecar, document: baseName(entry.article.path) };
      if (entry.articleSha) sidecar.sha256 = entry.articleSha;
      const text = writeSidecar(sidecar);
      if (text === onDisk) {
        entry.diskText = text;
        return true;
      }
      await writeAtomically(entry.sidecarUri, new TextEncoder().encode(text));
      entry.diskText = text;
      entry.sidecar = sidecar;
      entry.sidecarExists = true;
      entry.pendingSave = false;
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
    const run = entry.writing.then(() => this.write(entry));
    entry.writing = run.catch(() => undefined);
    return run;
  }

  /** A sidecar or article changed on disk: reload unless it is our own write. */
  async onFileChanged(uri: vscode.Uri): Promise<void> {
    const isSidecar = uri.path.endsWith('.ann.yaml');
    const articleUri = isSidecar ? uri.with({ path: uri.path.slice(0, -'.ann.yaml'.length) }) : uri;
    const entry = this.entries.get(articleUri.toString());
    if (!entry) return;
    if (isSidecar) {
      let onDisk: string | undefined;
      try {
        onDisk = decoder.decode(await vscode.workspace.fs.readFile(uri));
      } catch {
        onDisk = undefined;
      }
      if (onDisk === entry.diskText) return;
    } else if (this.openDocument(articleUri)) {
      return; // the editor owns the text; its changes arrive as text edits and saves
    }
    this.log.info(`${uri.fsPath} changed on disk: reloading`);
    await this.load(articleUri, true);
  }

  private onTextChanged(e: vscode.TextDocumentChangeEvent): void {
    const entry = this.entries.get(e.document.uri.toString());
    if (!entry || e.contentChanges.length === 0) return;
    const before = entry.offsets;
    const text = e.document.getText();
    const offsets = new OffsetMap(text);
    if (entry.kind === 'ok') {
      const changes = e.contentChanges.map((c) => changeToCodePoints(before, c));
      const slice = (s: number, t: number) => offsets.slice(s, t);
      const track = (s: Sidecar): Sidecar => ({ ...s, entities: trackChanges(s.entities, changes, slice).entities });
      const r = trackChanges(entry.sidecar.entities, changes, slice);
      entry.history.map(track);
      const changed = r.removed.length > 0 || r.adjusted.length > 0 || r.entities.some((x, i) => x !== entry.sidecar.entities[i]);
      entry.sidecar = { ...entry.sidecar, entities: r.entities };
      if (changed) entry.pendingSave = true;
      if (r.removed.length) this.reportRemoved(entry, r.removed);
    }
    entry.text = text;
    entry.offsets = offsets;
    this.emitter.fire({ article: entry.article });
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
      const bytes = await vscode.workspace.fs.readFile(doc.uri);
      const article = decodeArticle(bytes);
      const shaChanged = article.sha256 !== entry.articleSha;
      entry.articleSha = article.sha256;
      entry.hasBom = article.hasBom;
      if (article.text !== entry.text) {
        // Saved with another encoding/EOL than the buffer: our offsets no longer apply; reload.
        this.log.warn(`${doc.uri.fsPath}: the saved file differs from the editor text; reloading annotations`);
        await this.load(doc.uri, true);
        return;
      }
      if (entry.pendingSave || (shaChanged && entry.sidecarExists)) {
        const run = entry.writing.then(() => this.write(entry));
        entry.writing = run.catch(() => undefined);
        await run;
        this.emitter.fire({ article: entry.article });
      }
    } catch (e) {
      this.log.error(`after saving ${doc.uri.fsPath}: ${String(e)}`);
    }
  }

  private async onArticleClosed(doc: vscode.TextDocument): Promise<void> {
    const entry = this.entries.get(doc.uri.toString());
    // Closed without saving: the tracked offsets refer to text that no longer exists.
    if (entry?.pendingSave && doc.isDirty) await this.load(doc.uri, true);
  }

  private async revalidateAll(): Promise<void> {
    await Promise.all([...this.entries.keys()].map((k) => this.load(vscode.Uri.parse(k), true).catch(() => undefined)));
  }

  private articleOf(entry: Entry): Article {
    return { text: entry.text, offsets: entry.offsets, sha256: entry.articleSha ?? '', hasBom: entry.hasBom };
  }

  private openDocument(uri: vscode.Uri): vscode.TextDocument | undefined {
    const key = uri.toString();
    return vscode.workspace.textDocuments.find((d) => d.uri.toString() === key);
  }

  private async showError(message: string, sidecar: vscode.Uri): Promise<void> {
    const choice = await vscode.window.showErrorMessage(message, 'Open Sidecar', 'Show Log');
    if (choice === 'Open Sidecar') await vscode.window.showTextDocument(sidecar);
    if (choice === 'Show Log') this.log.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function sameAnnotations(a: Sidecar, b: Sidecar): boolean {
  return a.status === b.status && a.entities.length === b.entities.length && writeSidecar(a) === writeSidecar(b);
}

/** Temporary file + rename: a crash mid-write never leaves a half-written sidecar. */
async function writeAtomically(uri: vscode.Uri, bytes: Uint8Array): Promise<void> {
  const tmp = uri.with({ path: `${uri.path}.${Math.random().toString(36).slice(2, 8)}.tmp` });
  await vscode.workspace.fs.writeFile(tmp, bytes);
  try {
    await vscode.workspace.fs.rename(tmp, uri, { overwrite: true });
  } catch (e) {
    await vscode.workspace.fs.delete(tmp).then(undefined, () => undefined);
    throw e;
  }
}
