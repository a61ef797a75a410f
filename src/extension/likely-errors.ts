// Find Likely Annotation Errors in VS Code (issue 16): the recommender's confident disagreements
// with the done and reviewed documents, and annotations labelled otherwise in most of their other
// occurrences, as Problems (src/core/suggest/recommender/likely-error-review.ts says what and why), each
// with quick fixes: relabel, add, adjust, or "not an error". The check runs on a worker thread
// (likely-errors-worker.ts), training the model first when there is none. Fixes go through the
// store (undoable, written to the sidecar); a finding disappears once its annotation changes so
// that it no longer holds, and every finding when the check is run again.
//
// Dismissals live in the workspace state, not in the sidecars: "not an error" is one reviewer's
// verdict on one model's output (which changes with every training), not an annotation; writing
// it into the shared files would put model bookkeeping into the data and into every merge. The
// key (article, spans, labels, text) keeps it from coming back for that same finding only.
import * as vscode from 'vscode';
import { baseName } from '../core/model/model';
import { DEFAULT_MIN_SCORE } from '../core/suggest/recommender/likely-errors';
import { applyFix, describeFinding, dismissalKey, findingHolds, fixOf, ReviewFinding } from '../core/suggest/recommender/likely-error-review';
import { LabelService } from './labels';
import { CHECK_WORKER_ROLE, CheckMessage, CheckRequest } from './likely-errors-protocol';
import { isBrowserHost } from './platform';
import { toRange } from './positions';
import { modelUriOf, writeModelFile } from './recommender-commands';
import { registerCommand } from './register-command';
import { readSettings } from './settings';
import { ANNOTATABLE_SCHEMES, AnnotationStore } from './store';
import { mayRunRepositoryFiles, TrustHost } from './trust-gate';
import { workspaceTrustHost } from './workspace-trust';
import { fractionReporter } from './progress-fraction';
import { superviseWorker } from './worker-run';

export const LIKELY_ERROR_SOURCE = 'corpus-annotator: likely error';
const DISMISSED_KEY = 'corpusAnnotator.likelyErrors.dismissed';
const STATUSES = ['done', 'reviewed'];
const RISK = "would load this repository's model file (a crafted one can exhaust the editor's memory) or write one where its settings say";

/** Arguments the palette never passes; tests and other extensions may. */
interface FindArgs {
  minScore?: number;
  /** Train a new model first even if there is one. */
  retrain?: boolean;
  epochs?: number;
  hashBits?: number;
}

export interface FindResult {
  /** Documents checked, findings shown (after dismissals), whether a model was trained first. */
  documents: number;
  findings: number;
  trained: boolean;
  /** Why nothing was checked (the message shown). */
  error?: string;
}

interface FixArgs {
  article: string;
  key: string;
  action: 'fix' | 'dismiss';
}

interface Shown {
  finding: ReviewFinding;
  key: string;
  diagnostic: vscode.Diagnostic;
}

type Outcome = { kind: 'done'; message: Extract<CheckMessage, { kind: 'done' }> } | { kind: 'failed'; message: Extract<CheckMessage, { kind: 'failed' }> };

export class LikelyErrors implements vscode.Disposable, vscode.CodeActionProvider {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('corpus-annotator-likely-errors');
  /** By article URI: the findings shown. */
  private readonly shown = new Map<string, Shown[]>();
  private modelName = 'model';
  private running: { cancel(): void } | undefined;

  constructor(
    private readonly store: AnnotationStore,
    private readonly labels: LabelService,
    private readonly log: vscode.LogOutputChannel,
    private readonly state: vscode.Memento,
    /** Where dist/likely-errors-worker.js is. */
    private readonly extensionUri: vscode.Uri,
    private readonly trust: TrustHost = workspaceTrustHost,
  ) {
    const reg = (id: string, f: (...args: never[]) => unknown) => this.disposables.push(registerCommand(log, id, f));
    reg('findLikelyErrors', (args?: FindArgs) => this.find(args ?? {}));
    reg('likelyErrors.fix', (args?: FixArgs) => this.fix(args));
    this.disposables.push(
      this.diagnostics,
      vscode.languages.registerCodeActionsProvider([...ANNOTATABLE_SCHEMES].map((scheme) => ({ scheme })), this, { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] }),
      store.onDidChange(({ article }) => void this.recheck(article).catch((e) => this.log.error(`likely errors: ${e instanceof Error ? e.message : String(e)}`))),
    );
  }

  private async find(args: FindArgs): Promise<FindResult | undefined> {
    const active = vscode.window.activeTextEditor?.document.uri;
    const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) return undefined;
    if (isBrowserHost || folder.uri.scheme !== 'file' || this.extensionUri.scheme !== 'file') {
      // As Train Recommender: no worker thread here, and seconds of prediction would freeze the editor.
      return this.unavailable('Find Likely Annotation Errors is not offered in the browser: it predicts over the whole corpus (and may train a model first), seconds of computation that would freeze the editor here, and this host has no worker thread (worker_threads) to move them to. Run `corpus-annotator likely-errors` where the corpus is cloned, or use the desktop VS Code.');
    }
    if (!mayRunRepositoryFiles(this.trust, 'finding likely annotation errors', RISK)) return undefined;
    if (this.running) {
      void vscode.window.showInformationMessage('Likely annotation errors are being looked for already.');
      return undefined;
    }
    // Taken before the first await, so that a second run started meanwhile is refused.
    this.running = { cancel: () => undefined };
    // A fresh run replaces every finding of the last one.
    this.clear();
    const target = modelUriOf(folder);
    const rel = vscode.workspace.asRelativePath(target);
    const exists = await vscode.workspace.fs.stat(target).then(() => true, () => false);
    const train = args.retrain === true || !exists;
    const minScore = typeof args.minScore === 'number' ? args.minScore : DEFAULT_MIN_SCORE;
    const name = baseName(target.path).replace(/\.json$/i, '');
    const request: CheckRequest = {
      role: CHECK_WORKER_ROLE,
      root: folder.uri.fsPath,
      statuses: STATUSES,
      minScore,
      ...(train
        ? { train: { name: /^[\w.-]+$/u.test(name) ? name : 'model', ...(typeof args.epochs === 'number' ? { epochs: args.epochs } : {}), ...(typeof args.hashBits === 'number' ? { hashBits: args.hashBits } : {}) } }
        : { modelPath: target.fsPath }),
    };
    let report: (message: string, fraction: number) => void = () => undefined;
    const run = superviseWorker<CheckMessage, Outcome>(vscode.Uri.joinPath(this.extensionUri, 'dist', 'likely-errors-worker.js').fsPath, request, {
      outcomeOf: (m) => (m.kind === 'done' ? { kind: 'done', message: m } : { kind: 'failed', message: m }),
      failed: (message) => ({ kind: 'failed', message: { kind: 'failed', stage: 'check', message: `the worker stopped: ${message}`, problems: [] } }),
    }, (message, fraction) => report(message, fraction));
    if (!run) {
      this.running = undefined;
      return this.unavailable('Finding likely annotation errors needs a worker thread, which this extension host could not start.');
    }
    this.running = run;
    void run.outcome.then(() => {
      if (this.running === run) this.running = undefined;
    });
    const outcome = await vscode.window.withProgress({
      location: vscode.ProgressLocation.Notification,
      title: train ? `Training the recommender (no model at ${rel} yet), then finding likely annotation errors` : 'Finding likely annotation errors',
      cancellable: true,
    }, (progress, token) => {
      report = fractionReporter(progress);
      token.onCancellationRequested(() => run.cancel());
      return run.outcome;
    });

    if (outcome.kind === 'cancelled') {
      this.log.info('likely errors: cancelled');
      return undefined;
    }
    if (outcome.kind === 'failed') {
      const { stage, message, problems } = outcome.message;
      for (const p of problems) this.log.warn(`likely errors: ${p}`);
      const error = stage === 'train'
        ? `No likely errors were looked for: the recommender could not be trained (${message}). Set the status of fully annotated documents to done or reviewed (the sidebar's document menu) and run it again.`
        : `No likely errors were looked for: ${message}.`;
      this.log.error(`likely errors: ${error}`);
      void vscode.window.showErrorMessage(error, 'Show Log').then((c) => (c ? this.log.show() : undefined));
      return { documents: 0, findings: 0, trained: false, error };
    }

    const done = outcome.message;
    for (const p of done.problems) this.log.warn(`likely errors: ${p}`);
    if (done.trained) {
      await writeModelFile(target, done.trained.text);
      const s = done.trained.summary;
      this.log.info(`likely errors: trained the recommender on ${s.documents} documents, ${s.entities} entities in ${(s.trainMs / 1000).toFixed(1)} s; model written to ${rel}`);
    }
    this.modelName = done.modelName;
    const known = new Set(this.labels.configFor(folder.uri).labels.map((l) => l.name));
    const dismissed = new Set(this.state.get<string[]>(DISMISSED_KEY, []));
    let findings = 0;
    let inDocuments = 0;
    for (const d of done.documents) {
      const article = vscode.Uri.file(d.path);
      const ann = await this.store.load(article);
      if (ann.kind !== 'ok') continue;
      const relPath = vscode.workspace.asRelativePath(article);
      // The worker read the sidecars on disk: only what still holds in the annotations held here is shown.
      const kept = d.findings
        .filter((f) => known.has(f.proposed.label) && findingHolds(f, ann.offsets, ann.sidecar.entities))
        .map((f) => ({ finding: f, key: dismissalKey(relPath, f) }))
        .filter((s) => !dismissed.has(s.key));
      if (!kept.length) continue;
      const doc = await vscode.workspace.openTextDocument(article);
      const shown = kept.map((s) => ({ ...s, diagnostic: this.diagnosticOf(doc, ann.offsets, s.finding) }));
      this.shown.set(article.toString(), shown);
      this.diagnostics.set(article, shown.map((s) => s.diagnostic));
      findings += shown.length;
      inDocuments++;
    }
    const summary = `${findings} likely annotation error${findings === 1 ? '' : 's'} in ${inDocuments} of ${done.documents.length} done or reviewed documents (model ${done.modelName}${done.trained ? ', trained just now' : ''}, score ≥ ${minScore})`;
    this.log.info(`likely errors: ${summary}${done.problems.length ? `; ${done.problems.length} sidecar(s) left out (see above)` : ''}`);
    if (findings > 0) {
      void vscode.window.showInformationMessage(`${summary}: listed in the Problems panel; Ctrl+. on one offers its fixes.`, 'Show Problems')
        .then((c) => (c ? vscode.commands.executeCommand('workbench.actions.view.problems') : undefined));
    } else {
      void vscode.window.showInformationMessage(`No likely annotation error: ${summary}.`);
    }
    return { documents: done.documents.length, findings, trained: done.trained !== undefined };
  }

  private unavailable(why: string): FindResult {
    this.log.warn(`likely errors: ${why}`);
    void vscode.window.showInformationMessage(why);
    return { documents: 0, findings: 0, trained: false, error: why };
  }

  private diagnosticOf(doc: vscode.TextDocument, offsets: Parameters<typeof toRange>[1], f: ReviewFinding): vscode.Diagnostic {
    const d = new vscode.Diagnostic(toRange(doc, offsets, f.current ?? f.proposed), describeFinding(f), vscode.DiagnosticSeverity.Warning);
    d.source = LIKELY_ERROR_SOURCE;
    d.code = f.kind;
    return d;
  }

  /** After an article's annotations changed: drops its findings that no longer hold, places the rest again. */
  private async recheck(article: vscode.Uri): Promise<void> {
    const shown = this.shown.get(article.toString());
    if (!shown) return;
    const ann = this.store.get(article);
    const kept = ann && ann.kind === 'ok' ? shown.filter((s) => findingHolds(s.finding, ann.offsets, ann.sidecar.entities)) : [];
    if (!ann || kept.length === 0) {
      this.forget(article);
      return;
    }
    const doc = await vscode.workspace.openTextDocument(article);
    const placed = kept.map((s) => ({ ...s, diagnostic: this.diagnosticOf(doc, ann.offsets, s.finding) }));
    this.shown.set(article.toString(), placed);
    this.diagnostics.set(article, placed.map((s) => s.diagnostic));
  }

  private forget(article: vscode.Uri): void {
    this.shown.delete(article.toString());
    this.diagnostics.delete(article);
  }

  private clear(): void {
    this.shown.clear();
    this.diagnostics.clear();
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const shown = this.shown.get(doc.uri.toString());
    if (!shown) return [];
    const actions: vscode.CodeAction[] = [];
    for (const d of context.diagnostics) {
      if (d.source !== LIKELY_ERROR_SOURCE) continue;
      const s = shown.find((x) => x.diagnostic.range.isEqual(d.range) && x.diagnostic.message === d.message);
      if (!s) continue;
      const action = (title: string, fix: FixArgs['action']) => {
        const a = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        a.command = { command: 'corpusAnnotator.likelyErrors.fix', title, arguments: [{ article: doc.uri.toString(), key: s.key, action: fix } satisfies FixArgs] };
        a.diagnostics = [d];
        return a;
      };
      const fix = action(fixTitle(s.finding), 'fix');
      fix.isPreferred = true;
      actions.push(fix, action('Not an error: do not report it again', 'dismiss'));
    }
    return actions;
  }

  /** Applies a finding's fix through the store, or dismisses it; true when done. */
  private async fix(args?: FixArgs): Promise<boolean> {
    if (!args || typeof args.article !== 'string' || typeof args.key !== 'string') return false;
    const article = vscode.Uri.parse(args.article);
    const s = this.shown.get(article.toString())?.find((x) => x.key === args.key);
    if (!s) {
      void vscode.window.setStatusBarMessage('Corpus Annotator: that likely error is no longer listed', 4000);
      return false;
    }
    if (args.action === 'dismiss') {
      const dismissed = this.state.get<string[]>(DISMISSED_KEY, []);
      await this.state.update(DISMISSED_KEY, [...dismissed.filter((k) => k !== s.key), s.key]);
      this.log.info(`likely errors: ${baseName(article.path)}: dismissed (${describeFinding(s.finding)})`);
      const rest = (this.shown.get(article.toString()) ?? []).filter((x) => x !== s);
      if (rest.length) {
        this.shown.set(article.toString(), rest);
        this.diagnostics.set(article, rest.map((x) => x.diagnostic));
      } else this.forget(article);
      return true;
    }
    const f = s.finding;
    const annotator = readSettings(article).annotator;
    const result = await this.store.apply(article, `${fixTitle(f)} (likely error, model ${this.modelName})`, (sidecar, a) =>
      applyFix(sidecar, a, f, { ...(annotator ? { by: annotator } : {}), src: `model:${this.modelName}` }));
    if (result === 'changed') return true;
    if (result === 'unchanged') {
      void vscode.window.setStatusBarMessage('Corpus Annotator: that likely error no longer holds; nothing changed', 4000);
      await this.recheck(article);
    } else {
      void vscode.window.showWarningMessage(`${baseName(article.path)}: not fixed, its sidecar ${result === 'failed' ? 'could not be written (see the log)' : 'has errors (Problems panel)'}.`);
    }
    return false;
  }

  dispose(): void {
    this.running?.cancel();
    for (const d of this.disposables) d.dispose();
  }
}

function fixTitle(f: ReviewFinding): string {
  const { current, proposed } = f;
  switch (fixOf(f)) {
    case 'add':
      return `Annotate "${proposed.text}" as ${proposed.label}`;
    case 'adjust':
      return `Adjust to "${proposed.text}"${current && current.label !== proposed.label ? ` as ${proposed.label}` : ''}`;
    case 'relabel':
      return `Relabel "${proposed.text}" as ${proposed.label}`;
  }
}
