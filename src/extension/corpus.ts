// Which files of the workspace are articles, found once at start and then kept current from
// file-system events (never by rescanning the whole workspace on each change).
import * as vscode from 'vscode';
import { isSidecarPath } from '../core/model';
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
        const config = this.labels.configFor(folder.uri);
        for (const glob of config.articles) {
          const exclude = config.exclude.length ? `{${config.exclude.join(',')}}` : undefined;
          for (const uri of await vscode.workspace.findFiles(new vscode.RelativePattern(folder, glob), exclude)) {
            if (!isSidecarPath(uri.path)) found.set(uri.toString(), uri);
          }
        }
      }
      this.articles.clear();
      for (const [k, v] of [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) this.articles.set(k, v);
      this.log.info(`found ${this.articles.size} article(s) in ${Date.now() - started} ms`);
      await vscode.commands.executeCommand('setContext', 'corpusAnnotator.articleCount', this.articles.size);
      this.emitter.fire();
    })();
    return this.scanning;
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
