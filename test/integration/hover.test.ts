// The entity hover through VS Code's own hover command (vscode.executeHoverProvider), as the
// editor asks for it: label with its key, text, id, provenance, note, attributes and command links.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activateApi, articleUri, waitForStore } from './helpers';

interface Entity { id: string; label: string; start: number; end: number; text: string; note?: string; attrs?: Record<string, string> }
interface Api {
  annotations(article: vscode.Uri): Promise<{ kind: string; sidecar: { entities: Entity[] } }>;
  readonly onDidChange: vscode.Event<{ article: vscode.Uri }>;
}

// 004: "93e session d’Interpol" (EVENT euzaai) contains "Interpol" (ORG m0s9zc).
const ARTICLE = '004_b0de303a7d7bdf73.txt';
const OUTER = 'euzaai';
const INNER = 'm0s9zc';
const keyHint = (slot: number) => (process.platform === 'darwin' ? `⌘⌥${slot}` : `Ctrl+Alt+${slot}`);

/** A sidecar offset (code points) as an editor position (UTF-16), computed independently of the extension. */
function positionOf(doc: vscode.TextDocument, codePoint: number): vscode.Position {
  return doc.positionAt([...doc.getText()].slice(0, codePoint).join('').length);
}

/** The markdown of every hover at `position`. */
async function hoverAt(uri: vscode.Uri, position: vscode.Position): Promise<{ hovers: vscode.Hover[]; markdown: string }> {
  const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
  const markdown = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  return { hovers, markdown };
}

function link(command: string, article: vscode.Uri, id: string): string {
  return `command:corpusAnnotator.${command}?${encodeURIComponent(JSON.stringify([{ article: article.toString(), id }]))}`;
}

/** Resolves once `check()` (re-run after each store change) is true; bounded. */

describe('hover', () => {
  let api: Api;
  let uri: vscode.Uri;
  let doc: vscode.TextDocument;
  let outer: Entity;
  let inner: Entity;

  before(async () => {
    api = await activateApi();
    uri = articleUri(ARTICLE);
    const ann = await api.annotations(uri);
    assert.equal(ann.kind, 'ok');
    const find = (id: string) => {
      const e = ann.sidecar.entities.find((x) => x.id === id);
      assert.ok(e, `precondition: ${id} is in the sidecar of ${ARTICLE}`);
      return e;
    };
    outer = find(OUTER);
    inner = find(INNER);
    assert.ok(outer.start <= inner.start && inner.end <= outer.end, 'precondition: nested');
    doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
  });

  it('shows label and key, text, id, by, src and the command links of the entity under the cursor', async () => {
    // On "93e", inside the EVENT but outside the ORG.
    const position = positionOf(doc, outer.start + 1);
    const { hovers, markdown } = await hoverAt(uri, position);
    assert.match(markdown, /\*\*EVENT\*\*/);
    assert.ok(markdown.includes(`EVENT** · ${keyHint(5)}`), `the key hint of EVENT in:\n${markdown}`);
    assert.ok(markdown.includes(`\`${outer.text}\``), `the text "${outer.text}" in:\n${markdown}`);
    assert.ok(markdown.includes(`\`${OUTER}\``), 'the id');
    assert.match(markdown, /by demo/);
    assert.match(markdown, /src manual/);
    assert.ok(markdown.includes(`[Change label](${link('changeLabel', uri, OUTER)}`), `the Change label link in:\n${markdown}`);
    assert.ok(markdown.includes(`[Edit note](${link('editNote', uri, OUTER)}`), 'the Edit note link');
    assert.ok(markdown.includes(`[Remove](${link('removeTag', uri, OUTER)}`), 'the Remove link');
    assert.ok(!markdown.includes(INNER), 'not the nested entity, which is not under the cursor');
    const ours = hovers.find((h) => h.contents.some((c) => typeof c !== 'string' && c.value.includes(OUTER)));
    assert.ok(ours?.range, 'the hover has a range');
    assert.equal(ours.range.start.isEqual(positionOf(doc, outer.start)) && ours.range.end.isEqual(positionOf(doc, outer.end)), true, 'the range is the entity\'s');
  });

  it('lists nested entities innermost first, with the range of the innermost', async () => {
    const { hovers, markdown } = await hoverAt(uri, positionOf(doc, inner.start + 2));
    const i = markdown.indexOf(`\`${INNER}\``);
    const o = markdown.indexOf(`\`${OUTER}\``);
    assert.ok(i >= 0 && o >= 0, `both entities in:\n${markdown}`);
    assert.ok(i < o, 'the innermost first');
    assert.ok(markdown.includes(`**ORG** · ${keyHint(2)}`));
    assert.ok(markdown.includes(link('removeTag', uri, INNER)) && markdown.includes(link('removeTag', uri, OUTER)), 'links for each');
    const ours = hovers.find((h) => h.contents.some((c) => typeof c !== 'string' && c.value.includes(INNER)));
    assert.ok(ours?.range?.start.isEqual(positionOf(doc, inner.start)) && ours.range.end.isEqual(positionOf(doc, inner.end)), 'the range is the innermost entity\'s');
  });

  it('shows nothing of ours outside entities', async () => {
    // The character right after the outer entity (its end is exclusive).
    const { markdown } = await hoverAt(uri, positionOf(doc, outer.end));
    assert.ok(!markdown.includes('command:corpusAnnotator.'), `no entity hover in:\n${markdown}`);
  });

  it('shows a note and attributes written into the sidecar', async () => {
    const sidecar = vscode.Uri.file(`${uri.fsPath}.ann.yaml`);
    const original = await vscode.workspace.fs.readFile(sidecar);
    const text = new TextDecoder().decode(original);
    const line = text.split('\n').find((l) => l.includes(`{id: ${INNER},`));
    assert.ok(line && line.includes(', by: demo'), 'precondition: the entity line');
    const changed = text.replace(line, line.replace(', by: demo', ', note: "voir aussi OIPC", attrs: {kb: "wikidata:Q7215"}, by: demo'));
    try {
      await vscode.workspace.fs.writeFile(sidecar, new TextEncoder().encode(changed));
      await waitForStore(api, async () => {
        const a = await api.annotations(uri);
        return a.kind === 'ok' && a.sidecar.entities.some((e) => e.id === INNER && e.note === 'voir aussi OIPC');
      }, 'the note to be loaded');
      const { markdown } = await hoverAt(uri, positionOf(doc, inner.start));
      assert.match(markdown, /Note: voir aussi OIPC/);
      assert.match(markdown, /`kb`: wikidata:Q7215/);
    } finally {
      await vscode.workspace.fs.writeFile(sidecar, original);
    }
    await waitForStore(api, async () => {
      const a = await api.annotations(uri);
      return a.kind === 'ok' && a.sidecar.entities.some((e) => e.id === INNER && e.note === undefined);
    }, 'the original sidecar to be loaded again');
  });
});
