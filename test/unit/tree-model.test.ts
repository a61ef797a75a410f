// The sidebar's view model (src/core/corpus/tree-model.ts): a loaded document's rows, row ids, label order,
// a filter's per-document counts kept current, line numbers, and what rows and the view header say.
// The adapter (src/extension/tree.ts) is checked in the extension host (test/integration/tree.test.ts).
import { strict as assert } from 'node:assert';
import { DEFAULT_CONFIG, LabelConfig } from '../../src/core/config/config';
import { StringPool, summariseSidecar } from '../../src/core/corpus/corpus-index';
import { parseFilter } from '../../src/core/corpus/entity-filter';
import { Entity, Sidecar } from '../../src/core/model/model';
import { Problem } from '../../src/core/model/problems';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import {
  documentDescription, documentRows, gainDescription, GainEntry, GainSnapshot, gainTooltip, sortByGain, documentTooltip, entityDescription, entityRows, entityTooltip, FilterCounts, knownLabels, labelDef,
  labelDotSvg, labelOrder, labelTooltip, LineIndex, lineOfId, loadedDocumentCounts, plural, problemRows, reanchorProblemTitle, rowIds,
  suggestionsTooltip, TooltipPart, viewHeader,
} from '../../src/core/corpus/tree-model';

const KNOWN = new Set(['PER', 'ORG', 'LOC', 'DATE', 'EVENT', 'MISC']);
const filter = (s: string) => parseFilter(s, KNOWN);

function entity(id: string, label: string, start: number, text: string, more: Partial<Entity> = {}): Entity {
  return { id, label, start, end: start + [...text].length, text, ...more };
}

const ENTITIES: Entity[] = [
  entity('e3', 'ORG', 40, 'Interpol'),
  entity('e1', 'PER', 10, 'Laftit'),
  entity('e2', 'LOC', 0, 'Rabat'),
  entity('s1', 'PER', 20, 'Hammouchi', { suggested: true, src: 'gazetteer' }),
  entity('e4', 'PER', 10, 'Laftit', { id: 'e0' }),
  entity('x1', 'CUSTOM', 60, 'Truc'),
];

const config = (...names: string[]): LabelConfig => ({ ...DEFAULT_CONFIG, labels: names.map((name) => ({ name, color: '#000000', description: `${name} here` })) });

const text = (parts: readonly TooltipPart[]) => parts.map((p) => ('markdown' in p ? p.markdown : p.text)).join('');

describe('tree model', () => {
  describe("a loaded document's rows", () => {
    it('a Suggestions row when the filter shows one, then the labels in configuration order, unknown ones last by name', () => {
      const order = labelOrder([config('PER', 'ORG', 'LOC')]);
      assert.deepEqual(documentRows(ENTITIES, undefined, order), { suggestions: true, labels: ['PER', 'ORG', 'LOC', 'CUSTOM'] });
      // A label with only a suggestion has no label row of its own; the filter hides the rest.
      assert.deepEqual(documentRows(ENTITIES, filter('hammouchi'), order), { suggestions: true, labels: [] });
      assert.deepEqual(documentRows(ENTITIES, filter('ORG'), order), { suggestions: false, labels: ['ORG'] });
      assert.deepEqual(documentRows([], undefined, order), { suggestions: false, labels: [] });
    });

    it("a label's entities (no suggestion) or the suggestions, in text order, ties by end then id", () => {
      assert.deepEqual(entityRows(ENTITIES, 'PER', undefined).map((e) => e.id), ['e0', 'e1']);
      assert.deepEqual(entityRows(ENTITIES, undefined, undefined).map((e) => e.id), ['s1']);
      assert.deepEqual(entityRows(ENTITIES, 'PER', filter('hammouchi')).map((e) => e.id), []);
      const byEnd = [entity('b', 'PER', 0, 'abc'), entity('a', 'PER', 0, 'ab')];
      assert.deepEqual(entityRows(byEnd, 'PER', undefined).map((e) => e.id), ['a', 'b']);
    });

    it('error rows: one per error, capped, after the drop-orphans row when only orphans are left', () => {
      const p = (severity: Problem['severity'], line: number): Problem => ({ severity, code: 'x', message: `m${line}`, line, column: 1 });
      const problems = [p('warning', 1), p('error', 2), p('error', 3)];
      assert.deepEqual(problemRows(problems, undefined), [{ index: 1 }, { index: 2 }]);
      assert.deepEqual(problemRows(problems, { ambiguous: 0, orphans: 2 }), [{ dropOrphans: true }, { index: 1 }, { index: 2 }]);
      assert.deepEqual(problemRows(problems, { ambiguous: 1, orphans: 2 }), [{ index: 1 }, { index: 2 }], 'an ambiguous entity needs a choice first');
      assert.deepEqual(problemRows([p('warning', 1)], undefined), [{ summary: true }]);
      assert.equal(problemRows(Array.from({ length: 250 }, (_, i) => p('error', i)), undefined).length, 100);
    });
  });

  it('row ids: each kind its own prefix, an entity and an occurrence of it distinct', () => {
    const doc = 'file:///c/a.txt';
    const ids = [rowIds.folder('file:///c'), rowIds.document(doc), rowIds.label('PER'), rowIds.surface('PER', 'Laftit'), rowIds.docLabel(doc, 'PER'),
      rowIds.suggestions(doc), rowIds.entity(doc, 'e1', 'document'), rowIds.entity(doc, 'e1', 'label'), rowIds.problem(doc, 0), rowIds.problems(doc),
      rowIds.dropOrphans(doc), rowIds.more(undefined), rowIds.more(rowIds.label('PER'))];
    assert.equal(new Set(ids).size, ids.length);
    assert.equal(rowIds.entity(doc, 'e1', 'label'), rowIds.entity(doc, 'e1', 'entity'));
    assert.equal(rowIds.more(undefined), 'root/more');
  });

  describe('labels', () => {
    it('order: each configuration in turn, a label once, unknown labels last by name', () => {
      const order = labelOrder([config('ORG', 'PER'), config('PER', 'LOC')]);
      assert.deepEqual(['ZED', 'LOC', 'PER', 'ABC', 'ORG'].sort(order), ['ORG', 'PER', 'LOC', 'ABC', 'ZED']);
    });

    it("definition: a document's own configuration only; unscoped, the first that has it, else the default", () => {
      const mine = config('ORG');
      assert.equal(labelDef('ORG', [mine], true)?.description, 'ORG here');
      assert.equal(labelDef('PER', [mine], true), undefined, "not in the document's configuration");
      assert.equal(labelDef('LOC', [mine, config('LOC')], false)?.description, 'LOC here');
      assert.equal(labelDef('PER', [mine], false)?.color, '#e5534b', 'the default configuration');
      assert.equal(labelDef('NOPE', [mine], false), undefined);
    });

    it("a filter's known labels: every configuration's, the default ones when none has any", () => {
      assert.deepEqual([...knownLabels([config('A'), config('B', 'A')])], ['A', 'B']);
      assert.deepEqual([...knownLabels([config()])], DEFAULT_CONFIG.labels.map((l) => l.name));
    });

    it("a colour's dot: #rrggbb as rgb(), anything else none", () => {
      assert.match(labelDotSvg('#ff8000') ?? '', /fill="rgb\(255,128,0\)"/);
      assert.match(labelDotSvg('00ff00') ?? '', /fill="rgb\(0,255,0\)"/);
      assert.equal(labelDotSvg('red'), undefined);
    });
  });

  describe("a filter's counts", () => {
    const pool = new StringPool();
    const sidecar = (entities: Entity[]): Sidecar => ({ version: 1, document: 'a.txt', status: 'todo', entities: [...entities].sort((a, b) => a.start - b.start || a.end - b.end || (a.id < b.id ? -1 : 1)) });
    const summary = (entities: Entity[]) => summariseSidecar(writeSidecar(sidecar(entities)), { withMentions: pool });

    it('per document and in total, suggestions included; kept current as documents change or leave', () => {
      const counts = new FilterCounts(filter('PER') as NonNullable<ReturnType<typeof filter>>, [['a', summary(ENTITIES)], ['b', summary([entity('z', 'ORG', 0, 'X')])]]);
      assert.deepEqual([...counts.perDoc], [['a', 3]]);
      assert.equal(counts.total, 3);
      counts.update('b', summary([entity('z', 'PER', 0, 'X')]));
      assert.deepEqual([...counts.perDoc], [['a', 3], ['b', 1]]);
      assert.equal(counts.total, 4);
      counts.update('a', undefined);
      assert.deepEqual([...counts.perDoc], [['b', 1]]);
      assert.equal(counts.total, 1);
      counts.update('b', summariseSidecar('not: [a sidecar', { withMentions: pool }));
      assert.equal(counts.total, 0, 'an invalid sidecar shows nothing');
      assert.equal(counts.perDoc.size, 0);
    });
  });

  describe('expected gain order', () => {
    const gain = (g: number, unannotated = 1): GainEntry => ({ gain: { gain: g, predictions: unannotated + 2, unannotated } });
    const snap = (entries: Array<[string, GainEntry]>): GainSnapshot => ({ entries: new Map(entries), model: 'demo', taken: '18:42' });

    it('highest gain first; equal gains, then documents without one, keep the order given', () => {
      const docs = ['a', 'b', 'c', 'd', 'e', 'f'];
      const s = snap([['a', gain(1)], ['b', { problem: 'cannot read it' }], ['c', gain(3)], ['d', gain(1)], ['f', gain(0)]]);
      assert.deepEqual(sortByGain(docs, (d) => d, s), ['c', 'a', 'd', 'f', 'b', 'e']);
      assert.deepEqual(docs, ['a', 'b', 'c', 'd', 'e', 'f'], 'the input is left alone');
      assert.deepEqual(sortByGain([...docs].reverse(), (d) => d, s), ['c', 'd', 'a', 'f', 'e', 'b']);
    });

    it('keys documents by what keyOf says (rows are objects in the tree)', () => {
      const rows = [{ id: 'doc:x' }, { id: 'doc:y' }];
      assert.deepEqual(sortByGain(rows, (r) => r.id.slice(4), snap([['y', gain(2)]])).map((r) => r.id), ['doc:y', 'doc:x']);
    });

    it('describes the gain to one decimal, or its absence; the tooltip says it is a snapshot and why a figure is missing', () => {
      const s = snap([]);
      assert.equal(gainDescription(gain(12.345)), 'gain 12.3');
      assert.equal(gainDescription(gain(0)), 'gain 0.0');
      assert.equal(gainDescription({ problem: 'x' }), 'no gain');
      assert.equal(gainDescription(undefined), 'no gain');
      const tip = text(gainTooltip(gain(2.5, 3), s));
      assert.match(tip, /^\n\nExpected gain \*\*2\.5\*\*: .*3 predictions of model demo over no annotation \(of 5\)/);
      assert.match(tip, /snapshot taken at 18:42/);
      assert.match(tip, /Sort by Expected Gain\* again/);
      assert.equal(text(gainTooltip({ problem: 'the sidecar has errors' }, s)), '\n\nNo expected gain: the sidecar has errors');
      assert.match(text(gainTooltip(undefined, s)), /new since the sort \(model demo, 18:42\)/);
      // The model's name is the file's: text, escaped by the adapter, never markdown.
      assert.ok(gainTooltip(gain(1), { ...s, model: '*x*' }).some((p) => 'text' in p && p.text === '*x*'));
    });
  });

  describe('line numbers', () => {
    it("VS Code's line breaks: \\n, \\r\\n and a lone \\r", () => {
      const lines = new LineIndex('a\nb\r\nc\rd');
      assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((i) => lines.lineOf(i)), [1, 1, 2, 2, 2, 3, 3, 4, 4]);
      assert.equal(new LineIndex('').lineOf(0), 1);
    });

    it("an entity's line in the sidecar text when the reader has none: the line of `id: <id>`", () => {
      const sidecar = 'version: 1\nentities:\n  - {id: e1, label: PER}\n  - id: "e2"\n';
      assert.equal(lineOfId(sidecar, 'e1'), 3);
      assert.equal(lineOfId(sidecar, 'e2'), 4);
      assert.equal(lineOfId(sidecar, 'e3'), undefined);
      assert.equal(lineOfId(sidecar, 'e.*'), undefined, 'an id is not a pattern');
    });
  });

  describe('words', () => {
    it('plural', () => {
      assert.deepEqual([plural(0, 'entity'), plural(1, 'entity'), plural(2, 'document')], ['0 entities', '1 entity', '2 documents']);
      assert.deepEqual([plural(1000264, 'entity'), plural(10005, 'document'), plural(999, 'entity')], ['1,000,264 entities', '10,005 documents', '999 entities']);
    });

    it('a document row: entities (of them, what the filter shows), suggestions, status, unsaved, folder', () => {
      assert.equal(documentDescription({ entities: 1, suggestions: 0, status: 'todo', dir: '' }), '1 entity · todo');
      assert.equal(documentDescription({ entities: 5, suggestions: 2, status: 'in-progress', filtered: 3, unsaved: true, dir: 'news/2025' }),
        '3 of 5 entities · 2 suggested · in progress · unsaved · news/2025');
      assert.equal(documentDescription({ entities: 5, suggestions: 0, status: 'done', filtered: 0, dir: '' }), '0 of 5 entities · done');
    });

    it("a loaded document's counts: suggestions apart, what the filter shows with them", () => {
      assert.deepEqual(loadedDocumentCounts(ENTITIES, undefined), { total: 5, suggestions: 1, shown: 6 });
      assert.deepEqual(loadedDocumentCounts(ENTITIES, filter('PER')), { total: 5, suggestions: 1, shown: 3 });
    });

    it('an entity row: its line; the document too when grouped by linked entity; a suggestion its label with ?', () => {
      const e = entity('e1', 'PER', 0, 'Laftit');
      assert.equal(entityDescription(e, 'document', 'a.txt', 3), 'line 3');
      assert.equal(entityDescription(e, 'label', 'a.txt', 3), 'line 3');
      assert.equal(entityDescription(e, 'entity', 'a.txt', 3), 'a.txt, line 3');
      assert.equal(entityDescription({ ...e, suggested: true }, 'entity', 'a.txt', 3), 'PER? · line 3');
    });

    it("an error row about an entity re-anchoring could not place; other problems keep their message", () => {
      const e = entity('e1', 'PER', 0, 'Laftit');
      const p = (code: string): Problem => ({ severity: 'error', code, message: 'm', line: 1, column: 1 });
      assert.equal(reanchorProblemTitle(p('orphan'), e, 'Laftit'), 'Orphan: PER Laftit');
      assert.equal(reanchorProblemTitle(p('ambiguous'), e, 'Laftit'), 'Ambiguous: PER Laftit');
      assert.equal(reanchorProblemTitle(p('orphan'), undefined, ''), undefined);
      assert.equal(reanchorProblemTitle(p('yaml-syntax'), e, 'Laftit'), undefined);
    });

    it('the view header: totals, the filter and its matches, nothing over the welcome content', () => {
      const counted = { entities: 12, documents: 3 };
      assert.deepEqual(viewHeader({ articles: 3, counted, filter: undefined, matching: 0 }), { description: '12 entities in 3 documents', message: '12 entities in 3 documents' });
      assert.deepEqual(viewHeader({ articles: 3, counted: undefined, filter: undefined, matching: 0 }), { description: '3 documents', message: '3 documents' });
      assert.deepEqual(viewHeader({ articles: 3, counted, filter: 'PER', matching: 4 }), { description: 'filter: PER · 4 of 12 entities', message: 'Filter "PER": 4 of 12 entities.' });
      assert.deepEqual(viewHeader({ articles: 3, counted, filter: 'zzz', matching: 0 }), { description: 'filter: zzz · 0 of 12 entities', message: 'No entity matches "zzz".' });
      assert.equal(viewHeader({ articles: 3, counted: undefined, filter: 'zzz', matching: 0 }).message, 'Filter "zzz": 0 of 0 entities.', 'not counted yet: no "no match"');
      assert.equal(viewHeader({ articles: 0, counted: { entities: 0, documents: 0 }, filter: undefined, matching: 0 }).message, undefined);
    });

    it('tooltips: markdown apart from the user\'s text, which the adapter escapes', () => {
      const e = entity('e1', 'PER', 0, '**Laftit**', { note: 'see *here*', attrs: { kb: 'Q1' }, by: 'ana', suggested: true, src: 'gazetteer' });
      const parts = entityTooltip(e, '**Laftit**', 'a.txt', 2);
      assert.ok(parts.some((p) => 'text' in p && p.text === '"**Laftit**"'), 'the entity text is text, not markdown');
      assert.ok(parts.some((p) => 'text' in p && p.text === 'see *here*'));
      assert.equal(text(parts), '**PER** "**Laftit**"\n\na.txt, line 2 · id e1 · code points 0–10\n\n*Note:* see *here*\n\n*Attributes:* kb = Q1\n\nby ana · source gazetteer\n\n*Suggestion awaiting a decision:* accept or reject it inline.');
      assert.equal(text(entityTooltip(entity('e2', 'LOC', 3, 'Rabat'), 'Rabat', 'a.txt', 1)), '**LOC** "Rabat"\n\na.txt, line 1 · id e2 · code points 3–8');
      const errors = Array.from({ length: 7 }, (_, i): Problem => ({ severity: 'error', code: 'x', message: `bad ${i}`, line: i + 1, column: 1 }));
      assert.match(text(documentTooltip({ kind: 'invalid', problems: errors })), /line 5: bad 4\n… and 2 more$/);
      assert.equal(text(documentTooltip({ kind: 'unreadable', problems: [] })), '\n\nThis file cannot be annotated.');
      assert.equal(text(documentTooltip({ kind: 'ok', status: 'done', total: 1, sidecarExists: false, pendingSave: false })),
        '\n\nStatus: **done** · 1 entity\n\nNo sidecar yet: it is written with the first annotation.');
      assert.equal(labelTooltip('PER', 2, { name: 'PER', color: '#000', description: 'People' }, 1), 'PER: 2 entities, 1 surface form\nPeople');
      assert.equal(labelTooltip('PER', 1, undefined), 'PER: 1 entity');
      assert.equal(suggestionsTooltip([ENTITIES[3] as Entity, entity('s2', 'ORG', 0, 'X', { suggested: true })]),
        '2 suggestions awaiting a decision (from gazetteer, unknown). Accept or reject each inline, or all from this row.');
    });
  });
});
