// Tag all occurrences as a user does it: cursor on "Laftit", the command, the other mentions appear
// dotted and under "Suggestions" in the sidebar; Ctrl+Alt+] goes to one, Ctrl+Alt+Y accepts it,
// Ctrl+Alt+N rejects the next. Also makes the suggestions screenshot of docs/annotating.md.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from '../host/paths.mjs';
import { useWorkbench, waitForFile } from './support.mjs';

const ARTICLE = '000_a5c2016fc8888533.txt';

describe('e2e: suggestions from tag all occurrences', function () {
  const session = useWorkbench();
  let sidecar;

  before(async function () {
    // Set-up as a reviewer would leave it: only the first "Laftit" tagged (the others' lines deleted).
    sidecar = path.join(session.folder, `${ARTICLE}.ann.yaml`);
    const lines = fs.readFileSync(sidecar, 'utf8').split('\n');
    const laftit = lines.filter((l) => l.includes('text: "Laftit"'));
    assert.ok(laftit.length > 2);
    fs.writeFileSync(sidecar, lines.filter((l) => !laftit.slice(1).includes(l)).join('\n'));
  });

  const entities = () => parse(fs.readFileSync(sidecar, 'utf8')).entities ?? [];

  it('Ctrl+Alt+A suggests the other occurrences: dotted in the editor, listed in the sidebar', async function () {
    const { wb, page } = session;
    await wb.openFile(ARTICLE);
    // The article opens with "Laftit": the cursor at its start is on the entity.
    await wb.activeEditor.locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    await wb.runCommand('Corpus Annotator: Tag All Occurrences in This Article (as Suggestions)');
    const suggested = await waitForFile(sidecar, (c) => {
      const s = (parse(c).entities ?? []).filter((e) => e.suggested === true);
      return s.length > 0 ? s : undefined;
    });
    assert.ok(suggested.every((e) => e.text === 'Laftit' && e.label === 'PER' && e.src === 'propagated'));
    // Drawn in the suggestion style: a dotted outline.
    await page.waitForFunction(() => [...document.querySelectorAll('.editor-group-container.active [class*="ced-"]')]
      .some((el) => getComputedStyle(el).borderTopStyle === 'dotted'), undefined, { timeout: 15_000 });

    await wb.openAnnotationsView();
    await wb.expandAnnotationRow(ARTICLE);
    await wb.annotationRows('Suggestions').first().waitFor();
    await wb.expandAnnotationRow('Suggestions');
    const shot = await wb.screenshot('e2e-suggestions');
    if (process.env.UPDATE_SCREENSHOTS) {
      fs.copyFileSync(shot, path.join(REPO_ROOT, 'media', 'suggestions.png'));
      console.log('      updated media/suggestions.png');
    }
  });

  it('Ctrl+Alt+] goes to a suggestion, Ctrl+Alt+Y accepts it, Ctrl+Alt+N rejects the next', async function () {
    const { wb, page } = session;
    const before = entities().filter((e) => e.suggested === true).length;
    await wb.activeEditor.locator('.view-lines').click();
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('Control+Alt+BracketRight');
    await page.locator('.statusbar-item', { hasText: '(6 selected)' }).first().waitFor();
    await page.keyboard.press('Control+Alt+Y');
    await waitForFile(sidecar, (c) => ((parse(c).entities ?? []).filter((e) => e.suggested === true).length === before - 1 ? true : undefined));
    // The selection moves on to the next suggestion by itself, and the status bar says so: N rejects it.
    await page.locator('.statusbar-item', { hasText: `(${before - 1} left)` }).first().waitFor();
    await page.keyboard.press('Control+Alt+N');
    const after = await waitForFile(sidecar, (c) => {
      const all = parse(c).entities ?? [];
      return all.filter((e) => e.suggested === true).length === before - 2 ? all : undefined;
    });
    assert.equal(after.filter((e) => e.text === 'Laftit' && e.suggested !== true).length, 2, 'the first one and the accepted one');
  });
});
