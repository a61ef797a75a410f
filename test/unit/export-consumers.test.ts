// Exports as their consumers read them (issue 17): Label Studio's code point offsets and
// predictions, conlleval's fixed column count, spaCy's Doc(words, spaces) and DocBin, Hugging Face
// token classification, doccano's overlap setting, brat's BOM and binary attributes, and splits.
// Each test reads the output the way the consumer's code does (cited where it is mimicked).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { articleFromText } from '../../src/core/model/article';
import { DocBinBuilder, ExportDocument, exportDocument, ExportOptions, HfLabelNames } from '../../src/core/exchange/export';
import { msgpack } from '../../src/core/exchange/export/msgpack';
import { murmurHash64A, spacyStringId } from '../../src/core/exchange/export/spacy-strings';
import { parseBrat, parseDoccanoLine, parseLabelStudio } from '../../src/core/exchange/import';
import { bratConf } from '../../src/core/exchange/export';
import { Entity } from '../../src/core/model/model';
import { cli } from './helpers/cli';
import { DEMO_CORPUS, entityAt, REPO_ROOT } from './helpers/corpus';
import { Decoded, decodeMsgpack } from './helpers/msgpack-decode';
import { tempDirs } from './helpers/tmp';
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

const bomTmp = tempDirs('consumers-bom');

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

  describe('spaCy: jsonl --tokens with ws, and the .spacy DocBin', () => {
    const docs = [...demoDocs(), ...generatedDocs()].map(asDoc);
    type JsonlToken = { text: string; start: number; end: number; id: number; ws: boolean };
    type JsonlSpan = { start: number; end: number; token_start?: number; token_end?: number; label: string };

    /** `Doc(vocab, words, spaces).text` and each token's idx, in code points, as spaCy builds them. */
    function spacyDoc(words: readonly string[], spaces: readonly boolean[]): { text: string; idx: number[] } {
      let text = '';
      let n = 0;
      const idx: number[] = [];
      words.forEach((w, i) => {
        idx.push(n);
        const piece = w + (spaces[i] ? ' ' : '');
        text += piece;
        n += [...piece].length;
      });
      return { text, idx };
    }

    it('jsonl --tokens: Doc(vocab, words, spaces) gives back the text of every document (10 of 10 did not), char_span finds every span', () => {
      let spans = 0;
      for (const d of docs) {
        const record = JSON.parse(exportDocument('jsonl', d, {}, { tokens: true }).text) as { text: string; tokens: JsonlToken[]; spans: JsonlSpan[] };
        const { text, idx } = spacyDoc(record.tokens.map((t) => t.text), record.tokens.map((t) => t.ws));
        assert.equal(text, d.article.text, d.name);
        assert.deepEqual(record.tokens.map((t) => t.start), idx, 'token offsets are the Doc\'s');
        // Doc.char_span(start, end): the tokens starting at start and ending at end
        const ends = record.tokens.map((t, i) => (idx[i] as number) + [...t.text].length);
        for (const s of record.spans) {
          const first = idx.indexOf(s.start);
          const last = ends.indexOf(s.end);
          assert.ok(first >= 0 && last >= first, `${d.name}: char_span(${s.start}, ${s.end}) is None`);
          assert.deepEqual([s.token_start, s.token_end], [first, last]);
          spans++;
        }
      }
      assert.ok(spans > 264);
    });

    it('whitespace runs are tokens of their own, as spaCy makes them (get_words_and_spaces)', () => {
      const text = '  Le  roi\n\na vu\u00A0Rabat. ';
      const record = JSON.parse(exportDocument('jsonl', docOf(text, [entityAt(text, 'Rabat', 'LOC', 'x1')]), {}, { tokens: true }).text) as { tokens: JsonlToken[] };
      assert.deepEqual(record.tokens.map((t) => [t.text, t.ws]), [
        ['  ', false], ['Le', true], [' ', false], ['roi', false], ['\n\n', false], ['a', true], ['vu', false], ['\u00A0', false], ['Rabat', false], ['.', true],
      ]);
    });

    it('string ids are spaCy\'s: MurmurHash64A seed 1, symbols fixed', () => {
      const enc = new TextEncoder();
      assert.equal(spacyStringId('coffee'), 3197928453018144401n, 'spaCy docs: nlp.vocab.strings["coffee"]');
      assert.equal(spacyStringId('Hello'), 2n ** 64n - 2669438365559520065n);
      assert.equal(spacyStringId('café'), 32833993555699147n);
      assert.equal(murmurHash64A(enc.encode('😀'), 1n), 2n ** 64n - 4546137833720672511n);
      assert.deepEqual(['', 'ORG', 'LOC', 'PERSON', 'agent', '_', 'X', 'FLAG42', 'DEPRECATED276'].map(spacyStringId), [0n, 383n, 385n, 380n, 401n, 456n, 101n, 42n, 379n]);
    });

    it('msgpack: the smallest encodings, str and bin apart (as msgpack-python with use_bin_type)', () => {
      const hex = (v: Parameters<typeof msgpack>[0]) => Buffer.from(msgpack(v)).toString('hex');
      assert.equal(hex({ a: 1 }), '81a16101');
      assert.equal(hex([127, 128, 300, 70000, 2 ** 32, -1, -33, -200]), '987fcc80cd012cce00011170cf0000000100000000ffd0dfd1ff38');
      assert.equal(hex(0xffffffffffffffffn), 'cfffffffffffffffff');
      assert.equal(hex('x'.repeat(32)).slice(0, 4), 'd920');
      assert.equal(hex(new Uint8Array([1, 2])), 'c4020102');
      assert.equal(hex([true, false, null, 0.5]), '94c3c2c0cb3fe0000000000000');
      const big = Buffer.from(msgpack(Array.from({ length: 16 }, () => 0))).toString('hex');
      assert.equal(big.slice(0, 6), 'dc0010');
    });

    /** spaCy's DocBin.from_bytes + get_docs, in TypeScript: the documents a .spacy file holds. */
    function readDocBin(compressed: Uint8Array) {
      const msg = decodeMsgpack(zlib.inflateSync(compressed)) as { [k: string]: Decoded };
      const attrs = msg.attrs as number[];
      const strings = new Map((msg.strings as string[]).map((s) => [spacyStringId(s), s]));
      const str = (id: bigint) => {
        const s = strings.get(id);
        if (s === undefined && id !== 0n) throw new Error(`[E018] Can't retrieve string for hash '${id}'`);
        return s ?? '';
      };
      const lengthsBuf = msg.lengths as Uint8Array;
      const lengths = Array.from({ length: lengthsBuf.length / 4 }, (_, i) => new DataView(lengthsBuf.buffer, lengthsBuf.byteOffset).getInt32(i * 4, true));
      const tokens = msg.tokens as Uint8Array;
      const tv = new DataView(tokens.buffer, tokens.byteOffset, tokens.byteLength);
      const spaces = msg.spaces as Uint8Array;
      assert.equal(tokens.length, 8 * attrs.length * lengths.reduce((a, b) => a + b, 0));
      let row = 0;
      return lengths.map((n, d) => {
        const cell = (r: number, attr: number) => tv.getBigUint64((r * attrs.length + attrs.indexOf(attr)) * 8, true);
        const words: string[] = [];
        const sp: boolean[] = [];
        const ents: Array<[number, number, string, string]> = [];
        for (let i = 0; i < n; i++, row++) {
          words.push(str(cell(row, 65)));
          sp.push(spaces[row] === 1);
          const iob = cell(row, 77);
          if (iob === 3n) ents.push([i, i + 1, str(cell(row, 78)), str(cell(row, 452))]);
          else if (iob === 1n) (ents[ents.length - 1] as [number, number, string, string])[1] = i + 1;
          else assert.equal(iob, 2n, 'O outside entities (annotation not missing)');
        }
        const groups = (decodeMsgpack((msg.span_groups as Uint8Array[])[d] as Uint8Array) as Uint8Array[]).map((g) => decodeMsgpack(g) as { name: string; attrs: object; spans: Uint8Array[] });
        const spans = Object.fromEntries(groups.map((g) => [g.name, g.spans.map((b) => {
          const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
          assert.equal(b.length, 40, 'struct ">QQQllll"');
          return { kb: str(v.getBigUint64(8)), label: str(v.getBigUint64(16)), start: v.getInt32(24), end: v.getInt32(28), startChar: v.getInt32(32), endChar: v.getInt32(36) };
        })]));
        const userData = decodeMsgpack((msg.user_data as Uint8Array[])[d] as Uint8Array);
        return { ...spacyDoc(words, sp), words, ents, spans, userData, cats: (msg.cats as Decoded[])[d], flags: (msg.flags as Decoded[])[d] };
      });
    }

    function docBinOf(list: readonly ExportDocument[]): Uint8Array {
      const bin = new DocBinBuilder();
      for (const d of list) {
        const out = exportDocument('spacy' as never, d);
        const part = (out as { spacy?: Parameters<DocBinBuilder['add']>[0] }).spacy;
        assert.ok(part, 'a DocBin part');
        bin.add(part);
      }
      return zlib.deflateSync(bin.toMsgpack());
    }

    it('the DocBin: doc.text is each article, doc.ents the outermost entities, doc.spans["sc"] all of them, user_data the name', () => {
      const read = readDocBin(docBinOf(docs));
      assert.equal(read.length, docs.length);
      read.forEach((r, i) => {
        const d = docs[i] as ExportDocument;
        assert.equal(r.text, d.article.text);
        assert.deepEqual(r.userData, { document: d.relPath, sha256: d.article.sha256, status: d.sidecar.status });
        assert.deepEqual(r.cats, {});
        assert.deepEqual(r.flags, { has_unknown_spaces: false });
        const chars = (s: number, e: number) => [(r.idx[s] as number), (r.idx[e - 1] as number) + [...(r.words[e - 1] as string)].length];
        const sc = r.spans.sc ?? [];
        assert.deepEqual(sc.map((s) => [s.startChar, s.endChar, s.label, s.kb]).sort(),
          d.sidecar.entities.map((e) => [e.start, e.end, e.label, e.attrs?.kb ?? '']).sort(), 'every entity, nested ones too');
        for (const s of sc) assert.deepEqual(chars(s.start, s.end), [s.startChar, s.endChar]);
        const ents = r.ents.map(([s, e, label, kb]) => [...chars(s, e), label, kb]);
        for (let k = 1; k < ents.length; k++) assert.ok((ents[k - 1]?.[1] as number) <= (ents[k]?.[0] as number), 'ents do not overlap');
        assert.ok(ents.every((x) => d.sidecar.entities.some((e) => e.start === x[0] && e.end === x[1] && e.label === x[2] && (e.attrs?.kb ?? '') === x[3])));
      });
      const nested = read.reduce((n, r) => n + (r.spans.sc?.length ?? 0) - r.ents.length, 0);
      assert.ok(nested >= 8, 'the nested entities CoNLL drops are in doc.spans');
    });

    it('golden: the DocBin of a small article, byte for byte (uncompressed msgpack)', () => {
      const text = '😊 M. Laftit\u00A0a vu\nl’ORG Interpol à Rabat.';
      const d = docOf(text, [{ ...entityAt(text, 'Laftit', 'PER', 'g1'), attrs: { kb: 'wikidata:Q3551' } }, entityAt(text, 'l’ORG Interpol', 'ORG', 'g2'),
        entityAt(text, 'Interpol', 'ORG', 'g3'), entityAt(text, 'Rabat', 'LOC', 'g4')]);
      const bin = new DocBinBuilder();
      bin.add((exportDocument('spacy' as never, d) as { spacy?: Parameters<DocBinBuilder['add']>[0] }).spacy as Parameters<DocBinBuilder['add']>[0]);
      const hex = Buffer.from(bin.toMsgpack()).toString('hex').replace(/(.{64})/g, '$1\n') + '\n';
      const file = path.join(REPO_ROOT, 'test', 'fixtures', 'golden', 'small.docbin.msgpack.hex');
      if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(file, hex);
      assert.equal(hex, fs.readFileSync(file, 'utf8'), 'run with UPDATE_GOLDEN=1 after a deliberate change');
      const [r] = readDocBin(zlib.deflateSync(bin.toMsgpack()));
      assert.deepEqual(r?.words, ['😊', 'M.', 'Laftit', '\u00A0', 'a', 'vu', '\n', 'l’', 'ORG', 'Interpol', 'à', 'Rabat', '.']);
      assert.deepEqual(r?.ents, [[2, 3, 'PER', 'wikidata:Q3551'], [7, 10, 'ORG', ''], [11, 12, 'LOC', '']]);
    });

    const tmp = tempDirs('consumers');
    it('the command line writes a zlib-compressed .spacy file with --out, and wants one', async () => {
      const root = path.resolve(DEMO_CORPUS, '../..');
      const dir = await tmp.tmpDir();
      const out = path.join(dir, 'train.spacy');
      const r = await cli(['export', '-f', 'spacy', '-o', out, 'examples/corpus'], root);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^export \(spacy\): 5 documents, 264 entities exported; nothing lost; written to /m);
      const bytes = await fsp.readFile(out);
      assert.deepEqual([...bytes.subarray(0, 2)], [0x78, 0x9c], 'zlib, as Python\'s zlib.compress');
      assert.equal(readDocBin(bytes).length, 5);
      const usage = await cli(['export', '-f', 'spacy', 'examples/corpus'], root);
      assert.equal(usage.code, 2);
      assert.match(usage.stderr, /--out FILE/);
    });
  });

  describe('Hugging Face token classification (--format hf)', () => {
    const docs = [...demoDocs(), ...generatedDocs()].map(asDoc);
    type HfRow = { id: string; document: string; tokens: string[]; ner_tags: number[] };

    it('one line per sentence, the CoNLL tokens and IOB2 tags as integers into label_names', () => {
      const names = new HfLabelNames();
      for (const d of docs) {
        const rows = exportDocument('hf', d, {}, opts({ hfNames: names })).text.trimEnd().split('\n').map((l) => JSON.parse(l) as HfRow);
        const conll = exportDocument('conll', d).text.split('\n').filter((l) => l !== '' && !l.startsWith('-DOCSTART-')).map((l) => l.split(' '));
        assert.deepEqual(rows.flatMap((r) => r.tokens), conll.map((c) => c[0]));
        assert.deepEqual(rows.flatMap((r) => r.ner_tags.map((t) => names.names[t])), conll.map((c) => c[1]));
        assert.deepEqual(rows.map((r) => r.id), rows.map((_, i) => `${d.relPath}#${i}`));
        assert.ok(rows.every((r) => Object.keys(r).join() === 'id,document,tokens,ner_tags' && r.document === d.relPath && r.tokens.length === r.ner_tags.length));
      }
      assert.equal(names.names[0], 'O');
      const json = JSON.parse(names.toJson()) as { label_names: string[]; features: { ner_tags: { _type: string; feature: { _type: string; names: string[] } } } };
      assert.deepEqual(json.features.ner_tags, { feature: { names: names.names, _type: 'ClassLabel' }, _type: 'Sequence' });
    });

    const tmp = tempDirs('consumers-hf');
    it('the command line writes X.jsonl and X.label_names.json, the configured labels first', async () => {
      const root = path.resolve(DEMO_CORPUS, '../..');
      const dir = await tmp.tmpDir();
      const r = await cli(['export', '-f', 'hf', '-o', path.join(dir, 'train.jsonl'), 'examples/corpus'], root);
      assert.equal(r.code, 0, r.stderr);
      const names = JSON.parse(await fsp.readFile(path.join(dir, 'train.label_names.json'), 'utf8')) as { label_names: string[] };
      const rows = (await fsp.readFile(path.join(dir, 'train.jsonl'), 'utf8')).trimEnd().split('\n').map((l) => JSON.parse(l) as HfRow);
      assert.ok(rows.every((row) => row.ner_tags.every((t) => Number.isInteger(t) && t >= 0 && t < names.label_names.length)));
      assert.equal(names.label_names.slice(0, 3).join(), 'O,B-PER,I-PER');
      assert.equal((await cli(['export', '-f', 'hf', 'examples/corpus'], root)).code, 2);
    });
  });

  describe('doccano: overlaps said, relations reported', () => {
    it('an export with overlapping entities says that doccano drops them unless the project allows overlapping spans', () => {
      const text = 'La 93e session d’Interpol à Rabat.';
      const out = exportDocument('doccano', docOf(text, [entityAt(text, '93e session d’Interpol', 'EVENT', 'o1'), entityAt(text, 'Interpol', 'ORG', 'o2'), entityAt(text, 'Rabat', 'LOC', 'o3')]));
      assert.deepEqual(out.issues.map((i) => [i.entityId, i.code, i.dropped]), [['o2', 'overlapping', false]]);
      assert.match(out.issues[0]?.message ?? '', /allows overlapping spans/);
      assert.equal(out.exported, 3);
    });

    it('relations of a doccano relation project are reported on import, not dropped silently', () => {
      const p = parseDoccanoLine(JSON.stringify({ text: 'Laftit dirige la DGSN.', entities: [{ id: 1, start_offset: 0, end_offset: 6, label: 'PER' }, { id: 2, start_offset: 17, end_offset: 21, label: 'ORG' }], relations: [{ id: 1, from_id: 1, to_id: 2, type: 'dirige' }] }), 'd.jsonl:1');
      assert.equal(p.records[0]?.spans.length, 2);
      assert.deepEqual(p.issues.map((i) => `${i.severity}: ${i.message}`), ['warning: 1 relation(s) not imported (a sidecar holds entities only)']);
    });
  });

  describe('brat: binary attributes, reference names', () => {
    it('a binary attribute (value "true") is written as a flag, A1<TAB>Negated T1, and declared without values', () => {
      const text = 'Laftit a démenti.';
      const out = exportDocument('brat', docOf(text, [{ ...entityAt(text, 'Laftit', 'PER', 'b1'), attrs: { Negated: 'true', gender: 'm' } }]));
      assert.deepEqual(out.ann?.split('\n').filter((l) => l.startsWith('A')), ['A1\tNegated T1', 'A2\tgender T1 m']);
      assert.match(bratConf(['PER'], new Map([['Negated', new Set(['true'])]])), /\nNegated\tArg:<ENTITY>\n/);
      const back = parseBrat(text, out.ann ?? '', 'x.ann', 'x.txt');
      assert.deepEqual(back.records[0]?.spans[0]?.attrs, { Negated: 'true', gender: 'm' });
    });

    it('an N line\'s name text is kept as attrs.canonical when it is not the entity\'s text', () => {
      const text = 'M. Laftit a parlé.';
      const ann = 'T1\tPER 3 9\tLaftit\nN1\tReference T1 wikidata:Q3551\tAbdelouafi Laftit\n';
      assert.deepEqual(parseBrat(text, ann, 'x.ann', 'x.txt').records[0]?.spans[0]?.attrs, { kb: 'wikidata:Q3551', canonical: 'Abdelouafi Laftit' });
      const same = 'T1\tPER 3 9\tLaftit\nN1\tReference T1 wikidata:Q3551\tLaftit\n';
      assert.deepEqual(parseBrat(text, same, 'x.ann', 'x.txt').records[0]?.spans[0]?.attrs, { kb: 'wikidata:Q3551' });
    });

    it('export writes attrs.canonical as the N line\'s name, and import reads it back (it was the entity\'s text, the canonical name reported as lost)', () => {
      const text = 'M. Laftit a parlé.';
      const out = exportDocument('brat', docOf(text, [{ ...entityAt(text, 'Laftit', 'PER', 'n1'), attrs: { kb: 'wikidata:Q3551', canonical: 'Abdelouafi Laftit' } }]));
      assert.equal(out.ann, 'T1\tPER 3 9\tLaftit\nN1\tReference T1 wikidata:Q3551\tAbdelouafi Laftit\n');
      assert.deepEqual(out.issues, []);
      assert.deepEqual(parseBrat(text, out.ann ?? '', 'x.ann', 'x.txt').records[0]?.spans[0]?.attrs, { kb: 'wikidata:Q3551', canonical: 'Abdelouafi Laftit' });
      // without a kb id there is no N line to carry it: an attribute, reported when it has spaces
      const alone = exportDocument('brat', docOf(text, [{ ...entityAt(text, 'Laftit', 'PER', 'n1'), attrs: { canonical: 'Abdelouafi Laftit' } }]));
      assert.deepEqual(alone.issues.map((i) => i.code), ['attrs']);
    });
  });

  describe('brat: a .txt starting with a byte order mark', () => {
    // brat reads the .txt with Python's "utf-8" codec (not "utf-8-sig"): U+FEFF is character 0
    const ARTICLE = 'Laftit à Rabat 😊 et Tanger.\n';
    const asBratSees = (word: string): number[] => {
      const t = '\uFEFF' + ARTICLE;
      const s = [...t.slice(0, t.indexOf(word))].length;
      return [s, s + [...word].length];
    };
    const ann = ['Laftit', 'Rabat', 'Tanger'].map((w, i) => `T${i + 1}\t${i ? 'LOC' : 'PER'} ${asBratSees(w).join(' ')}\t${w}`).join('\n') + '\n';

    it('import shifts brat\'s offsets back by one, with a note (they landed one character late)', () => {
      // (called through a wider type so that this test also compiles, and fails, against code without the flag)
      const p = (parseBrat as (...a: unknown[]) => ReturnType<typeof parseBrat>)(ARTICLE, ann, 'x.ann', 'x.txt', true);
      assert.deepEqual(p.records[0]?.spans.map((s) => pySlice(ARTICLE, s.start, s.end)), ['Laftit', 'Rabat', 'Tanger']);
      assert.deepEqual(p.issues.map((i) => `${i.severity}: ${i.message}`), ['warning: x.txt starts with a byte order mark, which brat counts as a character: its offsets were shifted back by one']);
      // the same when the caller hands the text with its BOM
      assert.deepEqual(parseBrat('\uFEFF' + ARTICLE, ann, 'x.ann', 'x.txt').records[0]?.spans, p.records[0]?.spans);
    });

    it('the command line imports a BOM .txt at the right offsets', async () => {
      const dir = await bomTmp.tmpDir();
      fs.mkdirSync(path.join(dir, 'brat'));
      fs.mkdirSync(path.join(dir, 'corpus'));
      fs.writeFileSync(path.join(dir, 'brat', 'x.txt'), '\uFEFF' + ARTICLE);
      fs.writeFileSync(path.join(dir, 'brat', 'x.ann'), ann);
      fs.writeFileSync(path.join(dir, 'corpus', 'x.txt'), '\uFEFF' + ARTICLE);
      const r = await cli(['import', '--format', 'brat', 'brat', 'corpus'], dir);
      assert.match(r.stderr, /byte order mark/);
      const sidecar = fs.readFileSync(path.join(dir, 'corpus', 'x.txt.ann.yaml'), 'utf8');
      for (const w of ['Laftit', 'Rabat', 'Tanger']) assert.match(sidecar, new RegExp(`text: "${w}"`));
      assert.equal(r.code, 0, r.stderr);
    });

    it('export writes the .txt without its BOM, so the offsets are what brat counts in the file written', () => {
      const article = articleFromText(ARTICLE, true);
      const doc: ExportDocument = { name: 'x.txt', relPath: 'x.txt', article, sidecar: { version: 1, document: 'x.txt', sha256: article.sha256, status: 'done', entities: [entityAt(ARTICLE, 'Rabat', 'LOC', 'r1'), entityAt(ARTICLE, 'Tanger', 'LOC', 't1')] } };
      const out = exportDocument('brat', doc);
      assert.ok(!out.text.startsWith('\uFEFF'));
      for (const line of (out.ann ?? '').trimEnd().split('\n')) {
        const [, span, surface] = line.split('\t');
        const [, s, e] = (span ?? '').split(' ').map(Number);
        assert.equal(pySlice(out.text, s as number, e as number), surface);
      }
    });
  });
});
