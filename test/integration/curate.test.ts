// Curation in the real VS Code: two annotators' folders into a gold folder of the workspace, then the
// disagreement settled with the suggestion commands the keys run (Ctrl+Alt+N reject, Ctrl+Alt+Y accept).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import type { CurationSummary } from '../../src/extension/curate-commands';
import { activateApi, articleUri, waitForFile, workspaceDir } from './helpers';

const DOC = '001_e23791ebed5de2ea.txt';

interface SidecarEntity { id: string; label: string; start: number; end: number; text: string; src?: string; suggested?: boolean; attrs?: Record<string, string> }

/** An annotator's copy of DOC in `dir`, with fresh ids; entity `relabel` gets label ORG. */
function annotatorCopy(dir: string, prefix: string, relabel?: number): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(articleUri(DOC).fsPath, path.join(dir, DOC));
  let n = 0;
  const text = fs.readFileSync(`${articleUri(DOC).fsPath}.ann.yaml`, 'utf8').split('\n').map((line) => {
    const m = /^ {2}- \{id: [0-9a-z]+, label: (\w+),(.*)$/.exec(line);
    if (!m) return line;
    const i = n++;
    return `  - {id: ${prefix}${i.toString(36).padStart(5, '0')}, label: ${i === relabel ? 'ORG' : m[1]},${m[2]}`;
  }).join('\n');
  fs.writeFileSync(path.join(dir, `${DOC}.ann.yaml`), text);
}

describe('curation: Curate Annotations From…', () => {
  const inputs = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-curation-'));
  let gold: string;

  before(async () => {
    await activateApi();
    gold = path.join(workspaceDir(), 'gold-curation');
    annotatorCopy(path.join(inputs, 'alice'), 'a');
    annotatorCopy(path.join(inputs, 'bob'), 'b', 2);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(gold, { recursive: true, force: true });
    fs.rmSync(inputs, { recursive: true, force: true });
  });

  it('writes the gold sidecar, opens the disagreement, and the keys settle it', async () => {
    const summary = await vscode.commands.executeCommand<CurationSummary>('corpusAnnotator.curateAnnotations', {
      inputs: [vscode.Uri.file(path.join(inputs, 'alice')).toString(), vscode.Uri.file(path.join(inputs, 'bob')).toString()],
      out: vscode.Uri.file(gold).toString(),
    });
    assert.ok(summary, 'the command returned its summary');
    assert.deepEqual(summary.failed, []);
    assert.deepEqual(summary.written, [DOC]);
    assert.equal(summary.disagreements, 2);
    const shipped = (parse(fs.readFileSync(`${articleUri(DOC).fsPath}.ann.yaml`, 'utf8')) as { entities: SidecarEntity[] }).entities;
    assert.equal(summary.agreed, shipped.length - 1);

    const sidecar = path.join(gold, `${DOC}.ann.yaml`);
    const disputed = shipped[2] as SidecarEntity;
    const entities = () => (parse(fs.readFileSync(sidecar, 'utf8')) as { entities: SidecarEntity[] }).entities;
    assert.deepEqual(entities().filter((e) => e.suggested).map((e) => [e.start, e.end, e.label, e.attrs?.from]), [
      // Same span: ORG (bob) sorts before alice's label.
      [disputed.start, disputed.end, 'ORG', 'bob'],
      [disputed.start, disputed.end, disputed.label, 'alice'],
    ]);

    // The gold article is open with the cursor on the first suggestion.
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.fsPath, path.join(gold, DOC));
    await new Promise<void>((resolve) => setImmediate(resolve));

    // Ctrl+Alt+N: bob's ORG is rejected and the cursor moves on to alice's proposal; Ctrl+Alt+Y accepts it.
    await vscode.commands.executeCommand('corpusAnnotator.rejectSuggestion');
    await waitForFile(sidecar, (text) => ((parse(text) as { entities: SidecarEntity[] }).entities.some((e) => e.label === 'ORG' && e.start === disputed.start) ? undefined : true));
    await vscode.commands.executeCommand('corpusAnnotator.acceptSuggestion');
    const settled = await waitForFile(sidecar, (text) => {
      const es = (parse(text) as { entities: SidecarEntity[] }).entities;
      return es.some((e) => e.suggested) ? undefined : es;
    });
    assert.equal(settled.length, shipped.length);
    const kept = settled.find((e) => e.start === disputed.start && e.end === disputed.end);
    assert.equal(kept?.label, disputed.label);
    assert.equal(kept?.suggested, undefined);
  });

  it('never replaces a gold sidecar that exists', async () => {
    const sidecar = path.join(gold, `${DOC}.ann.yaml`);
    const before = fs.readFileSync(sidecar);
    const summary = await vscode.commands.executeCommand<CurationSummary>('corpusAnnotator.curateAnnotations', {
      inputs: [vscode.Uri.file(path.join(inputs, 'alice')).toString(), vscode.Uri.file(path.join(inputs, 'bob')).toString()],
      out: vscode.Uri.file(gold).toString(),
      open: false,
    });
    assert.deepEqual(summary?.written, []);
    assert.match(summary?.failed[0]?.error ?? '', /exists \(a curation in progress\?\); left untouched/);
    assert.ok(fs.readFileSync(sidecar).equals(before));
  });
});
