// The recommender in VS Code (issue 16): Train Recommender (on a worker thread in the Node host,
// on a Web Worker in a browser; cancellable),
// Suggest with Recommender (the article or the corpus, the same suggestion rules as gazetteers:
// `src: model:<name>`, `attrs.score`), Next Most Uncertain (active learning in the open article)
// and optional retraining in the background after every N annotations. The model never labels
// anything by itself: training only rewrites the model file; suggestions come only on command.
import * as vscode from 'vscode';
import { baseName, Status } from '../core/model/model';
import { ModelFile, ModelFormatError, parseModel } from '../core/suggest/recommender/model-file';
import { predict, Prediction } from '../core/suggest/recommender/recommender';
import { nextUncertain, rankByUncertainty, uncertainty } from '../core/suggest/recommender/uncertainty';
import { suggestForArticle } from '../core/suggest/suggest';
import { keys } from './commands';
import { Corpus } from './corpus';
import { LabelService } from './labels';
import { toRange, toSpan } from './positions';
import { registerCommand } from './register-command';
import { startTraining } from './recommender-host';
import { TrainingRun } from './recommender-run';
import { AnnotationCounter } from './recommender-retrain';
import { AnnotationStore } from './store';
import { suggestInArticles } from './suggest-many';
import { mayRunRepositoryFiles, TrustHost } from './trust-gate';
import { workspaceTrustHost } from './workspace-trust';
import { fractionReporter } from './progress-fraction';
import { folderTrainingSource } from './training-set';

export const DEFAULT_MODEL_PATH = '.corpus-annotator/model.json';
/** Trained on: only these are fully annotated (as `corpus-annotator train`). */
const TRAIN_STATUSES: Status[] = ['done', 'reviewed'];
/** Why the recommender waits for trust: a crafted model file can make the host allocate gigabytes. */
const MODEL_RISK = "would load this repository's model file (a crafted one can exhaust the editor's memory) or write one where its settings say";

/** Arguments the palette never passes; tests and other extensions may. */
interface TrainArgs {
  /** Passes over the data (default: the model's default). */
  epochs?: number;
  /** log2 of the feature hash buckets (default: the model's). */
  hashBits?: number;
}

interface SuggestArgs {
  article?: string;
  scope?: 'article' | 'corpus';
  /** Leave out predictions scoring less (default: the setting). */
  minScore?: number;
}

export interface TrainResult {
  documents: number;
  entities: number;
  modelPath: string;
  trainMs: number;
}

export class RecommenderCommands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Parsed model files by URI, with the stat they were read at: read again when the file changes. */
  private readonly models = new Map<string, { mtime: number; size: number; file: ModelFile }>();
  private training: { run: TrainingRun; background: boolean; progress: Set<() => void> } | undefined;
  private readonly counter = new AnnotationCounter();

  constructor(
    private readonly store: AnnotationStore,
    private readonly corpus: Corpus,
    private readonly labels: LabelService,
    private readonly log: vscode.LogOutputChannel,
    /** Where dist/recommender-worker.js (dist/web/recommender-worker.js in a browser) is. */
    private readonly extensionUri: vscode.Uri,
    private readonly trust: TrustHost = workspaceTrustHost,
  ) {
    const reg = (id: string, f: (...args: never[]) => unknown) => this.disposables.push(registerCommand(log, id, f));
    reg('trainRecommender', (args?: TrainArgs) => this.train(args ?? {}, false));
    reg('suggestWithRecommender', (args?: SuggestArgs) => this.suggest(args ?? {}));
    reg('nextMostUncertain', () => this.nextMostUncertain());
    // TEST-ONLY (not contributed): resolves at the running training's next progress report (false: none runs).
    this.disposables.push(vscode.commands.registerCommand('corpusAnnotator.recommender._nextProgress', () => {
      const t = this.training;
      return t ? new Promise<boolean>((resolve) => t.progress.add(() => resolve(true))) : false;
    }));
    // TEST-ONLY (not contributed): cancels the running training as the notification's Cancel does (false: none runs).
    this.disposables.push(vscode.commands.registerCommand('corpusAnnotator.recommender._cancelTraining', () => {
      if (!this.training) return false;
      this.training.run.cancel();
      return true;
    }));
    this.disposables.push(store.onDidChange(({ article }) => this.onAnnotationsChanged(article)));
  }

  /** The workspace folder of the named or active article, else the first one. */
  private folderFor(named?: vscode.Uri): vscode.WorkspaceFolder | undefined {
    const active = vscode.window.activeTextEditor?.document.uri;
    return vscode.workspace.getWorkspaceFolder(named ?? active ?? vscode.Uri.file('/')) ?? vscode.workspace.workspaceFolders?.[0];
  }

  private modelUri(folder: vscode.WorkspaceFolder): vscode.Uri {
    return modelUriOf(folder);
  }

  private async train(args: TrainArgs, background: boolean): Promise<TrainResult | undefined> {
    const folder = this.folderFor();
    if (!folder) return undefined;
    if (!background && !mayRunRepositoryFiles(this.trust, 'training the recommender', MODEL_RISK)) return undefined;
    if (this.training) {
      if (!background) void vscode.window.showInformationMessage(`The recommender is being trained already${this.training.background ? ' (in the background)' : ''}; its model is written when it finishes.`);
      return undefined;
    }
    const target = this.modelUri(folder);
    const name = baseName(target.path).replace(/\.json$/i, '') || 'model';
    let report: (message: string, fraction: number) => void = () => undefined;
    const source = folderTrainingSource(this.corpus, this.store, folder, TRAIN_STATUSES);
    const run = startTraining(this.extensionUri, {
      statuses: TRAIN_STATUSES,
      name: /^[\w.-]+$/u.test(name) ? name : 'model',
      ...(typeof args.epochs === 'number' ? { epochs: args.epochs } : {}),
      ...(typeof args.hashBits === 'number' ? { hashBits: args.hashBits } : {}),
    }, source, (message, fraction) => {
      report(message, fraction);
      const waiting = this.training?.progress;
      if (waiting) for (const f of [...waiting]) { waiting.delete(f); f(); }
    });
    if (!run) {
      // Never inline: core's trainer runs epochs synchronously, seconds at a time, which would freeze the editor.
      const why = 'Training the recommender needs a worker (a worker thread, or a Web Worker in a browser), which this extension host cannot start. Train it with `corpus-annotator train` where the corpus is cloned; Suggest with Recommender works here with that model file.';
      this.log.warn(`train recommender: ${why}`);
      if (!background) void vscode.window.showInformationMessage(why);
      return undefined;
    }
    this.training = { run, background, progress: new Set() };
    const rel = vscode.workspace.asRelativePath(target);
    const started = performance.now();
    try {
      const outcome = await vscode.window.withProgress({
        location: background ? vscode.ProgressLocation.Window : vscode.ProgressLocation.Notification,
        title: background ? 'Retraining the recommender' : 'Training the recommender',
        cancellable: !background,
      }, (progress, token) => {
        report = fractionReporter(progress);
        token.onCancellationRequested(() => run.cancel());
        return run.outcome;
      });
      if (outcome.kind === 'cancelled') {
        this.log.info('train recommender: cancelled; the model file is unchanged');
        return undefined;
      }
      if (outcome.kind === 'failed') {
        for (const p of outcome.problems) this.log.warn(`train recommender: ${p}`);
        this.log.error(`train recommender: ${outcome.message}`);
        if (!background) {
          void vscode.window.showErrorMessage(`The recommender was not trained: ${outcome.message}. Set the status of fully annotated documents to done or reviewed (the sidebar's document menu) and train again.`, 'Show Log')
            .then((c) => (c ? this.log.show() : undefined));
        }
        return undefined;
      }
      const { summary } = outcome;
      await writeModelFile(target, outcome.text);
      this.models.delete(target.toString()); // read again, lazily: parsing a big model takes the host ~0.1 s
      for (const p of summary.problems) this.log.warn(`train recommender: ${p}`);
      const what = `${summary.documents} documents, ${summary.entities} entities (${summary.labels.join(', ')})`;
      this.log.info(`train recommender: ${what}, ${summary.tokens} tokens, trained in ${(summary.trainMs / 1000).toFixed(1)} s (${((performance.now() - started) / 1000).toFixed(1)} s in all); model written to ${rel}${summary.skipped ? `; ${summary.skipped} documents of other statuses left out` : ''}`);
      if (!background) {
        const left = summary.problems.length ? ` ${summary.problems.length} sidecar(s) left out (invalid or out of date, see the log).` : '';
        void vscode.window.showInformationMessage(`Recommender trained on ${what} in ${(summary.trainMs / 1000).toFixed(1)} s; model written to ${rel}.${left}`, 'Suggest in This Article', 'Suggest in the Corpus')
          .then((c) => {
            if (c === 'Suggest in This Article') void vscode.commands.executeCommand('corpusAnnotator.suggestWithRecommender', { scope: 'article' });
            if (c === 'Suggest in the Corpus') void vscode.commands.executeCommand('corpusAnnotator.suggestWithRecommender', { scope: 'corpus' });
          });
      }
      return { documents: summary.documents, entities: summary.entities, modelPath: target.toString(), trainMs: summary.trainMs };
    } finally {
      this.training = undefined;
    }
  }

  /** The folder's model, read (again, when its file changed) and checked; explains what is wrong. */
  private async loadModel(folder: vscode.WorkspaceFolder, what: string): Promise<ModelFile | undefined> {
    if (!mayRunRepositoryFiles(this.trust, what, MODEL_RISK)) return undefined;
    const uri = this.modelUri(folder);
    const rel = vscode.workspace.asRelativePath(uri);
    const offerTraining = (message: string) => void vscode.window.showWarningMessage(message, 'Train Recommender')
      .then((c) => (c ? vscode.commands.executeCommand('corpusAnnotator.trainRecommender') : undefined));
    let st: vscode.FileStat;
    try {
      st = await vscode.workspace.fs.stat(uri);
    } catch {
      offerTraining(`No recommender model at ${rel} yet: train one first (it learns from the documents whose status is done or reviewed).`);
      return undefined;
    }
    const cached = this.models.get(uri.toString());
    if (cached && cached.mtime === st.mtime && cached.size === st.size) return cached.file;
    let file: ModelFile;
    try {
      file = parseModel(new TextDecoder('utf-8', { fatal: true }).decode(await vscode.workspace.fs.readFile(uri)));
    } catch (e) {
      const message = e instanceof ModelFormatError ? e.message : `cannot read it (${e instanceof Error ? e.message : String(e)})`;
      this.log.error(`${rel}: ${message}`);
      offerTraining(`The recommender model ${rel} cannot be used: ${message}.`);
      return undefined;
    }
    const known = new Set(this.labels.configFor(folder.uri).labels.map((l) => l.name));
    const unknown = file.model.labels.filter((l) => !known.has(l));
    if (unknown.length) {
      // As `corpus-annotator suggest`: suggestions with labels outside the configuration would make sidecars invalid.
      offerTraining(`The recommender model ${rel} predicts ${unknown.join(', ')}, not in the label configuration: add ${unknown.length > 1 ? 'them' : 'it'} there or train the model on this corpus.`);
      return undefined;
    }
    this.models.set(uri.toString(), { mtime: st.mtime, size: st.size, file });
    return file;
  }

  /** Adds the model's predictions as suggestions in the article or the corpus; returns how many. */
  private async suggest(args: SuggestArgs): Promise<number> {
    const named = typeof args.article === 'string' ? vscode.Uri.parse(args.article) : undefined;
    const folder = this.folderFor(named);
    if (!folder) return 0;
    const file = await this.loadModel(folder, 'suggesting with the recommender');
    if (!file) return 0;
    await this.corpus.ready();
    const active = vscode.window.activeTextEditor?.document.uri;
    const here = named ?? (active && this.corpus.has(active) ? active : undefined);
    const inCorpus = this.corpus.list().filter((u) => vscode.workspace.getWorkspaceFolder(u)?.uri.toString() === folder.uri.toString());
    let scope = args.scope ?? (named ? 'article' : undefined);
    if (!scope) {
      if (!here) scope = 'corpus';
      else {
        const pick = await vscode.window.showQuickPick([
          { label: `This article: ${baseName(here.path)}`, scope: 'article' as const },
          { label: `The whole corpus: ${inCorpus.length} documents`, scope: 'corpus' as const },
        ], { title: `Suggest entities with the recommender ${file.name} in…` });
        if (!pick) return 0;
        scope = pick.scope;
      }
    }
    const articles = scope === 'article' && here ? [here] : inCorpus;
    const minScore = typeof args.minScore === 'number' ? args.minScore : minScoreSetting(folder.uri);
    const source = { name: file.name, minScore, predict: (text: string) => predict(file.model, text) };
    const { added, documents, skipped, failed } = await suggestInArticles(this.store, articles,
      { title: `Suggesting entities with ${file.name}`, description: `suggest with model ${file.name}`, notify: scope === 'corpus' },
      (s, article) => suggestForArticle(s, article, { models: [source] }));
    this.log.info(`suggest with model ${file.name} (min score ${minScore}): ${added} suggestion(s) in ${documents} of ${articles.length} document(s)${skipped.length ? `; skipped ${skipped.join(', ')}` : ''}`);
    const notes = [
      skipped.length ? `Skipped (sidecar has errors or cannot be read): ${skipped.join(', ')}.` : '',
      failed.length ? `Not saved (see the error): ${failed.join(', ')}.` : '',
    ].filter(Boolean).join(' ');
    void vscode.window.showInformationMessage(added > 0
      ? `${added} suggestion${added === 1 ? '' : 's'} from the recommender ${file.name} (score ≥ ${minScore}) in ${documents} document${documents === 1 ? '' : 's'}, shown dotted; the hover shows each score. Review them with ${keys.next} / ${keys.accept} / ${keys.reject}. ${notes}`
      : `No new suggestion from the recommender ${file.name} (score ≥ ${minScore}): every prediction is annotated or suggested already. ${notes}`);
    return added;
  }

  /**
   * Selects the open article's prediction the model is least sure of (score closest to 0.5) that
   * no annotation covers; pressed again on it, the next one. Returns it (with its score).
   */
  private async nextMostUncertain(): Promise<Prediction | undefined> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return undefined;
    const doc = editor.document;
    const folder = this.folderFor(doc.uri);
    if (!folder) return undefined;
    const file = await this.loadModel(folder, 'finding uncertain predictions');
    if (!file) return undefined;
    const ann = await this.store.load(doc.uri);
    if (ann.kind !== 'ok') {
      void vscode.window.showWarningMessage(`${baseName(doc.uri.path)}: its sidecar has errors; fix them first (Problems panel).`);
      return undefined;
    }
    const ranked = rankByUncertainty(predict(file.model, ann.text), ann.sidecar.entities.filter((e) => e.suggested !== true));
    const target = nextUncertain(ranked, toSpan(doc, ann.offsets, editor.selection));
    if (!target) {
      void vscode.window.setStatusBarMessage(`Corpus Annotator: the recommender ${file.name} has no prediction left outside the annotations of this article`, 5000);
      return undefined;
    }
    const range = toRange(doc, ann.offsets, target);
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    const rank = ranked.indexOf(target) + 1;
    void vscode.window.setStatusBarMessage(`Corpus Annotator: ${target.label}? score ${target.score.toFixed(2)} (uncertainty ${uncertainty(target.score).toFixed(2)}), ${rank} of ${ranked.length} unannotated predictions, most uncertain first`, 8000);
    return target;
  }

  /** Background retraining: counts annotations made, and retrains once the setting's number is reached. */
  private onAnnotationsChanged(article: vscode.Uri): void {
    const ann = this.store.get(article);
    if (!ann || ann.kind !== 'ok') return;
    this.counter.observe(article.toString(), ann.sidecar.entities);
    const every = vscode.workspace.getConfiguration('corpusAnnotator.recommender', article).get<number>('retrainAfter', 0);
    if (this.training || !vscode.workspace.isTrusted || !this.counter.due(every)) return;
    this.log.info(`recommender: ${every} annotations since the last training; retraining in the background`);
    void this.train({}, true).catch((e) => this.log.error(`background retraining failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  dispose(): void {
    this.training?.run.cancel();
    for (const d of this.disposables) d.dispose();
  }
}

/** The folder's model file (the setting, relative to the folder unless absolute on the local disk). */
export function modelUriOf(folder: vscode.WorkspaceFolder): vscode.Uri {
  const setting = vscode.workspace.getConfiguration('corpusAnnotator.recommender', folder.uri).get<string>('modelPath', DEFAULT_MODEL_PATH).trim() || DEFAULT_MODEL_PATH;
  // An absolute path only makes sense on the local disk; anything else is relative to the folder.
  return folder.uri.scheme === 'file' && /^(\/|[A-Za-z]:[\\/])/.test(setting) ? vscode.Uri.file(setting) : vscode.Uri.joinPath(folder.uri, setting);
}

function minScoreSetting(scope: vscode.Uri): number {
  const v = vscode.workspace.getConfiguration('corpusAnnotator.recommender', scope).get<number>('minScore', 0.5);
  return typeof v === 'number' && v >= 0 && v <= 1 ? v : 0.5;
}

/** Replaces the model file in one step (a temporary file beside it, then renamed over it). */
export async function writeModelFile(target: vscode.Uri, text: string): Promise<void> {
  const dir = vscode.Uri.joinPath(target, '..');
  await vscode.workspace.fs.createDirectory(dir);
  const tmp = vscode.Uri.joinPath(dir, `.${baseName(target.path)}.${Math.random().toString(36).slice(2, 10)}.tmp`);
  await vscode.workspace.fs.writeFile(tmp, new TextEncoder().encode(text));
  try {
    await vscode.workspace.fs.rename(tmp, target, { overwrite: true });
  } catch (e) {
    await vscode.workspace.fs.delete(tmp).then(undefined, () => undefined);
    throw e;
  }
}
