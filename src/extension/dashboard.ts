// *Corpus Annotator: Open Dashboard*: the corpus's progress as charts in a webview (core/dashboard/dashboard-*.ts
// computes and draws them). Figures come from the corpus index (CorpusCounts: no article loaded),
// stale sidecars from the Problems panel, the history from git (Node host only). The panel follows
// changes (debounced); its buttons copy the figures as Markdown, save them as CSV, open a sidecar.
import * as vscode from 'vscode';
import { DashboardData, dashboardCsv, dashboardData, dashboardMarkdown, DayFigures, STALE_CODES } from '../core/dashboard/dashboard-data';
import { entityHistory, historyGitArgs } from '../core/dashboard/dashboard-history';
import { DASHBOARD_MAIN_ID, renderDashboardBody, renderDashboardPage } from '../core/dashboard/dashboard-html';
import { articlePathOf, isSidecarPath, sidecarPathOf } from '../core/model/model';
import { CorpusCounts } from './corpus-counts';
import { ANNOTATOR_FOLDERS_SETTING, DashboardAgreement } from './dashboard-agreement';
import { gitOutput } from './dashboard-git';
import { LabelService } from './labels';
import { registerCommand } from './register-command';

/** Changes arriving closer together than this are drawn once (a corpus-wide suggest changes hundreds of sidecars). */
const DEBOUNCE_MS = 250;

type FromWebview = { type: 'ready' } | { type: 'copyMarkdown' } | { type: 'exportCsv' } | { type: 'configureAgreement' } | { type: 'open'; key: string };

/** What the test-only `corpusAnnotator.dashboard._figures` returns: the figures last drawn and the body's HTML. */
export interface DashboardSnapshot {
  readonly data: DashboardData | undefined;
  readonly html: string | undefined;
  readonly open: boolean;
}

export class Dashboard implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private history: DayFigures[] = [];
  private version = 0;
  /** The label classes the page's style holds: a change of labels redraws the whole page. */
  private styleKey = '';
  private last: DashboardData | undefined;
  private readonly agreement: DashboardAgreement;
  private readonly rendered = new vscode.EventEmitter<void>();

  constructor(private readonly counts: CorpusCounts, private readonly labels: LabelService, private readonly log: vscode.LogOutputChannel) {
    this.agreement = new DashboardAgreement(() => [...this.configuredLabels().keys()], log);
    this.disposables.push(
      this.agreement,
      this.rendered,
      this.agreement.onDidChange(() => this.render(false)),
      registerCommand(log, 'openDashboard', () => this.open()),
      registerCommand(log, 'dashboard._figures', (expectFolders?: string[]) => this.snapshot(expectFolders)),
      counts.onDidChange(() => this.schedule()),
      counts.onDidFinishPass(() => this.schedule()),
      labels.onDidChange(() => this.schedule()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (e.uris.some((u) => isSidecarPath(u.path))) this.schedule();
      }),
    );
  }

  /** Opens the panel, or brings it forward with fresh figures. */
  async open(): Promise<void> {
    if (this.panel) {
      this.panel.reveal();
      await Promise.all([this.loadHistory(), this.agreement.start()]);
      this.render(true);
      return;
    }
    // Beside the article being annotated, so that the figures change in view as tags are made.
    const column = vscode.window.activeTextEditor ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel('corpusAnnotator.dashboard', 'Corpus Dashboard', { viewColumn: column, preserveFocus: true }, {
      enableScripts: true,
      // The page is one document with its own nonce'd script and style: nothing to load at all.
      localResourceRoots: [],
      retainContextWhenHidden: false,
    });
    this.panel = panel;
    panel.onDidDispose(() => {
      this.panel = undefined;
      this.styleKey = '';
      this.agreement.stop();
    }, undefined, this.disposables);
    panel.webview.onDidReceiveMessage((m: FromWebview) => void this.onMessage(m), undefined, this.disposables);
    // A hidden webview is thrown away (retainContextWhenHidden off): drawn again when shown.
    panel.onDidChangeViewState(() => {
      if (panel.visible) this.render(true);
    }, undefined, this.disposables);
    this.render(true);
    await Promise.all([this.loadHistory(), this.agreement.start()]);
    this.render(false);
  }

  /**
   * For the integration tests: the figures drawn once the annotators' folders have been read, and,
   * given `expectFolders`, once they have been read for exactly those (a setting just changed).
   */
  private async snapshot(expectFolders?: string[]): Promise<DashboardSnapshot> {
    const same = () => JSON.stringify((this.last?.agreement?.annotators ?? []).map((a) => a.folder)) === JSON.stringify(expectFolders);
    await this.agreement.settled();
    while (this.panel && expectFolders && !same()) {
      await new Promise<void>((resolve) => {
        const d = this.rendered.event(() => {
          d.dispose();
          resolve();
        });
      });
    }
    return { data: this.last, html: this.last ? renderDashboardBody(this.last, { mode: 'webview' }) : undefined, open: this.panel !== undefined };
  }

  private configuredLabels(): Map<string, string> {
    const labels = new Map<string, string>();
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      for (const l of this.labels.configFor(folder.uri).labels) if (!labels.has(l.name)) labels.set(l.name, l.color);
    }
    return labels;
  }

  private schedule(): void {
    if (!this.panel) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.render(false);
    }, DEBOUNCE_MS);
  }

  private figures(): DashboardData {
    const stale = new Set<string>();
    for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
      if (!isSidecarPath(uri.path)) continue;
      if (diagnostics.some((d) => STALE_CODES.has(String(typeof d.code === 'object' ? d.code.value : d.code)))) stale.add(uri.with({ path: articlePathOf(uri.path) }).toString());
    }
    const labels = this.configuredLabels();
    const agreement = this.agreement.current();
    const data = dashboardData(this.counts.documents(), (key) => vscode.workspace.asRelativePath(vscode.Uri.parse(key), true), stale, {
      labels: [...labels].map(([name, color]) => ({ name, color })),
      history: this.history,
      ...(agreement ? { agreement } : {}),
    });
    this.last = data;
    return data;
  }

  /** Draws the figures: the whole page (`whole`, or the labels changed), else only the body, in place. */
  private render(whole: boolean): void {
    const panel = this.panel;
    if (!panel) return;
    const data = this.figures();
    const styleKey = JSON.stringify(data.labels.map((l) => [l.label, l.color]));
    this.version++;
    if (whole || styleKey !== this.styleKey) {
      this.styleKey = styleKey;
      panel.webview.html = renderDashboardPage(data, { mode: 'webview', title: 'Corpus Dashboard', nonce: nonce(), cspSource: panel.webview.cspSource, subtitle: this.subtitle() });
    } else {
      void panel.webview.postMessage({ type: 'update', html: renderDashboardBody(data, { mode: 'webview' }), version: this.version, id: DASHBOARD_MAIN_ID });
    }
    this.rendered.fire();
  }

  private subtitle(): string {
    const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.name).join(', ');
    return `${folders}${this.counts.complete() ? '' : ' · still counting…'}`;
  }

  /** Entities per day from the commits touching sidecars, per workspace folder on a local disk. */
  private async loadHistory(): Promise<void> {
    const logs: string[] = [];
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      if (folder.uri.scheme !== 'file') continue;
      const out = await gitOutput(folder.uri.fsPath, historyGitArgs());
      if (out !== undefined) logs.push(out);
    }
    this.history = entityHistory(logs.join('\n'));
    this.log.info(`dashboard: ${this.history.length} day(s) of sidecar history from git`);
  }

  private async onMessage(m: FromWebview): Promise<void> {
    const data = this.last ?? this.figures();
    try {
      if (m.type === 'ready') return;
      if (m.type === 'configureAgreement') {
        await vscode.commands.executeCommand('workbench.action.openSettings', ANNOTATOR_FOLDERS_SETTING);
        return;
      }
      if (m.type === 'copyMarkdown') {
        await vscode.env.clipboard.writeText(dashboardMarkdown(data));
        this.say('Copied as Markdown.');
      } else if (m.type === 'exportCsv') {
        const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
        const target = await vscode.window.showSaveDialog({
          title: 'Export the dashboard figures as CSV',
          filters: { CSV: ['csv'] },
          ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, 'corpus-dashboard.csv') } : {}),
        });
        if (!target) return;
        await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(dashboardCsv(data)));
        this.say(`Saved ${vscode.workspace.asRelativePath(target)}.`);
      } else if (m.type === 'open') {
        // Only a sidecar the page lists: a message is no way to open any file.
        if (!data.issues.some((i) => i.key === m.key)) return;
        const article = vscode.Uri.parse(m.key);
        await vscode.window.showTextDocument(article.with({ path: sidecarPathOf(article.path) }), { preview: false });
      }
    } catch (e) {
      this.log.error(`dashboard: ${m.type} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      void vscode.window.showErrorMessage(`Corpus Annotator: ${e instanceof Error ? e.message : String(e)}`, 'Show Log').then((c) => {
        if (c === 'Show Log') this.log.show();
      });
    }
  }

  private say(text: string): void {
    void this.panel?.webview.postMessage({ type: 'status', text });
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function nonce(): string {
  const bytes = new Uint8Array(18);
  crypto.getRandomValues(bytes);
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
