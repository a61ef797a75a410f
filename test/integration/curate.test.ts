// Curation in the real VS Code: two annotators' folders into a gold folder of the workspace, then the
// disagreement settled with the suggestion commands the keys run (Ctrl+Alt+N reject, Ctrl+Alt+Y accept).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
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

describe('curation: Curate Annotations From… git branches', () => {
  // A repository of two annotators' branches, alice and bob, of DOC and OTHER; bob's OTHER sidecar is
  // broken, so OTHER is refused (naming the branch, file and line) and DOC is curated all the same.
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-curation-git-'));
  const env = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const corpus = path.join(repo, 'corpus');
  const other = fs.readdirSync(workspaceDir()).find((f) => f.endsWith('.txt') && f !== DOC) as string;
  let gold: string;
  const tips: string[] = [];

  before(async () => {
    await activateApi();
    gold = path.join(workspaceDir(), 'gold-branches');
    git('init', '-q', '-b', 'main');
    git('config', 'user.name', 'T');
    git('config', 'user.email', 't@example.com');
    // main holds the articles; each annotator adds sidecars on a branch.
    fs.mkdirSync(corpus);
    for (const f of [DOC, other]) fs.copyFileSync(articleUri(f).fsPath, path.join(corpus, f));
    git('add', '-A');
    git('commit', '-qm', 'articles');
    git('checkout', '-q', '-b', 'alice');
    annotatorCopy(corpus, 'a');
    fs.copyFileSync(`${articleUri(other).fsPath}.ann.yaml`, path.join(corpus, `${other}.ann.yaml`));
    git('add', '-A');
    git('commit', '-qm', 'alice annotates');
    git('checkout', '-q', '-b', 'bob', 'main');
    annotatorCopy(corpus, 'b', 2);
    fs.writeFileSync(path.join(corpus, `${other}.ann.yaml`), 'version: 1\ndocument: x\nentities:\n  - {id: b00000, label: PER, start: 0\n');
    git('add', '-A');
    git('commit', '-qm', 'bob annotates');
    git('checkout', '-q', 'main');
    tips.push(git('rev-parse', 'alice', 'bob', 'main'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    fs.rmSync(gold, { recursive: true, force: true });
    fs.rmSync(repo, { recursive: true, force: true });
  });

  it('curates two branches into the gold folder, refuses the article whose sidecar is broken on one branch, writes nothing to git', async () => {
    const summary = await vscode.commands.executeCommand<CurationSummary>('corpusAnnotator.curateAnnotations', {
      repository: vscode.Uri.file(corpus).toString(),
      branches: ['alice', 'bob'],
      out: vscode.Uri.file(gold).toString(),
    });
    assert.ok(summary, 'the command returned its summary');
    assert.deepEqual(summary.written, [DOC]);
    assert.equal(summary.failed.length, 1);
    assert.equal(summary.failed[0]?.document, other);
    assert.match(summary.failed[0]?.error ?? '', new RegExp(`^bob:corpus/${other.replace(/\./g, '\\.')}\\.ann\\.yaml \\(bob\\): not a valid sidecar \\(line \\d+: `));

    // The gold sidecar and article on disk, keyed by their path under the workspace folder (corpus/).
    const shipped = (parse(fs.readFileSync(`${articleUri(DOC).fsPath}.ann.yaml`, 'utf8')) as { entities: SidecarEntity[] }).entities;
    const disputed = shipped[2] as SidecarEntity;
    const entities = (parse(fs.readFileSync(path.join(gold, `${DOC}.ann.yaml`), 'utf8')) as { entities: SidecarEntity[] }).entities;
    assert.equal(entities.filter((e) => !e.suggested && e.attrs?.agreed === 'alice,bob').length, shipped.length - 1);
    assert.deepEqual(entities.filter((e) => e.suggested).map((e) => [e.start, e.end, e.label, e.attrs?.from]), [
      [disputed.start, disputed.end, 'ORG', 'bob'],
      [disputed.start, disputed.end, disputed.label, 'alice'],
    ]);
    assert.ok(fs.readFileSync(path.join(gold, DOC)).equals(fs.readFileSync(articleUri(DOC).fsPath)));
    assert.equal(fs.existsSync(path.join(gold, `${other}.ann.yaml`)), false, 'nothing written for the refused article');
    assert.equal(vscode.window.activeTextEditor?.document.uri.fsPath, path.join(gold, DOC), 'the disagreement is open');

    // Read from git, never checked out: the branches, HEAD and the work tree are as they were.
    assert.equal(git('rev-parse', 'alice', 'bob', 'main'), tips[0]);
    assert.equal(git('rev-parse', '--abbrev-ref', 'HEAD').trim(), 'main');
    assert.equal(git('status', '--porcelain'), '');
    assert.deepEqual(fs.readdirSync(corpus).sort(), [DOC, other].sort(), 'main\'s articles, no branch\'s sidecar: nothing was checked out');
  });

  it('branches of a folder outside any repository: an error, nothing written', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-curation-nogit-'));
    const out = path.join(outside, 'gold');
    try {
      const summary = await vscode.commands.executeCommand<CurationSummary | undefined>('corpusAnnotator.curateAnnotations', {
        repository: vscode.Uri.file(outside).toString(),
        branches: ['alice', 'bob'],
        out: vscode.Uri.file(out).toString(),
      });
      assert.equal(summary, undefined);
      assert.equal(fs.existsSync(out), false);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
