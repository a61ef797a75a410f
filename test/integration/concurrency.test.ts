// Two windows (or a window and a script) annotating the same article: a sidecar changed on disk
// between this window's read and its write is never overwritten with stale content.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { activateApi, articleUri, waitForFile, waitForStore } from './helpers';

describe('concurrent writers', () => {
  it('keeps an entity another window wrote just before this window tags', async () => {
    const api = await activateApi();
    const uri = articleUri('001_e23791ebed5de2ea.txt');
    const sidecarPath = `${uri.fsPath}.ann.yaml`;
    const original = fs.readFileSync(sidecarPath, 'utf8');
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      const countBefore = (await api.annotations(uri)).sidecar.entities.length; // this window has read the sidecar
      const cpOf = (s: string) => [...doc.getText().slice(0, doc.getText().indexOf(s))].length;
      const ourText = 'réunion ministérielle';
      assert.ok(doc.getText().includes(ourText) && doc.getText().includes('Dubaï'));
      // The other window adds an entity (a canonical line, as it would write it)...
      const otherStart = cpOf('Dubaï');
      const otherLine = `  - {id: zzother, label: MISC, start: ${otherStart}, end: ${otherStart + 5}, text: "Dubaï", by: other-window}`;
      fs.writeFileSync(sidecarPath, original.replace(/\nentities:\n/, `\nentities:\n${otherLine}\n`));
      // ...and, before any file event is handled here, this window tags something else.
      const at = doc.getText().indexOf(ourText);
      editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + ourText.length));
      await vscode.commands.executeCommand('corpusAnnotator.tagSelection', 'EVENT');
      const final = await waitForFile(sidecarPath, (c) => (c.includes(`text: "${ourText}"`) ? c : undefined), { what: 'our entity on disk' });
      assert.ok(final.includes('id: zzother,'), 'the other window\'s entity survived');
      const lines = final.split('\n').filter((l) => l.startsWith('  - {'));
      assert.equal(lines.length, countBefore + 2, 'both additions, nothing lost');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.writeFileSync(sidecarPath, original);
      await waitForStore(api, async () => (await api.annotations(uri)).sidecar.entities.length === original.split('\n').filter((l) => l.startsWith('  - {')).length, 'the shipped sidecar reloaded');
    }
  });
});
