// The progress dashboard (issue 19): its figures from the corpus index's summaries equal a naive
// count over every entity of the demo corpus; the git history's entity lines per day; the page's
// SVG charts, tables and actions; hostile labels and surface forms stay text; CSV and Markdown.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { StringPool, summariseEntities, summariseSidecar } from '../../src/core/corpus/corpus-index';
import { dashboardCsv, dashboardData, DashboardData, dashboardMarkdown, DashboardTally, NONE } from '../../src/core/dashboard/dashboard-data';
import { AgreementFigures, PairAgreement } from '../../src/core/dashboard/dashboard-agreement';
import { entityHistory } from '../../src/core/dashboard/dashboard-history';
import { esc, renderDashboardBody, renderDashboardPage } from '../../src/core/dashboard/dashboard-html';
import { Entity, Status } from '../../src/core/model/model';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { cli } from './helpers/cli';
import { DEMO_CORPUS } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';

const DEMO_LABELS = [
  { name: 'PER', color: '#e5534b' },
  { name: 'ORG', color: '#3b82f6' },
  { name: 'LOC', color: '#22a06b' },
  { name: 'DATE', color: '#c98a00' },
  { name: 'EVENT', color: '#a855f7' },
  { name: 'MISC', color: '#8b949e' },
];

function demo(): { data: DashboardData; entities: Entity[]; statuses: Status[] } {
  const pool = new StringPool();
  const files = fs.readdirSync(DEMO_CORPUS).filter((f) => f.endsWith('.ann.yaml')).sort();
  const docs: Array<[string, ReturnType<typeof summariseSidecar>]> = [];
  const entities: Entity[] = [];
  const statuses: Status[] = [];
  for (const f of files) {
    const text = fs.readFileSync(path.join(DEMO_CORPUS, f), 'utf8');
    docs.push([f, summariseSidecar(text, { withMentions: pool })]);
    const sidecar = readSidecar(text).sidecar;
    assert.ok(sidecar);
    entities.push(...sidecar.entities);
    statuses.push(sidecar.status);
  }
  return { data: dashboardData(docs, (k) => k, new Set(), { labels: DEMO_LABELS }), entities, statuses };
}

/** Two annotators agreeing by `f1` over one document. */
function twoAnnotators(a: string, b: string, f1: number): AgreementFigures {
  const pair: PairAgreement = { documents: 1, f1, labelF1: [], kappa: null, kappaDocuments: 0, unpaired: 0, skipped: [] };
  return { annotators: [{ name: a, folder: a }, { name: b, folder: b }], labels: [], pairs: [[undefined, pair], [pair, undefined]], skipped: [], folderErrors: [] };
}

function entity(id: string, label: string, text: string, extra: Partial<Entity> = {}): Entity {
  return { id, label, start: 0, end: [...text].length, text, ...extra };
}

describe('dashboard figures', () => {
  it('equal a naive count over every entity of the demo corpus', () => {
    const { data, entities, statuses } = demo();
    const real = entities.filter((e) => e.suggested !== true);
    assert.equal(data.documents, statuses.length);
    assert.equal(data.entities, real.length);
    for (const s of data.statuses) assert.equal(s.count, statuses.filter((x) => x === s.status).length, s.status);
    assert.equal(data.reviewed, statuses.filter((x) => x === 'reviewed').length / statuses.length);
    assert.deepEqual(data.labels.map((l) => l.label), DEMO_LABELS.map((l) => l.name));
    for (const l of data.labels) {
      assert.equal(l.count, real.filter((e) => e.label === l.label).length, l.label);
      const counts = new Map<string, number>();
      for (const e of real.filter((x) => x.label === l.label)) counts.set(e.text.replace(/\s+/g, ' ').trim(), (counts.get(e.text.replace(/\s+/g, ' ').trim()) ?? 0) + 1);
      const best = Math.max(0, ...counts.values());
      if (l.top[0]) assert.equal(l.top[0].count, best, `${l.label}: the first surface form is the most frequent`);
      assert.ok(l.top.length <= 10);
    }
    const byWho = new Map<string, number>();
    for (const e of real) byWho.set(e.by ?? NONE, (byWho.get(e.by ?? NONE) ?? 0) + 1);
    assert.deepEqual(new Map(data.annotators.map((a) => [a.name, a.count])), byWho);
  });

  it('count suggestions by source apart from entities, and list invalid and stale sidecars', () => {
    const pool = new StringPool();
    const a = summariseEntities('in-progress', [
      entity('a1', 'PER', 'Laftit', { by: 'ana' }),
      entity('a2', 'PER', 'Laftit', { suggested: true, src: 'propagated' }),
      entity('a3', 'ORG', 'DGSN', { suggested: true, src: 'pattern:org' }),
      entity('a4', 'ORG', 'DGSN', { suggested: true, src: 'propagated' }),
    ], { withMentions: pool });
    const bad = summariseSidecar('version: 1\nentities: [\n', { withMentions: pool });
    assert.equal(bad.state, 'invalid');
    const tally = new DashboardTally();
    tally.add('k-b', 'b.txt', bad);
    tally.add('k-a', 'a.txt', a, true);
    tally.add('k-c', 'c.txt', summariseSidecar(undefined));
    const d = tally.result({ labels: [{ name: 'PER' }] });
    assert.equal(d.documents, 3);
    assert.equal(d.entities, 1);
    assert.equal(d.suggestions, 3);
    assert.deepEqual(d.suggestionSources, [{ name: 'propagated', count: 2 }, { name: 'pattern:org', count: 1 }]);
    assert.deepEqual(d.annotators, [{ name: 'ana', count: 1 }]);
    assert.deepEqual(d.statuses.map((s) => s.count), [1, 1, 0, 0]);
    assert.deepEqual(d.issues.map((i) => [i.key, i.kind]), [['k-b', 'invalid'], ['k-a', 'stale']]);
    assert.ok((d.issues[0]?.errors ?? 0) > 0);
    // A label with suggestions only is not listed (nor is a suggestion a surface form).
    assert.deepEqual(d.labels.map((l) => [l.label, l.count, l.top.map((t) => t.name)]), [['PER', 1, ['Laftit']]]);
  });

  it('history is shown only when there is some; agreement with fewer than two annotators says how to configure it', () => {
    const solo: AgreementFigures = { annotators: [{ name: 'solo', folder: 'review/solo' }], labels: [], pairs: [[undefined]], skipped: [], folderErrors: [] };
    const d0 = new DashboardTally().result({ labels: [], history: [], agreement: solo });
    assert.equal(d0.history, undefined);
    assert.equal(d0.reviewed, 0);
    const webview = renderDashboardBody(d0, { mode: 'webview' });
    assert.match(webview, /<p id="agreement-hint">Only one annotator folder is configured \(<b>solo<\/b>: review\/solo\)\. .*<code>corpusAnnotator\.dashboard\.annotatorFolders<\/code>.*data-action="configure-agreement"/);
    assert.ok(!webview.includes('class="heatmap"'), 'no empty table');
    const none = renderDashboardBody(new DashboardTally().result({ labels: [] }), { mode: 'standalone' });
    assert.match(none, /<p id="agreement-hint">No annotators to compare yet\. .*--annotators FOLDER/);
    assert.ok(!none.includes('class="heatmap"') && !none.includes('configure-agreement'));
  });
});

describe('dashboard history (git log of sidecars)', () => {
  const log = [
    '\x012026-12-03',
    'diff --git a/x.txt.ann.yaml b/x.txt.ann.yaml',
    '--- a/x.txt.ann.yaml',
    '+++ b/x.txt.ann.yaml',
    '@@ -7 +7,2 @@',
    '-  - {id: aaaaaa, label: PER, start: 0, end: 6, text: "Laftit"}',
    '+  - {id: aaaaaa, label: ORG, start: 0, end: 6, text: "Laftit"}',
    '+  - {id: bbbbbb, label: PER, start: 9, end: 12, text: "Ali", suggested: true}',
    '-status: todo',
    '+status: done',
    '\x012026-12-01',
    '--- /dev/null',
    '+++ b/y.txt.ann.yaml',
    '+entities:',
    '+  - {id: cccccc, label: PER, start: 0, end: 6, text: "- id: x"}',
    '+  - id: dddddd',
    '+    label: LOC',
    '\x012026-12-01',
    '+  - {id: eeeeee, label: PER, start: 0, end: 6, text: "Laftit"}',
    '\x01not a date',
    '+  - {id: ffffff, label: PER, start: 0, end: 6, text: "Laftit"}',
  ].join('\n');

  it('counts entity lines added and removed per day, oldest first, suggestions and headers apart', () => {
    assert.deepEqual(entityHistory(log), [
      { day: '2026-12-01', added: 3, removed: 0, total: 3 },
      { day: '2026-12-03', added: 1, removed: 1, total: 3 },
    ]);
  });

  it('is empty for no output', () => {
    assert.deepEqual(entityHistory(''), []);
  });
});

describe('dashboard page', () => {
  it('draws every chart as an accessible SVG with its table, with the real numbers', () => {
    const { data } = demo();
    const html = renderDashboardPage({ ...data, history: [{ day: '2026-12-01', added: 5, removed: 0, total: 5 }, { day: '2026-12-04', added: 3, removed: 1, total: 7 }], agreement: twoAnnotators('ana', 'bob', 0.8) }, { mode: 'standalone', title: 'demo' });
    for (const id of ['status', 'labels', 'annotators', 'history']) {
      assert.match(html, new RegExp(`<svg id="chart-${id}" class="chart" role="img" aria-labelledby="t-${id}"[^>]*><title id="t-${id}">`), id);
    }
    assert.match(html, new RegExp(`<b data-figure="entities">${data.entities}</b>`));
    assert.match(html, new RegExp(`<b data-figure="documents">${data.documents}</b>`));
    const per = data.labels.find((l) => l.label === 'PER');
    assert.ok(per);
    assert.ok(html.includes(`<tr><th scope="row">PER</th><td>${per.count}</td></tr>`));
    assert.ok(html.includes('.lc0{fill:#e5534b}'));
    assert.ok(html.includes('<tr><th scope="row">ana</th><td class="hm-self"><span aria-hidden="true">—</span><span class="sr-only">same annotator</span></td><td class="hm hm4" data-pair="0-1" data-value="0.8">0.80<span class="hm-sub">1 doc</span></td></tr>'));
    // Self-contained: nothing fetched from anywhere.
    assert.doesNotMatch(html, /\b(?:src|href)="(?:https?:)?\/\//);
    assert.match(html, /<textarea id="ca-csv" hidden readonly>section,name,detail,value/);
  });

  it('keeps hostile labels, surface forms, names and colours as text', () => {
    const evil = '<script>alert(1)</script>';
    const pool = new StringPool();
    const s = summariseEntities('done', [
      entity('a1', evil, `"><img src=x onerror=alert(1)>`, { by: `</title><script>x()</script>` }),
      entity('a2', 'ORG', 'A & B', { suggested: true, src: `<b onclick="y()">` }),
    ], { withMentions: pool });
    const d = dashboardData([[`k"><script>z()</script>`, s]], () => `</textarea><script>w()</script>.txt`, new Set([`k"><script>z()</script>`]), {
      labels: [{ name: 'ORG', color: 'red}</style><script>v()</script>' }],
      agreement: twoAnnotators(evil, 'b', 0),
    });
    for (const mode of ['webview', 'standalone'] as const) {
      const html = renderDashboardPage(d, { mode, title: `<script>t()</script>`, nonce: 'abc', cspSource: 'vscode-resource:', hrefOf: (k) => `javascript:${k}` });
      // The page's one script element is its own (nonce'd in the webview).
      assert.equal(html.match(/<script/g)?.length, 1, mode);
      for (const bad of ['<img', '<b onclick', '</style><script>', '</textarea><script>']) assert.ok(!html.includes(bad), `${mode}: ${bad}`);
      assert.ok(html.includes(esc(evil)), mode);
      assert.ok(!html.includes('fill:red}'), `${mode}: a colour that is not #hex is not put in the style`);
    }
  });

  it('in the webview: a strict Content-Security-Policy with the nonce, and sidecar links as buttons for the extension', () => {
    const pool = new StringPool();
    const bad = summariseSidecar('version: 1\nentities: [\n', { withMentions: pool });
    const d = dashboardData([['file:///c/x.txt', bad]], () => 'x.txt', new Set(), { labels: [] });
    const html = renderDashboardPage(d, { mode: 'webview', title: 't', nonce: 'N0nce', cspSource: 'https://res.example' });
    assert.ok(html.includes(`content="default-src 'none'; img-src https://res.example; style-src https://res.example 'nonce-N0nce'; script-src 'nonce-N0nce';"`));
    assert.ok(html.includes('<script nonce="N0nce">'));
    assert.ok(html.includes('<style nonce="N0nce">'));
    assert.doesNotMatch(html, / style="/, 'no inline style attribute (the policy would block it)');
    assert.ok(renderDashboardBody(d, { mode: 'webview' }).includes('<button type="button" class="link" data-open="file:///c/x.txt">x.txt</button>'));
    assert.ok(!html.includes('id="ca-csv"'), 'the extension makes the CSV itself');
  });
});

describe('dashboard CSV and Markdown', () => {
  it('CSV: one row per figure, quoted as RFC 4180 says, no spreadsheet formulas', () => {
    const pool = new StringPool();
    const s = summariseEntities('done', [entity('a1', 'PER', 'Dupont, "Jean"', { by: '=HYPERLINK("x")' })], { withMentions: pool });
    const csv = dashboardCsv(dashboardData([['a', s]], (k) => k, new Set(), { labels: [{ name: 'PER' }] }));
    const lines = csv.split('\r\n');
    assert.equal(lines[0], 'section,name,detail,value');
    assert.ok(lines.includes('label,PER,,1'));
    assert.ok(lines.includes('surface,PER,"Dupont, ""Jean""",1'));
    assert.ok(lines.includes(`annotator,"'=HYPERLINK(""x"")",,1`));
    assert.ok(lines.includes('status,done,,1'));
    assert.equal(lines.at(-1), '');
  });

  it('Markdown: tables whose cells cannot break the table or inject markup', () => {
    const pool = new StringPool();
    const s = summariseEntities('reviewed', [entity('a1', 'PER', 'a|b <i>', { by: 'x' })], { withMentions: pool });
    const md = dashboardMarkdown(dashboardData([['a', s]], (k) => k, new Set(), { labels: [{ name: 'PER' }] }));
    assert.ok(md.includes('1 documents, 1 entities, 0 suggestions pending; 100% reviewed.'));
    assert.ok(md.includes('| PER | 1 | a\\|b \\<i\\> (1) |'));
    assert.ok(md.includes('| reviewed | 1 (100%) |'));
  });
});

describe('stats --html', () => {
  const { makeTree } = tempDirs('dashboard-cli');
  const TEXT = 'M. Laftit est à Rabat.\n';
  const sidecar = (entities: Entity[], status: Status = 'done') => writeSidecar({ version: 1, document: 'a.txt', status, entities });
  const LAFTIT = { id: 'p1', label: 'PER', start: 3, end: 9, text: 'Laftit', by: 'ana' };
  const RABAT = { id: 'l1', label: 'LOC', start: 16, end: 21, text: 'Rabat', by: 'bob' };

  it('writes the dashboard of the corpus as one self-contained page, with the entities added per day from git', async () => {
    const root = await makeTree({ 'corpus/a.txt': TEXT, 'corpus/a.txt.ann.yaml': sidecar([LAFTIT]), 'corpus/b.txt': TEXT, 'corpus/c.txt': TEXT, 'corpus/c.txt.ann.yaml': 'version: 1\nentities: [\n' });
    const env = { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };
    const git = (date: string, ...args: string[]) => execFileSync('git', args, { cwd: root, env: { ...env, GIT_AUTHOR_DATE: `${date}T12:00:00Z`, GIT_COMMITTER_DATE: `${date}T12:00:00Z` }, stdio: 'pipe' });
    git('2026-11-01', 'init', '-q', '-b', 'main');
    git('2026-11-01', 'add', '-A');
    git('2026-11-01', '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'one');
    fs.writeFileSync(path.join(root, 'corpus/a.txt.ann.yaml'), sidecar([LAFTIT, RABAT], 'reviewed'));
    git('2026-11-03', 'add', '-A');
    git('2026-11-03', '-c', 'user.name=T', '-c', 'user.email=t@example.com', 'commit', '-q', '-m', 'two');
    fs.mkdirSync(path.join(root, 'out'));
    const r = await cli(['stats', '--html', 'out/dash.html', 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /dashboard written to out\/dash.html/);
    const html = fs.readFileSync(path.join(root, 'out/dash.html'), 'utf8');
    assert.match(html, /<b data-figure="documents">3<\/b>/);
    assert.match(html, /<b data-figure="entities">2<\/b>/);
    assert.match(html, /<b data-figure="status-reviewed">1<\/b>/);
    assert.ok(html.includes('<tr><th scope="row">2026-11-01</th><td>1</td><td>0</td><td>1</td></tr>'));
    assert.ok(html.includes('<tr><th scope="row">2026-11-03</th><td>1</td><td>0</td><td>2</td></tr>'));
    // The invalid sidecar is linked relative to the page.
    assert.ok(html.includes('<a href="../corpus/c.txt.ann.yaml">'), html.slice(html.indexOf('sec-issues')));
    assert.ok(html.includes('<th scope="row">ana</th><td>1</td>') && html.includes('<th scope="row">bob</th><td>1</td>'));
    const noGit = await cli(['stats', '--html', '-', '--no-git', 'corpus'], root);
    assert.equal(noGit.code, 0);
    assert.ok(noGit.stdout.startsWith('<!DOCTYPE html>'));
    assert.ok(noGit.stdout.includes('No history'));
  });

  it('refuses a directory as the page, says so and writes nothing', async () => {
    const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': sidecar([LAFTIT]), 'out/keep': 'x' });
    const r = await cli(['stats', '--no-git', '--html', 'out', '.'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^out: error: cannot write the dashboard: .*directory/m);
    assert.deepEqual(fs.readdirSync(path.join(root, 'out')), ['keep']);
  });
});
