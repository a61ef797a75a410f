// Activation: creates the services and adapters and hands their disposables to VS Code.
import * as vscode from 'vscode';
import { ActiveEditorContext } from './active-editor';
import { Commands } from './commands';
import { CompareView } from './compare';
import { Corpus } from './corpus';
import { CorpusCounts } from './corpus-counts';
import { corpusIndexCommands } from './corpus-index-commands';
import { CorpusIndexCache } from './corpus-index-cache';
import { CurateCommands } from './curate-commands';
import { Dashboard } from './dashboard';
import { Decorations, RenderedDecorations } from './decorations';
import { SidecarDiagnostics } from './diagnostics';
import { ExportCommands } from './export-commands';
import { GazetteerCommands } from './gazetteer-commands';
import { EntityHover } from './hover';
import { LabelService } from './labels';
import { LikelyErrors } from './likely-errors';
import { ReanchorActions } from './reanchor-actions';
import { RecommenderCommands } from './recommender-commands';
import { hostEnv, isBrowserHost } from './platform';
import { AnnotationStatusBar } from './status-bar';
import { AnnotationStore, DocAnnotations } from './store';
import { SuggestionCommands } from './suggestions';
import { AnnotationTree } from './tree';
import { ExpectedGains } from './expected-gain';

/** What `activate()` returns: used by integration tests and by other extensions. */
export interface CorpusAnnotatorApi {
  readonly version: string;
  /** Loads (if needed) and returns an article's annotations. */
  annotations(article: vscode.Uri): Promise<DocAnnotations>;
  /** Ranges currently drawn in the editors of an article, by label. */
  decorations(article: vscode.Uri): RenderedDecorations;
  /** Fires after any change to any article's annotations. */
  readonly onDidChange: vscode.Event<{ article: vscode.Uri }>;
  /** Every article of the workspace. */
  articles(): Promise<vscode.Uri[]>;
}

export async function activate(context: vscode.ExtensionContext): Promise<CorpusAnnotatorApi> {
  const activatedAt = performance.now();
  const log = createLog();
  const labels = new LabelService(log);
  // Before anything validates sidecars against the labels.
  await labels.loadAll();
  const store = new AnnotationStore(labels, log);
  const corpus = new Corpus(labels, store, log);
  const decorations = new Decorations(store, labels, log);
  const activeEditor = new ActiveEditorContext(store, labels);
  context.subscriptions.push(log, labels, store, corpus, decorations, activeEditor, new Commands(store, labels, log));
  // adapters (one line each):
  context.subscriptions.push(new CompareView(store, log));
  context.subscriptions.push(new ExportCommands(store, corpus, labels, log));
  const indexCache = CorpusIndexCache.of(context, log);
  const counts = new CorpusCounts(corpus, store, log, activatedAt, indexCache, context.extensionUri);
  context.subscriptions.push(indexCache.attach(counts), corpusIndexCommands(indexCache, counts, corpus, store, log, String(context.extension.packageJSON.version), context.extensionUri));
  context.subscriptions.push(counts, new AnnotationTree(store, corpus, labels, log, counts, new ExpectedGains(log, context.extensionUri, store)));
  context.subscriptions.push(new SuggestionCommands(store, corpus, log));
  context.subscriptions.push(new GazetteerCommands(store, corpus, labels, log, context.extensionUri));
  context.subscriptions.push(new EntityHover(store, labels));
  context.subscriptions.push(new AnnotationStatusBar(store, labels));
  context.subscriptions.push(new SidecarDiagnostics(store, labels, corpus, log, counts));
  context.subscriptions.push(new ReanchorActions(store));
  context.subscriptions.push(new CurateCommands(log));
  context.subscriptions.push(new RecommenderCommands(store, corpus, labels, log, context.extensionUri));
  context.subscriptions.push(new LikelyErrors(store, corpus, labels, log, context.workspaceState, context.extensionUri));
  context.subscriptions.push(new Dashboard(counts, labels, log));

  // TEST-ONLY (not contributed in package.json): which articles the store holds, and evicting the idle ones now.
  context.subscriptions.push(vscode.commands.registerCommand('corpusAnnotator.store._loaded', (evict?: boolean) => {
    if (evict) store.evictIdle(0, 0);
    return store.all().map((a) => a.article.toString());
  }));

  void corpus.scan();
  await decorations.start();
  await activeEditor.update();
  log.info(`Corpus Annotator ${context.extension.packageJSON.version} activated in ${isBrowserHost ? "the browser's web worker" : 'the Node.js'} extension host`);

  return {
    version: String(context.extension.packageJSON.version),
    annotations: (uri) => store.load(uri),
    decorations: (uri) => decorations.renderedFor(uri),
    onDidChange: store.onDidChange,
    articles: async () => {
      await corpus.ready();
      return corpus.list();
    },
  };
}

export function deactivate(): void {}

/** The extension's log; with CORPUS_ANNOTATOR_LOG_TO_CONSOLE set (the test hosts set it), mirrored to the console. */
function createLog(): vscode.LogOutputChannel {
  const log = vscode.window.createOutputChannel('Corpus Annotator', { log: true });
  if (hostEnv('CORPUS_ANNOTATOR_LOG_TO_CONSOLE')) {
    for (const level of ['trace', 'debug', 'info', 'warn', 'error'] as const) {
      const original = log[level].bind(log) as (message: string, ...args: unknown[]) => void;
      (log as unknown as Record<string, unknown>)[level] = (message: string | Error, ...args: unknown[]) => {
        console.log(`[corpus-annotator ${level}] ${message instanceof Error ? message.message : message}`);
        original(message as string, ...args);
      };
    }
  }
  return log;
}
