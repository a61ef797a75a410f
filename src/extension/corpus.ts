// Which files of the workspace are articles, found once at start and then kept current from
// file-system events (never by rescanning the whole workspace on each change).
import * as vscode from 'vscode';
import { matchesGlobs } from '../core/config/glob';
import { isSidecarPath } from '../core/model/model';

import { LabelService } from './labels';
import { AnnotationStore } from './store';

/** Directories listed at once while walking a folder for articles. */
const WALK_CONCURRENCY = 8;
/** Directory levels walked below a workspace folder at most. */
const MAX_DEPTH = 40;

export class Corpus implements vscode.Disposable {
  private readonly articles = new Map<string, vscode.Uri>();
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when articles are added or removed (not when their annotations change: see the store). */
  readonly onDidChangeArticles = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private scanning: Promise<void> | undefined;

  constructor(private readonly labels: LabelService, private readonly store: AnnotationStore, private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher('**/*');
    this.disposables.push(
      watcher,
      watcher.onDidCreate((uri) => this.onCreated(uri)),
      watcher.onDidChange((uri) => void this.store.onFileChanged(uri)),
      watcher.onDidDelete((uri) => this.onDeleted(uri)),
      labels.onDidChange(() => void this.scan()),
      vscode.workspace.onDidChangeWorkspaceFolders(() => void this.scan()),
    );
  }

  /** Finds every article in the workspace. */
  scan(): Promise<void> {
    this.scanning = (async () => {
      const started = Date.now();
      const found = new Map<string, vscode.Uri>();
      for (const folder of vscode.workspace.workspaceFolders ?? []) {
        for (const uri of await this.findArticles(folder)) found.set(uri.toString(), uri);
      }
      this.articles.clear();
      for (const [k, v] of [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) this.articles.set(k, v);
      this.log.info(`found ${this.articles.size} article(s) in ${Date.now() - started} ms`);
      await vscode.commands.executeCommand('setContext', 'corpusAnnotator.articleCount', this.articles.size);
      this.emitter.fire();
    })();
    return this.scanning;
  }

  /**
   * The folder's articles: a walk of the folder through workspace.fs, matched with the
   * configuration's globs, several directories at a time. Not VS Code's file search: on 10,000
   * articles it did not answer within 3 s in code-server (the walk takes a fraction of that), and
   * where no search provider serves the folder's scheme (a browser's web worker host on a remote
   * folder) it waits forever. Excluded directories (node_modules and .git by default) are never
   * entered.
   */
  private async findArticles(folder: vscode.WorkspaceFolder): Promise<vscode.Uri[]> {
    const config = this.labels.configFor(folder.uri);
    const out: vscode.Uri[] = [];
    const queue: Array<{ dir: vscode.Uri; rel: string; depth: number }> = [{ dir: folder.uri, rel: '', depth: 0 }];
    const visit = async ({ dir, rel, depth }: { dir: vscode.Uri; rel: string; depth: number }): Promise<void> => {
      let entries: [string, vscode.FileType][];
      try {
        entries = await vscode.workspace.fs.readDirectory(dir);
      } catch (e) {
        // (An unreadable directory loses its articles, not the whole corpus.)
        this.log.warn(`cannot list ${dir.fsPath}: ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      for (const [name, type] of entries) {
        const childRel = rel ? `${rel}/${name}` : name;
        if (type & vscode.FileType.Directory) {
          // A depth bound: a symbolic link to a parent directory must not walk forever.
          if (depth < MAX_DEPTH && matchesGlobs(`${childRel}/x`, ['**'], config.exclude)) queue.push({ dir: vscode.Uri.joinPath(dir, name), rel: childRel, depth: depth + 1 });
        } else if (!isSidecarPath(name) && matchesGlobs(childRel, config.articles, config.exclude)) {
          out.push(vscode.Uri.joinPath(dir, name));
        }
      }
    };
    let active = 0;
    await new Promise<void>((resolve) => {
      const pump = () => {
        while (active < WALK_CONCURRENCY && queue.length) {
          active++;
          void visit(queue.shift() as (typeof queue)[number]).finally(() => {
            active--;
            pump();
          });
        }
        if (active === 0 && queue.length === 0) resolve();
      };
      pump();
    });
    return out;
  }

  /** Resolves once the first scan is done. */
  ready(): Promise<void> {
    return this.scanning ?? this.scan();
  }

  list(): vscode.Uri[] {
    return [...this.articles.values()];
  }

  has(uri: vscode.Uri): boolean {
    return this.articles.has(uri.toString());
  }

  private onCreated(uri: vscode.Uri): void {
    if (isSidecarPath(uri.path)) {
      void this.store.onFileChanged(uri);
      return;
    }
    if (!this.articles.has(uri.toString()) && this.labels.isArticle(uri)) {
      this.articles.set(uri.toString(), uri);
      void vscode.commands.executeCommand('setContext', 'corpusAnnotator.articleCount', this.articles.size);
      this.emitter.fire();
    }
    // Its content may be new to the store even when the article is new to the list: replaced in
    // one step (an atomic save, a checkout), or written again right after it was created, which the
    // watcher reports as one creation — and an editor may have opened it in between, so the store
    // holds its first text (the CI failure of stop 26). The store ignores what it does not hold.
    void this.store.onFileChanged(uri);
  }

  private onDeleted(uri: vscode.Uri): void {
    if (isSidecarPath(uri.path)) {
      void this.store.onFileChanged(uri);
      return;
    }
    this.store.forget(uri);
    // A deleted folder arrives as one event for the folder.
    const prefix = uri.toString() + '/';
    let changed = false;
    for (const k of [...this.articles.keys()]) {
      if (k === uri.toString() || k.startsWith(prefix)) {
        this.articles.delete(k);
        changed = true;
      }
    }
    if (changed) {
      void vscode.commands.executeCommand('setContext', 'corpusAnnotator.articleCount', this.articles.size);
      this.emitter.fire();
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
