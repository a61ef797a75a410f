// Activation: wires the adapters together. Each adapter owns its disposables.
import * as vscode from 'vscode';

export interface CorpusAnnotatorApi {
  readonly version: string;
}

export function activate(context: vscode.ExtensionContext): CorpusAnnotatorApi {
  const log = vscode.window.createOutputChannel('Corpus Annotator', { log: true });
  context.subscriptions.push(log);
  log.info('Corpus Annotator activated');
  return { version: String(context.extension.packageJSON.version) };
}

export function deactivate(): void {}
