// `corpus-annotator likely-errors`, in-process on copies of the demo corpus (4 reviewed articles,
// 1 in progress). Small hash tables keep the trainings quick.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { cli } from './helpers/cli';
import { DEMO_CORPUS } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';

const { tmpDir } = tempDirs('likely-errors');
const SMALL = ['--hash-bits', '14', '--epochs', '4'];
const ARTICLE = '000_a5c2016fc8888533.txt';

async function workspace(): Promise<string> {
  const root = await tmpDir();
  await fsp.cp(DEMO_CORPUS, path.join(root, 'corpus'), { recursive: true });
  return root;
}

interface JsonReport {
  document: string;
  line: number;
  kind: string;
  score: number;
  current: { id?: string; label: string; start: number; end: number; text: string } | null;
  proposed: { label: string; start: number; end: number; text: string };
}

describe('corpus-annotator likely-errors', function () {
  this.timeout(90_000); // trainings: slow on a loaded machine

  it('--model: a relabelled annotation is reported with the model\'s label, most likely first, and nothing is written', async () => {
    const root = await workspace();
    assert.equal((await cli(['train', ...SMALL, 'corpus'], root)).code, 0);
    const sidecar = path.join(root, 'corpus', `${ARTICLE}.ann.yaml`);
    // The model learnt Laftit as PER; an annotator slipped on one of them.
    fs.writeFileSync(sidecar, fs.readFileSync(sidecar, 'utf8').replace('{id: m3va6r, label: PER,', '{id: m3va6r, label: ORG,'));
    const before = fs.readFileSync(sidecar, 'utf8');
    const r = await cli(['likely-errors', '--min-score', '0.5', '--json', 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { ok: boolean; model: string; minScore: number; documents: number; reports: JsonReport[] };
    assert.equal(out.ok, true);
    assert.equal(out.documents, 4);
    assert.equal(out.minScore, 0.5);
    const slip = out.reports.find((x) => x.current?.id === 'm3va6r');
    assert.ok(slip, r.stdout);
    assert.deepEqual({ ...slip, score: 0 }, {
      document: `corpus/${ARTICLE}`, line: slip.line, kind: 'label', score: 0,
      current: { id: 'm3va6r', label: 'ORG', start: 2053, end: 2059, text: 'Laftit' },
      proposed: { label: 'PER', start: 2053, end: 2059, text: 'Laftit' },
    });
    assert.ok(slip.score >= 0.5 && slip.score <= 1);
    const scores = out.reports.map((x) => x.score);
    assert.deepEqual(scores, [...scores].sort((a, b) => b - a));
    assert.match(r.stderr, /^likely-errors: \d+ likely errors? \(label \d+, boundary \d+, missing \d+\) in \d of 4 documents, score ≥ 0\.5, model model\n$/);
    assert.equal(fs.readFileSync(sidecar, 'utf8'), before);

    // The text form: ARTICLE:LINE: kind score: annotation → proposal.
    const text = await cli(['likely-errors', '--min-score', '0.5', 'corpus'], root);
    assert.equal(text.code, 0, text.stderr);
    const line = fs.readFileSync(path.join(root, 'corpus', ARTICLE), 'utf8').slice(0, 2053).split('\n').length;
    assert.equal(slip.line, line);
    assert.match(text.stdout, new RegExp(`^corpus/${ARTICLE.replace('.', '\\.')}:${line}: label \\d\\.\\d\\d: ORG "Laftit" \\[2053-2059\\] \\(id m3va6r\\) → PER$`, 'm'));
    for (const l of text.stdout.trimEnd().split('\n')) assert.match(l, /^corpus\/\S+\.txt:\d+: (label|boundary|missing) \d\.\d\d: .+ → .+$/);
  });

  it('--folds: cross-checks without a model file; --status picks the documents', async () => {
    const root = await workspace();
    const r = await cli(['likely-errors', '--folds', '2', ...SMALL, '--json', 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { folds: number; documents: number; reports: JsonReport[] };
    assert.equal(out.folds, 2);
    assert.equal(out.documents, 4);
    assert.match(r.stderr, /likely-errors: fold 2\/2 done\n/);
    assert.match(r.stderr, /2-fold cross-check\n$/);
    const none = await cli(['likely-errors', '--folds', '2', '--status', 'todo', 'corpus'], root);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /^likely-errors: no document with status todo to check\n$/);
  });

  it('fault paths: no model (exit 1, says how to train one); an invalid sidecar is left out and named (exit 1)', async () => {
    const root = await workspace();
    const missing = await cli(['likely-errors', 'corpus'], root);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^\.corpus-annotator\/model\.json: error: cannot read the model: .*\(train one with `corpus-annotator train`\)\n$/);
    assert.equal((await cli(['train', ...SMALL, 'corpus'], root)).code, 0);
    const sidecar = path.join(root, 'corpus', `${ARTICLE}.ann.yaml`);
    fs.writeFileSync(sidecar, fs.readFileSync(sidecar, 'utf8').replace('entities:', 'entities: [oops'));
    const r = await cli(['likely-errors', 'corpus'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${ARTICLE.replace('.', '\\.')}\\.ann\\.yaml: error: left out, the sidecar is invalid`));
    assert.match(r.stderr, /in \d of 3 documents/);
  });

  it('usage errors (exit 2): --folds with --model, a bad --min-score, --folds 1', async () => {
    const root = await workspace();
    for (const args of [['--folds', '2', '--model', 'm.json'], ['--min-score', '2'], ['--min-score', 'x'], ['--min-score', ''], ['--folds', '1']]) {
      const r = await cli(['likely-errors', ...args, 'corpus'], root);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^corpus-annotator likely-errors: /);
    }
  });
});
