// A repository's patterns.yaml with a catastrophic regex (`(a+)+$` on "aaa…ab" never ends) must not
// freeze the browser's web worker extension host: patterns run on a dedicated Web Worker, loaded
// from the extension's own dist/web/pattern-worker.js and terminated after its budget, so a tag
// issued meanwhile completes first and the suggest command reports the pattern and ends.
// (Before: patterns ran inline in this host; the suite hung until the runner's timeout.)
import * as assert from './assert';
import * as vscode from 'vscode';
import { until } from './poll';
import type { CorpusAnnotatorApi } from '../../src/extension/main';
import { parsePatterns } from '../../src/core/suggest/patterns';
import { hostPatternRunner } from '../../src/extension/pattern-host.web';

const EXTENSION_ID = 'corpus-annotator.corpus-annotator';
const EVIL = 'zz-hostile-pattern.txt';
const TAGGED = '004_b0de303a7d7bdf73.txt';
const NAME = 'Assemblée générale';
// 40 a's then a b: `(a+)+$` backtracks 2^40 times; `(a|a)*$` too. Two of them keep the suggest
// command busy for two budgets, the window in which the tag below must complete.
const PATTERNS = [
  'version: 1',
  'patterns:',
  '  - name: catastrophic',
  '    label: MISC',
  "    regex: '(a+)+$'",
  '  - name: alternation',
  '    label: MISC',
  "    regex: '(a|a)*$'",
  '  - name: year',
  '    label: DATE',
  "    regex: '(?:19|20)\\d{2}'",
  '',
].join('\n');
const TEXT = `En 2031, ${'a'.repeat(40)}b\n`;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function inFolder(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'a workspace folder is open');
  return vscode.Uri.joinPath(folder.uri, name);
}

describe('a hostile pattern file in the web worker host', () => {
  let ext: vscode.Extension<CorpusAnnotatorApi>;
  let api: CorpusAnnotatorApi;
  const saved = new Map<string, Uint8Array>();
  const evil = () => inFolder(EVIL);

  before(async () => {
    const found = vscode.extensions.getExtension<CorpusAnnotatorApi>(EXTENSION_ID);
    assert.ok(found, 'the extension is installed');
    ext = found;
    api = await ext.activate();
    for (const uri of [inFolder('patterns.yaml'), inFolder(`${TAGGED}.ann.yaml`)]) saved.set(uri.toString(), await vscode.workspace.fs.readFile(uri));
    await vscode.workspace.fs.writeFile(inFolder('patterns.yaml'), encoder.encode(PATTERNS));
    await vscode.workspace.fs.writeFile(evil(), encoder.encode(TEXT));
    await until(async () => (await api.articles()).some((u) => u.toString() === evil().toString()), `${EVIL} to join the corpus`);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const [uri, bytes] of saved) await vscode.workspace.fs.writeFile(vscode.Uri.parse(uri), bytes);
    for (const uri of [evil(), evil().with({ path: `${evil().path}.ann.yaml` })]) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  });

  it('starts a Web Worker from the extension\'s own script; a runaway pattern is reported as timed out and skipped', async () => {
    const runner = await hostPatternRunner(ext.extensionUri);
    assert.ok(runner, 'this host can start a Web Worker');
    try {
      const { set, problems } = parsePatterns(PATTERNS, 'patterns.yaml');
      assert.equal(problems.filter((p) => p.severity === 'error').length, 0, JSON.stringify(problems));
      const result = await runner.run(set.patterns, TEXT);
      assert.equal(result.timedOut.map((p) => p.name).join(','), 'catastrophic,alternation');
      const year = set.patterns.find((p) => p.name === 'year');
      assert.ok(year);
      assert.equal(result.matches.get(year)?.spans.length, 1, 'the pattern after them still ran, on a fresh worker');
      // The worker was replaced, not left broken: the next document runs normally.
      const next = await runner.run([year], 'En 1999.');
      assert.equal(next.timedOut.length, 0);
      assert.equal(next.matches.get(year)?.spans.length, 1);
    } finally {
      runner.close();
    }
  });

  it('keeps the host responsive: a tag issued meanwhile completes before the suggest command', async () => {
    const order: string[] = [];
    const suggesting = Promise.resolve(vscode.commands.executeCommand<number>('corpusAnnotator.suggestFromGazetteers', { article: evil().toString(), scope: 'article' }))
      .then((n) => {
        order.push('suggest');
        return n;
      });

    const tagged = inFolder(TAGGED);
    const doc = await vscode.workspace.openTextDocument(tagged);
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf(NAME);
    assert.ok(at >= 0);
    editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + NAME.length));
    await vscode.commands.executeCommand('corpusAnnotator.tagSelection', 'MISC');
    order.push('tag');

    const added = await suggesting;
    assert.equal(order.join(','), 'tag,suggest', 'the tag completed while the patterns ran');
    assert.ok((await api.annotations(tagged)).sidecar.entities.some((e) => e.label === 'MISC' && e.text === NAME), 'the tag is in the store');
    // The other pattern still ran: "2031" is suggested; the catastrophic ones added nothing.
    assert.equal(added, 1);
    const sidecar = decoder.decode(await vscode.workspace.fs.readFile(evil().with({ path: `${evil().path}.ann.yaml` })));
    assert.ok(/text: "2031".*src: "?pattern:year/.test(sidecar), sidecar);
    assert.ok(!/MISC/.test(sidecar), sidecar);
  });
});
