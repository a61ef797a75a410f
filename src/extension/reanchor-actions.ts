// Quick fixes in a sidecar for what re-anchoring could not settle, so the Problems panel offers the
// same one-key way out as the sidebar: Ctrl+. on an ambiguous entity chooses where it is now, on
// an orphan drops the orphans (both through "Re-anchor Annotations…", which asks first).
import * as vscode from 'vscode';
import { articlePathOf, baseName } from '../core/model/model';
import { DIAGNOSTIC_SOURCE } from './diagnostics';
import { ANNOTATABLE_SCHEMES, AnnotationStore } from './store';

export class ReanchorActions implements vscode.CodeActionProvider, vscode.Disposable {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  private readonly registration: vscode.Disposable;

  constructor(private readonly store: AnnotationStore) {
    this.registration = vscode.languages.registerCodeActionsProvider(
      [...ANNOTATABLE_SCHEMES].map((scheme) => ({ scheme, pattern: '**/*.ann.yaml' })),
      this,
      { providedCodeActionKinds: ReanchorActions.kinds },
    );
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const article = doc.uri.with({ path: articlePathOf(doc.uri.path) });
    const ann = this.store.get(article);
    const pending = ann?.reanchorPending;
    if (!ann || !pending) return [];
    const actions: vscode.CodeAction[] = [];
    let orphanOffered = false;
    for (const d of context.diagnostics) {
      const code = typeof d.code === 'object' ? d.code.value : d.code;
      if (d.source !== DIAGNOSTIC_SOURCE || (code !== 'ambiguous' && code !== 'orphan')) continue;
      // The store's problem at this line says which entity it is.
      const problem = ann.problems.find((p) => p.code === code && p.line === d.range.start.line + 1);
      const entity = problem?.entityId ? pending.sidecar.entities.find((e) => e.id === problem.entityId) : undefined;
      if (code === 'ambiguous' && entity) {
        const action = new vscode.CodeAction(`Choose where ${entity.label} "${entity.text}" is now in ${baseName(article.path)}…`, vscode.CodeActionKind.QuickFix);
        action.command = { command: 'corpusAnnotator.reanchor', title: action.title, arguments: [{ article: article.toString(), entity: entity.id }] };
        action.diagnostics = [d];
        action.isPreferred = true;
        actions.push(action);
      } else if (code === 'orphan' && !orphanOffered && pending.result.ambiguous.length === 0) {
        orphanOffered = true;
        const n = pending.result.orphans.length;
        const action = new vscode.CodeAction(`Drop the ${n} orphaned entit${n === 1 ? 'y' : 'ies'} and save the ${pending.result.entities.length} found again…`, vscode.CodeActionKind.QuickFix);
        action.command = { command: 'corpusAnnotator.reanchor', title: action.title, arguments: [{ article: article.toString() }] };
        action.diagnostics = [d];
        actions.push(action);
      }
    }
    return actions;
  }

  dispose(): void {
    this.registration.dispose();
  }
}
