// The dashboard's inter-annotator agreement in the extension: the annotators' folders come from the
// setting `corpusAnnotator.dashboard.annotatorFolders` (relative to each workspace folder), are read
// through workspace.fs (core/dashboard/dashboard-agreement.ts computes the figures), and are read again when
// the setting changes or a sidecar in one of them does. Only while the dashboard is open.
import * as vscode from 'vscode';
import { AgreementFigures, AgreementSource, annotatorFolders, collectAgreement } from '../core/dashboard/dashboard-agreement';
import { isSidecarPath } from '../core/model/model';

export const ANNOTATOR_FOLDERS_SETTING = 'corpusAnnotator.dashboard.annotatorFolders';

/** Sidecar changes in the annotators' folders closer together than this are read once. */
const RELOAD_DEBOUNCE_MS = 300;
const SKIPPED_DIRS = new Set(['node_modules', '.git']);
const MAX_DEPTH = 40;

interface Configured {
  /** As the setting gives it. */
  readonly folder: string;
  /** Resolved against its workspace folder. */
  readonly uri: vscode.Uri | undefined;
  readonly workspaceFolder: vscode.Uri;
}

export class DashboardAgreement implements vscode.Disposable {
  private figures: AgreementFigures | undefined;
  private readonly emitter = new vscode.EventEmitter<void>();
  /** Fires when new figures are ready. */
  readonly onDidChange = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [this.emitter];
  private watchers: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> = Promise.resolve();
  /** Bumped at each reload: an older read finishing late never replaces newer figures. */
  private generation = 0;
  private active = false;
  /** The annotators' folders of the latest read, as URI strings ending in `/`. */
  private roots: string[] = [];

  constructor(private readonly labelOrder: () => string[], private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (this.active && e.affectsConfiguration(ANNOTATOR_FOLDERS_SETTING)) void this.reload();
      }),
    );
  }

  /** The figures of the last read (undefined before the first). */
  current(): AgreementFigures | undefined {
    return this.figures;
  }

  /** The read in progress, if any, has finished. */
  settled(): Promise<void> {
    return this.loading;
  }

  /** Starts following the folders (the dashboard opened) and reads them. */
  start(): Promise<void> {
    this.active = true;
    this.watch();
    return this.reload();
  }

  /** Stops following them (the dashboard closed). */
  stop(): void {
    this.active = false;
    this.generation++;
    this.disposeWatchers();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  reload(): Promise<void> {
    const generation = ++this.generation;
    const run = async () => {
      const configured = this.configured();
      this.roots = configured.flatMap((c) => (c.uri ? [c.uri.toString().replace(/\/*$/, '/')] : []));
      const figures = await this.read(configured);
      if (generation !== this.generation) return;
      this.figures = figures;
      this.log.info(`dashboard: agreement of ${figures.annotators.length} annotator folder(s), ${figures.skipped.length} file(s) left out`);
      this.emitter.fire();
    };
    this.loading = this.loading.then(run, run).catch((e: unknown) => {
      this.log.error(`dashboard: agreement could not be computed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    });
    return this.loading;
  }

  private configured(): Configured[] {
    const out: Configured[] = [];
    for (const wf of vscode.workspace.workspaceFolders ?? []) {
      const value = vscode.workspace.getConfiguration(undefined, wf.uri).get<unknown>(ANNOTATOR_FOLDERS_SETTING);
      if (!Array.isArray(value)) continue;
      for (const v of value) {
        if (typeof v !== 'string' || !v.trim()) continue;
        const folder = v.trim();
        // Workspace-relative only: an absolute path is reported, not read.
        const absolute = /^(?:[\\/]|[A-Za-z]:[\\/]|[a-z][a-z0-9+.-]*:\/\/)/i.test(folder);
        const uri = absolute ? undefined : vscode.Uri.joinPath(wf.uri, ...folder.split(/[\\/]/).filter(Boolean));
        // A user-level setting applies to every folder of a multi-root workspace: each folder read once.
        if (uri && out.some((c) => c.uri?.toString() === uri.toString())) continue;
        out.push({ folder, uri, workspaceFolder: wf.uri });
      }
    }
    return out;
  }

  private read(configured: readonly Configured[]): Promise<AgreementFigures> {
    const fs = vscode.workspace.fs;
    const source: AgreementSource = {
      listSidecars: async (i) => {
        const root = configured[i]?.uri;
        if (!root) throw new Error('give a path relative to the workspace folder');
        const stat = await fs.stat(root).then(
          (s) => s,
          () => undefined,
        );
        if (!stat) throw new Error('no such folder in the workspace');
        if (!(stat.type & vscode.FileType.Directory)) throw new Error('not a folder');
        return listSidecars(root);
      },
      readFile: async (i, rel) => fs.readFile(vscode.Uri.joinPath(configured[i]?.uri as vscode.Uri, ...rel.split('/'))),
      readArticle: async (rel, holders) => {
        const dirs = [...holders.map((i) => configured[i]?.uri), ...new Set(holders.map((i) => configured[i]?.workspaceFolder))];
        for (const dir of dirs) {
          if (!dir) continue;
          const bytes = await fs.readFile(vscode.Uri.joinPath(dir, ...rel.split('/'))).then(
            (b) => b,
            () => undefined,
          );
          if (bytes) return bytes;
        }
        return undefined;
      },
    };
    return collectAgreement(annotatorFolders(configured.map((c) => c.folder)), source, this.labelOrder());
  }

  /**
   * A change to a sidecar in an annotator's folder reads the folders again (debounced). One
   * workspace-wide glob watcher for as long as the dashboard is open, its events matched against the
   * folders of the latest read: a watcher made anew at each read can miss a write made while it
   * is being set up (the integration test missed one now and then).
   */
  private watch(): void {
    if (this.watchers.length) return;
    const w = vscode.workspace.createFileSystemWatcher('**/*.ann.yaml');
    const changed = (uri: vscode.Uri) => {
      const key = uri.toString();
      if (!isSidecarPath(uri.path) || !this.roots.some((r) => key.startsWith(r))) return;
      this.log.debug(`dashboard: ${vscode.workspace.asRelativePath(uri)} changed: agreement to be read again`);
      this.scheduleReload();
    };
    this.watchers.push(w, w.onDidCreate(changed), w.onDidChange(changed), w.onDidDelete(changed));
  }

  private scheduleReload(): void {
    if (!this.active) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.reload();
    }, RELOAD_DEBOUNCE_MS);
  }

  private disposeWatchers(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
  }

  dispose(): void {
    this.stop();
    for (const d of this.disposables) d.dispose();
  }
}

/** The sidecars under `root`, as paths relative to it with `/`, through workspace.fs (the web host too). */
async function listSidecars(root: vscode.Uri): Promise<string[]> {
  const out: string[] = [];
  const visit = async (dir: vscode.Uri, rel: string, depth: number): Promise<void> => {
    const entries = await vscode.workspace.fs.readDirectory(dir);
    for (const [name, type] of entries) {
      const childRel = rel ? `${rel}/${name}` : name;
      if (type & vscode.FileType.Directory) {
        if (depth < MAX_DEPTH && !SKIPPED_DIRS.has(name)) await visit(vscode.Uri.joinPath(dir, name), childRel, depth + 1);
      } else if (isSidecarPath(name)) {
        out.push(childRel);
      }
    }
  };
  await visit(root, '', 0);
  return out.sort();
}
