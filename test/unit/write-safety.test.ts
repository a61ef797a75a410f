// Sidecar writes under faults: two writers at once (the per-sidecar lock), temporary files left
// by a writer killed mid-write, and the names of both never taken for articles or sidecars.
import { strict as assert } from 'node:assert';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { rewriteSidecar } from '../../src/cli/files';
import { CliFs, Io } from '../../src/cli/io';
import { withSidecarLock } from '../../src/cli/sidecar-lock';
import { isWriteScratchName, lockContent, sidecarLockPath, tempPathFor, writeScratchOf } from '../../src/core/sidecar/write-scratch';
import { matchesGlobs } from '../../src/core/config/glob';
import { isSidecarPath } from '../../src/core/model/model';
import { cli } from './helpers/cli';
import { tempDirs } from './helpers/tmp';

const { makeTree } = tempDirs('write-safety');

function ioWith(fs: CliFs, cwd: string): Io {
  return { stdout: () => undefined, stderr: () => undefined, cwd, fs };
}

/** A promise with its resolve function, to let one writer wait for a step of another. */
function signal(): { promise: Promise<void>; fire: () => void } {
  let fire!: () => void;
  const promise = new Promise<void>((r) => { fire = r; });
  return { promise, fire };
}

describe('write safety: concurrent sidecar writers', () => {
  it('of two writers that read the same sidecar, only one reports success, and its text is on disk', async () => {
    const original = 'version: 1\nentities: []\n';
    const root = await makeTree({ 'a.txt.ann.yaml': original });
    const abs = path.join(root, 'a.txt.ann.yaml');
    // B reached the point where it either checks the sidecar or waits for A's lock.
    const bChecking = signal();
    const fsB: CliFs = {
      ...fsp,
      readFile: (async (p: Parameters<typeof fsp.readFile>[0], o?: Parameters<typeof fsp.readFile>[1]) => {
        if (p === abs) bChecking.fire();
        return fsp.readFile(p, o);
      }) as typeof fsp.readFile,
      open: (async (p: Parameters<typeof fsp.open>[0], ...rest: [string?, number?]) => {
        try {
          return await fsp.open(p, ...rest);
        } catch (e) {
          if (String(p).endsWith('.lock')) bChecking.fire();
          throw e;
        }
      }) as typeof fsp.open,
    };
    let writeB: Promise<string> | undefined;
    // A, just before its rename, lets B run up to its own last check.
    const fsA: CliFs = {
      ...fsp,
      rename: async (from, to) => {
        writeB = rewriteSidecar(ioWith(fsB, root), abs, 'version: 1\n# B\nentities: []\n', Buffer.from(original));
        await bChecking.promise;
        return fsp.rename(from, to);
      },
    };
    const a = await rewriteSidecar(ioWith(fsA, root), abs, 'version: 1\n# A\nentities: []\n', Buffer.from(original));
    const b = await writeB;
    const onDisk = await fsp.readFile(abs, 'utf8');
    const written = [a === 'written' ? 'A' : '', b === 'written' ? 'B' : ''].filter(Boolean);
    assert.equal(written.length, 1, `exactly one writer may report success (A: ${a}, B: ${b})`);
    assert.ok(onDisk.includes(`# ${written[0]}`), `the successful writer's text is on disk: ${onDisk}`);
    assert.deepEqual((await fsp.readdir(root)).sort(), ['a.txt.ann.yaml'], 'no lock or temporary file stays behind');
  });

  it('a lock left by a process that is gone is taken over; a live one is waited for', async () => {
    const root = await makeTree({ 'a.txt.ann.yaml': 'x' });
    const abs = path.join(root, 'a.txt.ann.yaml');
    const io = ioWith(fsp, root);
    // A dead writer's lock (pid 2^22+1 is above Linux's pid_max default, so never running).
    await fsp.writeFile(sidecarLockPath(abs), lockContent({ pid: 4_194_305, host: os.hostname(), time: Date.now() }));
    assert.equal(await withSidecarLock(io.fs, abs, async () => 'ran'), 'ran');
    await assert.rejects(fsp.stat(sidecarLockPath(abs)), 'released');
    // Our own (live) lock: a second writer waits until it is released.
    // The second starts once the first holds the lock, and the first lets go only after the second
    // has found the lock taken (its exclusive create failed): no race on who gets it first.
    const order: string[] = [];
    const entered = signal();
    const release = signal();
    const refused = signal();
    const first = withSidecarLock(io.fs, abs, async () => { order.push('first'); entered.fire(); await release.promise; order.push('first done'); });
    await entered.promise;
    const watched: typeof io.fs = {
      ...io.fs,
      open: (async (...args: Parameters<typeof io.fs.open>) => {
        try {
          return await io.fs.open(...args);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'EEXIST') refused.fire();
          throw e;
        }
      }) as typeof io.fs.open,
    };
    const second = withSidecarLock(watched, abs, async () => { order.push('second'); });
    await refused.promise;
    release.fire();
    await Promise.all([first, second]);
    assert.deepEqual(order, ['first', 'first done', 'second']);
  });
});

describe('write safety: names of locks and temporary files', () => {
  it('are never matched by the default article glob nor taken for sidecars', () => {
    const sidecar = 'dir/a.txt.ann.yaml';
    const names = [sidecarLockPath(sidecar), tempPathFor(sidecar, 1234), 'dir/a.txt.ann.yaml.ab12cd.tmp'];
    for (const n of names) {
      assert.equal(matchesGlobs(n, ['**/*.txt']), false, n);
      assert.equal(isSidecarPath(n), false, n);
      assert.ok(isWriteScratchName(path.posix.basename(n)), n);
    }
    assert.deepEqual(writeScratchOf(path.posix.basename(tempPathFor(sidecar, 1234))), { kind: 'temp', sidecar: 'a.txt.ann.yaml', pid: 1234 });
    assert.equal(isWriteScratchName('a.txt'), false);
    assert.equal(isWriteScratchName('a.txt.ann.yaml'), false);
    assert.equal(isWriteScratchName('notes.tmp'), false);
  });
});

describe('write safety: what interrupted writes leave behind', () => {
  const DEAD_PID = 4_194_305; // above Linux's default pid_max: never a running process
  const sidecar = 'version: 1\ndocument: a.txt\nentities: []\n';

  async function corpusWithLeftovers(): Promise<string> {
    return makeTree({
      'a.txt': 'Hello world.\n',
      'a.txt.ann.yaml': sidecar,
      // a temporary file of a writer killed before its rename, a lock of one killed before releasing it
      [`.a.txt.ann.yaml.${DEAD_PID}-k1ll3d.tmp`]: 'version: 1\ndocument: a.txt\nentities: []\n# half',
      'a.txt.ann.yaml.lock': lockContent({ pid: DEAD_PID, host: os.hostname(), time: Date.now() }),
      // the running process's own temporary file: a write in flight, not stale
      [`.a.txt.ann.yaml.${process.pid}-inflight.tmp`]: 'x',
    });
  }

  it('validate lists a stale temporary file and lock as warnings, not the ones of a live writer', async () => {
    const root = await corpusWithLeftovers();
    const r = await cli(['validate', '.'], root);
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 2, r.stdout);
    assert.match(r.stdout, new RegExp(`\\.a\\.txt\\.ann\\.yaml\\.${DEAD_PID}-k1ll3d\\.tmp:1:1: warning: a temporary file of an interrupted sidecar write.*fmt`));
    assert.match(r.stdout, /a\.txt\.ann\.yaml\.lock:1:1: warning: the lock of an interrupted sidecar write/);
    assert.doesNotMatch(r.stdout, /inflight/);
  });

  it('fmt removes them (and says so), leaves the live writer\'s file and the sidecar as they were', async () => {
    const root = await corpusWithLeftovers();
    const r = await cli(['fmt', '.'], root);
    assert.match(r.stderr, /removed \.a\.txt\.ann\.yaml\.\d+-k1ll3d\.tmp/);
    assert.deepEqual((await fsp.readdir(root)).sort(), [`.a.txt.ann.yaml.${process.pid}-inflight.tmp`, 'a.txt', 'a.txt.ann.yaml']);
    const again = await cli(['validate', '.'], root);
    assert.equal(again.stdout, '');
  });

  it('a write replaces a lock left by a dead writer instead of waiting for it', async () => {
    const root = await corpusWithLeftovers();
    await fsp.writeFile(path.join(root, 'a.txt.ann.yaml'), 'version: 1\nentities: []\ndocument: a.txt\n'); // not canonical
    const r = await cli(['fmt', 'a.txt.ann.yaml'], root); // named: no sweep of the directory
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /reformatted a\.txt\.ann\.yaml/);
    await assert.rejects(fsp.stat(path.join(root, 'a.txt.ann.yaml.lock')));
  });
});

describe('write safety: the extension host\'s local writer', () => {
  it('replaces the sidecar only if it still holds what was read, under the CLI\'s lock', async () => {
    const { localWriter } = await import('../../src/extension/local-write');
    assert.ok(localWriter);
    const root = await makeTree({ 'a.txt.ann.yaml': 'one\n' });
    const abs = path.join(root, 'a.txt.ann.yaml');
    assert.equal(await localWriter.replace(abs, Buffer.from('two\n'), Buffer.from('stale\n')), 'changed');
    assert.equal(await fsp.readFile(abs, 'utf8'), 'one\n');
    // While a CLI writer holds the lock, the extension waits, then sees the CLI's change.
    const release = signal();
    const cliWrite = withSidecarLock(fsp, abs, async () => { await release.promise; await fsp.writeFile(abs, 'cli\n'); });
    const extWrite = localWriter.replace(abs, Buffer.from('two\n'), Buffer.from('one\n'));
    await new Promise((r) => setImmediate(r));
    release.fire();
    await cliWrite;
    assert.equal(await extWrite, 'changed');
    assert.equal(await fsp.readFile(abs, 'utf8'), 'cli\n');
    assert.equal(await localWriter.replace(abs, Buffer.from('two\n'), Buffer.from('cli\n')), 'written');
    assert.equal(await fsp.readFile(abs, 'utf8'), 'two\n');
    assert.deepEqual(await fsp.readdir(root), ['a.txt.ann.yaml']);
  });
});
