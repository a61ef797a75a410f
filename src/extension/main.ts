// Activation: creates the services and adapters and hands their disposables to VS Code.
import * as vscode from 'vscode';
import { ActiveEditorContext } from './active-editor';
import { Commands } from './commands';
import { Corpus } from './corpus';
import { Decorations, RenderedDecorations } from './decorations';
import { LabelService } from './labels';
import { AnnotationStore, DocAnnotations } from './store';

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
  const log = vscode.window.createOutputChannel('Corpus Annotator', { log: true });
  const labels = new LabelService(log);
  const store = new AnnotationStore(labels, log);
  const corpus = new Corpus(labels, store, log);
  const decorations = new Decorations(store, labels);
  const activeEditor = new ActiveEditorContext(store, labels);
  context.subscriptions.push(log, labels, store, corpus, decorations, activeEditor, new Commands(store, labels, log));
  // adapters (one line each):

  await labels.loadAll();
  void corpus.scan();
  await decorations.start();
  await activeEditor.update();
  log.info(`Corpus Annotator ${context.extension.packageJSON.version} activated`);

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
