// The recommender's core (src/core/suggest/recommender): decoding that never yields an invalid span,
// reproducible training, code point offsets on awkward texts, the model file, evaluation.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { OffsetMap } from '../../src/core/model/offsets';
import { fromBase64, toBase64 } from '../../src/core/suggest/recommender/base64';
import { outermost, sentencesOf } from '../../src/core/suggest/recommender/data';
import { Marginals, viterbi } from '../../src/core/suggest/recommender/decode';
import { crossValidate, foldsOf, Tally } from '../../src/core/suggest/recommender/evaluate';
import { ModelFormatError, parseModel, serializeModel } from '../../src/core/suggest/recommender/model-file';
import { predict, trainModel } from '../../src/core/suggest/recommender/recommender';
import { TagSet } from '../../src/core/suggest/recommender/tags';
import { seededRandom } from '../../src/core/suggest/recommender/hash';
import { articleFromText } from '../../src/core/model/article';
import { emptySidecar } from '../../src/core/model/edits';
import { ModelSource, suggestForArticle } from '../../src/core/suggest/suggest';
import { seededProperties } from './helpers/fc';
import { tinyCorpus } from './helpers/tiny-corpus';

const props = seededProperties(16);

/** Whether a tag sequence is one the BILOU scheme allows. */
function valid(tags: TagSet, seq: ArrayLike<number>): boolean {
  const T = tags.size;
  if (seq.length === 0) return true;
  if (!tags.allowedStart[seq[0] as number]) return false;
  for (let i = 1; i < seq.length; i++) if (!tags.allowed[(seq[i - 1] as number) * T + (seq[i] as number)]) return false;
  return tags.allowedEnd[seq[seq.length - 1] as number] === 1;
}

const score = fc.oneof(
  { weight: 20, arbitrary: fc.double({ min: -50, max: 50, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 1e308, -1e308) },
);

/** A random scoring problem: labels, tokens, emission and transition scores. */
const problem = fc.record({ labels: fc.integer({ min: 1, max: 3 }), n: fc.integer({ min: 0, max: 25 }) }).chain(({ labels, n }) => {
  const T = 1 + 4 * labels;
  return fc.record({
    labels: fc.constant(labels),
    n: fc.constant(n),
    emissions: fc.array(score, { minLength: n * T, maxLength: n * T }),
    transitions: fc.array(score, { minLength: T * T, maxLength: T * T }),
  });
});

const tagSetOf = (k: number) => new TagSet(['A', 'B', 'C'].slice(0, k));

describe(`recommender: decoding (property tests, ${props.title})`, () => {
  it('Viterbi always returns a valid BILOU sequence, whatever the scores (NaN and ±Infinity included)', () => {
    props.check(fc.property(problem, ({ labels, n, emissions, transitions }) => {
      const tags = tagSetOf(labels);
      const seq = viterbi(Float64Array.from(emissions), n, Float64Array.from(transitions), tags);
      assert.equal(seq.length, n);
      assert.ok(valid(tags, seq), `invalid: ${Array.from(seq, (t) => tags.name(t)).join(' ')}`);
      // Its spans are well formed, disjoint and cover exactly the non-O tokens.
      const spans = tags.decode(seq);
      let covered = 0;
      let last = 0;
      for (const s of spans) { assert.ok(s.start >= last && s.end > s.start && s.end <= n); last = s.end; covered += s.end - s.start; }
      assert.equal(covered, Array.from(seq).filter((t) => t !== 0).length);
      assert.deepEqual(Array.from(tags.encode(n, spans)), Array.from(seq));
    }), 400);
  });

  it('Viterbi finds the best valid sequence (checked against every sequence on small problems)', () => {
    const small = fc.record({ n: fc.integer({ min: 1, max: 4 }) }).chain(({ n }) => fc.record({
      n: fc.constant(n),
      emissions: fc.array(fc.integer({ min: -9, max: 9 }), { minLength: n * 5, maxLength: n * 5 }),
      transitions: fc.array(fc.integer({ min: -9, max: 9 }), { minLength: 25, maxLength: 25 }),
    }));
    props.check(fc.property(small, ({ n, emissions, transitions }) => {
      const tags = tagSetOf(1);
      const total = (seq: number[]) => seq.reduce((s, t, i) => s + (emissions[i * 5 + t] as number) + (i > 0 ? (transitions[(seq[i - 1] as number) * 5 + t] as number) : 0), 0);
      let best = -Infinity;
      const walk = (seq: number[]) => {
        if (seq.length === n) { if (valid(tags, seq)) best = Math.max(best, total(seq)); return; }
        for (let t = 0; t < 5; t++) walk([...seq, t]);
      };
      walk([]);
      const got = Array.from(viterbi(Float64Array.from(emissions), n, Float64Array.from(transitions), tags));
      assert.equal(total(got), best);
    }), 200);
  });

  it('span probabilities are probabilities: in [0, 1], and on one token O and every U sum to 1', () => {
    props.check(fc.property(problem, fc.double({ min: 0.1, max: 100, noNaN: true }), ({ labels, n, emissions, transitions }, temperature) => {
      const tags = tagSetOf(labels);
      const em = Float64Array.from(emissions);
      const m = new Marginals(em, n, Float64Array.from(transitions), tags, temperature);
      const seq = viterbi(em, n, Float64Array.from(transitions), tags);
      for (const s of tags.decode(seq)) {
        const p = m.spanProbability(s);
        assert.ok(p >= 0 && p <= 1, String(p));
      }
    }), 200);
    const tags = tagSetOf(2);
    const em = Float64Array.from([0.3, 1, 2, 3, 0.5, 1, 2, 3, -1]);
    const m = new Marginals(em, 1, new Float64Array(81), tags, 1);
    const pU = [0, 1].map((l) => m.spanProbability({ start: 0, end: 1, label: l }));
    // P(O) = e^0.3 / (e^0.3 + e^0.5 + e^-1): the U tags are indices 4 and 8.
    const z = Math.exp(0.3) + Math.exp(0.5) + Math.exp(-1);
    assert.ok(Math.abs((pU[0] as number) - Math.exp(0.5) / z) < 1e-12);
    assert.ok(Math.abs((pU[1] as number) - Math.exp(-1) / z) < 1e-12);
  });
});

// ---- A tiny corpus ----------------------------------------------------------------------------

const FAST = { hashBits: 14, epochs: 5 };

describe('recommender: training and prediction', function () {
  this.timeout(30_000); // training: slow on a loaded machine
  it('fits a tiny learnable problem: every training entity found, exactly, with a high score', () => {
    const docs = tinyCorpus(4);
    const model = trainModel(docs, FAST);
    for (const d of docs) {
      const got = predict(model, d.text).map(({ start, end, label }) => ({ start, end, label }));
      assert.deepEqual(got, d.entities);
    }
    const scores = predict(model, docs[0]?.text ?? '').map((p) => p.score);
    assert.ok(scores.every((s) => s > 0.5), String(scores));
  });

  it('generalises to names it never saw in the same contexts', () => {
    const model = trainModel(tinyCorpus(4), FAST);
    const text = 'Hier, M. Kerouac est arrivé à Concarneau pour la fête.';
    const got = predict(model, text).map((p) => [text.slice(p.start, p.end), p.label]);
    assert.deepEqual(got, [['Kerouac', 'PER'], ['Concarneau', 'LOC']]);
  });

  it('is deterministic: the same documents and seed give the same model bytes; another seed, other weights', () => {
    const docs = tinyCorpus(3);
    const stats = { documents: 3, entities: 36, tokens: 0, epochs: 5, seed: 7 };
    const a = serializeModel({ name: 'm', model: trainModel(docs, { ...FAST, seed: 7 }), stats });
    const b = serializeModel({ name: 'm', model: trainModel(docs, { ...FAST, seed: 7 }), stats });
    const c = serializeModel({ name: 'm', model: trainModel(docs, { ...FAST, seed: 8 }), stats });
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it('gives code point offsets on elisions, NFD accents, emoji and CRLF line ends', () => {
    const nfd = 'Le\u0301on'; // Léon with a combining accent
    const line = (who: string, where: string) => `🎉 M. ${who} est arrivé à ${where} d’abord.\r\n`;
    const text = line(nfd, 'l’Élysée') + line('Dupont', 'Rennes') + '👩🏽‍💻 Puis M. ' + nfd + ' revint à l’Élysée.\r\n';
    const cp = new OffsetMap(text);
    const all = (s: string, label: string) => [...text.matchAll(new RegExp(s, 'g'))].map((m) => ({ start: cp.toCodePoint(m.index), end: cp.toCodePoint(m.index + s.length), label }));
    const entities = [...all(nfd, 'PER'), ...all('Élysée', 'LOC'), ...all('Dupont', 'PER'), ...all('Rennes', 'LOC')].sort((a, b) => a.start - b.start);
    // The gold entities land on the right tokens…
    const gold = sentencesOf(text, entities, ['LOC', 'PER']).flatMap((s) => s.gold.map((g) => [s.tokens.slice(g.start, g.end).map((t) => t.text).join(' '), ['LOC', 'PER'][g.label]]));
    assert.deepEqual(gold, [[nfd, 'PER'], ['Élysée', 'LOC'], ['Dupont', 'PER'], ['Rennes', 'LOC'], [nfd, 'PER'], ['Élysée', 'LOC']]);
    // …and predictions, trained on them, slice back to the same surfaces (the elision left out).
    const model = trainModel([{ name: 'a', text, entities }], { ...FAST, epochs: 20 });
    const got = predict(model, text).map((p) => [cp.slice(p.start, p.end), p.label]);
    assert.deepEqual(got, [[nfd, 'PER'], ['Élysée', 'LOC'], ['Dupont', 'PER'], ['Rennes', 'LOC'], [nfd, 'PER'], ['Élysée', 'LOC']]);
  });

  it('trains on the outermost of nested entities, and joins a sentence an entity straddles', () => {
    const text = 'La Banque de France. Paris est loin.';
    const nested = [{ start: 3, end: 19, label: 'ORG' }, { start: 12, end: 19, label: 'LOC' }];
    assert.deepEqual(outermost(nested), [nested[0]]);
    const s = sentencesOf(text, nested, ['LOC', 'ORG']);
    assert.deepEqual(s[0]?.gold, [{ start: 1, end: 4, label: 1 }]);
    // "M. Dupont. Ensuite" would split; an entity over the break keeps both parts together.
    const across = sentencesOf('Il dit. Bonjour Paris.', [{ start: 3, end: 15, label: 'LOC' }], ['LOC']);
    assert.equal(across.length, 1);
    assert.deepEqual(across[0]?.gold, [{ start: 1, end: 4, label: 0 }]);
  });

  it('predicts nothing on an empty or blank text', () => {
    const model = trainModel(tinyCorpus(2), FAST);
    assert.deepEqual(predict(model, ''), []);
    assert.deepEqual(predict(model, ' \r\n\t'), []);
  });
});

describe('recommender: model file', () => {
  const model = trainModel(tinyCorpus(3), FAST);
  const stats = { documents: 3, entities: 36, tokens: 400, epochs: 5, seed: 1, trainedAt: '2026-01-01T00:00:00.000Z' };
  const text = serializeModel({ name: 'tiny', model, stats });

  it('round-trips: the parsed model predicts exactly what the trained one does, and writes the same bytes', () => {
    const back = parseModel(text);
    assert.equal(back.name, 'tiny');
    assert.deepEqual(back.stats, stats);
    assert.deepEqual(back.model.labels, ['LOC', 'PER']);
    const t = tinyCorpus(5)[4]?.text ?? '';
    assert.deepEqual(predict(back.model, t), predict(model, t));
    assert.equal(serializeModel(back), text);
  });

  it('rejects damaged or foreign files with a message saying what is wrong', () => {
    const json = JSON.parse(text) as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>, message: RegExp) => {
      assert.throws(() => parseModel(JSON.stringify({ ...json, ...patch })), (e: unknown) => e instanceof ModelFormatError && message.test(e.message));
    };
    assert.throws(() => parseModel('{'), /invalid JSON/);
    assert.throws(() => parseModel('[]'), /must be an object/);
    bad({ format: 'other' }, /not a model file/);
    bad({ version: 2 }, /version 2 is not supported/);
    bad({ featureVersion: 0 }, /trained with other features/);
    bad({ labels: [] }, /labels/);
    bad({ labels: ['A', 'A'] }, /distinct/);
    bad({ hashBits: 40 }, /hashBits/);
    bad({ temperature: -1 }, /temperature/);
    bad({ transitions: [1, 2] }, /"transitions" must be 81 numbers/);
    bad({ emission: { ...(json.emission as object), values: '!!!!' } }, /emission.*damaged/);
    bad({ emission: { ...(json.emission as object), count: 1e9 } }, /emission.*damaged/);
    bad({ lexicon: { words: { paris: [1] }, phrases: {} } }, /the counts of "paris"/);
  });

  it('base64 round-trips any bytes, like Node\'s Buffer', () => {
    props.check(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      const b64 = toBase64(bytes);
      assert.equal(b64, Buffer.from(bytes).toString('base64'));
      assert.deepEqual(fromBase64(b64), bytes);
    }), 200);
    assert.equal(fromBase64('abc'), undefined);
    assert.equal(fromBase64('ab*d'), undefined);
  });
});

describe('recommender: evaluation', () => {
  it('counts exact matches per label, label confusions, boundary errors, spurious and missed entities', () => {
    const t = new Tally();
    t.add(
      [{ start: 0, end: 5, label: 'PER' }, { start: 10, end: 15, label: 'LOC' }, { start: 20, end: 30, label: 'ORG' }, { start: 40, end: 45, label: 'LOC' }],
      [{ start: 0, end: 5, label: 'PER' }, { start: 10, end: 15, label: 'PER' }, { start: 20, end: 25, label: 'ORG' }, { start: 50, end: 52, label: 'LOC' }],
    );
    const r = t.result();
    assert.deepEqual(r.byLabel.PER, { tp: 1, fp: 1, fn: 0, precision: 0.5, recall: 1, f1: 2 / 3 });
    assert.equal(r.micro.tp, 1);
    assert.equal(r.micro.fp, 3);
    assert.equal(r.micro.fn, 3);
    assert.deepEqual(r.confusion, { LOC: { PER: 1 } });
    assert.equal(r.boundaryErrors, 1);
    assert.equal(r.spurious, 1);
    assert.equal(r.missed, 1);
  });

  it('folds partition the documents, the same for a seed', () => {
    const f = foldsOf(11, 3, 5);
    assert.deepEqual(f.flat().sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.deepEqual(foldsOf(11, 3, 5), f);
    assert.equal(foldsOf(2, 5, 1).length, 2, 'no empty fold');
  });

  it('cross-validates by document and calibrates a temperature', () => {
    const cv = crossValidate(tinyCorpus(6), 3, FAST);
    assert.equal(cv.folds, 3);
    assert.ok(cv.evaluation.micro.f1 > 0.9, JSON.stringify(cv.evaluation.micro));
    assert.ok(cv.temperature > 0);
    assert.ok(cv.predictions.length > 0);
  });
});

describe('recommender: as a suggestion source', () => {
  const text = 'M. Dupont est arrivé à Rennes, puis à Brest.';
  const at = (s: string) => ({ start: text.indexOf(s), end: text.indexOf(s) + s.length });
  const source: ModelSource = {
    name: 'news',
    predict: () => [{ ...at('Dupont'), label: 'PER', score: 0.934 }, { ...at('Rennes'), label: 'LOC', score: 0.41 }, { ...at('Brest'), label: 'LOC', score: 0.99 }],
  };
  const article = articleFromText(text);

  it('adds predictions as suggestions with src model:<name> and attrs.score; never over an entity; --min-score', () => {
    const sidecar = emptySidecar('a.txt', article.sha256);
    sidecar.entities.push({ id: 'brest1', ...at('Brest'), label: 'LOC', text: 'Brest' });
    const { added } = suggestForArticle(sidecar, article, { models: [source] }, { random: seededRandom(3) });
    assert.deepEqual(added.map((e) => [e.text, e.label, e.src, e.attrs?.score, e.suggested]), [
      ['Dupont', 'PER', 'model:news', '0.93', true], ['Rennes', 'LOC', 'model:news', '0.41', true],
    ]);
    const confident = suggestForArticle(sidecar, article, { models: [{ ...source, minScore: 0.5 }] }, { random: seededRandom(4) });
    assert.deepEqual(confident.added.map((e) => e.text), ['Dupont']);
    // Idempotent: a second run over the first one's result adds nothing.
    const twice = suggestForArticle(suggestForArticle(sidecar, article, { models: [source] }).sidecar, article, { models: [source] });
    assert.deepEqual(twice.added, []);
  });
});
