// Page object for the VS Code workbench in Chromium: the few user gestures e2e tests are made of.
// Selectors are VS Code 1.100's DOM (code-server 4.100.3); keep them here, not in the tests, so a
// VS Code upgrade is fixed in one place.
import fs from 'node:fs';
import path from 'node:path';
import { RESULTS_DIR } from '../host/paths.mjs';

/** @param {string} s */
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** @param {string} s */
const exactly = (s) => new RegExp(`^\\s*${escapeRe(s)}\\s*$`);

export class Workbench {
  /** @param {import('playwright-core').Page} page */
  constructor(page) {
    this.page = page;
    this.quickInput = page.locator('.quick-input-widget');
    this.activeEditor = page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
  }

  /** Waits until the workbench shows the workspace in the explorer. */
  async waitReady(timeout = 60_000) {
    await this.page.locator('.monaco-workbench').waitFor({ timeout });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor({ timeout });
  }

  /**
   * Clicks a file in the explorer tree (exact name, so `x.txt` never hits `x.txt.ann.yaml`) and
   * waits for its editor.
   * @param {string} name
   */
  async openFile(name) {
    const row = this.page.locator('.explorer-folders-view .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(name) }) }).first();
    const tab = this.page.locator('.editor-group-container.active .tab.active', { hasText: name });
    // The explorer can re-render under the pointer while the workbench settles (a folder row
    // appearing, the first-run article revealed), and the click then lands on another row: seen
    // in CI, the neighbouring article opened. Click again until this file's tab is active.
    for (let attempt = 1; ; attempt++) {
      await row.click();
      try {
        await tab.waitFor({ timeout: 10_000 });
        break;
      } catch (e) {
        if (attempt === 3) throw e;
      }
    }
    await this.activeEditor.locator('.view-lines .view-line').first().waitFor();
  }

  /**
   * Selects the first occurrence of `text` in the active editor the way a user can without a mouse
   * drag: Ctrl+Home, Ctrl+F, type, Escape (the find widget leaves the match selected). Confirmed by
   * the status bar's "(N selected)".
   * @param {string} text
   */
  async selectText(text) {
    await this.activeEditor.locator('.view-lines').click();
    await this.page.keyboard.press('Control+Home');
    await this.page.keyboard.press('Control+F');
    const find = this.page.locator('.find-widget.visible .find-part textarea').first();
    await find.waitFor();
    await find.fill(text);
    await this.page.locator('.find-widget.visible .matchesCount', { hasText: /^1 of \d+/ }).waitFor();
    await this.page.keyboard.press('Escape');
    await this.page.locator('.find-widget.visible').waitFor({ state: 'hidden' });
    await this.page.locator('.statusbar-item', { hasText: `(${text.length} selected)` }).first().waitFor();
  }

  /**
   * Runs a command from the command palette (F1) by its full title, e.g. "Corpus Annotator: Tag Selection As…".
   * @param {string} title
   */
  async runCommand(title, timeout = 30_000) {
    const input = this.quickInput.locator('.quick-input-box input');
    const row = this.quickInput.locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(title) }) }).first();
    // The palette lists the commands whose `when` clause holds at the moment it opens, and does not
    // refresh while open. Right after the workbench loads, an extension may still be activating and
    // set its context keys (e.g. corpusAnnotator.activeArticle) a moment later -- so, like a user,
    // close and reopen the palette until the command is offered (bounded).
    const deadline = Date.now() + timeout;
    for (;;) {
      await this.page.keyboard.press('F1');
      await input.waitFor();
      await input.fill(`>${title}`);
      const found = await row.waitFor({ timeout: 2_000 }).then(() => true, () => false);
      if (found) break;
      if (Date.now() > deadline) throw new Error(`the command palette does not offer "${title}" (its when clause is false, or the command is missing)`);
      await this.page.keyboard.press('Escape');
      await this.quickInput.waitFor({ state: 'hidden' });
    }
    await row.click();
  }

  /**
   * Waits for an open quick pick to list items and returns their labels, in display order.
   * @returns {Promise<string[]>}
   */
  async quickPickLabels() {
    const labels = this.quickInput.locator('.quick-input-list .monaco-list-row .label-name');
    await labels.first().waitFor();
    return (await labels.allInnerTexts()).map((t) => t.trim());
  }

  /**
   * Clicks the quick pick item whose label is exactly `label`, and waits for the pick to close.
   * @param {string} label
   */
  async pickQuickPick(label) {
    const row = this.quickInput.locator('.quick-input-list .monaco-list-row')
      .filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) }).first();
    await row.click();
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /**
   * Waits until an extension decoration (any `ced-*` element: VS Code's class for
   * createTextEditorDecorationType) covers the first visible occurrence of `text` in the active editor.
   * Deliberately tolerant of how the decoration looks: it checks geometry, not colours or classes.
   * @param {string} text
   */
  async waitForDecoration(text, timeout = 15_000) {
    await this.page.waitForFunction(({ text }) => {
      const editor = document.querySelector('.editor-group-container.active .editor-instance .monaco-editor');
      if (!editor) return false;
      for (const line of editor.querySelectorAll('.view-line')) {
        // Monaco renders spaces as U+00A0; same length, so offsets still match.
        const at = (line.textContent ?? '').replace(/\u00a0/g, ' ').indexOf(text);
        if (at < 0) continue;
        const range = document.createRange();
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        let seen = 0;
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const len = node.textContent?.length ?? 0;
          if (seen <= at && at < seen + len) range.setStart(node, at - seen);
          if (seen < at + text.length && at + text.length <= seen + len) range.setEnd(node, at + text.length - seen);
          seen += len;
        }
        const target = [...range.getClientRects()];
        const decorated = [...editor.querySelectorAll('[class*="ced-"]')].some((el) => {
          const r = el.getBoundingClientRect();
          return target.some((t) => Math.min(r.right, t.right) - Math.max(r.left, t.left) > t.width / 2
            && Math.min(r.bottom, t.bottom) - Math.max(r.top, t.top) > 0);
        });
        if (decorated) return true;
      }
      return false;
    }, { text }, { timeout, polling: 100 });
  }

  /** Opens the Annotations view from its activity bar icon and waits for its tree. */
  async openAnnotationsView() {
    await this.page.locator('.activitybar .action-item a[aria-label^="Annotations"], .activitybar .action-item[aria-label^="Annotations"]').first().click();
    await this.annotationRows().first().waitFor();
  }

  /** Rows of the Annotations tree, optionally those whose label is exactly `label`. */
  annotationRows(label) {
    const rows = this.page.locator('.pane-body .monaco-list-row');
    return label === undefined ? rows : rows.filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) });
  }

  /**
   * Expands a collapsed row of the Annotations tree (its twistie), idempotently.
   * @param {string} label
   */
  async expandAnnotationRow(label) {
    const row = this.annotationRows(label).first();
    await row.waitFor();
    if ((await row.getAttribute('aria-expanded')) === 'false') await row.locator('.monaco-tl-twistie').click();
    await this.page.waitForFunction((el) => el?.getAttribute('aria-expanded') === 'true', await row.elementHandle());
  }

  /**
   * Saves a PNG of the whole workbench to test-results/<name>.png and returns its path.
   * @param {string} name
   */
  async screenshot(name) {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    const file = path.join(RESULTS_DIR, `${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }
}
