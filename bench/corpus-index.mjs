// Figure 3: the corpus index the sidebar needs (per document: status and entity counts per
// label; totals), built cold over 10 000 documents × 100 entities — read every sidecar from disk,
// parse it (fast path), count — then kept up to date as single files change; peak memory. The
// baseline reads the same documents stored as JSON, JSON.parse-s them and counts the same way.
//   node bench/corpus-index.mjs [documents=10000] [perDocument=100]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { core, info, isMain, mb, median, ms, now, peakRss, report, row } from './lib/common.mjs';
import { ensureCorpus, prng } from './lib/corpus.mjs';

const utf8 = new TextDecoder('utf-8', { fatal: true });
const CONCURRENCY = 16;

/** Runs `f` over `items` with at most CONCURRENCY reads in flight (as a file-system-bound sidebar would). */
async function pool(items, f) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await f(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

function jsonSummary(text) {
  const s = JSON.parse(text);
  const labels = new Map();
  for (const e of s.entities) labels.set(e.label, (labels.get(e.label) ?? 0) + 1);
  return { state: 'ok', status: s.status, entities: s.entities.length, labels, errors: 0 };
}

export async function run({ documents = 10_000, perDocument = 100 } = {}) {
  const { dir, articles } = ensureCorpus({ documents, perDocument, inChild: true });
  const sidecars = articles.map((a) => a + '.ann.yaml');
  const jsons = articles.map((a) => a + '.json');
  // Warm the page cache so that both sides read from memory, not from the disk.
  spawnSync('sh', ['-c', `find "${dir}" -type f -name '*.ann.yaml' -exec cat {} + > /dev/null; find "${dir}" -type f -name '*.json' -exec cat {} + > /dev/null`]);
  const sidecarBytes = sidecars.reduce((n, f) => n + fs.statSync(f).size, 0);
  info(`corpus-index: ${documents} documents × ${perDocument} entities, ${mb(sidecarBytes)} of sidecars …`);

  // Cold build, first thing in this process: memory measured around it.
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let heapMax = 0;
  const index = new core.index.CorpusIndex();
  let t0 = now();
  await pool(sidecars, async (file, i) => {
    const text = utf8.decode(await fsp.readFile(file));
    index.update(articles[i], text);
    if (i % 250 === 0) heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
  });
  const cold = now() - t0;
  heapMax = Math.max(heapMax, process.memoryUsage().heapUsed);
  const rssPeak = peakRss();
  const totals = index.totals();
  if (totals.entities !== documents * perDocument || totals.invalid !== 0) throw new Error(`index counts ${totals.entities} entities, ${totals.invalid} invalid`);

  // Baseline: the same with JSON.
  const jsonTotals = new Map();
  t0 = now();
  await pool(jsons, async (file, i) => {
    const s = jsonSummary(utf8.decode(await fsp.readFile(file)));
    jsonTotals.set(articles[i], s);
  });
  const coldJson = now() - t0;

  // One changed file at a time: a document's sidecar rewritten on disk (status changed, one entity
  // removed — what a git pull or another window does), then re-read and the index updated. The
  // changed files are written to a temporary folder (removed afterwards, also on failure), so the
  // cached corpus is never modified.
  const rand = prng(3);
  const updates = [];
  const jsonUpdates = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-index-'));
  try {
    for (let k = 0; k < 60; k++) {
      const i = Math.floor(rand() * documents);
      const parsed = core.read.readSidecar(fs.readFileSync(sidecars[i], 'utf8'));
      const next = { ...parsed.sidecar, status: 'reviewed', entities: parsed.sidecar.entities.slice(1) };
      const changed = path.join(tmp, `${k}.ann.yaml`);
      const changedJson = path.join(tmp, `${k}.json`);
      fs.writeFileSync(changed, core.write.writeSidecar(next));
      fs.writeFileSync(changedJson, JSON.stringify(next));
      let t = now();
      index.update(articles[i], utf8.decode(await fsp.readFile(changed)));
      updates.push(now() - t);
      t = now();
      jsonTotals.set(articles[i], jsonSummary(utf8.decode(await fsp.readFile(changedJson))));
      jsonUpdates.push(now() - t);
      if (index.get(articles[i]).entities !== perDocument - 1 || index.totals().entities !== documents * perDocument - 1) throw new Error('the update was not counted');
      index.update(articles[i], fs.readFileSync(sidecars[i], 'utf8')); // back to the corpus as generated
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const upd = median(updates.slice(10));
  const updJson = median(jsonUpdates.slice(10));
  const updMax = Math.max(...updates.slice(10));

  const GB = 1024 ** 3;
  const rows = [
    row(`3. corpus index, cold: ${documents / 1000}k docs × ${perDocument} (${mb(sidecarBytes)})`, { measured: ms(cold), baseline: `read+JSON.parse ${ms(coldJson)}`, ratio: cold / coldJson, target: '≤ 3 s', met: cold <= 3000 }),
    row('3. … one changed file: re-read + update', { measured: `${ms(upd)} (max ${ms(updMax)})`, baseline: `read+JSON.parse ${ms(updJson)}`, ratio: upd / updJson, target: '≤ 50 ms', met: updMax <= 50 }),
    row('3. … peak memory (rss / heapUsed)', { measured: `${mb(rssPeak)} / ${mb(heapMax)}`, baseline: `rss before ${mb(rssBefore)}`, ratio: rssPeak / rssBefore, target: '≤ 1 GB', met: rssPeak <= GB && heapMax <= GB }),
  ];
  const notes = [
    `corpus-index: reads ${CONCURRENCY} at a time with fs.promises, page cache warm for both sides; update = median of 50 (after 10 warm-up), each re-reading a changed version of one document's sidecar from disk (status changed, one entity fewer) and checking the totals; peak rss = process.resourceUsage().maxRSS over the whole process`,
  ];
  return { rows, notes };
}

if (isMain(import.meta.url)) {
  const { rows, notes } = await run({ documents: Number(process.argv[2] ?? 10_000), perDocument: Number(process.argv[3] ?? 100) });
  report('corpus-index', rows, notes);
}
