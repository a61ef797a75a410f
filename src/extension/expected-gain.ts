// The expected gains behind the sidebar's Sort by Expected Gain (issue 16, active learning): every
// corpus article's figure from the folder's trained model (src/core/suggest/recommender/expected-gain.ts
// says what it is), computed off the UI path with a cancellable progress notification: on a Node
// worker thread that reads the model, the articles and their sidecars itself
// (expected-gain-host.ts), or in the browser on the recommender's Web Worker, sent the documents
// read here through the store (expected-gain-host.web.ts). The result is a snapshot
// (GainSnapshot): tree.ts sorts by it until asked again.
import * as vscode from 'vscode';
import { GainEntry, GainSnapshot } from '../core/corpus/tree-model';
import { folderProblem, gainsRefusal, GainJob, startGains } from './expected-gain-host';
import { GainOutcome } from './expected-gain-protocol';
import { fractionReporter } from './progress-fraction';
import { modelUriOf } from './recommender-commands';
import { mayRunRepositoryFiles, TrustHost } from './trust-gate';
import { AnnotationStore } from './store';
import { WorkerRun } from './worker-run';
import { workspaceTrustHost } from './workspace-trust';

const RISK = "would load this repository's model file (a crafted one can exhaust the editor's memory)";
const TRAIN = 'Train Recommender';

/** The snapshot, or why there is none (what the user was told). */
export type GainResult = { snapshot: GainSnapshot } | { why: string };

export class ExpectedGains implements vscode.Disposable {
  private running: WorkerRun<GainOutcome> | undefined;

  constructor(
    private readonly log: vscode.LogOutputChannel,
    /** Where the workers' scripts are (dist/expected-gain-worker.js, dist/web/recommender-worker.js). */
    private readonly extensionUri: vscode.Uri,
    /** What the browser's host reads the documents through. */
    private readonly store: AnnotationStore,
    private readonly trust: TrustHost = workspaceTrustHost,
  ) {}

  /**
   * The gains of `articles` (keyed by URI string), each folder's from its own model; or why nothing
   * was computed (the user was told: no model, the browser, cancelled, a failure).
   */
  async compute(articles: readonly vscode.Uri[]): Promise<GainResult> {
    const refusal = gainsRefusal(this.extensionUri);
    if (refusal) return this.refuse(refusal);
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
      if (!folder) {
        entries.set(a.toString(), { problem: 'not in a workspace folder, whose model would rank it' });
        continue;
      }
      const problem = folderProblem(folder);
      if (problem) {
        entries.set(a.toString(), { problem });
        continue;
      }
      let group = byFolder.get(folder.uri.toString());
      if (!group) byFolder.set(folder.uri.toString(), (group = { folder, articles: [] }));
      group.articles.push(a);
    }
    const jobs: GainJob[] = [];
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
        const run = startGains(this.extensionUri, job, this.store, (message, fraction) => report(`${message} (${vscode.workspace.asRelativePath(job.model)})`, (done + fraction * job.articles.length) / total));
        if (!run) return { kind: 'failed', message: 'this extension host could not start a worker' } as const;
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
