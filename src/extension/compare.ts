// "Corpus Annotator: Compare Annotations With…": the active article's annotations (right, the
// working copy) against another version (left) — HEAD or a branch, read through VS Code's built-in
// Git extension, or any other sidecar file — as a tree of differences matched by entity id (added,
// removed, changed). A row reveals the entity; its inline actions accept the left version of that
// entity into the working copy (through the store: undoable, written at once) or keep the right one
// (the row is dismissed). No Node built-ins here: in a browser host only "another sidecar file" works.
import * as vscode from 'vscode';
import { diffEntities, display, EntityChange } from '../core/review/annotation-diff';
import { readConflictedSidecar } from '../core/review/merge';
import { articlePathOf, baseName, compareEntities, Entity, isSidecarPath, Sidecar, sidecarPathOf } from '../core/model/model';
import { toRange } from './positions';
import { registerCommand } from './register-command';
import { AnnotationStore } from './store';

type Group = 'added' | 'removed' | 'changed';
const GROUPS: Group[] = ['added', 'removed', 'changed'];
const GROUP_TITLE: Record<Group, string> = { added: 'Added', removed: 'Removed', changed: 'Changed' };
const GROUP_ICON: Record<Group, string> = { added: 'diff-added', removed: 'diff-removed', changed: 'diff-modified' };

type Node = { kind: 'group'; group: Group } | { kind: 'change'; group: Group; change: EntityChange };

/** Arguments for scripts and tests (the palette asks instead): the article, and a git ref or a sidecar file. */
export interface CompareArgs {
  article?: string;
  ref?: string;
  file?: string;
}

/** What the test-only `corpusAnnotator.compare._state` returns. */
export interface CompareState {
  article?: string;
  left?: string;
  rows: Array<{ group: Group; id: string; label: string; description: string; contextValue: string }>;
  message?: string;
}

interface Session {
  article: vscode.Uri;
  /** How the left side is named: `HEAD`, `main`, a file name. */
  leftName: string;
  left: Sidecar;
  changes: EntityChange[];
  /** Ids whose difference the user settled by keeping the right side. */
  keptRight: Set<string>;
}

// The parts of the built-in Git extension's API used here (extensions/git/src/api/git.d.ts).
interface GitRef { type: number; name?: string; remote?: string }
interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly state: { readonly refs?: GitRef[] };
  show(ref: string, path: string): Promise<string>;
  getRefs?(query?: { pattern?: string }): Promise<GitRef[]>;
}
interface GitApi { getRepository(uri: vscode.Uri): GitRepository | null }
interface GitExtension { getAPI(version: 1): GitApi }
const REF_HEAD = 0;
const REF_REMOTE_HEAD = 1;

export class CompareView implements vscode.TreeDataProvider<Node>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<Node | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly view: vscode.TreeView<Node>;
  private readonly disposables: vscode.Disposable[] = [];
  private session: Session | undefined;

  constructor(private readonly store: AnnotationStore, private readonly log: vscode.LogOutputChannel) {
    this.view = vscode.window.createTreeView('corpusAnnotator.compare', { treeDataProvider: this });
    this.disposables.push(this.view, this.changed, store.onDidChange(({ article }) => {
      if (this.session && article.toString() === this.session.article.toString()) void this.recompute();
    }));
    const reg = (id: string, f: (...args: never[]) => unknown) => this.disposables.push(registerCommand(this.log, id, f));
    reg('compareWith', (arg?: CompareArgs | vscode.Uri) => this.compareWith(arg));
    reg('compare.acceptLeft', (node?: Node) => this.acceptLeft(node));
    reg('compare.acceptRight', (node?: Node) => this.acceptRight(node));
    reg('compare.reveal', (node?: Node) => this.reveal(node));
    reg('compare.close', () => this.close());
    // TEST-ONLY (not contributed in package.json): the rows as the view draws them.
    reg('compare._state', () => this.state());
  }

  // ---------------------------------------------------------------------------------------------
  // Starting a comparison.

  async compareWith(arg?: CompareArgs | vscode.Uri): Promise<boolean> {
    const args: CompareArgs = arg instanceof vscode.Uri ? { article: arg.toString() } : arg ?? {};
    const article = this.articleOf(args.article);
    if (!article) {
      void vscode.window.showWarningMessage('Corpus Annotator: open an article (or its sidecar) to compare its annotations.');
      return false;
    }
    const sidecarUri = article.with({ path: sidecarPathOf(article.path) });
    let left: { name: string; source: string } | undefined;
    if (args.ref !== undefined) left = await this.fromGit(sidecarUri, args.ref);
    else if (args.file !== undefined) left = await this.fromFile(vscode.Uri.parse(args.file));
    else left = await this.pick(sidecarUri);
    if (!left) return false;

    const parsed = readConflictedSidecar(left.source);
    if (!parsed.sidecar) {
      const p = parsed.problems[0];
      void vscode.window.showErrorMessage(`Corpus Annotator: ${left.name} is not a valid sidecar${p ? ` (line ${p.line}: ${p.message})` : ''}.`);
      return false;
    }
    const current = await this.store.load(article);
    if (current.kind !== 'ok') {
      void vscode.window.showErrorMessage(`Corpus Annotator: the annotations of ${baseName(article.path)} cannot be compared: its sidecar has errors (see the Problems panel).`);
      return false;
    }
    this.session = { article, leftName: left.name, left: parsed.sidecar, changes: [], keptRight: new Set() };
    await vscode.commands.executeCommand('setContext', 'corpusAnnotator.comparing', true);
    await this.recompute();
    await Promise.resolve(vscode.commands.executeCommand('corpusAnnotator.compare.focus')).catch(() => undefined);
    return true;
  }

  /** The article named (or the active editor's), also when it is its sidecar that is named or open. */
  private articleOf(given: string | undefined): vscode.Uri | undefined {
    const uri = given !== undefined ? vscode.Uri.parse(given) : vscode.window.activeTextEditor?.document.uri;
    if (!uri) return undefined;
    return isSidecarPath(uri.path) ? uri.with({ path: articlePathOf(uri.path) }) : uri;
  }

  private async pick(sidecarUri: vscode.Uri): Promise<{ name: string; source: string } | undefined> {
    type Item = vscode.QuickPickItem & { ref?: string; file?: true };
    const items: Item[] = [];
    const repo = await gitRepository(sidecarUri);
    if (repo) {
      items.push({ label: '$(git-commit) HEAD', description: 'the last commit', ref: 'HEAD' });
      const refs = (await Promise.resolve(repo.getRefs ? repo.getRefs() : repo.state.refs ?? []).catch(() => [])) ?? [];
      for (const r of refs) {
        if (!r.name || (r.type !== REF_HEAD && r.type !== REF_REMOTE_HEAD)) continue;
        items.push({ label: `$(${r.type === REF_HEAD ? 'git-branch' : 'cloud'}) ${r.name}`, description: r.type === REF_HEAD ? 'branch' : 'remote branch', ref: r.name });
      }
    }
    items.push({ label: '$(file) Another Sidecar File…', description: 'e.g. another annotator\'s copy', file: true });
    const choice = await vscode.window.showQuickPick(items, { title: `Compare the annotations of ${baseName(articlePathOf(sidecarUri.path))} with…`, placeHolder: repo ? 'a git revision or a file' : 'not in a git repository: a sidecar file' });
    if (!choice) return undefined;
    if (choice.ref !== undefined) return this.fromGit(sidecarUri, choice.ref);
    const files = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Compare', filters: { 'Annotation sidecars': ['yaml'] } });
    return files?.[0] ? this.fromFile(files[0]) : undefined;
  }

  private async fromGit(sidecarUri: vscode.Uri, ref: string): Promise<{ name: string; source: string } | undefined> {
    const repo = await gitRepository(sidecarUri);
    if (!repo) {
      void vscode.window.showErrorMessage('Corpus Annotator: this article is not in a git repository (or the Git extension is disabled).');
      return undefined;
    }
    try {
      return { name: ref, source: await repo.show(ref, sidecarUri.fsPath) };
    } catch {
      void vscode.window.showErrorMessage(`Corpus Annotator: ${baseName(sidecarUri.path)} does not exist at ${ref}.`);
      return undefined;
    }
  }

  private async fromFile(uri: vscode.Uri): Promise<{ name: string; source: string } | undefined> {
    const bytes = await vscode.workspace.fs.readFile(uri);
    return { name: vscode.workspace.asRelativePath(uri), source: new TextDecoder('utf-8').decode(bytes) };
  }

  private async recompute(): Promise<void> {
    const s = this.session;
    if (!s) return;
    const current = await this.store.load(s.article);
    s.changes = current.kind === 'ok' ? diffEntities(s.left.entities, current.sidecar.entities) : [];
    // A difference kept on the right stays dismissed only while it is the same difference.
    const ids = new Set(s.changes.map((c) => c.id));
    for (const id of [...s.keptRight]) if (!ids.has(id)) s.keptRight.delete(id);
    const visible = this.visibleChanges().length;
    this.view.description = `${baseName(s.article.path)}: ${s.leftName} ↔ current`;
    this.view.message = current.kind !== 'ok' ? 'The sidecar has errors: see the Problems panel.'
      : visible === 0 ? `No differences between ${s.leftName} (left) and the current annotations (right).` : undefined;
    this.changed.fire(undefined);
  }

  private visibleChanges(): EntityChange[] {
    const s = this.session;
    return s ? s.changes.filter((c) => !s.keptRight.has(c.id)) : [];
  }

  // ---------------------------------------------------------------------------------------------
  // The tree.

  getChildren(node?: Node): Node[] {
    const changes = this.visibleChanges();
    if (!node) {
      return GROUPS.filter((g) => changes.some((c) => groupOf(c) === g)).map((group) => ({ kind: 'group', group }));
    }
    if (node.kind === 'group') return changes.filter((c) => groupOf(c) === node.group).map((change) => ({ kind: 'change', group: node.group, change }));
    return [];
  }

  getTreeItem(node: Node): vscode.TreeItem {
    if (node.kind === 'group') {
      const n = this.visibleChanges().filter((c) => groupOf(c) === node.group).length;
      const item = new vscode.TreeItem(`${GROUP_TITLE[node.group]} (${n})`, vscode.TreeItemCollapsibleState.Expanded);
      item.id = `group:${node.group}`;
      item.iconPath = new vscode.ThemeIcon(GROUP_ICON[node.group]);
      item.contextValue = 'compareGroup';
      return item;
    }
    const row = rowOf(node.change, this.session?.leftName ?? 'left');
    const item = new vscode.TreeItem(row.label, vscode.TreeItemCollapsibleState.None);
    item.id = `change:${node.change.id}`;
    item.description = row.description;
    item.tooltip = row.tooltip;
    item.iconPath = new vscode.ThemeIcon(GROUP_ICON[node.group]);
    item.contextValue = 'compareChange';
    item.command = { command: 'corpusAnnotator.compare.reveal', title: 'Reveal Entity', arguments: [node] };
    return item;
  }

  private state(): CompareState {
    const s = this.session;
    const rows = this.visibleChanges().map((c) => {
      const r = rowOf(c, s?.leftName ?? 'left');
      return { group: groupOf(c), id: c.id, label: r.label, description: r.description, contextValue: 'compareChange' };
    });
    const out: CompareState = { rows };
    if (s) {
      out.article = s.article.toString();
      out.left = s.leftName;
    }
    if (this.view.message) out.message = this.view.message;
    return out;
  }

  // ---------------------------------------------------------------------------------------------
  // Actions.

  private changeOf(node: Node | string | undefined): EntityChange | undefined {
    const id = typeof node === 'string' ? node : node?.kind === 'change' ? node.change.id : undefined;
    return id === undefined ? undefined : this.session?.changes.find((c) => c.id === id);
  }

  /** Makes the working copy's entity what it is on the left (re-adds, removes or reverts it). */
  async acceptLeft(node?: Node | string): Promise<boolean> {
    const s = this.session;
    const c = this.changeOf(node);
    if (!s || !c) return false;
    const left = c.before;
    let mismatch: Entity | undefined;
    const result = await this.store.apply(s.article, `take ${s.leftName}'s version of ${c.id}`, (current, article) => {
      const others = current.entities.filter((e) => e.id !== c.id);
      if (!left) return { ...current, entities: others };
      const length = article.offsets.codePointLength;
      if (left.end > length || article.offsets.slice(left.start, left.end) !== left.text) {
        mismatch = left;
        return current;
      }
      return { ...current, entities: [...others, left].sort(compareEntities) };
    });
    if (mismatch) {
      void vscode.window.showWarningMessage(`Corpus Annotator: ${s.leftName}'s ${mismatch.label} «${display(mismatch.text, 40)}» does not match the current article at ${mismatch.start}-${mismatch.end} (the article changed); not taken.`);
      return false;
    }
    return result === 'changed' || result === 'unchanged';
  }

  /** Keeps the working copy's version: the difference is dismissed. */
  acceptRight(node?: Node | string): boolean {
    const c = this.changeOf(node);
    if (!this.session || !c) return false;
    this.session.keptRight.add(c.id);
    void this.recompute();
    return true;
  }

  private async reveal(node?: Node | string): Promise<boolean> {
    const s = this.session;
    const c = this.changeOf(node);
    if (!s || !c) return false;
    const doc = await vscode.workspace.openTextDocument(s.article);
    const ann = await this.store.load(s.article);
    const e = c.after ?? c.before;
    if (!e || e.end > ann.offsets.codePointLength) return false;
    const range = toRange(doc, ann.offsets, e);
    const editor = await vscode.window.showTextDocument(doc, { selection: range, preview: true });
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
    return true;
  }

  private async close(): Promise<void> {
    this.session = undefined;
    this.view.message = undefined;
    this.view.description = undefined;
    this.changed.fire(undefined);
    await vscode.commands.executeCommand('setContext', 'corpusAnnotator.comparing', false);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function groupOf(c: EntityChange): Group {
  return c.kind;
}

function rowOf(c: EntityChange, leftName: string): { label: string; description: string; tooltip: string } {
  const e = (c.after ?? c.before) as Entity;
  const label = `${e.label} «${display(e.text, 60)}»`;
  if (c.kind === 'added') return { label, description: `${e.start}-${e.end} · only in current`, tooltip: `${label} ${e.start}-${e.end} [${e.id}]: not in ${leftName}` };
  if (c.kind === 'removed') return { label, description: `${e.start}-${e.end} · only in ${leftName}`, tooltip: `${label} ${e.start}-${e.end} [${e.id}]: in ${leftName}, not in the current annotations` };
  const b = c.before as Entity;
  const details = c.fields.map((f) => (f === 'label' ? `${b.label} → ${e.label}` : f === 'span' ? `${b.start}-${b.end} → ${e.start}-${e.end}` : `${f} changed`));
  return { label, description: `${e.start}-${e.end} · ${details.join(', ')}`, tooltip: `${label} [${e.id}]: ${leftName} → current: ${details.join(', ')}` };
}

async function gitRepository(uri: vscode.Uri): Promise<GitRepository | undefined> {
  if (uri.scheme !== 'file') return undefined;
  const ext = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!ext) return undefined;
  try {
    const exports = ext.isActive ? ext.exports : await ext.activate();
    return exports.getAPI(1).getRepository(uri) ?? undefined;
  } catch {
    return undefined;
  }
}
