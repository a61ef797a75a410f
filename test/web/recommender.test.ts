// The recommender in the browser's web worker extension host (issue 16): Train Recommender runs on
// a dedicated Web Worker (dist/web/recommender-worker.js) with the documents read through
// workspace.fs, so a tag issued meanwhile completes first; the model file lands where the Node host
// writes it; Suggest with Recommender uses it; a cancel terminates the worker and leaves the model
// file alone; background retraining runs here too. (Before: the command was refused in a browser.)
import * as assert from './assert';
import * as vscode from 'vscode';
import { until } from './poll';
import type { CorpusAnnotatorApi } from '../../src/extension/main';
import { startTraining } from '../../src/extension/recommender-host.web';

const EXTENSION_ID = 'corpus-annotator.corpus-annotator';
const SEED = '003_3e55259b9cbe4b4c.txt'; // in progress: not trained on
const FRESH = 'zz-web-unannotated.txt'; // the seed article's text, no sidecar yet
const TAGGED = '004_b0de303a7d7bdf73.txt';
const NAME = 'Assemblée générale';
const decoder = new TextDecoder();

interface TrainResult { documents: number; entities: number; modelPath: string }

function inFolder(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}
const modelUri = () => inFolder('.corpus-annotator/model.json');
const readText = async (uri: vscode.Uri) => decoder.decode(await vscode.workspace.fs.readFile(uri));
const exists = (uri: vscode.Uri) => Promise.resolve(vscode.workspace.fs.stat(uri)).then(() => true, () => false);

describe('recommender in the web worker host', function () {
  this.timeout(120_000);
  let ext: vscode.Extension<CorpusAnnotatorApi>;
  let api: CorpusAnnotatorApi;
  let savedTagged: Uint8Array;

  before(async () => {
    const found = vscode.extensions.getExtension<CorpusAnnotatorApi>(EXTENSION_ID);
    assert.ok(found, 'the extension is installed');
    ext = found;
    api = await ext.activate();
    savedTagged = await vscode.workspace.fs.readFile(inFolder(`${TAGGED}.ann.yaml`));
    await vscode.workspace.fs.writeFile(inFolder(FRESH), await vscode.workspace.fs.readFile(inFolder(SEED)));
    await until(async () => (await api.articles()).some((u) => u.toString() === inFolder(FRESH).toString()), `${FRESH} to join the corpus`);
  });

  after(async () => {
    await vscode.workspace.getConfiguration('corpusAnnotator.recommender').update('retrainAfter', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.writeFile(inFolder(`${TAGGED}.ann.yaml`), savedTagged);
    for (const uri of [inFolder(FRESH), inFolder(`${FRESH}.ann.yaml`), inFolder('.corpus-annotator')]) await vscode.workspace.fs.delete(uri, { recursive: true }).then(undefined, () => undefined);
  });

  it('trains on a Web Worker: a tag issued meanwhile completes first; the model file is written beside the corpus', async () => {
    const doc = await vscode.workspace.openTextDocument(inFolder(TAGGED));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf(NAME);
    assert.ok(at >= 0);

    const order: string[] = [];
    const started = performance.now();
    // More passes than the default, so that training surely outlasts one tag.
    const training = Promise.resolve(vscode.commands.executeCommand<TrainResult | undefined>('corpusAnnotator.trainRecommender', { epochs: 60 }))
      .then((r) => {
        order.push('train');
        return r;
      });
    // The worker has reported: training is under way, off this host's thread.
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.recommender._nextProgress'), true);
    editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + NAME.length));
    const t0 = performance.now();
    await vscode.commands.executeCommand('corpusAnnotator.tagSelection', 'MISC');
    const tagMs = performance.now() - t0;
    order.push('tag');

    const result = await training;
    console.log(`      tag during browser training: ${tagMs.toFixed(0)} ms; training ${(performance.now() - started).toFixed(0)} ms in all`);
    assert.equal(order.join(','), 'tag,train', 'the tag completed while the model trained');
    assert.ok((await api.annotations(inFolder(TAGGED))).sidecar.entities.some((e) => e.label === 'MISC' && e.text === NAME), 'the tag is in the store');
    assert.ok(result, 'trained');
    assert.equal(result.documents, 4, 'the reviewed demo documents (003 is in progress)');
    assert.equal(result.modelPath, modelUri().toString());
    const model = JSON.parse(await readText(modelUri())) as { format: string; name: string; training: { documents: number; epochs: number } };
    assert.equal(model.format, 'corpus-annotator-recommender');
    assert.equal(model.name, 'model');
    assert.equal(model.training.documents, 4);
    assert.equal(model.training.epochs, 60);
  });

  it('then suggests with that model on an unannotated article (src model:model, a score)', async () => {
    const uri = inFolder(FRESH);
    const added = await vscode.commands.executeCommand<number>('corpusAnnotator.suggestWithRecommender', { article: uri.toString(), scope: 'article' });
    assert.ok(added > 0, 'some suggestions');
    const entities = (await api.annotations(uri)).sidecar.entities;
    assert.equal(entities.length, added);
    for (const e of entities) {
      assert.equal(e.suggested, true);
      assert.equal(e.src, 'model:model');
      assert.ok(Number(e.attrs?.score) >= 0.5, `score ${e.attrs?.score} ≥ the default minimum`);
    }
    assert.ok(/src: "?model:model/.test(await readText(inFolder(`${FRESH}.ann.yaml`))), 'written to the sidecar');
  });

  it('Cancel (the test command) stops training and leaves the model file as it was', async () => {
    const before = await vscode.workspace.fs.readFile(modelUri());
    const training = Promise.resolve(vscode.commands.executeCommand<TrainResult | undefined>('corpusAnnotator.trainRecommender', { epochs: 100_000 }));
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.recommender._nextProgress'), true);
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.recommender._cancelTraining'), true);
    assert.equal(await training, undefined, 'not trained');
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.recommender._nextProgress'), false, 'no training runs any more');
    assert.bytesEqual(await vscode.workspace.fs.readFile(modelUri()), before, 'the model file is unchanged');
  });

  it('a cancel terminates the Web Worker itself', async () => {
    // The host's Worker, wrapped to see the terminate call (the run hides its worker). VS Code's
    // worker host defines its own Worker, whose methods are the instance's: patch each instance.
    type AnyWorker = { terminate(): void };
    const g = globalThis as { Worker?: new (url: string, options?: unknown) => AnyWorker };
    const Original = g.Worker;
    assert.ok(Original, 'this host has Web Workers');
    const terminated: string[] = [];
    const Spy = function (url: string, options?: unknown): AnyWorker {
      const w = new Original(url, options);
      const terminate = w.terminate.bind(w);
      w.terminate = () => {
        terminated.push('terminate');
        terminate();
      };
      return w;
    };
    Object.defineProperty(globalThis, 'Worker', { value: Spy, configurable: true, writable: true });
    assert.equal(g.Worker as unknown, Spy, 'the spy is in place');
    try {
      let passStarted: () => void = () => undefined;
      const inPass = new Promise<void>((r) => { passStarted = r; });
      const doc = { name: 'a.txt', text: 'Léa Dupont habite à Paris. Marc Petit habite à Lyon.', entities: [{ start: 0, end: 10, label: 'PER' }, { start: 27, end: 37, label: 'PER' }] };
      const run = startTraining(ext.extensionUri, { statuses: ['done'], name: 'x', epochs: 10_000_000, hashBits: 10 }, { root: undefined, read: async () => ({ docs: [doc], skipped: 0, problems: [] }) },
        (message) => { if (message.startsWith('pass')) passStarted(); });
      assert.ok(run, 'this host can start a Web Worker');
      await inPass;
      run.cancel();
      assert.equal((await run.outcome).kind, 'cancelled');
      assert.equal(terminated.join(','), 'terminate');
    } finally {
      Object.defineProperty(globalThis, 'Worker', { value: Original, configurable: true, writable: true });
    }
  });

  it('leaves out an invalid sidecar (named in the log) and trains on the rest', async () => {
    const uri = inFolder('000_a5c2016fc8888533.txt');
    const sidecar = inFolder('000_a5c2016fc8888533.txt.ann.yaml');
    const original = await vscode.workspace.fs.readFile(sidecar);
    // An entity whose text is not the article's there: the sidecar is invalid.
    await vscode.workspace.fs.writeFile(sidecar, new TextEncoder().encode(decoder.decode(original).replace('entities:', 'entities:\n  - {id: zz, label: PER, start: 0, end: 3, text: "xyz"}')));
    try {
      await until(async () => (await api.annotations(uri)).kind === 'invalid', 'the broken sidecar to be noticed');
      const result = await vscode.commands.executeCommand<TrainResult | undefined>('corpusAnnotator.trainRecommender', { epochs: 2 });
      assert.ok(result, 'trained');
      assert.equal(result.documents, 3, 'the three valid reviewed documents');
    } finally {
      await vscode.workspace.fs.writeFile(sidecar, original);
    }
    await until(async () => (await api.annotations(uri)).kind === 'ok', 'the restored sidecar to be reloaded');
  });

  it('retrains in the background after the set number of annotations', async () => {
    await vscode.workspace.fs.delete(modelUri());
    await vscode.workspace.getConfiguration('corpusAnnotator.recommender').update('retrainAfter', 1, vscode.ConfigurationTarget.Workspace);
    const uri = inFolder(FRESH);
    const ann = await api.annotations(uri); // seen once: loading is not annotating
    const suggestion = ann.sidecar.entities.find((e) => e.suggested === true);
    assert.ok(suggestion, 'a suggestion left from the test before');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.nextSuggestion'), true);
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.acceptSuggestion'), 1, 'one annotation made');
    await until(() => exists(modelUri()), 'the model file to be written by background retraining', 30_000);
    const model = JSON.parse(await readText(modelUri())) as { training: { documents: number } };
    assert.equal(model.training.documents, 4);
  });
});
