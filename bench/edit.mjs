// Figure 2: one annotation change (add, remove or relabel one entity) in a document with 10 000
// entities, including the sidecar write. Three depths, each with the previous full rewrite
// (writeSidecar) as the baseline and the incremental write (writeSidecarIncrementally: the
// changed lines spliced into the last written text, what the extension's store does):
//   - in memory: the edit (edits.ts on the model) and the new sidecar text;
//   - + the store's write path, in plain Node: read the article and check it is unchanged (old:
//     decode + SHA-256 every time; new: byte comparison with the bytes checked last), read the
//     sidecar and compare it with what was last written (never overwrite someone else's change;
//     old: decoded; new: its bytes compared with the bytes written last), encode, write a temporary
//     file, rename it over the sidecar — no fsync, as src/extension/store.ts write() does;
//   - + the CLI's durable write instead (src/cli/files.ts writeFileAtomic: fsync, then re-read
//     and compare before the rename): for reference.
// Every variant's final text is checked byte-identical to the full rewrite's.
//   node bench/edit.mjs [entities=10000] [operations=300]
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { core, info, isMain, median, ms, now, percentile, report, ROOT, row } from './lib/common.mjs';
import { ensureLargeDocument, LABELS, prng } from './lib/corpus.mjs';

const require = createRequire(import.meta.url);
const { writeFileAtomic } = require(path.join(ROOT, 'out/src/cli/files.js'));
const io = { stdout() {}, stderr() {}, cwd: process.cwd(), fs: fsp };
const utf8 = new TextDecoder('utf-8', { fatal: true });
const WARMUP = 10;

/** A deterministic sequence of operations: add, remove, relabel in turn, on random entities and words. */
function operations(count, seed, article) {
  const rand = prng(seed);
  const words = [];
  for (const m of article.text.matchAll(/[\p{L}\p{N}’-]+/gu)) {
    const start = article.offsets.toCodePoint(m.index);
    words.push({ start, end: start + [...m[0]].length });
  }
  const ops = [];
  for (let i = 0; i < count; i++) {
    ops.push({ kind: ['add', 'remove', 'relabel'][i % 3], r: rand(), label: LABELS[Math.floor(rand() * LABELS.length)], span: words[Math.floor(rand() * words.length)] });
  }
  return ops;
}

/** Applies one operation to the model as the editor's commands do (edits.ts). */
function applyOp(model, op, article, rand) {
  const { edits } = core;
  if (op.kind === 'add') return edits.addEntities(model, article, [op.span], op.label, { by: 'amina', src: 'manual', random: rand }).sidecar;
  const target = model.entities[Math.floor(op.r * model.entities.length)];
  if (op.kind === 'remove') return edits.removeEntities(model, new Set([target.id]));
  return edits.relabelEntities(model, new Set([target.id]), op.label);
}

/** As src/extension/store.ts compares bytes: four at a time where both are aligned. */
function sameBytes(a, b) {
  if (a.length !== b.length) return false;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const words = a.length >>> 2;
    const x = new Uint32Array(a.buffer, a.byteOffset, words);
    const y = new Uint32Array(b.buffer, b.byteOffset, words);
    for (let k = 0; k < words; k++) if (x[k] !== y[k]) return false;
    i = words << 2;
  }
  for (; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export async function run({ entities = 10_000, count = 300 } = {}) {
  const files = ensureLargeDocument(entities);
  const articleBytes = fs.readFileSync(files.article);
  const article = core.article.decodeArticle(articleBytes);
  const source = fs.readFileSync(files.sidecar, 'utf8');
  const start = core.read.readSidecar(source);
  const ops = operations(count, 99, article);
  info(`edit: ${count} operations on a ${entities}-entity sidecar (${(source.length / 1e6).toFixed(1)} MB) …`);

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-edit-'));
  const articleFile = path.join(dir, path.basename(files.article));
  const sidecarFile = articleFile + '.ann.yaml';
  fs.writeFileSync(articleFile, articleBytes);
  const results = {};
  try {
    for (const depth of ['memory', 'store', 'durable']) {
      for (const incremental of [false, true]) {
        fs.writeFileSync(sidecarFile, source);
        let model = start.sidecar;
        let written; // incremental: what the last write wrote (none yet: the first write is a full one)
        let diskText = source; // what we last read or wrote
        let checked; // incremental: the article bytes checked last
        let lastBytes; // incremental: the sidecar bytes written last, and their text
        const rand = prng(5);
        const timesMs = [];
        const editMs = [];
        for (let i = 0; i < ops.length; i++) {
          const t0 = now();
          model = applyOp(model, ops[i], article, rand);
          const t1 = now();
          let text;
          if (depth === 'memory') {
            ({ text, written } = incremental ? core.patch.writeSidecarIncrementally(model, written) : { text: core.write.writeSidecar(model) });
          } else {
            // The store's checks: the article on disk is the one the offsets refer to…
            const bytes = await fsp.readFile(articleFile);
            const a = incremental && checked && sameBytes(checked.bytes, bytes) ? checked : { bytes, ...core.article.decodeArticle(bytes) };
            if (incremental) checked = a;
            if (a.text !== article.text) throw new Error('the article changed');
            const raw = await fsp.readFile(sidecarFile);
            const onDisk = incremental && lastBytes && sameBytes(lastBytes.bytes, raw) ? lastBytes.text : utf8.decode(raw);
            if (onDisk !== diskText) throw new Error('the sidecar changed on disk during the bench');
            const previous = incremental && written?.text === onDisk ? written : undefined;
            ({ text, written } = incremental ? core.patch.writeSidecarIncrementally(model, previous) : { text: core.write.writeSidecar(model) });
            if (depth === 'store') {
              const tmp = `${sidecarFile}.${Math.random().toString(36).slice(2, 8)}.tmp`;
              const bytes = new TextEncoder().encode(text);
              await fsp.writeFile(tmp, bytes);
              await fsp.rename(tmp, sidecarFile);
              lastBytes = { bytes, text };
            } else {
              const before = Buffer.from(onDisk);
              if (await writeFileAtomic(io, sidecarFile, text, (current) => Buffer.from(current).equals(before)) !== 'written') throw new Error('the sidecar changed on disk during the bench');
            }
            diskText = text;
          }
          const t2 = now();
          if (i >= WARMUP) {
            timesMs.push(t2 - t0);
            editMs.push(t1 - t0);
          }
        }
        if (depth !== 'memory' && fs.readFileSync(sidecarFile, 'utf8') !== core.write.writeSidecar(model)) throw new Error('the file on disk is not the canonical sidecar');
        results[`${depth}${incremental ? '+inc' : ''}`] = { median: median(timesMs), p95: percentile(timesMs, 95), edit: median(editMs), final: core.write.writeSidecar(model) };
      }
    }
    // The floor under the store's write path: the same file work with no check and no sidecar
    // logic — read both files, encode the (final) sidecar text, write it to a temporary file, rename.
    const text = results['store+inc'].final;
    const floor = [];
    for (let i = 0; i < 100; i++) {
      const t0 = now();
      await fsp.readFile(articleFile);
      await fsp.readFile(sidecarFile);
      const tmp = `${sidecarFile}.floor.tmp`;
      await fsp.writeFile(tmp, new TextEncoder().encode(text + ' '.repeat(i % 2))); // a new string each time, as a patched text is
      await fsp.rename(tmp, sidecarFile);
      if (i >= WARMUP) floor.push(now() - t0);
    }
    results.floor = median(floor);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const finals = new Set(Object.values(results).filter((r) => r.final !== undefined).map((r) => r.final));
  if (finals.size !== 1) throw new Error('the variants ended with different sidecars');

  const label = `${entities / 1000}k-entity doc`;
  const line = (depth, figure) => {
    const inc = results[`${depth}+inc`];
    const full = results[depth];
    return row(figure, {
      measured: `${ms(inc.median)} (p95 ${ms(inc.p95)})`, baseline: `full rewrite ${ms(full.median)}`, ratio: inc.median / full.median,
      target: depth === 'durable' ? '(reference)' : '≤ 5 ms median', met: depth === 'durable' ? undefined : inc.median <= 5,
    });
  };
  const rows = [
    line('memory', `2. add/remove/relabel 1 entity, ${label}: edit + new sidecar text (incremental)`),
    line('store', '2. … + the store\'s write path in Node (article check, compare-before-write, tmp + rename)'),
    row('2. … of which the file work alone (read article + sidecar, encode, write tmp, rename)', { measured: ms(results.floor) }),
    line('durable', '2. … + the CLI\'s durable write instead (fsync, compare, rename)'),
  ];
  const notes = [`edit: ${ops.length - WARMUP} timed operations (add, remove, relabel in turn) per variant after ${WARMUP} untimed (the first write of the incremental variants is a full one); the edit on the model (edits.ts) takes ${ms(results.memory.edit)} of each; every variant ends with the same canonical sidecar`];
  return { rows, notes };
}

if (isMain(import.meta.url)) {
  const { rows, notes } = await run({ entities: Number(process.argv[2] ?? 10_000), count: Number(process.argv[3] ?? 300) });
  report('edit', rows, notes);
}
