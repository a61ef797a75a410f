// Duplicate entities (issue 15, item 7): the same span and label under different ids. validate warns;
// fmt --dedupe merges them into the older id, or refuses when that would lose a note or an attribute.
import { strict as assert } from 'node:assert';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { compareIdAge, dedupeSidecar } from '../../src/core/review/duplicates';
import { Entity, Sidecar } from '../../src/core/model/model';
import { sha256Hex } from '../../src/core/model/sha256';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { cli } from './helpers/cli';
import { tempDirs } from './helpers/tmp';

const TEXT = 'Abdellatif Hammouchi a reçu Interpol à Rabat.\n';
const at = (id: string, label: string, surface: string, extra: Partial<Entity> = {}): Entity => {
  const start = TEXT.indexOf(surface);
  return { id, label, start, end: start + surface.length, text: surface, ...extra };
};
const sc = (entities: Entity[]): Sidecar => ({ version: 1, document: 'a.txt', sha256: sha256Hex(Buffer.from(TEXT, 'utf8')), status: 'in-progress', entities });
const { makeTree } = tempDirs('duplicates');

describe('duplicate entities (issue 15, item 7)', () => {
  it('"older" is the smaller base36 id', () => {
    assert.ok(compareIdAge('e9', 'e10') < 0, 'e9 before e10 (not as strings)');
    assert.ok(compareIdAge('k3f9a2', 'b00000') > 0);
    assert.ok(compareIdAge('a00001', 'a00002') < 0);
    assert.equal(compareIdAge('x1', 'x1'), 0);
  });

  it('validate warns on each duplicate, at its line, naming the id kept; the exit status stays 0', async () => {
    const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': writeSidecar(sc([at('m00002', 'ORG', 'Interpol'), at('k00001', 'ORG', 'Interpol'), at('z00003', 'LOC', 'Interpol'), at('p00004', 'PER', 'Abdellatif Hammouchi')])) });
    const r = await cli(['validate'], root);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.stdout, 'a.txt.ann.yaml:10:1: warning: entity m00002 duplicates k00001: the same ORG «Interpol» 28-36; merge them with `corpus-annotator fmt --dedupe <this file>` (keeps k00001, the older id)\n');
  });

  it('fmt --dedupe keeps the older id with the others\' note and attributes; plain fmt leaves them', async () => {
    const entities = [
      at('m00002', 'ORG', 'Interpol', { note: 'police', by: 'bob', attrs: { kb: 'wikidata:Q1' } }),
      at('k00001', 'ORG', 'Interpol', { by: 'alice', suggested: true }),
      at('q00003', 'ORG', 'Interpol', { attrs: { canonical: 'Interpol' } }),
      at('p00004', 'PER', 'Abdellatif Hammouchi'),
    ];
    const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': writeSidecar(sc(entities)) });
    const plain = await cli(['fmt'], root);
    assert.equal(plain.code, 0);
    assert.equal(plain.stdout, '');
    const check = await cli(['fmt', '--check', '--dedupe'], root);
    assert.equal(check.code, 1);
    assert.equal(check.stdout, 'would reformat a.txt.ann.yaml (2 duplicate entities merged)\n');
    const r = await cli(['fmt', '--dedupe'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'reformatted a.txt.ann.yaml (2 duplicate entities merged)\n');
    assert.equal(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'), writeSidecar(sc([
      at('p00004', 'PER', 'Abdellatif Hammouchi'),
      at('k00001', 'ORG', 'Interpol', { note: 'police', by: 'alice', attrs: { kb: 'wikidata:Q1', canonical: 'Interpol' } }),
    ])));
    assert.equal((await cli(['validate'], root)).stdout, '');
  });

  it('fmt --dedupe refuses when merging would lose a note or an attribute value, and leaves the file untouched', async () => {
    for (const [a, b, why] of [
      [{ note: 'one' }, { note: 'two' }, /different notes \("one", "two"\)/],
      [{ attrs: { kb: 'wikidata:Q1' } }, { attrs: { kb: 'wikidata:Q2' } }, /different values of the attribute kb/],
    ] as const) {
      const text = writeSidecar(sc([at('k00001', 'ORG', 'Interpol', a), at('m00002', 'ORG', 'Interpol', b)]));
      const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': text });
      const r = await cli(['fmt', '--dedupe'], root);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^a\.txt\.ann\.yaml:1:1: error: duplicate entities not merged: k00001, m00002 \(the same ORG «Interpol» 28-36\) have /m);
      assert.match(r.stderr, why);
      assert.equal(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'), text);
    }
  });

  it('a suggestion duplicating an accepted entity merges into an accepted one', () => {
    const d = dedupeSidecar(sc([at('b00002', 'ORG', 'Interpol'), at('a00001', 'ORG', 'Interpol', { suggested: true, src: 'gazetteer' })]));
    assert.deepEqual(d.sidecar.entities, [at('a00001', 'ORG', 'Interpol', { src: 'gazetteer' })]);
    assert.equal(d.merged, 1);
  });
});
