// The persisted corpus index (src/core/corpus/corpus-index-snapshot.ts): what is written reads back equal,
// a file of another version, truncated or corrupt is rejected as a whole without throwing, and a
// summary is reused only while its sidecar keeps the stamp it was read with.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { DocumentSummary, StringPool, summariseSidecar } from '../../src/core/corpus/corpus-index';
import { attachMentions, countsSteps, drain, mentionsSteps, ParsedCounts, parseCounts, reusable, serialiseEntry, serialiseSnapshot, SidecarStamp, SnapshotEntry, SnapshotFiles, SNAPSHOT_VERSION, utf8Length } from '../../src/core/corpus/corpus-index-snapshot';
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

function snapshotOf(entries: Map<string, SnapshotEntry>, generation = 'g1'): SnapshotFiles {
  return serialiseSnapshot([...entries].map(([k, e]) => serialiseEntry(k, e)), '', generation);
}

type Counts = Exclude<ParsedCounts, { rejected: string }>;

/** Both files read, as the extension does (counts, then mentions), and the documents whose mentions are missing. */
function parseSnapshot(files: SnapshotFiles, pool = new StringPool()): Counts & { missing: string[]; torn?: string } {
  const counts = parseCounts(files.counts, pool);
  assert.ok('entries' in counts, 'rejected' in counts ? counts.rejected : '');
  return { ...counts, ...attachMentions(files.mentions, counts, pool) };
}

function rejected(text: string): string {
  const parsed = parseCounts(text, new StringPool());
  assert.ok('rejected' in parsed, `expected a rejection, got ${'entries' in parsed ? parsed.entries.size : 0} entries`);
  return parsed.rejected;
}

/** The keys of the entries that have mentions, sorted. */
function withMentions(entries: Map<string, SnapshotEntry>): string[] {
  return [...entries].filter(([, e]) => e.summary.mentions).map(([k]) => k).sort();
}

describe('corpus index snapshot', () => {
  it('reads back every summary as written: counts, status, problems, mentions with suggestions and links', () => {
    const entries = sampleEntries();
    const parsed = parseSnapshot(snapshotOf(entries));
    assert.deepEqual(parsed.missing, []);
    assert.equal(parsed.torn, undefined);
    assert.deepStrictEqual(parsed.entries, entries);
    const linked = parsed.entries.get('file:///corpus/linked.txt')?.summary.mentions;
    assert.deepEqual([...(linked?.links ?? [])], [[0, { kb: 'Q1', canonical: 'Abdelouafi Laftit' }], [1, { kb: 'Q2' }]]);
    assert.deepEqual([...(linked?.suggested ?? [])], [0, 0, 1]);
  });

  it('shares one copy of each label and surface form through the pool', () => {
    const pool = new StringPool();
    const parsed = parseSnapshot(snapshotOf(sampleEntries()), pool);
    const labels = new Set<string>();
    for (const [, e] of parsed.entries) for (const l of e.summary.mentions?.labels ?? []) labels.add(l);
    assert.ok(pool.size > 0 && labels.size <= pool.size);
  });

  it('an empty corpus round-trips', () => {
    const parsed = parseSnapshot(serialiseSnapshot([]));
    assert.equal(parsed.entries.size, 0);
    assert.deepEqual(parsed.missing, []);
  });

  it('rejects another version, another format, garbage and an empty file, naming why', () => {
    const text = snapshotOf(sampleEntries()).counts;
    const [header, ...rest] = text.split('\n');
    const other = JSON.stringify({ ...JSON.parse(header as string), version: SNAPSHOT_VERSION + 1 });
    assert.match(rejected([other, ...rest].join('\n')), new RegExp(`version ${SNAPSHOT_VERSION + 1}, this extension writes version ${SNAPSHOT_VERSION}`));
    assert.match(rejected([JSON.stringify({ ...JSON.parse(header as string), format: 'x' }), ...rest].join('\n')), /not a corpus index/);
    assert.match(rejected(''), /header/);
    assert.match(rejected('\u0000\u0001garbage\n'), /header/);
    assert.match(rejected('null'), /not a corpus index/);
    // Written by another release of the extension (its reader may judge a sidecar differently).
    const byOld = serialiseSnapshot([...sampleEntries()].map(([k, e]) => serialiseEntry(k, e)), '0.1.0').counts;
    assert.ok('entries' in parseCounts(byOld, new StringPool(), '0.1.0'));
    assert.match((parseCounts(byOld, new StringPool(), '0.2.0') as { rejected: string }).rejected, /0\.1\.0/);
    // Version 3's single file (counts and mentions on one line) is another version: one full pass.
    assert.match(rejected(`${JSON.stringify({ format: 'corpus-annotator/corpus-index', version: 3, producer: '', documents: 0 })}\n`), /version 3/);
  });

  it('rejects a counts file cut anywhere (a truncated write), never throwing', () => {
    const text = snapshotOf(sampleEntries()).counts;
    // Every cut but the final newline's loses data: the header's count or a line's JSON says so.
    for (let cut = 0; cut < text.length - 1; cut += 7) rejected(text.slice(0, cut));
    const lines = text.trimEnd().split('\n');
    assert.match(rejected(lines.slice(0, -1).join('\n')), /truncated/);
  });

  it('rejects counts fields of the wrong type or that disagree with each other', () => {
    const entries = sampleEntries();
    const key = 'file:///corpus/linked.txt';
    const lines = serialiseEntry(key, entries.get(key) as SnapshotEntry);
    const good = JSON.parse(lines.counts) as [string, unknown, Record<string, unknown>];
    const variants: Array<[string, (row: [string, unknown, Record<string, unknown>]) => unknown]> = [
      ['no name', (r) => ['', r[1], r[2]]],
      ['stamp', (r) => [r[0], ['1', 2], r[2]]],
      ['state', (r) => [r[0], r[1], { ...r[2], s: 'fine' }]],
      ['status', (r) => [r[0], r[1], { ...r[2], st: 'finished' }]],
      ['counts', (r) => [r[0], r[1], { ...r[2], e: -1 }]],
      ['do not add up', (r) => [r[0], r[1], { ...r[2], e: 7 }]],
      ['problems', (r) => [r[0], r[1], { ...r[2], p: [{ severity: 'fatal' }] }]],
      ['mentions flag', (r) => [r[0], r[1], { ...r[2], m: 'yes' }]],
      ['row', () => ({ key })],
    ];
    for (const [what, change] of variants) {
      assert.ok(rejected(serialiseSnapshot([{ ...lines, counts: JSON.stringify(change(structuredClone(good))) }]).counts), what);
    }
    // The same line twice: which one would be right?
    assert.match(rejected(serialiseSnapshot([lines, lines]).counts), /twice/);
    // And the unchanged line is accepted (the variants fail for their change, not for the layout).
    const unchanged = parseSnapshot(serialiseSnapshot([{ ...lines, counts: JSON.stringify(good) }]));
    assert.equal(unchanged.entries.get(key)?.summary.mentions?.length, 3);
  });

  it('leaves without mentions only the document whose mentions line is bad, its counts standing', () => {
    const entries = sampleEntries();
    const key = 'file:///corpus/linked.txt';
    const lines = serialiseEntry(key, entries.get(key) as SnapshotEntry);
    const [prefix, mentions] = (lines.mentions as string).split('\t') as [string, string];
    const goodMentions = JSON.parse(mentions) as Record<string, unknown>;
    const line = (m: string) => `${JSON.stringify([key, utf8Length(m)])}\t${m}`;
    const badMentions: Array<[string, string]> = [
      ['a label out of range', line(JSON.stringify({ ...goodMentions, l: [0, 9, 0] }))],
      ['columns of different lengths', line(JSON.stringify({ ...goodMentions, t: ['x'] }))],
      ['a suggestion out of range', line(JSON.stringify({ ...goodMentions, g: [3] }))],
      ['a bad link', line(JSON.stringify({ ...goodMentions, k: [[0, 5, null]] }))],
      ['more mentions than counted', line(JSON.stringify({ ...goodMentions, i: ['a', 'b', 'c', 'd'], l: [0, 0, 0, 0], t: ['a', 'b', 'c', 'd'], s: [0, 1, 1, 1], n: [1, 1, 1, 1] }))],
      ['not JSON', line('{"i": [')],
      ['cut short (its byte length says so)', `${prefix}\t${mentions.slice(0, -4)}`],
      ['longer than its byte length', `${prefix}\t${mentions} `],
      ['no byte length', mentions],
      ['another document', line(mentions).replace(key, 'file:///corpus/other.txt')],
    ];
    for (const [what, bad] of badMentions) {
      const parsed = parseSnapshot(serialiseSnapshot([{ ...lines, mentions: bad }]));
      const summary = parsed.entries.get(key)?.summary as DocumentSummary;
      assert.deepEqual(parsed.missing, [key], what);
      assert.equal(parsed.torn, undefined, what);
      assert.equal(summary.mentions, undefined, what);
      assert.equal(summary.entities, 2, `${what}: the counts stand`);
    }
    // (The variants fail for their change: the good line is read.)
    assert.deepEqual(parseSnapshot(serialiseSnapshot([{ ...lines, mentions: line(mentions) }])).missing, []);
  });

  it('keeps the counts of a torn pair and names every document whose mentions are missing: another generation, no mentions file, another file', () => {
    const entries = sampleEntries();
    const files = snapshotOf(entries, 'g1');
    const older = snapshotOf(entries, 'g0');
    const all = withMentions(entries);
    assert.ok(all.length > 3);
    for (const [what, mentions, why] of <Array<[string, string | undefined, RegExp]>>[
      ['another generation', older.mentions, /generation g0/],
      ['no mentions file', undefined, /no mentions file/],
      ['the counts file in its place', files.counts, /not the mentions/],
      ['empty', '', /header/],
      ['another version', files.mentions.replace(`"version":${SNAPSHOT_VERSION}`, '"version":3'), /version 3/],
    ]) {
      const counts = parseCounts(files.counts, new StringPool());
      assert.ok('entries' in counts, what);
      const read = attachMentions(mentions, counts, new StringPool());
      assert.match(read.torn ?? '', why, what);
      assert.deepEqual(read.missing.sort(), all, what);
      for (const [key, e] of counts.entries) {
        assert.equal(e.summary.mentions, undefined, `${what}: ${key}`);
        assert.deepEqual(e.summary.labels, entries.get(key)?.summary.labels, `${what}: the counts stand`);
      }
    }
  });

  it('reads a mentions file cut anywhere up to the cut: only the documents from the cut line on are missing', () => {
    const entries = sampleEntries();
    const files = snapshotOf(entries);
    const all = withMentions(entries);
    const bytes = new TextEncoder().encode(files.mentions);
    const headerEnd = bytes.indexOf(0x0a);
    // Where each document's line ends (its newline excluded): read whole iff the cut is at or after it.
    const lineEnds = new Map<string, number>();
    for (let at = headerEnd + 1; at < bytes.length;) {
      const end = bytes.indexOf(0x0a, at);
      const line = new TextDecoder().decode(bytes.subarray(at, end));
      lineEnds.set((JSON.parse(line.slice(0, line.indexOf('\t'))) as [string, number])[0], end);
      at = end + 1;
    }
    assert.deepEqual([...lineEnds.keys()].sort(), all);
    for (let cut = headerEnd + 1; cut <= bytes.length; cut += 53) {
      const counts = parseCounts(files.counts, new StringPool());
      assert.ok('entries' in counts);
      const read = attachMentions(bytes.subarray(0, cut), counts, new StringPool());
      assert.equal(read.torn, undefined);
      const whole = all.filter((k) => (lineEnds.get(k) as number) <= cut);
      assert.deepEqual(read.missing.sort(), all.filter((k) => !whole.includes(k)), `cut at ${cut}`);
      for (const key of whole) assert.equal(counts.entries.get(key)?.summary.mentions?.length, entries.get(key)?.summary.mentions?.length, `cut at ${cut}: ${key}`);
    }
  });

  it('gives the same entries in steps as at once, a few documents per step', () => {
    const entries = sampleEntries();
    for (let i = 0; i < 120; i++) entries.set(`file:///corpus/more-${i}.txt`, { stamp: { size: i, mtime: i }, summary: summariseSidecar(undefined) });
    const files = snapshotOf(entries);
    const steps = countsSteps(files.counts, new StringPool());
    let yields = 0;
    let r = steps.next();
    for (; !r.done; r = steps.next()) yields++;
    assert.ok(yields >= 2, `several steps (${yields})`);
    const counts = r.value;
    assert.ok('entries' in counts);
    const mentionSteps = mentionsSteps(files.mentions, counts, new StringPool());
    let mentionYields = 0;
    for (let m = mentionSteps.next(); !m.done; m = mentionSteps.next()) mentionYields++;
    assert.equal(mentionYields, withMentions(entries).length, 'one step per document with mentions');
    assert.deepStrictEqual(counts.entries, entries);
    assert.deepStrictEqual(drain(countsSteps(files.counts, new StringPool())), parseCounts(files.counts, new StringPool()));
  });

  it('counts UTF-8 bytes as TextEncoder writes them', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a\ud800b', '\udc00', 'Ça 😀 €']) assert.equal(utf8Length(s), new TextEncoder().encode(s).length, JSON.stringify(s));
  });

  it('writes the entries read back as they were', () => {
    const files = snapshotOf(sampleEntries());
    assert.deepEqual(snapshotOf(parseSnapshot(files).entries), files);
  });

  it('never throws on a damaged file: any bytes changed are rejected or read as valid summaries', () => {
    const files = snapshotOf(sampleEntries());
    const text = `${files.counts}${files.mentions}`;
    check(fc.property(fc.array(fc.tuple(fc.nat(text.length - 1), fc.integer({ min: 0, max: 0x7e })), { minLength: 1, maxLength: 8 }), (edits) => {
      const chars = [...text];
      for (const [at, c] of edits) chars[at] = String.fromCharCode(c);
      const damaged = chars.join('');
      const counts = parseCounts(damaged.slice(0, files.counts.length), new StringPool());
      if ('entries' in counts) {
        const read = attachMentions(damaged.slice(files.counts.length), counts, new StringPool());
        for (const [key, e] of counts.entries) {
          const s: DocumentSummary = e.summary;
          assert.equal([...s.labels.values()].reduce((a, b) => a + b, 0), s.entities);
          if (s.mentions) assert.equal(s.mentions.length, s.entities + s.suggestions);
          else if (counts.withMentions.has(key)) assert.ok(read.missing.includes(key), 'no mentions only when named missing');
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
