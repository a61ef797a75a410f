// The extension in the real VS Code: found, activated by the workspace, returns its API, and the
// demo articles open. Runs first (files are sorted), before any other test opens a document.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { articleUri, EXTENSION_ID, waitUntil, workspaceDir } from './helpers';

const ARTICLE = '003_3e55259b9cbe4b4c.txt';

describe('activation', () => {
  it('runs in a real VS Code extension host with a copy of the demo corpus as the workspace', async () => {
    assert.match(vscode.version, /^1\.\d+\.\d+/);
    const articles = await vscode.workspace.findFiles('*.txt');
    assert.equal(articles.length, 5, `five demo articles in ${workspaceDir()}`);
    console.log(`    VS Code ${vscode.version} (${vscode.env.appHost}), Node ${process.versions.node}, workspace ${workspaceDir()}`);
  });

  it(`finds the extension ${EXTENSION_ID} loaded from the development path`, () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is installed`);
    assert.equal(ext.packageJSON.name, 'corpus-annotator');
    assert.ok(fs.existsSync(`${ext.extensionPath}/dist/extension.js`), 'dist/extension.js is built (npm run build)');
  });

  it('activates by itself because the workspace contains a corpus config or sidecars', async () => {
    const names = fs.readdirSync(workspaceDir());
    assert.ok(
      names.includes('.corpus-annotator.yaml') || names.some((n) => n.endsWith('.ann.yaml')),
      'precondition: examples/corpus has .corpus-annotator.yaml or *.ann.yaml (the workspaceContains activation events)',
    );
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    // No event reports another extension's activation: poll (bounded). No activate() call here,
    // no document opened yet: only the workspaceContains events can have activated it.
    await waitUntil(() => ext.isActive, `${EXTENSION_ID} is active`);
  });

  it('activate() returns the API with the version from package.json', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext);
    const api: unknown = await ext.activate();
    assert.ok(api && typeof api === 'object', 'activate() returns an API object');
    assert.equal((api as { version?: unknown }).version, ext.packageJSON.version);
  });

  it('opens a demo article as plain text in an editor', async () => {
    const doc = await vscode.workspace.openTextDocument(articleUri(ARTICLE));
    const editor = await vscode.window.showTextDocument(doc);
    assert.equal(doc.languageId, 'plaintext');
    assert.ok(doc.getText().includes('Abdellatif Hammouchi'));
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), doc.uri.toString());
    assert.equal(editor.document.lineCount > 10, true);
  });
});
