// `corpus-annotator export`, and round trips through the command line: export the demo corpus
// and generated articles (BOM, CRLF, emoji…), import the result into a copy of the articles
// without sidecars, get the same entities.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { IMPORT_FORMATS as IMPORTABLE } from '../../src/core/exchange/import';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { cli } from './helpers/cli';
import { DEMO_CORPUS } from './helpers/corpus';
import { demoDocs, generatedDocs, spanKeys, TestDoc } from './helpers/docs';
import { tempDirs } from './helpers/tmp';

/** A corpus directory holding the given documents (with or without their sidecars). */
function files(docs: TestDoc[], withSidecars: boolean): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = {};
  for (const d of docs) {
    out[`corpus/${d.name}`] = d.bytes;
    if (withSidecars) out[`corpus/${d.name}.ann.yaml`] = writeSidecar(d.sidecar);
  }
  out['corpus/.corpus-annotator.yaml'] = fs.readFileSync(path.join(DEMO_CORPUS, '.corpus-annotator.yaml'));
  return out;
}

async function sidecarsIn(dir: string): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const f of (await fsp.readdir(dir)).filter((n) => n.endsWith('.ann.yaml')).sort()) {
    const parsed = readSidecar(await fsp.readFile(path.join(dir, f), 'utf8'));
    assert.deepEqual(parsed.problems, [], f);
    out.set(f, spanKeys(parsed.sidecar?.entities ?? []));
  }
  return out;
}

const { makeTree } = tempDirs('export-cli');

const expected = (docs: TestDoc[]) => new Map(docs.map((d) => [`${d.name}.ann.yaml`, spanKeys(d.sidecar.entities)]));

describe('corpus-annotator export', () => {
  const demo = demoDocs();
  const generated = generatedDocs(11, 6);

  describe('round trip through the command line: export, then import into the bare articles', () => {
    for (const format of IMPORTABLE) {
      it(`${format}: the demo corpus (264 entities) and generated articles with a BOM, CRLF, emoji`, async () => {
        const docs = [...demo, ...generated];
        const root = await makeTree({ ...files(docs, true), ...Object.fromEntries(Object.entries(files(docs, false)).map(([k, v]) => [k.replace(/^corpus\//, 'bare/'), v])) });
        const target = format === 'brat' ? 'out-brat' : `out.${format}`;
        const ex = await cli(['export', '--format', format, '--out', target, 'corpus'], root);
        assert.equal(ex.code, 0, ex.stderr);
        assert.match(ex.stderr, new RegExp(`^export \\(${format}\\): ${docs.length} documents, ${docs.reduce((n, d) => n + d.sidecar.entities.length, 0)} entities exported`, 'm'));
        const im = await cli(['import', '--format', format, target, 'bare'], root);
        assert.equal(im.code, 0, im.stderr);
        assert.match(im.stderr, new RegExp(`${docs.length} matched \\(${docs.length} by name, 0 by text\\)`));
        assert.deepEqual(await sidecarsIn(path.join(root, 'bare')), expected(docs));
        // the articles themselves are untouched, BOM included
        for (const d of docs) assert.ok(Buffer.from(await fsp.readFile(path.join(root, 'bare', d.name))).equals(Buffer.from(d.bytes)));
      });
    }

    it('the brat .txt files are the articles without BOM, CRLF kept', async () => {
      const root = await makeTree(files(generated, true));
      await cli(['export', '-f', 'brat', '-o', 'b', 'corpus'], root);
      for (const d of generated) {
        assert.equal(await fsp.readFile(path.join(root, 'b', d.name), 'utf8'), d.article.text);
      }
      assert.ok(generated.some((d) => d.article.hasBom) && generated.some((d) => d.article.text.includes('\r\n')));
      assert.match(await fsp.readFile(path.join(root, 'b', 'annotation.conf'), 'utf8'), /^\[entities\]\nPER\nORG\nLOC\nDATE\nEVENT\nMISC\n\n\[relations\]\n\n\[events\]\n\n\[attributes\]\nrole\tArg:<ENTITY>, Value:directeur\n$/);
    });
  });

  it('writes JSONL and CoNLL to stdout, in path order, with the report and summary on stderr', async () => {
    const r = await cli(['export', '--format', 'conll', 'examples/corpus'], path.resolve(DEMO_CORPUS, '../..'));
    assert.equal(r.code, 0);
    assert.equal(r.stdout.split('\n').filter((l) => /^-DOCSTART-\(\S+\.txt\) O$/.test(l)).length, 5);
    const report = r.stderr.split('\n');
    assert.equal(report.length, 10);
    assert.equal(report[0], 'examples/corpus/002_60ac6a68424218b9.txt: fek4pm ORG "Interpol": dropped: it is nested in ebnrtc EVENT "93ème Assemblée générale d’Interpol", which is kept');
    assert.equal(report[8], 'export (conll): 5 documents, 256 entities exported; not held by the format: 8 nested or overlapping entities dropped (CoNLL keeps the longest)');
    const j = await cli(['export', '-f', 'jsonl', 'examples/corpus'], path.resolve(DEMO_CORPUS, '../..'));
    const docs = j.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { meta: { document: string } });
    assert.deepEqual(docs.map((d) => d.meta.document), demo.map((d) => d.name));
    assert.equal(j.stderr, 'export (jsonl): 5 documents, 264 entities exported; nothing lost\n');
  });

  it('--strict exits 1 when the format lost something; -q keeps only the summary', async () => {
    const r = await cli(['export', '-f', 'conll', '--strict', '-q', 'examples/corpus'], path.resolve(DEMO_CORPUS, '../..'));
    assert.equal(r.code, 1);
    assert.equal(r.stderr.split('\n').length, 2, 'only the summary');
    assert.equal((await cli(['export', '-f', 'jsonl', '--strict', 'examples/corpus'], path.resolve(DEMO_CORPUS, '../..'))).code, 0);
  });

  it('filters documents by --status and entities by --label and --exclude-src', async () => {
    const root = await makeTree(files(generated, true));
    const r = await cli(['export', '-f', 'doccano', '--status', 'done', '--label', 'PER,LOC', '--exclude-src', 'prop*', 'corpus'], root);
    const done = generated.filter((d) => d.sidecar.status === 'done');
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as { document: string; label: Array<[number, number, string]> });
    assert.deepEqual(lines.map((l) => l.document), done.map((d) => d.name));
    assert.deepEqual(lines.flatMap((l) => l.label.map((x) => x[2])).sort(), done.flatMap((d) => d.sidecar.entities.filter((e) => ['PER', 'LOC'].includes(e.label) && e.src !== 'propagated').map((e) => e.label)).sort());
    assert.match(r.stderr, new RegExp(`\\(${generated.length - done.length} documents left out by status\\)`));
  });

  it('Label Studio: one JSON array (also empty); the labelling configuration is printed with --out', async () => {
    const root = await makeTree({ ...files(generated.slice(0, 2), true), 'empty/x.txt': 'rien\n' });
    const r = await cli(['export', '-f', 'labelstudio', '-o', 'tasks.json', 'corpus'], root);
    const tasks = JSON.parse(await fsp.readFile(path.join(root, 'tasks.json'), 'utf8')) as unknown[];
    assert.equal(tasks.length, 2);
    assert.match(r.stderr, /<Labels name="label" toName="text">/);
    const empty = await cli(['export', '-f', 'labelstudio', 'empty'], root);
    assert.equal(empty.stdout, '[]\n');
    assert.equal(empty.stderr, 'export (labelstudio): 0 documents, 0 entities exported; nothing lost; 1 article without a sidecar not exported\n');
  });

  it('does not export an invalid sidecar: reported, exit 1, the others exported', async () => {
    const [a, b] = generated as [TestDoc, TestDoc];
    const root = await makeTree({ ...files([a, b], true), [`corpus/${b.name}.ann.yaml`]: writeSidecar(b.sidecar).replace(/text: "[^"]*"/, 'text: "faux"') });
    const r = await cli(['export', '-f', 'jsonl', 'corpus'], root);
    assert.equal(r.code, 1);
    assert.equal(r.stdout.trimEnd().split('\n').length, 1);
    assert.match(r.stderr, new RegExp(`^corpus/${b.name}\\.ann\\.yaml: error: not exported, the sidecar is invalid \\(line 7: entity \\S+ \\(\\w+\\) says its text is "faux"`, 'm'));
    assert.match(r.stderr, /; 1 invalid sidecar not exported\n$/);
  });

  it('replaces an --out file only once complete; an unwritable target is an error', async () => {
    const root = await makeTree({ ...files(generated.slice(0, 1), true), 'out.jsonl': 'old\n', 'dir/.keep': '' });
    assert.equal((await cli(['export', '-f', 'jsonl', '-o', 'out.jsonl', 'corpus'], root)).code, 0);
    assert.match(await fsp.readFile(path.join(root, 'out.jsonl'), 'utf8'), /^\{"text":/);
    assert.deepEqual((await fsp.readdir(root)).filter((f) => f.endsWith('.tmp')), []);
    const r = await cli(['export', '-f', 'jsonl', '-o', 'dir', 'corpus'], root);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'dir: error: cannot write the export here: it is a directory (EISDIR)\n');
  });

  it('--progress shows count/total and elapsed time on stderr', async () => {
    const root = await makeTree(files(generated.slice(0, 3), true));
    const r = await cli(['export', '-f', 'jsonl', '--progress', '-q', 'corpus'], root);
    assert.match(r.stderr, /\b3\/3 documents, \d+\.\d s/);
  });

  it('usage errors exit 2 with a pointer to --help; --help shows the formats and examples', async () => {
    for (const argv of [
      ['export'], ['export', '-f', 'xml'], ['export', '-f', 'brat'], ['export', '-f', 'conll', '--tokens'],
      ['export', '-f', 'jsonl', '--scheme', 'bilou'], ['export', '-f', 'conll', '--scheme', 'bio'], ['export', '-f', 'jsonl', '--status', 'finished'],
    ]) {
      const r = await cli(argv, DEMO_CORPUS);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /^corpus-annotator export: .*\nRun 'corpus-annotator export --help' for usage\.\n$/, argv.join(' '));
    }
    const help = await cli(['export', '--help'], DEMO_CORPUS);
    assert.match(help.stdout, /UTF-16 offsets/);
    assert.match(help.stdout, /Examples:\n {2}corpus-annotator export --format jsonl corpus\/ > train\.jsonl/);
    assert.match((await cli(['--help'], DEMO_CORPUS)).stdout, /\n {2}export {5}write the annotations as spaCy/);
  });
});
