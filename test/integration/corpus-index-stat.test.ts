// The persisted index's check against the sidecars (issue 14) stats them through Node's fs in the
// Node host (src/extension/read-file.ts `statFile`): the same figures workspace.fs gives (a stamp
// persisted by either matches the other's), the same FileSystemErrors, and a sidecar that vanished
// after the article list was made or that cannot be stat'ed is read again, never reused: the
// totals then say what is on disk (nothing for a vanished sidecar, an invalid document for an
// unreadable one), and nothing throws.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { DocumentSummary, StringPool, summariseSidecar } from '../../src/core/corpus/corpus-index';
import { serialiseEntry, serialiseSnapshot, SnapshotEntry } from '../../src/core/corpus/corpus-index-snapshot';
import { CorpusIndexCache } from '../../src/extension/corpus-index-cache';
import type { Reopened } from '../../src/extension/corpus-index-commands';
import { statFile } from '../../src/extension/read-file';
import { activateApi, poll, workspaceDir } from './helpers';

const HOUR_AGO = new Date(Date.now() - 3_600_000);
/** Root ignores permission bits: an unreadable directory cannot be made, a symbolic-link loop stands in for it. */
const isRoot = process.getuid?.() === 0;

/** An article of `n` words, each tagged `label`, and its sidecar, both an hour old (never "racily clean"). */
function writeDoc(dir: string, name: string, n: number, label: string): string {
  fs.mkdirSync(dir, { recursive: true });
  const words = Array.from({ length: n }, (_, i) => `Mot${i}`);
  let at = 0;
  const entities = words.map((w, i) => {
    const line = `  - {id: s${i}, label: ${label}, start: ${at}, end: ${at + w.length}, text: "${w}"}`;
    at += w.length + 1;
    return line;
  });
  const article = path.join(dir, name);
  // Sidecar first: the article's appearance makes the extension read its sidecar.
  for (const [file, content] of <Array<[string, string]>>[[`${article}.ann.yaml`, ['version: 1', `document: ${name}`, 'status: todo', 'entities:', ...entities, ''].join('\n')], [article, `${words.join(' ')}\n`]]) {
    fs.writeFileSync(file, content);
    fs.utimesSync(file, HOUR_AGO, HOUR_AGO);
  }
  return article;
}

/** Makes `sidecar` impossible to stat: its directory unreadable (`dir`, unless root), else the sidecar a link to itself. */
function makeUnstatable(sidecar: string, how: 'dir' | 'loop'): () => void {
  if (how === 'dir' && !isRoot) {
    fs.chmodSync(path.dirname(sidecar), 0o000);
    return () => fs.chmodSync(path.dirname(sidecar), 0o755);
  }
  fs.rmSync(sidecar);
  fs.symlinkSync(path.basename(sidecar), sidecar); // ELOOP
  return () => undefined;
}

const code = (e: unknown) => (e instanceof vscode.FileSystemError ? e.code : `not a FileSystemError: ${String(e)}`);

describe('corpus index sidecar stats', function () {
  this.timeout(120_000);
  let tmp = '';
  const restore: Array<() => void> = [];
  let log: vscode.LogOutputChannel;

  before(async () => {
    await activateApi();
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-stat-'));
    log = vscode.window.createOutputChannel('corpus index stat test', { log: true });
  });

  after(() => {
    for (const r of restore.splice(0)) r();
    fs.rmSync(tmp, { recursive: true, force: true });
    log.dispose();
  });

  it('gives the size and mtime workspace.fs.stat gives, for a file and a directory', async () => {
    const file = path.join(tmp, 'a.txt.ann.yaml');
    fs.writeFileSync(file, 'version: 1\nentities: []\n');
    // A sub-millisecond mtime: both must cut it the same way, or every persisted stamp would look changed.
    fs.utimesSync(file, HOUR_AGO, new Date(1_700_000_000_123.75));
    for (const uri of [vscode.Uri.file(file), vscode.Uri.file(tmp)]) {
      const ours = await statFile(uri);
      const theirs = await vscode.workspace.fs.stat(uri);
      assert.deepEqual({ size: ours.size, mtime: ours.mtime }, { size: theirs.size, mtime: theirs.mtime }, uri.fsPath);
    }
    assert.equal((await statFile(vscode.Uri.file(file))).mtime, 1_700_000_000_123);
  });

  it('rejects FileNotFound for a missing file and a path through a file, another error for a path it cannot stat', async () => {
    const file = path.join(tmp, 'b.txt.ann.yaml');
    fs.writeFileSync(file, '');
    await assert.rejects(statFile(vscode.Uri.file(path.join(tmp, 'missing.ann.yaml'))), (e) => code(e) === 'FileNotFound');
    await assert.rejects(statFile(vscode.Uri.file(path.join(file, 'x'))), (e) => code(e) === 'FileNotFound'); // ENOTDIR
    const loop = path.join(tmp, 'loop.ann.yaml');
    fs.symlinkSync('loop.ann.yaml', loop);
    await assert.rejects(statFile(vscode.Uri.file(loop)), (e) => code(e) !== 'FileNotFound');
    if (!isRoot) {
      const locked = path.join(tmp, 'locked');
      fs.mkdirSync(locked);
      fs.writeFileSync(path.join(locked, 'c.ann.yaml'), '');
      fs.chmodSync(locked, 0o000);
      restore.push(() => fs.chmodSync(locked, 0o755));
      await assert.rejects(statFile(vscode.Uri.file(path.join(locked, 'c.ann.yaml'))), (e) => code(e) === 'NoPermissions');
    }
  });

  it('reads again a sidecar that vanished after the listing, or cannot be stat-ed, or changed; reuses only the unchanged', async () => {
    const corpus = path.join(tmp, 'corpus');
    const [kept, vanished, unstatable, changed, gone] = [
      writeDoc(corpus, 'kept.txt', 3, 'LOC'),
      writeDoc(corpus, 'vanished.txt', 3, 'LOC'),
      writeDoc(path.join(corpus, 'sub'), 'unstatable.txt', 3, 'LOC'),
      writeDoc(corpus, 'changed.txt', 3, 'LOC'),
      writeDoc(corpus, 'gone.txt', 3, 'LOC'),
    ] as [string, string, string, string, string];
    const articles = [kept, vanished, unstatable, changed, gone].map((p) => vscode.Uri.file(p));
    const cache = new CorpusIndexCache(undefined, log, 'test');
    // The persisted index, as a session that read every sidecar would have written it.
    const entries = new Map<string, SnapshotEntry>();
    for (const a of articles) {
      const sidecar = vscode.Uri.file(`${a.fsPath}.ann.yaml`);
      const stamp = await cache.stamp(sidecar);
      assert.ok(stamp && !('absent' in stamp), `${sidecar.fsPath} has a stamp`);
      entries.set(a.toString(), { stamp, summary: summariseSidecar(fs.readFileSync(sidecar.fsPath, 'utf8')) });
    }
    // Then, after the article list was made (`articles`), before the check:
    fs.rmSync(`${vanished}.ann.yaml`);
    restore.push(makeUnstatable(`${unstatable}.ann.yaml`, 'dir'));
    fs.appendFileSync(`${changed}.ann.yaml`, '# one more line\n');
    fs.utimesSync(`${changed}.ann.yaml`, HOUR_AGO, HOUR_AGO); // same mtime: the size tells
    fs.rmSync(`${gone}.ann.yaml`);
    fs.rmSync(gone);

    const current = (key: string): DocumentSummary | undefined => entries.get(key)?.summary;
    const stale = await cache.stale(entries, articles, current);
    assert.deepEqual([...stale].sort(), [vanished, unstatable, changed, gone].map((p) => vscode.Uri.file(p).toString()).sort());
    assert.deepEqual(cache.lastWarmStart, { persisted: 5, reused: 1, stale: 4 });
    assert.deepEqual(await cache.stamp(vscode.Uri.file(`${vanished}.ann.yaml`)), { absent: true }, 'a vanished sidecar is absent');
    assert.equal(await cache.stamp(vscode.Uri.file(`${unstatable}.ann.yaml`)), undefined, 'an unstat-able one has no stamp (never trusted)');
    cache.dispose();
  });

  /**
   * Writes a persisted index of `articles` (as a session that read every sidecar would have) in a
   * storage directory of its own, the mentions file then passed through `spoil`; returns a cache over it.
   */
  async function persisted(name: string, articles: vscode.Uri[], spoil: (files: { counts: string; mentions: string; generation: string }) => { counts: string; mentions: string | undefined }): Promise<CorpusIndexCache> {
    const storage = vscode.Uri.file(path.join(tmp, name));
    const cache = new CorpusIndexCache(storage, log, 'test');
    const lines = [];
    for (const a of articles) {
      const sidecar = vscode.Uri.file(`${a.fsPath}.ann.yaml`);
      const stamp = await cache.stamp(sidecar);
      assert.ok(stamp);
      lines.push(serialiseEntry(a.toString(), { stamp, summary: summariseSidecar(fs.readFileSync(sidecar.fsPath, 'utf8'), { withMentions: new StringPool() }) }));
    }
    const generation = '0000000001-test';
    const files = spoil({ ...serialiseSnapshot(lines, 'test', generation), generation });
    fs.mkdirSync(storage.fsPath, { recursive: true });
    fs.writeFileSync(path.join(storage.fsPath, `corpus-index-${generation}.counts.jsonl`), files.counts);
    if (files.mentions !== undefined) fs.writeFileSync(path.join(storage.fsPath, `corpus-index-${generation}.mentions.jsonl`), files.mentions);
    return cache;
  }

  it('reads again a document whose persisted mentions line turns out bad or cut short, though its sidecar is unchanged', async () => {
    const corpus = path.join(tmp, 'mentions');
    const articles = [writeDoc(corpus, 'good.txt', 3, 'LOC'), writeDoc(corpus, 'spoilt.txt', 3, 'LOC'), writeDoc(corpus, 'cut.txt', 3, 'LOC')].map((p) => vscode.Uri.file(p));
    // The counts stay whole (the totals use them); the mentions of the second are spoilt (not JSON, same length), the last line cut short (a torn write).
    const cache = await persisted('bad-line', articles, (f) => ({ counts: f.counts, mentions: f.mentions.replace(/(spoilt\.txt",\d+\]\t\{"i":\["s0)"/, "$1'").slice(0, -6) }));
    const pool = new StringPool();
    const entries = await cache.load(pool);
    assert.ok(entries, JSON.stringify(cache.lastWarmStart));
    assert.equal(entries.size, 3, 'every document counted');
    const stale = await cache.stale(entries, articles, (key) => entries.get(key)?.summary);
    assert.deepEqual([...stale].sort(), [articles[1]?.toString(), articles[2]?.toString()].sort());
    assert.deepEqual(cache.lastWarmStart, { persisted: 3, reused: 1, stale: 2 });
    assert.equal(entries.get(articles[0]?.toString() ?? '')?.summary.mentions?.length, 3, 'the good one has its mentions');
    cache.dispose();
  });

  it('keeps the counts of a torn pair (the mentions of another generation, or none) and reads again the sidecars for their mentions', async () => {
    const corpus = path.join(tmp, 'torn');
    const articles = [writeDoc(corpus, 'a.txt', 3, 'LOC'), writeDoc(corpus, 'b.txt', 4, 'PER')].map((p) => vscode.Uri.file(p));
    for (const [what, spoil] of <Array<[string, (f: { counts: string; mentions: string; generation: string }) => { counts: string; mentions: string | undefined }]>>[
      ['another generation', (f) => ({ counts: f.counts, mentions: f.mentions.replace(f.generation, '0000000000-older') })],
      ['no mentions file', (f) => ({ counts: f.counts, mentions: undefined })],
    ]) {
      const cache = await persisted(`torn-${what.replaceAll(' ', '-')}`, articles, spoil);
      const entries = await cache.load(new StringPool());
      assert.ok(entries, `${what}: the counts are used (${JSON.stringify(cache.lastWarmStart)})`);
      assert.deepEqual([...entries.values()].map((e) => e.summary.entities), [3, 4], `${what}: the counts stand`);
      const stale = await cache.stale(entries, articles, (key) => entries.get(key)?.summary);
      assert.deepEqual([...stale].sort(), articles.map((a) => a.toString()).sort(), `${what}: both read again for their mentions`);
      assert.deepEqual(cache.lastWarmStart, { persisted: 2, reused: 0, stale: 2 }, what);
      for (const [, e] of entries) assert.equal(e.summary.mentions, undefined, what);
      cache.dispose();
    }
  });

  it('has no files and saves nothing without a directory, and lists none in a directory not made yet', async () => {
    assert.deepEqual(await new CorpusIndexCache(undefined, log, 'test').files(), []);
    const notYet = vscode.Uri.file(path.join(tmp, 'storage-not-made-yet'));
    assert.deepEqual(await new CorpusIndexCache(notYet, log, 'test').files(), []);
    assert.ok(!fs.existsSync(notYet.fsPath), 'listing does not create it');
  });
});

describe('corpus index sidecar stats, next session', function () {
  this.timeout(120_000);
  const PREFIX = 'zz_stat_';
  const cache = async <T>(action: 'flush' | 'hold' | 'release' | 'reopen'): Promise<T> => (await vscode.commands.executeCommand<T>('corpusAnnotator.index._cache', action)) as T;
  const counted = async () => ((await vscode.commands.executeCommand('corpusAnnotator.tree._state')) as { counted?: { documents: number; entities: number } }).counted;
  const restore: Array<() => void> = [];

  before(() => activateApi());

  after(async () => {
    await cache('release');
    for (const r of restore.splice(0)) r();
    for (const f of fs.readdirSync(workspaceDir()).filter((n) => n.startsWith(PREFIX))) fs.rmSync(path.join(workspaceDir(), f), { force: true });
  });

  it('counts nothing of a sidecar deleted while VS Code was closed, and an unreadable one as invalid, not its last counts', async () => {
    const before = await counted();
    assert.ok(before, 'the first totals');
    const docs = [writeDoc(workspaceDir(), `${PREFIX}0.txt`, 2, 'STATTEST'), writeDoc(workspaceDir(), `${PREFIX}1.txt`, 3, 'STATTEST'), writeDoc(workspaceDir(), `${PREFIX}2.txt`, 4, 'STATTEST')] as [string, string, string];
    await poll(async () => ((await counted())?.entities === before.entities + 9 ? true : undefined), 'the sidebar to count the new documents', 30_000);
    await cache('flush');
    await cache('hold'); // VS Code "closed" from here
    fs.rmSync(`${docs[1]}.ann.yaml`);
    restore.push(makeUnstatable(`${docs[2]}.ann.yaml`, 'loop')); // (an unreadable directory would also hide the article)
    // The live session has seen both (their file events delivered: none reaches the reopened index late).
    await poll(async () => ((await counted())?.entities === before.entities + 2 ? true : undefined), 'the sidebar to count the changes', 30_000);

    // As a new session: nothing the store loaded (its summaries are read again anyway).
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.commands.executeCommand('corpusAnnotator.store._loaded', true);
    const r = await cache<Reopened>('reopen');
    assert.equal(r.beforePass?.byLabel.STATTEST, 9, `the last session's totals first: ${JSON.stringify(r.beforePass)}`);
    assert.ok((r.warm?.stale ?? 0) >= 2, JSON.stringify(r.warm));
    assert.equal(r.afterPass?.byLabel.STATTEST, 2, `then only the sidecar still there: ${JSON.stringify(r.afterPass)}`);
    assert.equal(r.afterPass?.invalid, (r.beforePass?.invalid ?? NaN) + 1, 'the unreadable sidecar is an invalid document');
    assert.equal(r.afterPass?.documents, r.beforePass?.documents);
  });
});
