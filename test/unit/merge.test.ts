// Semantic merge of sidecars (src/core/review/merge.ts) and the commands built on it, run in-process:
// `merge-driver` on three temporary files, `resolve` on conflicted sidecars and raw git markers.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { Conflict, mergeSidecars, readConflictedSidecar, resolveConflicts, splitConflictMarkers, writeConflictedSidecar } from '../../src/core/review/merge';
import { Entity, Sidecar, Status } from '../../src/core/model/model';
import { sha256Hex } from '../../src/core/model/sha256';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { cli } from './helpers/cli';
import { tempDirs } from './helpers/tmp';

// 0         1         2         3         4         5         6
// 0123456789012345678901234567890123456789012345678901234567890123
const TEXT = 'Abdellatif Hammouchi a reçu Interpol à Rabat le 3 mars 2025.\n';
const SHA = sha256Hex(Buffer.from(TEXT, 'utf8'));

function e(id: string, label: string, surface: string, extra: Partial<Entity> = {}): Entity {
  const start = TEXT.indexOf(surface);
  if (start < 0) throw new Error(surface);
  return { id, label, start, end: start + surface.length, text: surface, ...extra };
}

const HAMMOUCHI = e('aper01', 'PER', 'Abdellatif Hammouchi');
const INTERPOL = e('borg02', 'ORG', 'Interpol');
const RABAT = e('cloc03', 'LOC', 'Rabat');
const DATE = e('ddat04', 'DATE', '3 mars 2025');

function sc(entities: Entity[], status: Status = 'in-progress', sha256: string | undefined = SHA): Sidecar {
  const s: Sidecar = { version: 1, document: 'a.txt', status, entities };
  if (sha256 !== undefined) s.sha256 = sha256;
  return s;
}

const ids = (s: Sidecar) => s.entities.map((x) => `${x.id}:${x.label}`);

describe('semantic merge of sidecars', () => {
  const base = sc([HAMMOUCHI, INTERPOL]);

  it('keeps the entities added on each side (the union), in canonical order', () => {
    const r = mergeSidecars({ base, ours: sc([HAMMOUCHI, INTERPOL, RABAT]), theirs: sc([HAMMOUCHI, INTERPOL, DATE]) });
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(ids(r.sidecar), ['aper01:PER', 'borg02:ORG', 'cloc03:LOC', 'ddat04:DATE']);
    assert.deepEqual(r.notes, []);
  });

  it('deletes an entity deleted on one side and unchanged on the other; keeps a one-sided change', () => {
    const relabelled = { ...INTERPOL, label: 'MISC' };
    const r = mergeSidecars({ base, ours: sc([INTERPOL]), theirs: sc([HAMMOUCHI, relabelled]) });
    assert.deepEqual(r.conflicts, []);
    assert.deepEqual(ids(r.sidecar), ['borg02:MISC']);
  });

  it('accepts the same change made on both sides, and merges changes to different fields', () => {
    const relabel = { ...INTERPOL, label: 'MISC' };
    const noted = { ...INTERPOL, note: 'police' };
    const same = mergeSidecars({ base, ours: sc([HAMMOUCHI, relabel]), theirs: sc([HAMMOUCHI, relabel]) });
    assert.deepEqual([same.conflicts, ids(same.sidecar)], [[], ['aper01:PER', 'borg02:MISC']]);
    const fields = mergeSidecars({ base, ours: sc([HAMMOUCHI, relabel]), theirs: sc([HAMMOUCHI, noted]) });
    assert.deepEqual(fields.conflicts, []);
    assert.deepEqual(fields.sidecar.entities[1], { ...INTERPOL, label: 'MISC', note: 'police' });
    // a boundary fix on one side, a relabel on the other
    const shorter = { ...HAMMOUCHI, start: 11, text: 'Hammouchi' };
    const org = { ...HAMMOUCHI, label: 'ORG' };
    const both = mergeSidecars({ base, ours: sc([shorter, INTERPOL]), theirs: sc([org, INTERPOL]) });
    assert.deepEqual(both.sidecar.entities[0], { ...shorter, label: 'ORG' });
  });

  it('reports a conflict when an entity is changed differently on both sides', () => {
    const r = mergeSidecars({ base, ours: sc([{ ...HAMMOUCHI, label: 'ORG' }, INTERPOL]), theirs: sc([{ ...HAMMOUCHI, label: 'MISC' }, INTERPOL]) });
    assert.deepEqual(ids(r.sidecar), ['borg02:ORG'], 'the conflicting entity is only under conflicts');
    assert.equal(r.conflicts.length, 1);
    const c = r.conflicts[0] as Conflict;
    assert.equal(c.id, 'aper01');
    assert.equal(c.reason, 'changed differently on both sides: label (ours ORG, theirs MISC)');
    assert.deepEqual(c.ours.map((x) => x.label), ['ORG']);
    assert.deepEqual(c.theirs.map((x) => x.label), ['MISC']);
  });

  it('reports a conflict when one side deletes what the other changed', () => {
    const r = mergeSidecars({ base, ours: sc([HAMMOUCHI]), theirs: sc([HAMMOUCHI, { ...INTERPOL, label: 'LOC' }]) });
    assert.equal(r.conflicts.length, 1);
    assert.match(r.conflicts[0]?.reason ?? '', /^deleted by ours, changed by theirs \(label ORG → LOC\)$/);
    assert.deepEqual(r.conflicts[0]?.ours, []);
  });

  it('keeps once the same entity tagged on both sides under different ids (the smaller id), in both directions', () => {
    const mine = { ...RABAT, id: 'zz0001', by: 'alice' };
    const yours = { ...RABAT, id: 'kk0002', by: 'bob' };
    for (const [ours, theirs] of [[mine, yours], [yours, mine]] as const) {
      const r = mergeSidecars({ base, ours: sc([HAMMOUCHI, INTERPOL, ours]), theirs: sc([HAMMOUCHI, INTERPOL, theirs]) });
      assert.deepEqual(r.conflicts, []);
      assert.deepEqual(ids(r.sidecar), ['aper01:PER', 'borg02:ORG', 'kk0002:LOC']);
      assert.match(r.notes[0] as string, /added on both sides .* kept once, as kk0002/);
    }
  });

  it('reports the same span tagged with different labels on both sides as a conflict, whatever the policy', () => {
    const loc = { ...RABAT, id: 'xx0001' };
    const org = { ...RABAT, id: 'yy0002', label: 'ORG' };
    const r = mergeSidecars({ base, ours: sc([HAMMOUCHI, INTERPOL, loc]), theirs: sc([HAMMOUCHI, INTERPOL, org]), overlap: 'allow' });
    assert.equal(r.conflicts.length, 1);
    assert.equal(r.conflicts[0]?.id, 'xx0001+yy0002');
    assert.equal(r.conflicts[0]?.reason, 'the same span «Rabat» 39-44 tagged LOC by ours and ORG by theirs');
    assert.deepEqual(ids(r.sidecar), ['aper01:PER', 'borg02:ORG']);
  });

  it('applies the overlap policy to entities newly added on both sides', () => {
    // ours: «Hammouchi a reçu» (crossing nothing of its own), theirs: «reçu Interpol» — they cross at «reçu»
    const crossA = e('xa0001', 'MISC', 'Hammouchi a reçu');
    const crossB = e('xb0002', 'EVENT', 'reçu Interpol');
    const nestedOuter = e('xc0003', 'EVENT', 'Rabat le 3 mars');
    const nestedInner = e('xd0004', 'LOC', 'Rabat');
    const bare = sc([]);
    const nested = mergeSidecars({ base: bare, ours: sc([crossA, nestedOuter]), theirs: sc([crossB, nestedInner]), overlap: 'nested' });
    assert.deepEqual(nested.conflicts.map((c) => c.id), ['xa0001+xb0002'], 'crossing is forbidden by nested, nesting is not');
    assert.match(nested.conflicts[0]?.reason ?? '', /overlap: MISC «Hammouchi a reçu» 11-27 \(ours\) and EVENT «reçu Interpol» 23-36 \(theirs\), which the overlap policy "nested" forbids/);
    assert.deepEqual(ids(nested.sidecar), ['xd0004:LOC', 'xc0003:EVENT']);
    const forbid = mergeSidecars({ base: bare, ours: sc([crossA, nestedOuter]), theirs: sc([crossB, nestedInner]), overlap: 'forbid' });
    assert.deepEqual(forbid.conflicts.map((c) => c.id), ['xa0001+xb0002', 'xc0003+xd0004']);
    const allow = mergeSidecars({ base: bare, ours: sc([crossA, nestedOuter]), theirs: sc([crossB, nestedInner]), overlap: 'allow' });
    assert.deepEqual(allow.conflicts, []);
    assert.equal(allow.sidecar.entities.length, 4);
  });

  it('groups entities clashing with each other into one conflict', () => {
    const wide = e('ow0001', 'ORG', 'Hammouchi a reçu Interpol');
    const left = e('tl0002', 'PER', 'Abdellatif Hammouchi');
    const right = e('tr0003', 'ORG', 'Interpol à Rabat');
    const r = mergeSidecars({ base: sc([]), ours: sc([wide]), theirs: sc([left, right]), overlap: 'nested' });
    assert.equal(r.conflicts.length, 1);
    assert.deepEqual([r.conflicts[0]?.ours.map((x) => x.id), r.conflicts[0]?.theirs.map((x) => x.id)], [['ow0001'], ['tl0002', 'tr0003']]);
    assert.deepEqual(resolveConflicts(r.sidecar, r.conflicts, 'theirs').entities.map((x) => x.id), ['tl0002', 'tr0003']);
    assert.deepEqual(resolveConflicts(r.sidecar, r.conflicts, 'ours').entities.map((x) => x.id), ['ow0001']);
  });

  describe('status', () => {
    it('is merged 3-way: a change on one side wins', () => {
      assert.equal(mergeSidecars({ base: sc([], 'in-progress'), ours: sc([], 'in-progress'), theirs: sc([], 'todo') }).sidecar.status, 'todo');
      assert.equal(mergeSidecars({ base: sc([], 'in-progress'), ours: sc([], 'reviewed'), theirs: sc([], 'in-progress') }).sidecar.status, 'reviewed');
    });
    it('changed differently on both sides: the less advanced, with a note (never a conflict)', () => {
      const r = mergeSidecars({ base: sc([], 'in-progress'), ours: sc([], 'reviewed'), theirs: sc([], 'done') });
      assert.equal(r.sidecar.status, 'done');
      assert.deepEqual(r.conflicts, []);
      assert.deepEqual(r.notes, ['status differs (ours reviewed, theirs done): kept the less advanced, done']);
    });
  });

  describe('sha256 (which article version the offsets belong to)', () => {
    const OLD = 'a'.repeat(64);
    const NEW = 'b'.repeat(64);
    const OTHER = 'c'.repeat(64);
    it('both sides agree: kept', () => {
      assert.equal(mergeSidecars({ base: sc([HAMMOUCHI], 'todo', OLD), ours: sc([HAMMOUCHI], 'todo', NEW), theirs: sc([HAMMOUCHI], 'todo', NEW) }).sidecar.sha256, NEW);
    });
    it('one side re-anchored to a new article, the other changed no entity: the new hash, no note', () => {
      const moved = { ...HAMMOUCHI, start: 1, end: 21 };
      const r = mergeSidecars({ base: sc([HAMMOUCHI], 'todo', OLD), ours: sc([HAMMOUCHI], 'in-progress', OLD), theirs: sc([moved], 'todo', NEW) });
      assert.equal(r.sidecar.sha256, NEW);
      assert.deepEqual(r.sidecar.entities, [moved]);
      assert.deepEqual(r.notes, []);
    });
    it('one side re-anchored, the other added entities against the old text: merged, the older hash kept, a note', () => {
      const moved = { ...HAMMOUCHI, start: 1, end: 21 };
      const r = mergeSidecars({ base: sc([HAMMOUCHI], 'todo', OLD), ours: sc([HAMMOUCHI, RABAT], 'todo', OLD), theirs: sc([moved], 'todo', NEW) });
      assert.equal(r.sidecar.sha256, OLD);
      assert.deepEqual(r.sidecar.entities.map((x) => x.id), ['aper01', 'cloc03']);
      assert.deepEqual(r.conflicts, []);
      assert.match(r.notes[0] as string, /different versions of the article .* sha256 kept at the common ancestor's \(aaaaaaaaaaaa…\), so `corpus-annotator validate` checks every entity/);
    });
    it('both sides changed the article differently: the base hash; no base: ours', () => {
      assert.equal(mergeSidecars({ base: sc([], 'todo', OLD), ours: sc([RABAT], 'todo', NEW), theirs: sc([DATE], 'todo', OTHER) }).sidecar.sha256, OLD);
      assert.equal(mergeSidecars({ ours: sc([RABAT], 'todo', NEW), theirs: sc([DATE], 'todo', OTHER) }).sidecar.sha256, NEW);
    });
  });

  it('2-way (no base): the union by id; the same id with different content is a conflict', () => {
    const r = mergeSidecars({ ours: sc([HAMMOUCHI, INTERPOL]), theirs: sc([HAMMOUCHI, { ...INTERPOL, label: 'LOC' }, RABAT]) });
    assert.deepEqual(ids(r.sidecar), ['aper01:PER', 'cloc03:LOC']);
    assert.equal(r.conflicts[0]?.reason, 'added on both sides with the same id but a different label (ours ORG, theirs LOC)');
  });
});

describe('the conflicted sidecar', () => {
  const result = mergeSidecars({
    base: sc([HAMMOUCHI, INTERPOL]),
    ours: sc([{ ...HAMMOUCHI, label: 'ORG' }]),
    theirs: sc([{ ...HAMMOUCHI, label: 'MISC' }, { ...INTERPOL, note: 'changed' }, RABAT]),
  });
  const text = writeConflictedSidecar(result.sidecar, result.conflicts);

  it('is valid YAML, canonical sidecar first, then a commented `conflicts:` list with both sides as entity lines', () => {
    assert.equal(text, writeSidecar(result.sidecar)
      + '# Unresolved annotation conflicts left by a merge: the sidecar is not used until they are resolved.\n'
      + '# Keep one side of each: corpus-annotator resolve --ours (or --theirs) <this file>; or by hand, move the\n'
      + '# entity lines you keep into `entities:` and delete the item (and `conflicts:` once empty).\n'
      + 'conflicts:\n'
      + '  - id: aper01\n'
      + '    reason: "changed differently on both sides: label (ours ORG, theirs MISC)"\n'
      + '    ours:\n'
      + '      - {id: aper01, label: ORG, start: 0, end: 20, text: "Abdellatif Hammouchi"}\n'
      + '    theirs:\n'
      + '      - {id: aper01, label: MISC, start: 0, end: 20, text: "Abdellatif Hammouchi"}\n'
      + '  - id: borg02\n'
      + '    reason: "deleted by ours, changed by theirs (note none → \\"changed\\")"\n'
      + '    ours: []\n'
      + '    theirs:\n'
      + '      - {id: borg02, label: ORG, start: 28, end: 36, text: "Interpol", note: "changed"}\n');
  });

  it('is reported by the reader as one error per conflict, at its line, pointing to resolve', () => {
    const r = readSidecar(text);
    assert.equal(r.sidecar, undefined, 'not used until resolved');
    const lines = text.split('\n');
    assert.deepEqual(r.problems.map((p) => [p.code, p.line]), [
      ['unresolved-conflict', lines.indexOf('  - id: aper01') + 1],
      ['unresolved-conflict', lines.indexOf('  - id: borg02') + 1],
    ]);
    assert.match(r.problems[0]?.message ?? '', /^unresolved annotation conflict on aper01 \(changed differently on both sides: label \(ours ORG, theirs MISC\)\); resolve with `corpus-annotator resolve --ours <this file>` or `--theirs`/);
  });

  it('reads back (settled part and conflicts) and resolves to either side', () => {
    const c = readConflictedSidecar(text);
    assert.deepEqual(c.problems, []);
    assert.deepEqual(c.sidecar, result.sidecar);
    assert.deepEqual(c.conflicts, result.conflicts);
    assert.deepEqual(ids(resolveConflicts(c.sidecar as Sidecar, c.conflicts, 'ours')), ['aper01:ORG', 'cloc03:LOC']);
    assert.deepEqual(ids(resolveConflicts(c.sidecar as Sidecar, c.conflicts, 'theirs')), ['aper01:MISC', 'borg02:ORG', 'cloc03:LOC']);
  });

  it('follows the JSON Schema (conflicts: id, reason, ours and theirs lists of entities)', () => {
    const schema = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../schemas/sidecar.schema.json'), 'utf8'));
    const valid = new Ajv({ allErrors: true }).compile(schema);
    assert.ok(valid(parse(text)), JSON.stringify(valid.errors));
    assert.equal(valid(parse(text.replace('    ours: []', '    ours: [{id: x}]'))), false);
  });

  it('an empty `conflicts:` is no error', () => {
    assert.deepEqual(readSidecar('version: 1\nentities: []\nconflicts: []\n').problems, []);
  });

  it('raw conflict markers: the reader points to resolve', () => {
    const r = readSidecar('version: 1\n<<<<<<< HEAD\nstatus: done\n=======\nstatus: todo\n>>>>>>> b\n');
    assert.equal(r.problems[0]?.code, 'merge-conflict');
    assert.match(r.problems[0]?.message ?? '', /resolve it with `corpus-annotator resolve <this file>`/);
  });
});

describe('splitting raw git conflict markers', () => {
  it('gives both sides (and the base with diff3 markers)', () => {
    const src = 'a\n<<<<<<< HEAD\nb\n||||||| base\nc\n=======\nd\n>>>>>>> x\ne\n';
    assert.deepEqual(splitConflictMarkers(src), { ours: 'a\nb\ne\n', theirs: 'a\nd\ne\n', base: 'a\nc\ne\n', hunks: 1, fileLines: { ours: [1, 3, 9], theirs: [1, 7, 9], base: [1, 5, 9] } });
    assert.deepEqual(splitConflictMarkers('a\n<<<<<<< HEAD\nb\n=======\n>>>>>>> x\n'), { ours: 'a\nb\n', theirs: 'a\n', hunks: 1, fileLines: { ours: [1, 3], theirs: [1], base: [1] } });
    assert.equal(splitConflictMarkers('a\nb\n'), undefined);
    assert.match(splitConflictMarkers('a\n<<<<<<< HEAD\nb\n') as string, /unbalanced/);
    assert.match(splitConflictMarkers('a\n=======\nb\n') as string, /outside a conflict/);
  });
});

// ---------------------------------------------------------------------------------------------
// The commands, in-process.

const { makeTree } = tempDirs('merge');

describe('corpus-annotator merge-driver', () => {
  const base = writeSidecar(sc([HAMMOUCHI, INTERPOL]));

  it('merges cleanly into OURS (canonical), exit 0', async () => {
    const root = await makeTree({
      'O': base, 'A': writeSidecar(sc([HAMMOUCHI, INTERPOL, RABAT])), 'B': writeSidecar(sc([INTERPOL, DATE], 'done')), 'a.txt': TEXT,
    });
    const r = await cli(['merge-driver', 'O', 'A', 'B', 'a.txt.ann.yaml'], root);
    assert.deepEqual([r.code, r.stdout, r.stderr], [0, '', '']);
    assert.equal(await fsp.readFile(path.join(root, 'A'), 'utf8'), writeSidecar(sc([INTERPOL, RABAT, DATE], 'done')));
  });

  it('uses the overlap policy of the nearest .corpus-annotator.yaml from PATH', async () => {
    const outer = e('ev0001', 'EVENT', 'Rabat le 3 mars');
    const files = { 'O': base, 'A': writeSidecar(sc([HAMMOUCHI, INTERPOL, outer])), 'B': writeSidecar(sc([HAMMOUCHI, INTERPOL, RABAT])) };
    const nested = await makeTree({ ...files, 'corpus/.corpus-annotator.yaml': 'version: 1\noverlap: nested\n' });
    assert.equal((await cli(['merge-driver', 'O', 'A', 'B', 'corpus/a.txt.ann.yaml'], nested)).code, 0);
    const forbid = await makeTree({ ...files, 'corpus/.corpus-annotator.yaml': 'version: 1\noverlap: forbid\n' });
    const r = await cli(['merge-driver', 'O', 'A', 'B', 'corpus/a.txt.ann.yaml'], forbid);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^corpus\/a\.txt\.ann\.yaml: 1 annotation conflict, kept under `conflicts:`/);
    assert.match(r.stderr, /ev0001\+cloc03: entities added on both sides nest: .* which the overlap policy "forbid" forbids/);
    assert.match(r.stderr, /resolve with: corpus-annotator resolve --ours corpus\/a\.txt\.ann\.yaml/);
  });

  it('on conflict writes a valid YAML sidecar with `conflicts:` and exits 1', async () => {
    const root = await makeTree({ 'O': base, 'A': writeSidecar(sc([{ ...HAMMOUCHI, label: 'ORG' }, INTERPOL])), 'B': writeSidecar(sc([{ ...HAMMOUCHI, label: 'LOC' }, INTERPOL])) });
    const r = await cli(['merge-driver', 'O', 'A', 'B', 'a.txt.ann.yaml'], root);
    assert.equal(r.code, 1);
    const out = await fsp.readFile(path.join(root, 'A'), 'utf8');
    const c = readConflictedSidecar(out);
    assert.deepEqual(c.conflicts.map((x) => x.id), ['aper01']);
    assert.deepEqual(readSidecar(out).problems.map((p) => p.code), ['unresolved-conflict']);
  });

  it('falls back to a line merge with diff3 markers when a side is not a valid sidecar', async () => {
    const root = await makeTree({ 'O': 'version: 1\nstatus: todo\n', 'A': 'version: [\nstatus: done\n', 'B': 'version: 1\nstatus: reviewed\n' });
    const r = await cli(['merge-driver', 'O', 'A', 'B', 'a.txt.ann.yaml'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /a\.txt\.ann\.yaml: cannot merge as sets of entities: ours is not a valid sidecar \(line \d+: YAML syntax error: .*\); merging as text instead/);
    assert.match(await fsp.readFile(path.join(root, 'A'), 'utf8'), /^<<<<<<< ours\n[^]*\|\|\|\|\|\|\| base\n[^]*=======\n[^]*>>>>>>> theirs\n$/);
  });

  it('usage errors exit 2', async () => {
    assert.equal((await cli(['merge-driver', 'O'], os.tmpdir())).code, 2);
  });
});

describe('corpus-annotator resolve', () => {
  const conflicted = () => {
    const r = mergeSidecars({ base: sc([HAMMOUCHI, INTERPOL]), ours: sc([{ ...HAMMOUCHI, label: 'ORG' }, INTERPOL]), theirs: sc([{ ...HAMMOUCHI, label: 'LOC' }, INTERPOL, RABAT]) });
    return writeConflictedSidecar(r.sidecar, r.conflicts);
  };

  it('without --ours/--theirs lists the conflicts and exits 1, changing nothing', async () => {
    const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': conflicted() });
    const r = await cli(['resolve', 'a.txt'], root);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, 'a.txt.ann.yaml: 1 unresolved conflict:\n'
      + '  aper01: changed differently on both sides: label (ours ORG, theirs LOC)\n'
      + '  choose a side: corpus-annotator resolve --ours a.txt.ann.yaml   (or --theirs)\n');
    assert.equal(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'), conflicted());
  });

  it('--theirs / --ours settle every conflict; the result validates', async () => {
    for (const [side, label] of [['--theirs', 'LOC'], ['--ours', 'ORG']] as const) {
      const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': conflicted() });
      const r = await cli(['resolve', side, 'a.txt.ann.yaml'], root);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, `a.txt.ann.yaml: 1 conflict resolved with ${side} (${side === '--ours' ? 'our' : 'their'} version kept)\n`);
      const text = await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8');
      assert.equal(text, writeSidecar(sc([{ ...HAMMOUCHI, label }, INTERPOL, RABAT])));
      assert.equal((await cli(['validate', '.'], root)).code, 0);
      assert.equal((await cli(['resolve', 'a.txt.ann.yaml'], root)).stdout, 'a.txt.ann.yaml: nothing to resolve\n');
    }
  });

  it('merges raw git markers 2-way as sets: union by id, differing ids become conflicts', async () => {
    // What git writes without the driver: the entity lines that differ, in one hunk.
    const raw = writeSidecar(sc([HAMMOUCHI, INTERPOL])).replace(
      /  - \{id: borg02.*\n/,
      (line) => '<<<<<<< HEAD\n' + line + '  - {id: cloc03, label: LOC, start: 39, end: 44, text: "Rabat"}\n'
        + '=======\n' + line.replace('ORG', 'MISC') + '  - {id: ddat04, label: DATE, start: 48, end: 59, text: "3 mars 2025"}\n>>>>>>> other\n',
    );
    const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': raw });
    assert.equal((await cli(['validate'], root)).code, 1);
    const r = await cli(['resolve', 'a.txt.ann.yaml'], root);
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^a\.txt\.ann\.yaml: merged both sides as sets of entities, 2-way \(union by id\), 1 conflict hunk; 1 conflict kept under `conflicts:`:\n  borg02: added on both sides with the same id but a different label \(ours ORG, theirs MISC\)\n/);
    const c = readConflictedSidecar(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'));
    assert.deepEqual(ids(c.sidecar as Sidecar), ['aper01:PER', 'cloc03:LOC', 'ddat04:DATE']);
    const fixed = await cli(['resolve', '--theirs', 'a.txt.ann.yaml'], root);
    assert.equal(fixed.code, 0);
    assert.equal(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'), writeSidecar(sc([HAMMOUCHI, { ...INTERPOL, label: 'MISC' }, RABAT, DATE])));
  });

  it('merges diff3 markers 3-way (a deletion on one side stays deleted)', async () => {
    const line = (x: Entity) => `  - {id: ${x.id}, label: ${x.label}, start: ${x.start}, end: ${x.end}, text: "${x.text}"}\n`;
    const head = writeSidecar(sc([])).replace('entities: []\n', 'entities:\n');
    const raw = head + line(HAMMOUCHI)
      + '<<<<<<< HEAD\n' + line(RABAT)
      + '||||||| base\n' + line(INTERPOL)
      + '=======\n' + line(INTERPOL) + line(DATE) + '>>>>>>> other\n';
    const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': raw });
    const r = await cli(['resolve', '--ours', 'a.txt.ann.yaml'], root);
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.match(r.stdout, /3-way \(the markers carry the base\), 1 conflict hunk: no conflict left \(3 entities\)/);
    assert.equal(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'), writeSidecar(sc([HAMMOUCHI, RABAT, DATE])));
  });

  it('says which side is broken when a side of the markers is not a sidecar', async () => {
    const root = await makeTree({ 'a.txt.ann.yaml': 'version: 1\n<<<<<<< HEAD\nstatus: [\n=======\nstatus: done\n>>>>>>> x\n' });
    const r = await cli(['resolve', 'a.txt.ann.yaml'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^a\.txt\.ann\.yaml: error: ours' version \(between <<<<<<< and =======\) is not a valid sidecar: line \d+: YAML syntax error/);
  });

  it('usage: --ours with --theirs, or no file, exit 2', async () => {
    assert.equal((await cli(['resolve', '--ours', '--theirs', 'x'], os.tmpdir())).code, 2);
    assert.equal((await cli(['resolve'], os.tmpdir())).code, 2);
  });
});
