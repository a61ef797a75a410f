// The status bar item's text and tooltip (an item cannot be read back through the API, so its pure
// text functions are checked on real annotations from the running extension), and the status
// command it summarises, checked on disk.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { countsByLabel, StatusInput, statusText, statusTooltip } from '../../src/extension/status-bar';
import { activateApi, articleUri, waitForFile, waitForStore } from './helpers';

interface Api {
  annotations(article: vscode.Uri): Promise<StatusInput>;
  readonly onDidChange: vscode.Event<{ article: vscode.Uri }>;
}

const ARTICLE = '000_a5c2016fc8888533.txt';
const keyHint = (slot: number) => (process.platform === 'darwin' ? `⌘⌥${slot}` : `Ctrl+Alt+${slot}`);
/** The labels of examples/corpus/.corpus-annotator.yaml, as the tooltip reads them. */
const CONFIG = {
  labels: ['PER', 'ORG', 'LOC', 'DATE', 'EVENT', 'MISC'].map((name, i) => ({ name, color: '#888888', key: i + 1 })),
  overlap: 'nested' as const,
  articles: ['*.txt'],
  exclude: [],
};

/** Resolves once `check()` (re-run after each store change) is true; bounded. */

describe('status bar', () => {
  let api: Api;
  let uri: vscode.Uri;

  before(async () => {
    api = await activateApi();
    uri = articleUri(ARTICLE);
  });

  it('statusText: entity count and status of a real article, as in its sidecar on disk', async () => {
    const ann = await api.annotations(uri);
    assert.equal(ann.kind, 'ok');
    const onDisk = parse(new TextDecoder().decode(await vscode.workspace.fs.readFile(ann.article.with({ path: `${ann.article.path}.ann.yaml` })))) as { status: string; entities: unknown[] };
    assert.equal(statusText(ann), `$(tag) ${onDisk.entities.length} entities · ${onDisk.status}`);
  });

  it('statusText: unsaved changes, a broken sidecar, an unreadable file, one entity', async () => {
    const ann = await api.annotations(uri);
    assert.equal(statusText({ ...ann, pendingSave: true }), `$(tag) ${ann.sidecar.entities.length} entities · ${ann.sidecar.status} · $(circle-filled) unsaved`);
    const error = { severity: 'error' as const, code: 'yaml-syntax', message: 'YAML syntax error', line: 7, column: 3 };
    const invalid = { ...ann, kind: 'invalid' as const, sidecar: { ...ann.sidecar, entities: [] }, problems: [error, { ...error, severity: 'warning' as const }] };
    assert.equal(statusText(invalid), '$(warning) sidecar has errors (1)');
    assert.match(statusTooltip(invalid, CONFIG), /has 1 error,.*line 7: YAML syntax error/s);
    assert.match(statusText({ ...ann, kind: 'unreadable' }), /^\$\(error\)/);
    const first = ann.sidecar.entities[0];
    assert.ok(first);
    assert.equal(statusText({ ...ann, sidecar: { ...ann.sidecar, entities: [first] } }), `$(tag) 1 entity · ${ann.sidecar.status}`);
  });

  it('statusTooltip: entities per label with their keys, and the status', async () => {
    const ann = await api.annotations(uri);
    const rows = countsByLabel(ann, CONFIG);
    assert.deepEqual(rows.map((r) => r.label), ['PER', 'ORG', 'LOC', 'DATE', 'EVENT', 'MISC'], 'every configured label, in order');
    assert.equal(rows.reduce((n, r) => n + r.count, 0), ann.sidecar.entities.length);
    for (const r of rows) assert.equal(r.count, ann.sidecar.entities.filter((e) => e.label === r.label).length, r.label);
    const tooltip = statusTooltip(ann, CONFIG);
    for (const r of rows) assert.ok(tooltip.includes(`| ${r.label} | ${keyHint(r.key ?? 0)} | ${r.count} |`), `the ${r.label} row in:\n${tooltip}`);
    assert.ok(tooltip.includes(`Status: **${ann.sidecar.status}**`));
    assert.ok(tooltip.includes(`**Total** | | **${ann.sidecar.entities.length}**`));
  });

  it('setStatus done writes `status: done` to the sidecar, and the text follows', async () => {
    const sidecar = vscode.Uri.file(`${uri.fsPath}.ann.yaml`);
    const original = await vscode.workspace.fs.readFile(sidecar);
    const before = await api.annotations(uri);
    assert.notEqual(before.sidecar.status, 'done', 'precondition: the demo article is not done yet (else this proves nothing)');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    try {
      const changed = await vscode.commands.executeCommand<boolean>('corpusAnnotator.setStatus', 'done');
      assert.equal(changed, true, 'setStatus reports a change');
      await waitForFile(sidecar.fsPath, (content) => /^status: done$/m.test(content), { what: `status: done in ${sidecar.fsPath}` });
      const after = await api.annotations(uri);
      assert.equal(statusText(after), `$(tag) ${after.sidecar.entities.length} entities · done`);
      assert.equal(after.sidecar.entities.length, before.sidecar.entities.length, 'the entities are untouched');
    } finally {
      await vscode.workspace.fs.writeFile(sidecar, original);
    }
    await waitForStore(api, async () => (await api.annotations(uri)).sidecar.status === before.sidecar.status, 'the original status to be loaded again');
  });
});
