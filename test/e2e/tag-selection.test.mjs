// A user tags a name from the UI: explorer click, find-select, command palette, quick pick.
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { useWorkbench, waitForFile } from './support.mjs';

const ARTICLE = '003_3e55259b9cbe4b4c.txt';
const NAME = 'Abdellatif Hammouchi';

/**
 * Every {label, text} object anywhere in a parsed sidecar.
 * @param {unknown} node
 * @returns {{ label?: unknown, text?: unknown, start?: unknown, end?: unknown }[]}
 */
function entities(node) {
  if (Array.isArray(node)) return node.flatMap(entities);
  if (node && typeof node === 'object') {
    return [...('label' in node && 'text' in node ? [node] : []), ...Object.values(node).flatMap(entities)];
  }
  return [];
}

describe('e2e: tagging from the UI', function () {
  const session = useWorkbench();

  it('"Tag Selection As…" + PER from the palette writes the entity to the sidecar on disk', async function () {
    const { wb, folder } = session;
    const sidecar = path.join(folder, `${ARTICLE}.ann.yaml`);
    const existing = fs.existsSync(sidecar) ? entities(parse(fs.readFileSync(sidecar, 'utf8'))) : [];
    assert.ok(!existing.some((e) => e.text === NAME), `precondition: the demo sidecar does not tag "${NAME}" yet`);

    await wb.openFile(ARTICLE);
    await wb.selectText(NAME);
    await wb.screenshot('e2e-tag-selection-1-selected');
    await wb.runCommand('Corpus Annotator: Tag Selection As…');
    const labels = await wb.quickPickLabels();
    for (const label of ['PER', 'ORG', 'LOC', 'DATE', 'EVENT', 'MISC']) assert.ok(labels.includes(label), `the label pick offers ${label}: ${labels}`);
    await wb.screenshot('e2e-tag-selection-2-label-pick');
    await wb.pickQuickPick('PER');

    const entity = await waitForFile(sidecar, (content) => entities(parse(content)).find((e) => e.label === 'PER' && e.text === NAME));
    assert.equal(Number(entity.end) - Number(entity.start), NAME.length);
  });

  it('draws a decoration over the tagged name in the editor', async function () {
    await session.wb.waitForDecoration(NAME);
    await session.wb.screenshot('e2e-tag-selection-3-tagged');
  });
});
