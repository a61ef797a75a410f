// Pattern files (src/core/suggest/patterns.ts): strict, line-numbered checking, and bounded matching.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { articleFromText } from '../../src/core/model/article';
import { matchPattern, parsePatterns, Pattern, PatternText } from '../../src/core/suggest/patterns';
import { DEMO_CORPUS } from './helpers/corpus';

const LABELS = new Set(['PER', 'ORG', 'LOC', 'DATE']);

function one(yaml: string): Pattern {
  const { set, problems } = parsePatterns(yaml, 'p.yaml', { labels: LABELS });
  assert.deepEqual(problems.filter((p) => p.severity === 'error'), []);
  assert.equal(set.patterns.length, 1);
  return set.patterns[0] as Pattern;
}

/** The texts a pattern matches in `text`. */
function texts(p: Pattern, text: string): string[] {
  const article = articleFromText(text);
  return matchPattern(p, article).spans.map((s) => article.offsets.slice(s.start, s.end));
}

describe('pattern files', () => {
  it('reads regex and token patterns with their options', () => {
    const { set, problems } = parsePatterns([
      'version: 1',
      'patterns:',
      '  - name: date-fr',
      '    label: DATE',
      '    description: a date',
      "    regex: '\\d{1,2} (?:janvier|mars) \\d{4}'",
      '    flags: i',
      '  - name: monsieur',
      '    label: PER',
      '    tokens:',
      '      - {text: [M., Mme], outside: true}',
      '      - {title: true, repeat: true}',
      '      - {lower: [ben, el], optional: true}',
    ].join('\n'), 'p.yaml', { labels: LABELS });
    assert.deepEqual(problems, []);
    assert.equal(set.file, 'p.yaml');
    assert.deepEqual(set.patterns.map((p) => [p.name, p.label, p.kind, p.line]), [['date-fr', 'DATE', 'regex', 3], ['monsieur', 'PER', 'tokens', 8]]);
    const [date, monsieur] = set.patterns as [Pattern, Pattern];
    assert.ok(date.kind === 'regex' && date.flags === 'i' && date.description === 'a date');
    assert.ok(monsieur.kind === 'tokens');
    assert.deepEqual(monsieur.tokens[0], { text: ['M.', 'Mme'], optional: false, repeat: false, outside: true });
    assert.deepEqual(monsieur.tokens[2], { lower: ['ben', 'el'], optional: true, repeat: false, outside: false });
  });

  it('reports every mistake at its line, naming the pattern, and leaves those patterns out', () => {
    const src = [
      'version: 1',                                          // 1
      'patterns:',                                           // 2
      '  - {name: bad-regex, label: DATE, regex: "(a"}',     // 3 invalid regex
      '  - {name: unknown-key, label: DATE, regx: "a"}',     // 4 unknown key (and no regex)
      '  - {name: who, label: PERSON, regex: "M\\\\."}',     // 5 unknown label
      '  - {name: both, label: PER, regex: a, tokens: [{}]}',// 6 both regex and tokens
      '  - {name: "has space", label: PER, regex: a}',       // 7 bad name
      '  - {name: flags, label: PER, regex: a, flags: gx}',  // 8 bad flags
      '  - {name: grp, label: PER, regex: "(a)", group: 2}', // 9 no such group
      '  - {name: grpn, label: PER, regex: "(?<x>a)", group: y}', // 10 no such named group
      '  - {name: empty, label: PER, tokens: [{optional: true}]}', // 11 can be empty
      '  - {name: middle, label: PER, tokens: [{title: true}, {text: x, outside: true}, {title: true}]}', // 12 outside in the middle
      '  - {name: spec, label: PER, tokens: [{titel: true}]}',    // 13 unknown token key
      '  - {name: tre, label: PER, tokens: [{regex: "[a"}]}',     // 14 invalid token regex
      '  - {name: ok, label: PER, regex: a}',                     // 15 fine
      '  - {name: ok, label: PER, regex: b}',                     // 16 duplicate name
      '  - {label: PER, regex: b}',                               // 17 no name
      '  - {name: txt, label: PER, tokens: [{text: "two words"}]}', // 18 a token has no space
      'extra: 1',                                            // 19 unknown top-level key
    ].join('\n');
    const { set, problems } = parsePatterns(src, 'p.yaml', { labels: LABELS });
    assert.deepEqual(set.patterns.map((p) => p.name), ['ok']);
    const lines = [...new Set(problems.filter((p) => p.severity === 'error').map((p) => p.line))];
    assert.deepEqual(lines, [3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 18, 19]);
    const at = (line: number) => problems.filter((p) => p.line === line).map((p) => p.message).join(' | ');
    assert.match(at(3), /invalid regex in pattern "bad-regex": Unterminated group/);
    assert.match(at(4), /unknown key `regx` in a pattern/);
    assert.match(at(5), /unknown label "PERSON" in pattern "who"/);
    assert.match(at(6), /needs exactly one of `regex`.*or `tokens`/);
    assert.match(at(7), /the pattern name "has space" must be/);
    assert.match(at(8), /unsupported regex flag `g`.*unsupported regex flag `x`/);
    assert.match(at(9), /takes group 2, but its regex has only 1 capture group/);
    assert.match(at(10), /takes group "y", but its regex has no group \(\?<y>…\) \(it has x\)/);
    assert.match(at(11), /at least one token that is neither optional nor outside/);
    assert.match(at(12), /`outside` tokens must come first or last/);
    assert.match(at(13), /unknown key `titel` in a token of pattern "spec"/);
    assert.match(at(14), /invalid regex in a token of pattern "tre"/);
    assert.match(at(16), /a second pattern named "ok" \(the first is on line 15\)/);
    assert.match(at(17), /has no `name`/);
    assert.match(at(18), /tokens never contain spaces/);
    assert.match(at(19), /unknown key `extra`/);
    for (const p of problems) assert.ok(p.column >= 1);
  });

  it('reports YAML syntax errors and a wrong shape', () => {
    assert.equal(parsePatterns('patterns: [\n', 'p.yaml').problems[0]?.code, 'yaml-syntax');
    assert.match(parsePatterns('- a\n', 'p.yaml').problems[0]?.message ?? '', /must be a YAML mapping/);
    assert.match(parsePatterns('patterns: 3\n', 'p.yaml').problems[0]?.message ?? '', /`patterns` must be a list/);
    assert.match(parsePatterns('version: 2\n', 'p.yaml').problems[0]?.message ?? '', /`version` must be 1/);
    assert.deepEqual(parsePatterns('', 'p.yaml'), { set: { file: 'p.yaml', patterns: [] }, problems: [] });
  });

  it('warns about a regex that can match the empty text', () => {
    const { set, problems } = parsePatterns('patterns:\n  - {name: digits, label: DATE, regex: "\\\\d*"}\n', 'p.yaml');
    assert.equal(set.patterns.length, 1);
    assert.deepEqual(problems.map((p) => [p.severity, p.code, p.line]), [['warning', 'empty-match', 2]]);
  });

  it('the example pattern file of the demo corpus is valid for its labels', () => {
    const labels = new Set(['PER', 'ORG', 'LOC', 'DATE', 'EVENT', 'MISC']);
    const { set, problems } = parsePatterns(fs.readFileSync(path.join(DEMO_CORPUS, 'patterns.yaml'), 'utf8'), 'patterns.yaml', { labels });
    assert.deepEqual(problems, []);
    assert.ok(set.patterns.length >= 3);
  });
});

describe('pattern matching', () => {
  it('regex: code point spans (after an emoji), flags, a numbered or named group', () => {
    const date = one("patterns:\n  - {name: d, label: DATE, regex: '\\d{1,2} (?:mars|avril) \\d{4}', flags: i}\n");
    const text = '🎉 Le 14 MARS 2025 et le 3 avril 2024.';
    const article = articleFromText(text);
    const spans = matchPattern(date, article).spans;
    assert.deepEqual(spans, [{ start: 5, end: 17 }, { start: 24, end: 36 }]);
    assert.equal([...text].slice(5, 17).join(''), '14 MARS 2025');
    const named = one("patterns:\n  - {name: m, label: PER, regex: 'M\\. (?<name>\\p{Lu}\\p{Ll}+)', group: name}\n");
    assert.deepEqual(texts(named, 'M. Laftit et M. Hammouchi'), ['Laftit', 'Hammouchi']);
    const numbered = one("patterns:\n  - {name: m, label: PER, regex: '(M\\.) (\\p{Lu}\\p{Ll}+)', group: 2}\n");
    assert.deepEqual(texts(numbered, 'M. Laftit'), ['Laftit']);
  });

  it('regex: empty matches are skipped and the search goes on; matches are capped per document', () => {
    const digits = one('patterns:\n  - {name: d, label: DATE, regex: "\\\\d*"}\n');
    assert.deepEqual(texts(digits, 'a 12 😀 b 345'), ['12', '345']);
    const any = one('patterns:\n  - {name: a, label: DATE, regex: "a"}\n');
    const capped = matchPattern(any, articleFromText('a'.repeat(50)), { maxMatches: 10 });
    assert.equal(capped.spans.length, 10);
    assert.equal(capped.truncated, true);
    assert.equal(matchPattern(any, articleFromText('a'.repeat(10)), { maxMatches: 10 }).truncated, false);
  });

  it('tokens: exact text, lower, regex, title, upper, optional, repeat, outside', () => {
    const civility = one('patterns:\n  - name: c\n    label: PER\n    tokens:\n      - {text: [M., Mme], outside: true}\n      - {title: true, repeat: true}\n');
    assert.deepEqual(texts(civility, 'Selon M. Abdelouafi Laftit, et Mme Benkhadra. M. le ministre.'), ['Abdelouafi Laftit', 'Benkhadra']);
    const ministry = one("patterns:\n  - name: m\n    label: ORG\n    tokens:\n      - {lower: ministère}\n      - {lower: [de, la, \"l'\", \"l’\"], repeat: true}\n      - {title: true}\n");
    assert.deepEqual(texts(ministry, "Le Ministère de l'Intérieur et le ministère de la Culture, le ministère des sports."), ["Ministère de l'Intérieur", 'ministère de la Culture']);
    const acronym = one('patterns:\n  - name: a\n    label: ORG\n    tokens:\n      - {upper: true, regex: "\\\\p{L}{3,}"}\n');
    assert.deepEqual(texts(acronym, 'La DGSN et la DGST, pas LE ni Rabat.'), ['DGSN', 'DGST']);
    const year = one("patterns:\n  - name: y\n    label: DATE\n    tokens:\n      - {lower: [en, depuis], outside: true, optional: true}\n      - {regex: '(?:19|20)\\d{2}'}\n      - {text: '.', outside: true}\n");
    assert.deepEqual(texts(year, 'Depuis 2005. En 2026, puis 2030.'), ['2005', '2030']);
  });

  it('tokens: a match never crosses a sentence, and is bounded in length and steps', () => {
    const names = one('patterns:\n  - name: n\n    label: PER\n    tokens:\n      - {title: true, repeat: true}\n');
    assert.deepEqual(texts(names, 'Il a vu Jean Dupont.\nMarie Curie aussi.'), ['Il', 'Jean Dupont', 'Marie Curie']);
    const longText = Array.from({ length: 200 }, () => 'Nom').join(' ');
    const bounded = matchPattern(names, articleFromText(longText), { maxTokens: 64 });
    assert.deepEqual(bounded.spans.map((s) => s.end - s.start), [64 * 4 - 1, 64 * 4 - 1, 64 * 4 - 1, 8 * 4 - 1]);
    // Nested repeats of the same test backtrack a lot: the step budget stops them.
    const greedy = one('patterns:\n  - name: g\n    label: PER\n    tokens:\n      - {repeat: true}\n      - {repeat: true}\n      - {repeat: true}\n      - {text: "!"}\n');
    const result = matchPattern(greedy, articleFromText('a '.repeat(500)), { maxSteps: 10_000 });
    assert.equal(result.truncated, true);
    assert.deepEqual(result.spans, []);
  });

  it('PatternText tokenises an article once for every pattern', () => {
    const text = new PatternText(articleFromText('M. Laftit.'));
    assert.equal(text.sentences, text.sentences);
  });
});

describe('pattern files: the YAML checks of sidecars (issue 22 item 6)', () => {
  it('refuse a YAML tag at its line and column, and CR-only line ends', () => {
    const tagged = parsePatterns('version: 1\npatterns:\n  - name: x\n    label: !!js/function PER\n    regex: "a"\n', 'p.yaml', {});
    assert.deepEqual(tagged.problems.map((p) => [p.code, p.line, p.column]), [['yaml-tag', 4, 12]]);
    const cr = parsePatterns('version: 1\rpatterns:\r  - name: x\r    label: PER\r    regex: "a"\r', 'p.yaml', {});
    assert.equal(cr.problems[0]?.code, 'cr-line-ends');
  });
});
