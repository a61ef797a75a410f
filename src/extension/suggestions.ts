// Suggestions: tag all occurrences (in the article or the corpus), and the keyboard-driven review
// of suggestions (next, accept, reject, all at once), plus entity linking (`kb`, `canonical`).
// Suggestions are entities with `suggested: true` in the sidecar: reviewable in git, never silent
// annotations. Everything here goes through core operations and the store.
import * as vscode from 'vscode';
import { Entity, baseName } from '../core/model/model';
import { entitiesAt, setAttributes } from '../core/model/edits';
import { proposeOccurrences } from '../core/suggest/occurrences';
import { acceptSuggestions, isSuggestion, rejectSuggestions, suggestionsOf } from '../core/suggest/suggest';
import { adjacentSuggestion, decidedSuggestions } from '../core/suggest/suggestion-order';
import { entitiesAtSelections, EntityRef, entityRefOf, keys } from './commands';
import { Corpus } from './corpus';
import { toCodePoint, toRange } from './positions';
import { registerCommand } from './register-command';
import { suggestInArticles } from './suggest-many';
import { readSettings } from './settings';
import { AnnotationStore, DocAnnotations } from './store';

/** Where a tree row or a hover names an article (a document row passes `{ article }`). */
interface ArticleRef {
  article: string;
}

/** Options of linkEntity, for the hover's and tests' calls (asked for when absent). */
interface LinkOptions {
  kb?: string;
  canonical?: string;
  /** Also link the other entities with the same text and label in the article. */
  sameText?: boolean;
}

export class SuggestionCommands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** The suggestion the keys last selected, so that competing proposals on one span are decided one at a time. */
  private current: { article: string; id: string } | undefined;

  constructor(private readonly store: AnnotationStore, private readonly corpus: Corpus, private readonly log: vscode.LogOutputChannel) {
    const reg = (id: string, f: (...args: never[]) => unknown) => this.disposables.push(registerCommand(log, id, f));
    // From keys and the palette: no argument; from hovers and tests: an EntityRef or ArticleRef;
    // from the sidebar's menus: the row's node, whose `article` is a Uri.
    reg('tagAllOccurrences', (arg?: unknown) => this.propagate(entityRefOf(arg), 'article'));
    reg('tagAllOccurrencesInCorpus', (arg?: unknown) => this.propagate(entityRefOf(arg), 'corpus'));
    reg('acceptSuggestion', (arg?: unknown) => this.decide(entityRefOf(arg), 'accept'));
    reg('rejectSuggestion', (arg?: unknown) => this.decide(entityRefOf(arg), 'reject'));
    reg('acceptAllSuggestions', (arg?: unknown) => this.decideAll(articleRefOf(arg), 'accept'));
    reg('rejectAllSuggestions', (arg?: unknown) => this.decideAll(articleRefOf(arg), 'reject'));
    reg('nextSuggestion', () => this.goTo(1));
    reg('previousSuggestion', () => this.goTo(-1));
    reg('linkEntity', (arg?: unknown, opts?: LinkOptions) => this.link(entityRefOf(arg), opts));
  }

  /**
   * Proposes the other occurrences of an entity's text as suggestions with its label, in its
   * article or across the corpus. Returns how many were proposed.
   */
  private async propagate(ref: EntityRef | undefined, scope: 'article' | 'corpus'): Promise<number> {
    const source = await this.entityFor(ref, false);
    if (!source) return 0;
    const { entity } = source;
    const settings = readSettings(source.article);
    const match = settings.match;
    const articles = scope === 'article' ? [source.article] : (await this.corpus.ready(), this.corpus.list());
    if (scope === 'corpus' && !articles.some((u) => u.toString() === source.article.toString())) articles.unshift(source.article);
    const { added: total, documents: docs, skipped, failed } = await suggestInArticles(this.store, articles,
      { title: `Suggesting "${entity.text}" as ${entity.label}`, description: `suggest "${entity.text}" as ${entity.label}`, notify: scope === 'corpus' },
      (s, article) => proposeOccurrences(s, article, entity.text, entity.label, { match }));
    const where = scope === 'article' ? `in ${baseName(source.article.path)}` : `in ${docs} of ${articles.length} documents`;
    const skippedNote = (skipped.length ? ` Skipped (sidecar has errors or cannot be read): ${skipped.join(', ')}.` : '')
      + (failed.length ? ` Not saved (see the error): ${failed.join(', ')}.` : '');
    if (skipped.length) this.log.warn(`tag all occurrences of "${entity.text}": skipped ${skipped.join(', ')}`);
    if (total === 0) {
      void vscode.window.showInformationMessage(`No other occurrence of "${entity.text}" to suggest ${scope === 'article' ? 'in this article' : 'in the corpus'}: every one is annotated already.${skippedNote}`);
    } else {
      // Not awaited: the command is done once the suggestions are written; the buttons are optional.
      void vscode.window.showInformationMessage(
        `${total} suggestion${total === 1 ? '' : 's'} of "${entity.text}" as ${entity.label} ${where}, shown dotted. Review them with ${keys.next} / ${keys.accept} / ${keys.reject}.${skippedNote}`,
        'Next Suggestion', 'Accept All in This Article',
      ).then(async (choice) => {
        if (choice === 'Next Suggestion') await this.goTo(1);
        if (choice === 'Accept All in This Article') await this.decideAll({ article: source.article.toString() }, 'accept');
      });
    }
    return total;
  }

  /** Accepts or rejects the suggestion named, or those under the cursor(s); then moves to the next one. */
  private async decide(ref: EntityRef | undefined, how: 'accept' | 'reject'): Promise<number> {
    let article: vscode.Uri;
    let ids: Set<string>;
    let decided: Entity[] = [];
    if (ref && typeof ref.article === 'string') {
      article = vscode.Uri.parse(ref.article);
      const ann = await this.store.load(article);
      if (!ann.sidecar.entities.some((e) => e.id === ref.id && e.suggested === true)) return 0;
      ids = new Set([ref.id]);
    } else {
      const editor = vscode.window.activeTextEditor;
      if (!editor) return 0;
      article = editor.document.uri;
      const ann = await this.store.load(article);
      if (ann.kind !== 'ok') return 0;
      // One proposal per span: a curation may have several on the same words.
      const current = this.current?.article === article.toString() ? this.current.id : undefined;
      decided = decidedSuggestions(entitiesAtSelections(editor, ann).filter(isSuggestion), current);
      ids = new Set(decided.map((e) => e.id));
      if (ids.size === 0) {
        void vscode.window.setStatusBarMessage(`Corpus Annotator: no suggestion at the cursor (${keys.next} goes to the next one)`, 4000);
        return 0;
      }
    }
    const by = readSettings(article).annotator || undefined;
    const result = await this.store.apply(article, `${how} suggestion ${[...ids].join(', ')}`, (s) =>
      how === 'accept' ? acceptSuggestions(s, ids, by) : rejectSuggestions(s, ids));
    if (result !== 'changed') return 0;
    // Keyboard review: straight on to the next suggestion, if any is left.
    // After a decision the next proposal of the same span comes first (ordered as if it were still there).
    if (!ref) await this.goTo(1, false, decided.length === 1 ? decided[0] : undefined);
    return ids.size;
  }

  private async decideAll(ref: ArticleRef | undefined, how: 'accept' | 'reject'): Promise<number> {
    const article = ref && typeof ref.article === 'string' ? vscode.Uri.parse(ref.article) : vscode.window.activeTextEditor?.document.uri;
    if (!article) return 0;
    const ann = await this.store.load(article);
    const ids = new Set(suggestionsOf(ann.sidecar).map((e) => e.id));
    if (ann.kind !== 'ok' || ids.size === 0) {
      void vscode.window.setStatusBarMessage(`Corpus Annotator: no suggestions in ${baseName(article.path)}`, 3000);
      return 0;
    }
    const by = readSettings(article).annotator || undefined;
    const result = await this.store.apply(article, `${how} all ${ids.size} suggestions`, (s) =>
      how === 'accept' ? acceptSuggestions(s, ids, by) : rejectSuggestions(s, ids));
    if (result !== 'changed') return 0;
    void vscode.window.setStatusBarMessage(`${how === 'accept' ? 'Accepted' : 'Rejected'} ${ids.size} suggestion${ids.size === 1 ? '' : 's'} in ${baseName(article.path)} (${keys.undo} undoes)`, 4000);
    return ids.size;
  }

  /** Selects the next (or previous) suggestion after the cursor, wrapping around. */
  private async goTo(direction: 1 | -1, wrapMessage = true, decided?: Entity): Promise<boolean> {
    const editor = vscode.window.activeTextEditor;
    if (!editor) return false;
    const ann = await this.store.load(editor.document.uri);
    const suggestions = suggestionsOf(ann.sidecar);
    if (ann.kind !== 'ok' || suggestions.length === 0) {
      if (wrapMessage) void vscode.window.setStatusBarMessage('Corpus Annotator: no suggestions in this article', 3000);
      return false;
    }
    const from = toCodePoint(editor.document, ann.offsets, editor.selection.start);
    const article = editor.document.uri.toString();
    const shown = this.current?.article === article ? suggestions.find((e) => e.id === this.current?.id) : undefined;
    // Stepping from the one last shown only while the cursor is still on it.
    const current = decided ?? (shown && toCodePoint(editor.document, ann.offsets, editor.selection.end) === shown.end && from === shown.start ? shown : undefined);
    const next = adjacentSuggestion(suggestions, from, direction, current);
    if (!next) return false;
    this.current = { article, id: next.id };
    const range = toRange(editor.document, ann.offsets, next);
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    const left = suggestions.length;
    void vscode.window.setStatusBarMessage(`Suggestion ${next.label} "${next.text}" (${left} left): ${keys.accept} accept · ${keys.reject} reject`, 5000);
    return true;
  }

  /** Sets `kb` and `canonical` of an entity (asked for unless given), optionally of its namesakes too. */
  private async link(ref: EntityRef | undefined, opts: LinkOptions = {}): Promise<boolean> {
    const target = await this.entityFor(ref, true);
    if (!target) return false;
    const { entity, article, ann } = target;
    let kb = opts.kb;
    if (kb === undefined) {
      kb = await vscode.window.showInputBox({
        title: `Link ${entity.label} "${entity.text}" to a knowledge base (1/2)`,
        value: entity.attrs?.kb ?? suggestedKb(ann, entity) ?? '',
        placeHolder: 'wikidata:Q3390853',
        prompt: 'A prefixed identifier, e.g. wikidata:Q42 or geonames:2538475. Empty removes the link.',
        validateInput: (v) => (v.trim() === '' || /^[A-Za-z][\w.-]*:\S+$/.test(v.trim()) ? undefined : 'Write it as prefix:identifier, e.g. wikidata:Q42'),
      });
      if (kb === undefined) return false;
    }
    let canonical = opts.canonical;
    if (canonical === undefined) {
      canonical = await vscode.window.showInputBox({
        title: `Canonical name of "${entity.text}" (2/2)`,
        value: entity.attrs?.canonical ?? suggestedCanonical(ann, entity) ?? '',
        placeHolder: entity.text,
        prompt: 'The full name this mention refers to, e.g. "Abdelouafi Laftit" for "M. Laftit". Empty removes it. The sidebar can group entities by it.',
      });
      if (canonical === undefined) return false;
    }
    const ids = new Set([entity.id]);
    const namesakes = ann.sidecar.entities.filter((e) => e.id !== entity.id && e.suggested !== true && e.label === entity.label && e.text === entity.text);
    let same = opts.sameText;
    if (same === undefined && namesakes.length > 0) {
      const pick = await vscode.window.showQuickPick(
        [{ label: 'This entity only', same: false }, { label: `Also the ${namesakes.length} other ${entity.label} "${entity.text}" in this article`, same: true }],
        { title: 'Link which entities?' });
      if (!pick) return false;
      same = pick.same;
    }
    if (same) for (const e of namesakes) ids.add(e.id);
    const result = await this.store.apply(article, `link ${[...ids].join(', ')}`, (s) => setAttributes(s, ids, { kb: kb.trim(), canonical: canonical.trim() }));
    return result === 'changed';
  }

  /** The entity named by `ref`, or the innermost one at the cursor (annotations before suggestions). */
  private async entityFor(ref: EntityRef | undefined, includeSuggestions: boolean): Promise<{ article: vscode.Uri; ann: DocAnnotations; entity: Entity } | undefined> {
    if (ref && typeof ref.article === 'string') {
      const article = vscode.Uri.parse(ref.article);
      const ann = await this.store.load(article);
      const entity = ann.kind === 'ok' ? ann.sidecar.entities.find((e) => e.id === ref.id) : undefined;
      return entity ? { article, ann, entity } : undefined;
    }
    const editor = vscode.window.activeTextEditor;
    if (!editor) {
      void vscode.window.showInformationMessage('Open an article and put the cursor on an entity first.');
      return undefined;
    }
    const ann = await this.store.load(editor.document.uri);
    if (ann.kind !== 'ok') return undefined;
    const at = toCodePoint(editor.document, ann.offsets, editor.selection.active);
    const hits = entitiesAt(ann.sidecar, at);
    const entity = hits.find((e) => e.suggested !== true) ?? (includeSuggestions ? hits[0] : undefined);
    if (!entity) {
      void vscode.window.setStatusBarMessage('Corpus Annotator: put the cursor on an entity first (tag it if needed)', 4000);
      return undefined;
    }
    return { article: editor.document.uri, ann, entity };
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** An article named by an ArticleRef or by a sidebar row (document or Suggestions). */
function articleRefOf(arg: unknown): ArticleRef | undefined {
  if (!arg || typeof arg !== 'object') return undefined;
  const a = (arg as { article?: unknown }).article;
  if (a instanceof vscode.Uri) return { article: a.toString() };
  return typeof a === 'string' ? { article: a } : undefined;
}

/** The kb id another entity of the same text and label already has in the article. */
function suggestedKb(ann: DocAnnotations, entity: Entity): string | undefined {
  return ann.sidecar.entities.find((e) => e.text === entity.text && e.label === entity.label && e.attrs?.kb)?.attrs?.kb;
}

function suggestedCanonical(ann: DocAnnotations, entity: Entity): string | undefined {
  return ann.sidecar.entities.find((e) => e.text === entity.text && e.label === entity.label && e.attrs?.canonical)?.attrs?.canonical;
}
