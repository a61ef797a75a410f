// The expected gains behind the sidebar's Sort by Expected Gain (issue 16, active learning): every
// corpus article's figure from the folder's trained model (src/core/suggest/recommender/expected-gain.ts
// says what it is), computed on a worker thread (expected-gain-worker.ts) that reads the model, the
// articles and their sidecars itself, with a cancellable progress notification. The result is a
// snapshot (GainSnapshot): tree.ts sorts by it until asked again.
import * as vscode from 'vscode';
import { GainEntry, GainSnapshot } from '../core/corpus/tree-model';
import { GAIN_WORKER_ROLE, GainMessage, GainRequest } from './expected-gain-protocol';
import { isBrowserHost } from './platform';
import { fractionReporter } from './progress-fraction';
import { modelUriOf } from './recommender-commands';
import { mayRunRepositoryFiles, TrustHost } from './trust-gate';
import { superviseWorker, WorkerRun } from './worker-run';
import { workspaceTrustHost } from './workspace-trust';

const RISK = "would load this repository's model file (a crafted one can exhaust the editor's memory)";
const TRAIN = 'Train Recommender';

type Outcome = { kind: 'done'; modelName: string; entries: GainEntry[] } | { kind: 'failed'; message: string };

/** The snapshot, or why there is none (what the user was told). */
export type GainResult = { snapshot: GainSnapshot } | { why: string };

export class ExpectedGains implements vscode.Disposable {
  private running: WorkerRun<Outcome> | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    /** Where dist/expected-gain-worker.js is. */
    private readonly extensionUri: vscode.Uri,
    private readonly trust: TrustHost = workspaceTrustHost,
  ) {}

  /**
   * The gains of `articles` (keyed by URI string), each folder's from its own model; or why nothing
   * was computed (the user was told: no model, the browser, cancelled, a failure).
   */
  async compute(articles: readonly vscode.Uri[]): Promise<GainResult> {
    if (isBrowserHost || this.extensionUri.scheme !== 'file') {
      return this.refuse('Sort by Expected Gain is not offered in the browser: it runs the recommender over every article, seconds of computation that would freeze the editor here, and this host has no worker thread to move them to. Use the desktop VS Code, or `corpus-annotator suggest --model` where the corpus is cloned.');
    }
    if (this.running) {
      void vscode.window.showInformationMessage('The expected gains are being computed already.');
      return { why: 'being computed already' };
    }
    if (!mayRunRepositoryFiles(this.trust, 'sorting by expected gain', RISK)) return { why: 'the workspace is not trusted' };
    // Taken before the first await, so that a second run started meanwhile is refused.
    this.running = { outcome: Promise.resolve({ kind: 'cancelled' }), cancel: () => undefined };
    try {
      return await this.run(articles);
    } finally {
      this.running = undefined;
    }
  }

  private async run(articles: readonly vscode.Uri[]): Promise<GainResult> {
    // Each workspace folder has its own model (the setting is per folder).
    const byFolder = new Map<string, { folder: vscode.WorkspaceFolder; articles: vscode.Uri[] }>();
    const entries = new Map<string, GainEntry>();
    for (const a of articles) {
      const folder = vscode.workspace.getWorkspaceFolder(a);
      if (!folder || folder.uri.scheme !== 'file') {
        entries.set(a.toString(), { problem: 'not on the local disk, where the worker thread reads the articles' });
        continue;
      }
      let group = byFolder.get(folder.uri.toString());
      if (!group) byFolder.set(folder.uri.toString(), (group = { folder, articles: [] }));
      group.articles.push(a);
    }
    const jobs: Array<{ model: vscode.Uri; articles: vscode.Uri[] }> = [];
    for (const { folder, articles: list } of byFolder.values()) {
      const model = modelUriOf(folder);
      if (await vscode.workspace.fs.stat(model).then(() => true, () => false)) jobs.push({ model, articles: list });
      else for (const a of list) entries.set(a.toString(), { problem: `no trained model in ${folder.name} (${vscode.workspace.asRelativePath(model)}); run Train Recommender there and sort again` });
    }
    if (jobs.length === 0) {
      const where = byFolder.size ? [...byFolder.values()].map((g) => vscode.workspace.asRelativePath(modelUriOf(g.folder))).join(', ') : 'this workspace';
      const why = `Sort by Expected Gain needs the recommender's trained model (none at ${where}): a document's gain is how many of the model's mistakes annotating it is expected to correct. Train the recommender on the done and reviewed documents, then sort again.`;
      this.log.warn(`expected gain: ${why}`);
      void vscode.window.showInformationMessage(why, TRAIN).then((c) => (c === TRAIN ? vscode.commands.executeCommand('corpusAnnotator.trainRecommender') : undefined));
      return { why };
    }

    const total = jobs.reduce((n, j) => n + j.articles.length, 0);
    const started = performance.now();
    const models: string[] = [];
    const outcome = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Computing the expected gain of every document', cancellable: true }, async (progress, token) => {
      const report = fractionReporter(progress);
      let done = 0;
      for (const job of jobs) {
        if (token.isCancellationRequested) return { kind: 'cancelled' } as const;
        const request: GainRequest = { role: GAIN_WORKER_ROLE, modelPath: job.model.fsPath, articles: job.articles.map((a) => a.fsPath) };
        const run = superviseWorker<GainMessage, Outcome>(vscode.Uri.joinPath(this.extensionUri, 'dist', 'expected-gain-worker.js').fsPath, request, {
          outcomeOf: (m) => (m.kind === 'done' ? { kind: 'done', modelName: m.modelName, entries: m.entries } : m),
          failed: (message) => ({ kind: 'failed', message: `the worker stopped: ${message}` }),
        }, (message, fraction) => report(`${message} (${vscode.workspace.asRelativePath(job.model)})`, (done + fraction * job.articles.length) / total));
        if (!run) return { kind: 'failed', message: 'this extension host could not start a worker thread' } as const;
        this.running = run;
        const cancelled = token.onCancellationRequested(() => run.cancel());
        const result = await run.outcome.finally(() => cancelled.dispose());
        if (result.kind !== 'done') return result;
        models.push(result.modelName);
        job.articles.forEach((a, i) => entries.set(a.toString(), result.entries[i] ?? { problem: 'the worker gave no figure for it' }));
        done += job.articles.length;
      }
      return { kind: 'done' } as const;
    });
    if (outcome.kind === 'cancelled') {
      this.log.info('expected gain: cancelled; the order is unchanged');
      return { why: 'cancelled' };
    }
    if (outcome.kind === 'failed') {
      const message = `The expected gains were not computed: ${outcome.message}. The order is unchanged.`;
      this.log.error(`expected gain: ${message}`);
      void vscode.window.showErrorMessage(message, 'Show Log').then((c) => (c ? this.log.show() : undefined));
      return { why: message };
    }
    const missing = [...entries.values()].filter((e) => 'problem' in e).length;
    this.log.info(`expected gain: ${total} documents with model ${models.join(', ')} in ${((performance.now() - started) / 1000).toFixed(1)} s${missing ? `; ${missing} without a figure (listed last)` : ''}`);
    const taken = new Date().toTimeString().slice(0, 5); // HH:MM, local
    return { snapshot: { entries, model: models.join(', '), taken } };
  }

  private refuse(why: string): GainResult {
    this.log.warn(`expected gain: ${why}`);
    void vscode.window.showInformationMessage(why);
    return { why };
  }

  dispose(): void {
    this.running?.cancel();
  }
}
