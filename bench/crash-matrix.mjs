// The crash and concurrency matrix of sidecar writes (issue 15): over a generated corpus (kept
// in the OS temp dir, never in the repository), every writing command is killed with SIGKILL at a
// random moment, and pairs of writers run at once. Not a timed test: it prints counts.
//
//   npm run build && node bench/crash-matrix.mjs [--articles 2000] [--kills 8] [--pairs 5] [--seed 1]
//
// After each killed run: every sidecar is still there and parses whole (no structural problem),
// `validate` lists what the killed writer left (a temporary file, a lock) and the next `fmt`
// removes it. After each concurrent pair: every addition a writer reported is on disk.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { core, ROOT } from './lib/common.mjs';
import { makeDocument, prng } from './lib/corpus.mjs';

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []));
const ARTICLES = Number(args.articles ?? 2000);
const KILLS = Number(args.kills ?? 8);
const PAIRS = Number(args.pairs ?? 5);
const rand = prng(Number(args.seed ?? 1));
const CLI = path.join(ROOT, 'dist', 'cli.js');
const { readSidecar } = core.read;
const { writeSidecar } = core.write;
const scratch = createRequire(import.meta.url)(path.join(ROOT, 'out/src/core/sidecar/write-scratch.js'));

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-crash-matrix-'));
const base = path.join(work, 'base');
const corpus = path.join(work, 'corpus');
const counts = { runs: 0, failures: 0, filesChecked: 0, leftovers: 0, listedByValidate: 0, removedByNextRun: 0, refusedAsChanged: 0, reportedAdditions: 0 };
const failures = [];

function fail(what) {
  counts.failures++;
  if (failures.length < 20) failures.push(what);
}

// ---- The corpus: articles, sidecars (in reverse entity order: fmt has work), a gazetteer, two import sources.
function generate() {
  fs.mkdirSync(base);
  const words = new Map();
  const docs = [];
  for (let i = 0; i < ARTICLES; i++) {
    const name = `a${String(i).padStart(5, '0')}.txt`;
    const doc = makeDocument(rand, name, 12);
    let text = doc.text;
    const sidecar = { ...doc.sidecar, entities: [...doc.sidecar.entities] };
    // A quarter of the articles changed since annotated (a line added on top): reanchor has work.
    if (i % 4 === 0) text = 'Mise à jour.\n' + text;
    fs.writeFileSync(path.join(base, name), text);
    const canonical = writeSidecar(sidecar);
    // Every other sidecar not canonical (fmt rewrites it): its entity lines reversed.
    const lines = canonical.split('\n');
    const at = lines.indexOf('entities:') + 1;
    const out = i % 2 ? [...lines.slice(0, at), ...lines.slice(at).filter(Boolean).reverse(), ''] : lines;
    fs.writeFileSync(path.join(base, name + '.ann.yaml'), out.join('\n'));
    for (const m of text.matchAll(/\b\p{Ll}{7,}\b/gu)) words.set(m[0], (words.get(m[0]) ?? 0) + 1);
    docs.push({ name, text, entities: sidecar.entities, shifted: i % 4 === 0 });
  }
  const frequent = [...words].sort((a, b) => b[1] - a[1]).map(([w]) => w).slice(0, 12);
  fs.writeFileSync(path.join(work, 'gazetteer.tsv'), frequent.slice(0, 6).map((w) => `${w}\tMISC`).join('\n') + '\n');
  // Two import sources on other words, one span per document each (articles not shifted only: their offsets hold).
  for (const [k, word] of [['one', frequent[6]], ['two', frequent[7]]]) {
    const lines = [];
    for (const d of docs) {
      if (d.shifted) continue;
      const cps = [...d.text];
      const u = d.text.indexOf(word);
      if (u < 0) continue;
      const start = [...d.text.slice(0, u)].length;
      const end = start + [...word].length;
      if (d.entities.some((e) => e.start < end && start < e.end)) continue;
      lines.push(JSON.stringify({ text: cps.join(''), spans: [{ start, end, label: 'EVENT' }], meta: { document: d.name } }));
    }
    fs.writeFileSync(path.join(work, `import-${k}.jsonl`), lines.join('\n') + '\n');
  }
}

function restore() {
  fs.rmSync(corpus, { recursive: true, force: true });
  fs.cpSync(base, corpus, { recursive: true });
}

const COMMANDS = {
  fmt: ['fmt', '-q', '.'],
  suggest: ['suggest', '--json', '-g', path.join(work, 'gazetteer.tsv'), '.'],
  reanchor: ['reanchor', '-q', '--no-git', '.'],
  importOne: ['import', '--format', 'jsonl', path.join(work, 'import-one.jsonl'), '.'],
  importTwo: ['import', '--format', 'jsonl', path.join(work, 'import-two.jsonl'), '.'],
};

function run(argv, killAfterMs) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...argv], { cwd: corpus, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => { stderr += d; });
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => { clearTimeout(timer); resolve({ code, signal, stdout, stderr }); });
  });
}

/** Every sidecar of the base is there and whole; returns the scratch files (temp, lock) found. */
function checkCorpus(label) {
  const names = fs.readdirSync(corpus);
  const left = names.filter((n) => scratch.isWriteScratchName(n));
  for (const n of fs.readdirSync(base)) {
    if (!n.endsWith('.ann.yaml')) continue;
    counts.filesChecked++;
    let text;
    try {
      text = fs.readFileSync(path.join(corpus, n), 'utf8');
    } catch {
      fail(`${label}: ${n} is missing`);
      continue;
    }
    const parsed = readSidecar(text);
    if (!parsed.sidecar || parsed.problems.some((p) => p.severity === 'error')) fail(`${label}: ${n} does not parse: ${parsed.problems[0]?.message}`);
  }
  return left;
}

async function killRuns() {
  for (const [name, argv] of Object.entries(COMMANDS)) {
    // How long a whole run takes, so that kills land anywhere in it.
    restore();
    const t0 = Date.now();
    await run(argv);
    const full = Date.now() - t0;
    for (let k = 0; k < KILLS; k++) {
      restore();
      counts.runs++;
      const r = await run(argv, Math.floor(rand() * full));
      const label = `${name} killed (run ${k})`;
      if (r.signal !== 'SIGKILL' && r.code !== 0 && r.code !== 1) fail(`${label}: exit ${r.code}: ${r.stderr.slice(0, 300)}`);
      const left = checkCorpus(label);
      counts.leftovers += left.length;
      const v = await run(['validate', '.']);
      const listed = (v.stdout.match(/stale-write-file|interrupted sidecar write/g) ?? []).length;
      counts.listedByValidate += listed;
      if (listed !== left.length) fail(`${label}: ${left.length} left behind, validate lists ${listed}`);
      const next = await run(['fmt', '-q', '.']);
      const after = fs.readdirSync(corpus).filter((n) => scratch.isWriteScratchName(n));
      counts.removedByNextRun += left.length - after.length;
      if (after.length) fail(`${label}: still there after the next fmt: ${after.join(', ')} (${next.stderr.slice(0, 200)})`);
      checkCorpus(`${label}, after fmt`);
    }
  }
}

/** The additions a command reported, as [sidecar name, start, end, label]. */
function reported(name, r) {
  if (name === 'suggest') {
    const out = JSON.parse(r.stdout);
    return out.files.filter((f) => f.written).flatMap((f) => f.added.map((e) => [path.basename(f.sidecar), e.start, e.end, e.label]));
  }
  if (name.startsWith('import')) {
    const source = fs.readFileSync(path.join(work, name === 'importOne' ? 'import-one.jsonl' : 'import-two.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const byDoc = new Map(source.map((s) => [s.meta.document, s.spans]));
    const out = [];
    for (const m of r.stdout.matchAll(/^(\S+): added (\d+) entit/gm)) {
      for (const s of byDoc.get(m[1]) ?? []) out.push([`${m[1]}.ann.yaml`, s.start, s.end, s.label]);
    }
    return out;
  }
  return [];
}

async function pairRuns() {
  const pairs = [['suggest', 'fmt'], ['importOne', 'importTwo'], ['suggest', 'reanchor'], ['importOne', 'suggest']];
  for (const [a, b] of pairs) {
    for (let k = 0; k < PAIRS; k++) {
      restore();
      counts.runs++;
      const [ra, rb] = await Promise.all([run(COMMANDS[a]), run(COMMANDS[b])]);
      const label = `${a} + ${b} (run ${k})`;
      for (const [n, r] of [[a, ra], [b, rb]]) {
        if (r.code !== 0 && r.code !== 1) fail(`${label}: ${n} exit ${r.code}: ${r.stderr.slice(0, 300)}`);
        counts.refusedAsChanged += (r.stdout + r.stderr).match(/changed on disk|created by someone else/g)?.length ?? 0;
      }
      checkCorpus(label);
      for (const [n, r] of [[a, ra], [b, rb]]) {
        for (const [file, start, end, lab] of reported(n, r)) {
          counts.reportedAdditions++;
          const on = readSidecar(fs.readFileSync(path.join(corpus, file), 'utf8')).sidecar;
          // reanchor may move an addition with the rest of the entities: look for its label and text length.
          const there = on?.entities.some((e) => e.label === lab && ((e.start === start && e.end === end) || (b === 'reanchor' && e.end - e.start === end - start)));
          if (!there) fail(`${label}: ${n} reported ${lab} ${start}-${end} in ${file}, not on disk`);
        }
      }
      if (fs.readdirSync(corpus).some((n) => scratch.isWriteScratchName(n))) fail(`${label}: a lock or temporary file stayed behind`);
    }
  }
}

try {
  const t0 = Date.now();
  generate();
  process.stderr.write(`corpus: ${ARTICLES} articles in ${work} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n`);
  await killRuns();
  await pairRuns();
  console.log(`crash matrix (${ARTICLES} articles, ${KILLS} kills per command over ${Object.keys(COMMANDS).join(', ')}; ${PAIRS} runs per pair of concurrent writers):`);
  for (const [k, v] of Object.entries(counts)) console.log(`  ${k.padEnd(18)} ${v}`);
  for (const f of failures) console.log(`  FAILURE: ${f}`);
  process.exitCode = counts.failures ? 1 : 0;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
