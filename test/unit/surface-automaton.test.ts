// Gazetteer matching in one pass (src/core/text/surface-automaton.ts, FoldedText.findAll): the same
// spans as one `find` per surface, which suggest used before (issue 22, item 5).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { articleFromText } from '../../src/core/model/article';
import { Span } from '../../src/core/model/edits';
import { foldedNeedle, FoldedText, MatchOptions } from '../../src/core/suggest/occurrences';
import { suggestForArticle } from '../../src/core/suggest/suggest';
import { SurfaceAutomaton } from '../../src/core/text/surface-automaton';

/** findAll's spans grouped by needle, each group in order. */
function allAtOnce(text: string, surfaces: readonly string[], opts: MatchOptions): Span[][] {
  const out: Span[][] = surfaces.map(() => []);
  new FoldedText(text, opts).findAll(new SurfaceAutomaton(surfaces.map((s) => foldedNeedle(s, opts))), (i, span) => out[i]?.push(span));
  return out;
}

/** What suggest did before: one `find` per surface. */
function oneByOne(text: string, surfaces: readonly string[], opts: MatchOptions): Span[][] {
  const folded = new FoldedText(text, opts);
  return surfaces.map((s) => folded.find(s));
}

describe('gazetteer surfaces found in one pass', () => {
  it('finds every needle, overlapping and nested ones, equal needles each', () => {
    const found: Array<[number, number]> = [];
    new SurfaceAutomaton(['he', 'she', 'his', 'hers', '', 'he']).scan('ushers', (i, at) => found.push([i, at]));
    assert.deepEqual(found, [[1, 1], [0, 2], [5, 2], [3, 2]]);
  });

  it('gives the same spans as one search per surface (property: French accents, NFD, emoji, Arabic, ß, İ, Σ, no-break spaces, dashes)', () => {
    const pieces = ['a', 'A', 'é', 'É', 'e\u0301', 'E\u0301', ' ', '\u00a0', '\u202f', '’', "'", '😀', '🇫🇷', 'Laftit', 'laftit', 'ß', 'ss', 'SS',
      'İ', 'i', 'Σ', 'σ', 'ς', '-', '–', '.', 'ﬁ', 'fi', 'ال', 'لفتيت', 'ـ', 'de', 'd’', 'Île', '\u0301', 'x'];
    const str = (max: number) => fc.array(fc.constantFrom(...pieces), { maxLength: max }).map((a) => a.join(''));
    fc.assert(fc.property(str(40), fc.array(str(4), { maxLength: 12 }), fc.boolean(), fc.boolean(), fc.boolean(), (text, surfaces, c, d, w) => {
      const opts = { caseSensitive: c, diacriticSensitive: d, wholeWord: w };
      assert.deepEqual(allAtOnce(text, surfaces, opts), oneByOne(text, surfaces, opts));
    }), { numRuns: 3000, seed: 20261204 });
  });

  it('gives the same spans on a longer text with many surfaces taken from it', () => {
    const text = 'Le ministre de l’Intérieur, Abdelouafi Laftit, a reçu à Rabat le directeur de la DGSN. '
      + 'INTERIEUR et Inte\u0301rieur ; Rabat-Salé, rabat, RABAT 😀 Rabat. قال وزير الداخلية عبد الوافي لفتيت إن لفتيت '
      + 'Straße, STRASSE, İzmir, izmir, ΟΔΟΣ, οδος — Jean\u2011Luc Mélenchon, Jean-Luc Melenchon.';
    const cps = [...text];
    let seed = 7;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const surfaces = Array.from({ length: 400 }, () => {
      const at = rand(cps.length);
      return cps.slice(at, at + 1 + rand(12)).join('');
    });
    for (const c of [false, true]) for (const d of [false, true]) for (const w of [false, true]) {
      const opts = { caseSensitive: c, diacriticSensitive: d, wholeWord: w };
      assert.deepEqual(allAtOnce(text, surfaces, opts), oneByOne(text, surfaces, opts), JSON.stringify(opts));
    }
  });

  it('suggests from 35k entries for 150 short articles without folding and searching each entry per article', () => {
    // One fold and scan per entry took ≥ 60 ms for each of these articles (≥ 9 s on a quiet machine); mocha's timeout is the bound.
    const syllables = ['ma', 'ro', 'lé', 'ka', 'dî', 'su', 'bel', 'ham', 'mou', 'chi', 'laf', 'tit', 'gé', 'ra', 'nö'];
    let seed = 3;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const word = () => Array.from({ length: 2 + rand(3) }, () => syllables[rand(syllables.length)]).join('');
    const cap = (w: string) => w.charAt(0).toUpperCase() + w.slice(1);
    const names = new Set<string>();
    while (names.size < 35_000) names.add(`${cap(word())} ${cap(word())}`);
    const gazetteer = { name: 'names.tsv', entries: [...names].map((surface, i) => ({ surface, label: 'PER', line: i + 1 })) };
    const someNames = gazetteer.entries.slice(0, 200).map((e) => e.surface);
    let added = 0;
    for (let a = 0; a < 150; a++) {
      const words = Array.from({ length: 200 }, (_, i) => (i % 50 === 0 ? someNames[rand(someNames.length)] : word()));
      const article = articleFromText(words.join(' ') + '.\n');
      added += suggestForArticle({ version: 1, document: 'a.txt', status: 'todo', entities: [] }, article, { gazetteers: [gazetteer] }).added.length;
    }
    assert.ok(added >= 150 * 3, `${added} suggestions`);
  });
});
