// The pre-commit hook (issue 18): `install-git-hooks` and the `pre-commit` check it runs, with real
// git in throwaway repositories. The commits are made by git itself, so the hook runs as a user's
// would (through the copy of the CLI in the cache directory).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Entity, Sidecar } from '../../src/core/model/model';
import { sha256Hex } from '../../src/core/model/sha256';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { parse } from 'yaml';
import { buildCliIfStale, cli, CLI_BIN } from './helpers/cli';
import { REPO_ROOT } from './helpers/corpus';
import { gitSandbox } from './helpers/git-repo';

const TEXT = 'Abdellatif Hammouchi a reçu Interpol à Rabat le 3 mars 2025.\n';

function e(id: string, label: string, surface: string): Entity {
  const start = TEXT.indexOf(surface);
  return { id, label, start, end: start + surface.length, text: surface };
}
const GOOD = [e('aper01', 'PER', 'Abdellatif Hammouchi'), e('borg02', 'ORG', 'Interpol')];

function sidecar(entities: Entity[]): string {
  const s: Sidecar = { version: 1, document: 'a.txt', sha256: sha256Hex(Buffer.from(TEXT, 'utf8')), status: 'in-progress', entities };
  return writeSidecar(s);
}
const GOOD_SIDECAR = sidecar(GOOD);
/** The second entity's text no longer matches the article. */
const BAD_SIDECAR = GOOD_SIDECAR.replace('text: "Interpol"', 'text: "Europol"');

const { ENV, tmpDirSync, git, gitRun, tool, repo: gitRepo } = gitSandbox('git-hooks');
const repo = () => gitRepo({ 'a.txt': TEXT, 'a.txt.ann.yaml': GOOD_SIDECAR }, { drivers: false });
const head = (root: string) => git(root, 'rev-parse', 'HEAD').trim();
const write = (root: string, f: string, content: string) => fs.writeFileSync(path.join(root, f), content);
const hookPath = (root: string) => path.resolve(root, git(root, 'rev-parse', '--git-path', 'hooks').trim(), 'pre-commit');

/** Stages `files` and commits them through git (so the hook runs; git sends a hook's stdout to stderr). */
function commit(root: string, files: Record<string, string>) {
  for (const [f, content] of Object.entries(files)) write(root, f, content);
  git(root, 'add', ...Object.keys(files));
  return gitRun(root, 'commit', '-q', '-m', 'change');
}

function installHooks(root: string, ...args: string[]) {
  const r = tool(root, 'install-git-hooks', ...args);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r;
}

describe('pre-commit hook (issue 18)', function () {
  this.timeout(60000);

  before(buildCliIfStale);

  it('refuses a commit whose staged sidecar is invalid, naming file:line; a good one passes', () => {
    const root = repo();
    installHooks(root);
    const before = head(root);
    const bad = commit(root, { 'a.txt.ann.yaml': BAD_SIDECAR.replace('status: in-progress', 'status: done') });
    assert.notEqual(bad.status, 0, 'commit accepted');
    assert.equal(head(root), before);
    assert.match(bad.stderr, /^a\.txt\.ann\.yaml:\d+:\d+: error: .*Europol/m, bad.stderr);
    assert.match(bad.stderr, /commit refused/);
    const good = commit(root, { 'a.txt.ann.yaml': sidecar([...GOOD, e('cloc03', 'LOC', 'Rabat')]) });
    assert.equal(good.status, 0, good.stdout + good.stderr);
    assert.notEqual(head(root), before);
  });

  it('refuses git conflict markers and unresolved conflicts: entries', () => {
    const root = repo();
    installHooks(root);
    const marked = `<<<<<<< ours\n${GOOD_SIDECAR}=======\n${sidecar([GOOD[0] as Entity])}>>>>>>> theirs\n`;
    const m = commit(root, { 'a.txt.ann.yaml': marked });
    assert.notEqual(m.status, 0);
    assert.match(m.stderr, /^a\.txt\.ann\.yaml:1:1: error: .*conflict markers/m, m.stderr);
    const conflicts = `${GOOD_SIDECAR}conflicts:\n  - {id: cloc03, reason: relabelled on both sides, ours: {id: cloc03, label: LOC, start: 45, end: 50, text: Rabat}, theirs: {id: cloc03, label: ORG, start: 45, end: 50, text: Rabat}}\n`;
    const c = commit(root, { 'a.txt.ann.yaml': conflicts });
    assert.notEqual(c.status, 0, c.stderr);
    assert.match(c.stderr, /error: unresolved annotation conflict on cloc03/, c.stderr);
  });

  it('refuses a sidecar that fmt --check would reformat, at the first line that differs', () => {
    const root = repo();
    installHooks(root);
    const r = commit(root, { 'a.txt.ann.yaml': GOOD_SIDECAR.replace('status: in-progress', 'status:   in-progress') });
    assert.notEqual(r.status, 0);
    const line = GOOD_SIDECAR.split('\n').findIndex((l) => l.startsWith('status:')) + 1;
    assert.match(r.stderr, new RegExp(`^a\\.txt\\.ann\\.yaml:${line}:1: error: not in canonical form.*fmt a\\.txt\\.ann\\.yaml`, 'm'), r.stderr);
  });

  it('checks the staged content, not the working tree (git add -p)', () => {
    const root = repo();
    installHooks(root);
    // staged bad, working tree good: refused
    write(root, 'a.txt.ann.yaml', BAD_SIDECAR);
    git(root, 'add', 'a.txt.ann.yaml');
    write(root, 'a.txt.ann.yaml', GOOD_SIDECAR);
    assert.notEqual(gitRun(root, 'commit', '-q', '-m', 'x').status, 0);
    // staged good, working tree bad: accepted
    const good = sidecar([...GOOD, e('cloc03', 'LOC', 'Rabat')]);
    write(root, 'a.txt.ann.yaml', good);
    git(root, 'add', 'a.txt.ann.yaml');
    write(root, 'a.txt.ann.yaml', BAD_SIDECAR);
    const r = gitRun(root, 'commit', '-q', '-m', 'x');
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(git(root, 'show', 'HEAD:a.txt.ann.yaml'), good);
  });

  it('checks the sidecar of a staged article against the staged article', () => {
    const root = repo();
    installHooks(root);
    const r = commit(root, { 'a.txt': 'Autre texte, Interpol a bougé.\n' });
    assert.notEqual(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stderr, /^a\.txt\.ann\.yaml:\d+:\d+: error: /m);
  });

  it('an existing hook of the user: refused without a flag, kept and run first with --chain, put back by --uninstall', () => {
    const root = repo();
    const hook = hookPath(root);
    const ran = path.join(tmpDirSync(), 'user-hook-ran');
    const mine = `#!/bin/sh\necho ran >> '${ran}'\n`;
    fs.mkdirSync(path.dirname(hook), { recursive: true });
    fs.writeFileSync(hook, mine, { mode: 0o755 });
    const refused = tool(root, 'install-git-hooks');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /already exists and is not this tool's.*--chain.*--force/);
    assert.equal(fs.readFileSync(hook, 'utf8'), mine);

    installHooks(root, '--chain');
    assert.equal(fs.readFileSync(hook + '.before-corpus-annotator', 'utf8'), mine);
    assert.notEqual(commit(root, { 'a.txt.ann.yaml': BAD_SIDECAR }).status, 0);
    assert.equal(fs.readFileSync(ran, 'utf8'), 'ran\n', 'the user\'s hook ran');
    const ok = commit(root, { 'a.txt.ann.yaml': sidecar([GOOD[0] as Entity]) });
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.equal(fs.readFileSync(ran, 'utf8'), 'ran\nran\n');
    // the user's hook failing still refuses the commit
    fs.writeFileSync(hook + '.before-corpus-annotator', '#!/bin/sh\nexit 3\n');
    assert.equal(commit(root, { 'a.txt.ann.yaml': GOOD_SIDECAR }).status, 1);
    fs.writeFileSync(hook + '.before-corpus-annotator', mine);

    installHooks(root, '--uninstall');
    assert.equal(fs.readFileSync(hook, 'utf8'), mine);
    assert.equal(fs.statSync(hook).mode & 0o111, 0o111, 'still executable');
    assert.equal(fs.existsSync(hook + '.before-corpus-annotator'), false);
    assert.equal(commit(root, { 'a.txt.ann.yaml': BAD_SIDECAR }).status, 0, 'our check is gone');
  });

  it('--force sets the user\'s hook aside; --uninstall restores it; uninstall leaves a hook that is not ours alone', () => {
    const root = repo();
    const hook = hookPath(root);
    fs.mkdirSync(path.dirname(hook), { recursive: true });
    fs.writeFileSync(hook, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    installHooks(root, '--force');
    assert.equal(fs.readFileSync(hook + '.corpus-annotator-backup', 'utf8'), '#!/bin/sh\nexit 0\n');
    assert.notEqual(commit(root, { 'a.txt.ann.yaml': BAD_SIDECAR }).status, 0);
    assert.match(installHooks(root).stderr, /nothing to do/);
    installHooks(root, '--uninstall');
    assert.equal(fs.readFileSync(hook, 'utf8'), '#!/bin/sh\nexit 0\n');
    assert.match(installHooks(root, '--uninstall').stderr, /not the hook this tool installs/);
    assert.equal(fs.readFileSync(hook, 'utf8'), '#!/bin/sh\nexit 0\n');
  });

  it('respects core.hooksPath, and installs once for all linked worktrees', () => {
    const root = repo();
    git(root, 'config', 'core.hooksPath', '.githooks');
    const r = installHooks(root);
    assert.ok(fs.existsSync(path.join(root, '.githooks', 'pre-commit')), r.stdout);
    assert.match(r.stderr, /inside the work tree/);
    assert.equal(fs.existsSync(path.join(root, '.git', 'hooks', 'pre-commit')), false);
    assert.notEqual(commit(root, { 'a.txt.ann.yaml': BAD_SIDECAR }).status, 0);

    const other = repo();
    const wt = path.join(tmpDirSync(), 'linked');
    git(other, 'worktree', 'add', '-q', '-b', 'side', wt);
    installHooks(wt);
    assert.ok(fs.existsSync(path.join(other, '.git', 'hooks', 'pre-commit')), 'in the common hooks directory');
    assert.notEqual(commit(wt, { 'a.txt.ann.yaml': BAD_SIDECAR }).status, 0, 'refused in the linked worktree');
    assert.notEqual(commit(other, { 'a.txt.ann.yaml': BAD_SIDECAR }).status, 0, 'and in the main one');
  });

  it('runs the cached copy of the CLI: works after the package is removed from node_modules', () => {
    const root = repo();
    fs.writeFileSync(path.join(root, '.gitignore'), 'node_modules/\n');
    const inside = path.join(root, 'node_modules/corpus-annotator');
    fs.mkdirSync(path.join(inside, 'dist'), { recursive: true });
    fs.copyFileSync(CLI_BIN, path.join(inside, 'dist/cli.js'));
    fs.writeFileSync(path.join(inside, 'package.json'), JSON.stringify({ name: 'corpus-annotator', version: '0.0.0-inside' }));
    const i = spawnSync(process.execPath, ['node_modules/corpus-annotator/dist/cli.js', 'install-git-hooks'], { cwd: root, env: ENV, encoding: 'utf8' });
    assert.equal(i.status, 0, i.stderr);
    assert.doesNotMatch(fs.readFileSync(hookPath(root), 'utf8'), /node_modules/);
    fs.rmSync(path.join(root, 'node_modules'), { recursive: true });
    const r = commit(root, { 'a.txt.ann.yaml': BAD_SIDECAR });
    assert.equal(r.status, 1, r.stdout + r.stderr);
    assert.match(r.stderr, /error: .*Europol/);
  });

  it('outside a repository: a clear error', () => {
    const dir = tmpDirSync();
    const r = tool(dir, 'install-git-hooks');
    assert.equal(r.status, 1);
    assert.match(r.stderr, /not inside a git repository/);
    assert.equal(tool(dir, 'pre-commit').status, 1);
  });
});

describe('pre-commit framework entry (issue 18)', () => {
  it('.pre-commit-hooks.yaml names a command the CLI has, without file names (it reads the index)', async () => {
    const hooks = parse(fs.readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Array<Record<string, unknown>>;
    const entry = hooks.find((h) => h.id === 'corpus-annotator');
    assert.ok(entry);
    assert.equal(entry.entry, 'corpus-annotator pre-commit');
    assert.equal(entry.language, 'node');
    assert.equal(entry.pass_filenames, false);
    const help = await cli(['pre-commit', '--help'], REPO_ROOT);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /staged/);
  });
});
