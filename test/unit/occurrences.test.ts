import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { emptySidecar } from '../../src/core/model/edits';
import { Entity } from '../../src/core/model/model';
import { DEFAULT_MATCH, FoldedText, findOccurrences, MatchOptions, proposeOccurrences, uncovered } from '../../src/core/suggest/occurrences';
import { OffsetMap } from '../../src/core/model/offsets';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { validateAgainstArticle } from '../../src/core/sidecar/validate';
import { article, cpIndexOf, demoArticle } from './helpers/corpus';
import * as fs from 'node:fs';

const texts = (text: string, surface: string, opts: Partial<MatchOptions> = {}) =>
  findOccurrences(text, surface, { ...DEFAULT_MATCH, ...opts }).map((s) => new OffsetMap(text).slice(s.start, s.end));

describe('finding occurrences of a surface form', () => {
  it('ignores case and diacritics by default, and returns the article’s own characters', () => {
    const text = 'Le ministère de l’Intérieur, le MINISTERE DE L\'INTERIEUR et le Ministere de l’interieur.';
    assert.deepEqual(texts(text, 'ministère de l’Intérieur'), ['ministère de l’Intérieur', 'MINISTERE DE L\'INTERIEUR', 'Ministere de l’interieur']);
  });

  it('respects case and diacritics when asked', () => {
    const text = 'Intérieur, Interieur, intérieur';
    assert.deepEqual(texts(text, 'Intérieur', { caseSensitive: true }), ['Intérieur', 'Interieur']);
    assert.deepEqual(texts(text, 'Intérieur', { diacriticSensitive: true }), ['Intérieur', 'intérieur']);
    assert.deepEqual(texts(text, 'Intérieur', { caseSensitive: true, diacriticSensitive: true }), ['Intérieur']);
  });

  it('matches whole words only unless told otherwise', () => {
    const text = 'Rabat, Rabatteur, rabattre, (Rabat) et Rabat-Salé';
    assert.deepEqual(texts(text, 'Rabat'), ['Rabat', 'Rabat', 'Rabat']);
    assert.equal(texts(text, 'Rabat', { wholeWord: false }).length, 5);
  });

  it('treats a no-break space as a space and ’ as an apostrophe', () => {
    const text = 'M.\u00a0Laftit et M. Laftit, l’ONU et l\'ONU';
    assert.deepEqual(texts(text, 'M. Laftit'), ['M.\u00a0Laftit', 'M. Laftit']);
    assert.deepEqual(texts(text, "l'ONU"), ['l’ONU', 'l\'ONU']);
  });

  it('counts code points: an emoji or 𝔸 before a match shifts it by one', () => {
    const text = '😀𝔸 Laftit';
    assert.deepEqual(findOccurrences(text, 'laftit'), [{ start: 3, end: 9 }]);
  });

  it('keeps a decomposed accent with its letter (NFD text)', () => {
    const text = 'Interieur et Inte\u0301rieur.';
    const spans = findOccurrences(text, 'Intérieur');
    assert.equal(spans.length, 2);
    assert.equal(new OffsetMap(text).slice(spans[1]!.start, spans[1]!.end), 'Inte\u0301rieur');
    // And a match never ends between a letter and its accent.
    assert.deepEqual(texts('cafe\u0301 noir', 'cafe'), ['cafe\u0301']);
  });

  it('never matches half of a folded character', () => {
    // Keeping diacritics, 'İ' lower-cases to two units, 'i' and a combining dot: 'i' alone is half of it.
    const opts = { caseSensitive: false, diacriticSensitive: true, wholeWord: false };
    assert.equal(new FoldedText('İ', opts).find('i').length, 0);
    assert.deepEqual(findOccurrences('İzmir et izmir', 'izmir', opts), [{ start: 9, end: 14 }]);
  });

  it('finds Arabic and RTL text', () => {
    const text = 'قال وزير الداخلية عبد الوافي لفتيت إن لفتيت';
    assert.deepEqual(texts(text, 'لفتيت'), ['لفتيت', 'لفتيت']);
  });

  it('finds nothing for an empty or blank surface', () => {
    assert.deepEqual(findOccurrences('abc', '  '), []);
  });

  it('keeps every returned span equal to a folding of the surface (property)', () => {
    const pieces = ['a', 'A', 'é', 'É', 'e\u0301', ' ', '\u00a0', '’', "'", '😀', 'Laftit', 'ß', 'İ', 'Σ', '-', '.'];
    const str = fc.array(fc.constantFrom(...pieces), { maxLength: 20 }).map((a) => a.join(''));
    fc.assert(fc.property(str, str, fc.boolean(), fc.boolean(), fc.boolean(), (text, surface, c, d, w) => {
      const opts = { caseSensitive: c, diacriticSensitive: d, wholeWord: w };
      const map = new OffsetMap(text);
      const spans = findOccurrences(text, surface, opts);
      let last = 0;
      for (const s of spans) {
        assert.ok(s.start >= last && s.end > s.start && s.end <= map.codePointLength);
        last = s.end;
        // The matched text, searched for with the surface, finds itself whole.
        const found = new FoldedText(map.slice(s.start, s.end), { ...opts, wholeWord: false }).find(surface);
        assert.ok(found.some((f) => f.start === 0), `"${map.slice(s.start, s.end)}" should match "${surface}"`);
      }
    }), { numRuns: 2000, seed: 20261123 });
  });
});

describe('proposing occurrences as suggestions', () => {
  it('proposes the uncovered occurrences of Laftit in a seed article, each valid against the article', () => {
    const { path: p, article: a } = demoArticle('000_');
    const sidecar = readSidecar(fs.readFileSync(p + '.ann.yaml', 'utf8')).sidecar!;
    const all = findOccurrences(a.text, 'Laftit');
    assert.equal(all.length, 9);
    // Un-annotate every Laftit; keep one as the entity the annotator just tagged.
    const laftits = sidecar.entities.filter((e) => e.text === 'Laftit');
    const [kept, ...dropped] = laftits;
    assert.ok(kept && dropped.length > 0);
    const without = { ...sidecar, entities: sidecar.entities.filter((e) => !dropped.includes(e)) };
    const { sidecar: next, added } = proposeOccurrences(without, a, kept.text, kept.label);
    // Occurrences inside longer entities (e.g. "Abdelouafi Laftit") are covered and not proposed.
    const insideLonger = all.filter((s) => without.entities.some((e) => e !== kept && e.start <= s.start && s.end <= e.end)).length;
    assert.equal(added.length, all.length - 1 - insideLonger);
    assert.ok(added.every((e) => e.suggested === true && e.src === 'propagated' && e.label === kept.label && e.text === 'Laftit'));
    assert.deepEqual(validateAgainstArticle(next, a, {}).filter((p) => p.severity === 'error'), []);
    // Idempotent: proposing again adds nothing.
    assert.equal(proposeOccurrences(next, a, 'Laftit', 'PER').added.length, 0);
  });

  it('skips occurrences overlapping an entity or an earlier span', () => {
    const e = (start: number, end: number): Entity => ({ id: 'x' + start, label: 'PER', start, end, text: '' });
    assert.deepEqual(uncovered([{ start: 0, end: 3 }, { start: 2, end: 5 }, { start: 5, end: 8 }, { start: 10, end: 12 }], [e(6, 7)]), [{ start: 0, end: 3 }, { start: 10, end: 12 }]);
  });

  it('carries attrs and a given src', () => {
    const text = 'Interpol et INTERPOL';
    const a = article(text);
    const { added } = proposeOccurrences(emptySidecar('a.txt', a.sha256), a, 'Interpol', 'ORG', { src: 'gazetteer:orgs.tsv', attrs: { kb: 'wikidata:Q8022' } });
    assert.deepEqual(added.map((x) => [x.start, x.src, x.attrs?.kb]), [[0, 'gazetteer:orgs.tsv', 'wikidata:Q8022'], [cpIndexOf(text, 'INTERPOL'), 'gazetteer:orgs.tsv', 'wikidata:Q8022']]);
  });
});

describe('uncovered spans (property)', () => {
  it('agrees with the obvious quadratic definition', () => {
    const span = fc.tuple(fc.nat(60), fc.integer({ min: 1, max: 8 })).map(([start, len]) => ({ start, end: start + len }));
    fc.assert(fc.property(fc.array(span, { maxLength: 20 }), fc.array(span, { maxLength: 12 }), (spans, ents) => {
      const entities: Entity[] = ents.map((e, i) => ({ id: `e${i}`, label: 'X', ...e, text: '' }));
      const taken: Array<{ start: number; end: number }> = [...ents];
      const expected = spans.filter((s) => {
        if (taken.some((t) => t.start < s.end && s.start < t.end)) return false;
        taken.push(s);
        return true;
      });
      assert.deepEqual(uncovered(spans, entities), expected);
    }), { numRuns: 3000, seed: 20261123 });
  });
});
