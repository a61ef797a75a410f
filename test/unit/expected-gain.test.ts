// Expected-gain ranking (src/core/suggest/recommender/expected-gain.ts): the figures on constructed
// predictions, and a ranking with a trained model where the unannotated document comes first.
import { strict as assert } from 'node:assert';
import { documentGain, gainOf, rankByGain } from '../../src/core/suggest/recommender/expected-gain';
import { trainModel } from '../../src/core/suggest/recommender/recommender';
import { tinyCorpus } from './helpers/tiny-corpus';

const pred = (start: number, end: number, score: number) => ({ start, end, label: 'PER', score });

describe('expected gain', () => {
  it('counts predictions over no annotation and sums their uncertainty (1 - score)', () => {
    const g = gainOf([pred(0, 5, 0.9), pred(10, 15, 0.5), pred(20, 25, 0.7)], [{ start: 3, end: 8, label: 'LOC' }]);
    assert.equal(g.predictions, 3);
    assert.equal(g.unannotated, 2);
    assert.ok(Math.abs(g.meanUncertainty - 0.3) < 1e-12);
    assert.ok(Math.abs(g.gain - 2.9) < 1e-12);
  });

  it('no prediction: nothing to gain; a NaN or out-of-range score counts as fully uncertain / certain', () => {
    assert.deepEqual(gainOf([], []), { predictions: 0, unannotated: 0, meanUncertainty: 0, gain: 0 });
    assert.equal(gainOf([pred(0, 1, Number.NaN), pred(2, 3, 1.5)], [{ start: 0, end: 3, label: 'PER' }]).gain, 1);
  });

  it('ranks highest gain first, ties by name, without changing the input', () => {
    const g = (gain: number) => ({ predictions: 0, unannotated: 0, meanUncertainty: 0, gain });
    const docs = [{ name: 'b', gain: g(1) }, { name: 'c', gain: g(3) }, { name: 'a', gain: g(1) }];
    assert.deepEqual(rankByGain(docs).map((d) => d.name), ['c', 'a', 'b']);
    assert.deepEqual(docs.map((d) => d.name), ['b', 'c', 'a']);
  });

  it('with a trained model: an unannotated document ranks before annotated ones', function () {
    this.timeout(30_000);
    const docs = tinyCorpus(5);
    const model = trainModel(docs.slice(0, 4), { hashBits: 14, epochs: 5 });
    const ranked = rankByGain(docs.map((d, i) => ({ name: d.name, gain: documentGain(model, d.text, i === 4 ? [] : d.entities) })));
    assert.equal(ranked[0]?.name, 'd4.txt');
    assert.ok((ranked[0]?.gain.unannotated ?? 0) >= 10);
    assert.ok(ranked.slice(1).every((d) => d.gain.unannotated === 0));
  });
});
