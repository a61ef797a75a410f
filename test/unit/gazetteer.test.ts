// Gazetteer files (src/core/suggest/gazetteer.ts) and the gazetteer built from annotations
// (src/core/suggest/build-gazetteer.ts).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { buildGazetteer } from '../../src/core/suggest/build-gazetteer';
import { formatGazetteer, GAZETTEER_HEADER, parseGazetteer } from '../../src/core/suggest/gazetteer';
import { Entity, Sidecar } from '../../src/core/model/model';

const LABELS = new Set(['PER', 'ORG', 'LOC', 'DATE']);

describe('gazetteer files', () => {
  it('reads surface, label and kb id; comments, blank lines, CRLF, a BOM and spaces around columns', () => {
    const src = '\uFEFF# names\r\n\r\nAbdellatif Hammouchi\tPER\twikidata:Q4666545\r\n  # indented comment\r\nInterpol \t ORG\r\nRabat\tLOC\t\r\n';
    const { gazetteer, problems } = parseGazetteer(src, 'names.tsv', { labels: LABELS });
    assert.deepEqual(problems, []);
    assert.equal(gazetteer.name, 'names.tsv');
    assert.deepEqual(gazetteer.entries, [
      { surface: 'Abdellatif Hammouchi', label: 'PER', kb: 'wikidata:Q4666545', line: 3 },
      { surface: 'Interpol', label: 'ORG', line: 5 },
      { surface: 'Rabat', label: 'LOC', line: 6 },
    ]);
  });

  it('reports each bad line with its line, column and what is wrong, and keeps the others', () => {
    const src = [
      'Laftit\tPER',             // 1 fine
      'Maroc LOC',               // 2 no tab
      'a\tb\tc\td',              // 3 too many columns
      '\tORG',                   // 4 empty surface
      'Rabat\t',                 // 5 no label
      'Rabat\tLIEU GEO',         // 6 label with a space
      'Casablanca\tCITY',        // 7 unknown label
      'Laftit\tPER',             // 8 exact duplicate
      'Laftit\tORG',             // 9 duplicate, another label
      'Interpol\tORG\tQ1',       // 10 fine
      'Interpol\tORG\tQ2',       // 11 duplicate, another kb
    ].join('\n');
    const { gazetteer, problems } = parseGazetteer(src, 'g.tsv', { labels: LABELS });
    assert.deepEqual(gazetteer.entries.map((e) => e.line), [1, 10]);
    assert.deepEqual(problems.map((p) => [p.line, p.severity, p.code]), [
      [2, 'error', 'gazetteer-columns'],
      [3, 'error', 'gazetteer-columns'],
      [4, 'error', 'gazetteer-surface'],
      [5, 'error', 'gazetteer-label'],
      [6, 'error', 'gazetteer-label'],
      [7, 'error', 'unknown-label'],
      [8, 'warning', 'gazetteer-duplicate'],
      [9, 'warning', 'gazetteer-duplicate'],
      [11, 'warning', 'gazetteer-duplicate'],
    ]);
    const at = (line: number) => problems.find((p) => p.line === line);
    assert.match(at(2)?.message ?? '', /no tab \(columns are separated by a tab, not spaces\)/);
    assert.equal(at(3)?.column, 7);
    assert.equal(at(7)?.column, 12);
    assert.match(at(7)?.message ?? '', /unknown label "CITY"/);
    assert.match(at(9)?.message ?? '', /also listed as PER on line 1; the first line wins \(PER\)/);
    assert.match(at(11)?.message ?? '', /different kb ids \(line 10: Q1\)/);
  });

  it('takes any label when no label set is given', () => {
    const { gazetteer, problems } = parseGazetteer('x\tANYTHING\n', 'g.tsv');
    assert.deepEqual(problems, []);
    assert.equal(gazetteer.entries[0]?.label, 'ANYTHING');
  });

  it('formatGazetteer writes what parseGazetteer reads back (property)', () => {
    const surface = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s === s.trim() && !/[\t\r\n\u0085\u2028\u2029]/.test(s) && !s.startsWith('#'));
    const entry = fc.record({ surface, label: fc.constantFrom('PER', 'ORG', 'LOC'), kb: fc.option(fc.constantFrom('wikidata:Q1', 'Q42'), { nil: undefined }) });
    fc.assert(fc.property(fc.uniqueArray(entry, { selector: (e) => e.surface, maxLength: 20 }), (entries) => {
      const clean = entries.map((e) => (e.kb === undefined ? { surface: e.surface, label: e.label } : { surface: e.surface, label: e.label, kb: e.kb }));
      const text = formatGazetteer(clean, ['a comment']);
      const { gazetteer, problems } = parseGazetteer(text, 'g.tsv');
      assert.deepEqual(problems, []);
      assert.deepEqual(gazetteer.entries.map(({ line: _line, ...rest }) => rest), clean);
    }), { seed: 42, numRuns: 200 });
  });
});

function doc(path: string, entities: Array<Partial<Entity> & Pick<Entity, 'label' | 'text'>>): { path: string; sidecar: Sidecar } {
  return {
    path,
    sidecar: {
      version: 1, document: path, status: 'done',
      entities: entities.map((e, i) => ({ id: `e${i}`, start: i * 10, end: i * 10 + e.text.length, ...e })),
    },
  };
}

describe('buildGazetteer', () => {
  it('the most frequent label wins; conflicts and ties are reported; suggestions are left out', () => {
    const built = buildGazetteer([
      doc('a.txt', [
        { label: 'LOC', text: 'Rabat' }, { label: 'LOC', text: 'Rabat' }, { label: 'ORG', text: 'Rabat' },
        { label: 'ORG', text: 'Raja' }, { label: 'LOC', text: 'Raja' },
        { label: 'PER', text: 'Laftit', suggested: true },
      ]),
      doc('b.txt', [{ label: 'PER', text: 'Hammouchi' }, { label: 'LOC', text: 'Rabat' }]),
    ]);
    assert.deepEqual(built.entries, [
      { surface: 'Hammouchi', label: 'PER', count: 1, documents: 1 },
      { surface: 'Rabat', label: 'LOC', count: 3, documents: 2 },
      { surface: 'Raja', label: 'LOC', count: 1, documents: 1 },
    ]);
    assert.deepEqual(built.conflicts, [
      { surface: 'Rabat', labels: { LOC: 3, ORG: 1 }, chosen: 'LOC', tie: false },
      { surface: 'Raja', labels: { LOC: 1, ORG: 1 }, chosen: 'LOC', tie: true },
    ]);
    assert.equal(built.entities, 7);
    assert.equal(built.documents, 2);
    assert.equal(built.tsv.split('\n')[0], GAZETTEER_HEADER);
    assert.deepEqual(built.tsv.split('\n').filter((l) => l && !l.startsWith('#')), ['Hammouchi\tPER', 'Rabat\tLOC', 'Raja\tLOC']);
  });

  it('keeps a kb id when every occurrence that has one agrees, and reports disagreements', () => {
    const built = buildGazetteer([doc('a.txt', [
      { label: 'PER', text: 'Laftit', attrs: { kb: 'wikidata:Q1' } },
      { label: 'PER', text: 'Laftit' },
      { label: 'ORG', text: 'Interpol', attrs: { kb: 'Q1' } },
      { label: 'ORG', text: 'Interpol', attrs: { kb: 'Q2' } },
    ])]);
    assert.deepEqual(built.entries.map((e) => [e.surface, e.kb]), [['Interpol', undefined], ['Laftit', 'wikidata:Q1']]);
    assert.deepEqual(built.kbConflicts, [{ surface: 'Interpol', label: 'ORG', kbs: { Q1: 1, Q2: 1 } }]);
    assert.match(built.tsv, /\nLaftit\tPER\twikidata:Q1\n/);
  });

  it('normalises whitespace in surfaces, skips what a line cannot hold, honours minCount, and is deterministic', () => {
    const docs = [doc('a.txt', [
      { label: 'ORG', text: 'Sûreté\nnationale' }, { label: 'ORG', text: 'Sûreté\u00a0nationale' },
      { label: 'MISC', text: '#MeToo' }, { label: 'LOC', text: 'Fès' },
    ])];
    const built = buildGazetteer(docs, { minCount: 2 });
    assert.deepEqual(built.entries.map((e) => [e.surface, e.count]), [['Sûreté nationale', 2]]);
    assert.deepEqual(buildGazetteer(docs).skipped, ['#MeToo']);
    assert.equal(buildGazetteer([...docs].reverse()).tsv, buildGazetteer(docs).tsv);
    const { gazetteer, problems } = parseGazetteer(buildGazetteer(docs).tsv, 'g.tsv');
    assert.deepEqual(problems, []);
    assert.deepEqual(gazetteer.entries.map((e) => e.surface), ['Fès', 'Sûreté nationale']);
  });
});
