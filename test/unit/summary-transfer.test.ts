// The first pass over a large corpus on worker threads (issue 14): summaries cross from a worker to
// the extension host's thread encoded (core/corpus/summary-transfer.ts) and must arrive exactly as
// summariseSidecar made them (order included), their strings the receiver's pool's; the worker
// (src/extension/summarise-worker.ts) gives the host's own summaries, counts then full, with the
// stamp of what it read, and leaves what it cannot read to the host; summarise-host.ts runs it on
// real threads and reports every sidecar once per phase even when a thread dies.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { DocumentSummary, StringPool, summariseSidecar } from '../../src/core/corpus/corpus-index';
import { batchBuffers, SummaryDecoder, SummaryEncoder } from '../../src/core/corpus/summary-transfer';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { summariseOnWorkers } from '../../src/extension/summarise-host';
import { ReadStamp, SUMMARISE_WORKER_ROLE, SummariseMessage, SummarisePhase } from '../../src/extension/summarise-protocol';
import { runSummarise } from '../../src/extension/summarise-worker';
import { DEMO_CORPUS } from './helpers/corpus';
import { seededProperties } from './helpers/fc';
import { mutate, mutationArb, sidecarArb } from './helpers/sidecar-gen';
import { dyingWorkerSource } from './helpers/dying-worker';
import { ordered } from './helpers/summary';
import { tempDirs } from './helpers/tmp';
import { assertStrayStartDoesNothing, assertTerminatesMidWork } from './helpers/worker-thread';

const PROPERTIES = seededProperties(2614);
const { tmpDir } = tempDirs('summary-transfer');
const script = path.join(__dirname, '..', '..', 'src', 'extension', 'summarise-worker.js');

const LINKED = [
  '# Corpus Annotator sidecar. Offsets are Unicode code points, end-exclusive. Check with: corpus-annotator validate',
  'version: 1',
  'document: a.txt',
  'status: in-progress',
  'entities:',
  '  - {id: a1, label: LOC, start: 0, end: 5, text: "Rabat", attrs: {canonical: "Rabat", kb: "wikidata:Q3551"}, by: amina, src: manual}',
  '  - {id: a2, label: PER, start: 6, end: 12, text: "Laftit", attrs: {kb: "wikidata:Q1"}}',
  '  - {id: a3-with-a-rather-long-id, label: ORG, start: 13, end: 21, text: "l’Interpol « x »", src: model:crf, suggested: true}',
  '',
].join('\n');

/** Every text summarised directly and through the encoder in batches of `cuts`; the two must match. */
function roundTrip(texts: string[], cuts: number[], full: (i: number) => boolean): void {
  const sender = new StringPool();
  const receiver = new StringPool();
  const direct = texts.map((t, i) => summariseSidecar(t, full(i) ? { withMentions: sender } : {}));
  const encoder = new SummaryEncoder();
  const decoder = new SummaryDecoder(receiver);
  const got: DocumentSummary[] = [];
  let c = 0;
  direct.forEach((s, i) => {
    encoder.add(s);
    if (i === texts.length - 1 || (cuts[c++ % Math.max(1, cuts.length)] ?? 1) === 1) {
      // Through structured clone, as postMessage sends it (the typed arrays transferred).
      const batch = encoder.take();
      got.push(...decoder.decode(structuredClone(batch, { transfer: batchBuffers(batch) })));
    }
  });
  assert.equal(got.length, direct.length);
  got.forEach((s, i) => {
    assert.deepStrictEqual(ordered(s), ordered(direct[i] as DocumentSummary), `summary ${i} of:\n${texts[i]}`);
    for (const l of [...(s.mentions?.labels ?? []), ...(s.mentions?.texts ?? []), ...s.labels.keys()]) assert.equal(receiver.intern(l), l, 'the receiver pool\'s strings');
  });
}

describe('corpus index: summaries sent from a worker thread', function () {
  this.timeout(120_000);

  it('arrive as summariseSidecar made them: the demo sidecars, links, suggestions, long ids, invalid and absent sidecars', () => {
    const demo = fs.readdirSync(DEMO_CORPUS).filter((f) => f.endsWith('.ann.yaml')).map((f) => fs.readFileSync(path.join(DEMO_CORPUS, f), 'utf8'));
    const texts = [...demo, LINKED, LINKED.replace('end: 5', 'end: 0'), LINKED.replace(/\n/g, '\r\n'), 'entities: [oops\n', writeSidecar({ version: 1, document: 'b.txt', status: 'done', entities: [] })];
    const all = [...texts, ...texts];
    roundTrip(all, [0, 0, 1], (i) => i % 3 !== 1);
    roundTrip(all, [1], () => true);
    roundTrip(all, [0], () => false);
    // A sidecar that does not exist summarises as none; it crosses too.
    const none = summariseSidecar(undefined);
    const encoder = new SummaryEncoder();
    encoder.add(none);
    assert.deepStrictEqual(ordered(new SummaryDecoder(new StringPool()).decode(encoder.take())[0] as DocumentSummary), ordered(none));
  });

  it(`arrive as summariseSidecar made them: generated and mutated sidecars (${PROPERTIES.title})`, () => {
    const text = fc.tuple(sidecarArb, fc.array(mutationArb, { maxLength: 2 })).map(([model, mutations]) => mutations.reduce((t, m) => mutate(t, m), writeSidecar(model)));
    PROPERTIES.check(fc.property(fc.array(text, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 8 }), fc.boolean(), (texts, cuts, full) => {
      roundTrip(texts, cuts, (i) => full || i % 2 === 0);
    }), 400);
  });

  it('refuses a batch that does not add up, rather than shifting mentions to the wrong document', () => {
    const encoder = new SummaryEncoder();
    encoder.add(summariseSidecar(LINKED, { withMentions: new StringPool() }));
    const batch = encoder.take();
    assert.throws(() => new SummaryDecoder(new StringPool()).decode({ ...batch, summaries: [{ ...(batch.summaries[0] as (typeof batch.summaries)[0]), mentions: 4 }] }), /4 mentions announced, 3 sent/);
    assert.throws(() => new SummaryDecoder(new StringPool()).decode({ ...batch, strings: batch.strings.slice(0, 2) }), /string \d+ of 2 unknown/);
    assert.throws(() => new SummaryDecoder(new StringPool()).decode({ ...batch, summaries: [] }), /3 mentions sent, 0 announced/);
    assert.throws(() => new SummaryDecoder(new StringPool()).decode({ ...batch, idTexts: [(batch.idTexts[0] as string).slice(1)] }), /the ids of document 1 do not add up/);
  });
});

/** The real worker, made to exit once it has sent its counts (a thread killed between the phases). */
async function dyingAfterCounts(): Promise<string> {
  const file = path.join(await tmpDir(), 'dying-after-counts.js');
  fs.writeFileSync(file, dyingWorkerSource(script, 'after the counts'));
  return file;
}

/** A corpus of sidecars on disk: canonical, invalid, not canonical, absent, not UTF-8, a directory. */
async function corpusOnDisk(): Promise<{ sidecars: string[]; texts: Array<string | undefined>; unreadable: Set<number> }> {
  const root = await tmpDir();
  const demo = fs.readdirSync(DEMO_CORPUS).filter((f) => f.endsWith('.ann.yaml')).map((f) => fs.readFileSync(path.join(DEMO_CORPUS, f), 'utf8'));
  const texts: Array<string | undefined> = [...demo, LINKED, LINKED.replace('end: 5', 'end: 0'), LINKED.split('\n').slice(1).join('\n'), undefined];
  const sidecars = texts.map((t, i) => {
    const p = path.join(root, `doc-${i}.txt.ann.yaml`);
    if (t !== undefined) fs.writeFileSync(p, t);
    return p;
  });
  const notUtf8 = path.join(root, 'latin1.txt.ann.yaml');
  fs.writeFileSync(notUtf8, Buffer.from('version: 1\ndocument: latin1.txt\nstatus: todo\nentities: []\n# caf\xe9\n', 'latin1'));
  const dir = path.join(root, 'dir.txt.ann.yaml');
  fs.mkdirSync(dir);
  // A big one: more than the worker's first read buffer (1 MiB) grows it.
  const big = writeSidecar({ version: 1, document: 'big.txt', status: 'done', entities: Array.from({ length: 12_000 }, (_, i) => ({ id: `e${i}`, label: i % 2 ? 'PER' : 'LOC', start: i * 10, end: i * 10 + 5, text: 'Rabat', note: 'x'.repeat(60) })) });
  assert.ok(big.length > 1 << 20);
  const bigPath = path.join(root, 'big.txt.ann.yaml');
  fs.writeFileSync(bigPath, big);
  return { sidecars: [...sidecars, notUtf8, dir, bigPath], texts: [...texts, undefined, undefined, big], unreadable: new Set([sidecars.length, sidecars.length + 1]) };
}

function stampOf(p: string): ReadStamp {
  if (!fs.existsSync(p)) return { absent: true };
  const st = fs.statSync(p);
  return { size: st.size, mtime: st.mtime.getTime() };
}

describe('corpus index: the summarising worker', function () {
  this.timeout(120_000);

  it('summarises each sidecar as the host would, counts first then full, with the stamp of what it read; leaves the unreadable to the host', async () => {
    const { sidecars, texts, unreadable } = await corpusOnDisk();
    const messages: SummariseMessage[] = [];
    runSummarise({ role: SUMMARISE_WORKER_ROLE, sidecars }, (m) => messages.push(structuredClone(m)));
    assert.deepEqual(messages.filter((m) => m.kind === 'phase-done').map((m) => m.kind === 'phase-done' && m.phase), ['counts', 'full']);
    const donePositions = messages.map((m, i) => (m.kind === 'phase-done' ? i : -1)).filter((i) => i >= 0);
    const decoder = new SummaryDecoder(new StringPool());
    const got: Record<SummarisePhase, DocumentSummary[]> = { counts: [], full: [] };
    const stamps: Record<SummarisePhase, ReadStamp[]> = { counts: [], full: [] };
    const failed: Record<SummarisePhase, number[]> = { counts: [], full: [] };
    messages.forEach((m, i) => {
      if (m.kind !== 'batch') return;
      assert.equal(m.phase, i < (donePositions[0] as number) ? 'counts' : 'full', 'every counts batch comes before the full ones');
      assert.equal(m.first, got[m.phase].length, 'batches in order');
      got[m.phase].push(...decoder.decode(m.batch));
      stamps[m.phase].push(...m.stamps);
      failed[m.phase].push(...m.failed);
    });
    for (const phase of ['counts', 'full'] as const) {
      assert.equal(got[phase].length, sidecars.length);
      assert.deepEqual(failed[phase], [...unreadable]);
      sidecars.forEach((p, i) => {
        if (unreadable.has(i)) return;
        const text = texts[i];
        // A sidecar's problems come with its counts (the Problems panel neither waits nor blinks).
        const expected = summariseSidecar(text, phase === 'full' ? { withMentions: new StringPool() } : { withProblems: true });
        assert.deepStrictEqual(ordered(got[phase][i] as DocumentSummary), ordered(expected), `${phase} summary of ${path.basename(p)}`);
        assert.deepEqual(stamps[phase][i], stampOf(p), `${phase} stamp of ${path.basename(p)}`);
      });
    }
    assert.ok(got.counts.some((s) => s.state === 'invalid' && s.problems?.length), 'an invalid sidecar is among them');
    assert.ok(got.full.some((s) => s.state === 'none'), 'an absent one too');
  });

  it('on worker threads: every sidecar reported once per phase, in the caller\'s indexes, with the summaries the host would make', async () => {
    const { sidecars, texts, unreadable } = await corpusOnDisk();
    // Enough sidecars for two threads (one per 1000); the big one (last) once.
    const small = sidecars.length - 1;
    const many = [...Array.from({ length: 1100 }, (_, i) => sidecars[i % small] as string), sidecars[small] as string];
    const seen: Record<SummarisePhase, Map<number, DocumentSummary | 'failed'>> = { counts: new Map(), full: new Map() };
    const run = summariseOnWorkers(script, many, new StringPool(), {
      summary: (phase, i, s) => {
        assert.ok(!seen[phase].has(i), `${phase} ${i} reported twice`);
        seen[phase].set(i, s);
      },
      failed: (phase, i, why) => {
        assert.equal(why, undefined, 'an unreadable sidecar is not a thread failure');
        seen[phase].set(i, 'failed');
      },
    });
    assert.ok(run);
    assert.equal(run.threads, 2);
    await run.counted;
    assert.equal(seen.counts.size, many.length);
    await run.finished;
    assert.equal(seen.full.size, many.length);
    many.forEach((_, i) => {
      const k = i === many.length - 1 ? small : i % small;
      const full = seen.full.get(i);
      if (unreadable.has(k)) return assert.equal(full, 'failed');
      assert.deepStrictEqual(ordered(full as DocumentSummary), ordered(summariseSidecar(texts[k], { withMentions: new StringPool() })), `full summary ${i}`);
      assert.equal((seen.counts.get(i) as DocumentSummary).entities, (full as DocumentSummary).entities);
    });
  });

  it('a thread that dies leaves every sidecar it had not reported to the caller, once', async () => {
    const { sidecars } = await corpusOnDisk();
    const many = Array.from({ length: 300 }, (_, i) => sidecars[i % sidecars.length] as string);
    const reported: Record<SummarisePhase, number[]> = { counts: [], full: [] };
    const whys = new Set<string>();
    // A script that dies at once: as a thread killed or crashed would.
    const dying = path.join(await tmpDir(), 'dying-worker.js');
    fs.writeFileSync(dying, dyingWorkerSource(script, 'at once'));
    const run = summariseOnWorkers(dying, many, new StringPool(), {
      summary: (phase, i) => reported[phase].push(i),
      failed: (phase, i, why) => {
        reported[phase].push(i);
        if (why) whys.add(why);
      },
    });
    assert.ok(run);
    await run.finished;
    for (const phase of ['counts', 'full'] as const) assert.deepEqual([...reported[phase]].sort((a, b) => a - b), many.map((_, i) => i), phase);
    assert.deepEqual([...whys], ['the summarising thread stopped: it exited (code 3)']);
  });

  it('a thread that dies after the counts: every count reported, every full summary handed back, once', async () => {
    const { sidecars, unreadable } = await corpusOnDisk();
    const many = Array.from({ length: 300 }, (_, i) => sidecars[i % (sidecars.length - 1)] as string);
    const seen: Record<SummarisePhase, Map<number, 'summary' | 'failed'>> = { counts: new Map(), full: new Map() };
    const whys = new Set<string>();
    const run = summariseOnWorkers(await dyingAfterCounts(), many, new StringPool(), {
      summary: (phase, i) => {
        assert.ok(!seen[phase].has(i), `${phase} ${i} twice`);
        seen[phase].set(i, 'summary');
      },
      failed: (phase, i, why) => {
        assert.ok(!seen[phase].has(i), `${phase} ${i} twice`);
        seen[phase].set(i, 'failed');
        if (why) whys.add(why);
      },
    });
    assert.ok(run);
    await run.finished;
    assert.equal(seen.counts.size, many.length);
    many.forEach((_, i) => assert.equal(seen.counts.get(i), unreadable.has(i % (sidecars.length - 1)) ? 'failed' : 'summary', `counts ${i}`));
    assert.deepEqual([...seen.full.keys()].sort((a, b) => a - b), many.map((_, i) => i));
    assert.ok([...seen.full.values()].every((v) => v === 'failed'));
    assert.deepEqual([...whys], ['the summarising thread stopped: it exited (code 3)']);
  });

  it('runs on a worker thread that terminating stops at once, mid-work', async () => {
    const { sidecars } = await corpusOnDisk();
    await assertTerminatesMidWork<SummariseMessage>(script, { role: SUMMARISE_WORKER_ROLE, sidecars: Array.from({ length: 5000 }, (_, i) => sidecars[i % sidecars.length] as string) }, (m) => m.kind === 'batch');
  });

  it('does nothing on a thread started without its role (a stray import)', () => assertStrayStartDoesNothing(script));
});
