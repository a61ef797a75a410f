// The extension in the browser's web worker extension host (as on vscode.dev / github.dev),
// driven from the UI: tag a name from the palette, check the sidecar on disk.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { useWorkbench, waitForFile } from './support.mjs';

const ARTICLE = '004_b0de303a7d7bdf73.txt';
const TEXT = 'Assemblée générale';

describe('e2e: in the browser (web worker extension host)', function () {
  const session = useWorkbench({
    // The same switch test/host/run-web.mjs uses: run this extension in the web worker host.
    settings: { 'remote.extensionKind': { 'corpus-annotator.corpus-annotator': ['web'] } },
    failurePrefix: 'FAILED-web-',
  });

  it('runs in the web worker host and tags from the palette, writing the sidecar on disk', async function () {
    const { wb, page, folder } = session;
    const sidecar = path.join(folder, `${ARTICLE}.ann.yaml`);
    const before = parse(fs.readFileSync(sidecar, 'utf8')).entities.length;

    await wb.openFile(ARTICLE);
    await wb.selectText(TEXT);
    await wb.runCommand('Corpus Annotator: Tag Selection As…');
    await wb.pickQuickPick('MISC');
    const entity = await waitForFile(sidecar, (content) => parse(content).entities.find((e) => e.label === 'MISC' && e.text === TEXT));
    assert.equal(entity.end - entity.start, TEXT.length);
    assert.equal(parse(fs.readFileSync(sidecar, 'utf8')).entities.length, before + 1);
    await wb.waitForDecoration(TEXT);

    // Its log says where it runs.
    await wb.runCommand('Output: Show Output Channels...');
    await wb.pickQuickPick('Corpus Annotator');
    await page.locator('.output-view .view-lines', { hasText: "activated in the browser's web worker extension host" }).first().waitFor({ timeout: 15_000 });
    await wb.screenshot('e2e-web-host');
  });
});
