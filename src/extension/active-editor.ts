// Context keys for the active editor, which the keybindings' and menus' `when` clauses use:
// corpusAnnotator.activeArticle (the file can be annotated), corpusAnnotator.entityAtCursor and
// corpusAnnotator.suggestionAtCursor (which the accept/reject keys need).
import * as vscode from 'vscode';
import { entitiesAt } from '../core/model/edits';
import { LabelService } from './labels';
import { toCodePoint } from './positions';
import { AnnotationStore } from './store';

export class ActiveEditorContext implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private last = { article: false, entity: false, suggestion: false };

  constructor(private readonly store: AnnotationStore, labels: LabelService) {
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => void this.update()),
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor === vscode.window.activeTextEditor) void this.update();
      }),
      store.onDidChange(({ article }) => {
        if (vscode.window.activeTextEditor?.document.uri.toString() === article.toString()) void this.update();
      }),
      labels.onDidChange(() => void this.update()),
    );
  }

  async update(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    let article = false;
    let entity = false;
    let suggestion = false;
    // Decided from the globs at once, before any file is read: a key pressed right after opening
    // an article must already find its keybinding enabled. (Checked only while the key is off: a
    // selection change, the common case, matches the globs once, below.)
    if (editor && !this.last.article && this.store.isAnnotatable(editor.document.uri)) {
      this.last = { ...this.last, article: true };
      await vscode.commands.executeCommand('setContext', 'corpusAnnotator.activeArticle', true);
    }
    if (editor) {
      if (!this.store.get(editor.document.uri) && await this.store.isCandidate(editor.document.uri)) {
        await this.store.load(editor.document.uri);
      }
      article = this.store.isAnnotatable(editor.document.uri);
      const ann = this.store.get(editor.document.uri);
      if (article && ann?.kind === 'ok') {
        const at = toCodePoint(editor.document, ann.offsets, editor.selection.active);
        const hits = entitiesAt(ann.sidecar, at);
        entity = hits.length > 0;
        suggestion = hits.some((e) => e.suggested === true);
      }
    }
    if (article !== this.last.article) await vscode.commands.executeCommand('setContext', 'corpusAnnotator.activeArticle', article);
    if (entity !== this.last.entity) await vscode.commands.executeCommand('setContext', 'corpusAnnotator.entityAtCursor', entity);
    if (suggestion !== this.last.suggestion) await vscode.commands.executeCommand('setContext', 'corpusAnnotator.suggestionAtCursor', suggestion);
    this.last = { article, entity, suggestion };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
