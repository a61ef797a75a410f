// The model in the loop as an annotator uses it, through the command palette and the sidebar of
// the real workbench (issue 16): Train Recommender writes the model; Sort by Expected Gain puts the
// unannotated copy of an article first with its "gain N.N"; Find Likely Annotation Errors (held out
// by default) lists its findings in the Problems panel. Screenshots of each step are kept in
// test-results/ (looked at by whoever changes these views).
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { useWorkbench, waitForFile } from './support.mjs';

const SEED = '003_3e55259b9cbe4b4c.txt';
const FRESH = 'zz_unannotated.txt'; // the seed's text with no sidecar: the most for the model to learn from

describe('e2e: the recommender in the workbench', function () {
  const session = useWorkbench({
    failurePrefix: 'FAILED-recommender-',
    prepare: (folder) => fs.copyFileSync(path.join(folder, SEED), path.join(folder, FRESH)),
  });

  it('Train Recommender from the palette writes the model file', async function () {
    const { wb, folder } = session;
    await wb.openAnnotationsView();
    await wb.runCommand('Corpus Annotator: Train Recommender');
    const model = await waitForFile(path.join(folder, '.corpus-annotator', 'model.json'), (c) => {
      try {
        const m = JSON.parse(c);
        return m.format === 'corpus-annotator-recommender' ? m : undefined;
      } catch {
        return undefined; // not written whole yet
      }
    }, 60_000);
    assert.equal(model.training.documents, 4, 'the reviewed demo documents');
  });

  it('Sort by Expected Gain puts the unannotated article first, each row with its gain', async function () {
    const { wb, page } = session;
    await wb.runCommand('Corpus Annotator: Sort by Expected Gain');
    const descriptions = page.locator('.pane-body .monaco-list-row .label-description');
    await page.waitForFunction(() => [...document.querySelectorAll('.pane-body .monaco-list-row .label-description')]
      .some((el) => /^gain \d/.test(el.textContent ?? '')), undefined, { timeout: 60_000 });
    const first = wb.annotationRows().first();
    assert.equal((await first.locator('.label-name').innerText()).trim(), FRESH);
    const texts = (await descriptions.allInnerTexts()).map((t) => t.trim());
    const gains = texts.map((t) => Number(/^gain (\d+(?:\.\d+)?)/.exec(t)?.[1]));
    assert.ok(gains.length >= 5 && gains.every((g) => Number.isFinite(g)), `every document row says its gain: ${JSON.stringify(texts)}`);
    assert.deepEqual(gains, [...gains].sort((a, b) => b - a), 'highest first');
    await wb.screenshot('e2e-recommender-gain-sort');
  });

  it('Find Likely Annotation Errors lists its findings in the Problems panel', async function () {
    const { wb, page } = session;
    await wb.runCommand('Corpus Annotator: Find Likely Annotation Errors');
    await page.keyboard.press('Control+Shift+M'); // View: Problems
    const finding = page.locator('.markers-panel .monaco-list-row', { hasText: /Wrong label\?|Boundary\?|Missing entity\?|Inconsistent with/ }).first();
    await finding.waitFor({ timeout: 90_000 });
    await wb.screenshot('e2e-recommender-likely-errors');
  });
});
