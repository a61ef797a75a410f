// A new user's first minutes, on a folder without any workspace settings (no .vscode/settings.json):
// long articles wrap, sidecars are nested under their article in the Explorer, and the walkthrough
// opens and leads to the first tag.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { useWorkbench } from './support.mjs';

const ARTICLE = '003_3e55259b9cbe4b4c.txt';

describe('e2e: first run on a folder without settings', function () {
  const session = useWorkbench({
    prepare: (folder) => fs.rmSync(path.join(folder, '.vscode'), { recursive: true, force: true }),
    failurePrefix: 'FAILED-first-run-',
  });

  it('wraps a long article: no line runs past the editor', async function () {
    const { wb, page, folder } = session;
    const longest = Math.max(...fs.readFileSync(path.join(folder, ARTICLE), 'utf8').split('\n').map((l) => l.length));
    assert.ok(longest > 1000, `the article has a long line (${longest} characters)`);
    // The Explorer re-renders the article's row once file nesting gives it children: wait for that
    // (it becomes a collapsed parent), or the click can land on the row being replaced.
    await page.locator('.explorer-folders-view .monaco-list-row[aria-expanded="false"]')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${ARTICLE.replace(/\./g, '\\.')}\\s*$`) }) }).first().waitFor();
    await wb.openFile(ARTICLE);
    // Wrapped: the editor's content is as wide as the editor (unwrapped, a 1,000+ character line
    // makes it many times wider), and lines are split across view lines.
    const { content, editor } = await page.evaluate(() => {
      const ed = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor');
      const lines = ed?.querySelector('.view-lines');
      return { content: lines?.scrollWidth ?? 0, editor: ed?.getBoundingClientRect().width ?? 0 };
    });
    assert.ok(editor > 0 && content <= editor * 1.05, `the content (${content} px) fits the editor (${editor} px)`);
    await wb.screenshot('e2e-first-run-wrapped');
  });

  it('nests each sidecar under its article in the Explorer', async function () {
    const { page } = session;
    const row = (name) => page.locator('.explorer-folders-view .monaco-list-row')
      .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^\\s*${name.replace(/\./g, '\\.')}\\s*$`) }) });
    const article = row(ARTICLE).first();
    await article.waitFor();
    // The article is a collapsed parent; its sidecar is not a row of its own until it is expanded.
    assert.equal(await article.getAttribute('aria-expanded'), 'false');
    assert.equal(await row(`${ARTICLE}.ann.yaml`).count(), 0);
    await article.locator('.monaco-tl-twistie').click();
    await row(`${ARTICLE}.ann.yaml`).first().waitFor();
  });

  it('opens the walkthrough from the Welcome page', async function () {
    const { wb, page } = session;
    await wb.runCommand('Welcome: Open Walkthrough...');
    await wb.pickQuickPick('Get Started with Corpus Annotator');
    const steps = page.locator('.getting-started-step .step-title');
    await steps.first().waitFor({ timeout: 15_000 });
    const titles = (await steps.allInnerTexts()).map((t) => t.trim());
    assert.deepEqual(titles.slice(0, 3), ['Open a folder of articles', 'Configure your labels', 'Tag with a key']);
    assert.ok(titles.includes('Export training data'), titles.join(' | '));
    await wb.screenshot('e2e-walkthrough');
  });
});
