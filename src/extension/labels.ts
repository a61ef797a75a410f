// The label configuration of each workspace folder (.corpus-annotator.yaml), kept current.
import * as vscode from 'vscode';
import { CONFIG_FILE, DEFAULT_CONFIG, LabelConfig, LabelDef, readConfig } from '../core/config/config';
import { matchesGlobs } from '../core/config/glob';
import { isSidecarPath } from '../core/model/model';
import { Problem } from '../core/model/problems';

export class LabelService implements vscode.Disposable {
  private readonly configs = new Map<string, { config: LabelConfig; problems: Problem[]; uri: vscode.Uri }>();
  private readonly emitter = new vscode.EventEmitter<void>();
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  constructor(private readonly log: vscode.LogOutputChannel) {
    const watcher = vscode.workspace.createFileSystemWatcher(`**/${CONFIG_FILE}`);
    const reload = () => void this.loadAll().then(() => this.emitter.fire());
    this.disposables.push(watcher, watcher.onDidChange(reload), watcher.onDidCreate(reload), watcher.onDidDelete(reload),
      vscode.workspace.onDidChangeWorkspaceFolders(reload));
  }

  /** Loads every workspace folder's configuration. */
  async loadAll(): Promise<void> {
    this.configs.clear();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const uri = vscode.Uri.joinPath(folder.uri, CONFIG_FILE);
      let source: string | undefined;
      try {
        source = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
      } catch (e) {
        if (!(e instanceof vscode.FileSystemError && e.code === 'FileNotFound')) this.log.warn(`cannot read ${uri.fsPath}: ${String(e)}`);
      }
      if (source === undefined) continue;
      const loaded = readConfig(source);
      for (const p of loaded.problems) this.log.warn(`${uri.fsPath}:${p.line}:${p.column}: ${p.message}`);
      this.configs.set(folder.uri.toString(), { ...loaded, uri });
    }
  }

  /** The configuration that applies to a file: its workspace folder's, or the default. */
  configFor(uri: vscode.Uri): LabelConfig {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return (folder && this.configs.get(folder.uri.toString())?.config) || DEFAULT_CONFIG;
  }

  /** Problems of each configuration file, for the Problems panel. */
  problems(): Array<{ uri: vscode.Uri; problems: Problem[] }> {
    return [...this.configs.values()].map(({ uri, problems }) => ({ uri, problems }));
  }

  /** Whether a file is an article of the corpus, by its folder's `articles`/`exclude` globs. */
  isArticle(uri: vscode.Uri): boolean {
    if (isSidecarPath(uri.path)) return false;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    if (!folder) return false;
    const config = this.configFor(uri);
    const rel = uri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1);
    return matchesGlobs(rel, config.articles, config.exclude);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * How a label is coloured in the editor and the sidebar: a default label left at its default
 * colour takes the contributed theme colour (corpusAnnotator.labelPER…, adjustable per theme);
 * any other, its configured colour.
 */
export function themeColor(label: LabelDef): string | vscode.ThemeColor {
  const def = DEFAULT_CONFIG.labels.find((l) => l.name === label.name);
  return def && def.color === label.color.toLowerCase() ? new vscode.ThemeColor(`corpusAnnotator.label${label.name}`) : label.color;
}
