// Curation (src/core/review/curate.ts): several annotators' versions of one document, matched by span and
// label (never by id), into one gold sidecar of agreed entities and suggestions.
import { strict as assert } from 'node:assert';
import { curateDocument, curateSources, CurationSource, fleissKappa, spanDisagreements } from '../../src/core/review/curate';
import { sha256Hex } from '../../src/core/model/sha256';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { Entity } from '../../src/core/model/model';
import { entityAt } from './helpers/corpus';

// Tokens: Le 0-2 | roi 3-6 | Mohammed 7-15 | VI 16-18 | a 19-20 | reçu 21-25 | Interpol 26-34 | à 35-36 | Rabat 37-42
const T = 'Le roi Mohammed VI a reçu Interpol à Rabat.';
const at = (surface: string, label: string, id: string): Entity => entityAt(T, surface, label, id);

/** The curated entities as compact strings: `LABEL start-end text agreed|from=…`, in order. */
function shape(entities: readonly Entity[]): string[] {
  return entities.map((e) => `${e.label} ${e.start}-${e.end} ${e.text} ${e.suggested ? `from=${e.attrs?.from}` : `agreed=${e.attrs?.agreed}`}`);
}

describe('curation', () => {
  it('identical annotations with different ids: every entity agreed, no suggestion', () => {
    const r = curateDocument([
      { name: 'alice', entities: [at('Mohammed VI', 'PER', 'a1'), at('Rabat', 'LOC', 'a2')] },
      { name: 'bob', entities: [at('Rabat', 'LOC', 'zz'), at('Mohammed VI', 'PER', 'yy')] },
    ], { seed: 'doc.txt' });
    assert.deepEqual(shape(r.entities), ['PER 7-18 Mohammed VI agreed=alice,bob', 'LOC 37-42 Rabat agreed=alice,bob']);
    assert.equal(r.agreed, 2);
    assert.equal(r.disagreements, 0);
    assert.ok(r.entities.every((e) => e.src === 'curated' && e.suggested === undefined));
    assert.deepEqual(r.pairwise, [{ a: 'alice', b: 'bob', f1: 1 }]);
  });

  it('the same span with two labels: one suggestion per label, naming who proposed it', () => {
    const r = curateDocument([
      { name: 'alice', entities: [at('Rabat', 'LOC', 'a1')] },
      { name: 'bob', entities: [at('Rabat', 'ORG', 'b1')] },
    ]);
    assert.deepEqual(shape(r.entities), ['LOC 37-42 Rabat from=alice', 'ORG 37-42 Rabat from=bob']);
    assert.equal(r.agreed, 0);
    assert.equal(r.disagreements, 2);
    assert.deepEqual(r.pairwise, [{ a: 'alice', b: 'bob', f1: 0 }]);
  });

  it('nested: the shared outer entity is agreed, the inner one only bob saw is a suggestion', () => {
    const r = curateDocument([
      { name: 'alice', entities: [at('roi Mohammed VI', 'PER', 'a1')] },
      { name: 'bob', entities: [at('roi Mohammed VI', 'PER', 'b1'), at('Mohammed VI', 'PER', 'b2')] },
    ]);
    assert.deepEqual(shape(r.entities), ['PER 3-18 roi Mohammed VI agreed=alice,bob', 'PER 7-18 Mohammed VI from=bob']);
    // F1 = 2·1 / (1 + 2)
    assert.ok(Math.abs((r.pairwise[0]?.f1 ?? 0) - 2 / 3) < 1e-12);
  });

  it('crossing spans: two suggestions, nothing agreed', () => {
    const r = curateDocument([
      { name: 'alice', entities: [at('roi Mohammed', 'PER', 'a1')] },
      { name: 'bob', entities: [at('Mohammed VI', 'PER', 'b1')] },
    ]);
    assert.deepEqual(shape(r.entities), ['PER 3-15 roi Mohammed from=alice', 'PER 7-18 Mohammed VI from=bob']);
  });

  it('three annotators: all three by default; --min-agree 2 accepts what two agree on', () => {
    const versions = [
      { name: 'A', entities: [at('Interpol', 'ORG', 'a1'), at('Rabat', 'LOC', 'a2')] },
      { name: 'B', entities: [at('Interpol', 'ORG', 'b1'), at('Rabat', 'LOC', 'b2')] },
      { name: 'C', entities: [at('Interpol', 'ORG', 'c1'), at('Rabat', 'ORG', 'c2')] },
    ];
    assert.deepEqual(shape(curateDocument(versions).entities), ['ORG 26-34 Interpol agreed=A,B,C', 'LOC 37-42 Rabat from=A,B', 'ORG 37-42 Rabat from=C']);
    assert.deepEqual(shape(curateDocument(versions, { minAgree: 2 }).entities), ['ORG 26-34 Interpol agreed=A,B,C', 'LOC 37-42 Rabat agreed=A,B', 'ORG 37-42 Rabat from=C']);
    assert.equal(curateDocument(versions).pairwise.length, 3);
    assert.throws(() => curateDocument(versions, { minAgree: 4 }), /min-agree must be a whole number from 1 to 3/);
  });

  it('a duplicate inside one version counts once; suggestions in the inputs are left out', () => {
    const r = curateDocument([
      { name: 'alice', entities: [at('Rabat', 'LOC', 'a1'), at('Rabat', 'LOC', 'a2'), { ...at('Interpol', 'ORG', 'a3'), suggested: true }] },
      { name: 'bob', entities: [at('Rabat', 'LOC', 'b1')] },
    ]);
    assert.deepEqual(shape(r.entities), ['LOC 37-42 Rabat agreed=alice,bob']);
  });

  it('keeps what the proposers agree on (note, attrs), drops what they contradict', () => {
    const r = curateDocument([
      { name: 'alice', entities: [{ ...at('Rabat', 'LOC', 'a1'), note: 'capitale', attrs: { kb: 'wikidata:Q3551', canonical: 'Rabat' } }] },
      { name: 'bob', entities: [{ ...at('Rabat', 'LOC', 'b1'), attrs: { kb: 'wikidata:Q3551', canonical: 'Rabat-Salé' } }] },
    ]);
    const e = r.entities[0] as Entity;
    assert.equal(e.note, 'capitale');
    assert.deepEqual(e.attrs, { kb: 'wikidata:Q3551', agreed: 'alice,bob' });
  });

  it('is deterministic: the same inputs give the same ids; ids are unique', () => {
    const versions = [
      { name: 'alice', entities: [at('Mohammed VI', 'PER', 'a1'), at('Rabat', 'LOC', 'a2'), at('Interpol', 'ORG', 'a3')] },
      { name: 'bob', entities: [at('Rabat', 'ORG', 'b1')] },
    ];
    const one = curateDocument(versions, { seed: 'x.txt' });
    const two = curateDocument(versions, { seed: 'x.txt' });
    assert.deepEqual(one, two);
    assert.equal(new Set(one.entities.map((e) => e.id)).size, one.entities.length);
    assert.notDeepEqual(curateDocument(versions, { seed: 'y.txt' }).entities.map((e) => e.id), one.entities.map((e) => e.id));
  });

  it('refuses fewer than two versions and two versions of the same name', () => {
    assert.throws(() => curateDocument([{ name: 'a', entities: [] }]), /at least two/);
    assert.throws(() => curateDocument([{ name: 'a', entities: [] }, { name: 'a', entities: [] }]), /same name/);
  });
});

describe("Fleiss' kappa", () => {
  it('matches the worked example of Fleiss (1971) as tabulated on Wikipedia: κ = 0.210', () => {
    // 10 subjects, 14 raters, 5 categories; each row: how many raters chose categories 1..5.
    const table = [
      [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
      [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
    ];
    const ratings: string[][] = Array.from({ length: 14 }, () => []);
    table.forEach((row) => {
      let r = 0;
      row.forEach((count, k) => {
        for (let c = 0; c < count; c++) (ratings[r++] as string[]).push(`c${k + 1}`);
      });
    });
    const k = fleissKappa(ratings);
    assert.equal(k.subjects, 10);
    assert.ok(Math.abs((k.observed ?? 0) - 0.378) < 1e-3, `P̄ ${k.observed}`);
    assert.ok(Math.abs((k.expected ?? 0) - 0.213) < 1e-3, `P̄e ${k.expected}`);
    assert.ok(Math.abs((k.kappa ?? 0) - 0.210) < 1e-3, `κ ${k.kappa}`);
  });

  it('two raters: equals Cohen-style agreement bounds (1 when identical, null when all one category)', () => {
    assert.equal(fleissKappa([['A', 'B', 'O'], ['A', 'B', 'O'], ['A', 'B', 'O']]).kappa, 1);
    assert.equal(fleissKappa([['O', 'O'], ['O', 'O']]).kappa, null);
    assert.equal(fleissKappa([[], []]).kappa, null);
  });
});

describe('span disagreements (agree --list)', () => {
  it('lists spans with different labels or missing on one side, in span order; agreement is silent', () => {
    const a = [at('Mohammed VI', 'PER', 'a1'), at('Interpol', 'ORG', 'a2'), at('Rabat', 'LOC', 'a3')];
    const b = [at('Rabat', 'ORG', 'b3'), at('Interpol', 'ORG', 'b2'), at('roi Mohammed VI', 'PER', 'b1'), { ...at('Le', 'MISC', 'b4'), suggested: true as const }];
    assert.deepEqual(spanDisagreements([a, b]), [
      { start: 3, end: 18, text: 'roi Mohammed VI', labels: [undefined, 'PER'] },
      { start: 7, end: 18, text: 'Mohammed VI', labels: ['PER', undefined] },
      { start: 37, end: 42, text: 'Rabat', labels: ['LOC', 'ORG'] },
    ]);
  });
});

describe('curation with re-anchoring (--reanchor)', () => {
  // alice annotated T; bob annotated an older version of the article: a different first sentence,
  // "Hier," before it, and "Mohammed VI" later rewritten as "Mohammed 6".
  const OLD = 'Hier, le roi Mohammed VI a reçu Interpol à Rabat.';
  const bytes = (text: string) => new TextEncoder().encode(text);
  const source = (name: string, text: string, entities: Entity[]): CurationSource => ({
    name, display: `${name}/d.txt.ann.yaml`, article: bytes(text),
    sidecar: writeSidecar({ version: 1, document: 'd.txt', sha256: sha256Hex(Buffer.from(text, 'utf8')), status: 'done', entities }),
  });
  const alice = source('alice', T, [at('Mohammed VI', 'PER', 'a1'), at('Interpol', 'ORG', 'a2'), at('Rabat', 'LOC', 'a3')]);
  const bob = source('bob', OLD, [entityAt(OLD, 'Hier', 'DATE', 'b0'), entityAt(OLD, 'Mohammed VI', 'PER', 'b1'), entityAt(OLD, 'Interpol', 'ORG', 'b2'), entityAt(OLD, 'Rabat', 'ORG', 'b3')]);

  it('without it, a document whose articles differ is refused, pointing at --reanchor', () => {
    const r = curateSources('d.txt', [alice, bob]);
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /article differs between alice and bob.*--reanchor/);
  });

  it('re-anchors the other versions onto the first input\'s article, reporting what could not be placed', () => {
    const r = curateSources('d.txt', [alice, bob], { reanchor: true });
    assert.ok(r.ok, r.ok ? '' : r.error);
    // bob's entities moved by −6 code points ("Hier, " gone, "le" → "Le"): two agree with alice, one is a rival label
    assert.deepEqual(shape(r.sidecar.entities), [
      'PER 7-18 Mohammed VI agreed=alice,bob',
      'ORG 26-34 Interpol agreed=alice,bob',
      'LOC 37-42 Rabat from=alice',
      'ORG 37-42 Rabat from=bob',
    ]);
    assert.equal(r.sidecar.sha256, sha256Hex(Buffer.from(T, 'utf8')));
    assert.deepEqual(r.reanchored, [{ input: 'bob', moved: 3, fuzzy: 0, notReanchored: [{ id: 'b0', label: 'DATE', start: 0, end: 4, text: 'Hier', why: 'not found' }] }]);
    assert.deepEqual(r.result.pairwise, [{ a: 'alice', b: 'bob', f1: 4 / 6 }]);
    // inputs identical to the first are not reported
    assert.deepEqual((curateSources('d.txt', [alice, source('carol', T, [])], { reanchor: true }) as { reanchored: unknown }).reanchored, []);
  });

  it('an ambiguous entity (its quote twice, neither in its old context) is reported, never placed by guess', () => {
    const now = 'Préambule inséré. aa Laftit bb. cc Laftit dd.';
    const before = 'xx Laftit yy';
    const r = curateSources('d.txt', [source('alice', now, []), source('bob', before, [entityAt(before, 'Laftit', 'PER', 'b1')])], { reanchor: true });
    assert.ok(r.ok, r.ok ? '' : r.error);
    assert.deepEqual(r.reanchored[0]?.notReanchored, [{ id: 'b1', label: 'PER', start: 3, end: 9, text: 'Laftit', why: 'ambiguous' }]);
    assert.deepEqual(r.sidecar.entities, []);
  });

  it('a version that does not match its own article is still refused', () => {
    const broken = { ...bob, sidecar: (bob.sidecar as string).replace('text: "Interpol"', 'text: "Europol"') };
    const r = curateSources('d.txt', [alice, broken], { reanchor: true });
    assert.equal(r.ok, false);
    assert.match(r.ok ? '' : r.error, /bob.*b2.*does not match the article/);
  });
});
