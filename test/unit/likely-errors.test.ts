// Find Likely Annotation Errors in core (src/core/suggest/recommender/likely-errors.ts): the comparison of
// annotations with predictions on constructed cases, then with a model trained on a tiny corpus,
// and cross-checking.
import { strict as assert } from 'node:assert';
import { TextSpan } from '../../src/core/suggest/recommender/data';
import { compareWithPredictions, crossCheck, findLikelyErrors, LikelyError } from '../../src/core/suggest/recommender/likely-errors';
import { trainModel } from '../../src/core/suggest/recommender/recommender';
import { tinyCorpus } from './helpers/tiny-corpus';

const LABELS = ['LOC', 'ORG', 'PER'];
const span = (start: number, end: number, label: string, id?: string): TextSpan => ({ start, end, label, ...(id ? { id } : {}) });
const pred = (start: number, end: number, label: string, score: number) => ({ start, end, label, score });
const brief = (fs: readonly LikelyError[]) => fs.map((f) => [f.kind, f.current?.id ?? null, `${f.proposed.start}-${f.proposed.end} ${f.proposed.label}`, f.score]);

describe('likely annotation errors: comparing annotations with predictions', () => {
  it('agreement (same span and label) is not reported', () => {
    assert.deepEqual(compareWithPredictions([span(0, 5, 'PER')], [pred(0, 5, 'PER', 0.99)], LABELS, 0.5), []);
  });

  it('label: the exact span with another label; boundary: an overlapping span; missing: nothing annotated there', () => {
    const entities = [span(0, 5, 'ORG', 'a'), span(10, 20, 'LOC', 'b'), span(40, 45, 'PER', 'c')];
    const predictions = [pred(0, 5, 'PER', 0.9), pred(12, 20, 'LOC', 0.85), pred(30, 35, 'ORG', 0.95), pred(40, 45, 'PER', 0.99)];
    assert.deepEqual(brief(compareWithPredictions(entities, predictions, LABELS, 0.5)), [
      ['label', 'a', '0-5 PER', 0.9],
      ['boundary', 'b', '12-20 LOC', 0.85],
      ['missing', null, '30-35 ORG', 0.95],
    ]);
  });

  it('a boundary report may change the label too, and names the annotation it shares most with', () => {
    const entities = [span(0, 4, 'PER', 'a'), span(5, 15, 'LOC', 'b')];
    assert.deepEqual(brief(compareWithPredictions(entities, [pred(2, 12, 'ORG', 0.8)], LABELS, 0.5)), [['boundary', 'b', '2-12 ORG', 0.8]]);
  });

  it('only proposals scored at least minScore are reported (a NaN score never)', () => {
    const entities = [span(0, 5, 'ORG', 'a')];
    const predictions = [pred(0, 5, 'PER', 0.79), pred(10, 12, 'LOC', 0.8), pred(20, 22, 'LOC', Number.NaN)];
    assert.deepEqual(brief(compareWithPredictions(entities, predictions, LABELS, 0.8)), [['missing', null, '10-12 LOC', 0.8]]);
  });

  it('annotations with a label the model does not know are not judged, nor predictions touching them', () => {
    const entities = [span(0, 10, 'DATE', 'd')];
    assert.deepEqual(compareWithPredictions(entities, [pred(0, 10, 'LOC', 0.99), pred(5, 15, 'PER', 0.99)], LABELS, 0.5), []);
  });

  it('nested annotations: a prediction matching either level exactly is agreement', () => {
    const entities = [span(0, 20, 'ORG', 'outer'), span(10, 20, 'LOC', 'inner')];
    assert.deepEqual(compareWithPredictions(entities, [pred(0, 20, 'ORG', 0.99)], LABELS, 0.5), []);
    assert.deepEqual(compareWithPredictions(entities, [pred(10, 20, 'LOC', 0.99)], LABELS, 0.5), []);
  });

  it('several predictions over one annotation: one report, the best-scoring one', () => {
    const entities = [span(0, 20, 'PER', 'a')];
    assert.deepEqual(brief(compareWithPredictions(entities, [pred(0, 8, 'PER', 0.7), pred(9, 20, 'PER', 0.9)], LABELS, 0.5)), [['boundary', 'a', '9-20 PER', 0.9]]);
  });

  it('is deterministic and in text order, whatever the order of the predictions', () => {
    const entities = [span(0, 5, 'ORG', 'a'), span(10, 20, 'LOC', 'b')];
    const predictions = [pred(30, 35, 'ORG', 0.95), pred(12, 20, 'LOC', 0.85), pred(0, 5, 'PER', 0.9)];
    const once = compareWithPredictions(entities, predictions, LABELS, 0.5);
    assert.deepEqual(compareWithPredictions(entities, [...predictions].reverse(), LABELS, 0.5), once);
    assert.deepEqual(once.map((f) => f.proposed.start), [0, 12, 30]);
  });
});

describe('likely annotation errors: with a trained model', function () {
  this.timeout(60_000); // training: slow on a loaded machine
  const FAST = { hashBits: 14, epochs: 5 };
  const text = 'Hier, M. Dupont est arrivé à Rennes pour la fête. Hier, M. Martin est arrivé à Brest avec la Compagnie des Tramways.';
  const at = (s: string, label: string, id: string) => {
    const start = [...text.slice(0, text.indexOf(s))].length;
    return span(start, start + [...s].length, label, id);
  };

  it('finds a wrong label, a wrong boundary and a missed entity, each with the model\'s proposal', () => {
    const model = trainModel(tinyCorpus(4), FAST);
    const entities = [at('Dupont', 'LOC', 'wrong-label'), at('M. Martin', 'PER', 'wide'), at('Brest', 'LOC', 'right')];
    const found = findLikelyErrors(model, text, entities, 0.5);
    const shown = found.map((f) => [f.kind, f.current?.id ?? null, [...text].slice(f.proposed.start, f.proposed.end).join(''), f.proposed.label]);
    assert.deepEqual(shown, [
      ['label', 'wrong-label', 'Dupont', 'PER'],
      ['missing', null, 'Rennes', 'LOC'],
      ['boundary', 'wide', 'Martin', 'PER'],
    ]);
    assert.ok(found.every((f) => f.score >= 0.5 && f.score <= 1), String(found.map((f) => f.score)));
    // The right annotations: nothing to report.
    const right = [at('Dupont', 'PER', '1'), at('Rennes', 'LOC', '2'), at('Martin', 'PER', '3'), at('Brest', 'LOC', '4')];
    assert.deepEqual(findLikelyErrors(model, text, right, 0.5), []);
  });

  it('cross-checks: a slip in one document is found by a model trained on the others; indexed like the documents; deterministic', () => {
    const docs = tinyCorpus(4);
    const d2 = docs[2] as (typeof docs)[number];
    const slip = { ...(d2.entities[0] as TextSpan), label: 'LOC', id: 'slip' };
    docs[2] = { ...d2, entities: [slip, ...d2.entities.slice(1)] };
    const found = crossCheck(docs, 2, 0.5, FAST);
    assert.equal(found.length, 4);
    const report = found[2]?.find((f) => f.current?.id === 'slip');
    assert.ok(report, JSON.stringify(found[2]));
    assert.equal(report.kind, 'label');
    assert.equal(report.proposed.label, 'PER');
    assert.deepEqual(crossCheck(docs, 2, 0.5, FAST), found);
  });
});
