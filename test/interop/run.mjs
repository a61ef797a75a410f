#!/usr/bin/env node
// Optional interop check (issue 17): exports the demo corpus and loads each file with the real
// consumer when it is on this machine; says SKIPPED otherwise. Not part of CI (no consumer is
// required). Run after `npm run compile-tests`: node test/interop/run.mjs
//   conlleval   CONLLEVAL=/path/to/conlleval.pl (Perl); the CoNLL file with a copied tag column
//   spaCy       python3 -c 'import spacy' must work: DocBin().from_disk(...).get_docs(vocab)
//   datasets    python3 -c 'import datasets' must work: load_dataset("json", ...)
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'out', 'src', 'cli', 'main.js');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'interop-'));
const run = (...args) => execFileSync(process.execPath, [cli, 'export', ...args, 'examples/corpus'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const has = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
let failed = 0;
const report = (name, r) => {
  if (r.skipped) console.log(`SKIPPED ${name}: ${r.skipped}`);
  else if (r.status === 0) console.log(`ok      ${name}${r.stdout ? `: ${r.stdout.trim().split('\n').pop()}` : ''}`);
  else { failed++; console.log(`FAILED  ${name}: ${r.stderr || r.stdout}`); }
};

// conlleval: token, gold tag, the same tag as "prediction": every line must have 3 columns
const conll = run('-f', 'conll').split('\n').map((l) => (l === '' ? l : `${l} ${l.split(' ').pop()}`)).join('\n');
fs.writeFileSync(path.join(dir, 'eval.conll'), conll);
const conlleval = process.env.CONLLEVAL;
report('conlleval', !conlleval || !fs.existsSync(conlleval) || !has('perl', ['-v'])
  ? { skipped: 'set CONLLEVAL to conlleval.pl (and have perl)' }
  : spawnSync('perl', [conlleval], { input: conll, encoding: 'utf8' }));

run('-f', 'spacy', '-o', path.join(dir, 'train.spacy'));
report('spaCy DocBin', !has('python3', ['-c', 'import spacy'])
  ? { skipped: 'python3 with spacy not found' }
  : spawnSync('python3', ['-c', `import spacy
from spacy.tokens import DocBin
nlp = spacy.blank("fr")
docs = list(DocBin().from_disk(${JSON.stringify(path.join(dir, 'train.spacy'))}).get_docs(nlp.vocab))
print(len(docs), "docs,", sum(len(d.spans["sc"]) for d in docs), "spans,", sum(len(d.ents) for d in docs), "ents")`], { encoding: 'utf8' }));

run('-f', 'hf', '-o', path.join(dir, 'train.jsonl'));
report('datasets', !has('python3', ['-c', 'import datasets'])
  ? { skipped: 'python3 with datasets not found' }
  : spawnSync('python3', ['-c', `import datasets
ds = datasets.load_dataset("json", data_files=${JSON.stringify(path.join(dir, 'train.jsonl'))})["train"]
print(len(ds), "sentences")`], { encoding: 'utf8' }));

// splits: the train and test files of one split export, loaded as one DatasetDict
run('-f', 'hf', '--split', 'train=0.8,test=0.2', '--seed', '1', '-o', path.join(dir, 'split.jsonl'));
report('datasets (splits)', !has('python3', ['-c', 'import datasets'])
  ? { skipped: 'python3 with datasets not found' }
  : spawnSync('python3', ['-c', `import datasets
ds = datasets.load_dataset("json", data_files={"train": ${JSON.stringify(path.join(dir, 'split.train.jsonl'))}, "test": ${JSON.stringify(path.join(dir, 'split.test.jsonl'))}})
print(len(ds["train"]), "train and", len(ds["test"]), "test sentences")`], { encoding: 'utf8' }));

fs.rmSync(dir, { recursive: true, force: true });
process.exit(failed ? 1 : 0);
