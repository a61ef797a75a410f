// Working in git, inside VS Code: a sidecar left with `conflicts:` by the merge driver is an error
// in the Problems panel (and not used), and "Compare Annotations With…" shows the differences with
// another version as a tree whose rows accept the left version or keep the current one.
// Every file a test changes is restored.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { parse } from 'yaml';
import { activateApi, articleUri, poll, waitForFile, waitForStore, waitUntil, workspaceDir } from './helpers';

interface Api {
  annotations(article: vscode.Uri): Promise<{ kind: string; sidecar: { entities: Array<{ id: string; label: string }> } }>;
  readonly onDidChange: vscode.Event<{ article: vscode.Uri }>;
}

interface CompareState {
  article?: string;
  left?: string;
  rows: Array<{ group: 'added' | 'removed' | 'changed'; id: string; label: string; description: string; contextValue: string }>;
  message?: string;
}

interface SidecarEntity { id: string; label: string; start: number; end: number; text: string }

const ARTICLE = '002_60ac6a68424218b9.txt';
const line = (e: SidecarEntity) => `  - {id: ${e.id}, label: ${e.label}, start: ${e.start}, end: ${e.end}, text: ${JSON.stringify(e.text)}}`;

const compareState = async () => (await vscode.commands.executeCommand<CompareState>('corpusAnnotator.compare._state')) as CompareState;

describe('working in git', () => {
  let api: Api;
  const article = () => articleUri(ARTICLE);
  const sidecarPath = () => `${article().fsPath}.ann.yaml`;
  let original: string;

  before(async () => {
    api = await activateApi();
    original = fs.readFileSync(sidecarPath(), 'utf8');
  });

  afterEach(async () => {
    if (fs.readFileSync(sidecarPath(), 'utf8') !== original) {
      fs.writeFileSync(sidecarPath(), original);
      const ids = (parse(original) as { entities: SidecarEntity[] }).entities.map((e) => e.id).sort().join();
      await waitForStore(api, async () => {
        const a = await api.annotations(article());
        return a.kind === 'ok' && a.sidecar.entities.map((e) => e.id).sort().join() === ids;
      }, 'the shipped sidecar reloaded');
    }
  });

  it('a sidecar with unresolved `conflicts:` is an error in the Problems panel at the conflict, and is not used', async () => {
    const entities = (parse(original) as { entities: SidecarEntity[] }).entities;
    const first = entities[0] as SidecarEntity;
    const conflicted = original.replace(`${line(first)}\n`, '')
      + `conflicts:\n  - id: ${first.id}\n    reason: "changed differently on both sides: label (ours LOC, theirs ORG)"\n`
      + `    ours:\n    ${line(first)}\n    theirs:\n    ${line({ ...first, label: 'ORG' })}\n`;
    fs.writeFileSync(sidecarPath(), conflicted);
    const sidecar = vscode.Uri.file(sidecarPath());
    const itemLine = conflicted.split('\n').indexOf(`  - id: ${first.id}`);
    await waitUntil(() => vscode.languages.getDiagnostics(sidecar).some((d) => d.code === 'unresolved-conflict'), 'the conflict in the Problems panel');
    const d = vscode.languages.getDiagnostics(sidecar).find((x) => x.code === 'unresolved-conflict') as vscode.Diagnostic;
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(d.range.start.line, itemLine);
    assert.match(d.message, new RegExp(`^unresolved annotation conflict on ${first.id} \\(changed differently on both sides: label \\(ours LOC, theirs ORG\\)\\); resolve with \`corpus-annotator resolve --ours`));
    assert.equal((await api.annotations(article())).kind, 'invalid');
  });

  it('"Compare Annotations With…" another sidecar: a tree of added, removed and changed entities; accept left, keep right', async () => {
    const entities = (parse(original) as { entities: SidecarEntity[] }).entities;
    const [a, b, c] = entities as [SidecarEntity, SidecarEntity, SidecarEntity];
    // The left version: a relabelled, b missing, and one entity the current annotations lack.
    const extra: SidecarEntity = { ...c, id: 'zleft1', label: 'MISC' };
    const leftLines = original.split('\n')
      .filter((l) => !l.includes(`id: ${b.id},`))
      .map((l) => (l.includes(`id: ${a.id},`) ? l.replace(`label: ${a.label},`, 'label: EVENT,') : l));
    leftLines.splice(leftLines.findIndex((l) => l.includes(`id: ${c.id},`)) + 1, 0, line(extra));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-compare-'));
    const leftFile = path.join(dir, 'alice.ann.yaml');
    fs.writeFileSync(leftFile, leftLines.join('\n'));
    try {
      const ok = await vscode.commands.executeCommand<boolean>('corpusAnnotator.compareWith', { article: article().toString(), file: vscode.Uri.file(leftFile).toString() });
      assert.equal(ok, true);
      let state = await compareState();
      assert.match(state.left ?? '', /alice\.ann\.yaml$/, 'named by its path');
      assert.deepEqual(state.rows.map((r) => [r.group, r.id]).sort(), [['added', b.id], ['changed', a.id], ['removed', 'zleft1']].sort());
      const changedRow = state.rows.find((r) => r.id === a.id);
      assert.equal(changedRow?.label, `${a.label} «${a.text}»`);
      assert.match(changedRow?.description ?? '', new RegExp(`EVENT → ${a.label}`));

      // Accept left on the relabel: the working copy takes EVENT.
      await vscode.commands.executeCommand('corpusAnnotator.compare.acceptLeft', a.id);
      await waitForFile(sidecarPath(), (t) => t.includes(`{id: ${a.id}, label: EVENT,`), { what: `${a.id} relabelled EVENT on disk` });
      // Accept left on the entity only on the left: it is added.
      await vscode.commands.executeCommand('corpusAnnotator.compare.acceptLeft', 'zleft1');
      await waitForFile(sidecarPath(), (t) => t.includes('{id: zleft1, label: MISC,'), { what: 'zleft1 added on disk' });
      // Keep right on the entity only in the current annotations: dismissed, nothing written.
      const before = fs.readFileSync(sidecarPath(), 'utf8');
      await vscode.commands.executeCommand('corpusAnnotator.compare.acceptRight', b.id);
      state = await poll(async () => {
        const now = await compareState();
        return now.rows.length === 0 ? now : undefined;
      }, 'no difference left', 10_000);
      assert.deepEqual(state.rows, []);
      assert.match(state.message ?? '', /^No differences between .*alice\.ann\.yaml \(left\) and the current annotations \(right\)\.$/);
      assert.equal(fs.readFileSync(sidecarPath(), 'utf8'), before);
      assert.ok(before.includes(`{id: ${b.id},`), 'the kept entity is still there');
      await vscode.commands.executeCommand('corpusAnnotator.compare.close');
      assert.deepEqual((await compareState()).rows, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('"Compare Annotations With…" HEAD, through VS Code\'s Git extension', async function () {
    const dir = workspaceDir();
    const gitEnv = { ...process.env, GIT_CONFIG_GLOBAL: os.devNull, GIT_CONFIG_NOSYSTEM: '1' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: gitEnv, stdio: 'pipe' });
    const config = vscode.workspace.getConfiguration('git');
    git('init', '-q');
    try {
      git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'add', '-A');
      git('-c', 'user.name=Test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', 'corpus');
      await config.update('enabled', true, vscode.ConfigurationTarget.Global); // the test host turns git off
      const gitExt = vscode.extensions.getExtension<{ enabled: boolean; getAPI(v: 1): { getRepository(u: vscode.Uri): unknown } }>('vscode.git');
      assert.ok(gitExt, 'the built-in Git extension');
      const exports = await gitExt.activate();
      await waitUntil(() => exports.enabled, 'the Git extension to be enabled');
      const gitApi = exports.getAPI(1);
      await vscode.commands.executeCommand('git.openRepository', dir);
      await waitUntil(() => gitApi.getRepository(article()) !== null, 'the Git extension to open the repository');

      const entities = (parse(original) as { entities: SidecarEntity[] }).entities;
      const a = entities[0] as SidecarEntity;
      fs.writeFileSync(sidecarPath(), original.replace(`{id: ${a.id}, label: ${a.label},`, `{id: ${a.id}, label: MISC,`));
      await waitForStore(api, async () => (await api.annotations(article())).sidecar.entities.some((e) => e.id === a.id && e.label === 'MISC'), 'the relabel to be loaded');
      assert.equal(await vscode.commands.executeCommand<boolean>('corpusAnnotator.compareWith', { article: article().toString(), ref: 'HEAD' }), true);
      const state = await compareState();
      assert.equal(state.left, 'HEAD');
      assert.deepEqual(state.rows.map((r) => [r.group, r.id, r.description]), [['changed', a.id, `${a.start}-${a.end} · ${a.label} → MISC`]]);
      await vscode.commands.executeCommand('corpusAnnotator.compare.acceptLeft', a.id);
      await waitForFile(sidecarPath(), (t) => t === original, { what: 'the sidecar back to HEAD\'s version' });
      await vscode.commands.executeCommand('corpusAnnotator.compare.close');
    } finally {
      // Back to the test host's `git.enabled: false` (removing the key would leave the default,
      // true). The repository stays: the Git extension keeps running git in it in the background
      // (check-ignore on a timer), and a deleted .git made those runs fail with an uncaught EPIPE
      // that mocha blamed on whichever test came next. The workspace is a throwaway copy.
      await config.update('enabled', false, vscode.ConfigurationTarget.Global);
    }
  });
});
