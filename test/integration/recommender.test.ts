// The recommender in the real host (issue 16): Train Recommender on the demo corpus runs on a
// worker thread (a tag issued meanwhile completes before training ends), Suggest with Recommender
// on an unannotated article adds scored suggestions (`src: model:<name>`, score in the hover), one
// is accepted with the accept command (Ctrl+Alt+Y), and Next Most Uncertain (Ctrl+Alt+U) walks the
// least confident predictions. Timings are printed, never asserted (they belong in benches).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { CorpusAnnotatorApi } from '../../src/extension/main';
import { activateApi, articleUri, waitForCorpus, workspaceDir } from './helpers';

const SEED = '003_3e55259b9cbe4b4c.txt'; // in progress: not trained on
const FRESH = 'zz-unannotated.txt'; // the seed article's text, no sidecar yet
const TAGGED = '004_b0de303a7d7bdf73.txt';
const NAME = 'Assemblée générale';

interface DiskEntity { id: string; label: string; start: number; end: number; text: string; src?: string; suggested?: boolean; attrs?: Record<string, string> }
const onDisk = (name: string): DiskEntity[] => (parse(fs.readFileSync(`${articleUri(name).fsPath}.ann.yaml`, 'utf8')) as { entities?: DiskEntity[] }).entities ?? [];

describe('recommender in VS Code', function () {
  this.timeout(120_000);
  const modelDir = () => path.join(workspaceDir(), '.corpus-annotator');
  let savedTagged: Buffer;
  let api: CorpusAnnotatorApi;

  before(async () => {
    api = await activateApi();
    savedTagged = fs.readFileSync(`${articleUri(TAGGED).fsPath}.ann.yaml`);
    fs.copyFileSync(articleUri(SEED).fsPath, articleUri(FRESH).fsPath);
    await waitForCorpus(api, articleUri(FRESH));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.writeFileSync(`${articleUri(TAGGED).fsPath}.ann.yaml`, savedTagged);
    for (const f of [articleUri(FRESH).fsPath, `${articleUri(FRESH).fsPath}.ann.yaml`]) fs.rmSync(f, { force: true });
    fs.rmSync(modelDir(), { recursive: true, force: true });
    // Gone from the corpus before the next suite counts its documents.
    await waitForCorpus(api, articleUri(FRESH), false);
  });

  it('trains on a worker thread: a tag issued meanwhile completes before training ends', async () => {
    const doc = await vscode.workspace.openTextDocument(articleUri(TAGGED));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf(NAME);
    assert.ok(at >= 0);
    const tag = async (): Promise<number> => {
      editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + NAME.length));
      const t0 = performance.now();
      await vscode.commands.executeCommand('corpusAnnotator.tagWithKey', 6);
      return performance.now() - t0;
    };
    // The same tag with nothing else running, for comparison (printed, not asserted).
    const idleMs = await tag();
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.undo'), true);
    assert.ok(!onDisk(TAGGED).some((e) => e.text === NAME), 'undone');

    const order: string[] = [];
    const started = performance.now();
    // More passes than the default, so that training surely outlasts one tag on a fast machine.
    const training = Promise.resolve(vscode.commands.executeCommand<{ documents: number; entities: number; modelPath: string } | undefined>('corpusAnnotator.trainRecommender', { epochs: 60 }))
      .then((r) => {
        order.push('train');
        return r;
      });
    // The worker has started and reported: training is under way.
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.recommender._nextProgress'), true);

    const tagMs = await tag();
    order.push('tag');
    assert.ok(onDisk(TAGGED).some((e) => e.text === NAME && e.label === 'MISC'), 'the tag is on disk');

    const result = await training;
    console.log(`      tag (command to sidecar written): ${idleMs.toFixed(0)} ms idle, ${tagMs.toFixed(0)} ms during training; training ${(performance.now() - started).toFixed(0)} ms in all`);
    assert.deepEqual(order, ['tag', 'train'], 'the tag completed while the model trained');
    assert.ok(result, 'trained');
    assert.equal(result.documents, 4, 'the reviewed demo documents (003 is in progress)');
    assert.equal(result.modelPath, vscode.Uri.file(path.join(modelDir(), 'model.json')).toString());
    const model = JSON.parse(fs.readFileSync(path.join(modelDir(), 'model.json'), 'utf8')) as { format: string; name: string; training: { documents: number } };
    assert.equal(model.format, 'corpus-annotator-recommender');
    assert.equal(model.name, 'model');
    assert.equal(model.training.documents, 4);
  });

  it('suggests on an unannotated article with scores in the hover; Ctrl+Alt+Y accepts one, src model:model', async () => {
    const uri = articleUri(FRESH);
    const added = await vscode.commands.executeCommand<number>('corpusAnnotator.suggestWithRecommender', { article: uri.toString(), scope: 'article' });
    assert.ok(added > 0, 'some suggestions');
    const suggested = onDisk(FRESH);
    assert.equal(suggested.length, added);
    for (const e of suggested) {
      assert.equal(e.suggested, true);
      assert.equal(e.src, 'model:model');
      assert.match(e.attrs?.score ?? '', /^[01]\.\d\d$/);
      assert.ok(Number(e.attrs?.score) >= 0.5, 'the default minimum score');
    }
    // Idempotent, as every suggestion source.
    assert.equal(await vscode.commands.executeCommand<number>('corpusAnnotator.suggestWithRecommender', { article: uri.toString(), scope: 'article' }), 0);

    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.nextSuggestion'), true);
    const first = suggested[0] as DiskEntity;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, editor.selection.start.translate(0, 1));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, new RegExp(`Model score \\*\\*${first.attrs?.score?.replace('.', '\\\\\\.')}\\*\\*`), text);

    // Ctrl+Alt+Y.
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.acceptSuggestion'), 1);
    const accepted = onDisk(FRESH).find((e) => e.id === first.id);
    assert.equal(accepted?.suggested, undefined, 'an annotation now');
    assert.equal(accepted?.src, 'model:model');
    assert.equal(accepted?.attrs?.score, first.attrs?.score);
  });

  it('Next Most Uncertain (Ctrl+Alt+U) selects the least confident unannotated prediction, then the next', async () => {
    const api = await activateApi();
    const uri = articleUri(FRESH);
    const editor = await vscode.window.showTextDocument(uri);
    const ann = await api.annotations(uri);
    const annotated = ann.sidecar.entities.filter((e) => e.suggested !== true);
    assert.equal(annotated.length, 1, 'the one accepted');
    type P = { start: number; end: number; label: string; score: number };
    const seen: P[] = [];
    for (let i = 0; i < 3; i++) {
      const p = await vscode.commands.executeCommand<P | undefined>('corpusAnnotator.nextMostUncertain');
      assert.ok(p, 'a prediction');
      const sel = { start: ann.offsets.toCodePoint(editor.document.offsetAt(editor.selection.start)), end: ann.offsets.toCodePoint(editor.document.offsetAt(editor.selection.end)) };
      assert.deepEqual(sel, { start: p.start, end: p.end }, 'selected');
      assert.ok(!annotated.some((a) => a.start < p.end && p.start < a.end), 'never an annotated span');
      seen.push(p);
    }
    const margins = seen.map((p) => Math.abs(p.score - 0.5));
    assert.deepEqual(margins, [...margins].sort((a, b) => a - b), `least confident first: ${seen.map((p) => p.score.toFixed(3)).join(', ')}`);
    assert.equal(new Set(seen.map((p) => `${p.start}:${p.end}`)).size, 3, 'each press moves on');
  });
});
