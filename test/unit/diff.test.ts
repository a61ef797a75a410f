// Annotation diff (src/core/review/annotation-diff.ts) and `corpus-annotator diff` on directories and files
// (revisions are covered with real git in git.test.ts).
import { strict as assert } from 'node:assert';
import { countDiffs, diffEntities, diffSidecars, formatDocumentDiff, matchRenames, textconv } from '../../src/core/review/annotation-diff';
import { mergeSidecars, writeConflictedSidecar } from '../../src/core/review/merge';
import { Entity, Sidecar } from '../../src/core/model/model';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { cli } from './helpers/cli';
import { tempDirs } from './helpers/tmp';

const E = (id: string, label: string, start: number, end: number, text: string, extra: Partial<Entity> = {}): Entity => ({ id, label, start, end, text, ...extra });
const sc = (entities: Entity[], status: Sidecar['status'] = 'in-progress'): Sidecar => ({ version: 1, document: 'a.txt', sha256: 'a'.repeat(64), status, entities });

const BEFORE = [
  E('k3f9a2', 'PER', 0, 20, 'Abdellatif Hammouchi'),
  E('b81c0d', 'PER', 28, 36, 'Interpol'),
  E('q0m2zz', 'PER', 40, 49, 'M. Laftit'),
  E('gone01', 'LOC', 60, 65, 'Rabat'),
  E('note01', 'ORG', 70, 74, 'DGSN'),
];
const AFTER = [
  E('k3f9a2', 'PER', 0, 20, 'Abdellatif Hammouchi'),
  E('b81c0d', 'ORG', 28, 36, 'Interpol'),
  E('q0m2zz', 'PER', 43, 49, 'Laftit'),
  E('note01', 'ORG', 70, 74, 'DGSN', { note: 'police', attrs: { kb: 'Q1' } }),
  E('new001', 'DATE', 80, 91, '3 mars 2025'),
];

describe('annotation diff', () => {
  it('classifies the changes by id: added, removed, relabelled, boundary, other fields', () => {
    const changes = diffEntities(BEFORE, AFTER);
    assert.deepEqual(changes.map((c) => [c.kind, c.id, c.fields]), [
      ['changed', 'b81c0d', ['label']],
      ['changed', 'q0m2zz', ['span']],
      ['removed', 'gone01', []],
      ['changed', 'note01', ['note', 'attrs']],
      ['added', 'new001', []],
    ]);
  });

  it('formats one self-contained line per change', () => {
    const d = diffSidecars('corpus/a.txt', sc(BEFORE), sc(AFTER, 'reviewed'));
    assert.deepEqual(formatDocumentDiff(d), [
      '~ status corpus/a.txt: in-progress → reviewed',
      '~ ORG «Interpol» corpus/a.txt:28-36 [b81c0d]  label PER → ORG',
      '~ PER «Laftit» corpus/a.txt:43-49 [q0m2zz]  span 40-49 «M. Laftit» → 43-49',
      '- LOC «Rabat» corpus/a.txt:60-65 [gone01]',
      '~ ORG «DGSN» corpus/a.txt:70-74 [note01]  note (none) → "police"; attrs (none) → {kb: "Q1"}',
      '+ DATE «3 mars 2025» corpus/a.txt:80-91 [new001]',
    ]);
    assert.deepEqual(countDiffs([d]), { documents: 1, added: 1, removed: 1, relabelled: 1, boundary: 1, moved: 0, renamed: 0, other: 1 });
  });

  it('a sidecar on one side only, and the article hash', () => {
    const added = diffSidecars('b.txt', undefined, sc([E('x00001', 'LOC', 0, 5, 'Rabat')]));
    assert.deepEqual(formatDocumentDiff(added), ['+ document b.txt (new sidecar, 1 entity)', '+ LOC «Rabat» b.txt:0-5 [x00001]']);
    const moved = diffSidecars('b.txt', sc([]), { ...sc([]), sha256: 'b'.repeat(64) });
    assert.deepEqual(formatDocumentDiff(moved), ['~ sha256 b.txt: aaaaaaaaaaaa… → bbbbbbbbbbbb… (the article changed)']);
  });

  it('an entity that only shifted with an edit of the article is moved, not a boundary change', () => {
    const before = sc([E('k3f9a2', 'PER', 0, 20, 'Abdellatif Hammouchi'), E('q0m2zz', 'PER', 40, 49, 'M. Laftit')]);
    // The article got 3 code points before both: one shifted as is, the other also lost "M. ".
    const after = { ...sc([E('k3f9a2', 'PER', 3, 23, 'Abdellatif Hammouchi'), E('q0m2zz', 'PER', 46, 52, 'Laftit')]), sha256: 'b'.repeat(64) };
    const d = diffSidecars('a.txt', before, after);
    assert.deepEqual(d.entities.map((c) => [c.id, c.fields]), [['k3f9a2', ['moved']], ['q0m2zz', ['span']]]);
    assert.equal(formatDocumentDiff(d)[1], '~ PER «Abdellatif Hammouchi» a.txt:3-23 [k3f9a2]  moved 0-20 → 3-23 with the article\'s edit');
    assert.deepEqual(countDiffs([d]), { documents: 1, added: 0, removed: 0, relabelled: 0, boundary: 1, moved: 1, renamed: 0, other: 0 });
    // The same shift without an edit of the article (same sha256) is a boundary change.
    assert.deepEqual(diffSidecars('a.txt', before, { ...after, sha256: before.sha256 }).entities.map((c) => c.fields), [['span'], ['span']]);
  });

  it('renames: the same article (sha256, unique on each side) on one side only under two names', () => {
    assert.deepEqual(matchRenames(
      [{ document: 'old.txt.ann.yaml', sha256: 'x' }, { document: 'dup1', sha256: 'd' }, { document: 'gone', sha256: 'g' }],
      [{ document: 'new.txt.ann.yaml', sha256: 'x' }, { document: 'dup2', sha256: 'd' }, { document: 'dup3', sha256: 'd' }, { document: 'nohash' }],
    ), [['old.txt.ann.yaml', 'new.txt.ann.yaml']]);
  });

  it('textconv: a stable rendering, one line per entity, each depending on its entity only', () => {
    const s = sc([E('k3f9a2', 'PER', 5547, 5567, 'Abdellatif Hammouchi', { by: 'demo', src: 'manual' }), E('z1', 'LOC', 3, 9, 'Ra\u00A0bat\n', { note: 'sic' })], 'done');
    assert.equal(textconv(s), [
      'document: a.txt',
      `sha256: ${'a'.repeat(64)}`,
      'status: done',
      'LOC  «Ra\\u00A0bat⏎»  3-9  [z1]  note: "sic"',
      'PER  «Abdellatif Hammouchi»  5547-5567  [k3f9a2]  by: demo  src: manual',
      '',
    ].join('\n'));
  });
});

const { makeTree } = tempDirs('diff');

describe('corpus-annotator diff', () => {
  const tree = {
    'v1/a.txt.ann.yaml': writeSidecar(sc(BEFORE)),
    'v1/sub/b.txt.ann.yaml': writeSidecar(sc([E('x00001', 'LOC', 0, 5, 'Rabat')])),
    'v2/a.txt.ann.yaml': writeSidecar(sc(AFTER)),
    'v2/sub/b.txt.ann.yaml': writeSidecar(sc([E('x00001', 'LOC', 0, 5, 'Rabat')])),
    'v2/sub/c.txt.ann.yaml': writeSidecar(sc([])),
  };

  it('compares two directories, pairing documents by their path under each', async () => {
    const root = await makeTree(tree);
    const r = await cli(['diff', 'v1', 'v2'], root);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, [
      '~ ORG «Interpol» a.txt:28-36 [b81c0d]  label PER → ORG',
      '~ PER «Laftit» a.txt:43-49 [q0m2zz]  span 40-49 «M. Laftit» → 43-49',
      '- LOC «Rabat» a.txt:60-65 [gone01]',
      '~ ORG «DGSN» a.txt:70-74 [note01]  note (none) → "police"; attrs (none) → {kb: "Q1"}',
      '+ DATE «3 mars 2025» a.txt:80-91 [new001]',
      '+ document sub/c.txt (new sidecar, 0 entities)',
      '',
    ].join('\n'));
    assert.equal(r.stderr, '2 documents changed: 1 added, 1 removed, 1 relabelled, 1 boundary change, 0 moved with an edit, 1 other change\n');
    // restricted to a path under each directory
    assert.equal((await cli(['diff', 'v1', 'v2', 'sub'], root)).stdout, '+ document sub/c.txt (new sidecar, 0 entities)\n');
  });

  it('--json', async () => {
    const root = await makeTree(tree);
    const j = JSON.parse((await cli(['diff', '--json', 'v1', 'v2'], root)).stdout);
    assert.deepEqual(j.summary, { documents: 2, added: 1, removed: 1, relabelled: 1, boundary: 1, moved: 0, renamed: 0, other: 1 });
    assert.deepEqual(j.documents[0].changes.map((c: { kind: string; id: string }) => [c.kind, c.id]), [
      ['relabelled', 'b81c0d'], ['boundary', 'q0m2zz'], ['removed', 'gone01'], ['changed', 'note01'], ['added', 'new001'],
    ]);
    assert.deepEqual(j.documents[0].changes[0].a, BEFORE[1]);
    assert.deepEqual(j.documents[0].changes[0].b, AFTER[1]);
    assert.equal(j.documents[1].only, 'b');
  });

  it('two files are compared with each other whatever their names', async () => {
    const root = await makeTree(tree);
    const r = await cli(['diff', 'v1/a.txt.ann.yaml', 'v2/sub/b.txt.ann.yaml'], root);
    assert.match(r.stdout, /^\+ LOC «Rabat» v1\/a\.txt:0-5 \[x00001\]\n- PER «Abdellatif Hammouchi» v1\/a\.txt:0-20 \[k3f9a2\]\n/);
  });

  it('a renamed article is a rename with its own changes, not a removal and an addition', async () => {
    const root = await makeTree({
      'v1/old-name.txt.ann.yaml': writeSidecar({ ...sc(BEFORE), document: 'old-name.txt', sha256: 'c'.repeat(64) }),
      'v2/sub/new-name.txt.ann.yaml': writeSidecar({ ...sc(BEFORE.map((e) => (e.id === 'gone01' ? { ...e, label: 'ORG' } : e))), document: 'new-name.txt', sha256: 'c'.repeat(64) }),
    });
    const r = await cli(['diff', 'v1', 'v2'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, [
      '> document old-name.txt → sub/new-name.txt (renamed: the same article)',
      '~ ORG «Rabat» sub/new-name.txt:60-65 [gone01]  label LOC → ORG',
      '',
    ].join('\n'));
    assert.equal(r.stderr, '1 document changed (1 renamed): 0 added, 0 removed, 1 relabelled, 0 boundary changes, 0 moved with an edit, 0 other changes\n');
    const j = JSON.parse((await cli(['diff', '--json', 'v1', 'v2'], root)).stdout);
    assert.equal(j.documents[0].renamedFrom, 'old-name.txt');
    assert.equal(j.documents[0].document, 'sub/new-name.txt');
  });

  it('an invalid sidecar is reported and the command fails', async () => {
    const root = await makeTree({ ...tree, 'v2/a.txt.ann.yaml': 'version: [' });
    const r = await cli(['diff', 'v1', 'v2'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^v2\/a\.txt\.ann\.yaml: error: not a valid sidecar \(line 1: YAML syntax error/);
  });

  it('--textconv prints the rendering; an unreadable sidecar as it is; conflicts shown', async () => {
    const m = mergeSidecars({ base: sc(BEFORE), ours: sc(BEFORE.map((x) => (x.id === 'gone01' ? { ...x, label: 'ORG' } : x))), theirs: sc(BEFORE.map((x) => (x.id === 'gone01' ? { ...x, label: 'MISC' } : x))) });
    const root = await makeTree({ ...tree, 'bad.ann.yaml': 'version: [\n', 'c.ann.yaml': writeConflictedSidecar(m.sidecar, m.conflicts) });
    const r = await cli(['diff', '--textconv', 'v1/sub/b.txt.ann.yaml'], root);
    assert.deepEqual([r.code, r.stdout], [0, `document: a.txt\nsha256: ${'a'.repeat(64)}\nstatus: in-progress\nLOC  «Rabat»  0-5  [x00001]\n`]);
    assert.equal((await cli(['diff', '--textconv', 'bad.ann.yaml'], root)).stdout, 'version: [\n');
    assert.match((await cli(['diff', '--textconv', 'c.ann.yaml'], root)).stdout,
      /CONFLICT \[gone01\] changed differently on both sides: label \(ours ORG, theirs MISC\)\n  ours: ORG  «Rabat»  60-65  \[gone01\]\n  theirs: MISC  «Rabat»  60-65  \[gone01\]\n$/);
  });
});
