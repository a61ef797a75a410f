// The "Annotations" sidebar: every entity of the corpus, grouped by document (folder → document →
// label → entity) or by label (label → surface form → occurrence), with counts, a filter, and the
// tree-only commands (reveal, relabel, remove, go to sidecar line). Reads the store, never writes it:
// changes go through the tagging commands. Whole-corpus rows (totals, label groups, what a filter
// matches) come from the corpus counts' summaries (core/corpus/corpus-view.ts), never from loading every
// article; a document's own rows come from the store when it is expanded. Long lists are paged.
// What the rows are and say (ids, order, counts, descriptions, tooltips) is core/corpus/tree-model.ts's,
// pure and unit-tested; this file adapts it to VS Code (items, icons, commands, refresh, loading).
import * as vscode from 'vscode';
import { decodeArticle } from '../core/model/article';
import { DEFAULT_CONFIG, LabelConfig, LabelDef } from '../core/config/config';
import { DocumentSummary, mentionEntity } from '../core/corpus/corpus-index';
import { MentionGroups, Occurrence, page, PAGE_SIZE } from '../core/corpus/corpus-view';
import { displayText, EntityFilter, highlights, matchesFilter, parseFilter } from '../core/corpus/entity-filter';
import { baseName, Entity, Status } from '../core/model/model';
import { readSidecar } from '../core/sidecar/sidecar-read';
import { isSuggestion, suggestionsOf } from '../core/suggest/suggest';
import {
  documentDescription, documentRows, documentTooltip, entityDescription, entityRows, entityTooltip, FilterCounts, gainDescription, GainSnapshot,
  gainTooltip, knownLabels, labelDef, labelDotSvg, labelOrder, labelTooltip, LineIndex, lineOfId, loadedDocumentCounts, plural, problemRows, count as countText,
  reanchorProblemTitle, ROOT_ID, rowIds, sortByGain, suggestionsTooltip, TooltipPart, TreeGrouping, viewHeader,
} from '../core/corpus/tree-model';
import { EntityRef, entityRefOf } from './commands';
import { Corpus } from './corpus';
import { CorpusCounts, CountsChange } from './corpus-counts';
import { ExpectedGains } from './expected-gain';
import { LabelService, themeColor } from './labels';
import { toRange } from './positions';
import { AnnotationStore, DocAnnotations } from './store';
import { registerCommand } from './register-command';
import { readBytes } from './read-file';

type Grouping = TreeGrouping;

type TreeNode =
  | { readonly kind: 'folder'; readonly id: string; readonly folder: vscode.WorkspaceFolder }
  | { readonly kind: 'document'; readonly id: string; readonly article: vscode.Uri }
  /** The one child of a document whose sidecar has errors: explains, and opens the sidecar. */
  | { readonly kind: 'problem'; readonly id: string; readonly article: vscode.Uri; readonly index?: number; readonly dropOrphans?: boolean }
  | { readonly kind: 'docLabel'; readonly id: string; readonly article: vscode.Uri; readonly label: string }
  /** A document's suggestions awaiting a decision (tag all occurrences, gazetteer, patterns). */
  | { readonly kind: 'suggestions'; readonly id: string; readonly article: vscode.Uri }
  | { readonly kind: 'label'; readonly id: string; readonly label: string }
  | { readonly kind: 'surface'; readonly id: string; readonly label: string; readonly surface: string }
  /** An entity: under a docLabel (grouping document) or a surface (grouping label, shown as an occurrence, with its surface key). */
  | { readonly kind: 'entity'; readonly id: string; readonly article: vscode.Uri; readonly entity: Entity; readonly line: number; readonly grouping: Grouping; readonly surface?: string }
  /** The last row of a paged list: shows PAGE_SIZE more of its parent's children. */
  | { readonly kind: 'more'; readonly id: string; readonly parent: TreeNode | undefined; readonly remaining: number };

type EntityNode = Extract<TreeNode, { kind: 'entity' }>;

// Rows other than documents and folders are made afresh (by getChildren, and by getParent for
// reveal): their ids are the same both ways (rowIds).
function labelNode(label: string): TreeNode {
  return { kind: 'label', id: rowIds.label(label), label };
}

function surfaceNode(label: string, surface: string): TreeNode {
  return { kind: 'surface', id: rowIds.surface(label, surface), label, surface };
}

function docLabelNode(article: vscode.Uri, label: string): TreeNode {
  return { kind: 'docLabel', id: rowIds.docLabel(article.toString(), label), article, label };
}

function suggestionsNode(article: vscode.Uri): TreeNode {
  return { kind: 'suggestions', id: rowIds.suggestions(article.toString()), article };
}

function entityNode(article: vscode.Uri, entity: Entity, line: number, grouping: Grouping, surface?: string): EntityNode {
  return { kind: 'entity', id: rowIds.entity(article.toString(), entity.id, grouping), article, entity, line, grouping, ...(surface !== undefined ? { surface } : {}) };
}

function moreNode(parent: TreeNode | undefined, remaining: number): TreeNode {
  return { kind: 'more', id: rowIds.more(parent?.id), parent, remaining };
}

/** What the test-only command `corpusAnnotator.tree._children` returns for each row. */
interface TreeRowSnapshot {
  id: string | undefined;
  label: string;
  description: string | undefined;
  tooltip: string | undefined;
  contextValue: string | undefined;
  collapsible: 'none' | 'collapsed' | 'expanded';
  icon: string | undefined;
  command: { command: string; arguments: unknown[] } | undefined;
}

const STATUS_ICONS: Record<Status, vscode.ThemeIcon> = {
  todo: new vscode.ThemeIcon('circle-large-outline'),
  'in-progress': new vscode.ThemeIcon('pencil', new vscode.ThemeColor('charts.blue')),
  done: new vscode.ThemeIcon('pass', new vscode.ThemeColor('charts.green')),
  reviewed: new vscode.ThemeIcon('verified-filled', new vscode.ThemeColor('charts.green')),
};

/** Documents loaded (or articles read for line numbers) at once. */
const LOAD_CONCURRENCY = 8;
/** Store changes arriving within this many ms refresh the tree once. */
const REFRESH_DELAY_MS = 60;

export class AnnotationTree implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly view: vscode.TreeView<TreeNode>;
  private readonly disposables: vscode.Disposable[] = [this.emitter];

  private grouping: Grouping = 'document';
  private filter: EntityFilter | undefined;
  /**
   * Documents by expected gain (grouping by document): the snapshot they are sorted by, taken when
   * asked; undefined: by name. Never recomputed on a change, so rows do not move under the annotator.
   */
  private gains: GainSnapshot | undefined;

  /** Document and folder nodes are kept, so a change fires the very object the view holds. */
  private readonly docNodes = new Map<string, Extract<TreeNode, { kind: 'document' }>>();
  private readonly folderNodes = new Map<string, Extract<TreeNode, { kind: 'folder' }>>();
  private readonly lineIndexes = new Map<string, LineIndex>();
  /** Label → surface → occurrences for the current grouping and filter, kept current per document; built when first needed. */
  private groups: MentionGroups | undefined;
  /** The groups being built (a slice at a time), and the per-document changes that arrived meanwhile. */
  private building: { readonly grouping: string; readonly filter: EntityFilter | undefined; readonly changes: Array<Exclude<CountsChange, undefined>>; stale: boolean; done: Promise<MentionGroups | undefined> } | undefined;
  /** With a filter: how many entities of each document it shows, and their sum. */
  private filterCounts: FilterCounts | undefined;
  /** Rows shown under a paged parent (by its id), beyond the first PAGE_SIZE. */
  private readonly shown = new Map<string, number>();
  /** Rows per page (PAGE_SIZE; tests set a small one through `tree._pageSize`). */
  private pageStep = PAGE_SIZE;

  private readonly pendingDocs = new Set<string>();
  private readonly refreshed: string[] = [];
  private rootPending = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private descriptionTimer: ReturnType<typeof setTimeout> | undefined;
  private activeLoads = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly store: AnnotationStore,
    private readonly corpus: Corpus,
    private readonly labels: LabelService,
    private readonly log: vscode.LogOutputChannel,
    private readonly counts: CorpusCounts,
    private readonly expectedGains: ExpectedGains,
  ) {
    this.view = vscode.window.createTreeView('corpusAnnotator.entities', { treeDataProvider: this, showCollapseAll: true });
    this.disposables.push(
      this.view,
      expectedGains,
      store.onDidChange(({ article }) => this.onStoreChanged(article)),
      corpus.onDidChangeArticles(() => this.onArticlesChanged()),
      counts.onDidChange((change) => this.onCountsChanged(change)),
      labels.onDidChange(() => this.refreshRoot()),
      this.view.onDidChangeVisibility((e) => {
        if (!e.visible) return;
        this.scheduleDescription();
        void this.revealActive();
      }),
      vscode.window.onDidChangeActiveTextEditor(() => void this.revealActive()),
    );

    const reg = (id: string, f: (...args: never[]) => unknown) => this.disposables.push(registerCommand(this.log, id, f));
    reg('tree.groupByDocument', () => this.setGrouping('document'));
    reg('tree.groupByLabel', () => this.setGrouping('label'));
    reg('tree.groupByEntity', () => this.setGrouping('entity'));
    reg('tree.sortByGain', () => this.sortByGain());
    reg('tree.sortByName', () => this.setGains(undefined));
    reg('tree.filter', (text?: string) => this.askFilter(text));
    reg('tree.clearFilter', () => this.setFilter(undefined));
    reg('tree.refresh', () => this.reloadAll());
    reg('tree.reveal', (arg?: unknown) => this.revealEntity(arg));
    reg('tree.relabel', (arg?: unknown) => this.delegate('corpusAnnotator.changeLabel', arg));
    reg('tree.remove', (arg?: unknown) => this.delegate('corpusAnnotator.removeTag', arg));
    reg('tree.openSidecarLine', (arg?: unknown) => this.openSidecarLine(arg));
    reg('tree.showMore', (id?: string) => this.showMore(id));
    // TEST-ONLY (registered here, not contributed in package.json, so never in the palette or a
    // menu): the integration tests read the tree through these, as the view itself would.
    reg('tree._children', (path?: string[]) => this.snapshotChildren(path ?? []));
    reg('tree._pageSize', (n?: number) => {
      this.pageStep = typeof n === 'number' && n >= 1 ? Math.floor(n) : PAGE_SIZE;
      this.shown.clear();
      this.refreshRoot();
    });
    reg('tree._reveal', () => this.revealActive());
    reg('tree._state', (clearRefreshed?: boolean) => {
      const counted = this.counts.totals();
      const state = { grouping: this.grouping, filter: this.filter?.raw, sortedByGain: !!this.gains, description: this.view.description, selection: this.view.selection.map((n) => n.id), visible: this.view.visible, message: this.view.message, refreshed: [...this.refreshed], refreshPending: !!this.refreshTimer,
        counted: counted && { documents: counted.documents, entities: counted.entities, suggestions: counted.suggestions, invalid: counted.invalid } };
      if (clearRefreshed) this.refreshed.length = 0;
      return state;
    });

    void vscode.commands.executeCommand('setContext', 'corpusAnnotator.grouping', this.grouping);
    void vscode.commands.executeCommand('setContext', 'corpusAnnotator.filtered', false);
    void vscode.commands.executeCommand('setContext', 'corpusAnnotator.sortedByGain', false);
  }

  // ---- TreeDataProvider ------------------------------------------------------------------------

  async getChildren(element?: TreeNode): Promise<TreeNode[]> {
    if (!element) return this.rootChildren();
    switch (element.kind) {
      case 'folder':
        return this.paged(element, await this.documentNodes(element.folder));
      case 'document':
        return this.documentChildren(element.article);
      case 'docLabel':
        return this.entityRows(element.article, element.label);
      case 'suggestions':
        return this.entityRows(element.article, undefined);
      case 'label': {
        const { items, more } = page((await this.mentionGroups()).surfaces(element.label), this.pageSize(element));
        const rows = items.map(([surface]) => surfaceNode(element.label, surface));
        return more ? [...rows, moreNode(element, more)] : rows;
      }
      case 'surface': {
        const groups = await this.mentionGroups();
        const { items, more } = page(groups.occurrences(element.label, element.surface), this.pageSize(element));
        const rows = await this.occurrenceNodes(element.surface, items.map((code) => groups.occurrence(code)));
        return more ? [...rows, moreNode(element, more)] : rows;
      }
      default:
        return [];
    }
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'folder':
        return this.folderItem(node);
      case 'document':
        return this.documentItem(node);
      case 'problem':
        return this.problemItem(node);
      case 'docLabel':
        return this.docLabelItem(node);
      case 'suggestions':
        return this.suggestionsItem(node);
      case 'label':
        return this.labelItem(node);
      case 'surface':
        return this.surfaceItem(node);
      case 'entity':
        return this.entityItem(node);
      case 'more':
        return this.moreItem(node);
    }
  }

  getParent(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'folder':
      case 'label':
        return undefined;
      case 'document':
        return this.parentOfDocument(node.article);
      case 'problem':
      case 'docLabel':
      case 'suggestions':
        return this.docNode(node.article);
      case 'surface':
        return labelNode(node.label);
      case 'entity': {
        if (node.grouping === 'document') {
          return isSuggestion(node.entity) ? suggestionsNode(node.article) : docLabelNode(node.article, node.entity.label);
        }
        return surfaceNode(node.entity.label, node.surface ?? displayText(node.entity.text));
      }
      case 'more':
        return node.parent;
    }
  }

  // ---- children --------------------------------------------------------------------------------

  private async rootChildren(): Promise<TreeNode[]> {
    await this.corpus.ready();
    if (this.grouping !== 'document') {
      const groups = await this.mentionGroups();
      return [...groups.labels.keys()]
        .sort(this.labelOrder(undefined))
        .map(labelNode);
    }
    const folders = this.corpusFolders();
    // Paged: VS Code builds an item for every row it is given, 10,000 documents at once blocked the host for seconds.
    if (folders.length <= 1) return this.paged(undefined, await this.documentNodes(folders[0]));
    const nodes: TreeNode[] = [];
    for (const folder of folders) {
      if (this.filter && (await this.documentNodes(folder)).length === 0) continue;
      nodes.push(this.folderNode(folder));
    }
    return nodes;
  }

  /** The corpus documents of a folder (all of them when `folder` is undefined); with a filter, those with matches. */
  private async documentNodes(folder: vscode.WorkspaceFolder | undefined): Promise<TreeNode[]> {
    await this.corpus.ready();
    // With one folder every article is in it: no workspace-folder lookup per article at each refresh (10,000 of them).
    const key = this.corpusFolders().length > 1 ? folder?.uri.toString() : undefined;
    const articles = key === undefined ? this.corpus.list() : this.corpus.list().filter((uri) => vscode.workspace.getWorkspaceFolder(uri)?.uri.toString() === key);
    // By gain: from the snapshot alone (a map lookup per article), so paging stays as cheap as by name.
    const ordered = this.gains ? sortByGain(articles, (uri) => uri.toString(), this.gains) : articles;
    if (this.filter) {
      // Which documents match: from their summaries (a loaded document's is its live model).
      const counts = this.filterCounts ?? this.countFiltered();
      return ordered.filter((uri) => (counts?.perDoc.get(uri.toString()) ?? 0) > 0).map((uri) => this.docNode(uri));
    }
    // Unfiltered: listed at once, each one loads when its row is drawn (see documentItem).
    return ordered.map((uri) => this.docNode(uri));
  }

  private async documentChildren(article: vscode.Uri): Promise<TreeNode[]> {
    const ann = await this.store.load(article);
    const doc = article.toString();
    if (ann.kind === 'invalid') {
      // One row per error (orphaned and ambiguous entities included), each opening its sidecar line;
      // first, when only orphans are left after re-anchoring, the one-click way to drop them.
      const pending = ann.reanchorPending?.result;
      return problemRows(ann.problems, pending && { ambiguous: pending.ambiguous.length, orphans: pending.orphans.length }).map((row): TreeNode =>
        'dropOrphans' in row ? { kind: 'problem', id: rowIds.dropOrphans(doc), article, dropOrphans: true }
          : 'index' in row ? { kind: 'problem', id: rowIds.problem(doc, row.index), article, index: row.index }
            : { kind: 'problem', id: rowIds.problems(doc), article });
    }
    if (ann.kind !== 'ok') return [];
    const { suggestions, labels } = documentRows(ann.sidecar.entities, this.filter, this.labelOrder(article));
    return [...(suggestions ? [suggestionsNode(article)] : []), ...labels.map((label) => docLabelNode(article, label))];
  }

  /** The entity rows under a document's label (or its Suggestions row: `label` undefined) that the filter shows, in text order. */
  private async entityRows(article: vscode.Uri, label: string | undefined): Promise<TreeNode[]> {
    const ann = await this.store.load(article);
    if (ann.kind !== 'ok') return [];
    return entityRows(ann.sidecar.entities, label, this.filter).map((e) => entityNode(ann.article, e, this.lineOf(ann, e), 'document'));
  }

  /** 1-based line of an entity's start in the article: line breaks before its UTF-16 offset. */
  private lineOf(ann: DocAnnotations, entity: Entity): number {
    const key = ann.article.toString();
    let index = this.lineIndexes.get(key);
    if (!index || index.text !== ann.text) {
      index = new LineIndex(ann.text);
      this.lineIndexes.set(key, index);
    }
    return index.lineOf(ann.offsets.toUtf16(entity.start));
  }

  /** The label → surface → occurrence groups of the whole corpus, from the summaries (built once, then kept current). */
  private async mentionGroups(): Promise<MentionGroups> {
    await this.corpus.ready();
    // (A second opening's summaries get their mentions after their counts: a grouping without them would be empty.)
    await this.counts.mentionsReady();
    for (;;) {
      const grouping = this.grouping === 'entity' ? 'entity' : 'label';
      if (this.groups && this.groups.grouping === grouping) return this.groups;
      if (!this.building || this.building.grouping !== grouping || this.building.filter !== this.filter) {
        // Built a slice at a time (the host stays free for a tag meanwhile); the changes that
        // arrive during the build are applied to it at its end, in order.
        const build = { grouping, filter: this.filter, changes: [] as Array<Exclude<CountsChange, undefined>>, stale: false, done: undefined as unknown as Promise<MentionGroups | undefined> };
        const started = performance.now();
        build.done = MentionGroups.build(grouping, this.filter, this.corpusSummaries(), () => new Promise((r) => setTimeout(r, 0))).then((groups) => {
          if (this.building === build) this.building = undefined;
          if (build.stale) return undefined;
          for (const c of build.changes) {
            if (!groups.update(c.article.toString(), c.before, this.corpus.has(c.article) ? c.after : undefined)) return undefined;
          }
          this.log.info(`grouped the corpus by ${grouping}${build.filter ? ` (filter ${build.filter.raw})` : ''} in ${(performance.now() - started).toFixed(0)} ms`);
          // Kept unless the view moved on meanwhile (by document: memory back, see setGrouping).
          if (build.filter === this.filter && this.grouping === grouping) this.groups = groups;
          return groups;
        });
        this.building = build;
      }
      const groups = await this.building.done;
      // Undefined: outdated meanwhile (a pass, a change it cannot take in place): once more.
      if (groups) return groups;
    }
  }

  /** The summaries of the corpus articles (a file summarised but no longer an article is left out). */
  private *corpusSummaries(): Generator<readonly [string, DocumentSummary]> {
    for (const entry of this.counts.documents()) if (this.corpus.has(vscode.Uri.parse(entry[0]))) yield entry;
  }

  /** Per document, how many entities the filter shows, and their sum (undefined without a filter). */
  private countFiltered(): FilterCounts | undefined {
    return (this.filterCounts = this.filter ? new FilterCounts(this.filter, this.corpusSummaries()) : undefined);
  }

  /**
   * Occurrence rows for one page: each with its line in the article, from the store for a loaded
   * document (its live text), otherwise from the article read once for the page (and not kept).
   */
  private async occurrenceNodes(surface: string, occurrences: readonly Occurrence[]): Promise<TreeNode[]> {
    const byDoc = new Map<string, number[]>();
    for (const o of occurrences) {
      let list = byDoc.get(o.doc);
      if (!list) byDoc.set(o.doc, (list = []));
      list.push(o.index);
    }
    const rows = new Map<string, EntityNode>();
    const grouping = this.grouping;
    await Promise.all([...byDoc].map(([doc, indexes]) => this.limited(async () => {
      const article = this.docNode(vscode.Uri.parse(doc)).article;
      const mentions = this.counts.get(article)?.mentions;
      if (!mentions) return;
      const ann = this.store.get(article);
      const live = ann?.kind === 'ok' ? new Map(ann.sidecar.entities.map((e) => [e.id, e])) : undefined;
      let lineOf: (e: Entity) => number = () => 1;
      if (ann && live) lineOf = (e) => this.lineOf(ann, e);
      else {
        try {
          const { text, offsets } = decodeArticle(await readBytes(article));
          const lines = new LineIndex(text);
          lineOf = (e) => lines.lineOf(offsets.toUtf16(Math.min(e.start, offsets.codePointLength)));
        } catch (e) {
          this.log.warn(`cannot read ${article.fsPath} for line numbers: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      for (const i of indexes) {
        const summarised = mentionEntity(mentions, i);
        const entity = live?.get(summarised.id) ?? summarised;
        rows.set(`${doc}#${i}`, entityNode(article, entity, lineOf(entity), grouping, surface));
      }
    })));
    return occurrences.map((o) => rows.get(`${o.doc}#${o.index}`)).filter((n): n is EntityNode => !!n);
  }

  private pageSize(node: TreeNode | undefined): number {
    return this.shown.get(node?.id ?? ROOT_ID) ?? this.pageStep;
  }

  /** The first page of `rows` under `parent` (undefined: the root), and a "Show more" row after it when there are more. */
  private paged(parent: TreeNode | undefined, rows: TreeNode[]): TreeNode[] {
    const { items, more } = page(rows, this.pageSize(parent));
    return more ? [...items, moreNode(parent, more)] : [...items];
  }

  /** The "Show more" row: PAGE_SIZE more rows under its parent. */
  private showMore(id: unknown): void {
    if (typeof id !== 'string') return;
    this.shown.set(id, (this.shown.get(id) ?? this.pageStep) + this.pageStep);
    this.refreshRoot();
  }

  // ---- items -----------------------------------------------------------------------------------

  private folderItem(node: Extract<TreeNode, { kind: 'folder' }>): vscode.TreeItem {
    const item = new vscode.TreeItem(node.folder.name, vscode.TreeItemCollapsibleState.Expanded);
    item.id = node.id;
    const docs = this.corpus.list().filter((u) => vscode.workspace.getWorkspaceFolder(u)?.uri.toString() === node.folder.uri.toString());
    item.description = plural(docs.length, 'document');
    item.tooltip = node.folder.uri.fsPath;
    item.iconPath = new vscode.ThemeIcon('root-folder');
    item.contextValue = ';folder;';
    return item;
  }

  private documentItem(node: Extract<TreeNode, { kind: 'document' }>): vscode.TreeItem {
    const item = this.documentItemByName(node);
    if (!this.gains) return item;
    // Sorted by gain: the figure first, and in the tooltip what it is and that it is a snapshot.
    const entry = this.gains.entries.get(node.article.toString());
    item.description = `${gainDescription(entry)} · ${typeof item.description === 'string' ? item.description : ''}`;
    const tip = typeof item.tooltip === 'string' ? new vscode.MarkdownString().appendText(item.tooltip) : item.tooltip ?? new vscode.MarkdownString();
    item.tooltip = appendTooltip(tip, gainTooltip(entry, this.gains));
    return item;
  }

  private documentItemByName(node: Extract<TreeNode, { kind: 'document' }>): vscode.TreeItem {
    const uri = node.article;
    const name = baseName(uri.path);
    const ann = this.store.get(uri);
    const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    const dir = relativeDir(uri);
    const where = dir ? ` · ${dir}` : '';
    const summary = ann ? undefined : this.counts.get(uri);
    if (!ann && summary) {
      // Not loaded yet: drawn from the corpus counts; the document loads when it is expanded.
      if (summary.state === 'invalid') {
        item.description = `sidecar has errors${where}`;
        item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
        item.contextValue = ';document;invalid;';
      } else {
        const status = summary.status ?? 'todo';
        const filtered = this.filter ? this.filterCounts?.perDoc.get(uri.toString()) ?? 0 : undefined;
        item.description = documentDescription({ entities: summary.entities, suggestions: summary.suggestions, status, dir, ...(filtered !== undefined ? { filtered } : {}) });
        item.iconPath = STATUS_ICONS[status];
        item.contextValue = summary.suggestions > 0 ? ';document;hasSuggestions;' : ';document;';
        if (summary.entities + summary.suggestions === 0) item.collapsibleState = vscode.TreeItemCollapsibleState.None;
      }
      item.tooltip = vscode.workspace.asRelativePath(uri);
      return item;
    }
    if (!ann) {
      // Drawn again when the corpus counts reach it.
      item.description = `loading…${where}`;
      item.iconPath = new vscode.ThemeIcon('loading~spin');
      item.contextValue = ';document;';
      return item;
    }
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(vscode.workspace.asRelativePath(uri));
    if (ann.kind === 'invalid') {
      item.description = `sidecar has errors${where}`;
      item.iconPath = new vscode.ThemeIcon('warning', new vscode.ThemeColor('problemsWarningIcon.foreground'));
      item.contextValue = ';document;invalid;';
      appendTooltip(tooltip, documentTooltip({ kind: 'invalid', problems: ann.problems }));
    } else if (ann.kind === 'unreadable') {
      item.collapsibleState = vscode.TreeItemCollapsibleState.None;
      item.description = `cannot be read${where}`;
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
      item.contextValue = ';document;unreadable;';
      appendTooltip(tooltip, documentTooltip({ kind: 'unreadable', problems: ann.problems }));
    } else {
      const { total, suggestions, shown } = loadedDocumentCounts(ann.sidecar.entities, this.filter);
      const status = ann.sidecar.status;
      item.description = documentDescription({ entities: total, suggestions, status, unsaved: ann.pendingSave, dir, ...(this.filter ? { filtered: shown } : {}) });
      item.iconPath = STATUS_ICONS[status];
      item.contextValue = suggestions > 0 ? ';document;hasSuggestions;' : ';document;';
      if (shown === 0) item.collapsibleState = vscode.TreeItemCollapsibleState.None;
      appendTooltip(tooltip, documentTooltip({ kind: 'ok', status, total, sidecarExists: ann.sidecarExists, pendingSave: ann.pendingSave }));
    }
    item.tooltip = tooltip;
    return item;
  }

  private problemItem(node: Extract<TreeNode, { kind: 'problem' }>): vscode.TreeItem {
    const ann = this.store.get(node.article);
    if (node.dropOrphans && ann?.reanchorPending) {
      const { orphans, entities } = ann.reanchorPending.result;
      const item = new vscode.TreeItem(`Drop ${plural(orphans.length, 'orphan')}, keep the ${countText(entities.length)} found again`, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = 'the article changed';
      item.tooltip = `The article changed since it was annotated: ${entities.length} entities were found again, ${orphans.map((e) => `${e.label} "${e.text}"`).join(', ')} no longer appear. Click to drop those and save (asks first).`;
      item.iconPath = new vscode.ThemeIcon('pinned');
      item.contextValue = ';problem;reanchor;';
      item.command = { command: 'corpusAnnotator.reanchor', title: 'Re-anchor Annotations…', arguments: [{ article: node.article.toString() }] };
      return item;
    }
    const problem = node.index !== undefined ? ann?.problems[node.index] : undefined;
    if (problem) {
      const entity = problem.entityId ? ann?.reanchorPending?.sidecar.entities.find((e) => e.id === problem.entityId) : undefined;
      const title = reanchorProblemTitle(problem, entity, entity ? displayText(entity.text) : '') ?? problem.message;
      const item = new vscode.TreeItem(title, vscode.TreeItemCollapsibleState.None);
      item.id = node.id;
      item.description = `line ${problem.line}`;
      item.tooltip = problem.message;
      item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('problemsErrorIcon.foreground'));
      item.contextValue = ';problem;';
      item.command = problem.code === 'ambiguous' && problem.entityId
        ? { command: 'corpusAnnotator.reanchor', title: 'Choose Where It Is…', arguments: [{ article: node.article.toString(), entity: problem.entityId }] }
        : { command: 'corpusAnnotator.tree.openSidecarLine', title: 'Open Sidecar', arguments: [node] };
      if (problem.code === 'ambiguous') item.tooltip = `${problem.message}\n\nClick to choose among the candidates.`;
      return item;
    }
    const errors = ann?.problems.filter((p) => p.severity === 'error') ?? [];
    const first = errors[0];
    const item = new vscode.TreeItem('Sidecar has errors: open it to fix them', vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = first ? `${plural(errors.length, 'error')} · line ${first.line}: ${first.message}` : undefined;
    item.tooltip = 'Annotations of this article are not shown or changed until its sidecar is valid. Click to open the sidecar at the first error.';
    item.iconPath = new vscode.ThemeIcon('go-to-file');
    item.contextValue = ';problem;';
    item.command = { command: 'corpusAnnotator.tree.openSidecarLine', title: 'Open Sidecar', arguments: [node] };
    return item;
  }

  private docLabelItem(node: Extract<TreeNode, { kind: 'docLabel' }>): vscode.TreeItem {
    const ann = this.store.get(node.article);
    const count = ann?.sidecar.entities.filter((e) => e.label === node.label && matchesFilter(this.filter, e)).length ?? 0;
    const def = this.labelDef(node.label, node.article);
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    item.description = countText(count);
    item.iconPath = labelIcon(def);
    item.tooltip = labelTooltip(node.label, count, def);
    item.contextValue = ';label;';
    return item;
  }

  private suggestionsItem(node: Extract<TreeNode, { kind: 'suggestions' }>): vscode.TreeItem {
    const ann = this.store.get(node.article);
    const suggestions = ann ? suggestionsOf(ann.sidecar).filter((e) => matchesFilter(this.filter, e)) : [];
    const item = new vscode.TreeItem('Suggestions', vscode.TreeItemCollapsibleState.Expanded);
    item.id = node.id;
    item.description = String(suggestions.length);
    item.iconPath = new vscode.ThemeIcon('lightbulb', new vscode.ThemeColor('corpusAnnotator.suggestion'));
    item.tooltip = suggestionsTooltip(suggestions);
    item.contextValue = ';suggestions;';
    return item;
  }

  private moreItem(node: Extract<TreeNode, { kind: 'more' }>): vscode.TreeItem {
    const n = Math.min(this.pageStep, node.remaining);
    const item = new vscode.TreeItem(`Show ${n} more…`, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = `${node.remaining} not shown`;
    item.iconPath = new vscode.ThemeIcon('ellipsis');
    item.contextValue = ';more;';
    item.command = { command: 'corpusAnnotator.tree.showMore', title: 'Show More', arguments: [node.parent?.id ?? ROOT_ID] };
    return item;
  }

  private labelItem(node: Extract<TreeNode, { kind: 'label' }>): vscode.TreeItem {
    const group = this.groups?.labels.get(node.label);
    const count = group?.count ?? 0;
    const def = this.labelDef(node.label, undefined);
    const item = new vscode.TreeItem(node.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    item.description = countText(count);
    item.iconPath = labelIcon(def);
    item.tooltip = labelTooltip(node.label, count, def, group?.surfaces.size ?? 0);
    item.contextValue = ';label;';
    return item;
  }

  private surfaceItem(node: Extract<TreeNode, { kind: 'surface' }>): vscode.TreeItem {
    const groups = this.groups;
    const occurrences = groups?.occurrences(node.label, node.surface) ?? [];
    const docs = groups ? new Set(occurrences.map((code) => groups.occurrence(code).doc)).size : 0;
    const item = new vscode.TreeItem({ label: node.surface, highlights: highlights(this.filter, node.surface) }, vscode.TreeItemCollapsibleState.Collapsed);
    item.id = node.id;
    item.description = String(occurrences.length);
    item.tooltip = `${node.label} "${node.surface}": ${plural(occurrences.length, 'occurrence')} in ${plural(docs, 'document')}`;
    item.iconPath = new vscode.ThemeIcon('symbol-text');
    item.contextValue = ';surface;';
    return item;
  }

  private entityItem(node: EntityNode): vscode.TreeItem {
    const e = node.entity;
    const text = displayText(e.text);
    const label: vscode.TreeItemLabel = node.grouping === 'label'
      ? { label: baseName(node.article.path) }
      : { label: text, highlights: highlights(this.filter, text) };
    const item = new vscode.TreeItem(label, vscode.TreeItemCollapsibleState.None);
    item.id = node.id;
    item.description = entityDescription(e, node.grouping, baseName(node.article.path), node.line);
    item.contextValue = e.suggested === true ? ';entity;removable;suggestion;' : ';entity;removable;';
    const ref: EntityRef = { article: node.article.toString(), id: e.id };
    item.command = { command: 'corpusAnnotator.tree.reveal', title: 'Reveal Entity', arguments: [ref] };
    item.tooltip = appendTooltip(new vscode.MarkdownString(), entityTooltip(e, text, baseName(node.article.path), node.line));
    if (e.suggested === true) item.iconPath = new vscode.ThemeIcon('lightbulb');
    else if (e.note) item.iconPath = new vscode.ThemeIcon('note');
    return item;
  }

  // ---- nodes -----------------------------------------------------------------------------------

  private docNode(uri: vscode.Uri): Extract<TreeNode, { kind: 'document' }> {
    const key = uri.toString();
    let node = this.docNodes.get(key);
    if (!node) this.docNodes.set(key, (node = { kind: 'document', id: rowIds.document(key), article: uri }));
    return node;
  }

  private folderNode(folder: vscode.WorkspaceFolder): Extract<TreeNode, { kind: 'folder' }> {
    const key = folder.uri.toString();
    let node = this.folderNodes.get(key);
    if (!node || node.folder !== folder) this.folderNodes.set(key, (node = { kind: 'folder', id: rowIds.folder(key), folder }));
    return node;
  }

  private parentOfDocument(uri: vscode.Uri): TreeNode | undefined {
    if (this.corpusFolders().length <= 1) return undefined;
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    return folder ? this.folderNode(folder) : undefined;
  }

  private corpusFolders(): readonly vscode.WorkspaceFolder[] {
    return vscode.workspace.workspaceFolders ?? [];
  }

  // ---- labels ----------------------------------------------------------------------------------

  /** The label configurations that apply: the document's folder's, or every folder's in turn (the default without folders). */
  private configs(scope: vscode.Uri | undefined): LabelConfig[] {
    if (scope) return [this.labels.configFor(scope)];
    const configs = this.corpusFolders().map((f) => this.labels.configFor(f.uri));
    return configs.length ? configs : [DEFAULT_CONFIG];
  }

  private labelDef(name: string, scope: vscode.Uri | undefined): LabelDef | undefined {
    return labelDef(name, this.configs(scope), scope !== undefined);
  }

  /** Configuration order (of the document's folder, or of every folder in turn), unknown labels last by name. */
  private labelOrder(scope: vscode.Uri | undefined): (a: string, b: string) => number {
    return labelOrder(this.configs(scope));
  }

  // ---- loading ---------------------------------------------------------------------------------

  private async ensureLoaded(uris: readonly vscode.Uri[], force = false): Promise<void> {
    const todo = force ? uris : uris.filter((u) => !this.store.get(u));
    if (todo.length === 0) return;
    if (todo.length > LOAD_CONCURRENCY) this.view.message = `Loading the annotations of ${plural(todo.length, 'document')}…`;
    try {
      await Promise.all(todo.map((u) => this.limited(() => this.store.load(u, force)).catch((e) => {
        this.log.error(`cannot load the annotations of ${u.fsPath}: ${String(e)}`);
      })));
    } finally {
      if (todo.length > LOAD_CONCURRENCY) this.updateDescription();
    }
  }

  /** Runs `f` with at most LOAD_CONCURRENCY others: a large corpus is not read all at once. */
  private async limited<T>(f: () => Promise<T>): Promise<T> {
    while (this.activeLoads >= LOAD_CONCURRENCY) await new Promise<void>((r) => this.waiting.push(r));
    this.activeLoads++;
    try {
      return await f();
    } finally {
      this.activeLoads--;
      this.waiting.shift()?.();
    }
  }

  // ---- refresh ---------------------------------------------------------------------------------

  private onStoreChanged(article: vscode.Uri): void {
    if (!this.corpus.has(article)) return;
    // (The groups and filter counts follow the corpus counts, which follow the store.)
    if (this.grouping === 'document' && !this.filter) {
      // Only this document's row and its subtree: the rest of the tree is untouched.
      this.pendingDocs.add(article.toString());
      this.scheduleRefresh();
    } else {
      // Counts of labels and surface forms, and which documents match, span the corpus.
      this.refreshRoot();
    }
    this.scheduleDescription();
  }

  /** A document's summary changed (its sidecar on disk, or the store's live model), or many did. */
  private onCountsChanged(change: CountsChange): void {
    if (!change) {
      // A pass over the corpus: everything is redone once, from the new summaries.
      this.dropGroups();
      if (this.filter) this.countFiltered();
      this.refreshRoot();
      this.updateDescription();
      return;
    }
    const key = change.article.toString();
    const inCorpus = this.corpus.has(change.article);
    if (this.groups && !this.groups.update(key, change.before, inCorpus ? change.after : undefined)) this.groups = undefined;
    this.building?.changes.push(change);
    this.filterCounts?.update(key, inCorpus ? change.after : undefined);
    if (this.store.get(change.article) && this.grouping === 'document' && !this.filter) return; // the store's own change event covers it
    if (this.grouping === 'document' && !this.filter) {
      this.pendingDocs.add(key);
      this.scheduleRefresh();
    } else {
      this.refreshRoot();
    }
    this.scheduleDescription();
  }

  private onArticlesChanged(): void {
    this.dropGroups();
    if (this.filter) this.countFiltered();
    const keep = new Set(this.corpus.list().map((u) => u.toString()));
    for (const k of [...this.docNodes.keys()]) if (!keep.has(k)) this.docNodes.delete(k);
    for (const k of [...this.lineIndexes.keys()]) if (!keep.has(k)) this.lineIndexes.delete(k);
    this.refreshRoot();
    this.scheduleDescription();
  }

  /** Forgets the groups, and any being built (they would be outdated): built again when next needed. */
  private dropGroups(): void {
    this.groups = undefined;
    if (this.building) this.building.stale = true;
    this.building = undefined;
  }

  private refreshRoot(): void {
    this.rootPending = true;
    this.scheduleRefresh();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      if (this.rootPending) {
        this.emitter.fire(undefined);
        this.recordRefresh(['root']);
      } else {
        const nodes = [...this.pendingDocs].map((k) => this.docNodes.get(k)).filter((n): n is Extract<TreeNode, { kind: 'document' }> => !!n);
        if (nodes.length) this.emitter.fire(nodes);
        this.recordRefresh(nodes.map((n) => n.id));
      }
      this.rootPending = false;
      this.pendingDocs.clear();
    }, REFRESH_DELAY_MS);
  }

  /** For the test-only `_state` command: which nodes the last refreshes fired ('root' for the whole tree). */
  private recordRefresh(ids: string[]): void {
    this.refreshed.push(...ids);
    if (this.refreshed.length > 200) this.refreshed.splice(0, this.refreshed.length - 200);
  }

  /** The view's description and message: totals, or the filter and how many entities match it. */
  private scheduleDescription(): void {
    if (this.descriptionTimer) return;
    this.descriptionTimer = setTimeout(() => {
      this.descriptionTimer = undefined;
      this.updateDescription();
    }, REFRESH_DELAY_MS);
  }

  private updateDescription(): void {
    const articles = this.corpus.list();
    // Every figure from the corpus counts (a loaded document's summary is its live model).
    const counted = this.counts.totals();
    const matching = this.filter ? (this.filterCounts ?? this.countFiltered())?.total ?? 0 : 0;
    const header = viewHeader({ articles: articles.length, counted, filter: this.filter?.raw, matching });
    this.view.description = header.description;
    // VS Code hides the view's header (and so its description) while it is the only view of its
    // container, as here: the message line above the tree says the same. None without articles,
    // or the viewsWelcome content ("No articles to annotate…") would not show.
    this.view.message = header.message;
  }

  // ---- commands --------------------------------------------------------------------------------

  /** Computes the expected gains (a worker thread, with progress) and sorts the documents by them; unchanged, and why, when none were. */
  private async sortByGain(): Promise<{ sorted: boolean; why?: string }> {
    await this.corpus.ready();
    const result = await this.expectedGains.compute(this.corpus.list());
    if ('why' in result) return { sorted: false, why: result.why };
    await this.setGains(result.snapshot);
    // From the palette while grouped otherwise: the order only shows grouped by document.
    if (this.grouping !== 'document') await this.setGrouping('document');
    return { sorted: true };
  }

  private async setGains(gains: GainSnapshot | undefined): Promise<void> {
    this.gains = gains;
    this.shown.clear(); // the first page of the new order
    await vscode.commands.executeCommand('setContext', 'corpusAnnotator.sortedByGain', !!gains);
    this.refreshRoot();
  }

  private async setGrouping(grouping: Grouping): Promise<void> {
    this.grouping = grouping;
    if (grouping === 'document') this.dropGroups(); // memory back: rebuilt when needed
    this.shown.clear();
    await vscode.commands.executeCommand('setContext', 'corpusAnnotator.grouping', grouping);
    this.refreshRoot();
  }

  /** Asks for the filter, unless given (`executeCommand('corpusAnnotator.tree.filter', 'label:ORG')`). */
  private async askFilter(text?: string): Promise<void> {
    let input = typeof text === 'string' ? text : undefined;
    if (input === undefined) {
      input = await vscode.window.showInputBox({
        title: 'Filter annotations',
        placeHolder: 'label or text, e.g. PER or Laftit',
        prompt: 'label:ORG, text:… or plain text (case and accents ignored); a label name alone filters by label; empty clears the filter',
        value: this.filter?.raw ?? '',
      });
      if (input === undefined) return;
    }
    await this.setFilter(parseFilter(input, knownLabels(this.configs(undefined))));
  }

  private async setFilter(filter: EntityFilter | undefined): Promise<void> {
    this.filter = filter;
    this.dropGroups();
    this.shown.clear();
    const started = performance.now();
    this.countFiltered();
    if (filter) this.log.info(`filter ${filter.raw}: ${this.filterCounts?.total ?? 0} entities in ${this.filterCounts?.perDoc.size ?? 0} documents, counted in ${(performance.now() - started).toFixed(0)} ms`);
    await vscode.commands.executeCommand('setContext', 'corpusAnnotator.filtered', !!filter);
    this.refreshRoot();
    this.updateDescription();
  }

  /** Rescans the corpus and rereads every loaded document (except those with unsaved annotation changes). */
  private async reloadAll(): Promise<void> {
    await this.corpus.scan();
    const loaded = this.corpus.list().filter((u) => this.store.get(u));
    const reload = loaded.filter((u) => !this.store.get(u)?.pendingSave);
    if (reload.length < loaded.length) this.log.info(`refresh: ${loaded.length - reload.length} document(s) with unsaved annotation changes kept as they are`);
    this.lineIndexes.clear();
    await this.ensureLoaded(reload, true);
    await this.counts.rescan();
    this.refreshRoot();
    this.updateDescription();
  }

  /** Opens the article, selects the entity and scrolls to it. */
  private async revealEntity(arg: unknown): Promise<boolean> {
    const ref = entityRefOf(arg);
    if (!ref) return false;
    const uri = vscode.Uri.parse(ref.article);
    const doc = await vscode.workspace.openTextDocument(uri);
    // Loaded after opening, so the offsets refer to the text the editor shows.
    const ann = await this.store.load(uri);
    const entity = ann.sidecar.entities.find((e) => e.id === ref.id);
    if (!entity) {
      void vscode.window.setStatusBarMessage('Corpus Annotator: that entity no longer exists', 3000);
      this.refreshRoot();
      return false;
    }
    const range = toRange(doc, ann.offsets, entity);
    const editor = await vscode.window.showTextDocument(doc, { selection: range, preview: true });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return true;
  }

  /** relabel/remove from the tree: the tagging commands with an EntityRef. */
  private async delegate(command: string, arg: unknown): Promise<unknown> {
    const ref = entityRefOf(arg);
    if (!ref) return undefined;
    return vscode.commands.executeCommand(command, ref);
  }

  /**
   * Opens the sidecar with the cursor on the entity's line (an entity row), on the first error
   * (the row under a document whose sidecar has errors), or at the top. Returns the 1-based line.
   */
  private async openSidecarLine(arg: unknown): Promise<number | undefined> {
    const node = arg as Partial<TreeNode> | undefined;
    const ref = entityRefOf(arg);
    const article = ref ? vscode.Uri.parse(ref.article) : node && 'article' in node && node.article instanceof vscode.Uri ? node.article : undefined;
    if (!article) return undefined;
    const ann = await this.store.load(article);
    let doc: vscode.TextDocument;
    try {
      doc = await vscode.workspace.openTextDocument(ann.sidecarUri);
    } catch {
      void vscode.window.showInformationMessage(`${baseName(article.path)} has no sidecar yet: it is written with the first annotation.`);
      return undefined;
    }
    let line: number;
    if (ref) {
      const text = doc.getText();
      line = readSidecar(text).entityLines.get(ref.id) ?? lineOfId(text, ref.id) ?? 1;
    } else {
      const index = node && 'index' in node && typeof node.index === 'number' ? node.index : undefined;
      line = (index !== undefined ? ann.problems[index]?.line : undefined) ?? ann.problems.find((p) => p.severity === 'error')?.line ?? 1;
    }
    const pos = new vscode.Position(Math.min(Math.max(line - 1, 0), doc.lineCount - 1), 0);
    const editor = await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos), preview: true });
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return pos.line + 1;
  }

  /** Selects the active article's row when the view is visible (like the Explorer's auto reveal). */
  private async revealActive(): Promise<void> {
    const uri = vscode.window.activeTextEditor?.document.uri;
    if (!uri || !this.view.visible || this.grouping !== 'document' || this.filter || !this.corpus.has(uri)) return;
    const node = this.docNode(uri);
    // A document past the pages shown has no row to select: show the pages up to it first, as the
    // user would with "Show more" (at 10,000 documents most are past the first page). The view
    // keeps a selected row in its selection after a refresh has paged it out, so this comes first.
    const parent = this.getParent(node);
    const rows = await this.documentNodes(parent?.kind === 'folder' ? parent.folder : undefined);
    const at = rows.indexOf(node);
    const pagedOut = at >= this.pageSize(parent);
    if (pagedOut) {
      this.shown.set(parent?.id ?? ROOT_ID, (Math.floor(at / this.pageStep) + 1) * this.pageStep);
      // At once, not coalesced: reveal looks for the row among the children the view holds.
      this.emitter.fire(parent);
    } else if (this.view.selection.some((n) => n === node || (n.kind === 'entity' && n.article.toString() === uri.toString()))) return;
    await Promise.resolve(this.view.reveal(node, { select: true, focus: false, expand: false })).catch((e: unknown) => this.log.debug(`tree: reveal ${uri.toString()}: ${e instanceof Error ? e.message : String(e)}`));
  }

  /** TEST-ONLY: the rows under the node reached by `path` (each step an id or a label), fully loaded. */
  private async snapshotChildren(path: readonly string[]): Promise<TreeRowSnapshot[]> {
    let parent: TreeNode | undefined;
    for (const step of path) {
      const children = await this.getChildren(parent);
      await this.ensureLoaded(children.flatMap((c) => (c.kind === 'document' ? [c.article] : [])));
      parent = children.find((c) => c.id === step) ?? children.find((c) => labelText(this.getTreeItem(c)) === step);
      if (!parent) throw new Error(`tree: no row "${step}" under ${path.slice(0, path.indexOf(step)).join(' / ') || 'the root'}`);
    }
    const children = await this.getChildren(parent);
    await this.ensureLoaded(children.flatMap((c) => (c.kind === 'document' ? [c.article] : [])));
    this.updateDescription();
    return children.map((c) => snapshot(this.getTreeItem(c)));
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.descriptionTimer) clearTimeout(this.descriptionTimer);
    for (const d of this.disposables) d.dispose();
  }
}

function labelIcon(def: LabelDef | undefined): vscode.ThemeIcon | vscode.Uri {
  if (!def) return new vscode.ThemeIcon('circle-outline');
  const color = themeColor(def);
  if (color instanceof vscode.ThemeColor) return new vscode.ThemeIcon('circle-filled', color);
  const svg = labelDotSvg(def.color);
  if (svg === undefined) return new vscode.ThemeIcon('circle-filled');
  // btoa, not Buffer: the same code runs in a browser's web worker (the SVG is ASCII).
  return vscode.Uri.from({ scheme: 'data', path: `image/svg+xml;base64,${btoa(svg)}` });
}

/** Appends the pieces of a tooltip: markdown as is, the user's text escaped. */
function appendTooltip(tip: vscode.MarkdownString, parts: readonly TooltipPart[]): vscode.MarkdownString {
  for (const p of parts) {
    if ('markdown' in p) tip.appendMarkdown(p.markdown);
    else tip.appendText(p.text);
  }
  return tip;
}

function relativeDir(uri: vscode.Uri): string {
  const rel = vscode.workspace.asRelativePath(uri, false);
  const i = rel.lastIndexOf('/');
  return i < 0 ? '' : rel.slice(0, i);
}

function labelText(item: vscode.TreeItem): string {
  return typeof item.label === 'string' ? item.label : item.label?.label ?? '';
}

function snapshot(item: vscode.TreeItem): TreeRowSnapshot {
  const tooltip = typeof item.tooltip === 'string' ? item.tooltip : item.tooltip?.value;
  const icon = item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : item.iconPath ? 'uri' : undefined;
  const collapsible = item.collapsibleState === vscode.TreeItemCollapsibleState.Expanded ? 'expanded'
    : item.collapsibleState === vscode.TreeItemCollapsibleState.Collapsed ? 'collapsed' : 'none';
  return {
    id: item.id,
    label: labelText(item),
    description: typeof item.description === 'string' ? item.description : undefined,
    tooltip,
    contextValue: item.contextValue,
    collapsible,
    icon,
    command: item.command ? { command: item.command.command, arguments: item.command.arguments ?? [] } : undefined,
  };
}


