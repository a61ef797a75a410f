// Sort by Expected Gain (issue 16, active learning) in the real host: without a model it asks for
// training and leaves the order alone; with the recommender trained on the demo corpus, the
// sidebar's documents come in the order of core's expected gains for the same model (computed
// here from the files), each row saying its gain; a change to a document moves nothing (the gains
// are a snapshot); Sort by Name puts the name order back.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { sortByGain } from '../../src/core/corpus/tree-model';
import { decodeArticle } from '../../src/core/model/article';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { documentGain, DocumentGain } from '../../src/core/suggest/recommender/expected-gain';
import { parseModel } from '../../src/core/suggest/recommender/model-file';
import { withoutSuggestions } from '../../src/core/suggest/suggest';
import { activateApi, articleUri, waitForCorpus, waitForFile, workspaceDir } from './helpers';

const SEED = '003_3e55259b9cbe4b4c.txt';
const FRESH = 'zz-gain-unannotated.txt'; // the seed article's text, no sidecar: the most to learn from
const NAME = 'Assemblée générale';

interface Row { id?: string; label: string; description?: string; tooltip?: string }
interface State { sortedByGain: boolean; grouping: string }

const rows = () => vscode.commands.executeCommand<Row[]>('corpusAnnotator.tree._children', []);
const state = () => vscode.commands.executeCommand<State>('corpusAnnotator.tree._state');

describe('sort by expected gain', function () {
  this.timeout(120_000);
  const modelDir = () => path.join(workspaceDir(), '.corpus-annotator');

  before(async () => {
    const api = await activateApi();
    fs.rmSync(modelDir(), { recursive: true, force: true });
    fs.copyFileSync(articleUri(SEED).fsPath, articleUri(FRESH).fsPath);
    await waitForCorpus(api, articleUri(FRESH));
    await vscode.commands.executeCommand('corpusAnnotator.tree.groupByDocument');
  });

  after(async () => {
    await vscode.commands.executeCommand('corpusAnnotator.tree.sortByName');
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const f of [articleUri(FRESH).fsPath, `${articleUri(FRESH).fsPath}.ann.yaml`]) fs.rmSync(f, { force: true });
    fs.rmSync(modelDir(), { recursive: true, force: true });
    // The next suites count the demo's five articles: wait until the corpus has let this one go.
    await waitForCorpus(await activateApi(), articleUri(FRESH), false);
  });

  it('without a model: nothing is computed and the order stays by name', async () => {
    const before = (await rows()).map((r) => r.id);
    const result = await vscode.commands.executeCommand<{ sorted: boolean; why?: string }>('corpusAnnotator.tree.sortByGain');
    assert.equal(result.sorted, false);
    assert.match(result.why ?? '', /needs the recommender's trained model \(none at \.corpus-annotator\/model\.json\)/);
    assert.equal((await state()).sortedByGain, false);
    assert.deepEqual((await rows()).map((r) => r.id), before);
  });

  it("with the trained model: core's gains, highest first, each row saying its own; a change moves nothing; Sort by Name restores", async () => {
    const trained = await vscode.commands.executeCommand<{ documents: number } | undefined>('corpusAnnotator.trainRecommender', { epochs: 3, hashBits: 14 });
    assert.ok(trained, 'trained');
    const byName = await rows();
    assert.ok(byName.every((r) => !/gain/.test(r.description ?? '')));

    const started = performance.now();
    assert.deepEqual(await vscode.commands.executeCommand('corpusAnnotator.tree.sortByGain'), { sorted: true });
    console.log(`      sort by expected gain (${byName.length} documents): ${(performance.now() - started).toFixed(0)} ms`);
    assert.equal((await state()).sortedByGain, true);
    const byGain = await rows();

    // The same figures, from the files, with core.
    const model = parseModel(fs.readFileSync(path.join(modelDir(), 'model.json'), 'utf8')).model;
    const gains = new Map<string, DocumentGain>();
    for (const r of byName) {
      const file = vscode.Uri.parse((r.id ?? '').replace(/^doc:/, '')).fsPath;
      const sidecar = fs.existsSync(`${file}.ann.yaml`) ? readSidecar(fs.readFileSync(`${file}.ann.yaml`, 'utf8')).sidecar : { entities: [] };
      assert.ok(sidecar, file);
      gains.set(r.id ?? '', documentGain(model, decodeArticle(fs.readFileSync(file)).text, withoutSuggestions(sidecar.entities)));
    }
    const expected = sortByGain(byName, (r) => r.id ?? '', { entries: new Map([...gains].map(([k, gain]) => [k, { gain }])), model: 'model', taken: '' });
    assert.deepEqual(byGain.map((r) => r.id), expected.map((r) => r.id));
    assert.equal(byGain[0]?.label, FRESH, 'the unannotated document first');
    assert.ok((gains.get(byGain[0]?.id ?? '')?.gain ?? 0) > (gains.get(byGain[1]?.id ?? '')?.gain ?? 0));
    for (const r of byGain) {
      assert.ok(r.description?.startsWith(`gain ${gains.get(r.id ?? '')?.gain.toFixed(1)} · `), `${r.label}: ${r.description}`);
      assert.match(r.tooltip ?? '', /snapshot taken at .*Sort by Expected Gain\* again/s);
    }

    // Annotating the first document changes its figures, not the order nor the gain shown.
    const uri = articleUri(FRESH);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf(NAME);
    assert.ok(at >= 0);
    editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + NAME.length));
    await vscode.commands.executeCommand('corpusAnnotator.tagWithKey', 6);
    await waitForFile(`${uri.fsPath}.ann.yaml`, (t) => t.includes(NAME));
    const after = await rows();
    assert.deepEqual(after.map((r) => r.id), byGain.map((r) => r.id));
    assert.equal(after[0]?.description?.split(' · ')[0], byGain[0]?.description?.split(' · ')[0]);
    assert.match(after[0]?.description ?? '', /1 entity/, 'the row itself is current');

    // Sorting again (here from the palette while grouped by label) takes a new snapshot, and shows the documents.
    await vscode.commands.executeCommand('corpusAnnotator.tree.groupByLabel');
    assert.deepEqual(await vscode.commands.executeCommand('corpusAnnotator.tree.sortByGain'), { sorted: true });
    assert.equal((await state()).grouping, 'document');
    const gainShown = (r: Row | undefined) => Number(/^gain (\S+) · /.exec(r?.description ?? '')?.[1]);
    const fresh = (await rows()).find((r) => r.label === FRESH);
    assert.ok(gainShown(fresh) <= gainShown(byGain[0]), `${fresh?.description} after annotating, ${byGain[0]?.description} before`);

    await vscode.commands.executeCommand('corpusAnnotator.tree.sortByName');
    assert.equal((await state()).sortedByGain, false);
    const back = await rows();
    assert.deepEqual(back.map((r) => r.id), byName.map((r) => r.id));
    assert.ok(back.every((r) => !/gain/.test(r.description ?? '')));
  });
});
