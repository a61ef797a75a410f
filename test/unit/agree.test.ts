// Inter-annotator agreement (src/core/review/agreement.ts, `corpus-annotator agree`), checked against
// values computed by hand on small cases (the computation is written next to each expectation).
import { strict as assert } from 'node:assert';
import { cohenKappa, computeAgreement, partialMatches, tokenize, tokenLabels } from '../../src/core/review/agreement';
import { Entity } from '../../src/core/model/model';
import { sha256Hex } from '../../src/core/model/sha256';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { cli } from './helpers/cli';
import { entityAt } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';

const close = (actual: number | null | undefined, expected: number, what = '') =>
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

// Tokens (code points):  Le 0-2 | roi 3-6 | Mohammed 7-15 | VI 16-18 | a 19-20 | reçu 21-25 | Interpol 26-34 | à 35-36 | Rabat 37-42
const T1 = 'Le roi Mohammed VI a reçu Interpol à Rabat.';
const A1 = [entityAt(T1, 'Mohammed VI', 'PER', 'a1'), entityAt(T1, 'Interpol', 'ORG', 'a2'), entityAt(T1, 'Rabat', 'LOC', 'a3')];
const B1 = [entityAt(T1, 'roi Mohammed VI', 'PER', 'b1'), entityAt(T1, 'Interpol', 'ORG', 'b2'), entityAt(T1, 'Rabat', 'ORG', 'b3'), entityAt(T1, 'Le', 'MISC', 'b4')];
const T2 = 'Rien ici.';

describe('agreement', () => {
  describe('tokens', () => {
    it('are runs of letters, marks and digits in code points; punctuation, spaces and emoji separate them', () => {
      // l’Intérieur 🎉 2030: l 0-1, ’ 1, Intérieur 2-11, space 11, 🎉 12 (one code point), space 13, 2030 14-18
      assert.deepEqual(tokenize('l’Intérieur 🎉 2030'), [{ start: 0, end: 1 }, { start: 2, end: 11 }, { start: 14, end: 18 }]);
      // NFD: e + combining acute + t + e is one token of 4 code points
      assert.deepEqual(tokenize('e\u0301te, x'), [{ start: 0, end: 4 }, { start: 6, end: 7 }]);
      assert.deepEqual(tokenize(T1).length, 9);
    });

    it('take the label of the outermost entity touching them, else O', () => {
      const text = 'la Coupe du Maroc des Marocains';
      const tokens = tokenize(text);
      const cup = entityAt(text, 'Coupe du Maroc', 'EVENT', 'e1');
      const maroc = entityAt(text, 'Maroc', 'LOC', 'e2');
      const partial = { id: 'e3', label: 'LOC', start: 22, end: 27, text: 'Maroc' }; // «Maroc» of «Marocains»
      assert.deepEqual(tokenLabels(tokens, [maroc, cup, partial]), ['O', 'EVENT', 'EVENT', 'EVENT', 'O', 'LOC']);
    });
  });

  it('leaves suggestions (suggested: true) out on both sides', () => {
    const sugg = (e: Entity): Entity => ({ ...e, id: `s${e.id}`, suggested: true });
    const plain = computeAgreement([{ document: 'a.txt', a: A1, b: B1, text: T1 }]);
    const withSuggestions = computeAgreement([{ document: 'a.txt', a: [...A1, sugg(B1[3] as Entity)], b: [...B1, sugg(A1[0] as Entity)], text: T1 }]);
    assert.deepEqual(withSuggestions, plain);
  });

  it('partial matching is one-to-one, greedy by overlap size', () => {
    const x = { id: 'x', label: 'L', start: 0, end: 10, text: '' };
    const y = { id: 'y', label: 'L', start: 0, end: 4, text: '' };
    const z = { id: 'z', label: 'L', start: 2, end: 10, text: '' };
    // overlaps: x–y 4, x–z 8: x pairs with z, y stays unmatched
    assert.deepEqual(partialMatches([x], [y, z]).map(([p, q]) => p.id + q.id), ['xz']);
    // a different label never matches
    assert.deepEqual(partialMatches([x], [{ ...z, label: 'M' }]), []);
  });

  it('Cohen\'s κ: textbook values and the undefined case', () => {
    // 10 items, A: Y Y Y Y Y N N N N N, B: Y Y Y Y N N N N N Y → agree 8: pₒ = 0.8, pₑ = 0.5·0.5 + 0.5·0.5 = 0.5, κ = 0.3/0.5 = 0.6
    const k = cohenKappa('YYYYYNNNNN'.split(''), 'YYYYNNNNNY'.split(''));
    close(k.observed, 0.8, 'po');
    close(k.expected, 0.5, 'pe');
    close(k.kappa, 0.6, 'kappa');
    // everything O on both sides: pₑ = 1, κ undefined
    assert.equal(cohenKappa(['O', 'O'], ['O', 'O']).kappa, null);
    assert.equal(cohenKappa([], []).kappa, null);
  });

  describe('a hand-computed report', () => {
    const r = computeAgreement([{ document: 'd1.txt', a: A1, b: B1, text: T1 }, { document: 'd2.txt', a: [], b: [], text: T2 }]);

    it('exact span P/R/F1, per label and overall', () => {
      // Only ORG «Interpol» 26-34 matches exactly: TP 1, |A| 3, |B| 4.
      // P = 1/4, R = 1/3, F1 = 2·1/(3+4) = 2/7
      close(r.overall.exact.precision, 1 / 4, 'P');
      close(r.overall.exact.recall, 1 / 3, 'R');
      close(r.overall.exact.f1, 2 / 7, 'F1');
      const by = Object.fromEntries(r.labels.map((l) => [l.label, l]));
      // PER: A 1, B 1, TP 0 → P 0, R 0, F1 0
      assert.deepEqual([by.PER?.exact.precision, by.PER?.exact.recall, by.PER?.exact.f1], [0, 0, 0]);
      // ORG: A 1 (Interpol), B 2 (Interpol, Rabat), TP 1 → P 1/2, R 1, F1 2/3
      close(by.ORG?.exact.precision, 1 / 2);
      close(by.ORG?.exact.recall, 1);
      close(by.ORG?.exact.f1, 2 / 3);
      // LOC: A 1, B 0 → P undefined (0/0), R 0, F1 = 0/(0+0+1) = 0
      assert.deepEqual([by.LOC?.exact.precision, by.LOC?.exact.recall, by.LOC?.exact.f1], [null, 0, 0]);
      // MISC: A 0, B 1 → P 0, R undefined, F1 0
      assert.deepEqual([by.MISC?.exact.precision, by.MISC?.exact.recall, by.MISC?.exact.f1], [0, null, 0]);
      // macro-F1 = (0 + 2/3 + 0 + 0) / 4 = 1/6
      close(r.overall.exactMacroF1, 1 / 6, 'macro');
    });

    it('partial-overlap P/R/F1', () => {
      // Same-label overlapping pairs: PER 7-18 / 3-18 (overlap 11), ORG Interpol / Interpol (8);
      // B's ORG «Rabat» overlaps no ORG of A. TP 2: P = 2/4, R = 2/3, F1 = 4/7
      close(r.overall.partial.precision, 1 / 2);
      close(r.overall.partial.recall, 2 / 3);
      close(r.overall.partial.f1, 4 / 7);
      const per = r.labels.find((l) => l.label === 'PER');
      assert.deepEqual([per?.partial.tp, per?.partial.f1], [1, 1]);
      // macro = (PER 1 + ORG 2/3 + LOC 0 + MISC 0) / 4 = 5/12
      close(r.overall.partialMacroF1, 5 / 12);
    });

    it('token-level κ per document and pooled', () => {
      // d1 tokens  Le   roi  Mohammed VI  a  reçu Interpol à  Rabat
      //   A        O    O    PER      PER O  O    ORG      O  LOC
      //   B        MISC PER  PER      PER O  O    ORG      O  ORG
      // agree 6/9 → pₒ = 2/3. A: O 5, PER 2, ORG 1, LOC 1; B: O 3, PER 3, ORG 2, MISC 1.
      // pₑ = (5·3 + 2·3 + 1·2)/81 = 23/81; κ = (54/81 − 23/81)/(58/81) = 31/58
      const d1 = r.perDocument[0]?.kappa;
      assert.equal(d1?.tokens, 9);
      assert.equal(d1?.agreed, 6);
      close(d1?.expected, 23 / 81);
      close(d1?.kappa, 31 / 58, 'κ d1');
      // d2 «Rien ici»: 2 tokens, O on both sides: pₑ = 1, κ undefined
      assert.equal(r.perDocument[1]?.kappa?.kappa, null);
      // pooled, 11 tokens: agree 8; A: O 7, PER 2, ORG 1, LOC 1; B: O 5, PER 3, ORG 2, MISC 1
      // pₒ = 8/11 = 88/121, pₑ = (7·5 + 2·3 + 1·2)/121 = 43/121, κ = 45/78 = 15/26
      assert.equal(r.kappa.tokens, 11);
      close(r.kappa.expected, 43 / 121);
      close(r.kappa.kappa, 15 / 26, 'pooled κ');
    });

    it('κ over the tokens either side labelled leaves out the O majority', () => {
      // d1 without «a», «reçu», «à» (O on both; d2's two O tokens too): 6 tokens, agree 3.
      //   A  O    O   PER PER ORG LOC      B  MISC PER PER PER ORG ORG
      // pₒ = 3/6; A: O 2, PER 2, ORG 1, LOC 1; B: MISC 1, PER 3, ORG 2
      // pₑ = (2·3 + 1·2)/36 = 8/36; κ = (18/36 − 8/36)/(28/36) = 10/28 = 5/14
      assert.equal(r.kappaAnnotated.tokens, 6);
      assert.equal(r.kappaAnnotated.agreed, 3);
      close(r.kappaAnnotated.kappa, 5 / 14, 'κ over annotated tokens');
    });

    it('per document: d2 has no entity on either side, so its F1 is undefined', () => {
      assert.deepEqual(r.perDocument.map((d) => [d.document, d.a, d.b]), [['d1.txt', 3, 4], ['d2.txt', 0, 0]]);
      close(r.perDocument[0]?.exact.f1, 2 / 7);
      assert.equal(r.perDocument[1]?.exact.f1, null);
    });
  });
});

// ---------------------------------------------------------------------------------------------

const { makeTree } = tempDirs('agree');

const side = (text: string, document: string, entities: Entity[]) =>
  writeSidecar({ version: 1, document, sha256: sha256Hex(Buffer.from(text, 'utf8')), status: 'done', entities });

describe('corpus-annotator agree', () => {
  const files = {
    'alice/d1.txt': T1, 'alice/d1.txt.ann.yaml': side(T1, 'd1.txt', A1),
    'alice/d2.txt': T2, 'alice/d2.txt.ann.yaml': side(T2, 'd2.txt', []),
    'alice/only-a.txt': T2, 'alice/only-a.txt.ann.yaml': side(T2, 'only-a.txt', []),
    'bob/d1.txt': T1, 'bob/d1.txt.ann.yaml': side(T1, 'd1.txt', B1),
    'bob/d2.txt': T2, 'bob/d2.txt.ann.yaml': side(T2, 'd2.txt', []),
    'bob/stale.txt': T1, 'bob/stale.txt.ann.yaml': side(T1, 'stale.txt', []),
    'alice/stale.txt': T2, 'alice/stale.txt.ann.yaml': side(T2, 'stale.txt', []),
  };

  it('prints per label, overall, κ and per document tables for two directories', async () => {
    const root = await makeTree(files);
    const r = await cli(['agree', 'alice', 'bob'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, [
      'Agreement of B (bob) with A (alice) as the reference, over 2 documents annotated in both',
      '',
      'Label     A  B  exact P      R     F1  partial P      R     F1',
      'LOC       1  0        –  0.000  0.000          –  0.000  0.000',
      'MISC      0  1    0.000      –  0.000      0.000      –  0.000',
      'ORG       1  2    0.500  1.000  0.667      0.500  1.000  0.667',
      'PER       1  1    0.000  0.000  0.000      1.000  1.000  1.000',
      'overall   3  4    0.250  0.333  0.286      0.500  0.667  0.571',
      'macro-F1                        0.167                    0.417',
      '',
      'Token-level Cohen\'s κ: 0.577 over 11 tokens (pₒ 0.727, pₑ 0.355)',
      '  over the tokens either side labelled: 0.357 over 6 tokens (pₒ 0.500, pₑ 0.222)',
      '  (κ over all tokens is inflated by the O majority; F1 above is the usual NER figure)',
      '',
      'Document  A  B  exact F1  partial F1      κ  tokens',
      'd1.txt    3  4     0.286       0.571  0.534       9',
      'd2.txt    0  0         –           –      –       2',
      '',
    ].join('\n'));
    assert.equal(r.stderr, 'note: 1 document annotated only in A (not counted): only-a.txt\n'
      + 'note: stale.txt: left out: the two sidecars annotate different versions of the article (sha256 differ)\n');
  });

  it('--json gives the same numbers, machine-readable', async () => {
    const root = await makeTree(files);
    const r = await cli(['agree', '--json', 'alice', 'bob'], root);
    const j = JSON.parse(r.stdout);
    close(j.overall.exact.f1, 2 / 7);
    close(j.overall.partial.f1, 4 / 7);
    close(j.kappa.kappa, 15 / 26);
    assert.deepEqual(j.onlyA, ['only-a.txt']);
    assert.deepEqual(j.perDocument.map((d: { document: string }) => d.document), ['d1.txt', 'd2.txt']);
    assert.equal(j.skipped[0].document, 'stale.txt');
  });

  it('two sidecar files compare with each other', async () => {
    const root = await makeTree(files);
    const r = await cli(['agree', '--json', 'alice/d1.txt.ann.yaml', 'bob/d1.txt'], root);
    const j = JSON.parse(r.stdout);
    assert.equal(j.documents, 1);
    close(j.kappa.kappa, 31 / 58);
  });

  it('usage errors exit 2', async () => {
    const root = await makeTree(files);
    assert.equal((await cli(['agree', 'alice'], root)).code, 2);
    assert.equal((await cli(['agree', 'alice', 'nowhere'], root)).code, 2);
  });
});

describe('corpus-annotator agree --annotators (three or more: Fleiss\' κ, pairwise F1 matrix)', () => {
  // Hand-computed, following Fleiss (1971), "Measuring nominal scale agreement among many raters",
  // Psychological Bulletin 76(5): P_i = Σ_k n_ik(n_ik−1) / (n(n−1)), P̄ = mean P_i, p_k = share of all
  // ratings in category k, P̄e = Σ p_k², κ = (P̄ − P̄e)/(1 − P̄e); the textbook table itself (Wikipedia's
  // worked example, κ = 0.210) is checked on core's fleissKappa in curate.test.ts.
  // Tokens of T3: Ann | saw | Bob | in | Rome; n = 3 raters.
  //   alice: PER O PER O LOC    bob: PER O ORG O LOC    carol: PER O O O LOC
  //   P_i: Ann 1, saw 1, Bob 0 (PER, ORG, O), in 1, Rome 1 → P̄ = 4/5
  //   ratings: PER 4, ORG 1, O 7, LOC 3 of 15 → P̄e = (16 + 1 + 49 + 9)/225 = 1/3 → κ = (4/5 − 1/3)/(2/3) = 7/10
  //   over the tokens anyone labelled (Ann, Bob, Rome): P̄ = 2/3; PER 4, ORG 1, O 1, LOC 3 of 9 → P̄e = 27/81 = 1/3 → κ = 1/2
  // Pairwise exact F1 = 2·matched/(|A|+|B|): alice–bob 2·2/6 = 2/3, alice–carol 2·2/5 = 4/5, bob–carol 4/5.
  const T3 = 'Ann saw Bob in Rome';
  const ann = (who: string) => entityAt(T3, 'Ann', 'PER', `${who}1`);
  const rome = (who: string) => entityAt(T3, 'Rome', 'LOC', `${who}3`);
  const three = {
    'alice/d.txt': T3, 'alice/d.txt.ann.yaml': side(T3, 'd.txt', [ann('a'), entityAt(T3, 'Bob', 'PER', 'a2'), rome('a')]),
    'bob/d.txt': T3, 'bob/d.txt.ann.yaml': side(T3, 'd.txt', [ann('b'), entityAt(T3, 'Bob', 'ORG', 'b2'), rome('b')]),
    'carol/d.txt': T3, 'carol/d.txt.ann.yaml': side(T3, 'd.txt', [ann('c'), rome('c')]),
    'carol/other.txt': T2, 'carol/other.txt.ann.yaml': side(T2, 'other.txt', []),
  };

  it('--json carries Fleiss\' κ (all tokens and tokens anyone labelled) and the pairwise F1 matrix, equal to the hand computation', async () => {
    const root = await makeTree(three);
    const r = await cli(['agree', '--annotators', '--json', '--list', 'alice', 'bob', 'carol'], root);
    assert.equal(r.code, 0, r.stderr);
    const j = JSON.parse(r.stdout);
    assert.deepEqual(j.annotators.map((a: { name: string }) => a.name), ['alice', 'bob', 'carol']);
    assert.equal(j.documents, 1);
    assert.equal(j.fleissKappa.subjects, 5);
    assert.equal(j.fleissKappa.raters, 3);
    close(j.fleissKappa.observed, 4 / 5, 'P̄');
    close(j.fleissKappa.expected, 1 / 3, 'P̄e');
    close(j.fleissKappa.kappa, 7 / 10, 'κ');
    assert.equal(j.fleissKappaAnnotatedTokens.subjects, 3);
    close(j.fleissKappaAnnotatedTokens.kappa, 1 / 2, 'κ annotated');
    const f1 = Object.fromEntries(j.pairwise.map((p: { a: string; b: string; f1: number }) => [`${p.a}/${p.b}`, p.f1]));
    close(f1['alice/bob'], 2 / 3, 'alice/bob');
    close(f1['alice/carol'], 4 / 5, 'alice/carol');
    close(f1['bob/carol'], 4 / 5, 'bob/carol');
    assert.deepEqual(j.perDocument[0].disagreements, [{ start: 8, end: 11, text: 'Bob', labels: ['PER', 'ORG', null] }]);
    assert.deepEqual(j.skipped, [{ document: 'other.txt', reason: 'not annotated in alice, bob' }]);
  });

  it('prints the matrix, κ and the disagreements with every annotator\'s label', async () => {
    const root = await makeTree(three);
    const r = await cli(['agree', '--annotators', '--list', '--names', 'A,B,C', 'alice', 'bob', 'carol'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, [
      'Agreement of 3 annotators (A, B, C), over 1 document annotated by all',
      '',
      'Pairwise exact F1 (same start, end and label; counts summed over documents):',
      '       A      B      C',
      'A  1.000  0.667  0.800',
      'B  0.667  1.000  0.800',
      'C  0.800  0.800  1.000',
      '',
      'Fleiss\' κ on tokens: 0.700 over 5 tokens (P̄ 0.800, P̄e 0.333)',
      '  over the tokens any annotator labelled: 0.500 over 3 tokens (P̄ 0.667, P̄e 0.333)',
      '  (κ over all tokens is inflated by the O majority; F1 above is the usual NER figure)',
      '',
      'Document  A  B  C      κ  tokens',
      'd.txt     3  3  2  0.700       5',
      '',
      '1 disagreement:',
      'd.txt:8-11  «Bob»  A: PER  B: ORG  C: –',
      '',
    ].join('\n'));
    assert.match(r.stderr, /other\.txt: left out: not annotated in A, B/);
  });

  it('a document whose article differs is left out, named; usage errors exit 2', async () => {
    const root = await makeTree({ ...three, 'carol/d.txt': T3 + ' today' });
    const j = JSON.parse((await cli(['agree', '--annotators', '--json', 'alice', 'bob', 'carol'], root)).stdout);
    assert.equal(j.documents, 0);
    assert.match(j.skipped[0].reason, /article differs between alice and carol/);
    assert.equal((await cli(['agree', '--annotators', 'alice'], root)).code, 2);
    assert.equal((await cli(['agree', '--names', 'x,y', 'alice', 'bob'], root)).code, 2);
  });
});
