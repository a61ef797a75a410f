// Tagging through the real command, checked on disk. Written before the editor commands existed;
// the first assertion names the missing command if corpusAnnotator.tagWithKey is ever unregistered.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { articleUri, waitForFile } from './helpers';

const ARTICLE = '003_3e55259b9cbe4b4c.txt';
const NAME = 'Abdellatif Hammouchi';

interface Entity { label?: unknown; text?: unknown; start?: unknown; end?: unknown }

/** Every {label, text} object anywhere in the parsed sidecar (its exact layout is not this test's business). */
function entities(node: unknown): Entity[] {
  if (Array.isArray(node)) return node.flatMap(entities);
  if (node && typeof node === 'object') {
    const own = 'label' in node && 'text' in node ? [node as Entity] : [];
    return [...own, ...Object.values(node).flatMap(entities)];
  }
  return [];
}

describe('tagging', () => {
  it('tagWithKey 1 (ctrl+alt+1 = PER) on a selection writes a PER entity to the sidecar on disk', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(
      commands.includes('corpusAnnotator.tagWithKey'),
      'corpusAnnotator.tagWithKey is not registered (the editor commands, src/extension/commands.ts)',
    );

    const uri = articleUri(ARTICLE);
    const sidecar = `${uri.fsPath}.ann.yaml`;
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const start = doc.getText().indexOf(NAME);
    assert.ok(start >= 0, `${NAME} occurs in ${ARTICLE}`);
    // Sidecar offsets count Unicode code points; the editor counts UTF-16 units.
    const codePointStart = [...doc.getText().slice(0, start)].length;
    const isOurs = (e: Entity) => e.label === 'PER' && e.text === NAME && e.start === codePointStart;
    assert.ok(
      !fs.existsSync(sidecar) || !entities(parse(fs.readFileSync(sidecar, 'utf8'))).some(isOurs),
      `precondition: the demo sidecar does not already tag "${NAME}" (else this test would prove nothing)`,
    );
    editor.selection = new vscode.Selection(doc.positionAt(start), doc.positionAt(start + NAME.length));

    await vscode.commands.executeCommand('corpusAnnotator.tagWithKey', 1);

    const entity = await waitForFile(sidecar, (content) => {
      try {
        return entities(parse(content)).find(isOurs);
      } catch {
        return undefined; // caught mid-write: wait for the next change
      }
    }, { what: `a PER entity "${NAME}" at code point ${codePointStart} in ${sidecar}` });
    assert.equal(Number(entity.end) - Number(entity.start), NAME.length, 'end - start spans the name');
  });
});
