// Curation in the browser's web worker host: no git there, so branches are refused with the reason
// and nothing is written; annotators' folders are curated through workspace.fs as on the desktop.
import * as assert from './assert';
import * as vscode from 'vscode';
import type { CurationSummary } from '../../src/extension/curate-commands';

const DOC = '001_e23791ebed5de2ea.txt';

describe('web worker extension host: curation', () => {
  const root = () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    return folder.uri;
  };
  const scratch = () => vscode.Uri.joinPath(root(), 'curation-web');

  before(async () => {
    const article = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root(), DOC));
    const sidecar = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(root(), `${DOC}.ann.yaml`));
    for (const who of ['alice', 'bob']) {
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(scratch(), who, DOC), article);
      await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(scratch(), who, `${DOC}.ann.yaml`), sidecar);
    }
  });

  after(async () => {
    await vscode.workspace.fs.delete(scratch(), { recursive: true, useTrash: false });
  });

  it('refuses branches (no git in the browser) and writes nothing', async () => {
    const out = vscode.Uri.joinPath(scratch(), 'gold-branches');
    const summary = await vscode.commands.executeCommand<CurationSummary | undefined>('corpusAnnotator.curateAnnotations', {
      branches: ['alice', 'bob'], repository: root().toString(), out: out.toString(), open: false,
    });
    assert.equal(summary, undefined);
    const created = await vscode.workspace.fs.stat(out).then(() => true, () => false);
    assert.equal(created, false, 'the gold folder was not created');
  });

  it('curates two folders through workspace.fs', async () => {
    const out = vscode.Uri.joinPath(scratch(), 'gold');
    const summary = await vscode.commands.executeCommand<CurationSummary | undefined>('corpusAnnotator.curateAnnotations', {
      inputs: [vscode.Uri.joinPath(scratch(), 'alice').toString(), vscode.Uri.joinPath(scratch(), 'bob').toString()], out: out.toString(), open: false,
    });
    assert.ok(summary, 'the command returned its summary');
    assert.equal(JSON.stringify(summary.written), JSON.stringify([DOC]));
    assert.equal(summary.disagreements, 0);
    const gold = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(out, `${DOC}.ann.yaml`)));
    assert.ok(gold.includes('alice,bob'), 'agreed entities in the gold sidecar');
  });
});
