// Exports (src/core/exchange/export): each format on the demo corpus and on generated texts with emoji,
// 𝔸, NFD accents, CRLF, Arabic and a BOM; offsets read back the way each tool reads them; the
// CoNLL and JSONL golden files; everything a format cannot hold is reported.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { articleFromText } from '../../src/core/model/article';
import {
  DocumentOutput, EXPORT_FORMATS, ExportDocument, exportDocument, ExportFilter, ExportOptions, ExportTally, formatIssue,
  JsonArrayWriter, selectEntities, spansFromTags,
} from '../../src/core/exchange/export';
import { IMPORT_FORMATS, ImportFormat, ImportRecord, mergeImported, parseBrat, parseDoccanoLine, parseJsonlLine, parseLabelStudio } from '../../src/core/exchange/import';
import { Entity } from '../../src/core/model/model';
import { tokenizeSentences } from '../../src/core/text/tokenize';
import { entityAt, REPO_ROOT } from './helpers/corpus';
import { demoDocs, generatedDocs, spanKeys, TestDoc } from './helpers/docs';

const GOLDEN_DIR = path.join(REPO_ROOT, 'test', 'fixtures', 'golden');
const GOLDEN_DOC = '002_60ac6a68424218b9.txt';

function asExportDocument(d: TestDoc): ExportDocument {
  return { name: d.name, relPath: d.name, article: d.article, sidecar: d.sidecar };
}

/** Reads a document's export back with the import reader of the format. */
function readBack(format: ImportFormat, out: DocumentOutput, doc: ExportDocument): ImportRecord {
  let parsed;
  if (format === 'jsonl') parsed = parseJsonlLine(out.text.trimEnd(), 'x');
  else if (format === 'doccano') parsed = parseDoccanoLine(out.text.trimEnd(), 'x');
  else if (format === 'labelstudio') parsed = parseLabelStudio(out.text, 'x');
  else parsed = parseBrat(out.text, out.ann ?? '', 'x.ann', `${doc.name}`);
  assert.deepEqual(parsed.issues, []);
  assert.equal(parsed.records.length, 1);
  return parsed.records[0] as ImportRecord;
}

// ---------------------------------------------------------------------------------------------

describe('export', () => {
  const demo = demoDocs();
  const generated = generatedDocs();

  it('src/core/exchange/export and src/core/exchange/import import neither vscode nor Node built-ins', () => {
    const offenders: string[] = [];
    for (const dir of ['exchange/export', 'exchange/import']) {
      const abs = path.join(REPO_ROOT, 'src', 'core', dir);
      for (const f of fs.readdirSync(abs).filter((n) => n.endsWith('.ts'))) {
        const src = fs.readFileSync(path.join(abs, f), 'utf8');
        for (const m of src.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]+)['"]/g)) {
          const spec = m[1] as string;
          if (spec === 'vscode' || spec.startsWith('node:') || !spec.startsWith('.')) offenders.push(`${dir}/${f}: ${spec}`);
        }
      }
    }
    assert.deepEqual(offenders, []);
  });

  it('the test corpora: 264 demo entities; generated texts with astral characters, CRLF, a BOM, nesting', () => {
    assert.equal(demo.reduce((n, d) => n + d.sidecar.entities.length, 0), 264);
    const all = generated.map((d) => d.article.text).join('');
    for (const s of ['🎉', '𝔸', 'e\u0301', '\r\n', 'المغرب']) assert.ok(all.includes(s), s);
    assert.ok(generated.some((d) => d.article.hasBom));
    assert.ok(generated.some((d) => !d.article.offsets.isBmpOnly));
    for (const d of generated) for (const e of d.sidecar.entities) assert.equal(d.article.offsets.slice(e.start, e.end), e.text);
  });

  describe('spaCy / Prodigy JSONL', () => {
    it('Python slicing of the text (code points) gives every entity\'s text', () => {
      for (const d of [...demo, ...generated]) {
        const out = exportDocument('jsonl', asExportDocument(d));
        assert.ok(out.text.endsWith('\n') && !out.text.slice(0, -1).includes('\n'), 'one line');
        const record = JSON.parse(out.text) as { text: string; spans: Array<{ start: number; end: number; label: string }>; meta: Record<string, string> };
        const cps = [...record.text];
        assert.deepEqual(record.spans.map((s) => cps.slice(s.start, s.end).join('')), d.sidecar.entities.map((e) => e.text));
        assert.deepEqual(record.meta, { document: d.name, sha256: d.article.sha256, status: d.sidecar.status });
        assert.deepEqual(out.issues, []);
      }
    });

    it('writes attrs.kb as kb_id, the note and other attributes as span keys', () => {
      const d = generated.find((g) => g.sidecar.entities.some((e) => e.attrs?.role)) as TestDoc;
      const record = JSON.parse(exportDocument('jsonl', asExportDocument(d)).text) as { spans: Array<Record<string, unknown>> };
      const e = d.sidecar.entities.find((x) => x.attrs?.role) as Entity;
      const span = record.spans.find((s) => s.start === e.start && s.label === e.label);
      assert.deepEqual(span, { start: e.start, end: e.end, label: 'PER', kb_id: e.attrs?.kb, attrs: { role: 'directeur' } });
      assert.ok(record.spans.some((s) => s.note === 'ville hôte\nà vérifier'));
    });

    it('--tokens: tokens in code points and token_start/token_end (inclusive) on every aligned span', () => {
      for (const d of [...demo, ...generated]) {
        const out = exportDocument('jsonl', asExportDocument(d), {}, { tokens: true });
        const record = JSON.parse(out.text) as { text: string; tokens: Array<{ text: string; start: number; end: number; id: number; ws: boolean }>; spans: Array<{ start: number; end: number; token_start: number; token_end: number }> };
        const cps = [...record.text];
        record.tokens.forEach((t, i) => {
          assert.equal(t.id, i);
          assert.equal(cps.slice(t.start, t.end).join(''), t.text);
        });
        for (const s of record.spans) {
          assert.equal(record.tokens[s.token_start]?.start, s.start);
          assert.equal(record.tokens[s.token_end]?.end, s.end);
        }
        assert.deepEqual(out.issues, [], d.name);
      }
    });

    it('--tokens: a span not aligned to tokens keeps its offsets, has no token indices, and is reported', () => {
      const text = 'Le ministère de l’Intérieur (MI) à Rabat.\n';
      const doc = docOf(text, [entityAt(text, 'inistère', 'ORG', 'aaa001'), entityAt(text, 'Rabat', 'LOC', 'aaa002')]);
      const out = exportDocument('jsonl', doc, {}, { tokens: true });
      const spans = (JSON.parse(out.text) as { spans: Array<Record<string, unknown>> }).spans;
      assert.deepEqual(spans[0], { start: 4, end: 12, label: 'ORG' });
      assert.deepEqual(Object.keys(spans[1] ?? {}), ['start', 'end', 'token_start', 'token_end', 'label']);
      assert.deepEqual(out.issues.map(formatIssue), [
        'a.txt: aaa001 ORG "inistère": it starts inside the token "ministère" (3-12); the span is written without token_start/token_end (spaCy’s char_span would return None)',
      ]);
      assert.equal(out.issues[0]?.dropped, false);
    });
  });

  describe('doccano (UTF-16 offsets) and Label Studio (code points)', () => {
    it('doccano: JavaScript slicing of the text (UTF-16) gives every entity\'s text', () => {
      for (const d of [...demo, ...generated]) {
        const out = exportDocument('doccano', asExportDocument(d));
        const record = JSON.parse(out.text) as { text: string; label: Array<[number, number, string]>; document: string };
        assert.deepEqual(record.label.map(([s, e]) => record.text.slice(s, e)), d.sidecar.entities.map((e) => e.text));
        assert.deepEqual(record.label.map(([, , l]) => l), d.sidecar.entities.map((e) => e.label));
        assert.equal(record.document, d.name);
      }
      const raja = generated.flatMap((d) => d.sidecar.entities.map((e) => ({ d, e }))).find(({ d, e }) => d.article.offsets.toUtf16(e.start) !== e.start);
      assert.ok(raja, 'some entity comes after an astral character, where the two offsets differ');
    });

    it('Label Studio: value.start/end are code points, value.text is the entity; the result id is the entity id', () => {
      for (const d of [...demo, ...generated]) {
        const task = JSON.parse(exportDocument('labelstudio', asExportDocument(d)).text) as {
          data: { text: string; document: string };
          annotations: Array<{ result: Array<{ id: string; from_name: string; to_name: string; type: string; value: { start: number; end: number; text: string; labels: string[] } }> }>;
        };
        const results = task.annotations[0]?.result ?? [];
        assert.deepEqual(results.map((r) => [...task.data.text].slice(r.value.start, r.value.end).join('')), d.sidecar.entities.map((e) => e.text));
        assert.deepEqual(results.map((r) => r.value.text), d.sidecar.entities.map((e) => e.text));
        assert.deepEqual(results.map((r) => r.id), d.sidecar.entities.map((e) => e.id));
        assert.ok(results.every((r) => r.from_name === 'label' && r.to_name === 'text' && r.type === 'labels' && r.value.labels.length === 1));
        assert.equal(task.data.document, d.name);
      }
    });

    it('report notes and attributes, which they cannot hold, entity by entity', () => {
      const d = generated[0] as TestDoc;
      for (const format of ['doccano', 'labelstudio'] as const) {
        const out = exportDocument(format, asExportDocument(d));
        const withNote = d.sidecar.entities.filter((e) => e.note !== undefined);
        const withAttrs = d.sidecar.entities.filter((e) => e.attrs !== undefined);
        assert.ok(withNote.length && withAttrs.length);
        assert.deepEqual(out.issues.filter((i) => i.code === 'note').map((i) => i.entityId), withNote.map((e) => e.id));
        assert.deepEqual(out.issues.filter((i) => i.code === 'attrs').map((i) => i.entityId), withAttrs.map((e) => e.id));
        assert.ok(out.issues.every((i) => !i.dropped));
        assert.equal(out.exported, d.sidecar.entities.length);
      }
    });

    it('Label Studio tasks form one JSON array, streamed', () => {
      const w = new JsonArrayWriter();
      assert.equal(w.end(), '[]\n');
      const w2 = new JsonArrayWriter();
      const text = w2.next('{"a":1}') + w2.next('{"b":2}') + w2.end();
      assert.deepEqual(JSON.parse(text), [{ a: 1 }, { b: 2 }]);
    });
  });

  describe('brat standoff', () => {
    it('writes the text exactly (BOM removed, CRLF kept) and T, #, N, A lines in code points', () => {
      const text = '\u{1F389} M. Laftit\r\na vu Interpol.\r\n';
      const doc = docOf(text, [
        { ...entityAt(text, 'Laftit', 'PER', 'aaa001'), note: 'ministre\nde l’Intérieur', attrs: { kb: 'wikidata:Q3551', gender: 'm', title: 'M. le ministre' } },
        entityAt(text, 'Interpol', 'ORG', 'aaa002'),
      ]);
      const out = exportDocument('brat', doc);
      assert.equal(out.text, text);
      assert.equal(out.ann, [
        'T1\tPER 5 11\tLaftit',
        '#1\tAnnotatorNotes T1\tministre de l’Intérieur',
        'N1\tReference T1 wikidata:Q3551\tLaftit',
        'A1\tgender T1 m',
        'T2\tORG 18 26\tInterpol',
        '',
      ].join('\n'));
      assert.deepEqual(out.issues.map((i) => [i.code, i.entityId]), [['line-break', 'aaa001'], ['attrs', 'aaa001']]);
      assert.match(formatIssue(out.issues[1] as never), /attribute title=M\. le ministre is not written/);
    });

    it('splits an entity across a line break into one fragment per line', () => {
      const text = 'Direction générale\r\nde la sûreté nationale.\n';
      const doc = docOf(text, [entityAt(text, 'Direction générale\r\nde la sûreté nationale', 'ORG', 'aaa001')]);
      const out = exportDocument('brat', doc);
      assert.equal(out.ann, 'T1\tORG 0 18;20 42\tDirection générale de la sûreté nationale\n');
      const back = readBack('brat', out, doc);
      assert.deepEqual(spanKeys(back.spans), ['0-42 ORG']);
    });
  });

  describe('CoNLL', () => {
    it('matches the golden IOB2 file of the demo article 002 (UPDATE_GOLDEN=1 rewrites it)', () => {
      const d = demo.find((x) => x.name === GOLDEN_DOC) as TestDoc;
      golden(`${GOLDEN_DOC.replace(/\.txt$/, '')}.conll`, exportDocument('conll', asExportDocument(d)).text);
    });

    it('starts each document with -DOCSTART-, one "token TAG" line per token, a blank line after each sentence', () => {
      const text = 'M. Abdelouafi Laftit est à Rabat. Il rentre.\nFin';
      const out = exportDocument('conll', docOf(text, [entityAt(text, 'Abdelouafi Laftit', 'PER', 'aaa001'), entityAt(text, 'Rabat', 'LOC', 'aaa002')]));
      assert.equal(out.text, [
        '-DOCSTART-(a.txt) O', '',
        'M. O', 'Abdelouafi B-PER', 'Laftit I-PER', 'est O', 'à O', 'Rabat B-LOC', '. O', '',
        'Il O', 'rentre O', '. O', '',
        'Fin O', '', '',
      ].join('\n'));
      const bilou = exportDocument('conll', docOf(text, [entityAt(text, 'Abdelouafi Laftit', 'PER', 'aaa001'), entityAt(text, 'Rabat', 'LOC', 'aaa002')]), {}, { scheme: 'bilou' });
      assert.match(bilou.text, /\nAbdelouafi B-PER\nLaftit L-PER\n/);
      assert.match(bilou.text, /\nRabat U-LOC\n/);
    });

    it('keeps the longest of nested entities and reports the others (the demo: 8 of 264)', () => {
      const tally = new ExportTally();
      for (const d of demo) tally.add(exportDocument('conll', asExportDocument(d)));
      assert.equal(tally.entities, 256);
      assert.deepEqual([...tally.issues], [['overlap', { count: 8, dropped: 8 }]]);
      assert.equal(tally.summary(), '5 documents, 256 entities exported; not held by the format: 8 nested or overlapping entities dropped (CoNLL keeps the longest)');
      const d = demo.find((x) => x.name === GOLDEN_DOC) as TestDoc;
      assert.deepEqual(exportDocument('conll', asExportDocument(d)).issues.map(formatIssue), [
        '002_60ac6a68424218b9.txt: fek4pm ORG "Interpol": dropped: it is nested in ebnrtc EVENT "93ème Assemblée générale d’Interpol", which is kept',
      ]);
    });

    it('reports an entity boundary inside a token, never moves it; reports notes and attributes', () => {
      const text = 'Les Marocains et la DGSN-DGST.\n';
      const doc = docOf(text, [
        entityAt(text, 'Marocain', 'MISC', 'aaa001'),
        { ...entityAt(text, 'DGSN', 'ORG', 'aaa002'), note: 'sûreté' },
        { ...entityAt(text, 'DGST', 'ORG', 'aaa003'), attrs: { kb: 'wikidata:Q1' } },
      ]);
      const out = exportDocument('conll', doc);
      assert.doesNotMatch(out.text, /MISC/);
      assert.deepEqual(out.issues.map(formatIssue), [
        'a.txt: aaa001 MISC "Marocain": it ends inside the token "Marocains" (4-13); dropped (CoNLL tags whole tokens)',
        'a.txt: aaa002 ORG "DGSN": its note is not written (CoNLL has no place for notes): "sûreté"',
        'a.txt: aaa003 ORG "DGST": its attributes are not written (CoNLL has no place for them): kb=wikidata:Q1',
      ]);
      assert.equal(out.exported, 2);
    });

    it('never cuts an entity with a sentence break', () => {
      const text = 'Il a rencontré la Sté. Générale du Maroc hier.';
      assert.equal(tokenizeSentences(text).length, 2);
      assert.match(exportDocument('conll', docOf(text, [])).text, /\nSté O\n\. O\n\nGénérale O\n/, 'without the entity, two sentences');
      const out = exportDocument('conll', docOf(text, [entityAt(text, 'Sté. Générale du Maroc', 'ORG', 'aaa001')]));
      assert.match(out.text, /\nSté B-ORG\n\. I-ORG\nGénérale I-ORG\n/, 'with it, one');
    });

    it('reads back: the tags give every exported entity, on the demo and generated texts', () => {
      for (const d of [...demo, ...generated]) {
        const doc = asExportDocument(d);
        const out = exportDocument('conll', doc);
        const tokens = tokenizeSentences(d.article.text, d.article.offsets).flat();
        const lines = out.text.split('\n').filter((l) => l !== '' && !l.startsWith('-DOCSTART-'));
        assert.deepEqual(lines.map((l) => l.split(' ')[0]), tokens.map((t) => t.text));
        assert.ok(lines.every((l) => l.split(' ').length === 2), 'two columns');
        const back = spansFromTags(lines.map((l) => l.split(' ')[1] as string))
          .map((s) => ({ start: (tokens[s.first] as { start: number }).start, end: (tokens[s.last] as { end: number }).end, label: s.label }));
        const dropped = new Set(out.issues.filter((i) => i.dropped).map((i) => i.entityId));
        assert.deepEqual(spanKeys(back), spanKeys(d.sidecar.entities.filter((e) => !dropped.has(e.id))), d.name);
        assert.equal(back.length + dropped.size, d.sidecar.entities.length);
      }
    });
  });

  it('JSONL matches its golden file for the demo article 002 (UPDATE_GOLDEN=1 rewrites it)', () => {
    const d = demo.find((x) => x.name === GOLDEN_DOC) as TestDoc;
    golden(`${GOLDEN_DOC.replace(/\.txt$/, '')}.jsonl`, exportDocument('jsonl', asExportDocument(d)).text);
    golden(`${GOLDEN_DOC.replace(/\.txt$/, '')}.tokens.jsonl`, exportDocument('jsonl', asExportDocument(d), {}, { tokens: true }).text);
  });

  describe('round trip: sidecar → export → import → the same entities', () => {
    for (const format of IMPORT_FORMATS) {
      it(`${format}: all 264 demo entities and every generated one, same spans and labels, new ids`, () => {
        for (const d of [...demo, ...generated]) {
          const doc = asExportDocument(d);
          const back = readBack(format, exportDocument(format, doc), doc);
          assert.equal(back.text, d.article.text);
          const merged = mergeImported(undefined, d.article, d.name, back.spans, { format, overlap: 'allow' });
          assert.deepEqual(merged.conflicts, []);
          assert.deepEqual(merged.invalid, []);
          assert.deepEqual(spanKeys(merged.sidecar.entities), spanKeys(d.sidecar.entities), `${format} ${d.name}`);
          assert.ok(merged.sidecar.entities.every((e) => e.src === `import:${format}` && !d.sidecar.entities.some((o) => o.id === e.id)));
          if (format === 'jsonl' || format === 'brat') {
            // both hold notes and attributes (brat: a note on one line)
            const detail = (es: Entity[]) => es.map((e) => `${e.start}-${e.end} ${e.label} ${format === 'brat' ? e.note?.replace(/\n/g, ' ') : e.note} ${JSON.stringify(Object.entries(e.attrs ?? {}).sort())}`).sort();
            assert.deepEqual(detail(merged.sidecar.entities), detail(d.sidecar.entities));
          }
        }
      });
    }
  });

  describe('filters', () => {
    const d = generated[1] as TestDoc;
    const ids = (filter: ExportFilter) => selectEntities(d.sidecar.entities, filter).map((e) => e.id);

    it('by label and by src (with * patterns); an entity without src matches only *', () => {
      const all = d.sidecar.entities;
      assert.deepEqual(ids({ labels: new Set(['PER']) }), all.filter((e) => e.label === 'PER').map((e) => e.id));
      assert.deepEqual(ids({ excludeSrc: ['propagated'] }), all.filter((e) => e.src !== 'propagated').map((e) => e.id));
      assert.deepEqual(ids({ excludeSrc: ['prop*'] }), ids({ excludeSrc: ['propagated'] }));
      const mixed = [{ ...(all[0] as Entity), src: 'pattern:dates' }, { ...(all[1] as Entity), src: undefined }];
      assert.deepEqual(selectEntities(mixed, { excludeSrc: ['pattern:*'] }).map((e) => e.id), [all[1]?.id]);
      assert.deepEqual(selectEntities(mixed, { excludeSrc: ['*'] }), []);
    });

    it('the exporters write only the selected entities', () => {
      for (const format of EXPORT_FORMATS) {
        const out = exportDocument(format, asExportDocument(d), { labels: new Set(['LOC']) });
        assert.equal(out.exported, d.sidecar.entities.filter((e) => e.label === 'LOC').length, format);
      }
    });
  });

  describe('suggestions (suggested: true) are not annotations yet', () => {
    const base = generated[1] as TestDoc;
    const withSuggestions = (): ExportDocument => {
      const doc = asExportDocument(base);
      const extra: Entity[] = base.sidecar.entities.slice(0, 2).map((e, i) => ({ ...e, id: `sugg0${i}`, label: 'MISC', src: 'gazetteer:g.tsv', suggested: true, attrs: { kb: 'Q9' } }));
      return { ...doc, sidecar: { ...doc.sidecar, entities: [...doc.sidecar.entities, ...extra] } };
    };

    it('every format leaves them out by default and counts them; --include-suggestions exports them', () => {
      const plain = asExportDocument(base);
      const doc = withSuggestions();
      for (const format of EXPORT_FORMATS) {
        const out = exportDocument(format, doc);
        const reference = exportDocument(format, plain);
        if (format === 'labelstudio') {
          // Label Studio has a place for them: predictions (export-consumers.test.ts)
          assert.equal(out.predicted, 2);
          continue;
        }
        assert.equal(out.text, reference.text, format);
        assert.equal(out.ann, reference.ann, format);
        assert.equal(out.exported, reference.exported, format);
        assert.equal(out.suggestions, 2, format);
        assert.equal(reference.suggestions, undefined, format);
        const included = exportDocument(format, doc, { includeSuggestions: true });
        assert.equal(included.suggestions, undefined, format);
        if (format !== 'conll' && format !== 'hf') assert.equal(included.exported, reference.exported + 2, format); // CoNLL and hf keep the longest of overlapping ones
      }
      assert.deepEqual(selectEntities(doc.sidecar.entities, {}).map((e) => e.id), selectEntities(plain.sidecar.entities, {}).map((e) => e.id));
      const tally = new ExportTally();
      tally.add(exportDocument('jsonl', doc));
      assert.match(tally.summary(), /^1 document, \d+ entities exported \(2 suggestions not accepted yet left out\); nothing lost$/);
    });
  });

  describe('knowledge-base ids and canonical names', () => {
    const text = 'Le roi Mohammed VI a reçu M. Hammouchi à Rabat.';
    const entities = [
      { ...entityAt(text, 'Mohammed VI', 'PER', 'per001'), attrs: { kb: 'wikidata:Q57553', canonical: 'Mohammed VI du Maroc', role: 'roi' } },
      { ...entityAt(text, 'Hammouchi', 'PER', 'per002'), attrs: { canonical: 'Abdellatif Hammouchi' } },
      entityAt(text, 'Rabat', 'LOC', 'loc001'),
    ];
    const doc = docOf(text, entities);

    it('JSONL: kb_id and canonical on each span that has them, other attributes in attrs; read back by the importer', () => {
      const out = exportDocument('jsonl', doc);
      const record = JSON.parse(out.text) as { spans: Array<Record<string, unknown>> };
      assert.deepEqual(record.spans, [
        { start: 7, end: 18, label: 'PER', kb_id: 'wikidata:Q57553', canonical: 'Mohammed VI du Maroc', attrs: { role: 'roi' } },
        { start: 29, end: 38, label: 'PER', canonical: 'Abdellatif Hammouchi' },
        { start: 41, end: 46, label: 'LOC' },
      ]);
      assert.deepEqual(out.issues, []);
      const back = parseJsonlLine(out.text.trim(), 'x.jsonl').records[0];
      assert.deepEqual(back?.spans.map((s) => s.attrs), entities.map((e) => e.attrs));
    });

    it('brat: an N Reference line per kb id, named by the canonical name, read back into attrs.kb and attrs.canonical', () => {
      const out = exportDocument('brat', doc);
      assert.match(out.ann ?? '', /^N1\tReference T1 wikidata:Q57553\tMohammed VI du Maroc$/m);
      assert.equal((out.ann ?? '').match(/^N/gm)?.length, 1);
      const back = parseBrat(doc.article.text, out.ann ?? '', 'a.ann', 'a.txt');
      assert.deepEqual(back.records[0]?.spans[0]?.attrs, { kb: 'wikidata:Q57553', canonical: 'Mohammed VI du Maroc', role: 'roi' });
    });
  });

  it('every format gives output, and options change only what they apply to', () => {
    const d = asExportDocument(demo[0] as TestDoc);
    const opts: ExportOptions = { tokens: true, scheme: 'bilou' };
    assert.equal(exportDocument('doccano', d, {}, opts).text, exportDocument('doccano', d).text);
    assert.notEqual(exportDocument('jsonl', d, {}, opts).text, exportDocument('jsonl', d).text);
  });
});

// ---------------------------------------------------------------------------------------------

function docOf(text: string, entities: Entity[], name = 'a.txt'): ExportDocument {
  const article = articleFromText(text);
  return { name, relPath: name, article, sidecar: { version: 1, document: name, sha256: article.sha256, status: 'done', entities } };
}

/** Compares with test/fixtures/golden/<name>, or writes it when UPDATE_GOLDEN=1. */
function golden(name: string, actual: string): void {
  const file = path.join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    fs.mkdirSync(GOLDEN_DIR, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.ok(fs.existsSync(file), `${file} is missing: run the unit tests with UPDATE_GOLDEN=1 and review it`);
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `${name} differs from the golden file; if the change is intended, run with UPDATE_GOLDEN=1 and review the diff`);
}
