// Issue 14 in the real VS Code: a generated corpus of N articles × 100 entities (bench/lib/corpus.mjs)
// opened in code-server's Node extension host (the integration tests' host: code-server + Chromium),
// twice on the same workspace (cold, then the second opening), for 10k and 1k articles (the growth
// ratio). Figures from the extension's log (totals time after activation began, grouping) and from
// bench/host/scale.bench.ts inside the host (memory from /proc/self, idle CPU, filter, tag-to-disk).
// Needs `npm run build && npx tsc -p .` and the test host (`npm run host:install`).
// Alone: `node bench/host-scale.mjs` (HOST_SCALE_SIZES=1000 for a quick run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { median, ms, report, row } from './lib/common.mjs';
import { ensureCorpus } from './lib/corpus.mjs';
import { exitOnUncaughtErrors, onShutdown, shutdown } from '../test/host/lifecycle.mjs';
import { REPO_ROOT } from '../test/host/paths.mjs';
import { runInCodeServer } from '../test/host/run-in-code-server.mjs';
import { freePort } from '../test/host/code-server.mjs';

exitOnUncaughtErrors();
/** @type {Record<string, number>} */
const PORTS = {};
const SIZES = (process.env.HOST_SCALE_SIZES ?? '10000,1000').split(',').map(Number);

/** A throwaway copy of the generated corpus (articles and sidecars; not the JSON twins), removed at exit. */
function workspaceOf(documents) {
  const { dir } = ensureCorpus({ documents, perDocument: 100, inChild: true });
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-scale-'));
  const ws = path.join(root, 'corpus');
  fs.cpSync(dir, ws, { recursive: true, filter: (src) => !src.endsWith('.json') && !src.endsWith('.complete') });
  onShutdown({ name: `workspace ${ws}`, final: () => fs.rmSync(root, { recursive: true, force: true }) });
  return ws;
}

async function session(workspace, label) {
  const out = { figures: {}, totalsMs: undefined, groupMs: [], lines: [] };
  const quiet = console.log;
  console.log = () => {};
  let code;
  const started = performance.now();
  // The machine may be shared: its load average beside each session's figures (times scale with it).
  const loadAtStart = os.loadavg()[0];
  try {
    code = await runInCodeServer({
      workspace,
      // One user data dir and port per workspace: the second opening finds the first's workspace
      // storage (the persisted index; the workspace's id hashes its URI, which names the port).
      userDataDir: path.join(path.dirname(workspace), 'user-data'),
      port: (PORTS[workspace] ??= await freePort()),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'bench', 'host', 'index.js'),
      timeoutMs: 1_200_000,
      env: { CORPUS_ANNOTATOR_LOG_TO_CONSOLE: '1', CORPUS_ANNOTATOR_BENCH: 'scale', ...(process.env.HOST_SCALE_PROFILE ? { HOST_SCALE_PROFILE: path.resolve(process.env.HOST_SCALE_PROFILE, `${path.basename(path.dirname(workspace))}-${label.replace(/\W+/g, '-')}`) } : {}) },
      onConsole: (line) => {
        out.lines.push(line);
        if (out.lines.length > 60) out.lines.shift();
        const t = /corpus totals known: (\d+) entities in (\d+) documents, (\d+) ms after activation began/.exec(line);
        if (t) out.totalsMs = Number(t[3]);
        // Where the totals time goes: finding the articles, then summarising their sidecars.
        const found = /found (\d+) article\(s\) in (\d+) ms/.exec(line);
        if (found) out.figures.findArticlesMs = [Number(found[2])];
        const summarised = /summarised (\d+) sidecar\(s\) for the sidebar in (\d+) ms/.exec(line);
        if (summarised) out.figures.summariseMs = [Number(summarised[2])];
        const threads = /summarised \d+ sidecar\(s\) for the sidebar in \d+ ms \((\d+) counted on (\d+) worker thread/.exec(line);
        if (threads) out.figures.workerThreads = [Number(threads[2])];
        // On worker threads, the full summaries (mentions) follow the counts.
        const full = /full summaries \(mentions\) of (\d+) sidecar\(s\) in (\d+) ms/.exec(line);
        if (full) out.figures.fullSummariesMs = [Number(full[2])];
        const wrote = /wrote .* in ([\d.]+) ms, ([\d.]+) ms of it computing/.exec(line);
        if (wrote) (out.figures.writeMs ??= []).push(Number(wrote[1]));
        const g = /grouped the corpus by (label|entity).* in (\d+) ms/.exec(line);
        if (g) out.groupMs.push(Number(g[2]));
        if (line.startsWith('bench-json: ')) {
          const f = JSON.parse(line.slice('bench-json: '.length));
          out.figures[f.name] = f.values;
        }
        // The second opening: totals from the persisted index, then checked against the sidecars.
        const warm = /corpus totals known (from the persisted index|checked against the sidecars): \d+ entities in \d+ documents, (\d+) ms after activation began/.exec(line);
        if (warm) out.figures[warm[1].startsWith('from') ? 'warmTotalsMs' : 'warmCheckedMs'] = [Number(warm[2])];
        if (warm?.[1].startsWith('from')) out.totalsMs ??= Number(warm[2]);
        const reused = /corpus index: (\d+) of (\d+) persisted summaries still match.*checked in (\d+) ms/.exec(line);
        if (reused) {
          out.figures.reused = [Number(reused[1]), Number(reused[2])];
          out.figures.statCheckMs = [Number(reused[3])];
        }
        // Reading and parsing the persisted index file (its size in MB).
        const loaded = /corpus index: \d+ document summaries loaded from the last session in (\d+) ms \(([\d.]+) MB\)/.exec(line);
        if (loaded) out.figures.indexLoad = [Number(loaded[1]), Number(loaded[2])];
        const loadParts = /loaded from the last session .* listed in (\d+) ms, read in (\d+) ms, counts parsed in (\d+) ms/.exec(line);
        if (loadParts) out.figures.indexListReadParseMs = loadParts.slice(1).map(Number);
        // Then the mentions file (the label and entity groupings wait for it; the totals do not).
        const mentions = /corpus index: mentions of (\d+) of (\d+) documents read \(([\d.]+) MB\) in (\d+) ms/.exec(line);
        if (mentions) out.figures.mentionsRead = [Number(mentions[4]), Number(mentions[3]), Number(mentions[1])];
      },
    });
  } finally {
    console.log = quiet;
  }
  if (code !== 0) process.stderr.write(`${out.lines.join('\n')}\n`);
  if (code !== 0) throw new Error(`the host bench failed (exit ${code}); run it with CORPUS_ANNOTATOR_TEST_VERBOSE=1 to see why`);
  // Each session's figures as soon as it ends: a later session failing (a busy machine) loses nothing.
  process.stderr.write(`host-scale: ${label} done in ${((performance.now() - started) / 1000).toFixed(0)} s: ${JSON.stringify({ load: [loadAtStart, os.loadavg()[0]].map((l) => Number(l.toFixed(1))), totalsMs: out.totalsMs, groupMs: out.groupMs, ...out.figures })}\n`);
  return out;
}

const results = new Map();
for (const n of SIZES) {
  const ws = workspaceOf(n);
  const cold = await session(ws, `${n} articles, first opening`);
  // (HOST_SCALE_FIRST_ONLY=1: the first opening alone, e.g. to profile it.)
  const warm = process.env.HOST_SCALE_FIRST_ONLY ? cold : await session(ws, `${n} articles, second opening`);
  results.set(n, { cold, warm });
}

const f = (s, name) => s.figures[name] ?? [];
const one = (s, name) => f(s, name)[0];
const rows = [];
for (const [n, { cold, warm }] of results) {
  const tag = (mode) => median([...f(cold, `tag_${mode}`), ...f(warm, `tag_${mode}`)]);
  rows.push(
    row(`${n} × 100: sidebar totals after activation began (first opening)`, { measured: ms(cold.totalsMs), target: '≤ 3 s', met: cold.totalsMs <= 3000 }),
    row(`${n} × 100: … second opening`, { measured: ms(warm.totalsMs), target: 'well under 1 s', met: warm.totalsMs < 1000 }),
    row(`${n} × 100: … second opening, persisted index checked against every sidecar (summaries reused)`, { measured: warm === cold ? '(not run)' : `${ms(one(warm, 'warmCheckedMs'))} (${f(warm, 'reused').join(' of ')})` }),
    row(`${n} × 100: … second opening: counts file read and parsed (size) / mentions file read and decoded, in slices (size) / every sidecar stat'ed`, { measured: warm === cold ? '(not run)' : `${ms(one(warm, 'indexLoad'))} (${f(warm, 'indexLoad')[1]} MB) / ${ms(one(warm, 'mentionsRead'))} (${f(warm, 'mentionsRead')[1]} MB) / ${ms(one(warm, 'statCheckMs'))}` }),
    row(`${n} × 100: extension host RSS at the totals / idle 12 s later / after 15 tags`, {
      measured: `${one(cold, 'rssAtTotals')?.toFixed(0)} / ${one(cold, 'rssIdle')?.toFixed(0)} / ${one(cold, 'rssAfterTags')?.toFixed(0)} MB`, target: '≤ 400 MB', met: Math.max(one(cold, 'rssIdle'), one(cold, 'rssAfterTags')) <= 400,
    }),
    row(`${n} × 100: extension host CPU while idle (10 s, from 2 s after the totals)`, { measured: `${one(cold, 'idleCpuPercent')?.toFixed(1)} %` }),
    row(`${n} × 100: … busy until (last 1 s at ≥ 20 % of a core, worker threads included) after the totals`, { measured: ms(one(cold, 'busyAfterTotalsMs')), target: '≤ 5 s', met: one(cold, 'busyAfterTotalsMs') <= 5000 }),
    row(`${n} × 100: … second opening (the warm check and the mentions meanwhile): CPU / longest stall in the 12 s after the totals`, {
      measured: warm === cold ? '(not run)' : `${one(warm, 'idleCpuPercent')?.toFixed(1)} % / ${ms(one(warm, 'idleLongestStall'))} (${one(warm, 'idleStallsOver50')} over 50 ms)`, target: 'stalls ≤ 50 ms', met: one(warm, 'idleLongestStall') <= 50,
    }),
    row(`${n} × 100: Group by Label until the label rows`, { measured: ms(one(cold, 'groupByLabel')), baseline: `grouping itself ${ms(cold.groupMs[0])}`, target: '≤ 1 s', met: one(cold, 'groupByLabel') <= 1000 }),
    row(`${n} × 100: … open ORG and its first surface form (first page)`, { measured: ms(one(cold, 'openLabelAndSurface')) }),
    row(`${n} × 100: filter label:ORG (grouped by label / by document)`, {
      measured: `${ms(one(cold, 'filterLabel'))} / ${ms(one(cold, 'filterDocument'))}`, target: '≤ 300 ms', met: Math.max(one(cold, 'filterLabel'), one(cold, 'filterDocument')) <= 300,
    }),
    row(`${n} × 100: tag (Ctrl+Alt+6) until the sidecar is on disk, by document / label / entity`, {
      measured: `${ms(tag('document'))} / ${ms(tag('label'))} / ${ms(tag('entity'))}`, target: '≤ 150 ms', met: Math.max(tag('document'), tag('label'), tag('entity')) <= 150,
    }),
  );
}
const big = results.get(SIZES[0]);
const small = results.get(SIZES[1]);
if (big && small) {
  const r = big.cold.totalsMs / small.cold.totalsMs;
  rows.push(row(`growth of the totals time, ${SIZES[1]} → ${SIZES[0]} articles`, { measured: `${r.toFixed(1)}×`, baseline: `${ms(small.cold.totalsMs)} → ${ms(big.cold.totalsMs)}`, target: 'sub-linear' }));
}
report('host-scale', rows, [`host-scale: code-server's Node extension host; one session per opening; tags: median of 10 (5 per session) per view mode`]);
await new Promise((resolve) => process.stdout.write('', resolve));
await shutdown(0);
