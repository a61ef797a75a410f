// The persisted corpus index (src/core/corpus/corpus-index-snapshot.ts): what is written reads back equal,
// a file of another version, truncated or corrupt is rejected as a whole without throwing, and a
// summary is reused only while its sidecar keeps the stamp it was read with.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { DocumentSummary, StringPool, summariseSidecar } from '../../src/core/corpus/corpus-index';
import { decodeMentions, parseSnapshot, reusable, serialiseEntry, serialiseSnapshot, SidecarStamp, SnapshotEntry, SNAPSHOT_VERSION } from '../../src/core/corpus/corpus-index-snapshot';
import { DEMO_CORPUS } from './helpers/corpus';
import { seededProperties } from './helpers/fc';

const { check } = seededProperties(1414);

const HEADER = '# Corpus Annotator sidecar. Offsets are Unicode code points, end-exclusive. Check with: corpus-annotator validate';

/** Every kind of summary: the demo's sidecars, one with suggestions and linked entities, an invalid one, a document without a sidecar. */
function sampleEntries(pool = new StringPool()): Map<string, SnapshotEntry> {
  const entries = new Map<string, SnapshotEntry>();
  let mtime = 1_700_000_000_123.5;
  for (const f of fs.readdirSync(DEMO_CORPUS).filter((n) => n.endsWith('.ann.yaml')).sort()) {
    const text = fs.readFileSync(path.join(DEMO_CORPUS, f), 'utf8');
    entries.set(`file:///corpus/${f.replace(/\.ann\.yaml$/, '')}`, { stamp: { size: Buffer.byteLength(text), mtime: mtime++ }, summary: summariseSidecar(text, { withMentions: pool }) });
  }
  const linked = [HEADER, 'version: 1', 'document: x.txt', 'status: in-progress', 'entities:',
    '  - {id: a1, label: PER, start: 0, end: 5, text: "Laftit", attrs: {kb: "Q1", canonical: "Abdelouafi Laftit"}}',
    '  - {id: a2, label: ORG, start: 10, end: 14, text: "DGSN", suggested: true}',
    '  - {id: a3, label: LOC, start: 7, end: 9, text: "Ça", attrs: {kb: "Q2"}}', ''].join('\n');
  entries.set('file:///corpus/linked.txt', { stamp: { size: 300, mtime: 5 }, summary: summariseSidecar(linked, { withMentions: pool }) });
  const invalid = summariseSidecar('version: 1\nentities: [oops\n', { withMentions: pool });
  assert.equal(invalid.state, 'invalid');
  assert.ok(invalid.problems?.length);
  entries.set('file:///corpus/bad%20name.txt', { stamp: { size: 27, mtime: 6 }, summary: invalid });
  entries.set('file:///corpus/new.txt', { stamp: { absent: true }, summary: summariseSidecar(undefined) });
  return entries;
}

function snapshotOf(entries: Map<string, SnapshotEntry>): string {
  return serialiseSnapshot([...entries].map(([k, e]) => serialiseEntry(k, e)));
}

function rejected(text: string): string {
  const parsed = parseSnapshot(text, new StringPool());
  assert.ok('rejected' in parsed, `expected a rejection, got ${'entries' in parsed ? parsed.entries.size : 0} entries`);
  return parsed.rejected;
}

describe('corpus index snapshot', () => {
  it('reads back every summary as written: counts, status, problems, mentions with suggestions and links', () => {
    const entries = sampleEntries();
    const parsed = parseSnapshot(snapshotOf(entries), new StringPool());
    assert.ok('entries' in parsed, 'rejected' in parsed ? parsed.rejected : '');
    assert.deepStrictEqual(parsed.entries, entries);
    const linked = parsed.entries.get('file:///corpus/linked.txt')?.summary.mentions;
    assert.deepEqual([...(linked?.links ?? [])], [[0, { kb: 'Q1', canonical: 'Abdelouafi Laftit' }], [1, { kb: 'Q2' }]]);
    assert.deepEqual([...(linked?.suggested ?? [])], [0, 0, 1]);
  });

  it('shares one copy of each label and surface form through the pool', () => {
    const pool = new StringPool();
    const parsed = parseSnapshot(snapshotOf(sampleEntries()), pool);
    assert.ok('entries' in parsed);
    const labels = new Set<string>();
    for (const [, e] of parsed.entries) for (const l of e.summary.mentions?.labels ?? []) labels.add(l);
    assert.ok(pool.size > 0 && labels.size <= pool.size);
  });

  it('an empty corpus round-trips', () => {
    const parsed = parseSnapshot(serialiseSnapshot([]), new StringPool());
    assert.ok('entries' in parsed);
    assert.equal(parsed.entries.size, 0);
  });

  it('rejects another version, another format, garbage and an empty file, naming why', () => {
    const text = snapshotOf(sampleEntries());
    const [header, ...rest] = text.split('\n');
    const other = JSON.stringify({ ...JSON.parse(header as string), version: SNAPSHOT_VERSION + 1 });
    assert.match(rejected([other, ...rest].join('\n')), new RegExp(`version ${SNAPSHOT_VERSION + 1}, this extension writes version ${SNAPSHOT_VERSION}`));
    assert.match(rejected([JSON.stringify({ ...JSON.parse(header as string), format: 'x' }), ...rest].join('\n')), /not a corpus index/);
    assert.match(rejected(''), /header/);
    assert.match(rejected('\u0000\u0001garbage\n'), /header/);
    assert.match(rejected('null'), /not a corpus index/);
    // Written by another release of the extension (its reader may judge a sidecar differently).
    const byOld = serialiseSnapshot([...sampleEntries()].map(([k, e]) => serialiseEntry(k, e)), '0.1.0');
    assert.ok('entries' in parseSnapshot(byOld, new StringPool(), '0.1.0'));
    assert.match((parseSnapshot(byOld, new StringPool(), '0.2.0') as { rejected: string }).rejected, /0\.1\.0/);
  });

  it('rejects a file cut anywhere (a truncated write), never throwing', () => {
    const text = snapshotOf(sampleEntries());
    // Every cut but the final newline's loses data: the header's count or a line's JSON says so.
    for (let cut = 0; cut < text.length - 1; cut += 7) rejected(text.slice(0, cut));
    const lines = text.trimEnd().split('\n');
    assert.match(rejected(lines.slice(0, -1).join('\n')), /truncated/);
  });

  it('rejects fields of the wrong type or that disagree with each other', () => {
    const entries = sampleEntries();
    const key = 'file:///corpus/linked.txt';
    const [head, mentions] = serialiseEntry(key, entries.get(key) as SnapshotEntry).split('\t') as [string, string];
    const good = JSON.parse(head) as [string, unknown, Record<string, unknown>];
    const goodMentions = JSON.parse(mentions) as Record<string, unknown>;
    const variants: Array<[string, (row: [string, unknown, Record<string, unknown>]) => unknown]> = [
      ['no name', (r) => ['', r[1], r[2]]],
      ['stamp', (r) => [r[0], ['1', 2], r[2]]],
      ['state', (r) => [r[0], r[1], { ...r[2], s: 'fine' }]],
      ['status', (r) => [r[0], r[1], { ...r[2], st: 'finished' }]],
      ['counts', (r) => [r[0], r[1], { ...r[2], e: -1 }]],
      ['do not add up', (r) => [r[0], r[1], { ...r[2], e: 7 }]],
      ['problems', (r) => [r[0], r[1], { ...r[2], p: [{ severity: 'fatal' }] }]],
      ['row', () => ({ key })],
    ];
    for (const [what, change] of variants) {
      rejected(serialiseSnapshot([`${JSON.stringify(change(structuredClone(good)))}\t${mentions}`]));
      void what;
    }
    // Bad mentions spoil only their document, found when decoded (the counts were enough for the
    // totals): it then has none, and decodeMentions says to read its sidecar again.
    const badMentions: Array<[string, Record<string, unknown>]> = [
      ['a label out of range', { ...goodMentions, l: [0, 9, 0] }],
      ['columns of different lengths', { ...goodMentions, t: ['x'] }],
      ['a suggestion out of range', { ...goodMentions, g: [3] }],
      ['a bad link', { ...goodMentions, k: [[0, 5, null]] }],
      ['more mentions than counted', { ...goodMentions, i: ['a', 'b', 'c', 'd'], l: [0, 0, 0, 0], t: ['a', 'b', 'c', 'd'], s: [0, 1, 1, 1], n: [1, 1, 1, 1] }],
    ];
    for (const [what, m] of [...badMentions, ['not JSON', '{"i": ['] as [string, string]]) {
      const parsed = parseSnapshot(serialiseSnapshot([`${head}\t${typeof m === 'string' ? m : JSON.stringify(m)}`]), new StringPool());
      assert.ok('entries' in parsed, what);
      const summary = parsed.entries.get(key)?.summary as DocumentSummary;
      assert.equal(decodeMentions(summary), false, what);
      assert.equal(summary.mentions, undefined, what);
      assert.equal(summary.entities, 2, `${what}: the counts stand`);
    }
    // The same line twice: which one would be right?
    assert.match(rejected(serialiseSnapshot([head, head])), /twice/);
    // And the unchanged line is accepted (the variants fail for their change, not for the layout).
    const unchanged = parseSnapshot(serialiseSnapshot([`${JSON.stringify(good)}\t${mentions}`]), new StringPool());
    assert.ok('entries' in unchanged);
    assert.equal(decodeMentions(unchanged.entries.get(key)?.summary as DocumentSummary), true);
    assert.equal(unchanged.entries.get(key)?.summary.mentions?.length, 3);
  });

  it('writes mentions never decoded back as they were read, and decoded ones the same', () => {
    const text = snapshotOf(sampleEntries());
    const parsed = parseSnapshot(text, new StringPool());
    assert.ok('entries' in parsed);
    assert.equal(snapshotOf(parsed.entries), text, 'undecoded');
    for (const [, e] of parsed.entries) assert.equal(decodeMentions(e.summary), true);
    assert.equal(snapshotOf(parsed.entries), text, 'decoded');
  });

  it('never throws on a damaged file: any bytes changed are rejected or read as valid summaries', () => {
    const text = snapshotOf(sampleEntries());
    check(fc.property(fc.array(fc.tuple(fc.nat(text.length - 1), fc.integer({ min: 0, max: 0x7e })), { minLength: 1, maxLength: 8 }), (edits) => {
      const chars = [...text];
      for (const [at, c] of edits) chars[at] = String.fromCharCode(c);
      const parsed = parseSnapshot(chars.join(''), new StringPool());
      if ('entries' in parsed) {
        for (const [, e] of parsed.entries) {
          const s: DocumentSummary = e.summary;
          assert.equal([...s.labels.values()].reduce((a, b) => a + b, 0), s.entities);
          const decoded = decodeMentions(s);
          if (s.mentions) assert.equal(s.mentions.length, s.entities + s.suggestions);
          else if (decoded && e.summary.state === 'ok') assert.equal(s.entities + s.suggestions, 0, 'no mentions only when there are none');
        }
      }
    }), 300);
  });

  it('reuses a summary only while its sidecar keeps its stamp: changed, touched, deleted, created, new and gone documents are read again or dropped', () => {
    const entries = new Map<string, SnapshotEntry>([
      ['same', { stamp: { size: 10, mtime: 100 }, summary: summariseSidecar(undefined) }],
      ['edited', { stamp: { size: 10, mtime: 100 }, summary: summariseSidecar(undefined) }],
      ['touched', { stamp: { size: 10, mtime: 100 }, summary: summariseSidecar(undefined) }],
      ['sidecar deleted', { stamp: { size: 10, mtime: 100 }, summary: summariseSidecar(undefined) }],
      ['sidecar created', { stamp: { absent: true }, summary: summariseSidecar(undefined) }],
      ['still none', { stamp: { absent: true }, summary: summariseSidecar(undefined) }],
      ['unreadable', { stamp: { size: 10, mtime: 100 }, summary: summariseSidecar(undefined) }],
      ['article gone', { stamp: { size: 10, mtime: 100 }, summary: summariseSidecar(undefined) }],
    ]);
    const now = new Map<string, SidecarStamp | undefined>([
      ['same', { size: 10, mtime: 100 }],
      ['edited', { size: 11, mtime: 100 }],
      ['touched', { size: 10, mtime: 101 }],
      ['sidecar deleted', { absent: true }],
      ['sidecar created', { size: 10, mtime: 100 }],
      ['still none', { absent: true }],
      ['unreadable', undefined],
      ['new article', { size: 10, mtime: 100 }],
    ]);
    const { fresh, stale } = reusable(entries, now);
    assert.deepEqual([...fresh.keys()].sort(), ['same', 'still none']);
    assert.deepEqual(stale.sort(), ['edited', 'new article', 'sidecar created', 'sidecar deleted', 'touched', 'unreadable']);
  });
});
