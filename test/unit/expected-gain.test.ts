// Expected-gain ranking (src/core/suggest/recommender/expected-gain.ts): the figures on constructed
// predictions, and a ranking with a trained model where the unannotated document comes first.
import { strict as assert } from 'node:assert';
import { documentGain, gainOf, rankByGain } from '../../src/core/suggest/recommender/expected-gain';
import { trainModel } from '../../src/core/suggest/recommender/recommender';
import { tinyCorpus } from './helpers/tiny-corpus';

const pred = (start: number, end: number, score: number) => ({ start, end, label: 'PER', score });

describe('expected gain', () => {
  it('sums 1 - score over the predictions that overlap no annotation', () => {
    const g = gainOf([pred(0, 5, 0.9), pred(10, 15, 0.5), pred(20, 25, 0.7)], [{ start: 3, end: 8, label: 'LOC' }]);
    assert.equal(g.predictions, 3);
    assert.equal(g.unannotated, 2);
    assert.ok(Math.abs(g.gain - 0.8) < 1e-12, String(g.gain));
  });

  it('overlap is any shared code point, whatever the order of either list; touching spans do not overlap', () => {
    const anns = [{ start: 30, end: 40, label: 'PER' }, { start: 0, end: 2, label: 'PER' }, { start: 11, end: 12, label: 'LOC' }];
    // A long annotation before short ones, predictions out of order, one touching an annotation's end.
    const g = gainOf([pred(35, 36, 0), pred(2, 4, 0.25), pred(12, 20, 0.5), pred(5, 11, 0), pred(10, 14, 0), pred(1, 3, 0)], anns);
    assert.deepEqual({ unannotated: g.unannotated, gain: g.gain }, { unannotated: 3, gain: 0.75 + 0.5 + 1 });
    const long = [{ start: 0, end: 100, label: 'ORG' }, { start: 5, end: 6, label: 'PER' }];
    assert.equal(gainOf([pred(50, 60, 0)], long).unannotated, 0);
    assert.equal(gainOf([pred(100, 101, 0)], long).unannotated, 1);
  });

  it('no prediction: nothing to gain; a NaN score counts as a coin toss, an out-of-range one is clamped', () => {
    assert.deepEqual(gainOf([], []), { predictions: 0, unannotated: 0, gain: 0 });
    assert.equal(gainOf([pred(0, 1, Number.NaN), pred(2, 3, 1.5), pred(4, 5, -1)], []).gain, 1.5);
  });

  it('ranks highest gain first, ties by name, without changing the input', () => {
    const g = (gain: number) => ({ predictions: 0, unannotated: 0, gain });
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
    assert.ok((ranked[0]?.gain.gain ?? 0) > 0);
    assert.ok(ranked.slice(1).every((d) => d.gain.unannotated === 0 && d.gain.gain === 0));
  });
});
