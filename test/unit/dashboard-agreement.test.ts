// The dashboard's inter-annotator agreement (issue 19): the pairwise matrix of exact-span F1
// (overall and per label) and token κ on small hand-made sidecars whose figures are worked out by
// hand below; unreadable sidecars and folders are named and left out, never fatal; the heat map's
// HTML holds the numbers as a table; `stats --html --annotators` end to end with the built CLI.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cohenKappa } from '../../src/core/review/agreement';
import { AgreementFigures, AgreementSource, annotatorFolders, collectAgreement, KappaTally, PairAgreement } from '../../src/core/dashboard/dashboard-agreement';
import { DashboardTally, dashboardCsv, dashboardMarkdown } from '../../src/core/dashboard/dashboard-data';
import { renderDashboardBody } from '../../src/core/dashboard/dashboard-html';
import { Entity } from '../../src/core/model/model';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { buildCliIfStale, cli, CLI_BIN } from './helpers/cli';
import { tempDirs } from './helpers/tmp';

// "Ana vit à Paris avec Bob." — tokens: Ana vit à Paris avec Bob (6). "Rabat." — one token.
const DOC1 = 'Ana vit à Paris avec Bob.';
const DOC2 = 'Rabat.';
const ANA: Entity = { id: 'a1', label: 'PER', start: 0, end: 3, text: 'Ana' };
const PARIS_LOC: Entity = { id: 'p1', label: 'LOC', start: 10, end: 15, text: 'Paris' };
const PARIS_ORG: Entity = { ...PARIS_LOC, id: 'p2', label: 'ORG' };
const BOB: Entity = { id: 'b1', label: 'PER', start: 21, end: 24, text: 'Bob' };
const RABAT: Entity = { id: 'r1', label: 'LOC', start: 0, end: 5, text: 'Rabat' };
const BROKEN = 'version: 1\nentities: [\n';

const sidecar = (document: string, entities: Entity[]) => writeSidecar({ version: 1, document, status: 'done', entities });

/**
 * Three annotators: ana and bob differ on Paris (LOC / ORG); cid tagged Ana only (his Paris is a
 * suggestion, left out) and his x.txt sidecar is broken; solo.txt is ana's alone.
 */
const FILES: Record<string, string> = {
  'review/ana/d.txt.ann.yaml': sidecar('d.txt', [ANA, PARIS_LOC, BOB]),
  'review/ana/x.txt.ann.yaml': sidecar('x.txt', [RABAT]),
  'review/ana/solo.txt.ann.yaml': sidecar('solo.txt', []),
  'review/bob/d.txt.ann.yaml': sidecar('d.txt', [ANA, PARIS_ORG, BOB]),
  'review/bob/x.txt.ann.yaml': sidecar('x.txt', [RABAT]),
  'review/cid/d.txt.ann.yaml': sidecar('d.txt', [ANA, { ...PARIS_LOC, id: 'p3', suggested: true }]),
  'review/cid/x.txt.ann.yaml': BROKEN,
  'corpus/d.txt': DOC1,
  'corpus/x.txt': DOC2,
};

/** An AgreementSource over FILES (the adapters' job, in memory). */
function memorySource(folders: readonly string[], files: Record<string, string>, fail: { list?: number; read?: string } = {}): AgreementSource {
  const enc = new TextEncoder();
  return {
    listSidecars: async (i) => {
      if (i === fail.list) throw new Error('no such folder');
      const prefix = `${folders[i]}/`;
      return Object.keys(files).filter((f) => f.startsWith(prefix) && f.endsWith('.ann.yaml')).map((f) => f.slice(prefix.length));
    },
    readFile: async (i, rel) => {
      const f = `${folders[i]}/${rel}`;
      if (f === fail.read) throw new Error('permission denied (EACCES)');
      return enc.encode(files[f] as string);
    },
    readArticle: async (rel) => (files[`corpus/${rel}`] !== undefined ? enc.encode(files[`corpus/${rel}`] as string) : undefined),
  };
}

const FOLDERS = ['review/ana', 'review/bob', 'review/cid'];
const pair = (f: AgreementFigures, i: number, j: number) => f.pairs[i]?.[j] as PairAgreement;
const close = (actual: number | null | undefined, expected: number, what: string) => {
  assert.ok(actual !== null && actual !== undefined && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);
};

describe('dashboard agreement matrix', () => {
  it('pairwise F1 overall and per label, and token κ, as worked out by hand', async () => {
    const f = await collectAgreement(annotatorFolders(FOLDERS), memorySource(FOLDERS, FILES), ['PER', 'ORG', 'LOC', 'DATE']);
    assert.deepEqual(f.annotators.map((a) => a.name), ['ana', 'bob', 'cid']);
    // Configured labels first (DATE unused: no table), in their order.
    assert.deepEqual(f.labels, ['PER', 'ORG', 'LOC']);

    // ana × bob, over d.txt and x.txt: entities 4 and 4, exact matches Ana, Bob, Rabat = 3:
    // F1 = 2·3 / (4 + 4) = 0.75. PER: 2, 2, 2 matched → 1. ORG: 0 and 1 → 0. LOC: 2 and 1, 1 matched → 2/3.
    // κ over 7 tokens: ana PER O O LOC O PER LOC, bob PER O O ORG O PER LOC; alike 6/7 = 42/49;
    // pₑ = (PER 2·2 + O 3·3 + LOC 2·1) / 49 = 15/49; κ = (42 − 15) / (49 − 15) = 27/34.
    const ab = pair(f, 0, 1);
    assert.equal(ab.documents, 2);
    close(ab.f1, 0.75, 'ana×bob F1');
    assert.deepEqual(ab.labelF1.map((v) => (v === null ? null : Math.round(v * 1e6) / 1e6)), [1, 0, 0.666667]);
    close(ab.kappa, 27 / 34, 'ana×bob κ');
    assert.equal(ab.kappaDocuments, 2);
    assert.equal(ab.unpaired, 1, 'solo.txt is ana\'s alone');
    assert.deepEqual(ab.skipped, [], 'cid\'s broken file is no concern of theirs');
    assert.deepEqual(pair(f, 1, 0), ab, 'symmetric');
    assert.equal(f.pairs[1]?.[1], undefined, 'nothing on the diagonal');

    // ana × cid, over d.txt only (cid's x.txt is broken): 3 and 1 entities (cid's suggestion left
    // out), Ana matched: F1 = 2 / 4 = 0.5. PER: 2 and 1, 1 matched → 2/3. LOC: 1 and 0 → 0. ORG: null.
    // κ over 6 tokens: ana PER O O LOC O PER, cid PER O O O O O; alike 4/6 = 24/36;
    // pₑ = (PER 2·1 + O 3·5) / 36 = 17/36; κ = (24 − 17) / (36 − 17) = 7/19.
    const ac = pair(f, 0, 2);
    assert.equal(ac.documents, 1);
    close(ac.f1, 0.5, 'ana×cid F1');
    close(ac.labelF1[0], 2 / 3, 'ana×cid PER');
    assert.equal(ac.labelF1[1], null, 'ORG: neither used it');
    close(ac.labelF1[2], 0, 'ana×cid LOC');
    close(ac.kappa, 7 / 19, 'ana×cid κ');
    assert.deepEqual(ac.skipped.map((s) => [s.file, s.reason]), [['review/cid/x.txt.ann.yaml', ac.skipped[0]?.reason]]);
    assert.match(ac.skipped[0]?.reason ?? '', /^line \d+: /);

    // bob × cid: as ana × cid with ORG in place of LOC.
    const bc = pair(f, 1, 2);
    close(bc.f1, 0.5, 'bob×cid F1');
    close(bc.labelF1[1], 0, 'bob×cid ORG');
    assert.equal(bc.labelF1[2], null, 'bob×cid LOC: neither used it');
    close(bc.kappa, 7 / 19, 'bob×cid κ');
    assert.equal(bc.unpaired, 0);
    assert.deepEqual(f.skipped.map((s) => s.file), ['review/cid/x.txt.ann.yaml']);
  });

  it('κ gathered document by document equals Cohen\'s κ over the tokens put together', () => {
    let seed = 7;
    const rnd = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
    const labels = ['O', 'O', 'O', 'PER', 'LOC', 'ORG'];
    const all: [string[], string[]] = [[], []];
    const tally = new KappaTally();
    for (let d = 0; d < 20; d++) {
      const n = 1 + Math.floor(rnd() * 30);
      const a = Array.from({ length: n }, () => labels[Math.floor(rnd() * labels.length)] as string);
      const b = a.map((x) => (rnd() < 0.7 ? x : (labels[Math.floor(rnd() * labels.length)] as string)));
      tally.add(a, b);
      all[0].push(...a);
      all[1].push(...b);
    }
    close(tally.kappa(), cohenKappa(all[0], all[1]).kappa as number, 'κ');
    assert.equal(new KappaTally().kappa(), null, 'no token');
  });

  it('a folder that cannot be listed, a file that cannot be read, an article that does not fit: noted, never thrown', async () => {
    const files = { ...FILES, 'corpus/x.txt': 'Casablanca.' };
    const f = await collectAgreement(annotatorFolders(FOLDERS), memorySource(FOLDERS, files, { list: 2, read: 'review/bob/d.txt.ann.yaml' }));
    assert.deepEqual(f.folderErrors, [{ annotator: 2, reason: 'no such folder' }]);
    assert.deepEqual(f.skipped, [{ annotator: 1, file: 'review/bob/d.txt.ann.yaml', reason: 'permission denied (EACCES)' }]);
    const ab = pair(f, 0, 1);
    // Only x.txt is compared; its article no longer reads "Rabat" at 0-5: F1 counts, κ does not.
    assert.equal(ab.documents, 1);
    close(ab.f1, 1, 'x.txt: the same Rabat');
    assert.equal(ab.kappaDocuments, 0);
    assert.equal(ab.kappa, null);
    assert.equal(pair(f, 0, 2).documents, 0);
    assert.equal(pair(f, 0, 2).f1, null);
  });

  it('names annotators by their folder\'s last segment, by the whole path where two end alike', () => {
    assert.deepEqual(annotatorFolders(['review/ana/', 'b/ana', 'bob']).map((a) => a.name), ['review/ana/', 'b/ana', 'bob']);
    assert.deepEqual(annotatorFolders(['review\\ana', 'x/bob']).map((a) => a.name), ['ana', 'bob']);
  });
});

describe('dashboard agreement heat map', () => {
  it('is a table per figure with the numbers in the cells, a legend, and the skipped files named', async () => {
    const agreement = await collectAgreement(annotatorFolders(FOLDERS), memorySource(FOLDERS, FILES), ['PER', 'ORG', 'LOC']);
    const d = new DashboardTally().result({ labels: [], agreement });
    const html = renderDashboardBody(d, { mode: 'webview' });
    const f1 = /<table class="heatmap" id="heatmap-f1"><caption>Exact-span F1, all labels<\/caption>.*?<\/table>/.exec(html)?.[0] ?? '';
    assert.ok(f1, 'the F1 heat map');
    assert.ok(f1.includes('<thead><tr><td></td><th scope="col">ana</th><th scope="col">bob</th><th scope="col">cid</th></tr></thead>'));
    assert.ok(f1.includes('<tr><th scope="row">ana</th><td class="hm-self">'));
    assert.ok(f1.includes('<td class="hm hm3" data-pair="0-1" data-value="0.75">0.75<span class="hm-sub">2 docs</span></td>'));
    assert.ok(f1.includes('<td class="hm hm2" data-pair="0-2" data-value="0.5">0.50<span class="hm-sub">1 doc</span><span class="hm-note">skipped: review/cid/x.txt.ann.yaml</span></td>'), f1);
    const kappa = /<table class="heatmap" id="heatmap-kappa">.*?<\/table>/.exec(html)?.[0] ?? '';
    assert.ok(kappa.includes(`data-value="${Math.round((27 / 34) * 1000) / 1000}">0.79<span class="hm-sub">2 docs with text</span>`), kappa);
    assert.ok(kappa.includes('>0.37<'), '7/19');
    // Per label: PER, ORG, LOC; ORG between ana and cid: n/a (neither used it).
    assert.match(html, /<table class="heatmap" id="heatmap-label-1"><caption>ORG<\/caption>.*<td class="hm-na" data-pair="0-2">n\/a<\/td>/);
    assert.ok(html.includes('<ul class="legend hm-legend" aria-label="Colour scale of the tables"><li><span class="swatch hm0" aria-hidden="true"></span>below 0.20</li>'));
    assert.match(html, /<ul class="issues" id="agreement-skipped"><li>review\/cid\/x\.txt\.ann\.yaml <span class="muted">\(line \d+: /);
    // The figures travel with Copy as Markdown and Export CSV too.
    assert.ok(dashboardMarkdown(d).includes('| ana | — | 0.75 | 0.50 |'), dashboardMarkdown(d));
    assert.ok(dashboardCsv(d).includes('agreement f1,ana × bob,,0.75\r\n'));
    assert.ok(dashboardCsv(d).includes('agreement kappa,ana × cid,,0.368\r\n'));
    assert.ok(dashboardCsv(d).includes('agreement f1 per label,ana × cid,ORG,\r\n'));
  });
});

describe('stats --html --annotators (the built CLI)', () => {
  const { makeTree } = tempDirs('dashboard-agreement');
  before(buildCliIfStale);

  it('writes the heat maps of the annotators\' folders, names the broken sidecar, exits 0', async () => {
    const root = await makeTree(FILES);
    const r = spawnSync(process.execPath, [CLI_BIN, 'stats', '--no-git', '--html', 'dash.html', '--annotators', 'review/ana', '--annotators', 'review/bob', '--annotators', 'review/cid', 'corpus'], { cwd: root, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^review\/cid\/x\.txt\.ann\.yaml: warning: left out of the agreement: line \d+: /m);
    const html = fs.readFileSync(path.join(root, 'dash.html'), 'utf8');
    assert.ok(html.includes('<td class="hm hm3" data-pair="0-1" data-value="0.75">0.75<span class="hm-sub">2 docs</span></td>'));
    assert.ok(html.includes('<td class="hm hm3" data-pair="1-0" data-value="0.75">0.75'));
    assert.ok(html.includes(`data-value="${Math.round((27 / 34) * 1000) / 1000}">0.79`), 'κ: the articles were found under corpus/');
    assert.ok(html.includes('skipped: review/cid/x.txt.ann.yaml'));
  });

  it('a missing annotator folder: the page is written, the folder named, exit 1; fewer than two: the hint', async () => {
    const root = await makeTree(FILES);
    const r = await cli(['stats', '--no-git', '--html', 'dash.html', '--annotators', 'review/ana', '--annotators', 'review/nobody', 'corpus'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^review\/nobody: error: cannot list the annotator's folder: /m);
    const html = fs.readFileSync(path.join(root, 'dash.html'), 'utf8');
    assert.ok(html.includes('<li><b>review/nobody</b>: '));
    assert.ok(html.includes('data-pair="0-1">n/a<span class="hm-sub">0 docs</span>'));
    const one = await cli(['stats', '--no-git', '--html', '-', '--annotators', 'review/ana', 'corpus'], root);
    assert.equal(one.code, 0, one.stderr);
    assert.ok(one.stdout.includes('Only one annotator folder is configured (<b>ana</b>: review/ana)'));
    const usage = await cli(['stats', '--annotators', 'review/ana', 'corpus'], root);
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--annotators goes with --html/);
  });
});
