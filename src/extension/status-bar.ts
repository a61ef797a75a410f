// The status bar item of the active article: how many entities, the document status, and
// whether the sidecar has errors or changes wait for the article to be saved. Click: the sidebar.
import * as vscode from 'vscode';
import { LabelConfig } from '../core/config/config';
import { baseName } from '../core/model/model';
import { suggestionsOf } from '../core/suggest/suggest';
import { keyHint, STATUS_DESCRIPTIONS } from './commands';
import { countEntities } from './corpus-counts';
import { LabelService } from './labels';
import { AnnotationStore, DocAnnotations } from './store';

const STATUS_ITEM_ID = 'corpusAnnotator.status';

/** What the pure text functions read of an article's annotations. */
export type StatusInput = Pick<DocAnnotations, 'article' | 'kind' | 'sidecar' | 'problems' | 'pendingSave' | 'sidecarExists'>;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

function errorCount(ann: StatusInput): number {
  return ann.problems.filter((p) => p.severity === 'error').length;
}

/** The item's text, e.g. `$(tag) 12 entities · in-progress`. */
export function statusText(ann: StatusInput): string {
  if (ann.kind === 'unreadable') return '$(error) cannot annotate this file';
  if (ann.kind === 'invalid') return `$(warning) sidecar has errors (${errorCount(ann)})`;
  const suggestions = suggestionsOf(ann.sidecar).length;
  const parts = [`$(tag) ${plural(ann.sidecar.entities.length - suggestions, 'entity', 'entities')}`];
  if (suggestions > 0) parts.push(`$(lightbulb) ${plural(suggestions, 'suggestion', 'suggestions')}`);
  parts.push(ann.sidecar.status);
  if (ann.pendingSave) parts.push('$(circle-filled) unsaved');
  return parts.join(' · ');
}

/** Entities per label: every configured label (in configuration order, zeros included), then unknown ones. */
export function countsByLabel(ann: StatusInput, config: LabelConfig): Array<{ label: string; count: number; key?: number; known: boolean }> {
  const counts = countEntities(ann.sidecar.entities).labels;
  const rows: Array<{ label: string; count: number; key?: number; known: boolean }> = config.labels.map((l) => {
    const row: { label: string; count: number; key?: number; known: boolean } = { label: l.name, count: counts.get(l.name) ?? 0, known: true };
    if (l.key !== undefined) row.key = l.key;
    return row;
  });
  for (const [label, count] of counts) if (!config.labels.some((l) => l.name === label)) rows.push({ label, count, known: false });
  return rows;
}

/** The tooltip's markdown: status, counts per label with their keys, and what is wrong if anything. */
export function statusTooltip(ann: StatusInput, config: LabelConfig): string {
  const name = escape(baseName(ann.article.path));
  const out: string[] = [`**Corpus Annotator** — ${name}`, ''];
  if (ann.kind === 'unreadable') {
    out.push(`$(error) This file cannot be annotated: ${escape(ann.problems[0]?.message ?? 'it is not UTF-8 text')}`);
    return out.join('\n');
  }
  if (ann.kind === 'invalid') {
    const errors = ann.problems.filter((p) => p.severity === 'error');
    out.push(`$(warning) The sidecar ${escape(baseName(ann.article.path))}.ann.yaml has ${plural(errors.length, 'error', 'errors')}, so its annotations are not shown and nothing is written to it until it is fixed (see the Problems panel).`);
    const first = errors[0];
    if (first) out.push('', `First, line ${first.line}: ${escape(first.message)}`);
    out.push('', 'Click to open the annotations sidebar.');
    return out.join('\n');
  }
  const status = ann.sidecar.status;
  out.push(`Status: **${status}** (${STATUS_DESCRIPTIONS[status]})${ann.sidecarExists ? '' : ' — no sidecar yet: it is created with the first entity'}`);
  if (ann.pendingSave) out.push('', '$(circle-filled) Annotation changes are unsaved: they are written when the article is saved.');
  out.push('', '| Label | Key | Entities |', '|:--|:--|--:|');
  for (const row of countsByLabel(ann, config)) {
    out.push(`| ${escape(row.label)}${row.known ? '' : ' _(not configured)_'} | ${row.key !== undefined ? keyHint(row.key) : ''} | ${row.count} |`);
  }
  out.push(`| **Total** | | **${ann.sidecar.entities.length}** |`, '', 'Click to open the annotations sidebar.');
  return out.join('\n');
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, '\\$&').replace(/\r?\n/g, ' ');
}

export class AnnotationStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, 50);
  private readonly disposables: vscode.Disposable[] = [this.item];

  constructor(private readonly store: AnnotationStore, private readonly labels: LabelService) {
    this.item.name = 'Corpus Annotator';
    this.item.command = 'corpusAnnotator.showSidebar';
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      store.onDidChange(({ article }) => {
        if (vscode.window.activeTextEditor?.document.uri.toString() === article.toString()) this.update();
      }),
      labels.onDidChange(() => this.update()),
    );
    this.update();
  }

  private update(): void {
    const doc = vscode.window.activeTextEditor?.document;
    // Shown where the `corpusAnnotator.activeArticle` context key is set: the same rule.
    if (!doc || !this.store.isAnnotatable(doc.uri)) {
      this.item.hide();
      return;
    }
    const ann = this.store.get(doc.uri);
    if (!ann) {
      // Not loaded yet: ActiveEditorContext loads the active document (once the label configuration
      // is loaded, so it is validated against the right labels); the store's event then updates the item.
      this.item.hide();
      return;
    }
    const text = statusText(ann);
    this.item.text = text;
    const tooltip = new vscode.MarkdownString(statusTooltip(ann, this.labels.configFor(doc.uri)), true);
    this.item.tooltip = tooltip;
    this.item.backgroundColor = ann.kind === 'invalid'
      ? new vscode.ThemeColor('statusBarItem.warningBackground')
      : ann.kind === 'unreadable' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
    this.item.accessibilityInformation = { label: `Corpus Annotator: ${text.replace(/\$\([\w-]+\)\s*/g, '')}` };
    this.item.show();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
