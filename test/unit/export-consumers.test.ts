// Exports as their consumers read them (issue 17): Label Studio's code point offsets and
// predictions, conlleval's fixed column count, spaCy's Doc(words, spaces) and DocBin, Hugging Face
// token classification, doccano's overlap setting, brat's BOM and binary attributes, and splits.
// Each test reads the output the way the consumer's code does (cited where it is mimicked).
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { articleFromText } from '../../src/core/article';
import { ExportDocument, exportDocument, ExportOptions } from '../../src/core/export';
import { parseLabelStudio } from '../../src/core/import';
import { Entity } from '../../src/core/model';
import { cli } from './helpers/cli';
import { DEMO_CORPUS, entityAt } from './helpers/corpus';
import { demoDocs, generatedDocs, TestDoc } from './helpers/docs';

/** Options as a plain object (so these tests also compile, and fail, against code without them). */
const opts = (o: Record<string, unknown>): ExportOptions => o as ExportOptions;
const asDoc = (d: TestDoc): ExportDocument => ({ name: d.name, relPath: d.name, article: d.article, sidecar: d.sidecar });

/**
 * conlleval's reading of a file (conlleval.pl, CoNLL-2000, 2004-01-26): every non-blank line split on
 * whitespace must have as many fields as the first, else it stops with "unexpected number of features".
 */
function conllevalWidth(text: string): number {
  let width = -1;
  text.split('\n').forEach((line, i) => {
    const fields = line.split(/[ \t]+/).filter((f) => f !== '');
    if (fields.length === 0) return;
    if (width < 0) width = fields.length;
    else if (fields.length !== width) throw new Error(`line ${i + 1}: unexpected number of features: ${fields.length} (${width})`);
  });
  return width;
}

function docOf(text: string, entities: Entity[], name = 'a.txt'): ExportDocument {
  const article = articleFromText(text);
  return { name, relPath: name, article, sidecar: { version: 1, document: name, sha256: article.sha256, status: 'done', entities } };
}

/** Python's `text[start:end]`: code points. */
const pySlice = (text: string, start: number, end: number) => [...text].slice(start, end).join('');

describe('exports as their consumers read them', () => {
  describe('Label Studio: code points both ways, value.text checked, predictions from suggestions', () => {
    const TEXT = '😊 Rabat et Tanger. 🚔 Rabat encore.';
    const entities = [entityAt(TEXT, 'Rabat', 'LOC', 'e1'), entityAt(TEXT, 'Tanger', 'LOC', 'e2'), entityAt(TEXT, 'Rabat', 'LOC', 'e3', 1)];

    type Result = { id: string; value: { start: number; end: number; text: string; labels: string[] } };
    type Task = { data: { text: string }; annotations: Array<{ result: Result[] }>; predictions?: Array<{ model_version: string; score?: number; result: Result[] }> };

    it('exports code point offsets: the front end\'s [...text] slicing gives every entity (4 of 4 shifted before)', () => {
      const task = JSON.parse(exportDocument('labelstudio', docOf(TEXT, entities)).text) as Task;
      const results = task.annotations[0]?.result ?? [];
      assert.deepEqual(results.map((r) => pySlice(task.data.text, r.value.start, r.value.end)), ['Rabat', 'Tanger', 'Rabat']);
      assert.deepEqual(results.map((r) => r.value.text), ['Rabat', 'Tanger', 'Rabat']);
    });

    it('imports code point offsets without value.text at the right place (was " Raba", " Tange")', () => {
      const text = '😊 Rabat et Tanger.';
      const task = { data: { text }, annotations: [{ result: [
        { id: 'a', type: 'labels', value: { start: 2, end: 7, labels: ['LOC'] } },
        { id: 'b', type: 'labels', value: { start: 11, end: 17, labels: ['LOC'] } },
      ] }] };
      const p = parseLabelStudio(JSON.stringify([task]), 'ls.json');
      assert.deepEqual(p.issues, []);
      assert.deepEqual(p.records[0]?.spans.map((s) => pySlice(text, s.start, s.end)), ['Rabat', 'Tanger']);
    });

    it('a value.text that is not the text at the offsets is an error naming the result, not a silent shift', () => {
      const text = '😊 Rabat et Tanger.';
      const utf16 = text.indexOf('Rabat');
      const task = { data: { text }, annotations: [{ result: [{ id: 'r7', type: 'labels', value: { start: utf16, end: utf16 + 5, text: 'Rabat', labels: ['LOC'] } }] }] };
      const p = parseLabelStudio(JSON.stringify([task]), 'ls.json');
      assert.deepEqual(p.records[0]?.spans, []);
      assert.deepEqual(p.issues.map((i) => `${i.origin}: ${i.severity}: ${i.message}`), [
        'ls.json: task 1: error: result r7 (3-8): its text "Rabat" is not the task\'s text at these offsets ("abat ", counted in code points as Label Studio does); not imported',
      ]);
    });

    it('a round trip through export and import keeps every entity after emoji', () => {
      const out = exportDocument('labelstudio', docOf(TEXT, entities));
      const p = parseLabelStudio(`[${out.text}]`, 'ls.json');
      assert.deepEqual(p.issues, []);
      assert.deepEqual(p.records[0]?.spans.map((s) => [s.start, s.end, s.label]), entities.map((e) => [e.start, e.end, e.label]));
    });

    it('suggestions become predictions {model_version, score, result}, one per source; not annotations', () => {
      const sugg = (e: Entity, src: string, score?: string): Entity => ({ ...e, suggested: true, src, ...(score ? { attrs: { score } } : {}) });
      const doc = docOf(TEXT, [entities[0] as Entity, sugg(entities[1] as Entity, 'model:crf-1', '0.5'), sugg(entities[2] as Entity, 'model:crf-1', '0.75'),
        sugg(entityAt(TEXT, 'encore', 'MISC', 'e4'), 'gazetteer')]);
      const out = exportDocument('labelstudio', doc);
      const task = JSON.parse(out.text) as Task;
      assert.deepEqual(task.annotations[0]?.result.map((r) => r.id), ['e1']);
      assert.deepEqual(task.predictions?.map((p) => [p.model_version, p.score, p.result.map((r) => `${r.id} ${pySlice(TEXT, r.value.start, r.value.end)}`)]), [
        ['model:crf-1', 0.625, ['e2 Tanger', 'e3 Rabat']],
        ['gazetteer', undefined, ['e4 encore']],
      ]);
      assert.equal((out as { predicted?: number }).predicted, 3);
      assert.equal(out.suggestions, undefined, 'not counted as left out');
      const all = JSON.parse(exportDocument('labelstudio', doc, { includeSuggestions: true }).text) as Task;
      assert.equal(all.annotations[0]?.result.length, 4);
      assert.equal(all.predictions, undefined);
    });
  });

  describe('CoNLL: the same width on every line (conlleval), --columns 2|4, document names', () => {
    const docs = [...demoDocs(), ...generatedDocs()].map(asDoc);
    const whole = (o: Record<string, unknown>) => docs.map((d) => exportDocument('conll', d, {}, opts(o)).text).join('');

    it('default: 2 columns on every line, the -DOCSTART- line included (it had 4)', () => {
      assert.equal(conllevalWidth(whole({})), 2);
    });

    it('--columns 4: CoNLL-2003 token POS chunk TAG with _ fillers, -DOCSTART- with -X- O O', () => {
      const text = whole({ columns: 4 });
      assert.equal(conllevalWidth(text), 4);
      const first = exportDocument('conll', docs[0] as ExportDocument, {}, opts({ columns: 4, docNames: 'none' })).text.split('\n');
      assert.equal(first[0], '-DOCSTART- -X- O O');
      assert.match(first[2] ?? '', /^\S+ _ _ (O|[BI]-\S+)$/);
    });

    it('every document\'s name is on its -DOCSTART- line, so lines map back to articles; none leaves it out', () => {
      const names = whole({}).split('\n').filter((l) => l.startsWith('-DOCSTART-')).map((l) => /^-DOCSTART-\((.*)\) O$/.exec(l)?.[1]);
      assert.deepEqual(names, docs.map((d) => d.relPath));
      assert.equal(conllevalWidth(exportDocument('conll', docOf('Rabat.', [], 'mon article.txt'), {}, opts({ columns: 4 })).text), 4, 'a name with a space');
      assert.match(exportDocument('conll', docOf('Rabat.', [], 'mon article.txt')).text, /^-DOCSTART-\(mon_article\.txt\) O\n/);
      assert.match(exportDocument('conll', docOf('Rabat.', [], 'b.txt'), {}, opts({ docNames: 'comment' })).text, /^# document: b\.txt\n-DOCSTART- O\n\nRabat O\n/);
      assert.ok(whole({ docNames: 'none' }).split('\n').filter((l) => l.startsWith('-DOCSTART-')).every((l) => l === '-DOCSTART- O'));
    });

    it('the command line: --columns and --doc-names, checked', async () => {
      const root = path.resolve(DEMO_CORPUS, '../..');
      const r = await cli(['export', '-f', 'conll', '--columns', '4', '--doc-names', 'none', 'examples/corpus'], root);
      assert.equal(r.code, 0);
      assert.equal(conllevalWidth(r.stdout), 4);
      assert.equal(r.stdout.split('\n').filter((l) => l === '-DOCSTART- -X- O O').length, 5);
      assert.equal((await cli(['export', '-f', 'conll', '--columns', '3', 'examples/corpus'], root)).code, 2);
      assert.equal((await cli(['export', '-f', 'conll', '--doc-names', 'x', 'examples/corpus'], root)).code, 2);
      assert.equal((await cli(['export', '-f', 'jsonl', '--columns', '4', 'examples/corpus'], root)).code, 2);
    });
  });
});
