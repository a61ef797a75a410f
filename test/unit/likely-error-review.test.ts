// Reviewing likely annotation errors (src/core/suggest/recommender/likely-error-review.ts): the consistency
// signal beside the model's disagreements, the messages, dismissal keys, whether a finding still
// holds after an edit, and the fixes, on constructed cases and on a model trained on a tiny corpus.
import { strict as assert } from 'node:assert';
import { decodeArticle } from '../../src/core/model/article';
import { Entity, Sidecar } from '../../src/core/model/model';
import { OffsetMap } from '../../src/core/model/offsets';
import {
  applyFix, crossReviewCorpus, describeFinding, dismissalKey, findingHolds, fixOf, labelCountsBySurface, ReviewDoc, reviewCorpus, reviewDocument, ReviewFinding, surfaceKey,
} from '../../src/core/suggest/recommender/likely-error-review';
import { trainModel } from '../../src/core/suggest/recommender/recommender';
import { tinyCorpus } from './helpers/tiny-corpus';

const LABELS = ['LOC', 'ORG', 'PER'];
const enc = new TextEncoder();

/** A document with its entities placed at each listed occurrence of the text (in order). */
function doc(text: string, marks: Array<[string, string, string]>): ReviewDoc {
  const cps = new OffsetMap(text);
  let from = 0;
  const entities = marks.map(([id, surface, label]) => {
    const at = text.indexOf(surface, from);
    assert.ok(at >= 0, surface);
    from = at + surface.length;
    return { id, label, start: cps.toCodePoint(at), end: cps.toCodePoint(at + surface.length) };
  });
  return { text, entities };
}

const brief = (fs: readonly ReviewFinding[]) => fs.map((f) => [f.kind, f.current?.id ?? null, `${f.proposed.text} ${f.proposed.label}`, f.score ?? null, f.others ?? null]);

describe('likely error review: the consistency signal', () => {
  const a = doc('Laftit parle. Laftit part. Laftit revient.', [['a1', 'Laftit', 'PER'], ['a2', 'Laftit', 'LOC'], ['a3', 'Laftit', 'PER']]);
  const b = doc('Hier Laftit au Maroc.', [['b1', 'Laftit', 'PER'], ['b2', 'Maroc', 'LOC']]);

  it('counts labels per surface over all documents, white space collapsed', () => {
    const counts = labelCountsBySurface([a, b, doc('Abdelouafi\n Laftit', [['c', 'Abdelouafi\n Laftit', 'PER']])]);
    assert.deepEqual([...(counts.get('Laftit') ?? [])], [['PER', 3], ['LOC', 1]]);
    assert.deepEqual([...(counts.get('Abdelouafi Laftit') ?? [])], [['PER', 1]]);
    assert.equal(surfaceKey(' Royaume\u00a0du  Maroc '), 'Royaume du Maroc');
  });

  it('an annotation labelled otherwise in most other occurrences is inconsistent (the model silent)', () => {
    const found = reviewDocument(a, [], LABELS, labelCountsBySurface([a, b]), 0.7);
    assert.deepEqual(brief(found), [['inconsistent', 'a2', 'Laftit PER', null, 3]]);
    assert.equal(found[0]?.current?.label, 'LOC');
    assert.match(describeFinding(found[0] as ReviewFinding), /^Inconsistent with 3 other occurrences: LOC "Laftit", elsewhere PER \(the model does not predict it here\)$/);
  });

  it('the model score of the majority label on that span is told, even under the minimum score', () => {
    const laftit2 = a.entities[1] as { start: number; end: number };
    const found = reviewDocument(a, [{ ...laftit2, label: 'PER', score: 0.51 }], LABELS, labelCountsBySurface([a, b]), 0.7);
    assert.deepEqual(brief(found), [['inconsistent', 'a2', 'Laftit PER', 0.51, 3]]);
    assert.match(describeFinding(found[0] as ReviewFinding), /model score of PER 0\.51/);
  });

  it('no majority, no report: one against one, or two against two', () => {
    const tie = doc('Orange et Orange.', [['x', 'Orange', 'ORG'], ['y', 'Orange', 'LOC']]);
    assert.deepEqual(reviewDocument(tie, [], LABELS, labelCountsBySurface([tie]), 0.7), []);
    const even = doc('Nice, Nice, Nice, Nice.', [['p', 'Nice', 'LOC'], ['q', 'Nice', 'LOC'], ['r', 'Nice', 'PER'], ['s', 'Nice', 'PER']]);
    assert.deepEqual(reviewDocument(even, [], LABELS, labelCountsBySurface([even]), 0.7), []);
  });

  it('a confident model disagreement speaks for the annotation, with the other occurrences counted', () => {
    const laftit2 = a.entities[1] as { start: number; end: number };
    const found = reviewDocument(a, [{ ...laftit2, label: 'PER', score: 0.91 }], LABELS, labelCountsBySurface([a, b]), 0.7);
    assert.deepEqual(brief(found), [['label', 'a2', 'Laftit PER', 0.91, 3]]);
    assert.equal(describeFinding(found[0] as ReviewFinding), 'Wrong label? LOC → PER for "Laftit" (model score 0.91; 3 other occurrences are PER)');
  });

  it('missing and boundary findings say what the model proposes, in text order', () => {
    const d = doc('Le ministère de la Culture et Jean Dupont.', [['m', 'ministère de la', 'ORG']]);
    const cps = new OffsetMap(d.text);
    const at = (s: string) => ({ start: cps.toCodePoint(d.text.indexOf(s)), end: cps.toCodePoint(d.text.indexOf(s) + s.length) });
    const preds = [{ ...at('Jean Dupont'), label: 'PER', score: 0.93 }, { ...at('ministère de la Culture'), label: 'ORG', score: 0.8 }];
    const found = reviewDocument(d, preds, LABELS, labelCountsBySurface([d]), 0.7);
    assert.deepEqual(brief(found), [['boundary', 'm', 'ministère de la Culture ORG', 0.8, null], ['missing', null, 'Jean Dupont PER', 0.93, null]]);
    assert.equal(describeFinding(found[0] as ReviewFinding), 'Boundary? ORG "ministère de la" → "ministère de la Culture" (model score 0.80)');
    assert.equal(describeFinding(found[1] as ReviewFinding), 'Missing entity? PER "Jean Dupont" is not annotated (model score 0.93)');
    assert.deepEqual(found.map(fixOf), ['adjust', 'add']);
  });

  it('code point offsets and quoted text stay right past emoji and NFD text', () => {
    const text = '😀 Zoé\u0301 et Zoé\u0301 et Zoé\u0301.';
    const d = doc(text, [['z1', 'Zoé\u0301', 'PER'], ['z2', 'Zoé\u0301', 'PER'], ['z3', 'Zoé\u0301', 'LOC']]);
    const [f] = reviewDocument(d, [], LABELS, labelCountsBySurface([d]), 0.7);
    assert.equal(f?.current?.id, 'z3');
    assert.equal(f?.proposed.text, 'Zoé\u0301');
    assert.equal(new OffsetMap(text).slice(f.proposed.start, f.proposed.end), 'Zoé\u0301');
  });
});

describe('likely error review: with a model trained on a tiny corpus', () => {
  it('finds a relabelled name and a removed one; a clean document gives nothing', () => {
    const docs = tinyCorpus(8);
    const model = trainModel(docs, { labels: ['LOC', 'PER'], epochs: 5, seed: 1 });
    const clean = docs.slice(0, 3).map((d, i) => ({ text: d.text, entities: d.entities.map((e, j) => ({ ...e, id: `d${i}e${j}` })) }));
    const corrupted = { ...clean[2] as ReviewDoc };
    const [first, second, ...rest] = corrupted.entities;
    assert.ok(first && second);
    corrupted.entities = [{ ...first, label: 'LOC' }, ...rest]; // first PER relabelled LOC, the LOC after it removed
    const results = reviewCorpus(model, [clean[0] as ReviewDoc, clean[1] as ReviewDoc, corrupted], 0.5);
    assert.deepEqual(results.slice(0, 2), [[], []]);
    const kinds = (results[2] ?? []).map((f) => [f.kind, f.current?.id ?? null, f.proposed.label, f.proposed.start]);
    assert.deepEqual(kinds, [['label', first.id, 'PER', first.start], ['missing', null, 'LOC', second.start]]);
  });
});

describe('likely error review: held out (each document by a model trained on the others)', () => {
  const FAST = { epochs: 5, seed: 1 };
  const withIds = (docs: ReturnType<typeof tinyCorpus>) => docs.map((d, i) => ({ ...d, entities: d.entities.map((e, j) => ({ ...e, id: `d${i}e${j}` })) }));

  it('finds a slip in one document, reports every fold, is indexed like the documents and deterministic', () => {
    const docs = withIds(tinyCorpus(6));
    const d3 = docs[3] as (typeof docs)[number];
    const [first, ...rest] = d3.entities;
    assert.ok(first);
    docs[3] = { ...d3, entities: [{ ...first, label: first.label === 'PER' ? 'LOC' : 'PER' }, ...rest] };
    const folds: Array<[number, number]> = [];
    const found = crossReviewCorpus(docs, 3, 0.5, FAST, (f, n) => folds.push([f, n]));
    assert.deepEqual(folds, [[1, 3], [2, 3], [3, 3]]);
    assert.equal(found.length, 6);
    const slip = found[3]?.find((f) => f.current?.id === first.id);
    assert.ok(slip, JSON.stringify(found[3]));
    assert.equal(slip.proposed.label, first.label, 'the label the other documents teach');
    assert.ok(slip.kind === 'label' || slip.kind === 'inconsistent', slip.kind);
    for (const [i, f] of found.entries()) if (i !== 3) assert.deepEqual(f.filter((x) => x.current?.id?.startsWith(`d${i}`) && x.kind === 'label'), [], `document ${i} has no slip`);
    assert.deepEqual(crossReviewCorpus(docs, 3, 0.5, FAST), found);
  });

  it('more folds than documents: one document a fold', () => {
    const folds: number[] = [];
    crossReviewCorpus(withIds(tinyCorpus(3)), 5, 0.5, FAST, (_, n) => folds.push(n));
    assert.deepEqual(folds, [3, 3, 3]);
  });
});

describe('likely error review: holding and fixing', () => {
  const text = 'Laftit à Rabat, Laftit à Rabat.';
  const article = decodeArticle(enc.encode(text));
  const entity = (id: string, label: string, start: number, end: number, extra: Partial<Entity> = {}): Entity => ({ id, label, start, end, text: text.slice(start, end), ...extra });
  const sidecar = (entities: Entity[]): Sidecar => ({ version: 1, document: 'a.txt', status: 'reviewed', entities });
  const label: ReviewFinding = { kind: 'label', current: { id: 'a', start: 0, end: 6, label: 'LOC', text: 'Laftit' }, proposed: { start: 0, end: 6, label: 'PER', text: 'Laftit' }, score: 0.9 };
  const missing: ReviewFinding = { kind: 'missing', proposed: { start: 25, end: 30, label: 'LOC', text: 'Rabat' }, score: 0.95 };
  const boundary: ReviewFinding = { kind: 'boundary', current: { id: 'b', start: 9, end: 12, label: 'ORG', text: 'Rab' }, proposed: { start: 9, end: 14, label: 'LOC', text: 'Rabat' }, score: 0.8 };
  const s = sidecar([entity('a', 'LOC', 0, 6, { note: 'n' }), entity('b', 'ORG', 9, 12, { attrs: { kb: 'x' } })]);

  it('relabel, add and adjust edit only what the finding is about', () => {
    assert.deepEqual(applyFix(s, article, label).entities[0], entity('a', 'PER', 0, 6, { note: 'n' }));
    const added = applyFix(s, article, missing, { by: 'ann', src: 'model:m' }).entities;
    assert.equal(added.length, 3);
    assert.deepEqual({ ...added[2], id: 'new' }, entity('new', 'LOC', 25, 30, { by: 'ann', src: 'model:m' }));
    assert.deepEqual(applyFix(s, article, boundary).entities[1], entity('b', 'LOC', 9, 14, { attrs: { kb: 'x' } }));
  });

  it('a finding that no longer holds is not applied, and no longer shown', () => {
    const relabelled = applyFix(s, article, label);
    assert.equal(findingHolds(label, article.offsets, relabelled.entities), false, 'fixed');
    assert.equal(applyFix(relabelled, article, label), relabelled);
    const moved = sidecar([entity('a', 'LOC', 16, 22), entity('b', 'ORG', 9, 12)]);
    assert.equal(findingHolds(label, article.offsets, moved.entities), false, 'the annotation moved');
    assert.equal(findingHolds(label, article.offsets, s.entities), true);
    assert.equal(findingHolds(missing, article.offsets, s.entities), true);
    assert.equal(findingHolds(missing, article.offsets, [...s.entities, entity('c', 'PER', 24, 30)]), false, 'something annotated there now');
    assert.equal(findingHolds(missing, article.offsets, [...s.entities, { ...entity('c', 'LOC', 25, 30), suggested: true }]), true, 'a suggestion is not an annotation');
    assert.equal(findingHolds(missing, new OffsetMap('Laftit à Rabat, Laftit à Salé.'), s.entities), false, 'the text changed');
    assert.equal(findingHolds(missing, new OffsetMap('court'), s.entities), false, 'the text is shorter');
  });

  it('dismissal keys tell findings apart by article, span, label and text', () => {
    const key = dismissalKey('a.txt', label);
    assert.equal(dismissalKey('a.txt', { ...label, score: 0.5 }), key, 'the score is not part of it');
    assert.notEqual(dismissalKey('b.txt', label), key);
    assert.notEqual(dismissalKey('a.txt', { ...label, proposed: { ...label.proposed, label: 'ORG' } }), key);
    assert.notEqual(dismissalKey('a.txt', { ...label, current: { ...label.current as NonNullable<ReviewFinding['current']>, label: 'ORG' } }), key);
    assert.notEqual(dismissalKey('a.txt', missing), dismissalKey('a.txt', { ...missing, proposed: { ...missing.proposed, start: 9, end: 14 } }));
  });
});
