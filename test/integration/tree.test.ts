// The "Annotations" sidebar tree, read through the test-only commands corpusAnnotator.tree._children
// (the rows under a path of row ids or labels, as the view would draw them) and tree._state, and
// driven through its contributed commands. Expected values come from the sidecars on disk.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { activateApi, articleUri, poll, waitForFile } from './helpers';

interface Row {
  id?: string;
  label: string;
  description?: string;
  tooltip?: string;
  contextValue?: string;
  collapsible: 'none' | 'collapsed' | 'expanded';
  icon?: string;
  command?: { command: string; arguments: unknown[] };
}

interface TreeState {
  grouping: 'document' | 'label';
  filter?: string;
  description?: string;
  message?: string;
  refreshed: string[];
  refreshPending: boolean;
  counted?: { documents: number; entities: number; suggestions: number; invalid: number };
  selection: string[];
  visible: boolean;
}

interface Api {
  articles(): Promise<vscode.Uri[]>;
  annotations(uri: vscode.Uri): Promise<{ kind: string }>;
}

interface SidecarEntity { id: string; label: string; start: number; end: number; text: string }
interface SidecarFile { status: string; entities: SidecarEntity[] }

const ARTICLES = [
  '000_a5c2016fc8888533.txt',
  '001_e23791ebed5de2ea.txt',
  '002_60ac6a68424218b9.txt',
  '003_3e55259b9cbe4b4c.txt',
  '004_b0de303a7d7bdf73.txt',
];
/** The demo configuration's label order. */
const LABEL_ORDER = ['PER', 'ORG', 'LOC', 'DATE', 'EVENT', 'MISC'];
const STATUS_TEXT: Record<string, string> = { todo: 'todo', 'in-progress': 'in progress', done: 'done', reviewed: 'reviewed' };

const children = async (...path: string[]): Promise<Row[]> =>
  (await vscode.commands.executeCommand<Row[]>('corpusAnnotator.tree._children', path)) ?? [];
const treeState = async (clearRefreshed = false): Promise<TreeState> =>
  (await vscode.commands.executeCommand<TreeState>('corpusAnnotator.tree._state', clearRefreshed)) as TreeState;

function sidecar(name: string): SidecarFile {
  const parsed = parse(fs.readFileSync(`${articleUri(name).fsPath}.ann.yaml`, 'utf8')) as SidecarFile;
  return { status: parsed.status, entities: parsed.entities ?? [] };
}

let api: Api;

/**
 * What the tree must show for an article: its sidecar on disk or, when the extension found that
 * sidecar invalid (an earlier test may leave one so), "sidecar has errors" and no entities.
 */
async function expected(name: string): Promise<SidecarFile & { valid: boolean }> {
  const ann = await api.annotations(articleUri(name));
  return ann.kind === 'ok' ? { ...sidecar(name), valid: true } : { status: '', entities: [], valid: false };
}

function entityCount(n: number): string {
  return n === 1 ? '1 entity' : `${n} entities`;
}

/** 1-based line of a code point offset, computed independently of the extension. */
function lineOf(text: string, codePoint: number): number {
  const utf16 = [...text].slice(0, codePoint).join('').length;
  return text.slice(0, utf16).split(/\r\n|\r|\n/).length;
}

function countBy<T>(items: T[], key: (t: T) => string): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(key(i), (m.get(key(i)) ?? 0) + 1);
  return m;
}

describe('tree', () => {
  before(async () => {
    api = await activateApi();
    assert.equal((await api.articles()).length, ARTICLES.length);
    await vscode.commands.executeCommand('corpusAnnotator.tree.groupByDocument');
    await vscode.commands.executeCommand('corpusAnnotator.tree.clearFilter');
  });

  it('lists the five documents at the root with the entity counts and statuses of their sidecars', async () => {
    const rows = await children();
    assert.deepEqual(rows.map((r) => r.label), ARTICLES, 'one folder: the documents are the root rows, sorted');
    let total = 0;
    for (const row of rows) {
      const s = await expected(row.label);
      total += s.entities.length;
      assert.equal(row.id, `doc:${articleUri(row.label).toString()}`);
      assert.equal(row.description, s.valid ? `${entityCount(s.entities.length)} · ${STATUS_TEXT[s.status]}` : 'sidecar has errors', row.label);
      assert.match(row.contextValue ?? '', /;document;/);
      assert.equal(row.collapsible, 'collapsed');
      assert.ok(row.icon, 'an icon by status');
      assert.ok(row.tooltip?.replace(/\\/g, '').includes(row.label), 'the tooltip names the file (markdown-escaped)');
    }
    const state = await treeState();
    assert.equal(state.grouping, 'document');
    assert.equal(state.description, `${entityCount(total)} in 5 documents`);
    assert.equal(state.message, state.description, 'the message line repeats the totals: the view header is hidden while it is alone in its container');
  });

  it('keeps corpus counts (from the sidecars, without loading articles) equal to the sidecars on disk, also after a change outside', async () => {
    const onDisk = () => ARTICLES.map((n) => sidecar(n).entities.length).reduce((a, b) => a + b, 0);
    const counted = await poll(async () => {
      const c = (await treeState()).counted;
      return c && c.entities === onDisk() ? c : undefined;
    }, 'the corpus counts');
    assert.equal(counted.documents, ARTICLES.length);
    // Another program removes one entity line from a sidecar: the counts follow.
    const name = ARTICLES[4] as string;
    const file = `${articleUri(name).fsPath}.ann.yaml`;
    const original = fs.readFileSync(file, 'utf8');
    const lines = original.split('\n');
    const i = lines.findIndex((l) => l.startsWith('  - {'));
    fs.writeFileSync(file, [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n'));
    try {
      await poll(async () => ((await treeState()).counted?.entities === onDisk() ? true : undefined), 'the counts after the change');
    } finally {
      fs.writeFileSync(file, original);
      await poll(async () => ((await treeState()).counted?.entities === onDisk() ? true : undefined), 'the counts after the restore');
    }
  });

  it("a document's children are its labels, in configuration order, with counts", async () => {
    const name = ARTICLES[0] as string;
    const rows = await children(name);
    const counts = countBy(sidecar(name).entities, (e) => e.label);
    const expected = LABEL_ORDER.filter((l) => counts.has(l)).map((l) => `${l} ${counts.get(l)}`);
    assert.deepEqual(rows.map((r) => `${r.label} ${r.description}`), expected);
    assert.equal(rows[0]?.id, `doc:${articleUri(name).toString()}/label:PER`);
    assert.ok(rows.every((r) => r.icon === 'circle-filled'), 'default labels: a filled circle in the label colour');
  });

  it("a label's children are the entity rows: text, `line N`, context flags and the reveal command", async () => {
    const name = ARTICLES[0] as string;
    const uri = articleUri(name);
    const text = fs.readFileSync(uri.fsPath, 'utf8');
    const rows = await children(name, 'PER');
    const expected = sidecar(name).entities.filter((e) => e.label === 'PER').sort((a, b) => a.start - b.start);
    assert.equal(rows.length, expected.length);
    rows.forEach((row, i) => {
      const e = expected[i] as SidecarEntity;
      assert.equal(row.label, e.text);
      assert.equal(row.description, `line ${lineOf(text, e.start)}`);
      assert.equal(row.id, `ent:${uri.toString()}#${e.id}`);
      assert.equal(row.contextValue, ';entity;removable;');
      assert.equal(row.collapsible, 'none');
      assert.deepEqual(row.command, { command: 'corpusAnnotator.tree.reveal', arguments: [{ article: uri.toString(), id: e.id }] });
      assert.ok(row.tooltip?.includes(e.id) && row.tooltip.includes('PER'), 'the tooltip shows label and id');
    });
    assert.ok(new Set(rows.map((r) => r.description)).size > 1, 'the demo has PER entities on several lines');
  });

  it("clicking an entity row opens the article with the entity's span selected", async () => {
    const name = ARTICLES[0] as string;
    const row = (await children(name, 'PER'))[2];
    assert.ok(row?.command);
    assert.equal(await vscode.commands.executeCommand(row.command.command, ...row.command.arguments), true);
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor);
    assert.equal(editor.document.uri.toString(), articleUri(name).toString());
    assert.equal(editor.document.getText(editor.selection), row.label);
    assert.equal(`line ${editor.selection.start.line + 1}`, row.description);
  });

  it("Go to Sidecar Line puts the cursor on the entity's line in the sidecar", async () => {
    const name = ARTICLES[1] as string;
    const entity = sidecar(name).entities[3] as SidecarEntity;
    const line = await vscode.commands.executeCommand<number>('corpusAnnotator.tree.openSidecarLine', { article: articleUri(name).toString(), id: entity.id });
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor && typeof line === 'number');
    assert.equal(editor.document.uri.fsPath, `${articleUri(name).fsPath}.ann.yaml`);
    assert.equal(editor.selection.active.line + 1, line);
    assert.match(editor.document.lineAt(line - 1).text, new RegExp(`id: ${entity.id}\\b`));
  });

  it('grouping by label shows label → surface form → occurrences across the corpus, with counts', async () => {
    const all = (await Promise.all(ARTICLES.map(async (a) => (await expected(a)).entities.map((e) => ({ ...e, article: a }))))).flat();
    await vscode.commands.executeCommand('corpusAnnotator.tree.groupByLabel');
    try {
      assert.equal((await treeState()).grouping, 'label');
      const labels = await children();
      const byLabel = countBy(all, (e) => e.label);
      assert.deepEqual(labels.map((r) => `${r.label} ${r.description}`), LABEL_ORDER.filter((l) => byLabel.has(l)).map((l) => `${l} ${byLabel.get(l)}`));

      const surfaces = await children('label:PER');
      const perSurfaces = countBy(all.filter((e) => e.label === 'PER'), (e) => e.text);
      assert.equal(surfaces.length, perSurfaces.size);
      assert.deepEqual(new Map(surfaces.map((r) => [r.label, Number(r.description)])), perSurfaces);
      const counts = surfaces.map((r) => Number(r.description));
      assert.deepEqual(counts, [...counts].sort((a, b) => b - a), 'most frequent surface forms first');

      const occurrences = await children('PER', 'Laftit');
      const expected = all.filter((e) => e.label === 'PER' && e.text === 'Laftit');
      assert.equal(occurrences.length, expected.length);
      assert.ok(expected.length > 1);
      const want = expected.map((e) => `${e.article} line ${lineOf(fs.readFileSync(articleUri(e.article).fsPath, 'utf8'), e.start)}`).sort();
      assert.deepEqual(occurrences.map((r) => `${r.label} ${r.description}`).sort(), want);
      assert.ok(occurrences.every((r) => r.contextValue === ';entity;removable;' && r.command?.command === 'corpusAnnotator.tree.reveal'));
    } finally {
      await vscode.commands.executeCommand('corpusAnnotator.tree.groupByDocument');
    }
    assert.equal((await treeState()).grouping, 'document');
    assert.equal((await children()).length, ARTICLES.length);
  });

  it('the filter narrows the tree to matching entities (label:ORG, a label name, accent-insensitive text)', async () => {
    try {
      await vscode.commands.executeCommand('corpusAnnotator.tree.filter', 'label:ORG');
      let state = await treeState();
      assert.equal(state.filter, 'label:ORG');
      assert.match(state.description ?? '', /label:ORG/);
      const shown = await Promise.all(ARTICLES.map(async (a) => ({ a, entities: (await expected(a)).entities })));
      const withOrg = shown.filter((x) => x.entities.some((e) => e.label === 'ORG')).map((x) => x.a);
      const docs = await children();
      assert.deepEqual(docs.map((r) => r.label), withOrg);
      for (const doc of docs) assert.deepEqual((await children(doc.label)).map((r) => r.label), ['ORG']);

      await vscode.commands.executeCommand('corpusAnnotator.tree.filter', 'PER');
      assert.equal((await treeState()).filter, 'PER');
      for (const doc of await children()) assert.deepEqual((await children(doc.label)).map((r) => r.label), ['PER'], 'a label name alone filters by label');

      // "interieur" matches "ministère de l'Intérieur": case and accents are ignored.
      await vscode.commands.executeCommand('corpusAnnotator.tree.filter', 'interieur');
      const fold = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
      const matching = shown.map(({ a, entities }) => ({ a, n: entities.filter((e) => fold(e.text).includes('interieur')).length })).filter((x) => x.n > 0);
      assert.ok(matching.length > 0, 'precondition: the demo has "Intérieur"');
      const docs2 = await children();
      assert.deepEqual(docs2.map((r) => r.label), matching.map((x) => x.a));
      const first = matching[0] as { a: string; n: number };
      assert.match(docs2[0]?.description ?? '', new RegExp(`^${first.n} of `));
      const rows = (await Promise.all((await children(first.a)).map((l) => children(first.a, l.label)))).flat();
      assert.equal(rows.length, first.n);
      assert.ok(rows.every((r) => fold(r.label).includes('interieur')), rows.map((r) => r.label).join(', '));
      state = await treeState();
      assert.match(state.description ?? '', /^filter: interieur · \d+ of \d+ entities$/);
      assert.match(state.message ?? '', /^Filter "interieur": \d+ of \d+ entities\.$/);

      await vscode.commands.executeCommand('corpusAnnotator.tree.filter', 'zzzz-no-such-entity');
      assert.deepEqual(await children(), []);
      assert.match((await treeState()).message ?? '', /No entity matches/);
    } finally {
      await vscode.commands.executeCommand('corpusAnnotator.tree.clearFilter');
    }
    const state = await treeState();
    assert.equal(state.filter, undefined);
    assert.match(state.message ?? '', /^\d+ entities in 5 documents$/, 'the totals again, no filter');
    assert.equal((await children()).length, ARTICLES.length);
  });

  it("tagging refreshes that document's node only; removing from the tree restores it", async () => {
    // 004 is used by no other integration test; the entity added here is removed again.
    const name = ARTICLES[4] as string;
    const uri = articleUri(name);
    const sidecarPath = `${uri.fsPath}.ann.yaml`;
    const original = fs.readFileSync(sidecarPath, 'utf8');
    assert.ok((await expected(name)).valid, `precondition: ${name}'s sidecar is valid`);
    const before = sidecar(name).entities.length;
    const SURFACE = 'police nationale';

    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf(SURFACE);
    assert.ok(at >= 0, `precondition: "${SURFACE}" occurs in ${name}`);
    const cpStart = [...doc.getText().slice(0, at)].length;
    assert.ok(!sidecar(name).entities.some((e) => e.start < cpStart + SURFACE.length && cpStart < e.end), `precondition: "${SURFACE}" is not tagged yet`);
    const docRow = async () => (await children()).find((r) => r.label === name);
    assert.equal((await docRow())?.description, `${entityCount(before)} · reviewed`);

    // Let refreshes scheduled by earlier tests happen, then forget them.
    await poll(async () => ((await treeState()).refreshPending ? undefined : true), 'earlier tree refreshes');
    await treeState(true);
    editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + SURFACE.length));
    await vscode.commands.executeCommand('corpusAnnotator.tagSelection', 'ORG');
    await poll(async () => ((await docRow())?.description === `${entityCount(before + 1)} · reviewed` ? true : undefined), `${name} to show ${before + 1} entities`);
    const docId = `doc:${uri.toString()}`;
    let seen: string[] = [];
    const refreshed = await poll(async () => {
      seen = (await treeState()).refreshed;
      return seen.includes(docId) ? seen : undefined;
    }, `a refresh of ${docId}`).catch((e: Error) => {
      throw new Error(`${e.message}; refreshed instead: ${seen.join(', ') || 'nothing'}`);
    });
    assert.ok(!refreshed.includes('root'), `only document nodes were refreshed, not the whole tree: ${refreshed.join(', ')}`);

    const orgRows = await children(name, 'ORG');
    const added = orgRows.find((r) => r.label === SURFACE);
    assert.ok(added, `an ORG row "${SURFACE}"`);
    assert.equal(added.description, `line ${lineOf(doc.getText(), cpStart)}`);
    const ref = added.command?.arguments[0] as { article: string; id: string };
    assert.equal(ref.article, uri.toString());

    await vscode.commands.executeCommand('corpusAnnotator.tree.remove', ref);
    await poll(async () => ((await docRow())?.description === `${entityCount(before)} · reviewed` ? true : undefined), `${name} back to ${before} entities`);
    assert.ok(!(await children(name, 'ORG')).some((r) => r.label === SURFACE));
    const onDisk = await waitForFile(sidecarPath, (c) => {
      try {
        return (parse(c) as SidecarFile).entities.length === before ? c : undefined;
      } catch {
        return undefined;
      }
    }, { what: `${before} entities in ${sidecarPath}` });
    assert.equal(onDisk, original, 'the sidecar is back to the shipped bytes');
  });
  it('a document whose sidecar has errors shows a warning and a row per error that opens the sidecar at it; Refresh keeps the counts', async () => {
    // A new article (the corpus watcher adds it) with a broken sidecar, both removed again.
    const name = 'zz_tree_broken.txt';
    const uri = articleUri(name);
    const sidecarPath = `${uri.fsPath}.ann.yaml`;
    fs.writeFileSync(sidecarPath, 'version: 1\ndocument: zz_tree_broken.txt\nstatus: todo\nentities: [\n');
    fs.writeFileSync(uri.fsPath, 'Bonjour Laftit.\n');
    try {
      const row = await poll(async () => (await children()).find((r) => r.label === name), `${name} in the tree`);
      assert.equal(row.description, 'sidecar has errors');
      assert.equal(row.icon, 'warning');
      assert.match(row.contextValue ?? '', /;document;invalid;/);
      // The broken sidecar has one error (a YAML syntax error): one row, no annotations.
      const [problem, ...rest] = await children(name);
      assert.equal(rest.length, 0, 'no annotations shown, only the error');
      assert.ok(problem);
      assert.match(problem.label, /YAML syntax error/i);
      assert.match(problem.description ?? '', /^line \d+$/);
      assert.equal(problem.command?.command, 'corpusAnnotator.tree.openSidecarLine');
      const line = await vscode.commands.executeCommand<number>(problem.command.command, ...problem.command.arguments);
      assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, sidecarPath);
      assert.equal(vscode.window.activeTextEditor?.selection.active.line, (line ?? 0) - 1);
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
    } finally {
      fs.rmSync(uri.fsPath, { force: true });
      fs.rmSync(sidecarPath, { force: true });
    }
    await poll(async () => ((await children()).length === ARTICLES.length ? true : undefined), 'the tree without the removed article');

    // Refresh rereads everything from disk: the rows still match the sidecars.
    await vscode.commands.executeCommand('corpusAnnotator.tree.refresh');
    const rows = await children();
    assert.deepEqual(rows.map((r) => r.label), ARTICLES);
    for (const row of rows) {
      const s = await expected(row.label);
      assert.equal(row.description, s.valid ? `${entityCount(s.entities.length)} · ${STATUS_TEXT[s.status]}` : 'sidecar has errors', row.label);
    }
  });
  it('pages long lists ("Show N more…") and selects the active article in the sidebar even past the pages shown', async () => {
    // 500 rows a page in use; 2 here, so that the demo's five documents make three pages.
    await vscode.commands.executeCommand('corpusAnnotator.tree._pageSize', 2);
    try {
      const rows = await children();
      assert.deepEqual(rows.map((r) => r.label), [ARTICLES[0], ARTICLES[1], 'Show 2 more…']);
      const more = rows[2];
      assert.equal(more?.command?.command, 'corpusAnnotator.tree.showMore');
      await vscode.commands.executeCommand(more.command.command, ...more.command.arguments);
      assert.deepEqual((await children()).map((r) => r.label), [...ARTICLES.slice(0, 4), 'Show 1 more…']);

      await vscode.commands.executeCommand('corpusAnnotator.tree._pageSize', 2); // back to the first page
      await vscode.commands.executeCommand('corpusAnnotator.entities.focus');
      await poll(async () => ((await treeState()).visible ? true : undefined), 'the sidebar view to be visible');
      const last = ARTICLES[4] as string;
      await vscode.window.showTextDocument(articleUri(last));
      await vscode.commands.executeCommand('corpusAnnotator.tree._reveal');
      const id = `doc:${articleUri(last).toString()}`;
      await poll(async () => ((await treeState()).selection.includes(id) ? true : undefined), `the row of ${last} (fifth, on the third page) to be selected`);
      assert.deepEqual((await children()).map((r) => r.label), ARTICLES, 'the pages up to it are shown');
    } finally {
      await vscode.commands.executeCommand('corpusAnnotator.tree._pageSize');
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });
});
