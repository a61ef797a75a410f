// Label faster: tag all occurrences as suggestions, review them from the keyboard and the sidebar,
// and link entities to a knowledge base — through the contributed commands, checked on disk.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { CorpusAnnotatorApi } from '../../src/extension/main';
import { activateApi, articleUri, poll, waitForStore } from './helpers';

const A000 = '000_a5c2016fc8888533.txt';
const A001 = '001_e23791ebed5de2ea.txt';

interface SidecarEntity { id: string; label: string; start: number; end: number; text: string; src?: string; by?: string; suggested?: boolean; attrs?: Record<string, string> }
interface Row { id?: string; label: string; description?: string; contextValue?: string }

function onDisk(name: string): SidecarEntity[] {
  return (parse(fs.readFileSync(`${articleUri(name).fsPath}.ann.yaml`, 'utf8')) as { entities?: SidecarEntity[] }).entities ?? [];
}

/** Code point offsets of every whole-word occurrence of `word` (what a reader would count). */
function occurrences(text: string, word: string): number[] {
  const out: number[] = [];
  const re = new RegExp(`(?<![\\p{L}\\p{N}])${word}(?![\\p{L}\\p{N}])`, 'giu');
  for (const m of text.matchAll(re)) out.push([...text.slice(0, m.index)].length);
  return out;
}

const children = async (...path: string[]): Promise<Row[]> =>
  (await vscode.commands.executeCommand<Row[]>('corpusAnnotator.tree._children', path)) ?? [];

describe('suggestions: tag all occurrences, review, link', () => {
  let api: CorpusAnnotatorApi;
  const saved = new Map<string, Buffer>();

  before(async () => {
    api = await activateApi();
    for (const name of [A000, A001]) saved.set(name, fs.readFileSync(`${articleUri(name).fsPath}.ann.yaml`));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const [name, content] of saved) {
      fs.writeFileSync(`${articleUri(name).fsPath}.ann.yaml`, content);
      const ids = (parse(content.toString('utf8')) as { entities: SidecarEntity[] }).entities.map((e) => e.id).sort().join();
      await waitForStore(api, async () => (await api.annotations(articleUri(name))).sidecar.entities.map((e) => e.id).sort().join() === ids, `${name} back as shipped`);
    }
  });

  /** Removes every standalone "Laftit" of an article but the first, through the remove command. */
  async function untagLaftit(name: string, keepFirst: boolean): Promise<SidecarEntity | undefined> {
    const laftits = onDisk(name).filter((e) => e.text === 'Laftit').sort((a, b) => a.start - b.start);
    const [first, ...rest] = laftits;
    for (const e of keepFirst ? rest : laftits) {
      // Asked again until it is gone from disk: this suite starts right after others rewrote these
      // sidecars from outside, and CI saw a removal land while the store was still taking such a
      // rewrite in (nothing removed, nothing written; the same id removed on the next ask).
      await poll(async () => {
        await vscode.commands.executeCommand('corpusAnnotator.removeTag', { article: articleUri(name).toString(), id: e.id });
        return onDisk(name).some((x) => x.id === e.id) ? undefined : true;
      }, `${e.id} removed from ${name}`);
    }
    assert.equal(onDisk(name).filter((e) => e.text === 'Laftit').length, keepFirst ? 1 : 0);
    return keepFirst ? first : undefined;
  }

  it('tags all occurrences of "Laftit" in 000_ as suggestions, reviews them with the keys, accepts and rejects', async () => {
    const uri = articleUri(A000);
    const kept = await untagLaftit(A000, true);
    assert.ok(kept);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const text = doc.getText();
    const expected = occurrences(text, 'Laftit').filter((s) => s !== kept.start);
    assert.equal(expected.length, 8, 'the article names Laftit nine times (it contains its own text twice)');

    // Cursor inside the kept entity, as the annotator would leave it after tagging.
    const ann = await api.annotations(uri);
    editor.selection = new vscode.Selection(doc.positionAt(ann.offsets.toUtf16(kept.start + 2)), doc.positionAt(ann.offsets.toUtf16(kept.start + 2)));
    const proposed = await vscode.commands.executeCommand<number>('corpusAnnotator.tagAllOccurrences');
    assert.equal(proposed, expected.length);

    const suggestions = onDisk(A000).filter((e) => e.suggested === true);
    assert.deepEqual(suggestions.map((e) => e.start).sort((a, b) => a - b), expected);
    assert.ok(suggestions.every((e) => e.label === 'PER' && e.src === 'propagated' && e.text === 'Laftit' && e.end === e.start + 6));
    // Drawn in their own dotted style, not as PER annotations.
    const drawn = api.decorations(uri);
    assert.equal(drawn['(suggestions)']?.length, expected.length);
    assert.ok(!(drawn.PER ?? []).some((r) => expected.includes(ann.offsets.toCodePoint(doc.offsetAt(r.start)))));
    // Listed in the sidebar, first under the document.
    const docRow = (await children()).find((r) => r.label === A000);
    assert.match(docRow?.description ?? '', /8 suggested/);
    const rows = await children(A000);
    assert.equal(rows[0]?.label, 'Suggestions');
    assert.equal(rows[0]?.description, '8');
    const suggestionRows = await children(A000, 'Suggestions');
    assert.equal(suggestionRows.length, 8);
    assert.ok(suggestionRows.every((r) => r.contextValue?.includes(';suggestion;')));

    // Keyboard review: next suggestion selects it; accept makes it an annotation and moves on; reject removes.
    editor.selection = new vscode.Selection(0, 0, 0, 0);
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.nextSuggestion'), true);
    const firstStart = ann.offsets.toCodePoint(doc.offsetAt(editor.selection.start));
    assert.equal(firstStart, expected[0]);
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.acceptSuggestion'), 1);
    const accepted = onDisk(A000).find((e) => e.start === expected[0]);
    assert.equal(accepted?.suggested, undefined, 'accepted: no longer a suggestion');
    assert.equal(accepted?.src, 'propagated', 'researchers can still tell where it came from');
    assert.equal(ann.offsets.toCodePoint(doc.offsetAt(editor.selection.start)), expected[1], 'moved on to the next suggestion');
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.rejectSuggestion'), 1);
    assert.ok(!onDisk(A000).some((e) => e.start === expected[1]), 'rejected: gone');
    assert.equal(ann.offsets.toCodePoint(doc.offsetAt(editor.selection.start)), expected[2]);

    // Undo brings the rejected one back as a suggestion.
    await vscode.commands.executeCommand('corpusAnnotator.undo');
    assert.equal(onDisk(A000).find((e) => e.start === expected[1])?.suggested, true);

    // One by reference (the hover's and the tree's way), then the rest at once.
    const third = onDisk(A000).find((e) => e.start === expected[2]);
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.rejectSuggestion', { article: uri.toString(), id: third?.id }), 1);
    const left = onDisk(A000).filter((e) => e.suggested === true).length;
    assert.equal(left, 6);
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.acceptAllSuggestions', { article: uri.toString() }), left);
    const final = onDisk(A000).filter((e) => e.text === 'Laftit');
    assert.equal(final.length, 8, 'the kept one, the first accepted, and the six accepted at once');
    assert.ok(final.every((e) => e.suggested === undefined));
    assert.equal((await children(A000))[0]?.label !== 'Suggestions', true, 'no suggestions row once all are decided');
  });

  it('tagging a suggested span accepts the suggestion instead of adding a duplicate', async () => {
    const uri = articleUri(A000);
    const laftit = onDisk(A000).filter((e) => e.text === 'Laftit').sort((a, b) => a.start - b.start);
    const [keep, other] = laftit;
    assert.ok(keep && other);
    await vscode.commands.executeCommand('corpusAnnotator.removeTag', { article: uri.toString(), id: other.id });
    await vscode.commands.executeCommand('corpusAnnotator.tagAllOccurrences', { article: uri.toString(), id: keep.id });
    const suggestion = onDisk(A000).find((e) => e.start === other.start);
    assert.equal(suggestion?.suggested, true);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const ann = await api.annotations(uri);
    editor.selection = new vscode.Selection(doc.positionAt(ann.offsets.toUtf16(other.start)), doc.positionAt(ann.offsets.toUtf16(other.end)));
    await vscode.commands.executeCommand('corpusAnnotator.tagWithKey', 1);
    const after = onDisk(A000).filter((e) => e.start === other.start);
    assert.equal(after.length, 1);
    assert.equal(after[0]?.id, suggestion?.id);
    assert.equal(after[0]?.suggested, undefined);
  });

  it('tags all occurrences across the corpus: 001_ gets suggestions, rejecting them all restores it', async () => {
    const before001 = onDisk(A001).filter((e) => e.text !== 'Laftit');
    await untagLaftit(A001, false);
    const source = onDisk(A000).find((e) => e.text === 'Laftit');
    assert.ok(source);
    const proposed = await vscode.commands.executeCommand<number>('corpusAnnotator.tagAllOccurrencesInCorpus', { article: articleUri(A000).toString(), id: source.id });
    const text001 = fs.readFileSync(articleUri(A001).fsPath, 'utf8');
    const expected = occurrences(text001, 'Laftit').filter((s) => !before001.some((e) => e.start <= s && s < e.end));
    assert.ok(expected.length > 0);
    const suggested = onDisk(A001).filter((e) => e.suggested === true);
    assert.deepEqual(suggested.map((e) => e.start).sort((a, b) => a - b), expected);
    // 000_ has nothing new: its one untagged occurrence (rejected in the first test, proposed again by
    // the second: a rejection is not remembered) is a suggestion already, and is not proposed twice.
    assert.equal(proposed, expected.length);
    assert.equal(onDisk(A000).filter((e) => e.suggested === true).length, 1);
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.rejectAllSuggestions', { article: articleUri(A000).toString() }), 1);
    // As the sidebar's Suggestions row passes itself (its article a Uri), while 000_ is the active editor.
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.rejectAllSuggestions', { kind: 'suggestions', id: 'x', article: articleUri(A001) }), expected.length);
    assert.deepEqual(onDisk(A001).map((e) => e.id).sort(), before001.map((e) => e.id).sort());
  });

  it('links an entity and its namesakes to a knowledge base; the sidebar groups them by canonical name', async () => {
    const uri = articleUri(A000);
    const laftit = onDisk(A000).filter((e) => e.text === 'Laftit');
    const first = laftit[0];
    assert.ok(first && laftit.length > 1);
    const ok = await vscode.commands.executeCommand('corpusAnnotator.linkEntity', { article: uri.toString(), id: first.id }, { kb: 'wikidata:Q3390853', canonical: 'Abdelouafi Laftit', sameText: true });
    assert.equal(ok, true);
    const linked = onDisk(A000).filter((e) => e.text === 'Laftit');
    assert.ok(linked.every((e) => e.attrs?.kb === 'wikidata:Q3390853' && e.attrs?.canonical === 'Abdelouafi Laftit'), JSON.stringify(linked));
    const line = fs.readFileSync(`${uri.fsPath}.ann.yaml`, 'utf8').split('\n').find((l) => l.includes(`id: ${first.id},`));
    assert.match(line ?? '', /attrs: \{canonical: "Abdelouafi Laftit", kb: "wikidata:Q3390853"\}/);

    // A mention elsewhere linked to the same kb id without a canonical name joins the same group.
    const full = onDisk(A001).find((e) => e.text === 'Abdelouafi Laftit');
    assert.ok(full);
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.linkEntity', { article: articleUri(A001).toString(), id: full.id }, { kb: 'wikidata:Q3390853', canonical: '', sameText: false }), true);
    assert.deepEqual(onDisk(A001).find((e) => e.id === full.id)?.attrs, { kb: 'wikidata:Q3390853' });

    await vscode.commands.executeCommand('corpusAnnotator.tree.groupByEntity');
    try {
      const per = await children('PER');
      const row = per.find((r) => r.label === 'Abdelouafi Laftit');
      assert.ok(row, `a row for the canonical name among ${per.map((r) => r.label).join(', ')}`);
      assert.equal(Number(row.description), linked.length + 1);
      assert.ok(!per.some((r) => r.label === 'wikidata:Q3390853'), 'no separate group for the kb id');
    } finally {
      await vscode.commands.executeCommand('corpusAnnotator.tree.groupByDocument');
    }
  });
});

describe('suggestions: gazetteers and patterns on the seed corpus', () => {
  const names = ['000_a5c2016fc8888533.txt', '001_e23791ebed5de2ea.txt', '002_60ac6a68424218b9.txt', '003_3e55259b9cbe4b4c.txt', '004_b0de303a7d7bdf73.txt'];
  const shipped = new Map<string, Buffer>();

  before(async () => {
    await activateApi();
    for (const name of names) shipped.set(name, fs.readFileSync(`${articleUri(name).fsPath}.ann.yaml`));
  });

  it('builds a gazetteer from the annotations: every annotated surface with its most frequent label', async () => {
    const target = vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, 'built-gazetteer.tsv');
    try {
      assert.equal(await vscode.commands.executeCommand('corpusAnnotator.buildGazetteer', { target: target.toString() }), target.toString());
      const lines = fs.readFileSync(target.fsPath, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
      const entries = new Map(lines.map((l) => l.split('\t')).map(([surface, label]) => [surface, label]));
      const annotated = new Set(names.flatMap((n) => onDisk(n)).filter((e) => e.suggested !== true).map((e) => e.text.replace(/\s+/gu, ' ').trim()));
      assert.equal(entries.size, annotated.size, 'one line per distinct annotated surface');
      assert.equal(entries.get('Laftit'), 'PER');
      assert.equal(entries.get('Interpol'), 'ORG');
    } finally {
      fs.rmSync(target.fsPath, { force: true });
    }
  });

  it('suggests from the configured gazetteer and patterns across the corpus, each exact and reviewable; rejecting all restores every sidecar byte for byte', async () => {
    const added = await vscode.commands.executeCommand<number>('corpusAnnotator.suggestFromGazetteers', { scope: 'corpus' });
    assert.ok((added ?? 0) > 0, 'the seed corpus has unannotated mentions of annotated names');
    let seen = 0;
    for (const name of names) {
      const text = [...fs.readFileSync(articleUri(name).fsPath, 'utf8').replace(/^\uFEFF/, '')];
      const all = onDisk(name);
      const suggestions = all.filter((e) => e.suggested === true);
      seen += suggestions.length;
      for (const s of suggestions) {
        assert.equal(text.slice(s.start, s.end).join(''), s.text, `${name} ${s.id}: offsets are code points of the article`);
        assert.match(s.src ?? '', /^(gazetteer:gazetteer\.tsv|pattern:[\w.-]+)$/);
        assert.ok(!all.some((e) => e !== s && e.start < s.end && s.start < e.end), `${name} ${s.id} "${s.text}" overlaps nothing`);
      }
    }
    assert.equal(seen, added);
    // Idempotent: nothing new the second time.
    assert.equal(await vscode.commands.executeCommand('corpusAnnotator.suggestFromGazetteers', { scope: 'corpus' }), 0);
    for (const name of names) {
      await vscode.commands.executeCommand('corpusAnnotator.rejectAllSuggestions', { article: articleUri(name).toString() });
      assert.ok(fs.readFileSync(`${articleUri(name).fsPath}.ann.yaml`).equals(shipped.get(name)!), `${name}: back to the shipped bytes`);
    }
  });
  it('suggests nothing, and writes nothing, when a source has a bad line or is missing', async () => {
    const folder = vscode.workspace.workspaceFolders![0]!.uri.fsPath;
    const gazetteer = `${folder}/gazetteer.tsv`;
    const patterns = `${folder}/patterns.yaml`;
    const original = fs.readFileSync(gazetteer);
    try {
      fs.writeFileSync(gazetteer, `${original.toString('utf8')}Rabat LOC written with spaces, not a tab\n`);
      assert.equal(await vscode.commands.executeCommand('corpusAnnotator.suggestFromGazetteers', { scope: 'corpus' }), 0);
      fs.writeFileSync(gazetteer, original);
      fs.renameSync(patterns, `${patterns}.away`);
      assert.equal(await vscode.commands.executeCommand('corpusAnnotator.suggestFromGazetteers', { scope: 'corpus' }), 0);
    } finally {
      fs.writeFileSync(gazetteer, original);
      if (fs.existsSync(`${patterns}.away`)) fs.renameSync(`${patterns}.away`, patterns);
    }
    for (const name of names) assert.ok(fs.readFileSync(`${articleUri(name).fsPath}.ann.yaml`).equals(shipped.get(name)!), `${name} untouched`);
  });
});
