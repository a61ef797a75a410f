// The git drivers with real git, in temporary repositories: install-git-drivers, merges through the
// merge driver (clean and conflicting), `resolve`, raw markers from a merge made without the
// driver, and `git diff` through the textconv driver. The drivers run the built CLI, dist/cli.js.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { commandRisk } from '../../src/cli/git-drivers';
import { readConflictedSidecar } from '../../src/core/review/merge';
import { Entity, Sidecar, Status } from '../../src/core/model/model';
import { sha256Hex } from '../../src/core/model/sha256';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { buildCliIfStale, CLI_BIN } from './helpers/cli';
import { gitSandbox } from './helpers/git-repo';

const TEXT = 'Abdellatif Hammouchi a reçu Interpol à Rabat le 3 mars 2025.\n';
const TEXT2 = 'Mise à jour. Abdellatif Hammouchi a reçu Interpol à Rabat le 3 mars 2025.\n';

function e(id: string, label: string, surface: string, text = TEXT): Entity {
  const start = text.indexOf(surface);
  return { id, label, start, end: start + surface.length, text: surface };
}
const HAMMOUCHI = e('aper01', 'PER', 'Abdellatif Hammouchi');
const INTERPOL = e('borg02', 'ORG', 'Interpol');
const RABAT = e('cloc03', 'LOC', 'Rabat');
const DATE = e('ddat04', 'DATE', '3 mars 2025');

function sidecar(entities: Entity[], status: Status = 'in-progress', text = TEXT): string {
  const s: Sidecar = { version: 1, document: 'a.txt', sha256: sha256Hex(Buffer.from(text, 'utf8')), status, entities };
  return writeSidecar(s);
}

const { ENV, tmpDirSync, git, gitRun, tool, repo: gitRepo, commitOn, read } = gitSandbox('git');

/** A repository with a.txt and its sidecar committed on `main`; drivers installed unless told not to. */
const repo = (entities: Entity[], opts: { drivers?: boolean } = {}): string => gitRepo({ 'a.txt': TEXT, 'a.txt.ann.yaml': sidecar(entities) }, opts);

describe('git drivers, with real git', function () {
  this.timeout(60000);

  before(buildCliIfStale);

  describe('install-git-drivers', () => {
    it('writes .gitattributes and the git config, pointing at a copy of the running dist/cli.js', () => {
      const root = repo([HAMMOUCHI]);
      const copy = /^node (\S+) merge-driver/.exec(git(root, 'config', 'merge.corpus-annotator.driver'))?.[1] ?? '';
      assert.deepEqual(fs.readFileSync(copy), fs.readFileSync(CLI_BIN));
      assert.equal(read(root, '.gitattributes'),
        '# Corpus Annotator: merge sidecars as sets of entities, show them one entity per line in git diff (corpus-annotator install-git-drivers)\n'
        + '*.ann.yaml merge=corpus-annotator diff=corpus-annotator\n');
      assert.equal(git(root, 'config', 'merge.corpus-annotator.driver').trim(), `node ${copy} merge-driver %O %A %B %P`);
      assert.equal(git(root, 'config', 'diff.corpus-annotator.textconv').trim(), `node ${copy} diff --textconv`);
      assert.match(git(root, 'config', 'merge.corpus-annotator.name'), /Corpus Annotator/);
      assert.equal(git(root, 'check-attr', 'merge', 'diff', '--', 'sub/x.txt.ann.yaml'),
        'sub/x.txt.ann.yaml: merge: corpus-annotator\nsub/x.txt.ann.yaml: diff: corpus-annotator\n');
    });

    it('is idempotent: a second run (from a subdirectory) changes nothing', () => {
      const root = repo([HAMMOUCHI]);
      fs.mkdirSync(path.join(root, 'sub'));
      const attributes = read(root, '.gitattributes');
      const config = read(root, '.git/config');
      const r = tool(path.join(root, 'sub'), 'install-git-drivers');
      assert.equal(r.status, 0);
      assert.equal(r.stdout.split('\n').filter((l) => l && !/already/.test(l)).length, 0, r.stdout);
      assert.equal(r.stderr, 'nothing to do: the git drivers are installed\n');
      assert.equal(read(root, '.gitattributes'), attributes);
      assert.equal(read(root, '.git/config'), config);
    });

    it('keeps an existing .gitattributes and appends once; --dry-run changes nothing', () => {
      const root = repo([HAMMOUCHI], { drivers: false });
      fs.writeFileSync(path.join(root, '.gitattributes'), '*.ann.yaml text eol=lf');
      const dry = tool(root, 'install-git-drivers', '--dry-run');
      assert.equal(dry.status, 0);
      assert.match(dry.stdout, /^\.gitattributes: would add "\*\.ann\.yaml merge=corpus-annotator diff=corpus-annotator"\n/m);
      assert.match(dry.stdout, /git config merge\.corpus-annotator\.driver: would set to "node .* merge-driver %O %A %B %P"/);
      assert.equal(dry.stderr, '4 change(s) to make (dry run: nothing changed)\n');
      assert.equal(read(root, '.gitattributes'), '*.ann.yaml text eol=lf');
      assert.equal(gitRun(root, 'config', 'merge.corpus-annotator.driver').status, 1);
      assert.equal(tool(root, 'install-git-drivers').status, 0);
      assert.equal(tool(root, 'install-git-drivers').status, 0);
      assert.match(read(root, '.gitattributes'), /^\*\.ann\.yaml text eol=lf\n# Corpus Annotator[^\n]*\n\*\.ann\.yaml merge=corpus-annotator diff=corpus-annotator\n$/);
    });

    it('--command that could run what the repository holds (npx, a relative path, a path inside the clone) gets a warning', () => {
      assert.match(commandRisk('npx --no-install corpus-annotator', '/no/clone') ?? '', /looks in the repository's node_modules first/);
      assert.match(commandRisk('node node_modules/corpus-annotator/dist/cli.js', '/no/clone') ?? '', /is a relative path/);
      assert.match(commandRisk('node /no/clone/tools/cli.js', '/no/clone') ?? '', /inside the repository's work tree/);
      assert.equal(commandRisk('node /no/elsewhere/dist/cli.js', '/no/clone'), undefined);
      assert.equal(commandRisk('corpus-annotator', '/no/clone'), undefined);
    });

    it('--command chooses the command; outside a repository it fails clearly', () => {
      const root = repo([HAMMOUCHI], { drivers: false });
      assert.equal(tool(root, 'install-git-drivers', '--command', 'npx --no-install corpus-annotator').status, 0);
      assert.equal(git(root, 'config', 'merge.corpus-annotator.driver').trim(), 'npx --no-install corpus-annotator merge-driver %O %A %B %P');
      const outside = tmpDirSync();
      const r = spawnSync(process.execPath, [CLI_BIN, 'install-git-drivers'], { cwd: outside, env: { ...ENV, GIT_CEILING_DIRECTORIES: path.dirname(outside) }, encoding: 'utf8' });
      assert.equal(r.status, 1);
      assert.match(r.stderr, /is not inside a git repository/);
    });
  });

  describe('git merge through the merge driver', () => {
    it('two branches tag different entities: the merge succeeds and the file holds the union, canonical', () => {
      const root = repo([HAMMOUCHI, INTERPOL]);
      commitOn(root, 'alice', { 'a.txt.ann.yaml': sidecar([HAMMOUCHI, INTERPOL, RABAT]) });
      git(root, 'checkout', '-q', 'main');
      commitOn(root, 'bob', { 'a.txt.ann.yaml': sidecar([HAMMOUCHI, INTERPOL, DATE], 'done') });
      const m = gitRun(root, 'merge', '--no-edit', 'alice');
      assert.equal(m.status, 0, m.stdout + m.stderr);
      assert.doesNotMatch(m.stdout + m.stderr, /CONFLICT/);
      assert.equal(read(root), sidecar([HAMMOUCHI, INTERPOL, RABAT, DATE], 'done'));
      assert.equal(tool(root, 'validate').status, 0);
      assert.equal(tool(root, 'fmt', '--check').status, 0);
    });

    it('the same entity relabelled differently: a conflict, a valid YAML sidecar with `conflicts:`, validate reports it, resolve --theirs fixes it', () => {
      const root = repo([HAMMOUCHI, INTERPOL]);
      commitOn(root, 'alice', { 'a.txt.ann.yaml': sidecar([HAMMOUCHI, { ...INTERPOL, label: 'MISC' }, RABAT]) });
      git(root, 'checkout', '-q', 'main');
      commitOn(root, 'bob', { 'a.txt.ann.yaml': sidecar([HAMMOUCHI, { ...INTERPOL, label: 'LOC' }, DATE]) });
      const m = gitRun(root, 'merge', '--no-edit', 'alice');
      assert.equal(m.status, 1);
      assert.match(m.stdout, /CONFLICT \(content\): Merge conflict in a\.txt\.ann\.yaml/);
      assert.match(m.stderr, /a\.txt\.ann\.yaml: 1 annotation conflict, kept under `conflicts:`/);
      assert.match(m.stderr, /borg02: changed differently on both sides: label \(ours LOC, theirs MISC\)/);
      assert.match(git(root, 'status', '--porcelain'), /^UU a\.txt\.ann\.yaml$/m);

      const text = read(root);
      assert.doesNotMatch(text, /^(<<<<<<<|=======|>>>>>>>)/m, 'no raw markers');
      const c = readConflictedSidecar(text);
      assert.deepEqual(c.problems, []);
      assert.deepEqual(c.sidecar?.entities.map((x) => x.id), ['aper01', 'cloc03', 'ddat04']);
      assert.deepEqual(c.conflicts.map((x) => [x.id, x.ours.map((y) => y.label), x.theirs.map((y) => y.label)]), [['borg02', ['LOC'], ['MISC']]]);

      const v = tool(root, 'validate');
      assert.equal(v.status, 1);
      assert.match(v.stdout, /^a\.txt\.ann\.yaml:\d+:5: error: unresolved annotation conflict on borg02 \(changed differently on both sides: label \(ours LOC, theirs MISC\)\); resolve with `corpus-annotator resolve --ours <this file>` or `--theirs`/);

      const r = tool(root, 'resolve', '--theirs', 'a.txt.ann.yaml');
      assert.equal(r.status, 0, r.stderr);
      assert.equal(read(root), sidecar([HAMMOUCHI, { ...INTERPOL, label: 'MISC' }, RABAT, DATE]));
      assert.equal(tool(root, 'validate').status, 0);
      git(root, 'add', 'a.txt.ann.yaml');
      git(root, 'commit', '-q', '--no-edit');
      assert.equal(git(root, 'status', '--porcelain'), '');
    });

    it('the article re-anchored on one branch while the other added entities: merged, the older hash kept, validate checks each entity', () => {
      const root = repo([HAMMOUCHI, INTERPOL]);
      // alice edits the article: every entity moves by 13 and the hash changes
      const moved = [HAMMOUCHI, INTERPOL].map((x) => e(x.id, x.label, x.text, TEXT2));
      commitOn(root, 'alice', { 'a.txt': TEXT2, 'a.txt.ann.yaml': sidecar(moved, 'in-progress', TEXT2) });
      git(root, 'checkout', '-q', 'main');
      commitOn(root, 'bob', { 'a.txt.ann.yaml': sidecar([HAMMOUCHI, INTERPOL, RABAT]) });
      const m = gitRun(root, 'merge', '--no-edit', 'alice');
      assert.equal(m.status, 0, m.stdout + m.stderr);
      assert.match(m.stderr, /note: ours and theirs annotate different versions of the article/);
      const merged = readSidecar(read(root)).sidecar as Sidecar;
      assert.equal(merged.sha256, sha256Hex(Buffer.from(TEXT, 'utf8')), 'the older hash');
      assert.deepEqual(merged.entities.map((x) => [x.id, x.start]), [['aper01', 13], ['cloc03', 39], ['borg02', 41]]);
      // bob's Rabat (39-44 in the old text) no longer matches: an error, not a silent shift
      const v = tool(root, 'validate');
      assert.equal(v.status, 1);
      assert.match(v.stdout, /entity cloc03 \(LOC\) says its text is "Rabat" but the article has .* The article changed since the sidecar was written/);
    });
  });

  describe('a merge made without the driver (raw markers)', () => {
    for (const style of ['merge', 'diff3'] as const) {
      it(`resolve merges the two sides of the markers as sets (conflictStyle ${style})`, () => {
        const root = repo([HAMMOUCHI, INTERPOL], { drivers: false });
        git(root, 'config', 'merge.conflictStyle', style);
        // alice replaces Interpol by Rabat; bob adds a date after Interpol: one conflict hunk
        commitOn(root, 'alice', { 'a.txt.ann.yaml': sidecar([HAMMOUCHI, RABAT]) });
        git(root, 'checkout', '-q', 'main');
        commitOn(root, 'bob', { 'a.txt.ann.yaml': sidecar([HAMMOUCHI, INTERPOL, DATE], 'done') });
        assert.equal(gitRun(root, 'merge', '--no-edit', 'alice').status, 1);
        assert.match(read(root), /^<<<<<<< HEAD$/m);
        const v = tool(root, 'validate');
        assert.match(v.stdout, /unresolved git conflict markers .* resolve it with `corpus-annotator resolve <this file>`/);
        const r = tool(root, 'resolve', 'a.txt.ann.yaml');
        assert.equal(r.status, 0, r.stdout + r.stderr);
        // 3-way (the base from the diff3 markers, or from git's index): alice's deletion of Interpol stands.
        assert.match(r.stdout, style === 'diff3' ? /3-way \(the markers carry the base\)/ : /3-way \(the base from git's index\)/);
        assert.equal(read(root), sidecar([HAMMOUCHI, RABAT, DATE], 'done'));
        assert.equal(tool(root, 'validate').status, 0);
      });
    }

    it('outside a merge (no base anywhere), resolve merges the markers 2-way: the union by id', () => {
      const root = repo([HAMMOUCHI, INTERPOL], { drivers: false });
      commitOn(root, 'alice', { 'a.txt.ann.yaml': sidecar([HAMMOUCHI, RABAT]) });
      git(root, 'checkout', '-q', 'main');
      commitOn(root, 'bob', { 'a.txt.ann.yaml': sidecar([HAMMOUCHI, INTERPOL, DATE], 'done') });
      assert.equal(gitRun(root, 'merge', '--no-edit', 'alice').status, 1);
      const raw = read(root);
      git(root, 'merge', '--abort');
      fs.writeFileSync(path.join(root, 'a.txt.ann.yaml'), raw); // e.g. committed with the markers by mistake
      const r = tool(root, 'resolve', 'a.txt.ann.yaml');
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /2-way \(union by id\)/);
      assert.equal(read(root), sidecar([HAMMOUCHI, INTERPOL, RABAT, DATE], 'done'));
    });
  });

  describe('git diff through the textconv driver', () => {
    it('shows one line per entity change', () => {
      const root = repo([HAMMOUCHI, INTERPOL]);
      fs.writeFileSync(path.join(root, 'a.txt.ann.yaml'), sidecar([HAMMOUCHI, { ...INTERPOL, label: 'MISC' }, RABAT], 'done'));
      git(root, 'commit', '-q', '-am', 'review');
      const d = git(root, 'diff', '--no-color', 'HEAD~1', 'HEAD');
      const changed = d.split('\n').filter((l) => /^[-+][^-+]/.test(l));
      assert.deepEqual(changed, [
        '-status: in-progress',
        '+status: done',
        '-ORG  «Interpol»  28-36  [borg02]',
        '+MISC  «Interpol»  28-36  [borg02]',
        '+LOC  «Rabat»  39-44  [cloc03]',
      ]);
      // git log -p too, and the raw file stays the raw file
      assert.match(git(root, 'log', '-p', '--no-color', '-1'), /^\+LOC  «Rabat»  39-44  \[cloc03\]$/m);
      assert.match(git(root, 'show', 'HEAD:a.txt.ann.yaml'), /- \{id: cloc03, label: LOC/);
    });

    it('corpus-annotator diff compares two revisions by entity', () => {
      const root = repo([HAMMOUCHI, INTERPOL]);
      const shorter = { ...HAMMOUCHI, start: 11, text: 'Hammouchi' };
      fs.writeFileSync(path.join(root, 'a.txt.ann.yaml'), sidecar([shorter, { ...INTERPOL, label: 'MISC' }, RABAT], 'done'));
      git(root, 'commit', '-q', '-am', 'review');
      const r = tool(root, 'diff', 'HEAD~1', 'HEAD');
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout,
        '~ status a.txt: in-progress → done\n'
        + '~ PER «Hammouchi» a.txt:11-20 [aper01]  span 0-20 «Abdellatif Hammouchi» → 11-20\n'
        + '~ MISC «Interpol» a.txt:28-36 [borg02]  label ORG → MISC\n'
        + '+ LOC «Rabat» a.txt:39-44 [cloc03]\n');
      assert.equal(r.stderr, '1 document changed: 1 added, 0 removed, 1 relabelled, 1 boundary change, 0 moved with an edit, 0 other changes\n');
      // working tree against a revision, from a subdirectory-free path argument
      fs.writeFileSync(path.join(root, 'a.txt.ann.yaml'), sidecar([shorter, { ...INTERPOL, label: 'MISC' }], 'done'));
      assert.equal(tool(root, 'diff', 'HEAD', '.').stdout, '- LOC «Rabat» a.txt:39-44 [cloc03]\n');
      assert.equal(tool(root, 'diff', '--exit-code', 'HEAD', 'HEAD').status, 0);
      assert.equal(tool(root, 'diff', '--exit-code', 'HEAD', '.').status, 1);
      assert.equal(tool(root, 'diff', 'HEAD', 'no-such-rev').status, 2);
    });
  });
});
