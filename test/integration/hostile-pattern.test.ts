// A repository's patterns.yaml with a catastrophic regex (`(a+)+$` on "aaa…ab" never ends) must not
// freeze the editor: in the Node host the patterns run on a worker that is stopped after its budget,
// so a tag issued meanwhile completes first, and the suggest command reports the pattern and ends.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { activateApi, articleUri, waitForCorpus, waitForFile, workspaceDir } from './helpers';

const EVIL = 'zz-hostile-pattern.txt';
const TAGGED = '004_b0de303a7d7bdf73.txt';
const NAME = 'Assemblée générale';

describe('a hostile pattern file', () => {
  const saved = new Map<string, Buffer>();
  const files = () => [path.join(workspaceDir(), 'patterns.yaml'), `${articleUri(TAGGED).fsPath}.ann.yaml`];

  before(async () => {
    const api = await activateApi();
    for (const f of files()) saved.set(f, fs.readFileSync(f));
    fs.writeFileSync(path.join(workspaceDir(), 'patterns.yaml'), [
      'version: 1',
      'patterns:',
      '  - name: catastrophic',
      '    label: MISC',
      "    regex: '(a+)+$'",
      '  - name: year',
      '    label: DATE',
      "    regex: '(?:19|20)\\d{2}'",
      '',
    ].join('\n'));
    // 40 a's then a b: the regex backtracks 2^40 times.
    fs.writeFileSync(articleUri(EVIL).fsPath, `En 2031, ${'a'.repeat(40)}b\n`);
    await waitForCorpus(api, articleUri(EVIL));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const [f, content] of saved) fs.writeFileSync(f, content);
    for (const f of [articleUri(EVIL).fsPath, `${articleUri(EVIL).fsPath}.ann.yaml`]) fs.rmSync(f, { force: true });
  });

  it('is stopped and skipped, while a tag issued meanwhile completes first', async function () {
    const order: string[] = [];
    const suggesting = Promise.resolve(vscode.commands.executeCommand<number>('corpusAnnotator.suggestFromGazetteers', { article: articleUri(EVIL).toString(), scope: 'article' }))
      .then((n) => {
        order.push('suggest');
        return n;
      });

    // Meanwhile, the annotator tags a name in another article.
    const doc = await vscode.workspace.openTextDocument(articleUri(TAGGED));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.getText().indexOf(NAME);
    assert.ok(at >= 0);
    editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + NAME.length));
    await vscode.commands.executeCommand('corpusAnnotator.tagWithKey', 6);
    order.push('tag');

    const added = await suggesting;
    assert.deepEqual(order, ['tag', 'suggest'], 'the tag completed while the patterns ran');
    // The other pattern still ran: "2031" is suggested; the catastrophic one added nothing.
    assert.equal(added, 1);
    const sidecar = await waitForFile(`${articleUri(EVIL).fsPath}.ann.yaml`, (t) => (parse(t) as { entities?: Array<{ text: string; src?: string }> }).entities);
    assert.deepEqual(sidecar.map((e) => [e.text, e.src]), [["2031", "pattern:year"]]);
  });
});
