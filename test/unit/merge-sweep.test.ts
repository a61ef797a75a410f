// The merge of entities added on both sides by a sweep (issue 14) against the quadratic definition
// it replaced (test/unit/helpers/merge-quadratic.ts), on generated inputs dense in shared spans,
// duplicates, nesting and crossings; and the merge driver's report beyond 20 lines.
import { strict as assert } from 'node:assert';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import fc from 'fast-check';
import { OVERLAP_POLICIES } from '../../src/core/config/config';
import { AddedPairing, mergeSidecars, pairAddedSweep } from '../../src/core/review/merge';
import { Entity, Sidecar } from '../../src/core/model/model';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { cli } from './helpers/cli';
import { seededProperties } from './helpers/fc';
import { pairAddedQuadratic } from './helpers/merge-quadratic';
import { tempDirs } from './helpers/tmp';

const PROPERTIES = seededProperties(20261204);
const { check } = PROPERTIES;

const LETTERS = 'abcdefghijklmnop'.split('');

/**
 * An entity on a short line of text; `suffix` keeps ours' and theirs' ids apart (0: an id both may
 * use). Dense: few spans and no note or attribute, so each side holds duplicates of its own too.
 */
const entityArb = (suffix: '0' | '1' | '2', dense: boolean): fc.Arbitrary<Entity> => fc.record({
  id: fc.constantFrom(...LETTERS).map((l) => l + suffix),
  label: dense ? fc.constant('PER') : fc.constantFrom('PER', 'ORG'),
  start: fc.nat(dense ? 3 : 24),
  length: fc.oneof({ weight: 12, arbitrary: fc.integer({ min: 1, max: dense ? 2 : 6 }) }, { weight: 1, arbitrary: fc.constant(0) }),
  otherText: fc.oneof({ weight: 15, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
  note: dense ? fc.constant(undefined) : fc.option(fc.constantFrom('n1', 'n2'), { nil: undefined, freq: 3 }),
  by: fc.option(fc.constantFrom('alice', 'bob'), { nil: undefined }),
  kb: dense ? fc.constant(undefined) : fc.option(fc.constantFrom('Q1', 'Q2'), { nil: undefined, freq: 4 }),
}).map(({ id, label, start, length, otherText, note, by, kb }) => {
  const e: Entity = { id, label, start, end: start + length, text: otherText ? `other ${start}` : `t${start}-${start + length}` };
  if (note !== undefined) e.note = note;
  if (kb !== undefined) e.attrs = { kb };
  if (by !== undefined) e.by = by;
  return e;
});
const entities = (suffix: '0' | '1' | '2', max: number, dense: boolean) => fc.uniqueArray(entityArb(suffix, dense), { selector: (e) => e.id, maxLength: max });

const sidecar = (list: Entity[]): Sidecar => ({ version: 1, document: 'a.txt', status: 'todo', entities: list });

const inputArb = fc.boolean().chain((dense) => fc.record({
  base: fc.option(entities('0', 5, dense), { nil: undefined }),
  ours: fc.tuple(entities('1', 14, dense), entities('0', 4, dense)).map(([a, b]) => [...a, ...b]),
  theirs: fc.tuple(entities('2', 14, dense), entities('0', 4, dense)).map(([a, b]) => [...a, ...b]),
  overlap: fc.constantFrom(...OVERLAP_POLICIES),
}));

/** A pairing as comparable values: which entities were dropped, the notes in order, the clashes as a set. */
function comparable(p: AddedPairing) {
  return {
    dropped: [...p.dropped].map((e) => e.id).sort(),
    notes: p.notes,
    clashes: p.clashes.map(([a, c, why]) => `${a.id}|${c.id}|${why}`).sort(),
  };
}

describe(`merge of entities added on both sides: the sweep equals the quadratic definition (fast-check, ${PROPERTIES.title})`, () => {
  it('the same duplicates dropped, the same notes in the same order, the same clashes', () => {
    check(fc.property(inputArb, ({ ours, theirs, overlap }) => {
      const byId = (list: Entity[]) => [...list].sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
      assert.deepEqual(comparable(pairAddedSweep(byId(ours), byId(theirs), overlap)), comparable(pairAddedQuadratic(byId(ours), byId(theirs), overlap)));
    }), 3000);
  });

  it('the same merge: sidecar, conflicts (ids, reasons in order, both sides), notes', () => {
    check(fc.property(inputArb, ({ base, ours, theirs, overlap }) => {
      const input = { base: base === undefined ? undefined : sidecar(base), ours: sidecar(ours), theirs: sidecar(theirs), overlap };
      assert.deepEqual(mergeSidecars(input), mergeSidecars(input, pairAddedQuadratic));
    }), 3000);
  });

  it('one wide entity against many: every clash is found, the group reasons listed ours by theirs in canonical order', () => {
    const wide: Entity = { id: 'zz0001', label: 'EVENT', start: 0, end: 1000, text: 'w' };
    const many: Entity[] = Array.from({ length: 300 }, (_, i) => ({ id: `a${String(i).padStart(4, '0')}`, label: 'PER', start: 3 * i + 1, end: 3 * i + 1002, text: 'x' }));
    const input = { base: sidecar([]), ours: sidecar([wide]), theirs: sidecar(many), overlap: 'nested' as const };
    const r = mergeSidecars(input);
    assert.deepEqual(r, mergeSidecars(input, pairAddedQuadratic));
    assert.equal(r.conflicts.length, 1);
    assert.equal(r.conflicts[0]?.theirs.length, 300);
  });
});

const { makeTree } = tempDirs('merge-sweep');

describe('merge-driver report', () => {
  it('beyond 20 conflicts or notes, a summary instead of a line each (the sidecar still lists every conflict)', async () => {
    const text = 'x'.repeat(400);
    const mk = (id: string, label: string, start: number): Entity => ({ id, label, start, end: start + 2, text: 'xx' });
    const ours = Array.from({ length: 60 }, (_, i) => mk(`a${String(i).padStart(3, '0')}`, 'PER', 4 * i));
    const theirs = ours.map((x, i) => (i < 30 ? { ...x, id: `b${x.id.slice(1)}`, label: 'ORG' } : { ...x, id: `b${x.id.slice(1)}` }));
    const sc = (list: Entity[]) => writeSidecar({ version: 1, document: 'a.txt', status: 'todo', entities: list });
    const root = await makeTree({ 'O': sc([]), 'A': sc(ours), 'B': sc(theirs), 'a.txt': text });
    const r = await cli(['merge-driver', 'O', 'A', 'B', 'a.txt.ann.yaml'], root);
    assert.equal(r.code, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.ok(lines.length <= 50, `${lines.length} lines:\n${r.stderr}`);
    assert.match(r.stderr, /^a\.txt\.ann\.yaml: note: PER «xx» 120-122 was added on both sides/m);
    assert.match(r.stderr, /^a\.txt\.ann\.yaml: … and 10 more notes like these \(30 in all\)/m);
    assert.match(r.stderr, /^a\.txt\.ann\.yaml: 30 annotation conflicts, kept under `conflicts:`/m);
    assert.match(r.stderr, /^ {2}… and 10 more conflicts: see `conflicts:` in the file, or `corpus-annotator resolve a\.txt\.ann\.yaml`/m);
    const out = await fsp.readFile(path.join(root, 'A'), 'utf8');
    assert.equal(out.match(/^ {2}- id: /gm)?.length, 30);
  });
});
