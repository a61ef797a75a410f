// Output targets the user names (`export -o`, `gazetteer --out`): a FIFO or a device is written
// through, never renamed over (which would turn it into a regular file); `-` is stdout; a
// symbolic link is followed to its destination. Real device files are never touched here: the
// FIFO stands for every special file, made with mkfifo in a scratch directory.
import { strict as assert } from 'node:assert';
import { execFileSync, spawn } from 'node:child_process';
import { constants as fsConstants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { cli, CliResult } from './helpers/cli';
import { tempDirs } from './helpers/tmp';

const { makeTree } = tempDirs('output-targets');

const TEXT = 'M. Laftit est à Rabat.\n';
const SIDECAR = writeSidecar({
  version: 1, document: 'a.txt', status: 'done',
  entities: [{ id: 'p1', label: 'PER', start: 3, end: 9, text: 'Laftit' }, { id: 'l1', label: 'LOC', start: 16, end: 21, text: 'Rabat' }],
});

async function corpus(): Promise<string> {
  return makeTree({ 'corpus/a.txt': TEXT, 'corpus/a.txt.ann.yaml': SIDECAR });
}

/** Runs the command while another process (`cat`) reads the FIFO; what the reader got. */
async function throughFifo(root: string, fifo: string, argv: string[]): Promise<{ run: CliResult; read: string }> {
  execFileSync('mkfifo', [fifo]);
  const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
  let read = '';
  reader.stdout.setEncoding('utf8').on('data', (d: string) => void (read += d));
  const exited = new Promise<void>((resolve) => reader.on('close', () => resolve()));
  const run = await cli(argv, root);
  // A command that never opened the FIFO (or replaced it) leaves the reader waiting for a writer:
  // one more writer, closed at once, ends its read, so a failure fails the test instead of hanging.
  if ((await fsp.lstat(fifo)).isFIFO()) {
    const last = await fsp.open(fifo, fsConstants.O_WRONLY | fsConstants.O_NONBLOCK).catch(() => undefined);
    await last?.close();
  } else reader.kill();
  await exited;
  return { run, read };
}

describe('output targets (export -o, gazetteer --out)', () => {
  it('export -o FIFO: a reader gets the export, and the FIFO stays a FIFO', async () => {
    const root = await corpus();
    const fifo = path.join(root, 'out.fifo');
    const { run, read } = await throughFifo(root, fifo, ['export', '--format', 'jsonl', '-o', 'out.fifo', 'corpus']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(read, /^\{"text":"M\. Laftit est à Rabat\.\\n","spans":\[\{"start":3,"end":9,"label":"PER"/);
    assert.ok((await fsp.lstat(fifo)).isFIFO(), 'still a FIFO');
    assert.deepEqual((await fsp.readdir(root)).sort(), ['corpus', 'out.fifo'], 'no temporary file left');
  });

  it('gazetteer --out FIFO: a reader gets the gazetteer, and the FIFO stays a FIFO', async () => {
    const root = await corpus();
    const fifo = path.join(root, 'names.fifo');
    const { run, read } = await throughFifo(root, fifo, ['gazetteer', '--out', 'names.fifo', 'corpus']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(read, /^Laftit\tPER\nRabat\tLOC\n$/m);
    assert.ok((await fsp.lstat(fifo)).isFIFO());
  });

  it('-o - is stdout (export and gazetteer); no file named "-" appears', async () => {
    const root = await corpus();
    const ex = await cli(['export', '--format', 'jsonl', '-o', '-', 'corpus'], root);
    assert.equal(ex.code, 0, ex.stderr);
    assert.match(ex.stdout, /^\{"text":"M\. Laftit/);
    const gz = await cli(['gazetteer', '-o', '-', 'corpus'], root);
    assert.equal(gz.code, 0, gz.stderr);
    assert.match(gz.stdout, /Laftit\tPER\n/);
    assert.deepEqual(await fsp.readdir(root), ['corpus']);
    assert.equal((await cli(['export', '--format', 'brat', '-o', '-', 'corpus'], root)).code, 2);
  });

  it('a symbolic link target: its destination is replaced (atomically) and the link stays a link', async () => {
    const root = await corpus();
    await fsp.mkdir(path.join(root, 'data'));
    await fsp.writeFile(path.join(root, 'data/train.jsonl'), 'old\n');
    await fsp.chmod(path.join(root, 'data/train.jsonl'), 0o640);
    await fsp.symlink(path.join('data', 'train.jsonl'), path.join(root, 'train.jsonl'));
    const r = await cli(['export', '--format', 'jsonl', '-o', 'train.jsonl', 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.ok((await fsp.lstat(path.join(root, 'train.jsonl'))).isSymbolicLink(), 'still a link');
    assert.match(await fsp.readFile(path.join(root, 'data/train.jsonl'), 'utf8'), /^\{"text":"M\. Laftit/);
    assert.equal((await fsp.stat(path.join(root, 'data/train.jsonl'))).mode & 0o777, 0o640, 'permissions kept');
    assert.deepEqual(await fsp.readdir(path.join(root, 'data')), ['train.jsonl']);
  });

  it('a dangling symbolic link or a directory is refused with a clear message, nothing created', async () => {
    const root = await corpus();
    await fsp.symlink(path.join('nowhere', 'x.tsv'), path.join(root, 'x.tsv'));
    const dangling = await cli(['gazetteer', '--out', 'x.tsv', 'corpus'], root);
    assert.equal(dangling.code, 1);
    assert.match(dangling.stderr, /^x\.tsv: error: cannot write the gazetteer: it is a symbolic link to nowhere\/x\.tsv, which does not exist; create the file it points to or remove the link\n/m);
    const dir = await cli(['export', '--format', 'jsonl', '-o', 'corpus', 'corpus'], root);
    assert.equal(dir.code, 1);
    assert.match(dir.stderr, /^corpus: error: cannot write the export here: it is a directory \(EISDIR\)\n/m);
    assert.deepEqual((await fsp.readdir(root)).sort(), ['corpus', 'x.tsv']);
    assert.deepEqual((await fsp.readdir(path.join(root, 'corpus'))).sort(), ['a.txt', 'a.txt.ann.yaml']);
  });
});
