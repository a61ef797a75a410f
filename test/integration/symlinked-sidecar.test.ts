// A sidecar that is a symbolic link, in the real host: written through when the link stays inside
// the workspace folder (the link stays a link), refused with an error when it leads outside (the
// file there is untouched, the change stays unsaved in memory).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { activateApi, waitForFile, workspaceDir } from './helpers';

const TEXT = 'M. Laftit est à Rabat.\n';
const SIDECAR = '# Corpus Annotator sidecar. Offsets are Unicode code points, end-exclusive. Check with: corpus-annotator validate\nversion: 1\ndocument: a.txt\nstatus: todo\nentities:\n  - {id: p1, label: PER, start: 3, end: 9, text: "Laftit"}\n';

/** Tags "Rabat" as LOC in `article` (open in an editor). */
async function tagRabat(article: vscode.Uri): Promise<void> {
  const doc = await vscode.workspace.openTextDocument(article);
  const editor = await vscode.window.showTextDocument(doc);
  const at = doc.getText().indexOf('Rabat');
  editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + 5));
  await vscode.commands.executeCommand('corpusAnnotator.tagSelection', 'LOC');
}

describe('symlinked sidecars in the editor', () => {
  // A directory per test: the store remembers an article it loaded, by path.
  let name = '';
  const dir = () => path.join(workspaceDir(), name);
  let outside: string | undefined;

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir(), { recursive: true, force: true });
    if (outside) fs.rmSync(outside, { recursive: true, force: true });
    outside = undefined;
  });

  it('a link inside the workspace folder is written through and stays a link', async () => {
    name = 'linked-inside';
    const api = await activateApi();
    fs.mkdirSync(path.join(dir(), 'store'), { recursive: true });
    fs.writeFileSync(path.join(dir(), 'a.txt'), TEXT);
    fs.writeFileSync(path.join(dir(), 'store', 'a.yaml'), SIDECAR);
    fs.symlinkSync(path.join('store', 'a.yaml'), path.join(dir(), 'a.txt.ann.yaml'));
    const article = vscode.Uri.file(path.join(dir(), 'a.txt'));
    assert.equal((await api.annotations(article)).sidecar.entities.length, 1);
    await tagRabat(article);
    await waitForFile(path.join(dir(), 'store', 'a.yaml'), (c) => c.includes('text: "Rabat"'), { what: 'the entity written through the link' });
    assert.ok(fs.lstatSync(path.join(dir(), 'a.txt.ann.yaml')).isSymbolicLink(), 'still a link');
  });

  it('a link to a file outside the workspace folder is not rewritten: the save fails, the file is untouched', async () => {
    name = 'linked-outside';
    const api = await activateApi();
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-outside-'));
    const victim = path.join(outside, 'victim.yaml');
    fs.writeFileSync(victim, SIDECAR);
    fs.mkdirSync(dir(), { recursive: true });
    fs.writeFileSync(path.join(dir(), 'a.txt'), TEXT);
    fs.symlinkSync(victim, path.join(dir(), 'a.txt.ann.yaml'));
    const article = vscode.Uri.file(path.join(dir(), 'a.txt'));
    assert.equal((await api.annotations(article)).sidecar.entities.length, 1);
    await tagRabat(article);
    const saved = await vscode.commands.executeCommand<boolean>('corpusAnnotator.saveAnnotations');
    assert.equal(saved, false, 'the save is refused');
    const ann = await api.annotations(article);
    assert.equal(ann.sidecar.entities.length, 2, 'the new entity is kept in memory');
    assert.equal(ann.pendingSave, true);
    assert.equal(fs.readFileSync(victim, 'utf8'), SIDECAR, 'the file outside is untouched');
    assert.ok(fs.lstatSync(path.join(dir(), 'a.txt.ann.yaml')).isSymbolicLink(), 'the link is not replaced');
  });
});
