// `corpus-annotator curate`: the demo corpus as two annotators' perturbed copies with fresh ids,
// three annotators with --min-agree, git revisions, and what must never happen (articles that
// differ, an existing gold sidecar replaced).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { Entity } from '../../src/core/model/model';
import { sha256Hex } from '../../src/core/model/sha256';
import { cli } from './helpers/cli';
import { DEMO_CORPUS } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';

const { tmpDirSync } = tempDirs('curate');
const DOC = '001_e23791ebed5de2ea.txt';

interface Perturbation {
  /** Entity index → new label. */
  relabel?: Record<number, string>;
  /** Entity indexes left out. */
  drop?: number[];
}

/** A copy of the demo corpus as one annotator made it: fresh ids everywhere, some changes in DOC. */
function annotatorCopy(root: string, name: string, p: Perturbation = {}, idSalt = name): string {
  const dir = path.join(root, name);
  fs.cpSync(DEMO_CORPUS, dir, { recursive: true });
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith('.ann.yaml'))) {
    const file = path.join(dir, f);
    let n = 0;
    const lines = fs.readFileSync(file, 'utf8').split('\n').flatMap((line) => {
      const m = /^ {2}- \{id: ([0-9a-z]+), label: (\w+),(.*)$/.exec(line);
      if (!m) return [line];
      const i = n++;
      if (f.startsWith(DOC) && p.drop?.includes(i)) return [];
      const label = (f.startsWith(DOC) ? p.relabel?.[i] : undefined) ?? m[2];
      // A fresh id: independent annotators never share ids.
      const id = `${idSalt[0]}${(i + 100000).toString(36)}`.slice(0, 6).padEnd(6, 'x');
      return [`  - {id: ${id}, label: ${label},${m[3]}`];
    });
    fs.writeFileSync(file, lines.join('\n'));
  }
  return dir;
}

function entities(file: string): Entity[] {
  return (parse(fs.readFileSync(file, 'utf8')).entities ?? []) as Entity[];
}

describe('corpus-annotator curate', () => {
  it('two annotators with fresh ids: agreed entities, one suggestion per disagreement, a valid gold corpus', async () => {
    const root = tmpDirSync();
    annotatorCopy(root, 'alice');
    annotatorCopy(root, 'bob', { relabel: { 2: 'ORG' }, drop: [5] });
    const r = await cli(['curate', '--out', 'gold', 'alice', 'bob'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Curated 5 documents of alice, bob into /);

    const demo = entities(path.join(DEMO_CORPUS, `${DOC}.ann.yaml`));
    const gold = entities(path.join(root, 'gold', `${DOC}.ann.yaml`));
    const relabelled = demo[2] as Entity;
    const dropped = demo[5] as Entity;
    // Entity 2: alice's label and bob's label, each a suggestion; entity 5: alice's alone.
    const suggestions = gold.filter((e) => e.suggested);
    assert.deepEqual(suggestions.map((e) => [e.start, e.end, e.label, e.attrs?.from]).sort(), [
      [relabelled.start, relabelled.end, 'ORG', 'bob'],
      [relabelled.start, relabelled.end, relabelled.label, 'alice'],
      [dropped.start, dropped.end, dropped.label, 'alice'],
    ].sort());
    assert.equal(gold.filter((e) => !e.suggested).length, demo.length - 2);
    assert.ok(gold.filter((e) => !e.suggested).every((e) => e.attrs?.agreed === 'alice,bob' && e.src === 'curated'));
    assert.match(r.stdout, new RegExp(`${DOC.replace('.', '\\.')}\\s+${demo.length - 2}\\s+3\\s+0\\.\\d{3}`));

    // The other documents agree everywhere: done, no suggestion; the articles are byte-identical copies.
    for (const f of fs.readdirSync(DEMO_CORPUS).filter((x) => x.endsWith('.txt'))) {
      assert.ok(fs.readFileSync(path.join(root, 'gold', f)).equals(fs.readFileSync(path.join(DEMO_CORPUS, f))), f);
      if (f === DOC) continue;
      const g = parse(fs.readFileSync(path.join(root, 'gold', `${f}.ann.yaml`), 'utf8'));
      assert.equal(g.status, 'done', f);
      assert.equal((g.entities ?? []).filter((e: Entity) => e.suggested).length, 0, f);
    }
    assert.ok(fs.readFileSync(path.join(root, 'gold', '.corpus-annotator.yaml')).equals(fs.readFileSync(path.join(DEMO_CORPUS, '.corpus-annotator.yaml'))), 'the labels come along');
    const v = await cli(['validate', 'gold'], root);
    assert.equal(v.code, 0, v.stdout + v.stderr);

    // Deterministic: curating again elsewhere writes the same bytes.
    assert.equal((await cli(['curate', '--out', 'gold2', 'alice', 'bob'], root)).code, 0);
    for (const f of fs.readdirSync(path.join(root, 'gold'))) {
      assert.ok(fs.readFileSync(path.join(root, 'gold', f)).equals(fs.readFileSync(path.join(root, 'gold2', f))), f);
    }
  });

  it('three annotators: --min-agree 2 accepts what two agree on; the report has the F1 matrix and Fleiss κ', async () => {
    const root = tmpDirSync();
    annotatorCopy(root, 'a');
    annotatorCopy(root, 'b');
    annotatorCopy(root, 'c', { relabel: { 0: 'MISC' } });
    const all = await cli(['curate', '--json', '--out', 'gold-all', 'a', 'b', 'c'], root);
    assert.equal(all.code, 0, all.stderr);
    const report = JSON.parse(all.stdout);
    assert.equal(report.documents.find((d: { document: string }) => d.document === DOC).disagreements, 2);
    assert.equal(report.pairwise.length, 3);
    assert.ok(report.fleissKappa.kappa > 0.9 && report.fleissKappa.kappa < 1, String(report.fleissKappa.kappa));
    assert.equal(report.fleissKappa.raters, 3);

    const two = await cli(['curate', '--min-agree', '2', '--out', 'gold-2', 'a', 'b', 'c'], root);
    assert.equal(two.code, 0, two.stderr);
    const first = entities(path.join(DEMO_CORPUS, `${DOC}.ann.yaml`))[0] as Entity;
    const gold = entities(path.join(root, 'gold-2', `${DOC}.ann.yaml`)).filter((e) => e.start === first.start && e.end === first.end);
    assert.deepEqual(gold.map((e) => [e.label, e.suggested ?? false, e.attrs?.agreed ?? e.attrs?.from]).sort(), [
      [first.label, false, 'a,b'],
      ['MISC', true, 'c'],
    ].sort());
    assert.match(two.stdout, /Fleiss' κ over tokens any annotator labelled: 0\.\d{3}/);
  });

  it('articles that differ between inputs: a clear error naming the document, nothing written for it', async () => {
    const root = tmpDirSync();
    annotatorCopy(root, 'alice');
    const bob = annotatorCopy(root, 'bob');
    fs.appendFileSync(path.join(bob, DOC), '\nUne ligne de plus.\n');
    const r = await cli(['curate', '--out', 'gold', 'alice', 'bob'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`${DOC.replace('.', '\\.')}: error: the article differs between alice and bob`));
    assert.ok(!fs.existsSync(path.join(root, 'gold', `${DOC}.ann.yaml`)));
    assert.ok(fs.existsSync(path.join(root, 'gold', `000_a5c2016fc8888533.txt.ann.yaml`)), 'the other documents are curated');
  });

  it('--reanchor: a version made on another edition of the article is re-anchored onto the first input\'s, what cannot be placed is listed', async () => {
    const root = tmpDirSync();
    annotatorCopy(root, 'alice');
    const bob = annotatorCopy(root, 'bob', { relabel: { 2: 'MISC' } });
    // bob worked on an edition with a preamble, and his first entity's text is gone from alice's
    const article = path.join(bob, DOC);
    const sidecarFile = `${article}.ann.yaml`;
    const first = entities(sidecarFile)[0] as Entity;
    const text = fs.readFileSync(article, 'utf8');
    const cps = [...text];
    const edited = 'Préambule de la nouvelle édition.\n' + cps.slice(0, first.start).join('') + 'X'.repeat(first.end - first.start) + cps.slice(first.end).join('');
    fs.writeFileSync(article, edited);
    const shift = [...'Préambule de la nouvelle édition.\n'].length;
    const lines = fs.readFileSync(sidecarFile, 'utf8').split('\n');
    const shifted = lines.map((l) => l.replace(/start: (\d+), end: (\d+)/, (_m, a: string, b: string) => `start: ${Number(a) + shift}, end: ${Number(b) + shift}`))
      .map((l, i) => (i === lines.findIndex((x) => x.includes(`id: ${(entities(sidecarFile)[0] as Entity).id}`)) ? l.replace(/text: "[^"]*"/, `text: "${'X'.repeat(first.end - first.start)}"`) : l))
      .map((l) => l.replace(/^sha256: .*/, `sha256: ${sha256Hex(Buffer.from(edited, 'utf8'))}`));
    fs.writeFileSync(sidecarFile, shifted.join('\n'));
    assert.equal((await cli(['validate', bob], root)).code, 0, 'bob\'s version is consistent with his article');

    const refused = await cli(['curate', '--out', 'gold-a', 'alice', 'bob'], root);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /article differs between alice and bob.*--reanchor/);

    const r = await cli(['curate', '--out', 'gold', '--reanchor', 'alice', 'bob'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`${DOC.replace('.', '\\.')}: note: bob's article differs from alice's: its entities re-anchored onto alice's article, \\d+ moved; 1 entity could not be re-anchored, left out:\n  ${first.label} «X+» ${first.start + shift}-${first.end + shift} \\[\\w+\\]: not found in the article`));
    // the gold article is alice's; bob's entities landed on alice's offsets: all agree but the relabel and the lost one
    assert.equal(fs.readFileSync(path.join(root, 'gold', DOC), 'utf8'), fs.readFileSync(path.join(root, 'alice', DOC), 'utf8'));
    const gold = entities(path.join(root, 'gold', `${DOC}.ann.yaml`));
    const alice = entities(path.join(root, 'alice', `${DOC}.ann.yaml`));
    assert.deepEqual(gold.filter((e) => e.suggested).map((e) => [e.start, e.label, e.attrs?.from]).sort(), [
      [first.start, first.label, 'alice'],
      [(alice[2] as Entity).start, (alice[2] as Entity).label, 'alice'],
      [(alice[2] as Entity).start, 'MISC', 'bob'],
    ].sort());
    assert.equal(gold.filter((e) => !e.suggested).length, alice.length - 2);

    const j = JSON.parse((await cli(['curate', '--out', 'gold-j', '--reanchor', '--json', 'alice', 'bob'], root)).stdout);
    const doc = j.documents.find((d: { document: string }) => d.document === DOC);
    assert.equal(doc.reanchored[0].input, 'bob');
    assert.deepEqual(doc.reanchored[0].notReanchored.map((e: { why: string }) => e.why), ['not found']);
    assert.equal(j.documents.filter((d: { reanchored?: unknown }) => d.reanchored).length, 1, 'only the edited document');
  });

  it('never replaces a gold sidecar that exists (a curation in progress)', async () => {
    const root = tmpDirSync();
    annotatorCopy(root, 'alice');
    annotatorCopy(root, 'bob', { drop: [0] });
    assert.equal((await cli(['curate', '--out', 'gold', 'alice', 'bob'], root)).code, 0);
    const file = path.join(root, 'gold', `${DOC}.ann.yaml`);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('status: in-progress', 'status: done'));
    const before = fs.readFileSync(file);
    const r = await cli(['curate', '--out', 'gold', 'alice', 'bob'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /exists \(a curation in progress\?\); left untouched/);
    assert.ok(fs.readFileSync(file).equals(before), 'the curator\'s work is intact');
  });

  it('reads git revisions and REV:PATH, nothing checked out', async () => {
    const root = tmpDirSync();
    const env = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'T');
    git('config', 'user.email', 't@example.com');
    annotatorCopy(root, 'corpus');
    git('add', '.');
    git('commit', '-qm', 'alice');
    git('branch', 'alice');
    fs.rmSync(path.join(root, 'corpus'), { recursive: true });
    annotatorCopy(root, 'corpus', { relabel: { 1: 'MISC' } }, 'zeta');
    git('commit', '-qam', 'bob');
    const r = await cli(['curate', '--out', 'gold', '--names', 'alice,bob', 'alice:corpus', 'main:corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    const gold = entities(path.join(root, 'gold', `${DOC}.ann.yaml`));
    assert.deepEqual(gold.filter((e) => e.suggested).map((e) => e.attrs?.from).sort(), ['alice', 'bob']);
  });

  it('usage errors: no --out, one input, a bad --min-agree, duplicate names', async () => {
    const root = tmpDirSync();
    annotatorCopy(root, 'a');
    annotatorCopy(root, 'b');
    assert.match((await cli(['curate', 'a', 'b'], root)).stderr, /--out GOLD_DIR is required/);
    assert.match((await cli(['curate', '-o', 'g', 'a'], root)).stderr, /two or more inputs/);
    assert.match((await cli(['curate', '-o', 'g', '--min-agree', '3', 'a', 'b'], root)).stderr, /--min-agree must be a whole number from 1 to 2/);
    assert.match((await cli(['curate', '-o', 'g', 'x/a', 'y/a'], root)).stderr, /same name/);
  });
});
