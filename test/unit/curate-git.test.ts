// Curation inputs from git branches, as "Curate Annotations From…" reads them in the Node host
// (src/extension/curate-git.ts, which imports no vscode) and the CLI does (src/cli/curate-revision.ts):
// the parsers of git's output on bytes, then real git in a temporary repository with two annotators'
// branches — what is offered, what is read, an unparsable sidecar on one branch, no repository, no git.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { curateSources } from '../../src/core/review/curate';
import { badInputNames, CurationInput, documentKeys, missingIn, readSources, sidecarsUnderPrefix, sidecarText } from '../../src/core/review/curate-inputs';
import { parseCatFileBatch, parseLocalBranches, parseNulSeparated } from '../../src/core/review/git-output';
import { Entity, Sidecar } from '../../src/core/model/model';
import { sha256Hex } from '../../src/core/model/sha256';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { gitRepository, localBranches, readFilesAt } from '../../src/cli/git';
import { branchSource, readBranch } from '../../src/extension/curate-git';
import { tempDirs } from './helpers/tmp';

/** A workspace folder on disk, as branchSource reads a vscode.Uri. */
const onDisk = (fsPath: string) => ({ scheme: 'file', fsPath, toString: () => `file://${fsPath}` });

const { tmpDirSync } = tempDirs('curate-git');
const bytes = (s: string) => new TextEncoder().encode(s);

const A_TEXT = 'Abdellatif Hammouchi a reçu Interpol à Rabat.\n';
const B_TEXT = 'Europol siège à La Haye.\n';

function entity(text: string, id: string, label: string, surface: string): Entity {
  const start = [...text.slice(0, text.indexOf(surface))].length;
  return { id, label, start, end: start + [...surface].length, text: surface };
}

function sidecarFor(document: string, text: string, entities: Entity[]): string {
  const s: Sidecar = { version: 1, document, sha256: sha256Hex(Buffer.from(text, 'utf8')), status: 'in-progress', entities };
  return writeSidecar(s);
}

describe('curation inputs: parsing what git prints', () => {
  it('cat-file --batch: blobs by spec, missing and non-blob objects as undefined, a truncated answer refused', () => {
    const out = Buffer.concat([
      Buffer.from('0123abcd blob 5\nhello\n'),
      Buffer.from('main:nope missing\n'),
      Buffer.from('4567ef01 tree 0\n\n'),
      Buffer.from('89abcdef blob 3\nvoi\n'), // 3 bytes, not valid UTF-8 text is fine: bytes come back as they are
    ]);
    const got = parseCatFileBatch(out, ['main:a', 'main:nope', 'main:dir', 'main:b']);
    assert.equal(new TextDecoder().decode(got.get('main:a')), 'hello');
    assert.equal(got.get('main:nope'), undefined);
    assert.ok(got.has('main:nope'));
    assert.equal(got.get('main:dir'), undefined);
    assert.equal(new TextDecoder().decode(got.get('main:b')), 'voi');
    assert.throws(() => parseCatFileBatch(Buffer.from('0123abcd blob 50\nhello\n'), ['main:a']), /stopped inside main:a/);
    assert.throws(() => parseCatFileBatch(Buffer.from(''), ['main:a']), /stopped before main:a/);
  });

  it('for-each-ref: branches in order, the checked-out one marked; ls-tree -z paths', () => {
    assert.deepEqual(parseLocalBranches('  alice\n* main\n  review/bob\n'), { branches: ['alice', 'main', 'review/bob'], current: 'main' });
    assert.deepEqual(parseLocalBranches(''), { branches: [], current: undefined });
    assert.deepEqual(parseNulSeparated('a.txt\0dir/b c.txt\0'), ['a.txt', 'dir/b c.txt']);
  });

  it('sidecars under a prefix, keyed by their path under it', () => {
    const files = ['a.txt', 'a.txt.ann.yaml', 'corpus/b.txt', 'corpus/b.txt.ann.yaml', 'corpus/sub/c.txt.ann.yaml', 'corpusx/d.txt.ann.yaml'];
    assert.deepEqual([...sidecarsUnderPrefix(files, '')], [['a.txt.ann.yaml', 'a.txt.ann.yaml'], ['corpus/b.txt.ann.yaml', 'corpus/b.txt.ann.yaml'], ['corpus/sub/c.txt.ann.yaml', 'corpus/sub/c.txt.ann.yaml'], ['corpusx/d.txt.ann.yaml', 'corpusx/d.txt.ann.yaml']]);
    // git rev-parse --show-prefix ends with a slash; REV:PATH may not.
    for (const prefix of ['corpus/', 'corpus', '/corpus/']) {
      assert.deepEqual([...sidecarsUnderPrefix(files, prefix)], [['b.txt.ann.yaml', 'corpus/b.txt.ann.yaml'], ['sub/c.txt.ann.yaml', 'corpus/sub/c.txt.ann.yaml']]);
    }
  });

  it('names usable in attrs: non-empty, comma-free, distinct', () => {
    assert.equal(badInputNames(['alice', 'review/bob']), undefined);
    assert.match(badInputNames(['alice', 'alice']) ?? '', /same name \(alice, alice\)/);
    assert.match(badInputNames(['a,b', 'c']) ?? '', /'a,b' has a comma/);
    assert.match(badInputNames(['', 'c']) ?? '', /empty/);
  });

  it('reads every version of a document; a sidecar that cannot be read fails it, naming where', async () => {
    const entry = (display: string, sidecar: () => Promise<string | undefined>) => ({ display, sidecar, article: async () => bytes(A_TEXT) });
    const inputs: CurationInput[] = [
      { name: 'alice', docs: new Map([['a.txt.ann.yaml', entry('alice:a.txt.ann.yaml', async () => 'x')], ['b.txt.ann.yaml', entry('alice:b.txt.ann.yaml', async () => 'y')]]) },
      { name: 'bob', docs: new Map([['a.txt.ann.yaml', entry('bob:a.txt.ann.yaml', () => Promise.reject(new Error('EACCES')))]]) },
    ];
    assert.deepEqual(documentKeys(inputs), ['a.txt.ann.yaml', 'b.txt.ann.yaml']);
    assert.deepEqual(missingIn(inputs, 'b.txt.ann.yaml'), ['bob']);
    assert.deepEqual(await readSources(inputs, 'a.txt.ann.yaml', (e) => (e as Error).message), { ok: false, error: 'bob:a.txt.ann.yaml: cannot read it: EACCES' });
    assert.deepEqual(await readSources(inputs, 'b.txt.ann.yaml', String), { ok: false, error: 'not annotated in bob' });
    assert.equal(sidecarText(Uint8Array.of(0xff, 0xfe)), undefined);
    assert.equal(sidecarText(undefined), undefined);
  });
});

describe('curation inputs: branches of a real git repository', function () {
  this.timeout(30000);
  const env = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
  let root: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const write = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  };
  const aliceA = [entity(A_TEXT, 'al0001', 'PER', 'Abdellatif Hammouchi'), entity(A_TEXT, 'al0002', 'ORG', 'Interpol'), entity(A_TEXT, 'al0003', 'LOC', 'Rabat')];
  const bobA = [entity(A_TEXT, 'bo0001', 'PER', 'Abdellatif Hammouchi'), entity(A_TEXT, 'bo0002', 'MISC', 'Interpol')];
  const tips: Record<string, string> = {};

  before(() => {
    root = tmpDirSync();
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'T');
    git('config', 'user.email', 't@example.com');
    write('README.md', 'not a document\n');
    write('corpus/a.txt', A_TEXT);
    write('corpus/b.txt', B_TEXT);
    git('add', '-A');
    git('commit', '-qm', 'articles');
    git('checkout', '-q', '-b', 'alice');
    write('corpus/a.txt.ann.yaml', sidecarFor('a.txt', A_TEXT, aliceA));
    write('corpus/b.txt.ann.yaml', sidecarFor('b.txt', B_TEXT, [entity(B_TEXT, 'al0004', 'ORG', 'Europol')]));
    git('add', '-A');
    git('commit', '-qm', 'alice annotates');
    git('checkout', '-q', '-b', 'bob', 'main');
    write('corpus/a.txt.ann.yaml', sidecarFor('a.txt', A_TEXT, bobA));
    // bob's b.txt sidecar is broken on line 5: curation of b.txt must be refused, a.txt still curated.
    write('corpus/b.txt.ann.yaml', 'version: 1\ndocument: b.txt\nstatus: in-progress\nentities:\n  - {id: bo0003, label: ORG, start: 0\n');
    git('add', '-A');
    git('commit', '-qm', 'bob annotates');
    git('checkout', '-q', 'main');
    for (const b of ['main', 'alice', 'bob']) tips[b] = git('rev-parse', b).trim();
  });

  it('offers the local branches, the checked-out one marked, from the workspace folder under the top', async () => {
    const source = await branchSource(onDisk(path.join(root, 'corpus')));
    assert.ok(source.ok, JSON.stringify(source));
    assert.deepEqual(source.branches, ['alice', 'bob', 'main']);
    assert.equal(source.current, 'main');
    assert.equal(source.repository.prefix, 'corpus/');
    assert.equal(fs.realpathSync(source.repository.top), fs.realpathSync(root));
    assert.deepEqual(await localBranches(root), { branches: ['alice', 'bob', 'main'], current: 'main' });
  });

  it('reads each branch\'s sidecars and articles under the folder, without checking anything out', async () => {
    const source = await branchSource(onDisk(path.join(root, 'corpus')));
    assert.ok(source.ok);
    const alice = await readBranch(source.repository, 'alice');
    assert.deepEqual([...alice.keys()], ['a.txt.ann.yaml', 'b.txt.ann.yaml']);
    const a = alice.get('a.txt.ann.yaml');
    assert.equal(a?.display, 'alice:corpus/a.txt.ann.yaml');
    assert.equal(await a?.sidecar(), sidecarFor('a.txt', A_TEXT, aliceA));
    assert.equal(new TextDecoder().decode(await a?.article()), A_TEXT);
    // The whole repository from its top: the same sidecars, keyed by their repository paths.
    const fromTop = await branchSource(onDisk(root));
    assert.ok(fromTop.ok);
    assert.deepEqual([...(await readBranch(fromTop.repository, 'alice')).keys()], ['corpus/a.txt.ann.yaml', 'corpus/b.txt.ann.yaml']);
    // main has articles and no sidecar: nothing to curate there.
    assert.equal((await readBranch(source.repository, 'main')).size, 0);
    await assert.rejects(readBranch(source.repository, 'carol'), /there is no branch 'carol'/);
    assert.equal(git('status', '--porcelain'), '');
    assert.equal(git('rev-parse', '--abbrev-ref', 'HEAD').trim(), 'main');
  });

  it('curates two branches: an agreement, a disagreement, and the article whose sidecar is broken on one branch refused with branch, file and line', async () => {
    const source = await branchSource(onDisk(path.join(root, 'corpus')));
    assert.ok(source.ok);
    const inputs: CurationInput[] = [
      { name: 'alice', docs: await readBranch(source.repository, 'alice') },
      { name: 'bob', docs: await readBranch(source.repository, 'bob') },
    ];
    const results = new Map<string, ReturnType<typeof curateSources>>();
    for (const key of documentKeys(inputs)) {
      const read = await readSources(inputs, key, String);
      assert.ok(read.ok);
      results.set(key, curateSources(key.replace(/\.ann\.yaml$/, ''), read.sources, { seed: key }));
    }
    const a = results.get('a.txt.ann.yaml');
    assert.ok(a?.ok, JSON.stringify(a));
    assert.equal(a.result.agreed, 1);
    assert.deepEqual(a.sidecar.entities.map((e) => [e.text, e.label, e.suggested === true, e.attrs?.agreed ?? e.attrs?.from]), [
      ['Abdellatif Hammouchi', 'PER', false, 'alice,bob'],
      ['Interpol', 'MISC', true, 'bob'],
      ['Interpol', 'ORG', true, 'alice'],
      ['Rabat', 'LOC', true, 'alice'],
    ]);
    const b = results.get('b.txt.ann.yaml');
    assert.ok(b && !b.ok);
    assert.match(b.error, /^bob:corpus\/b\.txt\.ann\.yaml \(bob\): not a valid sidecar \(line \d+: /);
    // Reading changed no branch and no file.
    for (const [branch, tip] of Object.entries(tips)) assert.equal(git('rev-parse', branch).trim(), tip, branch);
    assert.equal(git('status', '--porcelain'), '');
  });

  it('a folder outside any repository, missing, not on disk, or no folder: no branches, and why', async () => {
    const outside = tmpDirSync();
    const source = await branchSource(onDisk(outside));
    assert.deepEqual(source, { ok: false, reason: `${outside} is not in a git repository` });
    const repo = await gitRepository(outside);
    assert.equal(repo.ok ? 'ok' : repo.why, 'not-a-repository');
    // spawn says ENOENT for a missing working directory too: that is not a missing git.
    const gone = path.join(outside, 'gone');
    assert.deepEqual(await branchSource(onDisk(gone)), { ok: false, reason: `${gone} is not a folder` });
    // No folder open, or one on a remote or virtual file system: git runs on this machine's disk only.
    assert.deepEqual(await branchSource(undefined), { ok: false, reason: 'no folder is open' });
    const virtual = { scheme: 'vscode-vfs', fsPath: '/corpus', toString: () => 'vscode-vfs://github/corpus' };
    assert.deepEqual(await branchSource(virtual), { ok: false, reason: 'vscode-vfs://github/corpus is not on this machine\'s disk, where git runs' });
  });

  it('git missing from the PATH: no branches, and why', async () => {
    const saved = process.env.PATH;
    process.env.PATH = tmpDirSync(); // an empty directory: no git there
    try {
      const source = await branchSource(onDisk(root));
      assert.deepEqual(source, { ok: false, reason: 'git was not found on the PATH: install git to curate branches' });
      await assert.rejects(readFilesAt(['main:corpus/a.txt'], root), (e: NodeJS.ErrnoException) => e.code === 'ENOENT');
    } finally {
      process.env.PATH = saved;
    }
  });
});
