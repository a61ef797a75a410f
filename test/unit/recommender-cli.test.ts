// `corpus-annotator train`, `evaluate` and `suggest --model`, in-process on copies of the demo
// corpus (4 reviewed articles, 1 in progress). Small hash tables keep them quick.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { parseModel } from '../../src/core/suggest/recommender/model-file';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { cli } from './helpers/cli';
import { DEMO_CORPUS } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';

const { tmpDir } = tempDirs('recommender');
const SMALL = ['--hash-bits', '14', '--epochs', '4'];
const MODEL = path.join('.corpus-annotator', 'model.json');

/** A copy of the demo corpus under <root>/corpus, and one article without its sidecar under <root>/new. */
async function workspace(): Promise<string> {
  const root = await tmpDir();
  await fsp.cp(DEMO_CORPUS, path.join(root, 'corpus'), { recursive: true });
  fs.mkdirSync(path.join(root, 'new'));
  const article = fs.readdirSync(DEMO_CORPUS).find((f) => f.endsWith('.txt')) as string;
  fs.copyFileSync(path.join(DEMO_CORPUS, article), path.join(root, 'new', 'fresh.txt'));
  fs.copyFileSync(path.join(DEMO_CORPUS, '.corpus-annotator.yaml'), path.join(root, 'new', '.corpus-annotator.yaml'));
  return root;
}

/** One trained model shared by the tests that only read it. */
let trained: Promise<string> | undefined;
function trainedWorkspace(): Promise<string> {
  trained ??= (async () => {
    const root = await workspace();
    const r = await cli(['train', ...SMALL, 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    return root;
  })();
  return trained;
}

const sidecarFiles = (dir: string) => Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith('.ann.yaml')).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

describe('corpus-annotator train', function () {
  this.timeout(60_000); // training, several times: slow on a loaded machine
  it('--folds 2 prints cross-validated P/R/F1 per label, then trains on the done/reviewed documents and writes the model', async () => {
    const root = await workspace();
    const r = await cli(['train', '--folds', '2', ...SMALL, 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Cross-validation, 2 folds by document \(4 documents\)/);
    assert.match(r.stdout, /^label +precision +recall +F1 +gold +predicted$/m);
    assert.match(r.stdout, /^PER +\d\.\d{3} +\d\.\d{3} +\d\.\d{3} +\d+ +\d+$/m);
    assert.match(r.stdout, /^micro +\d\.\d{3}/m);
    assert.match(r.stdout, /^Errors: \d+ boundary/m);
    assert.match(r.stderr, /^train: 4 documents, \d+ entities, \d+ tokens, labels [A-Z, ]+: trained in \d+\.\d s; model model written to \.corpus-annotator\/model\.json \(\d+\.\d MB\); 1 document of other statuses left out\n$/m);
    const file = parseModel(fs.readFileSync(path.join(root, MODEL), 'utf8'));
    assert.equal(file.name, 'model');
    assert.equal(file.stats.documents, 4);
    assert.equal(file.stats.crossValidation?.folds, 2);
    assert.ok((file.stats.crossValidation?.micro.f1 ?? -1) >= 0);
    assert.deepEqual(file.stats.statuses, ['done', 'reviewed']);
  });

  it('--status picks the documents; none of that status: nothing to learn from (exit 1, nothing written)', async () => {
    const root = await workspace();
    const r = await cli(['train', '--status', 'todo', ...SMALL, 'corpus'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^train: nothing to learn from: no document with status todo \(5 documents of other statuses; see --status\)\n$/);
    assert.equal(fs.existsSync(path.join(root, MODEL)), false);
    const ip = await cli(['train', '--status', 'in-progress', '--out', 'm/ip.json', ...SMALL, 'corpus'], root);
    assert.equal(ip.code, 0, ip.stderr);
    assert.equal(parseModel(fs.readFileSync(path.join(root, 'm', 'ip.json'), 'utf8')).name, 'ip');
  });

  it('usage errors: a bad status, folds, name or hash size (exit 2)', async () => {
    const root = await workspace();
    for (const args of [['--status', 'finished'], ['--folds', '1'], ['--name', 'a b'], ['--hash-bits', '30'], ['--epochs', 'x']]) {
      const r = await cli(['train', ...args, 'corpus'], root);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^corpus-annotator train: /);
    }
  });

  it('leaves out an invalid sidecar, says so, and exits 1 (the model is still trained on the others)', async () => {
    const root = await workspace();
    const victim = Object.keys(sidecarFiles(path.join(root, 'corpus')))[0] as string;
    fs.writeFileSync(path.join(root, 'corpus', victim), 'version: 1\nentities: [oops\n');
    const r = await cli(['train', ...SMALL, 'corpus'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`corpus/${victim.replace(/\./g, '\\.')}: error: left out, the sidecar is invalid`));
    assert.ok(fs.existsSync(path.join(root, MODEL)));
  });
});

describe('corpus-annotator suggest --model', function () {
  this.timeout(60_000);
  it('adds the predictions as suggestions (src: model:<name>, attrs.score), valid; a second run adds nothing', async () => {
    const root = await trainedWorkspace();
    const r = await cli(['suggest', '--model', MODEL, 'new'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^new\/fresh\.txt\.ann\.yaml: added \d+ suggestions? \(created fresh\.txt\.ann\.yaml\): model:model \d+$/m);
    assert.match(r.stdout, /^ {2}\+ [A-Z]+ \d+-\d+ ".+" model:model score=(0\.\d\d|1\.00)$/m);
    const text = fs.readFileSync(path.join(root, 'new', 'fresh.txt.ann.yaml'), 'utf8');
    const sidecar = readSidecar(text).sidecar;
    assert.ok(sidecar && sidecar.entities.length > 0);
    for (const e of sidecar.entities) {
      assert.equal(e.suggested, true);
      assert.equal(e.src, 'model:model');
      assert.match(e.attrs?.score ?? '', /^(0\.\d\d|1\.00)$/);
    }
    assert.equal(sidecar.status, 'todo');
    assert.equal((await cli(['validate', 'new'], root)).code, 0);
    const again = await cli(['suggest', '--model', MODEL, 'new'], root);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(fs.readFileSync(path.join(root, 'new', 'fresh.txt.ann.yaml'), 'utf8'), text);
    assert.match(again.stderr, /0 suggestions added/);
  });

  it('--min-score leaves out the less confident predictions; out of range it is a usage error', async () => {
    const root = await trainedWorkspace();
    const all = await cli(['suggest', '--dry-run', '--json', '--model', MODEL, 'new'], root);
    const some = await cli(['suggest', '--dry-run', '--json', '--model', MODEL, '--min-score', '0.9', 'new'], root);
    const added = (r: { stdout: string }) => (JSON.parse(r.stdout) as { files: Array<{ added: Array<{ score: number }> }> }).files.flatMap((f) => f.added);
    assert.ok(added(some).every((a) => a.score >= 0.9));
    assert.ok(added(some).length <= added(all).length);
    assert.equal((await cli(['suggest', '--model', MODEL, '--min-score', '1.5', 'new'], root)).code, 2);
    assert.equal((await cli(['suggest', '--min-score', '0.5', 'new'], root)).code, 2, '--min-score without --model');
  });

  it('never overlaps an entity: an annotated document gets only predictions outside its entities', async () => {
    const root = await trainedWorkspace();
    const r = await cli(['suggest', '--dry-run', '--json', '--model', MODEL, 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { files: Array<{ sidecar: string; added: Array<{ start: number; end: number }> }> };
    for (const f of out.files) {
      const sidecar = readSidecar(fs.readFileSync(path.join(root, f.sidecar), 'utf8')).sidecar;
      for (const a of f.added) assert.ok(!sidecar?.entities.some((e) => e.start < a.end && a.start < e.end), `${f.sidecar} ${a.start}-${a.end}`);
    }
  });

  it('a damaged model or a missing one: a clear error, nothing written (exit 1)', async () => {
    const root = await trainedWorkspace();
    const before = sidecarFiles(path.join(root, 'new'));
    fs.writeFileSync(path.join(root, 'bad.json'), '{"format": "corpus-annotator-recommender", "version": 99}');
    const r = await cli(['suggest', '--model', 'bad.json', 'new'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^bad\.json:1:1: error: model format version 99 is not supported/m);
    const missing = await cli(['suggest', '--model', 'nope.json', 'new'], root);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^nope\.json:1:1: error: cannot read it: no such file or directory/m);
    assert.deepEqual(sidecarFiles(path.join(root, 'new')), before);
  });

  it('a model whose labels the configuration lacks: an error naming them, nothing written', async () => {
    const root = await trainedWorkspace();
    const dir = path.join(root, 'other');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, '.corpus-annotator.yaml'), 'labels:\n  - {name: PER, key: 1}\n');
    fs.writeFileSync(path.join(dir, 'a.txt'), 'M. Dupont est arrivé à Rennes.\n');
    const r = await cli(['suggest', '--model', MODEL, 'other'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /error: the model predicts [A-Z, ]+, not in the label configuration/);
    assert.equal(fs.existsSync(path.join(dir, 'a.txt.ann.yaml')), false);
  });

  it('an out-of-date sidecar is left untouched', async () => {
    const root = await trainedWorkspace();
    const dir = path.join(root, 'stale');
    await fsp.cp(path.join(root, 'corpus'), dir, { recursive: true });
    const article = fs.readdirSync(dir).find((f) => f.endsWith('.txt')) as string;
    fs.appendFileSync(path.join(dir, article), '\nM. Dupont est arrivé à Rennes.\n');
    const before = fs.readFileSync(path.join(dir, article + '.ann.yaml'), 'utf8');
    const r = await cli(['suggest', '--model', MODEL, path.join('stale', article)], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /its article changed since the offsets were written/);
    assert.equal(fs.readFileSync(path.join(dir, article + '.ann.yaml'), 'utf8'), before);
  });
});

describe('corpus-annotator evaluate', function () {
  this.timeout(60_000);
  it('compares a model with the annotations: per-label table, errors; --json', async () => {
    const root = await trainedWorkspace();
    const r = await cli(['evaluate', '--model', MODEL, 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Model model against 4 documents:\n/);
    assert.match(r.stdout, /^micro +\d\.\d{3}/m);
    const j = await cli(['evaluate', '--json', 'corpus'], root);
    assert.equal(j.code, 0, j.stderr);
    const out = JSON.parse(j.stdout) as { documents: number; evaluation: { micro: { f1: number }; byLabel: Record<string, unknown>; boundaryErrors: number } };
    assert.equal(out.documents, 4);
    assert.ok(out.evaluation.micro.f1 > 0.5, 'on its own training data');
    assert.ok('PER' in out.evaluation.byLabel);
  });

  it('--learning-curve: F1 against the number of training documents', async () => {
    const root = await workspace();
    const r = await cli(['evaluate', '--learning-curve', '--folds', '2', '--hash-bits', '14', 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Learning curve, 2-fold cross-validation by document \(4 documents\):\ntrain docs +precision +recall +F1\n( +\d+ +\d\.\d{3} +\d\.\d{3} +\d\.\d{3}\n)+$/);
    assert.equal((await cli(['evaluate', '--learning-curve', '--model', MODEL, 'corpus'], root)).code, 2);
  });

  it('no model: says how to train one (exit 1)', async () => {
    const root = await workspace();
    const r = await cli(['evaluate', 'corpus'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^\.corpus-annotator\/model\.json: error: cannot read the model: no such file or directory \(ENOENT\) \(train one with `corpus-annotator train`\)\n$/);
  });
});
