// Suggestions from gazetteers and patterns (src/core/suggest/suggest.ts), and deciding on them.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { articleFromText, decodeArticle } from '../../src/core/model/article';
import { parseGazetteer } from '../../src/core/suggest/gazetteer';
import { articlePathOf, Entity, Sidecar } from '../../src/core/model/model';
import { parsePatterns } from '../../src/core/suggest/patterns';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import {
  acceptSuggestions, isSuggestion, rejectSuggestions, suggestForArticle, SuggestionSources, suggestionsOf, withoutSuggestions,
} from '../../src/core/suggest/suggest';
import { validateAgainstArticle } from '../../src/core/sidecar/validate';
import { cpIndexOf, DEMO_CORPUS } from './helpers/corpus';

/** A deterministic `random` for ids. */
function seeded(seed = 1): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

const gaz = (tsv: string, name = 'names.tsv') => {
  const { gazetteer, problems } = parseGazetteer(tsv, name);
  assert.deepEqual(problems, []);
  return gazetteer;
};
const pats = (yaml: string) => {
  const { set, problems } = parsePatterns(yaml, 'patterns.yaml');
  assert.deepEqual(problems, []);
  return set;
};
const sidecarOf = (entities: Entity[] = []): Sidecar => ({ version: 1, document: 'a.txt', sha256: 'a'.repeat(64), status: 'todo', entities });

const TEXT = 'Le ministre Laftit a reçu le directeur de la DGSN à RABAT, puis à Rabat-Salé et à Rabat, le 14 mars 2025.\n';

describe('suggestForArticle', () => {
  it('suggests each gazetteer match (case- and accent-insensitive, whole words) with src, kb and suggested: true', () => {
    const article = articleFromText(TEXT);
    const sources: SuggestionSources = { gazetteers: [gaz('Laftit\tPER\twikidata:Q1\nrabat\tLOC\nDGSN\tORG\n')] };
    const { sidecar, added, truncated } = suggestForArticle(sidecarOf(), article, sources, { random: seeded() });
    assert.deepEqual(truncated, []);
    assert.deepEqual(added.map((e) => [e.label, e.text, e.src, e.attrs?.kb, e.suggested]), [
      ['PER', 'Laftit', 'gazetteer:names.tsv', 'wikidata:Q1', true],
      ['ORG', 'DGSN', 'gazetteer:names.tsv', undefined, true],
      ['LOC', 'RABAT', 'gazetteer:names.tsv', undefined, true],
      ['LOC', 'Rabat', 'gazetteer:names.tsv', undefined, true],
      ['LOC', 'Rabat', 'gazetteer:names.tsv', undefined, true],
    ]);
    for (const e of added) assert.equal(article.offsets.slice(e.start, e.end), e.text);
    assert.equal(sidecar.status, 'todo', 'suggestions are not annotations: the status stays');
    assert.equal(sidecar.entities.length, 5);
  });

  it('never overlaps an entity or a suggestion already there; the longest candidate wins, then the first source', () => {
    const article = articleFromText(TEXT);
    const existing: Entity = { id: 'aaaaaa', label: 'LOC', start: cpIndexOf(TEXT, 'RABAT'), end: cpIndexOf(TEXT, 'RABAT') + 5, text: 'RABAT' };
    const sources: SuggestionSources = {
      gazetteers: [gaz('Rabat\tLOC\nRabat-Salé\tLOC\nle directeur\tPER\n', 'a.tsv'), gaz('Rabat-Salé\tORG\ndirecteur de la DGSN\tPER\nDGSN\tORG\n', 'b.tsv')],
      patterns: [pats("patterns:\n  - {name: date, label: DATE, regex: '\\d+ mars \\d{4}'}\n  - {name: year, label: DATE, regex: '\\d{4}'}\n")],
    };
    const { added } = suggestForArticle(sidecarOf([existing]), article, sources, { random: seeded() });
    assert.deepEqual(added.map((e) => [e.text, e.label, e.src]), [
      ['directeur de la DGSN', 'PER', 'gazetteer:b.tsv'],  // longer than "le directeur" and "DGSN"
      ['Rabat-Salé', 'LOC', 'gazetteer:a.tsv'],             // same span in b.tsv: the first source wins
      ['Rabat', 'LOC', 'gazetteer:a.tsv'],
      ['14 mars 2025', 'DATE', 'pattern:date'],             // longer than the year inside it
    ]);
    assert.ok(!added.some((e) => e.start < existing.end && existing.start < e.end));
  });

  it('uses the match options: case-sensitive, accent-sensitive, not whole words', () => {
    const article = articleFromText('Fès, FES et fes ; Rabatteur.');
    const g = [gaz('Fès\tLOC\nRabat\tLOC\n')];
    const got = (match: SuggestionSources['match']) => suggestForArticle(sidecarOf(), article, { gazetteers: g, match }).added.map((e) => e.text);
    assert.deepEqual(got(undefined), ['Fès', 'FES', 'fes']);
    assert.deepEqual(got({ caseSensitive: true, diacriticSensitive: true, wholeWord: true }), ['Fès']);
    assert.deepEqual(got({ caseSensitive: false, diacriticSensitive: false, wholeWord: false }), ['Fès', 'FES', 'fes', 'Rabat']);
  });

  it('is deterministic given `random`, idempotent, and keeps the input unchanged', () => {
    const article = articleFromText(TEXT);
    const sources: SuggestionSources = { gazetteers: [gaz('Rabat\tLOC\nLaftit\tPER\n')] };
    const input = sidecarOf();
    const frozen = JSON.stringify(input);
    const first = suggestForArticle(input, article, sources, { random: seeded(7) });
    assert.equal(JSON.stringify(input), frozen);
    assert.deepEqual(suggestForArticle(input, article, sources, { random: seeded(7) }), first);
    const again = suggestForArticle(first.sidecar, article, sources, { random: seeded(8) });
    assert.deepEqual(again.added, []);
    assert.equal(again.sidecar, first.sidecar);
  });

  it('property: suggestions are valid entities of the article, overlap nothing, and a second run adds nothing', () => {
    const words = ['Rabat', 'rabat', 'Fès', 'Fes', 'DGSN', 'la', 'DGSN la', 'é', '😀', 'Maroc', 'Royaume du Maroc', ' ', ', ', '\n', '\u00a0'];
    const textArb = fc.array(fc.constantFrom(...words), { maxLength: 40 }).map((ws) => ws.join(' '));
    const entryArb = fc.uniqueArray(fc.record({ surface: fc.constantFrom(...words.filter((w) => w.trim() !== '')), label: fc.constantFrom('LOC', 'ORG') }), { selector: (e) => e.surface, maxLength: 6 });
    fc.assert(fc.property(textArb, entryArb, fc.boolean(), (text, entries, withPattern) => {
      const article = articleFromText(text);
      const sources: SuggestionSources = {
        gazetteers: [gaz(entries.map((e) => `${e.surface}\t${e.label}`).join('\n'))],
        patterns: withPattern ? [pats("patterns:\n  - {name: cap, label: PER, tokens: [{title: true, repeat: true}]}\n")] : [],
      };
      const { sidecar, added } = suggestForArticle(sidecarOf(), article, sources, { random: seeded() });
      const parsed = readSidecar(writeSidecar(sidecar));
      assert.ok(parsed.sidecar, JSON.stringify(parsed.problems));
      assert.deepEqual(validateAgainstArticle(parsed.sidecar, article, { overlap: 'forbid' }).filter((p) => p.severity === 'error'), []);
      for (let i = 0; i < added.length; i++) {
        for (let j = i + 1; j < added.length; j++) {
          const a = added[i] as Entity;
          const b = added[j] as Entity;
          assert.ok(a.end <= b.start || b.end <= a.start, 'no two suggestions overlap');
        }
      }
      assert.deepEqual(suggestForArticle(sidecar, article, sources, { random: seeded(2) }).added, []);
    }), { seed: 42, numRuns: 300 });
  });

  it('on the demo corpus, with the example gazetteer and patterns: no suggestion overlaps an annotation', () => {
    const labels = new Set(['PER', 'ORG', 'LOC', 'DATE', 'EVENT', 'MISC']);
    const g = parseGazetteer(fs.readFileSync(path.join(DEMO_CORPUS, 'gazetteer.tsv'), 'utf8'), 'gazetteer.tsv', { labels });
    const p = parsePatterns(fs.readFileSync(path.join(DEMO_CORPUS, 'patterns.yaml'), 'utf8'), 'patterns.yaml', { labels });
    assert.deepEqual([...g.problems, ...p.problems], []);
    let total = 0;
    for (const f of fs.readdirSync(DEMO_CORPUS).filter((n) => n.endsWith('.ann.yaml'))) {
      const sidecar = readSidecar(fs.readFileSync(path.join(DEMO_CORPUS, f), 'utf8')).sidecar as Sidecar;
      const article = decodeArticle(fs.readFileSync(path.join(DEMO_CORPUS, articlePathOf(f))));
      const { sidecar: next, added } = suggestForArticle(sidecar, article, { gazetteers: [g.gazetteer], patterns: [p.set] }, { random: seeded() });
      total += added.length;
      const issues = validateAgainstArticle(next, article, { labels, overlap: 'nested' });
      assert.deepEqual(issues, [], f);
      for (const a of added) assert.ok(!sidecar.entities.some((e) => e.start < a.end && a.start < e.end), `${f}: ${a.text}`);
      // From scratch, the gazetteer of the corpus finds most of its annotations again.
      const fresh = suggestForArticle({ ...sidecar, entities: [] }, article, { gazetteers: [g.gazetteer] }, { random: seeded() });
      const found = sidecar.entities.filter((e) => fresh.added.some((s) => s.start === e.start && s.end === e.end && s.label === e.label)).length;
      assert.ok(found / sidecar.entities.length > 0.8, `${f}: ${found}/${sidecar.entities.length} found again`);
    }
    assert.ok(total > 0, 'the demo annotations missed a few occurrences');
  });
});

describe('deciding on suggestions', () => {
  const base = sidecarOf([
    { id: 'manual', label: 'PER', start: 0, end: 2, text: 'Le', by: 'alice' },
    { id: 'sugg01', label: 'LOC', start: 3, end: 5, text: 'mi', src: 'gazetteer:g.tsv', suggested: true },
    { id: 'sugg02', label: 'ORG', start: 6, end: 8, text: 'ni', src: 'pattern:p', attrs: { kb: 'Q1' }, suggested: true },
  ]);

  it('suggestionsOf, isSuggestion and withoutSuggestions tell them apart', () => {
    assert.deepEqual(suggestionsOf(base).map((e) => e.id), ['sugg01', 'sugg02']);
    assert.deepEqual(withoutSuggestions(base.entities).map((e) => e.id), ['manual']);
    assert.equal(isSuggestion(base.entities[1] as Entity), true);
  });

  it('accepting removes the flag, keeps src and attrs, records `by`, and starts the document', () => {
    const next = acceptSuggestions(base, new Set(['sugg02', 'manual']), 'bob');
    assert.deepEqual(next.entities[2], { id: 'sugg02', label: 'ORG', start: 6, end: 8, text: 'ni', src: 'pattern:p', attrs: { kb: 'Q1' }, by: 'bob' });
    assert.equal(next.entities[0], base.entities[0], 'an accepted entity is not touched');
    assert.equal(next.entities[1], base.entities[1]);
    assert.equal(next.status, 'in-progress');
    assert.match(writeSidecar(next), /text: "ni", attrs: \{kb: "?Q1"?\}, by: bob, src: "?pattern:p"?\}\n/);
    assert.equal(acceptSuggestions(base, ['nope']), base, 'nothing to accept: the same sidecar');
    assert.equal(acceptSuggestions(base, ['sugg01']).entities[1]?.by, undefined);
  });

  it('rejecting removes suggestions only', () => {
    const next = rejectSuggestions(base, new Set(['sugg01', 'manual']));
    assert.deepEqual(next.entities.map((e) => e.id), ['manual', 'sugg02']);
    assert.equal(rejectSuggestions(base, []), base);
  });
});
