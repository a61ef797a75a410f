// The annotator's loop in the real editor: tag (multi-cursor), see decorations, relabel,
// undo/redo, and keep offsets right while the text is edited and saved.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import type { CorpusAnnotatorApi } from '../../src/extension/main';
import { activateApi, articleUri, waitForFile, waitForStore, waitUntil } from './helpers';

const ARTICLE = '002_60ac6a68424218b9.txt';


function sidecarLines(text: string): string[] {
  return text.split('\n').filter((l) => l.startsWith('  - {'));
}

describe('editor experience', () => {
  let api: CorpusAnnotatorApi;
  let uri: vscode.Uri;
  let sidecarPath: string;
  let originalSidecar: Buffer;
  let originalArticle: Buffer;
  let originalCount: number;

  before(async () => {
    api = await activateApi();
    uri = articleUri(ARTICLE);
    sidecarPath = `${uri.fsPath}.ann.yaml`;
    originalSidecar = fs.readFileSync(sidecarPath);
    originalArticle = fs.readFileSync(uri.fsPath);
    originalCount = sidecarLines(originalSidecar.toString('utf8')).length;
  });

  afterEach(async () => {
    // Put the article and its sidecar back as shipped, for the next test.
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (!fs.readFileSync(uri.fsPath).equals(originalArticle)) fs.writeFileSync(uri.fsPath, originalArticle);
    if (!fs.readFileSync(sidecarPath).equals(originalSidecar)) fs.writeFileSync(sidecarPath, originalSidecar);
    await waitForStore(api, async () => {
      const a = await api.annotations(uri);
      return a.kind === 'ok' && a.sidecar.entities.length === originalCount && a.text === originalArticle.toString('utf8');
    }, 'the shipped annotations to be reloaded');
  });

  async function open(): Promise<{ doc: vscode.TextDocument; editor: vscode.TextEditor }> {
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    // A document whose editor was closed lingers, and may still show the text the previous test
    // saved until VS Code notices the file restored on disk: edits must apply to the shipped text.
    await waitUntil(() => doc.getText() === originalArticle.toString('utf8'), 'the editor to show the shipped article');
    await api.annotations(uri);
    return { doc, editor };
  }

  function select(doc: vscode.TextDocument, needle: string, trim = { left: 0, right: 0 }): vscode.Selection {
    const at = doc.getText().indexOf(needle);
    assert.ok(at >= 0, `"${needle}" in ${ARTICLE}`);
    return new vscode.Selection(doc.positionAt(at + trim.left), doc.positionAt(at + needle.length - trim.right));
  }

  it('tags every selection of a multi-cursor selection at once, snapped, each as one new sidecar line', async () => {
    const { doc, editor } = await open();
    // A sloppy selection (" police internationale ") and a partial word ("imes émergen").
    editor.selections = [select(doc, ' police internationale '), select(doc, 'crimes émergents', { left: 2, right: 2 })];
    const added = await vscode.commands.executeCommand<number>('corpusAnnotator.tagSelection', 'ORG');
    assert.equal(added, 2);

    const content = await waitForFile(sidecarPath, (c) => (sidecarLines(c).length === originalCount + 2 ? c : undefined), { what: 'two new entity lines' });
    const before = new Set(sidecarLines(originalSidecar.toString('utf8')));
    const newLines = sidecarLines(content).filter((l) => !before.has(l));
    assert.equal(newLines.length, 2, 'only the two new lines differ');
    assert.match(newLines.join('\n'), /label: ORG, start: \d+, end: \d+, text: "police internationale"/);
    assert.match(newLines.join('\n'), /label: ORG, start: \d+, end: \d+, text: "crimes émergents"/);

    const drawn = api.decorations(uri);
    const texts = (drawn.ORG ?? []).map((r) => doc.getText(r));
    assert.ok(texts.includes('police internationale') && texts.includes('crimes émergents'), `ORG decorations: ${texts.join(' | ')}`);
    assert.ok((drawn.PER ?? []).map((r) => doc.getText(r)).includes('Abdellatif Hammouchi'), 'existing PER entities are drawn');
    assert.equal(doc.isDirty, false, 'tagging never touches the text');
  });

  it('relabels, then undoes and redoes the relabel, without touching the text', async () => {
    const { doc, editor } = await open();
    editor.selection = select(doc, 'police internationale');
    await vscode.commands.executeCommand('corpusAnnotator.tagSelection', 'ORG');
    const tagged = (await api.annotations(uri)).sidecar.entities.find((e) => e.text === 'police internationale');
    assert.ok(tagged);
    const ref = { article: uri.toString(), id: tagged.id };
    const line = (label: string) => new RegExp(`\\{id: ${tagged.id}, label: ${label}, `);

    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.changeLabel', ref, 'MISC'), true);
    await waitForFile(sidecarPath, (c) => line('MISC').test(c), { what: 'the relabel on disk' });
    assert.ok((api.decorations(uri).MISC ?? []).some((r) => doc.getText(r) === 'police internationale'));

    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.undo'), true);
    await waitForFile(sidecarPath, (c) => line('ORG').test(c), { what: 'the undone relabel on disk' });
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.undo'), true);
    await waitForFile(sidecarPath, (c) => !c.includes(`id: ${tagged.id},`), { what: 'the undone tag on disk' });
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.redo'), true);
    await waitForFile(sidecarPath, (c) => line('ORG').test(c), { what: 'the redone tag' });
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.redo'), true);
    await waitForFile(sidecarPath, (c) => line('MISC').test(c), { what: 'the redone relabel' });
    assert.equal(doc.isDirty, false);
    assert.equal(doc.getText(), originalArticle.toString('utf8'));
  });

  it('removes the tag at the cursor', async () => {
    const { doc, editor } = await open();
    const lyon = select(doc, 'Lyon');
    editor.selection = new vscode.Selection(lyon.start.translate(0, 1), lyon.start.translate(0, 1));
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.removeTag'), 1);
    await waitForFile(sidecarPath, (c) => !c.includes('text: "Lyon"'), { what: 'Lyon removed' });
    assert.equal(sidecarLines(fs.readFileSync(sidecarPath, 'utf8')).length, originalCount - 1);
  });

  it('shifts offsets while the text is edited before entities, and saves them with the article', async () => {
    const { doc, editor } = await open();
    const before = (await api.annotations(uri)).sidecar.entities;
    const prefix = '🚨 Alerte : '; // 11 code points, 12 UTF-16 units
    assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), prefix)));
    const live = await api.annotations(uri);
    assert.equal(live.pendingSave, true, 'annotations wait for the article to be saved');
    assert.deepEqual(live.sidecar.entities.map((e) => e.start), before.map((e) => e.start + 11));
    for (const e of live.sidecar.entities) assert.equal([...doc.getText()].slice(e.start, e.end).join(''), e.text);
    assert.ok(fs.readFileSync(sidecarPath).equals(originalSidecar), 'the sidecar on disk still matches the article on disk');
    assert.ok((api.decorations(uri).PER ?? []).some((r) => doc.getText(r) === 'Abdellatif Hammouchi'), 'decorations follow the edit');

    assert.ok(await doc.save());
    const saved = await waitForFile(sidecarPath, (c) => (c.includes(`start: ${before[0]!.start + 11},`) ? c : undefined), { what: 'shifted offsets on disk after save' });
    const sha = (await import('node:crypto')).createHash('sha256').update(fs.readFileSync(uri.fsPath)).digest('hex');
    assert.equal(/\nsha256: ([0-9a-f]+)\n/.exec(saved)?.[1], sha, 'sha256 of the saved article');
    const cps = [...fs.readFileSync(uri.fsPath, 'utf8')];
    for (const m of saved.matchAll(/start: (\d+), end: (\d+), text: "([^"\\]*)"/g)) {
      assert.equal(cps.slice(Number(m[1]), Number(m[2])).join(''), m[3]);
    }
  });

  it('fixing a typo inside an entity adjusts it; cutting its boundary removes it', async () => {
    const { doc, editor } = await open();
    const name = select(doc, 'Abdellatif Hammouchi');
    // "Abdellatif" → "Abdelatif" (delete one l) keeps the entity, adjusted.
    assert.ok(await editor.edit((b) => b.delete(new vscode.Range(name.start.translate(0, 5), name.start.translate(0, 6)))));
    // The edit's promise and the document's change event travel separately: wait for the event.
    await waitForStore(api, async () => (await api.annotations(uri)).sidecar.entities.some((e) => e.label === 'PER' && e.text === 'Abdelatif Hammouchi'), 'the typo fix tracked');
    // Deleting across the end of "Lyon" destroys it.
    const lyon = select(doc, 'Lyon, en');
    assert.ok(await editor.edit((b) => b.delete(new vscode.Range(lyon.start.translate(0, 2), lyon.start.translate(0, 6)))));
    await waitForStore(api, async () => !(await api.annotations(uri)).sidecar.entities.some((e) => e.text === 'Lyon'), 'Lyon cut');
    const ann = await api.annotations(uri);
    assert.ok(!ann.sidecar.entities.some((e) => e.text === 'Lyon' || e.text.startsWith('Ly')));
    assert.equal(ann.sidecar.entities.length, originalCount - 1);
  });

  it('a sidecar changed on disk while the article has unsaved edits: reloaded, then tracked through those edits', async () => {
    const { doc, editor } = await open();
    const name = select(doc, 'Abdellatif Hammouchi');
    assert.ok(await editor.edit((b) => b.delete(new vscode.Range(name.start.translate(0, 5), name.start.translate(0, 6)))));
    // Another window removes Lyon from the sidecar (the file still matches the saved article).
    const external = originalSidecar.toString('utf8').split('\n').filter((l) => !l.includes('text: "Lyon"')).join('\n');
    assert.notEqual(external, originalSidecar.toString('utf8'));
    fs.writeFileSync(sidecarPath, external);
    await waitForStore(api, async () => !(await api.annotations(uri)).sidecar.entities.some((e) => e.text === 'Lyon'), 'the external change loaded');
    const ann = await api.annotations(uri);
    assert.equal(ann.kind, 'ok');
    assert.equal(ann.pendingSave, true, 'the unsaved edits still wait for the save');
    assert.ok(ann.sidecar.entities.some((e) => e.label === 'PER' && e.text === 'Abdelatif Hammouchi'), 'the typo fix is tracked');
    for (const e of ann.sidecar.entities) assert.equal([...doc.getText()].slice(e.start, e.end).join(''), e.text);
    assert.equal(ann.sidecar.entities.length, originalCount - 1);
  });

  it('reverting the text brings back what an edit destroyed, keeps new tags, and never empties the sidecar', async () => {
    const { doc, editor } = await open();
    editor.selection = select(doc, 'police internationale');
    await vscode.commands.executeCommand('corpusAnnotator.tagSelection', 'ORG');
    await waitForFile(sidecarPath, (c) => c.includes('text: "police internationale"'), { what: 'the new tag on disk' });
    // Delete everything: every entity is cut.
    assert.ok(await editor.edit((b) => b.delete(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)))));
    assert.equal((await api.annotations(uri)).sidecar.entities.length, 0);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    await waitForStore(api, async () => (await api.annotations(uri)).sidecar.entities.length === originalCount + 1, 'every entity back after the revert');
    const ann = await api.annotations(uri);
    assert.equal(ann.pendingSave, false);
    assert.ok(ann.sidecar.entities.some((e) => e.text === 'police internationale'));
    assert.equal(sidecarLines(fs.readFileSync(sidecarPath, 'utf8')).length, originalCount + 1, 'the sidecar on disk was never emptied');
  });

  it('re-anchors, instead of destroying, annotations when an open article is replaced on disk', async () => {
    const { doc } = await open();
    const changed = originalArticle.toString('utf8').replace('Le Maroc', 'Le Royaume du Maroc');
    fs.writeFileSync(uri.fsPath, changed);
    await waitUntil(() => doc.getText() === changed, 'the editor to show the file from disk');
    // The article moved under its sidecar: the annotations are reloaded from the sidecar on disk
    // and re-anchored in the new text (never tracked blindly), then saved with the new hash.
    const sha = (await import('node:crypto')).createHash('sha256').update(changed).digest('hex');
    await waitForFile(sidecarPath, (c) => c.includes(`sha256: ${sha}`), { what: 'the re-anchored sidecar' });
    await waitForStore(api, async () => {
      const a = await api.annotations(uri);
      return a.text === changed && !a.pendingSave && a.kind === 'ok';
    }, 'annotations re-anchored');
    const ann = await api.annotations(uri);
    assert.equal(ann.sidecar.entities.length, originalCount, 'nothing lost');
    for (const e of ann.sidecar.entities) assert.equal([...changed].slice(e.start, e.end).join(''), e.text);
  });
});
