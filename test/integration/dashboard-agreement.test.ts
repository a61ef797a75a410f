// The dashboard's inter-annotator agreement in the real VS Code: the setting
// corpusAnnotator.dashboard.annotatorFolders names two annotators' folders of the workspace, the
// dashboard opened shows their heat maps with the figures worked out here from the sidecars, names
// a broken sidecar instead of failing, reads the folders again when reopened and, with one folder left,
// says how to configure it. Figures are read through the test-only `dashboard._figures`.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { DashboardSnapshot } from '../../src/extension/dashboard';
import { activateApi, articleUri, workspaceDir } from './helpers';

const DOC = '001_e23791ebed5de2ea.txt';
const OTHER = '000_a5c2016fc8888533.txt';
const SETTING = 'annotatorFolders';

interface SidecarEntity { id: string; label: string; suggested?: boolean }

describe('dashboard agreement: annotators\' folders from the setting', () => {
  const folders = ['review-agree/ana', 'review-agree/bob'];
  let original: string;
  let relabelled: string;
  let entities: number;
  const config = () => vscode.workspace.getConfiguration('corpusAnnotator.dashboard');
  const figures = (expect: string[]) => vscode.commands.executeCommand<DashboardSnapshot>('corpusAnnotator.dashboard._figures', expect);
  const dir = (rel: string) => path.join(workspaceDir(), ...rel.split('/'));

  before(async () => {
    await activateApi();
    original = fs.readFileSync(`${articleUri(DOC).fsPath}.ann.yaml`, 'utf8');
    const list = (parse(original) as { entities: SidecarEntity[] }).entities;
    const real = list.filter((e) => e.suggested !== true);
    entities = real.length;
    const target = real.find((e) => e.label !== 'MISC');
    assert.ok(target && entities > 3, 'the demo sidecar has entities to compare');
    // bob gave one entity another label: one exact match fewer.
    relabelled = original.replace(`{id: ${target.id}, label: ${target.label},`, `{id: ${target.id}, label: MISC,`);
    assert.notEqual(relabelled, original);
    for (const f of folders) fs.mkdirSync(dir(f), { recursive: true });
    fs.writeFileSync(path.join(dir(folders[0] as string), `${DOC}.ann.yaml`), original);
    fs.writeFileSync(path.join(dir(folders[1] as string), `${DOC}.ann.yaml`), relabelled);
    fs.copyFileSync(`${articleUri(OTHER).fsPath}.ann.yaml`, path.join(dir(folders[0] as string), `${OTHER}.ann.yaml`));
    fs.writeFileSync(path.join(dir(folders[1] as string), `${OTHER}.ann.yaml`), 'version: 1\nentities: [\n');
  });

  after(async () => {
    await config().update(SETTING, undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(dir('review-agree'), { recursive: true, force: true });
  });

  it('shows the pairwise F1 and κ heat maps of the configured folders, the broken sidecar named', async () => {
    await config().update(SETTING, folders, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('corpusAnnotator.openDashboard');
    const snap = await figures(folders);
    assert.ok(snap.open && snap.data && snap.html, 'the dashboard is open with figures');
    const ag = snap.data.agreement;
    assert.ok(ag, 'agreement figures');
    assert.deepEqual(ag.annotators.map((a) => a.name), ['ana', 'bob']);
    const p = ag.pairs[0]?.[1];
    assert.ok(p);
    // One document compared (bob's other one is broken): n entities each, n − 1 matched:
    // F1 = 2(n − 1) / 2n.
    assert.equal(p.documents, 1);
    assert.ok(Math.abs((p.f1 ?? -1) - (entities - 1) / entities) < 1e-9, `F1 ${p.f1}, ${entities} entities`);
    assert.equal(p.kappaDocuments, 1, 'the article was found in the workspace folder');
    assert.ok(p.kappa !== null && p.kappa > 0 && p.kappa < 1, `κ ${p.kappa}`);
    assert.deepEqual(p.skipped.map((s) => s.file), [`review-agree/bob/${OTHER}.ann.yaml`]);
    const shown = (p.f1 as number).toFixed(2);
    assert.ok(snap.html.includes(`data-pair="0-1" data-value="${Math.round((p.f1 as number) * 1000) / 1000}">${shown}<span class="hm-sub">1 doc</span><span class="hm-note">skipped: review-agree/bob/${OTHER}.ann.yaml</span>`), snap.html.slice(snap.html.indexOf('sec-agreement')));
    assert.ok(snap.html.includes('<table class="heatmap" id="heatmap-kappa">'));
  });

  // (Also read again on a file-watcher event; not checked here: in the shared test host the workspace
  // watcher now and then reported nothing for a folder made during the run, even to a watcher of the test's own.)
  it('reads the folders again when Open Dashboard is run again', async () => {
    fs.writeFileSync(path.join(dir(folders[1] as string), `${DOC}.ann.yaml`), original);
    await vscode.commands.executeCommand('corpusAnnotator.openDashboard');
    const snap = await figures(folders);
    assert.equal(snap.data?.agreement?.pairs[0]?.[1]?.f1, 1, 'bob\'s fixed sidecar agrees with ana\'s');
    assert.ok(snap.html?.includes('data-pair="0-1" data-value="1">1.00'));
  });

  it('with one folder left, says how to configure it instead of an empty table', async () => {
    await config().update(SETTING, [folders[0]], vscode.ConfigurationTarget.Workspace);
    const snap = await figures([folders[0] as string]);
    assert.ok(snap.html);
    assert.ok(snap.html.includes('Only one annotator folder is configured (<b>ana</b>: review-agree/ana)'));
    assert.ok(snap.html.includes('<code>corpusAnnotator.dashboard.annotatorFolders</code>'));
    assert.ok(!snap.html.includes('class="heatmap"'));
  });
});
