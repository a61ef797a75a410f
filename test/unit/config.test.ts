import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_CONFIG, DEFAULT_SUGGESTIONS, labelForKey, readConfig, suggestionsConfig } from '../../src/core/config/config';
import { globToRegExp, matchesGlobs } from '../../src/core/config/glob';
import { DEMO_CORPUS } from './helpers/corpus';

describe('label configuration', () => {
  it('defaults to the news NER label set when the file is empty', () => {
    const { config, problems } = readConfig('');
    assert.deepEqual(problems, []);
    assert.deepEqual(config.labels.map((l) => l.name), ['PER', 'ORG', 'LOC', 'DATE', 'EVENT', 'MISC']);
    assert.equal(config.overlap, 'nested');
    assert.equal(labelForKey(config, 1)?.name, 'PER');
  });

  it('reads labels, keys, colours, policy and globs', () => {
    const { config, problems } = readConfig([
      'version: 1',
      'labels:',
      '  - {name: PER, color: "#FF0000", key: 1, description: Personne}',
      '  - GPE',
      'overlap: forbid',
      'articles: ["corpus/**/*.txt", "*.md"]',
      'exclude: drafts/**',
    ].join('\n'));
    assert.deepEqual(problems, []);
    assert.deepEqual(config.labels[0], { name: 'PER', color: '#ff0000', key: 1, description: 'Personne' });
    assert.equal(config.labels[1]?.name, 'GPE');
    assert.match(config.labels[1]?.color ?? '', /^#[0-9a-f]{6}$/);
    assert.equal(config.overlap, 'forbid');
    assert.deepEqual(config.articles, ['corpus/**/*.txt', '*.md']);
    assert.deepEqual(config.exclude, ['drafts/**']);
  });

  it('reports each problem at its line and keeps the rest', () => {
    const { config, problems } = readConfig([
      'labels:',
      '  - {name: PER, key: 1}',
      '  - {name: ORG, key: 1}',
      '  - {name: PER}',
      '  - {name: LOC, color: blue}',
      'overlap: maybe',
      'colour: red',
    ].join('\n'));
    assert.deepEqual(problems.map((p) => p.line), [3, 4, 5, 6, 7]);
    assert.match(problems[0]?.message ?? '', /key 1 is given to both "PER" and "ORG"/);
    assert.match(problems[1]?.message ?? '', /"PER" is defined twice/);
    assert.match(problems[2]?.message ?? '', /quoted hex colour/);
    assert.match(problems[3]?.message ?? '', /`overlap` must be one of allow, nested, forbid/);
    assert.match(problems[4]?.message ?? '', /unknown key `colour`/);
    assert.deepEqual(config.labels.map((l) => l.name), ['PER', 'ORG', 'LOC']);
    assert.equal(config.overlap, DEFAULT_CONFIG.overlap);
  });

  it('reports YAML syntax errors and falls back to the defaults', () => {
    const { config, problems } = readConfig('labels: [PER\n');
    assert.equal(problems[0]?.code, 'yaml-syntax');
    assert.equal(config.labels.length, DEFAULT_CONFIG.labels.length);
  });
});

describe('suggestions: in the label configuration', () => {
  it('defaults to no sources, matching case- and accent-insensitively, whole words', () => {
    const { config } = readConfig('');
    assert.deepEqual(suggestionsConfig(config), { gazetteers: [], patterns: [], match: { caseSensitive: false, diacriticSensitive: false, wholeWord: true } });
    assert.deepEqual(suggestionsConfig({ ...DEFAULT_CONFIG, suggestions: undefined }), DEFAULT_SUGGESTIONS);
    assert.deepEqual(readConfig('suggestions:\n').problems, []);
  });

  it('reads gazetteers, patterns (a path or a list) and match options', () => {
    const { config, problems } = readConfig([
      'suggestions:',
      '  gazetteers: [names.tsv, lists/places.tsv]',
      '  patterns: patterns.yaml',
      '  match: {caseSensitive: true, wholeWord: false}',
    ].join('\n'));
    assert.deepEqual(problems, []);
    assert.deepEqual(config.suggestions, {
      gazetteers: ['names.tsv', 'lists/places.tsv'],
      patterns: ['patterns.yaml'],
      match: { caseSensitive: true, diacriticSensitive: false, wholeWord: false },
    });
  });

  it('reports each mistake at its line', () => {
    const { config, problems } = readConfig([
      'suggestions:',                          // 1
      '  gazeteers: [names.tsv]',              // 2 unknown key
      '  patterns: [1, ""]',                   // 3 not paths
      '  match: {caseSensitive: yes, fuzzy: true}', // 4 not a boolean (YAML 1.2: yes is text), unknown option
    ].join('\n'));
    assert.deepEqual(problems.map((p) => p.line), [2, 3, 4, 4]);
    assert.match(problems[0]?.message ?? '', /unknown key `gazeteers` in `suggestions`; known: gazetteers, patterns, match/);
    assert.match(problems[1]?.message ?? '', /`suggestions.patterns` must be a file path or a list of them/);
    assert.match(problems[2]?.message ?? '', /`suggestions.match.caseSensitive` must be true or false/);
    assert.match(problems[3]?.message ?? '', /unknown key `fuzzy` in `suggestions.match`/);
    assert.deepEqual(config.suggestions?.patterns, []);
    assert.match(readConfig('suggestions: [a.tsv]\n').problems[0]?.message ?? '', /`suggestions` must be a mapping/);
  });

  it('the demo corpus configuration lists its example gazetteer and patterns', () => {
    const src = fs.readFileSync(path.join(DEMO_CORPUS, '.corpus-annotator.yaml'), 'utf8');
    const { config, problems } = readConfig(src);
    assert.deepEqual(problems, []);
    assert.deepEqual(config.suggestions?.gazetteers, ['gazetteer.tsv']);
    assert.deepEqual(config.suggestions?.patterns, ['patterns.yaml']);
    for (const f of [...(config.suggestions?.gazetteers ?? []), ...(config.suggestions?.patterns ?? [])]) assert.ok(fs.existsSync(path.join(DEMO_CORPUS, f)), f);
  });
});

describe('globs', () => {
  it('matches like VS Code globs for the common forms', () => {
    assert.ok(matchesGlobs('a.txt', ['**/*.txt']));
    assert.ok(matchesGlobs('x/y/a.txt', ['**/*.txt']));
    assert.ok(!matchesGlobs('x/a.txt.ann.yaml', ['**/*.txt']));
    assert.ok(matchesGlobs('corpus/2024/a.md', ['corpus/**/*.{txt,md}']));
    assert.ok(!matchesGlobs('node_modules/p/a.txt', ['**/*.txt'], ['**/node_modules/**']));
    assert.ok(matchesGlobs('a1.txt', ['a?.txt']));
    assert.ok(matchesGlobs('b.txt', ['[ab].txt']));
    assert.ok(!matchesGlobs('sub/a.txt', ['*.txt']));
    assert.ok(globToRegExp('a.b+c(d).txt').test('a.b+c(d).txt'));
  });
});
