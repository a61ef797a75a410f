// Figure 5: exporting the 1M-entity corpus (10 000 documents × 100 entities) to JSONL with the
// real command, in process: `corpus-annotator export --format jsonl -q -o out.jsonl <corpus>` —
// which finds the files, reads and checks each sidecar (fast path) against its article (decoded,
// hashed, offsets validated), converts and writes it. Baseline: for each document, read the
// article and the same entities as JSON, JSON.parse, JSON.stringify({text, entities}), write.
// Throughput in MB/s of article text, as bench/export.mjs reports it (which measures the
// in-memory conversion alone, per format: `node bench/export.mjs`).
//   node bench/export-jsonl.mjs [documents=10000] [perDocument=100]
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { core, info, isMain, ms, now, report, ROOT, row } from './lib/common.mjs';
import { ensureCorpus, LABELS } from './lib/corpus.mjs';

const require = createRequire(import.meta.url);
const { run: cli } = require(path.join(ROOT, 'out/src/cli/run.js'));
const sidecarRead = require(path.join(ROOT, 'out/src/core/sidecar/sidecar-read.js'));
const utf8 = new TextDecoder('utf-8', { fatal: true });

async function exportWithCli(dir, out) {
  let stderr = '';
  const io = { stdout() {}, stderr: (t) => { stderr += t; }, cwd: process.cwd(), fs: fsp };
  const t0 = now();
  const status = await cli(['export', '--format', 'jsonl', '-q', '-o', out, dir], io);
  const t = now() - t0;
  if (status !== 0) throw new Error(`export failed (${status}): ${stderr.slice(0, 500)}`);
  return { ms: t, summary: (stderr.trim().split('\n').pop() ?? '').replace(/; written to .*$/, '') };
}

async function exportBaseline(articles, out) {
  const t0 = now();
  const handle = await fsp.open(out, 'w');
  for (const a of articles) {
    const text = utf8.decode(await fsp.readFile(a));
    const sidecar = JSON.parse(utf8.decode(await fsp.readFile(a + '.json')));
    await handle.write(JSON.stringify({ text, entities: sidecar.entities }) + '\n');
  }
  await handle.close();
  return now() - t0;
}

/**
 * The conversion alone, in memory, 1000 documents at a time (files read beforehand, articles
 * decoded and hashed beforehand): sidecar text → readSidecar → validate → exportDocument('jsonl'),
 * against JSON text → JSON.parse → JSON.stringify({text, entities}). What bench/export.mjs's
 * author measured (from a model already in memory), now from the sidecar text.
 */
function inMemory(articles) {
  const labels = new Set(LABELS);
  let tExport = 0;
  let tJson = 0;
  let outExport = 0;
  let outJson = 0;
  for (let from = 0; from < articles.length; from += 1000) {
    const batch = articles.slice(from, from + 1000).map((a) => ({
      name: path.basename(a),
      article: core.article.decodeArticle(fs.readFileSync(a)),
      sidecarText: utf8.decode(fs.readFileSync(a + '.ann.yaml')),
      jsonText: utf8.decode(fs.readFileSync(a + '.json')),
    }));
    let t0 = now();
    for (const d of batch) {
      const parsed = core.read.readSidecar(d.sidecarText);
      const problems = core.validate.validateAgainstArticle(parsed.sidecar, d.article, { labels, overlap: 'nested', articleName: d.name, entityLines: parsed.entityLines, keyLines: parsed.keyLines });
      if (problems.length) throw new Error(problems[0].message);
      outExport += core.exporter.exportDocument('jsonl', { name: d.name, relPath: d.name, article: d.article, sidecar: parsed.sidecar }).text.length;
    }
    tExport += now() - t0;
    t0 = now();
    for (const d of batch) outJson += (JSON.stringify({ text: d.article.text, entities: JSON.parse(d.jsonText).entities }) + '\n').length;
    tJson += now() - t0;
  }
  return { tExport, tJson, outExport, outJson };
}

export async function run({ documents = 10_000, perDocument = 100, fullSubset = 300 } = {}) {
  const { dir, articles } = ensureCorpus({ documents, perDocument, inChild: true });
  const textBytes = articles.reduce((n, a) => n + fs.statSync(a).size, 0);
  // Temporary folders for the outputs and the subset, removed afterwards, also on failure.
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-export-'));
  const subsetDir = path.join(outDir, 'subset');
  const out = path.join(outDir, 'out.jsonl');
  info(`export: ${documents} documents, ${(textBytes / 1e6).toFixed(0)} MB of article text …`);

  const fast = [];
  const base = [];
  let summary = '';
  let mem;
  let full;
  let partArticles;
  let subsetBytes;
  try {
    // Interleaved twice; the better of each (the machine is shared).
    for (let k = 0; k < 2; k++) {
      base.push(await exportBaseline(articles, path.join(outDir, 'baseline.jsonl')));
      const r = await exportWithCli(dir, out);
      fast.push(r.ms);
      summary = r.summary;
    }
    const lines = fs.readFileSync(out, 'utf8').split('\n').length - 1;
    if (lines !== documents) throw new Error(`export wrote ${lines} lines for ${documents} documents: ${summary}`);
    info('export: the conversion alone, in memory …');
    mem = inMemory(articles);

    // Reference: the same command with the full yaml reader, on the first part of the corpus.
    const part = path.join(dir, 'part00');
    partArticles = articles.filter((a) => a.startsWith(part + path.sep)).slice(0, fullSubset);
    fs.mkdirSync(subsetDir);
    for (const a of partArticles) {
      fs.symlinkSync(a, path.join(subsetDir, path.basename(a)));
      fs.symlinkSync(a + '.ann.yaml', path.join(subsetDir, path.basename(a) + '.ann.yaml'));
    }
    subsetBytes = partArticles.reduce((n, a) => n + fs.statSync(a).size, 0);
    info(`export: the same with the full yaml reader, ${partArticles.length} documents …`);
    const fastRead = sidecarRead.readSidecar;
    sidecarRead.readSidecar = sidecarRead.readSidecarFull; // what the compiled CLI calls, looked up at each call
    try {
      full = await exportWithCli(subsetDir, path.join(outDir, 'full.jsonl'));
    } finally {
      sidecarRead.readSidecar = fastRead;
    }
  } finally {
    fs.rmSync(outDir, { recursive: true, force: true });
  }

  const mbps = (bytes, t) => bytes / 1e6 / (t / 1000);
  const f = mbps(textBytes, Math.min(...fast));
  const b = mbps(textBytes, Math.min(...base));
  const y = mbps(subsetBytes, full.ms);
  const m = mbps(textBytes, mem.tExport);
  const mj = mbps(textBytes, mem.tJson);
  const rows = [
    row(`5. export ${(documents * perDocument) / 1e6}M entities to JSONL, in memory: read sidecar text+validate+convert`, {
      measured: `${m.toFixed(0)} MB/s (${ms(mem.tExport)})`, baseline: `JSON.parse+JSON.stringify ${mj.toFixed(0)} MB/s`, ratio: mj / m, target: '(reference)',
    }),
    row(`5. … whole CLI command on ${documents / 1000}k files (find, read, hash, check, convert, write)`, {
      measured: `${f.toFixed(1)} MB/s (${ms(Math.min(...fast))})`, baseline: `read+JSON.stringify+write ${b.toFixed(1)} MB/s`, ratio: b / f, target: '(reference)',
    }),
    row(`5. … whole CLI command with the full yaml reader (${partArticles.length} docs)`, { measured: `${y.toFixed(1)} MB/s`, baseline: `read+JSON.stringify+write ${b.toFixed(1)} MB/s`, ratio: b / y, target: '(reference)' }),
  ];
  const notes = [`export: MB/s of article text (${(textBytes / 1e6).toFixed(0)} MB); ratio = baseline MB/s ÷ measured MB/s (a time ratio); whole command: best of 2 interleaved runs, sequential fs.promises reads and writes as the CLI does them; ${summary}`];
  return { rows, notes };
}

if (isMain(import.meta.url)) {
  const { rows, notes } = await run({ documents: Number(process.argv[2] ?? 10_000), perDocument: Number(process.argv[3] ?? 100) });
  report('export-jsonl', rows, notes);
}
