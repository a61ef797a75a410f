// `corpus-annotator suggest` and `corpus-annotator gazetteer`, run in-process on copies of the
// demo corpus (examples/ itself is never modified).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { cli } from './helpers/cli';
import { DEMO_CORPUS } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';

const { tmpDir } = tempDirs('suggest');

/** A copy of the demo corpus under <root>/corpus; without its sidecars when `bare`. */
async function demoCopy(opts: { bare?: boolean } = {}): Promise<string> {
  const root = await tmpDir();
  await fsp.cp(DEMO_CORPUS, path.join(root, 'corpus'), { recursive: true });
  if (opts.bare) for (const f of fs.readdirSync(path.join(root, 'corpus'))) if (f.endsWith('.ann.yaml')) fs.unlinkSync(path.join(root, 'corpus', f));
  return root;
}

const sidecarFiles = (dir: string) => Object.fromEntries(fs.readdirSync(dir).filter((f) => f.endsWith('.ann.yaml')).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
const write = (root: string, rel: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  fs.writeFileSync(path.join(root, rel), text);
};

describe('corpus-annotator suggest', () => {
  it('--dry-run prints what the configuration\'s gazetteer and patterns would add, and writes nothing', async () => {
    const root = await demoCopy();
    const before = sidecarFiles(path.join(root, 'corpus'));
    const r = await cli(['suggest', '--dry-run', 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(sidecarFiles(path.join(root, 'corpus')), before);
    assert.match(r.stdout, /^corpus\/003_3e55259b9cbe4b4c\.txt\.ann\.yaml: would add \d+ suggestions?: gazetteer:gazetteer\.tsv \d+/m);
    assert.match(r.stdout, /^ {2}\+ PER 5547-5567 "Abdellatif Hammouchi" gazetteer:gazetteer\.tsv$/m);
    assert.match(r.stderr, /^suggest, dry run, nothing written: 5 articles: \d+ suggestions would be added to \d sidecars \(gazetteer:gazetteer\.tsv \d+(, pattern:[a-z-]+ \d+)*\); \d+ with nothing new\n$/);
  });

  it('adds suggestion lines only (valid, suggested: true, src), atomically; a second run adds nothing', async () => {
    const root = await demoCopy();
    const dir = path.join(root, 'corpus');
    const before = sidecarFiles(dir);
    const r = await cli(['suggest', 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    const after = sidecarFiles(dir);
    let added = 0;
    for (const [f, text] of Object.entries(after)) {
      const old = new Set((before[f] as string).split('\n'));
      const fresh = text.split('\n').filter((l) => !old.has(l));
      added += fresh.length;
      for (const l of fresh) assert.match(l, /^ {2}- \{id: [a-z][a-z0-9]{5}, label: [A-Z]+, .*, src: "?(gazetteer:gazetteer\.tsv|pattern:[a-z-]+)"?, suggested: true\}$/, l);
      // every line that was there still is (suggestions are only added)
      for (const l of (before[f] as string).split('\n')) assert.ok(text.includes(l), `${f}: ${l}`);
    }
    assert.ok(added > 0);
    assert.match(r.stderr, new RegExp(`^suggest: 5 articles: ${added} suggestions? added to \\d sidecars? `));
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left');
    const v = await cli(['validate', 'corpus'], root);
    assert.equal(v.code, 0, v.stdout);
    const again = await cli(['suggest', 'corpus'], root);
    assert.equal(again.code, 0);
    assert.equal(again.stdout, '');
    assert.match(again.stderr, /: 0 suggestions added to 0 sidecars; 5 with nothing new\n$/);
    assert.deepEqual(sidecarFiles(dir), after);
    // stats count them apart, exports leave them out
    const stats = JSON.parse((await cli(['stats', '--json', 'corpus'], root)).stdout) as { entities: number; suggestions: number };
    assert.deepEqual([stats.entities, stats.suggestions], [264, added]);
    const exported = await cli(['export', '--format', 'jsonl', 'corpus'], root);
    assert.match(exported.stderr, new RegExp(`264 entities exported \\(${added} suggestions? not accepted yet left out\\)`));
  });

  it('pre-annotates articles without a sidecar: new sidecars (status todo) of suggestions only', async () => {
    const root = await demoCopy({ bare: true });
    const r = await cli(['suggest', 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^corpus\/000_a5c2016fc8888533\.txt\.ann\.yaml: added \d+ suggestions \(created 000_a5c2016fc8888533\.txt\.ann\.yaml\): gazetteer:gazetteer\.tsv \d+/m);
    assert.match(r.stderr, /to 5 sidecars \(5 new\)/);
    for (const [f, text] of Object.entries(sidecarFiles(path.join(root, 'corpus')))) {
      const parsed = readSidecar(text);
      assert.deepEqual(parsed.problems, [], f);
      assert.equal(parsed.sidecar?.status, 'todo');
      assert.ok(parsed.sidecar?.entities.every((e) => e.suggested === true && e.src !== undefined), f);
    }
    const v = await cli(['validate', 'corpus'], root);
    assert.equal(v.code, 0, v.stdout);
  });

  it('--gazetteer and --patterns (repeatable) replace the configuration\'s sources; --json', async () => {
    const root = await demoCopy({ bare: true });
    write(root, 'names.tsv', '# two names\nLaftit\tPER\twikidata:Q3551\nInterpol\tORG\n');
    write(root, 'more.tsv', 'Maroc\tLOC\n');
    write(root, 'dates.yaml', "patterns:\n  - {name: annee, label: DATE, regex: '\\b20\\d\\d\\b'}\n");
    const r = await cli(['suggest', '--json', '-g', 'names.tsv', '--gazetteer', 'more.tsv', '-p', 'dates.yaml', 'corpus/002_60ac6a68424218b9.txt'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    const report = JSON.parse(r.stdout) as {
      ok: boolean; dryRun: boolean; summary: Record<string, number>; bySource: Record<string, number>;
      files: Array<{ article: string; sidecar: string; status: string; written: boolean; new: boolean; added: Array<Record<string, unknown>> }>;
    };
    assert.equal(report.ok, true);
    assert.equal(report.files.length, 1);
    const file = report.files[0];
    assert.ok(file);
    assert.deepEqual([file.article, file.status, file.written, file.new], ['corpus/002_60ac6a68424218b9.txt', 'added', true, true]);
    assert.deepEqual(Object.keys(report.bySource), ['gazetteer:more.tsv', 'gazetteer:names.tsv', 'pattern:annee']);
    const interpol = file.added.find((a) => a.text === 'Interpol');
    assert.deepEqual(Object.keys(interpol ?? {}), ['line', 'id', 'label', 'start', 'end', 'text', 'src']);
    assert.equal(interpol?.src, 'gazetteer:names.tsv');
    const sidecar = fs.readFileSync(path.join(root, 'corpus', '002_60ac6a68424218b9.txt.ann.yaml'), 'utf8');
    assert.equal(sidecar.split('\n')[interpol?.line as number - 1]?.includes(`id: ${interpol?.id as string}`), true, 'line is the entity line');
    assert.ok(!file.added.some((a) => a.src === 'gazetteer:gazetteer.tsv'), 'the configuration\'s gazetteer is not used');
    assert.equal(fs.readdirSync(path.join(root, 'corpus')).filter((f) => f.endsWith('.ann.yaml')).length, 1, 'only the article named');
  });

  it('never rewrites an invalid sidecar or one whose article changed (run reanchor), and goes on with the others', async () => {
    const root = await demoCopy();
    const dir = path.join(root, 'corpus');
    const broken = 'version: 1\nentities: [\n';
    fs.writeFileSync(path.join(dir, '000_a5c2016fc8888533.txt.ann.yaml'), broken);
    fs.appendFileSync(path.join(dir, '003_3e55259b9cbe4b4c.txt'), '\nUne ligne de plus sur Abdellatif Hammouchi.\n');
    const before = sidecarFiles(dir);
    const r = await cli(['suggest', 'corpus'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^corpus\/000_a5c2016fc8888533\.txt\.ann\.yaml:\d+:\d+: error: YAML syntax error/m);
    assert.match(r.stderr, /^corpus\/003_3e55259b9cbe4b4c\.txt\.ann\.yaml:4:1: error: not changed: its article changed since the offsets were written \(the sha256 differs\); run `corpus-annotator reanchor corpus\/003_3e55259b9cbe4b4c\.txt\.ann\.yaml` first$/m);
    assert.match(r.stderr, /1 invalid \(not changed; see `corpus-annotator validate`\); 1 out of date \(not changed; run `corpus-annotator reanchor`\)\n$/);
    const after = sidecarFiles(dir);
    assert.equal(after['000_a5c2016fc8888533.txt.ann.yaml'], broken);
    assert.equal(after['003_3e55259b9cbe4b4c.txt.ann.yaml'], before['003_3e55259b9cbe4b4c.txt.ann.yaml']);
    assert.match(after['004_b0de303a7d7bdf73.txt.ann.yaml'] ?? '', /suggested: true/, 'the others are done');
  });

  it('a source file with errors stops everything: each problem at its line, nothing written', async () => {
    const root = await demoCopy();
    write(root, 'corpus/gazetteer.tsv', 'Laftit\tPER\nRabat\tCITY\nMaroc LOC\n');
    write(root, 'corpus/patterns.yaml', 'patterns:\n  - {name: x, label: DATE, regex: "(20"}\n');
    const before = sidecarFiles(path.join(root, 'corpus'));
    const r = await cli(['suggest', 'corpus'], root);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.deepEqual(r.stderr.split('\n').filter((l) => l.includes(': error: ')), [
      'corpus/gazetteer.tsv:2:7: error: unknown label "CITY" (the label configuration has PER, ORG, LOC, DATE, EVENT, MISC)',
      'corpus/gazetteer.tsv:3:1: error: expected "surface<TAB>label[<TAB>kb id]" but this line has no tab (columns are separated by a tab, not spaces)',
      'corpus/patterns.yaml:2:35: error: invalid regex in pattern "x": Unterminated group',
    ]);
    assert.match(r.stderr, /5 not changed \(fix the errors above first\)/);
    assert.deepEqual(sidecarFiles(path.join(root, 'corpus')), before);
    const missing = await cli(['suggest', '-g', 'nope.tsv', 'corpus'], root);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^nope\.tsv:1:1: error: cannot read it: no such file or directory \(ENOENT\)$/m);
  });

  it('without any source it is a usage error (exit 2); --help', async () => {
    const root = await tmpDir();
    write(root, 'a.txt', 'Laftit à Rabat.\n');
    const r = await cli(['suggest'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^corpus-annotator suggest: nothing to suggest from: give --gazetteer or --patterns/);
    const help = await cli(['suggest', '--help'], root);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /^Usage: corpus-annotator suggest \[options\] \[paths…\]/);
    assert.match(help.stdout, /--gazetteer F[\s\S]*--patterns F[\s\S]*--dry-run[\s\S]*Examples:/);
    const top = await cli(['--help'], root);
    assert.match(top.stdout, /\n {2}suggest {4}add suggestions[\s\S]*\n {2}gazetteer {2}build a gazetteer/);
  });
});

describe('corpus-annotator gazetteer', () => {
  it('builds the demo corpus\'s gazetteer, byte for byte the example one (regenerate it if this fails)', async () => {
    const root = await demoCopy();
    const r = await cli(['gazetteer', 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, fs.readFileSync(path.join(DEMO_CORPUS, 'gazetteer.tsv'), 'utf8'));
    assert.equal(r.stderr, 'gazetteer: 5 documents, 264 entities: 155 surface forms\n');
  });

  it('reports conflicting labels and kb ids on stderr, leaves out suggestions and invalid sidecars; --out, --min-count', async () => {
    const root = await tmpDir();
    const text = 'Rabat, Rabat, Rabat et Laftit, Laftit.\n';
    const e = (id: string, label: string, start: number, t: string, extra = '') => `  - {id: ${id}, label: ${label}, start: ${start}, end: ${start + t.length}, text: "${t}"${extra}}`;
    write(root, 'a.txt', text);
    write(root, 'a.txt.ann.yaml', ['version: 1', 'document: a.txt', 'status: done', 'entities:',
      e('aaaaa1', 'LOC', 0, 'Rabat'), e('aaaaa2', 'ORG', 7, 'Rabat'), e('aaaaa3', 'LOC', 14, 'Rabat'),
      e('aaaaa4', 'PER', 23, 'Laftit', ', attrs: {kb: Q1}'), e('aaaaa5', 'PER', 31, 'Laftit', ', attrs: {kb: Q2}'),
      e('aaaaa6', 'MISC', 0, 'Rabat', ', suggested: true'), ''].join('\n'));
    write(root, 'b.txt', 'x\n');
    write(root, 'b.txt.ann.yaml', 'version: 1\nentities: [\n');
    const r = await cli(['gazetteer', '--out', 'names.tsv'], root);
    assert.equal(r.code, 1, 'an invalid sidecar was left out');
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^b\.txt\.ann\.yaml: error: left out, the sidecar is invalid \(line \d+: YAML syntax error: .*\)\n/);
    assert.deepEqual(r.stderr.split('\n').slice(1), [
      'gazetteer: "Rabat": LOC 2, ORG 1 → LOC',
      'gazetteer: "Laftit" PER: kb ids disagree (Q1 1, Q2 1): no kb written',
      'gazetteer: 1 document, 5 entities: 2 surface forms (1 with several labels, 1 with disagreeing kb ids); 1 invalid sidecar left out; written to names.tsv',
      '',
    ]);
    const tsv = fs.readFileSync(path.join(root, 'names.tsv'), 'utf8');
    assert.deepEqual(tsv.split('\n').filter((l) => l && !l.startsWith('#')), ['Laftit\tPER', 'Rabat\tLOC']);
    fs.unlinkSync(path.join(root, 'b.txt.ann.yaml'));
    const again = await cli(['gazetteer', '-o', 'names.tsv', '--min-count', '3', '-q'], root);
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(fs.readFileSync(path.join(root, 'names.tsv'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')), ['Rabat\tLOC']);
    assert.equal((await cli(['gazetteer', '--min-count', '0'], root)).code, 2);
  });
});

describe('corpus-annotator suggest with a catastrophic regex (issue 22)', () => {
  it('stops a pattern that backtracks without end, reports it as skipped for that document, and still runs the others', async () => {
    // `(a+)+$` on 40 a's and a b: about 2^40 steps (8.2 s at 26 a's); the budget is 1 s.
    const root = await tmpDir();
    write(root, 'a.txt', `Le ${'a'.repeat(40)}b est né en 2025.\n`);
    write(root, 'b.txt', 'Rien en 1999.\n');
    write(root, 'patterns.yaml', [
      'version: 1',
      'patterns:',
      '  - {name: evil, label: MISC, regex: "(a+)+$", flags: m}',
      '  - {name: evil-token, label: MISC, tokens: [{regex: "(a|aa)+$"}]}',
      '  - {name: year, label: DATE, tokens: [{regex: "(?:19|20)\\\\d{2}"}]}',
      '',
    ].join('\n'));
    const r = await cli(['suggest', '--patterns', 'patterns.yaml', '.'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /a\.txt\.ann\.yaml: warning: pattern evil timed out on document a\.txt \(over 1 s\), skipped/);
    assert.match(r.stderr, /a\.txt\.ann\.yaml: warning: pattern evil-token timed out on document a\.txt \(over 1 s\), skipped/);
    assert.doesNotMatch(r.stderr, /b\.txt\.ann\.yaml: warning/);
    const a = fs.readFileSync(path.join(root, 'a.txt.ann.yaml'), 'utf8');
    assert.match(a, /label: DATE, start: 55, end: 59, text: "2025", src: "pattern:year", suggested: true/);
    assert.match(fs.readFileSync(path.join(root, 'b.txt.ann.yaml'), 'utf8'), /text: "1999", src: "pattern:year"/);
  });
});
