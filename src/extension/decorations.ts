// Highlights entities in every visible editor: one decoration type per label and nesting depth
// (never one per range), rebuilt only when labels or the relevant settings change.
import * as vscode from 'vscode';
import { LabelDef } from '../core/config/config';
import { LabelService, themeColor } from './labels';
import { toRange } from './positions';
import { AnnotationStore } from './store';

interface LabelTypes {
  /** Entities not inside another: tinted background and underline. */
  outer: vscode.TextEditorDecorationType;
  /** Entities nested in or overlapping an earlier one: a box, so both stay distinguishable. */
  inner: vscode.TextEditorDecorationType;
  /** Suggestions awaiting a decision: a dotted outline and `LABEL?`, no fill, never mistaken for an annotation. */
  suggested: vscode.TextEditorDecorationType;
}

interface Slot { outer: vscode.Range[]; inner: vscode.Range[]; suggested: vscode.Range[] }

/** Ranges drawn per label (suggestions, whatever their label, under SUGGESTED_KEY), for tests and the API. */
export type RenderedDecorations = Record<string, vscode.Range[]>;
export const SUGGESTED_KEY = '(suggestions)';

export class Decorations implements vscode.Disposable {
  private readonly types = new Map<string, LabelTypes>();
  private readonly rendered = new Map<string, RenderedDecorations>();
  /** What each editor was last drawn from (the store replaces these objects on any change). */
  private readonly drawn = new WeakMap<vscode.TextEditor, { sidecar: object; offsets: object; kind: string }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly store: AnnotationStore, private readonly labels: LabelService, private readonly log?: vscode.LogOutputChannel) {
    this.disposables.push(
      store.onDidChange(({ article }) => this.renderArticle(article)),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const e of editors) void this.loadAndRender(e);
      }),
      labels.onDidChange(() => this.rebuild()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('corpusAnnotator.showLabelNames')) this.rebuild();
      }),
    );
  }

  /** Renders the editors already open at activation. */
  async start(): Promise<void> {
    await Promise.all(vscode.window.visibleTextEditors.map((e) => this.loadAndRender(e)));
  }

  /** Draws an editor's entities, loading them first if the document is worth it. */
  private async loadAndRender(editor: vscode.TextEditor): Promise<void> {
    if (!(await this.store.isCandidate(editor.document.uri))) return;
    await this.store.load(editor.document.uri);
    // A fresh load has announced itself, and that drew this editor already: drawing 10,000
    // entities twice sent them twice to the window.
    const ann = this.store.get(editor.document.uri);
    const drawn = this.drawn.get(editor);
    if (ann && drawn?.sidecar === ann.sidecar && drawn.offsets === ann.offsets && drawn.kind === ann.kind) return;
    this.render(editor);
  }

  /** What was last drawn for a document, by label. */
  renderedFor(uri: vscode.Uri): RenderedDecorations {
    return this.rendered.get(uri.toString()) ?? {};
  }

  private renderArticle(article: vscode.Uri): void {
    const key = article.toString();
    for (const e of vscode.window.visibleTextEditors) if (e.document.uri.toString() === key) this.render(e);
  }

  private render(editor: vscode.TextEditor): void {
    const ann = this.store.get(editor.document.uri);
    if (!ann) return;
    const started = performance.now();
    const config = this.labels.configFor(editor.document.uri);
    const byLabel = new Map<string, Slot>();
    // Entities with an unknown label are still drawn, in a neutral colour.
    for (const l of config.labels) byLabel.set(l.name, { outer: [], inner: [], suggested: [] });
    const sorted = [...ann.sidecar.entities].sort((a, b) => a.start - b.start || b.end - a.end);
    let coverEnd = -1;
    const rendered: RenderedDecorations = {};
    for (const e of sorted) {
      const slot = byLabel.get(e.label) ?? byLabel.set(e.label, { outer: [], inner: [], suggested: [] }).get(e.label) as Slot;
      const range = toRange(editor.document, ann.offsets, e);
      if (e.suggested === true) {
        slot.suggested.push(range);
        (rendered[SUGGESTED_KEY] ??= []).push(range);
        continue;
      }
      (e.start < coverEnd ? slot.inner : slot.outer).push(range);
      coverEnd = Math.max(coverEnd, e.end);
      (rendered[e.label] ??= []).push(range);
    }
    // Every type gets its ranges, [] included, so removed entities disappear.
    for (const [name, types] of this.types) {
      const slot = byLabel.get(name);
      editor.setDecorations(types.outer, slot?.outer ?? []);
      editor.setDecorations(types.inner, slot?.inner ?? []);
      editor.setDecorations(types.suggested, slot?.suggested ?? []);
    }
    for (const [name, slot] of byLabel) {
      if (this.types.has(name)) continue;
      const types = this.createTypes(config.labels.find((l) => l.name === name) ?? { name, color: '#8b949e' });
      this.types.set(name, types);
      editor.setDecorations(types.outer, slot.outer);
      editor.setDecorations(types.inner, slot.inner);
      editor.setDecorations(types.suggested, slot.suggested);
    }
    this.drawn.set(editor, { sidecar: ann.sidecar, offsets: ann.offsets, kind: ann.kind });
    this.rendered.set(editor.document.uri.toString(), rendered);
    // bench/host-decorations.mjs reads this line (issue 9: ≤ 50 ms for 10k entities).
    this.log?.debug(`rendered ${sorted.length} decorations of ${editor.document.uri.path.split('/').pop()} in ${(performance.now() - started).toFixed(1)} ms`);
  }

  private createTypes(label: LabelDef): LabelTypes {
    const color = themeColor(label);
    const showNames = vscode.workspace.getConfiguration('corpusAnnotator').get<boolean>('showLabelNames', true);
    const after: vscode.ThemableDecorationAttachmentRenderOptions | undefined = showNames
      ? { contentText: label.name, color, fontWeight: 'bold', margin: '0 0 0 2px', textDecoration: 'none; font-size: 0.75em; vertical-align: super;' }
      : undefined;
    const tint = `${label.color}33`;
    const outer = vscode.window.createTextEditorDecorationType({
      backgroundColor: tint,
      borderStyle: 'none none solid none',
      borderWidth: '0 0 2px 0',
      borderColor: color,
      borderRadius: '2px',
      overviewRulerColor: color,
      overviewRulerLane: vscode.OverviewRulerLane.Center,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      after,
    });
    const inner = vscode.window.createTextEditorDecorationType({
      backgroundColor: `${label.color}40`,
      border: '1px solid',
      borderColor: color,
      borderRadius: '3px',
      overviewRulerColor: color,
      overviewRulerLane: vscode.OverviewRulerLane.Right,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      after,
    });
    const suggested = vscode.window.createTextEditorDecorationType({
      border: '1px dotted',
      borderColor: color,
      borderRadius: '3px',
      overviewRulerColor: new vscode.ThemeColor('corpusAnnotator.suggestion'),
      overviewRulerLane: vscode.OverviewRulerLane.Left,
      rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed,
      after: showNames ? { ...after, contentText: `${label.name}?`, fontWeight: 'normal', fontStyle: 'italic' } : undefined,
    });
    return { outer, inner, suggested };
  }

  private rebuild(): void {
    this.disposeTypes();
    for (const e of vscode.window.visibleTextEditors) this.render(e);
  }

  private disposeTypes(): void {
    for (const t of this.types.values()) {
      t.outer.dispose();
      t.inner.dispose();
      t.suggested.dispose();
    }
    this.types.clear();
  }

  dispose(): void {
    this.disposeTypes();
    for (const d of this.disposables) d.dispose();
  }
}
