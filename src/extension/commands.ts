// The tagging commands: what an annotator runs from keys, the palette, menus, hovers and the tree.
import * as vscode from 'vscode';
import { CONFIG_FILE, LabelConfig, LabelDef, labelForKey } from '../core/config/config';
import { addEntities, entitiesAt, entitiesIn, relabelEntities, removeEntities, setNote, setStatus, Span } from '../core/model/edits';
import { Entity, isSidecarPath, STATUSES, Status } from '../core/model/model';
import { FoldedText, MatchOptions, uncovered } from '../core/suggest/occurrences';
import { snapSelection } from '../core/text/snap';
import { LabelService } from './labels';
import { isMac } from './platform';
import { toCodePoint, toRange, toSpan } from './positions';
import { readSettings } from './settings';
import { AnnotationStore, ApplyResult, DocAnnotations } from './store';
import { registerCommand } from './register-command';

/** What the sidebar and tests pass to the re-anchor command. */
interface ReanchorArgs {
  article: string;
  /** Settle only this ambiguous entity (the sidebar's row). */
  entity?: string;
  /** Settle one ambiguous entity without asking: at [start, end), or give it up. */
  choose?: { id: string; start?: number; end?: number; drop?: boolean };
}

/** A candidate's line of context: the text around it, the candidate itself in ⟦brackets⟧. */
function contextOf(text: string, start: number, end: number): string {
  const before = text.slice(Math.max(0, start - 40), start).replace(/\s+/g, ' ');
  const after = text.slice(end, end + 40).replace(/\s+/g, ' ');
  return `…${before}⟦${text.slice(start, end)}⟧${after}…`;
}

/** How hovers and the tree name one entity in command arguments. */
export interface EntityRef {
  article: string;
  id: string;
}

/**
 * The entity a command was given: an EntityRef (hovers, tests, the tree's own commands), or a
 * sidebar entity row, which VS Code passes as is to its menu commands (the row's own `id` is the
 * row's, not the entity's). Anything else (another row, nothing): undefined. The one parser of
 * these arguments, so every command reads a row the same way.
 */
export function entityRefOf(arg: unknown): EntityRef | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = arg as { kind?: unknown; article?: unknown; id?: unknown; entity?: { id?: unknown } };
  if (a.kind === 'entity') {
    return a.article instanceof vscode.Uri && typeof a.entity?.id === 'string' ? { article: a.article.toString(), id: a.entity.id } : undefined;
  }
  if (a.kind !== undefined) return undefined;
  const article = a.article instanceof vscode.Uri ? a.article.toString() : a.article;
  return typeof article === 'string' && typeof a.id === 'string' ? { article, id: a.id } : undefined;
}

/** The entities under the editor's cursors (touching them) or inside its selections, each once. */
export function entitiesAtSelections(editor: vscode.TextEditor, ann: DocAnnotations): Entity[] {
  const found = new Map<string, Entity>();
  for (const sel of editor.selections) {
    const span = toSpan(editor.document, ann.offsets, sel);
    const hits = sel.isEmpty ? entitiesAt(ann.sidecar, span.start) : entitiesIn(ann.sidecar, span);
    for (const e of hits) found.set(e.id, e);
  }
  return [...found.values()];
}

/** What each document status means, where one is chosen or shown. */
export const STATUS_DESCRIPTIONS: Record<Status, string> = {
  todo: 'not started',
  'in-progress': 'being annotated',
  done: 'annotated, waiting for review',
  reviewed: 'checked by a reviewer',
};

export function keyHint(slot: number): string {
  return isMac ? `⌘⌥${slot}` : `Ctrl+Alt+${slot}`;
}

/** The default keys, for messages (package.json contributes them). */
export const keys = {
  tagAll: isMac ? '⌘⌥A' : 'Ctrl+Alt+A',
  next: isMac ? '⌘⌥]' : 'Ctrl+Alt+]',
  accept: isMac ? '⌘⌥Y' : 'Ctrl+Alt+Y',
  reject: isMac ? '⌘⌥N' : 'Ctrl+Alt+N',
  undo: isMac ? '⌘⌥Z' : 'Ctrl+Alt+Z',
};

export class Commands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** The last article folded for counting occurrences after a tag. */
  private folded: { text: string; key: string; folded: FoldedText } | undefined;

  constructor(private readonly store: AnnotationStore, private readonly labels: LabelService, private readonly log: vscode.LogOutputChannel) {
    const reg = (id: string, f: (...args: never[]) => unknown) => this.disposables.push(registerCommand(this.log, id, f));
    reg('tagSelection', (label?: string) => this.tagSelection(label));
    reg('tagWithKey', (slot: number) => this.tagWithKey(slot));
    reg('removeTag', (ref?: EntityRef) => this.removeTag(ref));
    reg('changeLabel', (ref?: EntityRef, label?: string) => this.changeLabel(ref, label));
    reg('editNote', (ref?: EntityRef) => this.editNote(ref));
    reg('nextEntity', () => this.goToEntity(1));
    reg('previousEntity', () => this.goToEntity(-1));
    reg('setStatus', (status?: Status) => this.setStatus(status));
    reg('undo', () => this.history('undo'));
    reg('redo', () => this.history('redo'));
    reg('saveAnnotations', () => this.save());
    reg('reanchor', (how?: 'drop' | ReanchorArgs) => this.reanchor(how));
    reg('showSidebar', () => vscode.commands.executeCommand('workbench.view.extension.corpusAnnotator'));
  }

  /** Tags every selection of the active editor; asks for the label unless given. */
  private async tagSelection(labelName?: string): Promise<number> {
    const editor = this.activeEditor();
    if (!editor) return 0;
    const config = this.labels.configFor(editor.document.uri);
    const label = labelName ? config.labels.find((l) => l.name === labelName) : await this.pickLabel(config, 'Tag selection as…');
    if (!label) return 0;
    return this.tag(editor, label);
  }

  private async tagWithKey(slot: number): Promise<number> {
    const editor = this.activeEditor();
    if (!editor) return 0;
    const label = labelForKey(this.labels.configFor(editor.document.uri), Number(slot));
    if (!label) {
      // Not awaited (as register-command.ts explains): the key's answer is known; the button is optional.
      void vscode.window.showWarningMessage(`No label has the key ${slot}. Give one \`key: ${slot}\` in ${CONFIG_FILE}.`, 'Open Configuration')
        .then((choice) => (choice === 'Open Configuration' ? this.openConfig(editor.document.uri) : undefined));
      return 0;
    }
    return this.tag(editor, label);
  }

  private async tag(editor: vscode.TextEditor, label: LabelDef): Promise<number> {
    const doc = editor.document;
    const ann = await this.store.load(doc.uri);
    if (!this.usable(ann)) return 0;
    if (!ann.sidecarExists && !this.labels.isArticle(doc.uri)) {
      // The keys work in any plain-text editor; a file outside the corpus gets a sidecar only on request.
      const globs = this.labels.configFor(doc.uri).articles.join(', ');
      const choice = await vscode.window.showWarningMessage(
        `${doc.uri.path.split('/').pop()} is not an article of the corpus (articles: ${globs}). Annotate it anyway? Its annotations will be saved next to it.`,
        'Annotate Anyway', 'Open Configuration');
      if (choice === 'Open Configuration') await this.openConfig(doc.uri);
      if (choice !== 'Annotate Anyway') return 0;
    }
    const settings = readSettings(doc.uri);
    const text = doc.getText();
    const spans: Span[] = [];
    for (const sel of editor.selections) {
      const raw = { start: doc.offsetAt(sel.start), end: doc.offsetAt(sel.end) };
      const snapped = settings.snap.expandWords || settings.snap.frenchElision || raw.start === raw.end
        ? snapSelection(text, raw.start, raw.end, settings.snap)
        : raw;
      if (snapped.start === snapped.end) continue;
      spans.push(toSpan(doc, ann.offsets, new vscode.Range(doc.positionAt(snapped.start), doc.positionAt(snapped.end))));
    }
    if (spans.length === 0) {
      void vscode.window.setStatusBarMessage('Corpus Annotator: nothing to tag — select the entity first', 4000);
      return 0;
    }
    let added: Entity[] = [];
    const result = await this.store.apply(doc.uri, `tag ${spans.length} span(s) as ${label.name}`, (s, article) => {
      const r = addEntities(s, article, spans, label.name, { by: settings.annotator || undefined, src: 'manual' });
      added = r.added;
      return r.sidecar;
    });
    this.report(result, ann);
    if (result === 'changed') {
      const tagged = `Tagged ${added.length} × ${label.name}`;
      void vscode.window.setStatusBarMessage(tagged, 5000);
      // After the command has answered: counting folds the article (~40 ms a MB on first use).
      setTimeout(() => {
        try {
          const more = this.moreOccurrences(doc.uri, added, settings.match);
          if (more) void vscode.window.setStatusBarMessage(tagged + more, 5000);
        } catch (e) {
          this.log.warn(`counting the other occurrences in ${doc.uri.fsPath} failed: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
        }
      }, 0);
    } else if (result === 'unchanged') {
      void vscode.window.setStatusBarMessage(`Already tagged ${label.name}`, 3000);
    }
    return added.length;
  }

  /** After tagging one span: how many other untagged occurrences the article has, and the key that suggests them. */
  private moreOccurrences(article: vscode.Uri, added: readonly Entity[], match: MatchOptions): string {
    const [entity] = added;
    const ann = this.store.get(article);
    if (added.length !== 1 || !entity || !ann || ann.kind !== 'ok') return '';
    // Folding the article is the costly part (~40 ms a MB): kept while the text and options stay.
    const key = JSON.stringify(match);
    if (this.folded?.text !== ann.text || this.folded.key !== key) this.folded = { text: ann.text, key, folded: new FoldedText(ann.text, match) };
    const more = uncovered(this.folded.folded.find(entity.text), ann.sidecar.entities).length;
    return more > 0 ? ` · ${more} more "${entity.text}" untagged here: ${keys.tagAll} suggests them` : '';
  }

  private async removeTag(ref?: EntityRef): Promise<number> {
    const target = await this.targets(ref, 'Remove which entity?', true);
    if (!target) return 0;
    const ids = new Set(target.entities.map((e) => e.id));
    const result = await this.store.apply(target.article, `remove ${[...ids].join(', ')}`, (s) => removeEntities(s, ids));
    this.report(result, target.ann);
    return result === 'changed' ? ids.size : 0;
  }

  private async changeLabel(ref?: EntityRef, labelName?: string): Promise<boolean> {
    const target = await this.targets(ref, 'Change the label of which entity?', false);
    if (!target) return false;
    const config = this.labels.configFor(target.article);
    const current = target.entities[0]?.label;
    const label = labelName
      ? config.labels.find((l) => l.name === labelName)
      : await this.pickLabel(config, `Change label of "${target.entities[0]?.text}"`, current);
    if (!label) return false;
    const ids = new Set(target.entities.map((e) => e.id));
    const result = await this.store.apply(target.article, `relabel ${[...ids].join(', ')} as ${label.name}`, (s) => relabelEntities(s, ids, label.name));
    this.report(result, target.ann);
    return result === 'changed';
  }

  private async editNote(ref?: EntityRef): Promise<boolean> {
    const target = await this.targets(ref, 'Note on which entity?', false);
    if (!target) return false;
    const entity = target.entities[0] as Entity;
    const note = await vscode.window.showInputBox({
      title: `Note on ${entity.label} "${entity.text}"`,
      value: entity.note ?? '',
      prompt: 'Leave empty to remove the note.',
    });
    if (note === undefined) return false;
    const ids = new Set([entity.id]);
    const result = await this.store.apply(target.article, `note on ${entity.id}`, (s) => setNote(s, ids, note.trim()));
    this.report(result, target.ann);
    return result === 'changed';
  }

  private async goToEntity(direction: 1 | -1): Promise<void> {
    const editor = this.activeEditor();
    if (!editor) return;
    const ann = await this.store.load(editor.document.uri);
    if (!this.usable(ann) || ann.sidecar.entities.length === 0) return;
    const sorted = [...ann.sidecar.entities].sort((a, b) => a.start - b.start || a.end - b.end);
    // From the selection's start, so that with an entity selected the next one is the following one; wraps around.
    const from = toCodePoint(editor.document, ann.offsets, editor.selection.start);
    const next = direction > 0
      ? sorted.find((e) => e.start > from) ?? sorted[0]
      : [...sorted].reverse().find((e) => e.start < from) ?? sorted[sorted.length - 1];
    if (!next) return;
    const range = toRange(editor.document, ann.offsets, next);
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async setStatus(status?: Status): Promise<boolean> {
    const editor = this.activeEditor();
    if (!editor) return false;
    const ann = await this.store.load(editor.document.uri);
    if (!this.usable(ann)) return false;
    let chosen = status;
    if (!chosen) {
      const pick = await vscode.window.showQuickPick(
        STATUSES.map((s) => ({ label: s, description: s === ann.sidecar.status ? `${STATUS_DESCRIPTIONS[s]} (current)` : STATUS_DESCRIPTIONS[s] })),
        { title: 'Set document status', placeHolder: `Currently ${ann.sidecar.status}` },
      );
      chosen = pick?.label;
    }
    if (!chosen || !(STATUSES as readonly string[]).includes(chosen)) return false;
    const result = await this.store.apply(editor.document.uri, `status ${chosen}`, (s) => setStatus(s, chosen as Status));
    this.report(result, ann);
    return result === 'changed';
  }

  private async history(which: 'undo' | 'redo'): Promise<boolean> {
    const editor = this.activeEditor();
    if (!editor) return false;
    const done = which === 'undo' ? await this.store.undo(editor.document.uri) : await this.store.redo(editor.document.uri);
    if (!done) void vscode.window.setStatusBarMessage(`Corpus Annotator: nothing to ${which}`, 3000);
    return done;
  }

  /**
   * The article changed and some entities were not found again: place each ambiguous one at the
   * candidate the annotator picks (one key per candidate, with its context), then drop the orphans
   * (after confirmation) and save the rest. Tests and the tree pass `{ article, choose }`.
   */
  private async reanchor(how?: 'drop' | ReanchorArgs): Promise<boolean> {
    // From the sidebar: the article named; from the palette: the active editor's.
    const args = typeof how === 'object' ? how : undefined;
    const article = args && typeof args.article === 'string' ? vscode.Uri.parse(args.article) : this.activeEditor()?.document.uri;
    if (!article) return false;
    const ann = await this.store.load(article);
    const name = article.path.split('/').pop();
    if (!ann.reanchorPending) {
      void vscode.window.showInformationMessage(`Nothing to re-anchor: the annotations of ${name} ${ann.kind === 'ok' ? 'match the article' : 'have other problems (see the Problems panel)'}.`);
      return false;
    }
    if (args?.choose) {
      const c = args.choose;
      const r = await this.store.settleAmbiguous(article, c.id, c.drop ? 'drop' : { start: Number(c.start), end: Number(c.end) });
      return r !== 'refused';
    }
    // One entity at a time, as the sidebar and Problems panel list them.
    const only = args?.entity;
    for (;;) {
      const current = this.store.get(article);
      const pending = current?.reanchorPending;
      if (!current || !pending) return true;
      const item = pending.result.ambiguous.find((a) => !only || a.entity.id === only);
      if (!item) break;
      const total = pending.result.ambiguous.length;
      const { text, offsets } = current;
      const lineOf = (cp: number) => text.slice(0, offsets.toUtf16(cp)).split('\n').length;
      type Pick = vscode.QuickPickItem & { choice: Span | 'drop' };
      const free = item.candidates.filter((c) => !pending.result.entities.some((e) => e.start === c.start && e.end === c.end && e.label === item.entity.label));
      const items: Pick[] = free.map((c, i) => ({
        label: `${i + 1 <= 9 ? `${i + 1}. ` : ''}line ${lineOf(c.start)}`,
        description: `${c.start}–${c.end}`,
        detail: contextOf(text, offsets.toUtf16(c.start), offsets.toUtf16(c.end)),
        choice: c,
      }));
      items.push({ label: '$(trash) None of these: give it up (orphan)', description: 'dropped when you save what was found', choice: 'drop' });
      const pick = await vscode.window.showQuickPick(items, {
        title: `${name} changed: where is ${item.entity.label} "${item.entity.text}" now? (${total} ambiguous)`,
        placeHolder: 'It fits several places equally well. Type the number of the right one, or give it up.',
        matchOnDetail: true,
      });
      if (!pick) return false;
      const settled = await this.store.settleAmbiguous(article, item.entity.id, pick.choice);
      if (settled === 'refused') return false;
      if (only) break;
    }
    const pending = this.store.get(article)?.reanchorPending;
    if (!pending) return true;
    if (pending.result.ambiguous.length > 0) return false;
    const { orphans, entities } = pending.result;
    if (how !== 'drop') {
      const list = orphans.map((e) => `${e.label} "${e.text}"`).join(', ');
      const choice = await vscode.window.showWarningMessage(
        `${orphans.length} entit${orphans.length === 1 ? 'y is' : 'ies are'} no longer in ${name}: ${list}. Drop ${orphans.length === 1 ? 'it' : 'them'} and save the ${entities.length} found again?`,
        { modal: true }, 'Drop and Save');
      if (choice !== 'Drop and Save') return false;
    }
    return (await this.store.resolveReanchor(article)) === 'saved';
  }

  private async save(): Promise<boolean> {
    const editor = this.activeEditor();
    return editor ? this.store.save(editor.document.uri) : false;
  }

  /** The entities a command acts on: the one named by `ref`, or those under the cursor(s). */
  private async targets(ref: EntityRef | undefined, question: string, allowAll: boolean): Promise<{ article: vscode.Uri; ann: DocAnnotations; entities: Entity[] } | undefined> {
    if (ref && typeof ref.article === 'string') {
      const article = vscode.Uri.parse(ref.article);
      const ann = await this.store.load(article);
      const entity = ann.sidecar.entities.find((e) => e.id === ref.id);
      if (!this.usable(ann) || !entity) return undefined;
      return { article, ann, entities: [entity] };
    }
    const editor = this.activeEditor();
    if (!editor) return undefined;
    const ann = await this.store.load(editor.document.uri);
    if (!this.usable(ann)) return undefined;
    const entities = entitiesAtSelections(editor, ann);
    if (entities.length === 0) {
      void vscode.window.setStatusBarMessage('Corpus Annotator: no entity at the cursor', 3000);
      return undefined;
    }
    if (entities.length === 1 || (allowAll && editor.selections.length > 1)) return { article: editor.document.uri, ann, entities };
    // Nested or overlapping entities under one cursor: ask which.
    const items: Array<vscode.QuickPickItem & { entities: Entity[] }> = entities.map((e) => ({ label: `${e.label}  ${e.text}`, description: `${e.start}–${e.end}`, entities: [e] }));
    if (allowAll) items.push({ label: `All ${entities.length}`, entities });
    const pick = await vscode.window.showQuickPick(items, { title: question });
    return pick ? { article: editor.document.uri, ann, entities: pick.entities } : undefined;
  }

  private async pickLabel(config: LabelConfig, title: string, current?: string): Promise<LabelDef | undefined> {
    const items = config.labels.map((l) => ({
      label: l.name,
      description: [l.key !== undefined ? keyHint(l.key) : '', l.name === current ? '(current)' : ''].filter(Boolean).join('  '),
      detail: l.description,
      def: l,
    }));
    const pick = await vscode.window.showQuickPick(items, { title, placeHolder: 'Label', matchOnDetail: true });
    return pick?.def;
  }

  private activeEditor(): vscode.TextEditor | undefined {
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Open an article to annotate first.');
      return undefined;
    }
    if (isSidecarPath(editor.document.uri.path)) {
      void vscode.window.showInformationMessage('This is a sidecar; open its article to annotate.');
      return undefined;
    }
    return editor;
  }

  /** Whether annotations can be changed; explains why not otherwise. */
  private usable(ann: DocAnnotations): boolean {
    if (ann.kind === 'ok') return true;
    this.report(ann.kind, ann);
    return false;
  }

  private report(result: ApplyResult, ann: DocAnnotations): void {
    if (result === 'invalid') {
      void vscode.window.showErrorMessage(
        `The sidecar of this article has errors (${ann.problems.filter((p) => p.severity === 'error').length}), so annotations are not shown or changed until it is fixed. Nothing was written.`,
        'Open Sidecar', 'Show Problems',
      ).then((c) => {
        if (c === 'Open Sidecar') void vscode.window.showTextDocument(ann.sidecarUri);
        if (c === 'Show Problems') void vscode.commands.executeCommand('workbench.actions.view.problems');
      });
    } else if (result === 'unreadable') {
      void vscode.window.showErrorMessage(ann.problems[0]?.message ?? 'This file cannot be annotated.');
    }
  }

  private async openConfig(scope: vscode.Uri): Promise<void> {
    const folder = vscode.workspace.getWorkspaceFolder(scope) ?? vscode.workspace.workspaceFolders?.[0];
    if (!folder) return;
    const uri = vscode.Uri.joinPath(folder.uri, CONFIG_FILE);
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode('version: 1\nlabels:\n  - {name: PER, color: "#e5534b", key: 1, description: Person}\n'));
    }
    await vscode.window.showTextDocument(uri);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
