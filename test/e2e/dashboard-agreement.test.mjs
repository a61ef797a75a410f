// The dashboard's agreement heat map in the real workbench (issue 19): three annotators' folders
// configured in the settings; the webview's table shows the F1 worked out here from the sidecars on
// disk, names cid's broken sidecar in its cells, and a screenshot of it is kept in test-results/.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { useWorkbench } from './support.mjs';

const FOLDERS = ['review/ana', 'review/bob', 'review/cid'];
const BROKEN = '002_60ac6a68424218b9.txt.ann.yaml';

/** ana: the demo's sidecars; bob: the same without every fifth entity line; cid: ana's, one broken. */
function prepare(folder) {
  const sidecars = fs.readdirSync(folder).filter((f) => f.endsWith('.ann.yaml'));
  for (const f of FOLDERS) fs.mkdirSync(path.join(folder, f), { recursive: true });
  for (const f of sidecars) {
    const text = fs.readFileSync(path.join(folder, f), 'utf8');
    let i = 0;
    const bob = text.split('\n').filter((l) => !/^\s*- \{id:/.test(l) || i++ % 5 !== 3).join('\n');
    fs.writeFileSync(path.join(folder, 'review/ana', f), text);
    fs.writeFileSync(path.join(folder, 'review/bob', f), bob);
    fs.writeFileSync(path.join(folder, 'review/cid', f), f === BROKEN ? 'version: 1\nentities: [\n' : text);
  }
}

/** ana × bob: bob's entities are a subset of ana's, so F1 = 2·|bob| / (|ana| + |bob|), summed over documents. */
function expectedF1(folder) {
  const count = (who, f) => (parse(fs.readFileSync(path.join(folder, 'review', who, f), 'utf8')).entities ?? []).filter((e) => e.suggested !== true).length;
  let a = 0;
  let b = 0;
  for (const f of fs.readdirSync(path.join(folder, 'review/ana'))) {
    a += count('ana', f);
    b += count('bob', f);
  }
  assert.ok(b < a && b > 0, `bob lost some entities (${a} → ${b})`);
  return (2 * b) / (a + b);
}

describe('e2e: the dashboard\'s agreement heat map', function () {
  const session = useWorkbench({ failurePrefix: 'FAILED-dashboard-agreement-', prepare, settings: { 'corpusAnnotator.dashboard.annotatorFolders': FOLDERS } });
  const dashboard = () => session.page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');

  it('shows the pairwise F1 of the configured folders as a table, the broken sidecar named in its cells', async function () {
    const { wb, folder } = session;
    const f1 = expectedF1(folder);
    await wb.runCommand('Corpus Annotator: Open Dashboard');
    const cell = dashboard().locator('#heatmap-f1 td[data-pair="0-1"]');
    await cell.waitFor({ timeout: 30_000 });
    assert.equal(await cell.getAttribute('data-value'), String(Math.round(f1 * 1000) / 1000));
    assert.match(await cell.textContent(), new RegExp(`^${f1.toFixed(2)}5 docs$`));
    assert.equal(await dashboard().locator('#heatmap-f1 th[scope="col"]').allTextContents().then((t) => t.join(',')), 'ana,bob,cid');
    const cid = dashboard().locator('#heatmap-f1 td[data-pair="0-2"]');
    assert.equal(await cid.textContent(), `1.004 docsskipped: review/cid/${BROKEN}`);
    await dashboard().locator('#heatmap-f1').scrollIntoViewIfNeeded();
    console.log(`      heat map: ${await wb.screenshot('e2e-dashboard-agreement')}`);
  });
});
