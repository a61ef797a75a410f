// Merges that must never lose annotations (issue 15, item 1): a side whose sidecar was emptied (0
// bytes, blank, or reduced to a header with `entities: []`) while the other side changed entities.
import { strict as assert } from 'node:assert';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { mergeSidecars, splitConflictMarkers } from '../../src/core/review/merge';
import { Entity, Sidecar, Status } from '../../src/core/model/model';
import { sha256Hex } from '../../src/core/model/sha256';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { cli } from './helpers/cli';
import { tempDirs } from './helpers/tmp';

const TEXT = 'Abdellatif Hammouchi a reçu Interpol à Rabat le 3 mars 2025.\n';
const SHA = sha256Hex(Buffer.from(TEXT, 'utf8'));

function e(id: string, label: string, surface: string): Entity {
  const start = TEXT.indexOf(surface);
  return { id, label, start, end: start + surface.length, text: surface };
}
const HAMMOUCHI = e('aper01', 'PER', 'Abdellatif Hammouchi');
const INTERPOL = e('borg02', 'ORG', 'Interpol');
const RABAT = e('cloc03', 'LOC', 'Rabat');
const DATE = e('ddat04', 'DATE', '3 mars 2025');

function sc(entities: Entity[], status: Status = 'in-progress'): Sidecar {
  return { version: 1, document: 'a.txt', sha256: SHA, status, entities };
}
const { makeTree } = tempDirs('merge-safety');

describe('merging an emptied sidecar never deletes what the other side kept (issue 15, item 1)', () => {
  const base = sc([HAMMOUCHI, INTERPOL, RABAT]);

  it('a header with `entities: []` on one side, entity changes on the other: a conflict for every entity the empty side deleted', () => {
    for (const [ours, theirs, emptied] of [[sc([]), sc([HAMMOUCHI, INTERPOL, RABAT, DATE]), 'ours'], [sc([HAMMOUCHI, INTERPOL, RABAT, DATE]), sc([]), 'theirs']] as const) {
      const r = mergeSidecars({ base, ours, theirs });
      assert.deepEqual(r.conflicts.map((c) => c.id), ['aper01', 'borg02', 'cloc03'], emptied);
      for (const c of r.conflicts) {
        assert.match(c.reason, new RegExp(`deleted by ${emptied}, which deleted every entity, while ${emptied === 'ours' ? 'theirs' : 'ours'} changed entities`));
        assert.equal(c[emptied].length, 0);
        assert.equal(c[emptied === 'ours' ? 'theirs' : 'ours'].length, 1);
      }
      // the other side's addition is kept: nobody removed it
      assert.deepEqual(r.sidecar.entities.map((x) => x.id), ['ddat04']);
    }
  });

  it('… but when the other side changed no entity, deleting them all is a clean merge', () => {
    const r = mergeSidecars({ base, ours: sc([]), theirs: sc([HAMMOUCHI, INTERPOL, RABAT], 'done') });
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(r.sidecar.entities, []);
  });

  for (const [what, blank] of [['0 bytes', ''], ['blank', '\n  \n']] as const) {
    it(`merge-driver: ours ${what}, theirs added an entity: a conflict (exit 1) with markers holding every entity, never a clean deletion`, async () => {
      const root = await makeTree({ 'O': writeSidecar(base), 'A': blank, 'B': writeSidecar(sc([HAMMOUCHI, INTERPOL, RABAT, DATE])), 'a.txt': TEXT });
      const r = await cli(['merge-driver', 'O', 'A', 'B', 'a.txt.ann.yaml'], root);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^a\.txt\.ann\.yaml: cannot merge as sets of entities: ours is empty/);
      const out = await fsp.readFile(path.join(root, 'A'), 'utf8');
      const sides = splitConflictMarkers(out);
      assert.ok(sides && typeof sides !== 'string', out);
      assert.deepEqual(readSidecar(sides.theirs).sidecar?.entities.map((x) => x.id), ['aper01', 'borg02', 'cloc03', 'ddat04']);
      assert.deepEqual(readSidecar(sides.base ?? '').sidecar?.entities.map((x) => x.id), ['aper01', 'borg02', 'cloc03']);
      assert.deepEqual(readSidecar(out).problems.map((p) => p.code), ['merge-conflict'], 'validate reports it');
    });

    it(`merge-driver: theirs ${what}, ours unchanged: still a conflict (exit 1), ours' entities kept in the file`, async () => {
      const root = await makeTree({ 'O': writeSidecar(base), 'A': writeSidecar(base), 'B': blank, 'a.txt': TEXT });
      const r = await cli(['merge-driver', 'O', 'A', 'B', 'a.txt.ann.yaml'], root);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /theirs is empty/);
      const sides = splitConflictMarkers(await fsp.readFile(path.join(root, 'A'), 'utf8'));
      assert.ok(sides && typeof sides !== 'string');
      assert.deepEqual(readSidecar(sides.ours).sidecar?.entities.map((x) => x.id), ['aper01', 'borg02', 'cloc03']);
    });
  }

  it('merge-driver: an empty base ("no file yet") still merges 2-way', async () => {
    const root = await makeTree({ 'O': '', 'A': writeSidecar(sc([HAMMOUCHI])), 'B': writeSidecar(sc([RABAT])), 'a.txt': TEXT });
    const r = await cli(['merge-driver', 'O', 'A', 'B', 'a.txt.ann.yaml'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await fsp.readFile(path.join(root, 'A'), 'utf8'), writeSidecar(sc([HAMMOUCHI, RABAT])));
  });

  it('resolve on the markers of an emptied side: says which side is empty; --theirs keeps the other side whole', async () => {
    const root = await makeTree({ 'O': writeSidecar(base), 'a.txt.ann.yaml': '', 'B': writeSidecar(sc([HAMMOUCHI, INTERPOL, RABAT, DATE])), 'a.txt': TEXT });
    assert.equal((await cli(['merge-driver', 'O', 'a.txt.ann.yaml', 'B', 'a.txt.ann.yaml'], root)).code, 1);
    const list = await cli(['resolve', 'a.txt.ann.yaml'], root);
    assert.equal(list.code, 1);
    assert.match(list.stderr, /ours' version \(between <<<<<<< and =======\) is empty/);
    assert.match(list.stderr, /--theirs/);
    const ours = await cli(['resolve', '--ours', 'a.txt.ann.yaml'], root);
    assert.equal(ours.code, 1, 'an empty side is never written as the result');
    const r = await cli(['resolve', '--theirs', 'a.txt.ann.yaml'], root);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'), writeSidecar(sc([HAMMOUCHI, INTERPOL, RABAT, DATE])));
  });

  it('validate: an empty sidecar file is an error that says it is empty', async () => {
    const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': '', 'b.txt': TEXT, 'b.txt.ann.yaml': ' \n\n' });
    const r = await cli(['validate'], root);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^a\.txt\.ann\.yaml:1:1: error: this sidecar is empty \(0 bytes\)/m);
    assert.match(r.stdout, /^b\.txt\.ann\.yaml:1:1: error: this sidecar is empty \(blank\)/m);
  });
});
