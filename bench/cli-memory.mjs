// Peak memory and time of the CLI's whole-corpus commands (`stats`, `validate`, `export` in each
// format) on the 10 000-document × 100-entity corpus: each command in its own process, measured by
// `/usr/bin/time` (GNU time: apt-get install time), the built CLI (`npm run build`: dist/cli.js).
// The commands must hold about one document at a time, so their peak RSS is flat in the size of
// the corpus: the target is ≤ 150 MB (before streaming, `stats` kept every model: 505 MB).
//   node bench/cli-memory.mjs [documents=10000] [cli=dist/cli.js]
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { info, report, ROOT, row } from './lib/common.mjs';
import { ensureCorpus } from './lib/corpus.mjs';

const TIME = '/usr/bin/time';
const TARGET_MB = 150;
const documents = Number(process.argv[2] ?? 10_000);
const cli = path.resolve(process.argv[3] ?? path.join(ROOT, 'dist/cli.js'));
if (!fs.existsSync(TIME)) {
  console.error(`${TIME} is missing: install GNU time (apt-get install time)`);
  process.exit(2);
}
if (!fs.existsSync(cli)) {
  console.error(`${cli} is missing: run \`npm run build\` first`);
  process.exit(2);
}

const { dir } = ensureCorpus({ documents, perDocument: 100, inChild: true });
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-cli-memory-'));
const COMMANDS = [
  ['stats', ['stats', '.']],
  ['validate', ['validate', '-q', '.']],
  ['validate --json', ['validate', '--json', '.']],
  ...['jsonl', 'conll', 'doccano', 'labelstudio'].map((f) => [`export ${f} -o`, ['export', '-q', '-f', f, '-o', path.join(out, `export.${f}`), '.']]),
  ['export jsonl (stdout)', ['export', '-q', '-f', 'jsonl', '.']],
  ['export brat -o', ['export', '-q', '-f', 'brat', '-o', path.join(out, 'brat'), '.']],
];

/** Peak RSS (bytes) and wall time (ms) of `node cli args` run in the corpus directory. */
function measure(args) {
  const timeFile = path.join(out, 'time.txt');
  const r = spawnSync(TIME, ['-f', '%e %M', '-o', timeFile, process.execPath, cli, ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const [seconds, kb] = fs.readFileSync(timeFile, 'utf8').trim().split('\n').pop().split(' ').map(Number);
  return { rss: kb * 1024, ms: seconds * 1000 };
}

const rows = [];
try {
  for (const [name, args] of COMMANDS) {
    info(`${name} …`);
    const { rss, ms } = measure(args);
    rows.push(row(`CLI ${name}, ${documents} docs × 100: peak RSS (time)`, {
      measured: `${(rss / 1e6).toFixed(0)} MB (${(ms / 1000).toFixed(1)} s)`, target: `≤ ${TARGET_MB} MB`, met: rss <= TARGET_MB * 1e6,
    }));
  }
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
report('cli-memory', rows, [`peak RSS by ${TIME} of \`node ${path.relative(ROOT, cli)} …\` in ${dir}`]);
