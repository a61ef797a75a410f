// The JSON Schemas in schemas/ are what YAML editors check sidecars and the configuration
// against: they must accept what the reader accepts and reject the structural errors it rejects.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { DEFAULT_CONFIG, readConfig } from '../../src/core/config/config';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { REPO_ROOT } from './helpers/corpus';

const schema = (name: string) => JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'schemas', name), 'utf8'));
const ajv = new Ajv({ allErrors: true });
const sidecarValid = ajv.compile(schema('sidecar.schema.json'));
const configValid = ajv.compile(schema('config.schema.json'));

describe('JSON Schemas agree with the readers', () => {
  const canonical = writeSidecar({
    version: 1, document: 'a.txt', sha256: 'c'.repeat(64), status: 'done',
    entities: [{ id: 'a1', label: 'PER', start: 0, end: 6, text: 'Laftit', note: 'n', attrs: { kb: 'wikidata:Q1' }, by: 'me', src: 'manual' }],
  });
  const structural = [
    'version: 1\nentities:\n  - {id: a, lable: PER, start: 0, end: 1, text: x}\n',
    'version: 1\nentities:\n  - {id: a, label: PER, start: -1, end: 1, text: x}\n',
    'version: 1\nentities:\n  - {id: a, label: PER, start: 1.5, end: 3, text: x}\n',
    'version: 1\nentities:\n  - {id: a, label: PER, start: 0, end: 1}\n',
    'version: 1\nstatus: finished\n',
    'version: 1\nsha256: xyz\n',
    'version: 2\n',
    'document: a.txt\n',
    'version: 1\nextra: 1\n',
    'version: 1\nentities:\n  - {id: "a b", label: PER, start: 0, end: 1, text: x}\n',
  ];

  it('accepts a canonical sidecar and the hand-written forms the reader accepts', () => {
    assert.ok(sidecarValid(parse(canonical)), JSON.stringify(sidecarValid.errors));
    assert.deepEqual(readSidecar(canonical).problems, []);
    for (const demo of fs.readdirSync(path.join(REPO_ROOT, 'examples', 'corpus')).filter((f) => f.endsWith('.ann.yaml'))) {
      const src = fs.readFileSync(path.join(REPO_ROOT, 'examples', 'corpus', demo), 'utf8');
      assert.ok(sidecarValid(parse(src)), `${demo}: ${JSON.stringify(sidecarValid.errors)}`);
    }
  });

  for (const src of structural) {
    it(`rejects, like the reader: ${JSON.stringify(src.split('\n').slice(-2)[0])}`, () => {
      assert.equal(sidecarValid(parse(src)), false);
      assert.equal(readSidecar(src).sidecar, undefined);
    });
  }

  it('accepts the default configuration and rejects what readConfig rejects', () => {
    assert.ok(configValid({ version: 1, ...DEFAULT_CONFIG }), JSON.stringify(configValid.errors));
    const bad = [
      'labels: []\n', 'labels:\n  - {name: PER, key: 12}\n', 'labels:\n  - {name: PER, color: red}\n', 'overlap: sometimes\n', 'colour: 1\n',
      'suggestions: {gazeteers: [a.tsv]}\n', 'suggestions: {patterns: [1]}\n', 'suggestions: {match: {caseSensitive: "no"}}\n',
      'suggestions: {match: {fuzzy: true}}\n', 'suggestions: [a.tsv]\n',
    ];
    const good = ['suggestions:\n', 'suggestions: {gazetteers: a.tsv, patterns: [p.yaml], match: {caseSensitive: true, diacriticSensitive: false, wholeWord: true}}\n'];
    for (const src of good) {
      assert.ok(configValid(parse(src)), `${src}: ${JSON.stringify(configValid.errors)}`);
      assert.deepEqual(readConfig(src).problems, [], src);
    }
    const demo = fs.readFileSync(path.join(REPO_ROOT, 'examples', 'corpus', '.corpus-annotator.yaml'), 'utf8');
    assert.ok(configValid(parse(demo)), JSON.stringify(configValid.errors));
    for (const src of bad) {
      assert.equal(configValid(parse(src)), false, src);
      assert.ok(readConfig(src).problems.length > 0, src);
    }
  });
});
