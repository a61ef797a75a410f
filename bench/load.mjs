// Figure 1: loading sidecars — read the file, decode UTF-8, parse, validate every entity's
// offsets and text against the article (what `corpus-annotator validate` and the editor do) —
// against reading and JSON.parse-ing the same entities stored as JSON: for one large document
// (100 000 entities) and for the whole 10 000-document corpus (1M entities, document by document).
// Articles are decoded beforehand and not counted (the JSON side has no article to check against).
// The reader takes its fast path for canonical text; the full yaml reader is shown for reference.
//   node bench/load.mjs [entities=100000] [documents=10000]
import * as fs from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import { core, info, isMain, median, ms, now, report, row, times } from './lib/common.mjs';
import { ensureCorpus, ensureLargeDocument, LABELS } from './lib/corpus.mjs';

const utf8 = new TextDecoder('utf-8', { fatal: true }); // as the CLI decodes sidecars

/** The corpus, document by document, each sidecar and its JSON twin timed in turn; totals. */
function corpusLoad(documents) {
  const { articles } = ensureCorpus({ documents, perDocument: 100, inChild: true });
  const labels = new Set(LABELS);
  const passes = [];
  for (let pass = 0; pass < 3; pass++) {
    let tFast = 0;
    let tJson = 0;
    for (let i = 0; i < articles.length; i++) {
      const file = articles[i];
      const article = core.article.decodeArticle(fs.readFileSync(file)); // not counted
      const sidecar = () => {
        const t0 = now();
        const parsed = core.read.readSidecar(utf8.decode(fs.readFileSync(file + '.ann.yaml')));
        const problems = core.validate.validateAgainstArticle(parsed.sidecar, article, { labels, overlap: 'nested', entityLines: parsed.entityLines, keyLines: parsed.keyLines });
        if (problems.length) throw new Error(`${file}: ${problems[0].message}`);
        tFast += now() - t0;
      };
      const json = () => {
        const t0 = now();
        JSON.parse(utf8.decode(fs.readFileSync(file + '.json')));
        tJson += now() - t0;
      };
      // In turn first, so that neither side always runs in the other's wake (caches, GC).
      if (i % 2) { sidecar(); json(); } else { json(); sidecar(); }
    }
    passes.push({ tFast, tJson });
  }
  passes.sort((a, b) => a.tFast / a.tJson - b.tFast / b.tJson);
  // Differential check on the generated files: the full yaml reader gives exactly the same result.
  const sample = articles.filter((_, i) => i % Math.max(1, Math.floor(documents / DIFFERENTIAL_SAMPLE)) === 0);
  for (const file of sample) {
    const text = utf8.decode(fs.readFileSync(file + '.ann.yaml'));
    if (!isDeepStrictEqual(core.read.readSidecar(text), core.read.readSidecarFull(text))) throw new Error(`${file}: the fast and the full reader disagree`);
    if (core.fast.fastReadSidecar(text) === undefined) throw new Error(`${file}: the fast path refused a generated sidecar`);
  }
  return { ...passes[1], checked: sample.length }; // the median pass by ratio
}

const DIFFERENTIAL_SAMPLE = 250;

export async function run({ entities = 100_000, documents = 10_000 } = {}) {
  // The corpus first, while the heap is small (the large document's results are kept below).
  info(`load: the corpus, ${documents} documents …`);
  const corpus = corpusLoad(documents);

  const files = ensureLargeDocument(entities);
  const sidecarBytes = fs.statSync(files.sidecar).size;
  const labels = new Set(LABELS);
  let t0 = performance.now();
  const article = core.article.decodeArticle(fs.readFileSync(files.article));
  const articleMs = performance.now() - t0;

  const load = (reader) => () => {
    const source = utf8.decode(fs.readFileSync(files.sidecar));
    const parsed = reader(source);
    if (!parsed.sidecar) throw new Error(`the generated sidecar does not read: ${parsed.problems[0]?.message}`);
    const problems = core.validate.validateAgainstArticle(parsed.sidecar, article, {
      labels, overlap: 'nested', articleName: files.article.split('/').pop(), entityLines: parsed.entityLines, keyLines: parsed.keyLines,
    });
    if (problems.length) throw new Error(`the generated sidecar has problems: ${problems[0].message}`);
    return parsed;
  };
  const jsonLoad = () => JSON.parse(utf8.decode(fs.readFileSync(files.json)));
  if (core.fast.fastReadSidecar(utf8.decode(fs.readFileSync(files.sidecar))) === undefined) throw new Error('the fast path refused the generated sidecar');

  info(`load: ${entities} entities, sidecar ${(sidecarBytes / 1e6).toFixed(1)} MB …`);
  // Interleaved, so a burst of load from other processes on the machine hits both alike.
  const fast = [];
  const json = [];
  for (let i = 0; i < 11; i++) {
    json.push(...times(jsonLoad, { runs: 1, warmup: i === 0 ? 1 : 0 }));
    fast.push(...times(load(core.read.readSidecar), { runs: 1, warmup: i === 0 ? 1 : 0 }));
  }
  // Parts, to see where the time goes.
  const source = utf8.decode(fs.readFileSync(files.sidecar));
  const jsonText = utf8.decode(fs.readFileSync(files.json));
  const parseOnly = median(times(() => core.fast.fastReadSidecar(source), { runs: 7 }));
  const jsonParseOnly = median(times(() => JSON.parse(jsonText), { runs: 7 }));
  const parsed = core.fast.fastReadSidecar(source);
  const validateOnly = median(times(() => core.validate.validateAgainstArticle(parsed.sidecar, article, { labels, overlap: 'nested' }), { runs: 7 }));
  // Not canonical: the same lines without the header comment (as a script writes them), with 10
  // entities rewritten in block style (hand edits), and the whole list as one flow line.
  const variant = (text) => () => load(() => core.read.readSidecar(text))();
  const lines = source.split('\n');
  const headerless = lines.filter((l) => !l.startsWith('#')).join('\n');
  const edited = [...lines];
  const first = lines.indexOf('entities:') + 1;
  for (let k = 0; k < 10; k++) {
    const i = first + Math.floor(((k + 0.5) * (lines.length - 1 - first)) / 10);
    const m = /^  - \{(.*)\}$/.exec(edited[i]);
    edited[i] = '  - ' + m[1].replace(/, (?=(?:note|attrs|by|src|text|start|end|label|suggested): )/g, '\n    ');
  }
  const blockEdited = edited.join('\n');
  const items = lines.slice(first).filter((l) => l).map((l) => l.slice(4));
  const oneLine = lines.slice(0, first - 1).join('\n') + `\nentities: [${items.join(', ')}]\n`;
  for (const [name, text] of [['headerless', headerless], ['block-edited', blockEdited], ['one-line', oneLine]]) {
    if (!isDeepStrictEqual(core.read.readSidecar(text).sidecar, parsed.sidecar)) throw new Error(`the ${name} variant does not read as the canonical sidecar`);
  }
  const headerlessMs = median(times(variant(headerless), { runs: 5 }));
  const blockMs = median(times(variant(blockEdited), { runs: 5 }));
  const oneLineMs = median(times(variant(oneLine), { runs: 5 }));
  info('load: the full yaml reader (several seconds per run) …');
  const full = times(load(core.read.readSidecarFull), { runs: 2, warmup: 0 });

  const base = median(json);
  const f = median(fast);
  const y = Math.min(...full);
  const rows = [
    row(`1. load ${entities / 1000}k-entity sidecar (${(sidecarBytes / 1e6).toFixed(1)} MB): read+parse+validate, fast path`, {
      measured: ms(f), baseline: `read+JSON.parse ${ms(base)}`, ratio: f / base, target: '≤ 2×', met: f / base <= 2,
    }),
    row('1. … same with the full yaml reader', { measured: ms(y), baseline: `read+JSON.parse ${ms(base)}`, ratio: y / base, target: '(reference)' }),
    row('1. … same lines without the header comment (segmented read)', { measured: ms(headerlessMs), baseline: `read+JSON.parse ${ms(base)}`, ratio: headerlessMs / base, target: '≤ 2×', met: headerlessMs / base <= 2 }),
    row('1. … with 10 entities in block style (those parsed alone)', { measured: ms(blockMs), baseline: `read+JSON.parse ${ms(base)}`, ratio: blockMs / base, target: '≤ 2×', met: blockMs / base <= 2 }),
    row(`1. … the whole list on one line (${(oneLine.length / 1e6).toFixed(1)} MB, entities: [{…}, …])`, { measured: ms(oneLineMs), baseline: `read+JSON.parse ${ms(base)}`, ratio: oneLineMs / base, target: '≤ 2×', met: oneLineMs / base <= 2 }),
    row('1. … of which parse alone, fast path', { measured: ms(parseOnly), baseline: `JSON.parse ${ms(jsonParseOnly)}`, ratio: parseOnly / jsonParseOnly }),
    row('1. … of which validate offsets + overlaps', { measured: ms(validateOnly) }),
    row(`1. load the whole corpus, ${documents / 1000}k sidecars × 100 entities, one by one: read+parse+validate`, {
      measured: ms(corpus.tFast), baseline: `read+JSON.parse ${ms(corpus.tJson)}`, ratio: corpus.tFast / corpus.tJson, target: '≤ 2×', met: corpus.tFast / corpus.tJson <= 2,
    }),
  ];
  const notes = [
    `load: article (${(fs.statSync(files.article).size / 1e6).toFixed(1)} MB) decoded + hashed once beforehand in ${ms(articleMs)}, not counted; large sidecar: medians of 11 interleaved runs (full reader: best of 2); corpus: each document's sidecar and its JSON twin in turn (alternating which goes first), readFileSync, median of 3 passes by ratio; full reader ${(y / f).toFixed(0)}× slower than the fast path; on ${corpus.checked} corpus sidecars both readers were checked to give deep-equal results`,
  ];
  return { rows, notes };
}

if (isMain(import.meta.url)) {
  const { rows, notes } = await run({ entities: Number(process.argv[2] ?? 100_000), documents: Number(process.argv[3] ?? 10_000) });
  report('load', rows, notes);
}
