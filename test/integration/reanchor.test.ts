// The article changes outside the editor (re-scraped, edited elsewhere): its entities are found
// again and the sidecar updated — or, where they are gone, listed and never moved to a wrong place.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CorpusAnnotatorApi } from '../../src/extension/main';
import { activateApi, articleUri, waitForCorpus, waitForFile, waitForStore, waitUntil, workspaceDir } from './helpers';

describe('re-anchoring after the article changed on disk', () => {
  let api: CorpusAnnotatorApi;
  before(async () => {
    api = await activateApi();
  });

  /** Runs `body` on an article, then puts the article and its sidecar back as shipped. */
  async function withArticle(name: string, body: (uri: vscode.Uri, sidecarPath: string) => Promise<void>): Promise<void> {
    const uri = articleUri(name);
    const sidecarPath = `${uri.fsPath}.ann.yaml`;
    const article = fs.readFileSync(uri.fsPath);
    const sidecar = fs.readFileSync(sidecarPath);
    try {
      await body(uri, sidecarPath);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.writeFileSync(uri.fsPath, article);
      fs.writeFileSync(sidecarPath, sidecar);
      await waitForStore(api, async () => {
        const a = await api.annotations(uri);
        return a.kind === 'ok' && a.text === article.toString('utf8');
      }, `${name} back as shipped`);
    }
  }

  async function staleOffsetsOnTheSameWord(editorFirst: boolean): Promise<void> {
    const OLD = 'The minister visited Paris on Monday. Later, Paris hosted the summit.\n';
    const p1 = OLD.indexOf('Paris');
    const p2 = OLD.indexOf('Paris', p1 + 1);
    const NEW = 'Breaking news from AFP t'.slice(0, p2 - p1) + OLD;
    const name = editorFirst ? 'zz-stale-offsets-editor-first.txt' : 'zz-stale-offsets.txt';
    const uri = vscode.Uri.file(path.join(workspaceDir(), name));
    const sidecarPath = `${uri.fsPath}.ann.yaml`;
    const hash = (t: string) => createHash('sha256').update(t).digest('hex');
    fs.writeFileSync(uri.fsPath, OLD);
    fs.writeFileSync(sidecarPath, `version: 1\ndocument: ${name}\nsha256: ${hash(OLD)}\nstatus: done\nentities:\n  - {id: p2, label: LOC, start: ${p2}, end: ${p2 + 5}, text: "Paris"}\n`);
    try {
      // Open, as the annotator has it: the extension keeps the text of open articles (a closed one
      // may be dropped from memory, issue 14; then only its stored offsets are left to go by).
      await vscode.window.showTextDocument(uri, { preview: false });
      assert.equal((await api.annotations(uri)).kind, 'ok'); // the extension has seen the old text
      const editor = vscode.window.activeTextEditor;
      if (editorFirst) {
        // The editor's text reaches the extension before the file watcher's event reloads the
        // annotations (on a loaded CI machine it did even without this): the annotator typed after
        // the entity, the file changed on disk meanwhile, and the annotator reverts to it.
        assert.ok(await editor?.edit((b) => b.insert(editor.document.positionAt(OLD.length), 'x')));
      }
      fs.writeFileSync(uri.fsPath, NEW);
      if (editorFirst) await vscode.commands.executeCommand('workbench.action.files.revert');
      const moved = p2 + (NEW.length - OLD.length);
      const saved = await waitForFile(sidecarPath, (c) => (c.includes(`sha256: ${hash(NEW)}`) ? c : undefined), { what: 'the re-anchored sidecar with the new hash' });
      assert.match(saved, new RegExp(`start: ${moved}, end: ${moved + 5}, text: "Paris"`), 'moved to where the old context is, not kept on the first "Paris"');
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(uri.fsPath, { force: true });
      fs.rmSync(sidecarPath, { force: true });
      await waitForCorpus(api, uri, false);
    }
  }

  it('re-anchors by the old text around it an entity whose stale offsets land on the same word (issue 15 item 6)', () => staleOffsetsOnTheSameWord(false));
  it('…also when the editor shows the new text before the file watcher reports it (typed, then reverted to the changed file)', () => staleOffsetsOnTheSameWord(true));

  it('finds every entity again after a paragraph is inserted, and saves the moved offsets with the new hash', async () => {
    await withArticle('001_e23791ebed5de2ea.txt', async (uri, sidecarPath) => {
      const before = (await api.annotations(uri)).sidecar.entities;
      const lead = 'Rabat – Un paragraphe ajouté en tête par une nouvelle extraction 🚨.\n\n';
      const text = lead + fs.readFileSync(uri.fsPath, 'utf8');
      fs.writeFileSync(uri.fsPath, text);
      const sha = createHash('sha256').update(fs.readFileSync(uri.fsPath)).digest('hex');
      const saved = await waitForFile(sidecarPath, (c) => (c.includes(`sha256: ${sha}`) ? c : undefined), { what: 'the re-anchored sidecar with the new hash' });
      const ann = await api.annotations(uri);
      assert.equal(ann.kind, 'ok');
      assert.equal(ann.sidecar.entities.length, before.length, 'nothing lost');
      const shift = [...lead].length;
      const byId = new Map(ann.sidecar.entities.map((e) => [e.id, e]));
      for (const e of before) assert.equal(byId.get(e.id)?.start, e.start + shift, `${e.id} moved by the inserted paragraph`);
      const cps = [...text];
      for (const m of saved.matchAll(/start: (\d+), end: (\d+), text: "([^"\\]*)"/g)) assert.equal(cps.slice(Number(m[1]), Number(m[2])).join(''), m[3]);
    });
  });

  it('orphans the entities of deleted duplicate paragraphs instead of moving them onto the first copy; the command drops them', async () => {
    await withArticle('000_a5c2016fc8888533.txt', async (uri, sidecarPath) => {
      const original = fs.readFileSync(uri.fsPath, 'utf8');
      const lines = original.split('\n');
      const firstCopy = (await api.annotations(uri)).sidecar.entities;
      // Lines 9–16 repeat lines 1–8: delete the repetition.
      const cut = [...lines.slice(0, 9), ...lines.slice(17)].join('\n');
      const sidecarBefore = fs.readFileSync(sidecarPath);
      fs.writeFileSync(uri.fsPath, cut);
      await waitForStore(api, async () => (await api.annotations(uri)).reanchorPending !== undefined, 'the orphans to be listed');
      const ann = await api.annotations(uri);
      assert.equal(ann.kind, 'invalid', 'nothing half-moved is shown');
      const orphans = ann.problems.filter((p) => p.code === 'orphan');
      assert.ok(orphans.length > 0);
      const cutStart = [...lines.slice(0, 9).join('\n')].length;
      const inCopy = firstCopy.filter((e) => e.start >= cutStart && e.start < cutStart + [...lines.slice(9, 17).join('\n')].length);
      assert.deepEqual(orphans.map((p) => p.entityId).sort(), inCopy.map((e) => e.id).sort(), 'exactly the second copy\'s entities');
      assert.ok(fs.readFileSync(sidecarPath).equals(sidecarBefore), 'the sidecar is not rewritten behind the annotator\'s back');
      const codeOf = (d: vscode.Diagnostic) => (typeof d.code === 'object' ? d.code.value : d.code);
      await waitUntil(() => vscode.languages.getDiagnostics(vscode.Uri.file(sidecarPath)).filter((d) => codeOf(d) === 'orphan').length === orphans.length, 'the orphans in the Problems panel');

      // The sidebar lists them too, under the document, after a row that drops them.
      const rows = (await vscode.commands.executeCommand<Array<{ label: string }>>('corpusAnnotator.tree._children', ['000_a5c2016fc8888533.txt'])) ?? [];
      assert.match(rows[0]?.label ?? '', new RegExp(`^Drop ${orphans.length} orphans, keep the \\d+ found again$`));
      assert.equal(rows.filter((r) => /^Orphan: /.test(r.label)).length, orphans.length, JSON.stringify(rows.map((r) => r.label)));

      await vscode.window.showTextDocument(uri);
      assert.equal(await vscode.commands.executeCommand('corpusAnnotator.reanchor', 'drop'), true);
      const saved = await waitForFile(sidecarPath, (c) => (c !== sidecarBefore.toString('utf8') ? c : undefined), { what: 'the sidecar without its orphans' });
      const lineCount = saved.split('\n').filter((l) => l.startsWith('  - {')).length;
      assert.equal(lineCount, firstCopy.length - inCopy.length);
      assert.equal((await api.annotations(uri)).kind, 'ok');
    });
  });
  it('asks where an ambiguous entity is now (the sidebar row runs it), places it at the choice and saves', async () => {
    const file = path.join(workspaceDir(), 'ambiguous-test.txt');
    const sidecarPath = `${file}.ann.yaml`;
    // Annotated when "Laftit" stood at 10–16; the article now says it twice, elsewhere: two equally good places.
    fs.writeFileSync(sidecarPath, `version: 1\ndocument: ambiguous-test.txt\nsha256: ${'0'.repeat(64)}\nstatus: in-progress\nentities:\n  - {id: laf001, label: PER, start: 10, end: 16, text: "Laftit"}\n`);
    fs.writeFileSync(file, 'M. Laftit a dit. M. Laftit a dit.\n');
    const uri = vscode.Uri.file(file);
    try {
      await waitForStore(api, async () => (await api.annotations(uri)).reanchorPending !== undefined, 'the ambiguous entity pending');
      const ann = await api.annotations(uri);
      assert.equal(ann.kind, 'invalid', 'nothing shown or written while undecided');
      assert.deepEqual(ann.reanchorPending?.result.ambiguous.map((a) => a.candidates), [[{ start: 3, end: 9 }, { start: 20, end: 26 }]]);
      // The sidebar lists the new article once the file watcher has reported it.
      await waitForCorpus(api, uri);
      const rows = (await vscode.commands.executeCommand<Array<{ label: string; command?: { command: string; arguments: unknown[] } }>>('corpusAnnotator.tree._children', ['ambiguous-test.txt'])) ?? [];
      const row = rows.find((r) => r.label === 'Ambiguous: PER Laftit');
      assert.ok(row, `an "Ambiguous" row among ${rows.map((r) => r.label).join(', ')}`);
      assert.equal(row.command?.command, 'corpusAnnotator.reanchor');
      assert.deepEqual(row.command?.arguments, [{ article: uri.toString(), entity: 'laf001' }]);
      // The Problems panel's quick fix on the sidecar line offers the same choice.
      const sidecarUri = vscode.Uri.file(sidecarPath);
      await waitUntil(() => vscode.languages.getDiagnostics(sidecarUri).some((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'ambiguous'), 'the ambiguous entity in the Problems panel');
      const diagnostic = vscode.languages.getDiagnostics(sidecarUri).find((d) => (typeof d.code === 'object' ? d.code.value : d.code) === 'ambiguous');
      await vscode.workspace.openTextDocument(sidecarUri);
      const { start, end } = diagnostic!.range;
      const actions = (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', sidecarUri, new vscode.Range(start.line, start.character, end.line, end.character))) ?? [];
      const fix = actions.find((a) => a.title === 'Choose where PER "Laftit" is now in ambiguous-test.txt…');
      assert.ok(fix, `a quick fix among ${actions.map((a) => a.title).join(', ')}`);
      assert.deepEqual(fix.command?.arguments, [{ article: uri.toString(), entity: 'laf001' }]);
      // A candidate that is not one is refused; the second occurrence is accepted and saved.
      assert.equal(await vscode.commands.executeCommand('corpusAnnotator.reanchor', { article: uri.toString(), choose: { id: 'laf001', start: 4, end: 10 } }), false);
      assert.equal(await vscode.commands.executeCommand('corpusAnnotator.reanchor', { article: uri.toString(), choose: { id: 'laf001', start: 20, end: 26 } }), true);
      const saved = await waitForFile(sidecarPath, (c) => (c.includes('start: 20, end: 26') && !c.includes('0'.repeat(64)) ? c : undefined), { what: 'the chosen place saved with the new hash' });
      assert.match(saved, /- \{id: laf001, label: PER, start: 20, end: 26, text: "Laftit"\}/);
      assert.equal((await api.annotations(uri)).kind, 'ok');
    } finally {
      fs.rmSync(file, { force: true });
      fs.rmSync(sidecarPath, { force: true });
      await waitForCorpus(api, uri, false);
    }
  });
});
