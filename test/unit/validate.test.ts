import { strict as assert } from 'node:assert';
import { Entity, Sidecar } from '../../src/core/model/model';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { forbiddenOverlaps, overlappingPairs, validateAgainstArticle } from '../../src/core/sidecar/validate';
import { article, demoArticle, entityAt } from './helpers/corpus';

const LABELS = new Set(['PER', 'ORG', 'LOC', 'DATE', 'EVENT', 'MISC']);

function sidecarFor(sha256: string, entities: Entity[], document = 'a.txt'): Sidecar {
  return { version: 1, document, sha256, status: 'in-progress', entities };
}

/** Writes, re-reads and validates, as the CLI and the extension do. */
function check(s: Sidecar, a = article(''), opts = {}) {
  const r = readSidecar(writeSidecar(s));
  assert.deepEqual(r.problems, []);
  return validateAgainstArticle(r.sidecar as Sidecar, a, { labels: LABELS, entityLines: r.entityLines, keyLines: r.keyLines, ...opts });
}

describe('validation against the article', () => {
  describe('on the five seed articles', () => {
    const seeds: Array<[string, Array<[string, string, number?]>]> = [
      ['000_', [['Laftit', 'PER'], ['Laftit', 'PER', 3], ['Maroc', 'LOC']]],
      ['001_', [['Abdelouafi Laftit', 'PER'], ['Dubaï', 'LOC'], ['Alliance internationale de sécurité', 'ORG'], ['ministre de l’Intérieur', 'MISC']]],
      ['002_', [['Interpol', 'ORG'], ['Lyon', 'LOC'], ['Abdellatif Hammouchi', 'PER'], ['DGSN-DGST', 'ORG']]],
      ['003_', [['Abdellatif Hammouchi', 'PER'], ['Interpol', 'ORG'], ['Marrakech', 'LOC'], ['Sidi Ifni', 'LOC']]],
      ['004_', [['Marrakech', 'LOC'], ['Abdelatif Hammouchi', 'PER'], ['Interpol', 'ORG', 1]]],
    ];
    for (const [prefix, spans] of seeds) {
      it(`accepts real entities of ${prefix}… and rejects them shifted by one`, () => {
        const { path: p, article: a } = demoArticle(prefix);
        const entities = spans.map(([surface, label, nth], i) => entityAt(a.text, surface, label, `e${i}`, nth ?? 0));
        // Python's text[start:end] is the code point slice: check it independently of OffsetMap.
        for (const e of entities) assert.equal([...a.text].slice(e.start, e.end).join(''), e.text);
        assert.deepEqual(check(sidecarFor(a.sha256, entities, p.split('/').pop()), a), []);
        const shifted = entities.map((e) => ({ ...e, start: e.start + 1, end: e.end + 1 }));
        const problems = check(sidecarFor(a.sha256, shifted), a);
        assert.equal(problems.filter((x) => x.code === 'text-mismatch').length, entities.length);
      });
    }

    it('handles the no-break spaces of 003_ as code points', () => {
      const { article: a } = demoArticle('003_');
      assert.ok(a.text.includes('\u00a0'));
      const i = a.text.indexOf('\u00a0');
      const e: Entity = { id: 'nb', label: 'MISC', start: i - 1, end: i + 2, text: a.text.slice(i - 1, i + 2) };
      assert.deepEqual(check(sidecarFor(a.sha256, [e]), a), []);
    });
  });

  it('counts an emoji or 𝔸 before an entity as one character', () => {
    const text = '🚨👮 Alerte 𝔸 : M. Laftit à Marrakech';
    const a = article(text);
    const e = entityAt(text, 'Laftit', 'PER', 'p1');
    assert.equal(e.start, text.indexOf('Laftit') - 3); // three astral characters before it
    assert.deepEqual(check(sidecarFor(a.sha256, [e]), a), []);
    const utf16Offsets = { ...e, start: text.indexOf('Laftit'), end: text.indexOf('Laftit') + 6 };
    assert.equal(check(sidecarFor(a.sha256, [utf16Offsets]), a)[0]?.code, 'text-mismatch');
  });

  it('keeps NFD accents as separate code points', () => {
    const text = 'Le ministe\u0300re de l\u2019Inte\u0301rieur';
    const a = article(text);
    const e = entityAt(text, 'Inte\u0301rieur', 'ORG', 'o1');
    assert.equal(e.end - e.start, 10); // I n t e ◌́ r i e u r
    assert.deepEqual(check(sidecarFor(a.sha256, [e]), a), []);
  });

  it('counts CRLF as two characters', () => {
    const text = 'Titre\r\n\r\nInterpol à Lyon\r\n';
    const a = article(text);
    const e = entityAt(text, 'Lyon', 'LOC', 'l1');
    assert.equal(e.start, 20); // 5 + 2×CRLF (4) + 11
    assert.deepEqual(check(sidecarFor(a.sha256, [e]), a), []);
  });

  it('ignores a BOM: offset 0 is the first character after it', () => {
    const a = article('Interpol');
    const withBom = { ...a, hasBom: true };
    assert.deepEqual(check(sidecarFor(a.sha256, [{ id: 'o', label: 'ORG', start: 0, end: 8, text: 'Interpol' }]), withBom), []);
  });

  it('handles Arabic and typographic quotes', () => {
    const text = 'قال عبد اللطيف حموشي « المغرب » et l’Interpol';
    const a = article(text);
    const entities = [entityAt(text, 'عبد اللطيف حموشي', 'PER', 'a1'), entityAt(text, 'المغرب', 'LOC', 'a2'), entityAt(text, 'Interpol', 'ORG', 'a3')];
    assert.deepEqual(check(sidecarFor(a.sha256, entities), a), []);
  });

  it('reports offsets out of range with the entity line', () => {
    const a = article('Laftit');
    const problems = check(sidecarFor(a.sha256, [{ id: 'x', label: 'PER', start: 2, end: 40, text: 'ftit' }]), a);
    assert.equal(problems[0]?.code, 'out-of-range');
    assert.equal(problems[0]?.line, 7);
    assert.match(problems[0]?.message ?? '', /ends at 40, past the end of the article \(6 characters\)/);
  });

  it('reports a wrong text with both texts', () => {
    const a = article('M. Laftit');
    const [p] = check(sidecarFor(a.sha256, [{ id: 'x', label: 'PER', start: 3, end: 9, text: 'Laftix' }]), a);
    assert.match(p?.message ?? '', /says its text is "Laftix" but the article has "Laftit" at 3-9/);
  });

  it('warns about unknown labels without failing', () => {
    const a = article('Laftit');
    const [p] = check(sidecarFor(a.sha256, [{ id: 'x', label: 'PERSON', start: 0, end: 6, text: 'Laftit' }]), a);
    assert.equal(p?.severity, 'warning');
    assert.match(p?.message ?? '', /label "PERSON", which is not in the label configuration/);
  });

  it('explains drift when the article changed and entities no longer match', () => {
    const a = article('Xx M. Laftit');
    const [p] = check(sidecarFor('b'.repeat(64), [{ id: 'x', label: 'PER', start: 3, end: 9, text: 'Laftit' }]), a);
    assert.match(p?.message ?? '', /article changed since the sidecar was written/);
  });

  it('only warns when the article changed but every entity still matches', () => {
    const a = article('Laftit, encore');
    const problems = check(sidecarFor('b'.repeat(64), [{ id: 'x', label: 'PER', start: 0, end: 6, text: 'Laftit' }]), a);
    assert.deepEqual(problems.map((x) => [x.severity, x.code, x.line]), [['warning', 'article-changed', 4]]);
  });

  it('warns when `document` names another file', () => {
    const a = article('Laftit');
    const problems = check(sidecarFor(a.sha256, [], 'old-name.txt'), a, { articleName: 'new-name.txt' });
    assert.deepEqual(problems.map((x) => [x.code, x.line]), [['document-name', 3]]);
  });

  describe('overlap policy', () => {
    const text = 'Université Mohammed V de Rabat';
    const a = article(text);
    const org = entityAt(text, text, 'ORG', 'o');
    const nested = entityAt(text, 'Rabat', 'LOC', 'l');
    const crossing = entityAt(text, 'Mohammed V de', 'MISC', 'm');
    const crossed = entityAt(text, 'de Rabat', 'LOC', 'r');
    it('allow: anything goes', () => {
      assert.deepEqual(check(sidecarFor(a.sha256, [org, nested, crossing]), a, { overlap: 'allow' }), []);
    });
    it('nested: nesting is fine, crossing is not', () => {
      assert.deepEqual(check(sidecarFor(a.sha256, [org, nested]), a, { overlap: 'nested' }), []);
      const problems = check(sidecarFor(a.sha256, [org, crossing, crossed]), a, { overlap: 'nested' });
      assert.deepEqual(problems.map((p) => p.code), ['overlap']);
      assert.match(problems[0]?.message ?? '', /entity r \(LOC "de Rabat"\) overlaps entity m/);
    });
    it('forbid: even nesting is reported', () => {
      const problems = check(sidecarFor(a.sha256, [org, nested]), a, { overlap: 'forbid' });
      assert.match(problems[0]?.message ?? '', /entity l \(LOC "Rabat"\) is nested in entity o/);
    });
    it('finds every overlapping pair and no adjacent ones', () => {
      const mk = (id: string, start: number, end: number): Entity => ({ id, label: 'X', start, end, text: '' });
      const pairs = overlappingPairs([mk('a', 0, 5), mk('b', 5, 9), mk('c', 2, 6), mk('d', 8, 12), mk('e', 20, 21)]);
      assert.deepEqual(pairs.map((p) => p.map((e) => e.id).sort().join('')).sort(), ['ac', 'bc', 'bd']);
    });
    it('finds exactly the pairs a brute-force comparison finds, sorted and disjoint input included', () => {
      // Deterministic pseudo-random spans, some laid end to end in canonical order (the one-pass
      // shortcut for disjoint spans), some shuffled, nested, touching, of length zero.
      let seed = 12345;
      const rand = (n: number) => {
        seed = (seed * 1103515245 + 12345) >>> 0;
        return (seed >>> 8) % n;
      };
      const key = (pairs: Array<[Entity, Entity]>) => pairs.map((p) => p.map((e) => e.id).sort().join('+')).sort();
      for (let run = 0; run < 3000; run++) {
        const n = rand(7);
        const entities: Entity[] = [];
        let at = rand(3);
        for (let i = 0; i < n; i++) {
          const start = run % 2 === 0 ? at + rand(2) : rand(12);
          const end = start + (rand(10) === 0 ? 0 : 1 + rand(4));
          entities.push({ id: `e${i}`, label: 'X', start, end, text: '' });
          at = end;
        }
        const brute: Array<[Entity, Entity]> = [];
        for (let i = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++) {
            const x = entities[i] as Entity;
            const y = entities[j] as Entity;
            if (Math.max(x.start, y.start) < Math.min(x.end, y.end)) brute.push([x, y]);
          }
        }
        const found = overlappingPairs(entities).filter(([x, y]) => x.start < x.end && y.start < y.end);
        assert.deepEqual(key(found), key(brute.filter(([x, y]) => x.start < x.end && y.start < y.end)), JSON.stringify(entities));
      }
    });
    it('lists the same forbidden pairs, in the same order, as the former all-pairs sweep; counts the rest', () => {
      // The former implementation, kept as the definition: sort by start (longest first), then
      // each entity meets every earlier one still open; 'nested' keeps those that do not nest.
      const reference = (entities: Entity[], policy: 'forbid' | 'nested'): Array<[Entity, Entity]> => {
        const sorted = [...entities].sort((a, b) => a.start - b.start || b.end - a.end);
        const pairs: Array<[Entity, Entity]> = [];
        const open: Entity[] = [];
        for (const e of sorted) {
          for (let i = open.length - 1; i >= 0; i--) if ((open[i] as Entity).end <= e.start) open.splice(i, 1);
          for (const o of open) {
            const nested = (o.start <= e.start && e.end <= o.end) || (e.start <= o.start && o.end <= e.end);
            if (policy === 'forbid' || !nested) pairs.push([o, e]);
          }
          open.push(e);
        }
        return pairs;
      };
      let seed = 4242;
      const rand = (n: number) => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return (seed >>> 8) % n;
      };
      const ids = (pairs: Array<[Entity, Entity]>) => pairs.map(([a, b]) => `${a.id}<${b.id}`);
      for (let run = 0; run < 4000; run++) {
        const n = rand(9);
        const entities: Entity[] = [];
        for (let i = 0; i < n; i++) {
          const start = rand(10);
          entities.push({ id: `e${i}`, label: 'X', start, end: start + (rand(8) === 0 ? 0 : 1 + rand(5)), text: '' });
        }
        for (const policy of ['forbid', 'nested'] as const) {
          const expected = reference(entities, policy);
          const limit = run % 3 === 0 ? Infinity : rand(4);
          const got = forbiddenOverlaps(entities, policy, limit);
          const what = `${policy} limit ${limit} ${JSON.stringify(entities)}`;
          assert.deepEqual(ids(got.pairs), ids(expected.slice(0, limit)), what);
          assert.equal(got.total, expected.length, what);
          assert.equal(got.firstUnlisted?.id, expected[got.pairs.length]?.[1].id, what);
        }
      }
    });
    it('checks 100k entities on one span: none reported when nesting is allowed, 100 listed and the rest counted when forbidden', () => {
      // Used to build all 5·10⁹ pairs: 12k identical spans ran V8 out of memory.
      const text = 'Université Mohammed V de Rabat';
      const a = article(text);
      const entities = Array.from({ length: 100_000 }, (_, i) => ({ ...entityAt(text, 'Rabat', 'LOC', `e${i}`) }));
      const s = sidecarFor(a.sha256, entities);
      assert.deepEqual(validateAgainstArticle(s, a, { labels: LABELS, overlap: 'nested' }), []);
      const forbid = validateAgainstArticle(s, a, { labels: LABELS, overlap: 'forbid' });
      assert.equal(forbid.length, 101);
      assert.ok(forbid.every((p) => p.code === 'overlap' && p.severity === 'error'));
      assert.match(forbid[100]?.message ?? '', /^4999949900 more overlapping pairs of entities that the overlap policy "forbid" forbids, not listed \(the first 100 are\)/);
    });
    const n = 100_000;
    const chain = () => Array.from({ length: n }, (_, i): Entity => ({ id: `e${i}`, label: 'X', start: i, end: 2 * n - i, text: '' }));
    it('checks 100k spans nested in one another: none reported under nested, all counted under forbid', () => {
      assert.deepEqual(forbiddenOverlaps(chain(), 'nested', 100), { pairs: [], total: 0 });
      assert.equal(forbiddenOverlaps(chain(), 'forbid', 100).total, (n * (n - 1)) / 2);
    });
    it('checks 100k spans that each cross the next two without listing them all', () => {
      const staircase = Array.from({ length: n }, (_, i): Entity => ({ id: `e${i}`, label: 'X', start: i, end: i + 3, text: '' }));
      const crossing = forbiddenOverlaps(staircase, 'nested', 100);
      assert.equal(crossing.pairs.length, 100);
      assert.equal(crossing.total, 2 * n - 3);
    });
  });
});
