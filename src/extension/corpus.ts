// Which files of the workspace are articles, found once at start and then kept current from
// file-system events (never by rescanning the whole workspace on each change).
import * as vscode from 'vscode';
import { matchesGlobs } from '../core/glob';
import { isSidecarPath } from '../core/model';

/** How long to wait for VS Code's file search before walking the folder instead. */
const SEARCH_PATIENCE_MS = 3000;
import { LabelService } from './labels';
import { AnnotationStore } from './store';

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
   * The folder's articles: VS Code's file search, or — where no search provider serves the
   * folder's scheme (a browser's web worker host on a remote folder waits for one forever) — a
   * walk of the folder through workspace.fs, matched with the same globs.
   */
  private async findArticles(folder: vscode.WorkspaceFolder): Promise<vscode.Uri[]> {
    const config = this.labels.configFor(folder.uri);
    const exclude = config.exclude.length ? `{${config.exclude.join(',')}}` : undefined;
    const search = Promise.all(config.articles.map((glob) => vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), exclude)))
      .then((lists) => lists.flat());
    const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), SEARCH_PATIENCE_MS));
    const found = await Promise.race([search, timeout]);
    if (found) return found.filter((uri) => !isSidecarPath(uri.path));
    this.log.info(`no file search for ${folder.uri.scheme}: folders: walking ${folder.name} instead`);
    const out: vscode.Uri[] = [];
    const walk = async (dir: vscode.Uri, rel: string): Promise<void> => {
      for (const [name, type] of await vscode.workspace.fs.readDirectory(dir)) {
        const childRel = rel ? `${rel}/${name}` : name;
        const child = vscode.Uri.joinPath(dir, name);
        if (type & vscode.FileType.Directory) {
          if (!matchesGlobs(`${childRel}/x`, ['**'], config.exclude)) continue;
          await walk(child, childRel);
        } else if (!isSidecarPath(name) && matchesGlobs(childRel, config.articles, config.exclude)) {
          out.push(child);
        }
      }
    };
    await walk(folder.uri, '');
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
    if (this.labels.isArticle(uri) && !this.articles.has(uri.toString())) {
      this.articles.set(uri.toString(), uri);
      void vscode.commands.executeCommand('setContext', 'corpusAnnotator.articleCount', this.articles.size);
      this.emitter.fire();
    }
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
