// The store's incremental sidecar write (src/core/sidecar/sidecar-patch.ts, WrittenSidecar): a run of
// annotation changes each leaves exactly the canonical file on disk (the test host also sets
// CORPUS_ANNOTATOR_CHECK_WRITES, so every patched write is compared with the full writer), and a
// file changed on disk between two patched writes is neither patched nor overwritten.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { activateApi, articleUri, waitForFile, waitForStore } from './helpers';

const entityLines = (text: string) => text.split('\n').filter((l) => l.startsWith('  - {'));

describe('incremental sidecar writes', () => {
  it('tag, relabel, remove, undo, redo and status changes each leave the canonical sidecar of the model on disk', async () => {
    const api = await activateApi();
    const uri = articleUri('003_3e55259b9cbe4b4c.txt');
    const sidecarPath = `${uri.fsPath}.ann.yaml`;
    const original = fs.existsSync(sidecarPath) ? fs.readFileSync(sidecarPath, 'utf8') : undefined;
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      const loaded = await api.annotations(uri);
      assert.equal(loaded.kind, 'ok');
      const before = loaded.sidecar.entities; // as loaded (`loaded` itself follows every edit)
      /** The file on disk is exactly writeSidecar of what the store holds, once the write landed. */
      const settled = async (what: string) => {
        await waitForStore(api, async () => {
          const ann = await api.annotations(uri);
          return fs.existsSync(sidecarPath) && fs.readFileSync(sidecarPath, 'utf8') === writeSidecar(ann.sidecar);
        }, what);
        const text = fs.readFileSync(sidecarPath, 'utf8');
        assert.deepEqual(readSidecar(text).problems, [], what);
        return text;
      };

      // Two untagged words, tagged one after the other (the second write patches the first's text).
      const cp = (utf16: number) => [...doc.getText().slice(0, utf16)].length;
      const words = [...doc.getText().matchAll(/\p{Ll}{9,}/gu)]
        .filter((m) => !before.some((e) => e.start < cp((m.index as number) + m[0].length) && cp(m.index as number) < e.end));
      assert.ok(words.length >= 2, 'two untagged words to tag');
      const tag = async (m: RegExpMatchArray, label: string) => {
        const at = m.index as number;
        editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + m[0].length));
        assert.equal(await vscode.commands.executeCommand('corpusAnnotator.tagSelection', label), 1);
      };
      await tag(words[0] as RegExpMatchArray, 'MISC');
      let text = await settled('first tag written');
      const count = entityLines(text).length;
      await tag(words[words.length - 1] as RegExpMatchArray, 'EVENT');
      text = await settled('second tag written');
      assert.equal(entityLines(text).length, count + 1);

      const added = (await api.annotations(uri)).sidecar.entities.find((e) => e.label === 'EVENT' && !before.some((b) => b.id === e.id));
      assert.ok(added, 'the EVENT entity just tagged');
      assert.equal(await vscode.commands.executeCommand('corpusAnnotator.changeLabel', { article: uri.toString(), id: added.id }, 'ORG'), true);
      text = await settled('relabel written');
      assert.ok(text.includes(`{id: ${added.id}, label: ORG,`));

      const first = before[0];
      assert.ok(first);
      assert.equal(await vscode.commands.executeCommand('corpusAnnotator.removeTag', { article: uri.toString(), id: first.id }), 1);
      text = await settled('removal written');
      assert.ok(!text.includes(`{id: ${first.id},`));

      await vscode.commands.executeCommand('corpusAnnotator.undo');
      text = await settled('undo written');
      assert.ok(text.includes(`{id: ${first.id},`));
      await vscode.commands.executeCommand('corpusAnnotator.redo');
      text = await settled('redo written');
      assert.ok(!text.includes(`{id: ${first.id},`));

      await vscode.commands.executeCommand('corpusAnnotator.setStatus', 'reviewed');
      text = await settled('status written');
      assert.ok(text.includes('\nstatus: reviewed\n'));
      assert.equal(entityLines(text).length, count, 'one added, one removed');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      if (original !== undefined) {
        fs.writeFileSync(sidecarPath, original);
        await waitForStore(api, async () => writeSidecar((await api.annotations(uri)).sidecar) === original, 'the shipped sidecar reloaded');
      }
    }
  });

  it('never patches a sidecar another program changed since the last write: its change is kept', async () => {
    const api = await activateApi();
    const uri = articleUri('001_e23791ebed5de2ea.txt');
    const sidecarPath = `${uri.fsPath}.ann.yaml`;
    const original = fs.readFileSync(sidecarPath, 'utf8');
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      await api.annotations(uri);
      const tag = async (phrase: string, label: string) => {
        const at = doc.getText().indexOf(phrase);
        assert.ok(at >= 0, phrase);
        editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + phrase.length));
        await vscode.commands.executeCommand('corpusAnnotator.tagSelection', label);
        return waitForFile(sidecarPath, (c) => (c.includes(`text: "${phrase}"`) ? c : undefined), { what: `"${phrase}" on disk` });
      };
      // A first write by this window: the next one could patch it...
      const written = await tag('réunion ministérielle', 'EVENT');
      // ...but another program rewrites the file meanwhile: one entity relabelled, one added, same length of text.
      const [firstLine] = entityLines(written);
      assert.ok(firstLine);
      const relabelled = firstLine.replace(/label: ([A-Z]+),/, (_, l: string) => `label: ${l === 'MISC' ? 'ORG' : 'MISC'},`);
      const cp = [...doc.getText().slice(0, doc.getText().indexOf('Dubaï'))].length;
      const otherLine = `  - {id: zzother, label: MISC, start: ${cp}, end: ${cp + 5}, text: "Dubaï", by: other-window}`;
      const foreign = written.replace(firstLine, relabelled).replace(/\nentities:\n/, `\nentities:\n${otherLine}\n`);
      fs.writeFileSync(sidecarPath, foreign);
      const final = await tag('coalition sécuritaire', 'MISC');
      assert.ok(final.includes('{id: zzother, label: MISC,'), 'the other program\'s entity survived');
      assert.ok(final.includes(relabelled), 'the other program\'s relabelling survived');
      const parsed = readSidecar(final);
      assert.deepEqual(parsed.problems, []);
      assert.equal(writeSidecar(parsed.sidecar as NonNullable<typeof parsed.sidecar>), final, 'canonical');
      assert.equal(entityLines(final).length, entityLines(written).length + 2, 'the other program\'s entity and ours');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.writeFileSync(sidecarPath, original);
      await waitForStore(api, async () => writeSidecar((await api.annotations(uri)).sidecar) === original, 'the shipped sidecar reloaded');
    }
  });
});
