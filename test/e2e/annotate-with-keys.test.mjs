// The annotator's main gesture, as a user does it: select a name, press the label's key, see the
// highlight and the entry in the Annotations sidebar. Also makes the README screenshot.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../host/paths.mjs';
import { useWorkbench, waitForFile } from './support.mjs';

const ARTICLE = '003_3e55259b9cbe4b4c.txt';
const NAME = 'Abdellatif Hammouchi';

describe('e2e: annotating with the keyboard', function () {
  const session = useWorkbench();

  it('Ctrl+Alt+1 tags the selection as PER: on disk, highlighted, and listed in the sidebar', async function () {
    const { wb, page, folder } = session;
    const sidecar = path.join(folder, `${ARTICLE}.ann.yaml`);
    const before = (parse(fs.readFileSync(sidecar, 'utf8')).entities ?? []).length;

    await wb.openFile(ARTICLE);
    await wb.selectText(NAME);
    // Pressed at once, as a fast annotator would: the keybinding must already be live.
    await page.keyboard.press('Control+Alt+1');

    const entity = await waitForFile(sidecar, (content) => (parse(content).entities ?? []).find((e) => e.label === 'PER' && e.text === NAME));
    assert.equal(entity.end - entity.start, NAME.length);
    assert.equal(parse(fs.readFileSync(sidecar, 'utf8')).entities.length, before + 1, 'exactly one entity added');
    await wb.waitForDecoration(NAME);

    await wb.openAnnotationsView();
    await wb.expandAnnotationRow(ARTICLE);
    await wb.expandAnnotationRow('PER');
    await wb.annotationRows(NAME).first().waitFor();
    const shot = await wb.screenshot('e2e-annotate-with-keys');
    if (process.env.UPDATE_SCREENSHOTS) {
      fs.copyFileSync(shot, path.join(REPO_ROOT, 'media', 'screenshot.png'));
      console.log('      updated media/screenshot.png');
    }
  });

  it('Ctrl+Alt+Z takes the tag back without touching the text', async function () {
    const { wb, page, folder } = session;
    const sidecar = path.join(folder, `${ARTICLE}.ann.yaml`);
    const article = fs.readFileSync(path.join(folder, ARTICLE));
    await wb.activeEditor.locator('.view-lines').click();
    await page.keyboard.press('Control+Alt+Z');
    await waitForFile(sidecar, (content) => ((parse(content).entities ?? []).some((e) => e.text === NAME) ? undefined : true));
    assert.ok(fs.readFileSync(path.join(folder, ARTICLE)).equals(article), 'the article is untouched');
    await page.locator('.editor-group-container.active .tab.active.dirty').waitFor({ state: 'detached', timeout: 2_000 }).catch(() => {
      throw new Error('the editor became dirty: the text was changed');
    });
  });
});
