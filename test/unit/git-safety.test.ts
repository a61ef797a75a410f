// The git drivers under faults and attack (issue 15, items 1, 2 and 8), with real git in temporary
// repositories: an emptied sidecar merged, a merge driver that cannot run, a repository that commits
// a fake CLI where the old drivers looked for it, a moved clone, and uninstalling the drivers.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readConflictedSidecar, splitConflictMarkers } from '../../src/core/review/merge';
import { Entity, Sidecar, Status } from '../../src/core/model/model';
import { sha256Hex } from '../../src/core/model/sha256';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { buildCliIfStale, CLI_BIN } from './helpers/cli';
import { gitSandbox } from './helpers/git-repo';

const TEXT = 'Abdellatif Hammouchi a reçu Interpol à Rabat le 3 mars 2025, puis Europol à Tanger.\n';

function e(id: string, label: string, surface: string): Entity {
  const start = TEXT.indexOf(surface);
  return { id, label, start, end: start + surface.length, text: surface };
}
const BASE = [
  e('aper01', 'PER', 'Abdellatif Hammouchi'), e('borg02', 'ORG', 'Interpol'), e('cloc03', 'LOC', 'Rabat'),
  e('eorg05', 'ORG', 'Europol'), e('floc06', 'LOC', 'Tanger'),
];
const DATE = e('ddat04', 'DATE', '3 mars 2025');

function sidecar(entities: Entity[], status: Status = 'in-progress'): string {
  const s: Sidecar = { version: 1, document: 'a.txt', sha256: sha256Hex(Buffer.from(TEXT, 'utf8')), status, entities };
  return writeSidecar(s);
}

const { ENV, cacheHome, tmpDirSync, git, gitRun, tool, repo: gitRepo, commitOn, read } = gitSandbox('git-safety');
const repo = (opts: { drivers?: boolean } = {}) => gitRepo({ 'a.txt': TEXT, 'a.txt.ann.yaml': sidecar(BASE) }, opts);
const ids = (text: string) => readSidecar(text).sidecar?.entities.map((x) => x.id);

/** The tool as npm installs it in a clone: node_modules/corpus-annotator/{package.json,dist/cli.js}. */
function installInside(root: string): void {
  const inside = path.join(root, 'node_modules/corpus-annotator');
  fs.mkdirSync(path.join(inside, 'dist'), { recursive: true });
  fs.copyFileSync(CLI_BIN, path.join(inside, 'dist/cli.js'));
  fs.writeFileSync(path.join(inside, 'package.json'), JSON.stringify({ name: 'corpus-annotator', version: '0.0.0-inside' }));
}

/** alice changes the sidecar to `alice`, bob to `bob` (from main), then bob merges alice. */
function mergeBranches(root: string, alice: string, bob: string) {
  commitOn(root, 'alice', { 'a.txt.ann.yaml': alice });
  git(root, 'checkout', '-q', 'main');
  commitOn(root, 'bob', { 'a.txt.ann.yaml': bob });
  return gitRun(root, 'merge', '--no-edit', 'alice');
}

describe('git drivers under faults and attack (issue 15)', function () {
  this.timeout(60000);

  before(buildCliIfStale);

  describe('item 1: a merge with a sidecar emptied on one side', () => {
    it('0 bytes on one branch, an entity added on the other: git reports a conflict, the file keeps every entity, validate fails', () => {
      const root = repo();
      const m = mergeBranches(root, '', sidecar([...BASE, DATE]));
      assert.equal(m.status, 1, m.stdout + m.stderr);
      assert.match(m.stdout, /CONFLICT/);
      const sides = splitConflictMarkers(read(root));
      assert.ok(sides && typeof sides !== 'string', read(root));
      assert.deepEqual(ids(sides.ours), ['aper01', 'borg02', 'cloc03', 'ddat04', 'eorg05', 'floc06']);
      assert.equal(tool(root, 'validate').status, 1);
      const r = tool(root, 'resolve', '--ours', 'a.txt.ann.yaml');
      assert.equal(r.status, 0, r.stderr);
      assert.equal(read(root), sidecar([...BASE, DATE]));
    });

    it('a header with `entities: []` on one branch, an entity added on the other: a conflict entry for each entity, none deleted quietly', () => {
      const root = repo();
      const m = mergeBranches(root, sidecar([]), sidecar([...BASE, DATE]));
      assert.equal(m.status, 1, m.stdout + m.stderr);
      const c = readConflictedSidecar(read(root));
      assert.deepEqual(c.sidecar?.entities.map((x) => x.id), ['ddat04']);
      assert.deepEqual(c.conflicts.map((x) => x.id), ['aper01', 'borg02', 'cloc03', 'eorg05', 'floc06']);
      assert.equal(tool(root, 'validate').status, 1);
    });
  });

  describe('item 8: the drivers never run code the repository can change', () => {
    it('install-git-drivers points git at a copy of the CLI in the user cache, outside the clone, by absolute path', () => {
      const root = repo();
      const driver = git(root, 'config', 'merge.corpus-annotator.driver').trim();
      const m = /^node (\S+) merge-driver %O %A %B %P$/.exec(driver);
      assert.ok(m, driver);
      const copy = m[1] as string;
      assert.ok(path.isAbsolute(copy), copy);
      assert.ok(copy.startsWith(path.join(cacheHome, 'corpus-annotator') + path.sep), copy);
      assert.deepEqual(fs.readFileSync(copy), fs.readFileSync(CLI_BIN));
      assert.equal(git(root, 'config', 'diff.corpus-annotator.textconv').trim(), `node ${copy} diff --textconv`);
      // the copy is a working CLI, with its version
      const v = spawnSync(process.execPath, [copy, '--version'], { encoding: 'utf8' });
      assert.equal(v.stdout.trim(), JSON.parse(fs.readFileSync(path.join(path.dirname(CLI_BIN), '..', 'package.json'), 'utf8')).version);
    });

    it('a CLI committed at node_modules/corpus-annotator/dist/cli.js is not run by git diff, git show, git log -p or git merge', () => {
      // The usual setup: the tool installed by npm in the clone (not committed), the drivers installed from it.
      const root = repo({ drivers: false });
      fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
      installInside(root);
      const i = spawnSync(process.execPath, ['node_modules/corpus-annotator/dist/cli.js', 'install-git-drivers'], { cwd: root, env: ENV, encoding: 'utf8' });
      assert.equal(i.status, 0, i.stderr);
      git(root, 'add', '-A');
      git(root, 'commit', '-q', '-m', 'drivers');
      // A pull request commits its own cli.js there (tracked files are checked out whatever .gitignore says).
      const marker = path.join(tmpDirSync(), 'pwned');
      const evil = `require('fs').writeFileSync(${JSON.stringify(marker)}, 'ran');\n`;
      git(root, 'checkout', '-q', '-b', 'pr');
      fs.writeFileSync(path.join(root, 'node_modules/corpus-annotator/dist/cli.js'), evil);
      fs.writeFileSync(path.join(root, 'a.txt.ann.yaml'), sidecar([...BASE, DATE]));
      git(root, 'add', '-f', 'node_modules/corpus-annotator/dist/cli.js', 'a.txt.ann.yaml');
      git(root, 'commit', '-q', '-m', 'a pull request');
      assert.match(git(root, 'diff', '--no-color', 'HEAD~1', 'HEAD', '--', 'a.txt.ann.yaml'), /^\+DATE  «3 mars 2025»/m);
      git(root, 'show', 'HEAD');
      git(root, 'log', '-p', '-2');
      git(root, 'checkout', '-q', '-b', 'other', 'main');
      fs.writeFileSync(path.join(root, 'a.txt.ann.yaml'), sidecar(BASE, 'done'));
      git(root, 'commit', '-q', '-am', 'other');
      git(root, 'checkout', '-q', 'pr');
      const m = gitRun(root, 'merge', '--no-edit', 'other');
      assert.equal(m.status, 0, m.stdout + m.stderr);
      assert.equal(read(root), sidecar([...BASE, DATE], 'done'));
      assert.equal(fs.existsSync(marker), false, 'the committed file ran');
    });

    it('moving the clone keeps the drivers working (nothing to do after the move)', () => {
      const root = repo();
      const moved = path.join(tmpDirSync(), 'moved-clone');
      fs.renameSync(root, moved);
      const m = mergeBranches(moved, sidecar([...BASE, DATE]), sidecar(BASE, 'done'));
      assert.equal(m.status, 0, m.stdout + m.stderr);
      assert.equal(read(moved), sidecar([...BASE, DATE], 'done'));
      assert.match(git(moved, 'log', '-p', '-1', '--no-color', 'alice'), /^\+DATE  «3 mars 2025»/m);
    });

    it('refuses to install a CLI that is a file tracked by the repository', () => {
      const root = repo({ drivers: false });
      installInside(root);
      git(root, 'add', '-f', 'node_modules');
      git(root, 'commit', '-q', '-m', 'vendored');
      const r = spawnSync(process.execPath, ['node_modules/corpus-annotator/dist/cli.js', 'install-git-drivers'], { cwd: root, env: ENV, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /is tracked by this repository/);
      assert.equal(gitRun(root, 'config', 'merge.corpus-annotator.driver').status, 1, 'nothing configured');
    });

    it('refuses a cache directory inside the work tree', () => {
      const root = repo({ drivers: false });
      const r = spawnSync(process.execPath, [CLI_BIN, 'install-git-drivers'], { cwd: root, env: { ...ENV, XDG_CACHE_HOME: path.join(root, '.cache') }, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stdout + r.stderr);
      assert.match(r.stderr, /inside the repository's work tree/);
      assert.equal(fs.existsSync(path.join(root, '.cache')), false);
    });

    it('--uninstall removes what it added, nothing else; --dry-run changes nothing', () => {
      const root = repo({ drivers: false });
      fs.writeFileSync(path.join(root, '.gitattributes'), '*.txt text eol=lf\n');
      git(root, 'config', 'merge.corpus-annotator.recursive', 'binary'); // the user's own setting
      const configBefore = read(root, '.git/config');
      assert.equal(tool(root, 'install-git-drivers').status, 0);
      const dry = tool(root, 'install-git-drivers', '--uninstall', '--dry-run');
      assert.equal(dry.status, 0, dry.stderr);
      assert.match(dry.stdout, /would remove/);
      assert.match(read(root, '.gitattributes'), /merge=corpus-annotator/);
      const r = tool(root, 'install-git-drivers', '--uninstall');
      assert.equal(r.status, 0, r.stderr);
      assert.equal(read(root, '.gitattributes'), '*.txt text eol=lf\n');
      assert.equal(git(root, 'config', 'merge.corpus-annotator.recursive').trim(), 'binary');
      for (const key of ['merge.corpus-annotator.driver', 'merge.corpus-annotator.name', 'diff.corpus-annotator.textconv']) {
        assert.equal(gitRun(root, 'config', key).status, 1, key);
      }
      assert.equal(read(root, '.git/config'), configBefore);
      // a second time: nothing to do; a .gitattributes holding only our lines is removed
      assert.match(tool(root, 'install-git-drivers', '--uninstall').stderr, /nothing to do/);
      const fresh = repo();
      assert.equal(tool(fresh, 'install-git-drivers', '--uninstall').status, 0);
      assert.equal(fs.existsSync(path.join(fresh, '.gitattributes')), false);
      assert.equal(gitRun(fresh, 'config', '--get-regexp', 'corpus-annotator').stdout, '');
    });
  });

  describe('item 2: a merge driver that cannot run', () => {
    /** A repository whose driver command points at a CLI that is gone (the package removed). */
    const brokenDriverRepo = () => {
      const root = repo();
      git(root, 'config', 'merge.corpus-annotator.driver', `node ${path.join(tmpDirSync(), 'gone', 'cli.js')} merge-driver %O %A %B %P`);
      return root;
    };

    it('validate reports the sidecar git left unmerged (ours only, no markers) as an error; resolve rebuilds the merge from git\'s index', () => {
      const root = brokenDriverRepo();
      const m = mergeBranches(root, sidecar([...BASE, DATE]), sidecar(BASE, 'done'));
      assert.equal(m.status, 1);
      assert.equal(read(root), sidecar(BASE, 'done'), 'git left ours, without markers');
      const v = tool(root, 'validate');
      assert.equal(v.status, 1, v.stdout + v.stderr);
      assert.match(v.stdout, /^a\.txt\.ann\.yaml:1:1: error: git has not finished merging this sidecar.*corpus-annotator resolve/m);
      const r = tool(root, 'resolve', 'a.txt.ann.yaml');
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, /from git's index/);
      assert.equal(read(root), sidecar([...BASE, DATE], 'done'));
      // resolved, not yet added: a warning only
      const after = tool(root, 'validate');
      assert.equal(after.status, 0, after.stdout);
      assert.match(after.stdout, /warning: git still lists this sidecar as unmerged.*git add/);
      git(root, 'add', 'a.txt.ann.yaml');
      assert.equal(tool(root, 'validate').stdout, '');
    });

    it('resolve rebuilds a conflicting merge from the index too, and --theirs settles it', () => {
      const root = brokenDriverRepo();
      const relabel = (label: string) => BASE.map((x) => (x.id === 'borg02' ? { ...x, label } : x));
      const m = mergeBranches(root, sidecar(relabel('MISC')), sidecar(relabel('LOC')));
      assert.equal(m.status, 1);
      const r = tool(root, 'resolve', 'a.txt.ann.yaml');
      assert.equal(r.status, 1);
      assert.match(r.stdout, /borg02: changed differently on both sides/);
      assert.deepEqual(readConflictedSidecar(read(root)).conflicts.map((x) => x.id), ['borg02']);
      assert.equal(tool(root, 'resolve', '--theirs', 'a.txt.ann.yaml').status, 0);
      assert.equal(read(root), sidecar(relabel('MISC')));
    });

    it('a clone installed with the old relative command: re-running install-git-drivers replaces it', () => {
      const root = repo({ drivers: false });
      git(root, 'config', 'merge.corpus-annotator.driver', 'node node_modules/corpus-annotator/dist/cli.js merge-driver %O %A %B %P');
      const r = tool(root, 'install-git-drivers');
      assert.equal(r.status, 0, r.stderr);
      assert.match(git(root, 'config', 'merge.corpus-annotator.driver'), new RegExp(`^node ${cacheHome.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/`));
    });
  });
});
