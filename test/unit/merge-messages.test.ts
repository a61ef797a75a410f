// Issue 22, item 6, in the merge path: the merge driver and `resolve` read sidecars with the shared
// reader's checks and say what it says — file, line (as the file numbers it) and problem — never
// the YAML library's own words, and never "resolve it with resolve" about a file resolve cannot split.
import { strict as assert } from 'node:assert';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { readConflictedSidecar, splitConflictMarkers } from '../../src/core/review/merge';
import { cli } from './helpers/cli';
import { tempDirs } from './helpers/tmp';

const { makeTree } = tempDirs('merge-messages');

const TEXT = 'x abc\n';
const HEAD = 'version: 1\ndocument: a.txt\nentities:\n  - {id: a1, label: PER, start: 2, end: 5, text: "abc"}\n';
const item = (id: string, extra = '') => `  - {id: ${id}, label: PER, start: 2, end: 5, text: "abc"${extra}}\n`;
const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
/** Raw git markers (a merge made without the driver) around `ours` and `theirs`, after HEAD's 4 lines. */
const markers = (ours: string, theirs = item('a4')) => `${HEAD}<<<<<<< ours\n${ours}=======\n${theirs}>>>>>>> theirs\n`;
const RAW_YAML_WORDS = /Maximum call stack|parseAllDocuments|Nested mappings|Implicit keys|unknown key `source`/;

/** Each fault, the reader's words for it, and the line it is on in a side made of HEAD + `ours`. */
const FAULTS = [
  { what: 'nesting too deep', ours: item('a2', `, attrs: {x: ${deep(5000)}}`), words: /nested too deeply to be read/, sideLine: 5 },
  { what: 'a second YAML document', ours: `${item('a2')}---\nversion: 1\n`, words: /more than one YAML document \(a `---` line\)/, sideLine: 6 },
  { what: 'CR-only line ends', ours: `${item('a2')}`.replace(/\n$/, '\r') + item('a3').replace(/\n$/, '\r') + '\n', words: /CR-only line endings/, sideLine: 5 },
  { what: 'a YAML tag', ours: '  - !!js/function {id: a2, label: PER, start: 2, end: 5, text: "abc"}\n', words: /a YAML tag \(!!js\/function\) is not allowed/, sideLine: 5 },
];

describe('merge path messages (issue 22, item 6)', () => {
  for (const f of FAULTS) {
    it(`merge-driver: ours with ${f.what} is named with its line and the reader's words, then merged as text`, async () => {
      const base = HEAD;
      const root = await makeTree({ O: base, A: HEAD + f.ours, B: HEAD + item('a4'), 'a.txt': TEXT });
      const r = await cli(['merge-driver', 'O', 'A', 'B', 'a.txt.ann.yaml'], root);
      assert.match(r.stderr, new RegExp(`^a\\.txt\\.ann\\.yaml: cannot merge as sets of entities: ours is not a valid sidecar \\(line ${f.sideLine}: `));
      assert.match(r.stderr, f.words);
      assert.doesNotMatch(r.stderr, RAW_YAML_WORDS);
    });

    it(`resolve: raw markers whose ours has ${f.what}: the file's line (the marker line counted), the reader's words, nothing written`, async () => {
      const source = markers(f.ours);
      const root = await makeTree({ 'a.txt.ann.yaml': source, 'a.txt': TEXT });
      const r = await cli(['resolve', 'a.txt.ann.yaml'], root);
      assert.equal(r.code, 1);
      // In the file, ours' lines come after the `<<<<<<< ours` line: one more than in ours alone.
      assert.match(r.stderr, new RegExp(`^a\\.txt\\.ann\\.yaml: error: ours' version \\(between <<<<<<< and =======\\) is not a valid sidecar: line ${f.sideLine + 1}: `));
      assert.match(r.stderr, f.words);
      assert.doesNotMatch(r.stderr, RAW_YAML_WORDS);
      assert.equal(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'), source);
    });
  }

  it('resolve: a sidecar with CR-only line ends and raw markers is split, and the CR line ends are named (not "resolve it with resolve")', async () => {
    const source = markers(item('a2')).replace(/\n/g, '\r');
    const root = await makeTree({ 'a.txt.ann.yaml': source, 'a.txt': TEXT });
    const r = await cli(['resolve', 'a.txt.ann.yaml'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^a\.txt\.ann\.yaml: error: ours' version \(between <<<<<<< and =======\) is not a valid sidecar: line 1: this sidecar has CR-only line endings \(old Mac\).*convert them to LF or CRLF/);
    assert.doesNotMatch(r.stderr, /contains unresolved git conflict markers/);
    assert.equal(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'), source);
  });

  it('splitConflictMarkers: a marker line ended by a CR alone is a marker (not "unbalanced markers"), and each line maps to the file\'s', () => {
    const sides = splitConflictMarkers(`${HEAD}<<<<<<< ours\r${item('a2')}=======\r${item('a4')}>>>>>>> theirs\n`);
    assert.ok(sides && typeof sides !== 'string', String(sides));
    assert.equal(sides.hunks, 1);
    assert.equal(sides.ours, HEAD + item('a2'));
    assert.equal(sides.theirs, HEAD + item('a4'));
    assert.deepEqual(sides.fileLines.ours, [1, 2, 3, 4, 6]);
    assert.deepEqual(sides.fileLines.theirs, [1, 2, 3, 4, 8]);
  });

  describe('the `conflicts:` list of a sidecar the driver left', () => {
    const conflicted = (ours: string) => `${HEAD}conflicts:\n  - id: a2\n    reason: label changed on both sides\n    ours:\n${ours}    theirs: []\n`;

    it('an alias that loops back into its own entity is named as such (not "unknown key `source`")', () => {
      const r = readConflictedSidecar(conflicted('      - &e {id: a2, label: PER, start: 2, end: 5, text: "abc", attrs: {x: *e}}\n'));
      assert.deepEqual(r.problems.map((p) => [p.line, p.code]), [[9, 'bad-conflict']]);
      assert.match(r.problems[0]?.message ?? '', /^conflict a2, ours: a YAML alias \(\*name\) refers to an item it is inside \(a loop\)/);
      const again = readConflictedSidecar(`${HEAD}conflicts:\n  - &c {id: a2, reason: x, ours: [*c], theirs: []}\n`);
      assert.match(again.problems[0]?.message ?? '', /a YAML alias \(\*name\) refers to an item it is inside/);
      assert.doesNotMatch(again.problems[0]?.message ?? '', RAW_YAML_WORDS);
    });

    it('an alias bomb in a conflict side gets the reader\'s "billion laughs" refusal', () => {
      let attrs = 'l0: &l0 [x,x,x,x,x,x,x,x,x,x]';
      for (let i = 1; i < 9; i++) attrs += `, l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`).join(',')}]`;
      const r = readConflictedSidecar(conflicted(`      - {id: a2, label: PER, start: 2, end: 5, text: abc, attrs: {${attrs}}}\n`));
      assert.equal(r.problems.length, 1);
      assert.match(r.problems[0]?.message ?? '', /^conflict a2, ours: this sidecar uses more than 1000 YAML aliases \(\*name\); sidecars never need them/);
    });

    it('faults in the file around the list keep the reader\'s words and lines', () => {
      for (const f of FAULTS) {
        const r = readConflictedSidecar(`${HEAD}${f.ours}conflicts:\n  - {id: a9, reason: x, ours: [], theirs: []}\n`);
        assert.equal(r.sidecar, undefined, f.what);
        assert.match(r.problems[0]?.message ?? '', f.words, f.what);
        assert.doesNotMatch(r.problems.map((p) => p.message).join('\n'), RAW_YAML_WORDS, f.what);
      }
    });
  });
});
