// The extension in a browser's web worker extension host (as on vscode.dev / github.dev): it
// loads its `browser` bundle, reads and writes sidecars through vscode.workspace.fs only.
import * as assert from './assert';
import * as vscode from 'vscode';
import type { CorpusAnnotatorApi } from '../../src/extension/main';
import { decodeArticle } from '../../src/core/model/article';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { documentGain } from '../../src/core/suggest/recommender/expected-gain';
import { parseModel } from '../../src/core/suggest/recommender/model-file';
import { withoutSuggestions } from '../../src/core/suggest/suggest';

const EXTENSION_ID = 'corpus-annotator.corpus-annotator';
const ARTICLE = '001_e23791ebed5de2ea.txt';
const decoder = new TextDecoder();

function articleUri(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

async function readText(uri: vscode.Uri): Promise<string> {
  return decoder.decode(await vscode.workspace.fs.readFile(uri));
}

/** Resolves when `check` holds, re-checking on every annotation change (bounded). */
function until(api: CorpusAnnotatorApi, check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      sub.dispose();
      clearTimeout(timer);
      clearInterval(poll);
      if (err) reject(err);
      else resolve();
    };
    const probe = () => void check().then((ok) => ok && finish(), (e: Error) => finish(e));
    const sub = api.onDidChange(probe);
    // Files written by the extension have no event of their own here: also re-check now and then.
    const poll = setInterval(probe, 250);
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
    probe();
  });
}

describe('web worker extension host', () => {
  let api: CorpusAnnotatorApi;

  before(async () => {
    const ext = vscode.extensions.getExtension<CorpusAnnotatorApi>(EXTENSION_ID);
    assert.ok(ext, 'the extension is installed');
    api = await ext.activate();
  });

  it('runs the browser bundle, with no Node.js in sight', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.equal(ext?.extensionKind, vscode.ExtensionKind.UI, 'loaded in the UI-side (web worker) host');
    assert.equal((globalThis as { process?: unknown }).process, undefined, 'no Node process object');
    assert.equal(typeof (globalThis as { importScripts?: unknown }).importScripts, 'function', 'a web worker');
  });

  it('finds the five articles of the corpus without a file search provider', async () => {
    const articles = await api.articles();
    assert.equal(articles.length, 5, articles.map((u) => u.path).join(', '));
  });

  it('reads a demo sidecar and validates it against its article', async () => {
    const ann = await api.annotations(articleUri(ARTICLE));
    assert.equal(ann.kind, 'ok', JSON.stringify(ann.problems[0]));
    assert.equal(ann.sidecar.entities.length, 38);
    assert.ok(ann.sidecar.entities.some((e) => e.label === 'PER' && e.text === 'Abdelouafi Laftit'));
  });

  it('tags a selection and writes the sidecar through workspace.fs', async () => {
    const uri = articleUri(ARTICLE);
    const sidecar = uri.with({ path: `${uri.path}.ann.yaml` });
    const original = await vscode.workspace.fs.readFile(sidecar);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf('Alliance internationale de sécurité');
    assert.ok(at >= 0);
    editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + 'Alliance internationale de sécurité'.length));
    try {
      const before = (await api.annotations(uri)).sidecar.entities.length;
      await vscode.commands.executeCommand('corpusAnnotator.tagSelection', 'EVENT');
      await until(api, async () => /label: EVENT, start: \d+, end: \d+, text: "Alliance internationale de sécurité"/.test(await readText(sidecar)), 'the EVENT line in the sidecar');
      assert.equal((await api.annotations(uri)).sidecar.entities.length, before + 1);
      const drawn = api.decorations(uri).EVENT ?? [];
      assert.ok(drawn.some((r) => doc.getText(r) === 'Alliance internationale de sécurité'), 'decorated');
    } finally {
      await vscode.workspace.fs.writeFile(sidecar, original);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
  });

  it('Find Likely Annotation Errors runs on a Web Worker: held out by default, or trains a model first (folds 0); lists the planted label in the Problems panel', async () => {
    // (Before: refused in the browser, no worker thread.) One "Laftit" of 000 relabelled LOC among its PER occurrences.
    const planted = articleUri('000_a5c2016fc8888533.txt');
    const id = 'f6by7c';
    const model = articleUri('.corpus-annotator/model.json');
    const modelExists = () => Promise.resolve(vscode.workspace.fs.stat(model)).then(() => true, () => false);
    const listed = () => vscode.languages.getDiagnostics(planted).filter((d) => d.source === 'corpus-annotator: likely error')
      .some((d) => /Laftit/.test(d.message) && /LOC/.test(d.message) && /PER/.test(d.message));
    type Found = { documents: number; findings: number; trained: boolean; folds: number; error?: string } | undefined;
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.changeLabel', { article: planted.toString(), id }, 'LOC'), true);
    try {
      const heldOut = await vscode.commands.executeCommand<Found>('corpusAnnotator.findLikelyErrors');
      assert.ok(heldOut && !heldOut.error, JSON.stringify(heldOut));
      assert.equal(JSON.stringify({ trained: heldOut.trained, folds: heldOut.folds, documents: heldOut.documents }), JSON.stringify({ trained: false, folds: 5, documents: 4 }));
      assert.equal(await modelExists(), false, 'held out: no model file');
      assert.ok(listed(), 'the planted label, held out');

      const result = await vscode.commands.executeCommand<Found>('corpusAnnotator.findLikelyErrors', { folds: 0 });
      assert.ok(result && !result.error, JSON.stringify(result));
      assert.equal(result.trained, true, 'no model yet: trained first');
      assert.equal(result.documents, 4, 'the reviewed documents');
      assert.ok(await modelExists(), 'the model it trained is written');
      assert.ok(listed(), 'the planted label, with the model');
    } finally {
      await vscode.commands.executeCommand('corpusAnnotator.changeLabel', { article: planted.toString(), id }, 'PER');
      await vscode.workspace.fs.delete(articleUri('.corpus-annotator'), { recursive: true }).then(undefined, () => undefined);
    }
  });

  it("Sort by Expected Gain runs on the recommender's Web Worker: core's gains for the same documents and model, the unannotated document first; Sort by Name restores", async () => {
    type Row = { id?: string; label: string; description?: string };
    const rows = async () => (await vscode.commands.executeCommand<Row[]>('corpusAnnotator.tree._children', [])) ?? [];
    const fresh = articleUri('zz-gain-unannotated.txt'); // an article's text without a sidecar: the most to learn from
    const modelDir = articleUri('.corpus-annotator');
    await vscode.workspace.fs.writeFile(fresh, await vscode.workspace.fs.readFile(articleUri('003_3e55259b9cbe4b4c.txt')));
    try {
      await until(api, async () => (await api.articles()).some((u) => u.toString() === fresh.toString()), 'the new article in the corpus');
      await vscode.commands.executeCommand('corpusAnnotator.tree.groupByDocument');
      assert.ok(await vscode.commands.executeCommand('corpusAnnotator.trainRecommender', { epochs: 3, hashBits: 14 }), 'trained');
      const byName = await rows();
      assert.equal(byName.length, 6, byName.map((r) => r.label).join(', '));
      assert.equal(JSON.stringify(await vscode.commands.executeCommand('corpusAnnotator.tree.sortByGain')), JSON.stringify({ sorted: true }));
      assert.equal((await vscode.commands.executeCommand<{ sortedByGain: boolean }>('corpusAnnotator.tree._state')).sortedByGain, true);
      const byGain = await rows();

      // The same figures, from the same files, with core.
      const model = parseModel(await readText(vscode.Uri.joinPath(modelDir, 'model.json'))).model;
      const gains = new Map<string, number>();
      for (const r of byName) {
        const uri = vscode.Uri.parse((r.id ?? '').replace(/^doc:/, ''));
        const sidecarText = await readText(uri.with({ path: `${uri.path}.ann.yaml` })).then((t) => t, () => undefined);
        const sidecar = sidecarText === undefined ? { entities: [] } : readSidecar(sidecarText).sidecar;
        assert.ok(sidecar, r.label);
        gains.set(r.id ?? '', documentGain(model, decodeArticle(await vscode.workspace.fs.readFile(uri)).text, withoutSuggestions(sidecar.entities)).gain);
      }
      const expected = [...byName].sort((a, b) => (gains.get(b.id ?? '') ?? 0) - (gains.get(a.id ?? '') ?? 0) || (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
      assert.equal(JSON.stringify(byGain.map((r) => r.label)), JSON.stringify(expected.map((r) => r.label)));
      assert.equal(byGain[0]?.label, 'zz-gain-unannotated.txt', 'the unannotated document first');
      for (const r of byGain) assert.ok(r.description?.startsWith(`gain ${gains.get(r.id ?? '')?.toFixed(1)} · `), `${r.label}: ${r.description}`);

      await vscode.commands.executeCommand('corpusAnnotator.tree.sortByName');
      assert.equal((await vscode.commands.executeCommand<{ sortedByGain: boolean }>('corpusAnnotator.tree._state')).sortedByGain, false);
      assert.equal(JSON.stringify((await rows()).map((r) => r.id)), JSON.stringify(byName.map((r) => r.id)));
    } finally {
      await vscode.commands.executeCommand('corpusAnnotator.tree.sortByName');
      await vscode.workspace.fs.delete(fresh).then(undefined, () => undefined);
      await vscode.workspace.fs.delete(modelDir, { recursive: true }).then(undefined, () => undefined);
      await until(api, async () => (await api.articles()).length === 5, 'the new article to leave the corpus');
    }
  });

  it('never rewrites an invalid sidecar', async () => {
    const uri = articleUri('004_b0de303a7d7bdf73.txt');
    const sidecar = uri.with({ path: `${uri.path}.ann.yaml` });
    const original = await vscode.workspace.fs.readFile(sidecar);
    const broken = new TextEncoder().encode(decoder.decode(original).replace('entities:', 'entities:\n  - {id: zz, label: PER, start: 0, end: 3, text: "xyz"}'));
    await vscode.workspace.fs.writeFile(sidecar, broken);
    try {
      await until(api, async () => (await api.annotations(uri)).kind === 'invalid', 'the broken sidecar to be noticed');
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      editor.selection = new vscode.Selection(doc.positionAt(0), doc.positionAt(5));
      await vscode.commands.executeCommand('corpusAnnotator.tagSelection', 'PER');
      assert.bytesEqual(await vscode.workspace.fs.readFile(sidecar), broken, 'the broken sidecar is untouched');
    } finally {
      await vscode.workspace.fs.writeFile(sidecar, original);
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    }
    await until(api, async () => (await api.annotations(uri)).kind === 'ok', 'the restored sidecar to be reloaded');
  });
});
