// Export throughput on a synthetic corpus (deterministic seed), against plain JSON.stringify of
// the same documents as a baseline. Needs the compiled core: `npx tsc -p .` first.
//   node bench/export.mjs [documents=2000] [seed=42]
// Prints MB/s of article text per format. No assertion: numbers for humans, not for CI.
// Not in bench/run.mjs: figure 5 is bench/export-jsonl.mjs; this one covers every format.
import { core } from './lib/common.mjs';
import { prng } from './lib/corpus.mjs';

const { exportDocument, EXPORT_FORMATS } = core.exporter;
const { articleFromText } = core.article;

const count = Number(process.argv[2] ?? 2000);
const seed = Number(process.argv[3] ?? 42);

const rand = prng(seed);
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const WORDS = 'le la les de du des et à en pour avec sur dans une un a été sécurité coopération police nationale réunion ministre délégation lutte contre crime organisé'.split(' ');
const ENTITIES = [['Abdellatif Hammouchi', 'PER'], ['Interpol', 'ORG'], ['DGSN', 'ORG'], ['Rabat', 'LOC'], ['Marrakech', 'LOC'], ['3 au 4 septembre', 'DATE'], ['Lyon 🎉', 'LOC']];

function makeDoc(i) {
  let text = '';
  let cp = 0;
  const entities = [];
  const add = (s) => { text += s; cp += [...s].length; };
  while (text.length < 4000) {
    for (let w = 0; w < 12; w++) add(`${pick(WORDS)} `);
    const [surface, label] = pick(ENTITIES);
    const start = cp;
    add(surface);
    entities.push({ id: `e${entities.length}`, label, start, end: cp, text: surface, src: 'manual' });
    add(rand() < 0.2 ? '.\n' : ', ');
  }
  const article = articleFromText(text);
  return { name: `doc${i}.txt`, relPath: `doc${i}.txt`, article, sidecar: { version: 1, document: `doc${i}.txt`, status: 'done', entities } };
}

const docs = Array.from({ length: count }, (_, i) => makeDoc(i));
const bytes = docs.reduce((n, d) => n + Buffer.byteLength(d.article.text), 0);
const mb = bytes / 1e6;
console.log(`${count} documents, ${mb.toFixed(1)} MB of text, ${docs.reduce((n, d) => n + d.sidecar.entities.length, 0)} entities (seed ${seed})`);

function time(name, f) {
  f(docs.slice(0, 20)); // warm-up
  const t0 = process.hrtime.bigint();
  let out = 0;
  for (const d of docs) out += f([d]);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`${name.padEnd(22)} ${(mb / s).toFixed(1).padStart(7)} MB/s  ${(s * 1000).toFixed(0).padStart(6)} ms  ${(out / 1e6).toFixed(1)} MB out`);
}

time('JSON.stringify', (ds) => ds.reduce((n, d) => n + JSON.stringify({ text: d.article.text, entities: d.sidecar.entities }).length, 0));
for (const format of EXPORT_FORMATS) {
  time(format, (ds) => ds.reduce((n, d) => { const o = exportDocument(format, d); return n + o.text.length + (o.ann?.length ?? 0); }, 0));
}
time('jsonl --tokens', (ds) => ds.reduce((n, d) => n + exportDocument('jsonl', d, {}, { tokens: true }).text.length, 0));
time('conll --scheme bilou', (ds) => ds.reduce((n, d) => n + exportDocument('conll', d, {}, { scheme: 'bilou' }).text.length, 0));
