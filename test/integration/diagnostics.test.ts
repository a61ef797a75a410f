// The Problems panel in the real VS Code: a sidecar broken on disk shows its error at the right
// line, the article says why nothing is highlighted, commands write nothing over the broken file,
// and everything comes back once it is fixed. Every file a test changes is restored.
import { strict as assert } from 'node:assert';
import * as vscode from 'vscode';
import { activateApi, articleUri, waitForStore, waitUntil, workspaceDir } from './helpers';

/** The part of the extension's API these tests use (they must not import src/: a second copy). */
interface Api {
  annotations(article: vscode.Uri): Promise<{ kind: string; sidecar: { entities: unknown[] } }>;
  decorations(article: vscode.Uri): Record<string, vscode.Range[]>;
  readonly onDidChange: vscode.Event<{ article: vscode.Uri }>;
}

const SOURCE = 'corpus-annotator';
const ARTICLE = '004_b0de303a7d7bdf73.txt';

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/**
 * Resolves with `check()`'s first truthy value, checked now and after each diagnostics change of
 * one of `uris`; fails after `timeoutMs`.
 */
function waitForDiagnostics<T>(uris: vscode.Uri[], check: () => T | undefined | false, what: string, timeoutMs = 15_000): Promise<T> {
  const keys = new Set(uris.map((u) => u.toString()));
  return new Promise<T>((resolve, reject) => {
    const probe = (): boolean => {
      const v = check();
      if (v === undefined || v === false) return false;
      finish();
      resolve(v);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => keys.has(u.toString()))) probe();
    });
    const timer = setTimeout(() => {
      finish();
      const now = uris.map((u) => `${u.fsPath}: ${JSON.stringify(ours(u).map((d) => [d.range.start.line, d.severity, d.message]))}`).join('\n');
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; diagnostics now:\n${now}`));
    }, timeoutMs);
    function finish(): void {
      sub.dispose();
      clearTimeout(timer);
    }
    probe();
  });
}

function drawn(api: Api, article: vscode.Uri): number {
  return Object.values(api.decorations(article)).reduce((n, ranges) => n + ranges.length, 0);
}

/** Byte equality, whatever Uint8Array subclass (Buffer, VSBuffer's) each side is. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

const encode = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

describe('diagnostics', () => {
  let api: Api;

  before(async () => {
    api = await activateApi();
  });

  it('shows a sidecar broken on disk in the Problems panel, draws nothing, overwrites nothing, and recovers once it is restored', async () => {
    const article = articleUri(ARTICLE);
    const sidecar = vscode.Uri.file(`${article.fsPath}.ann.yaml`);
    const original = await vscode.workspace.fs.readFile(sidecar);
    const before = await api.annotations(article);
    assert.equal(before.kind, 'ok', 'precondition: the demo sidecar is valid');
    const count = before.sidecar.entities.length;
    assert.ok(count > 0);
    const doc = await vscode.workspace.openTextDocument(article);
    const editor = await vscode.window.showTextDocument(doc);
    // Decorations have no event: poll (bounded).
    await waitUntil(() => drawn(api, article) === count, `the ${count} entities of ${ARTICLE} are drawn`);
    assert.deepEqual(ours(sidecar), [], 'precondition: no problem reported on the demo sidecar');

    // Line 7 (0-based 6) is the first entity; its text no longer matches the article.
    const lines = decode(original).split('\n');
    assert.match(lines[6] ?? '', /^ {2}- \{id: l1vgwr, .*text: "Maroc"/);
    lines[6] = (lines[6] ?? '').replace('text: "Maroc"', 'text: "Maroq"');
    const broken = encode(lines.join('\n'));
    try {
      // The extension's own file watcher sees the change and reloads the sidecar.
      await vscode.workspace.fs.writeFile(sidecar, broken);
      const error = await waitForDiagnostics([sidecar], () => ours(sidecar).find((d) => d.severity === vscode.DiagnosticSeverity.Error), 'an error on the sidecar');
      assert.equal(error.range.start.line, 6, 'at the entity\'s line');
      assert.equal(error.range.end.line, 6);
      assert.equal(error.range.end.character, (lines[6] ?? '').length, 'to the end of that line');
      assert.equal(error.code, 'text-mismatch');
      assert.match(error.message, /l1vgwr/);

      const onArticle = await waitForDiagnostics([article], () => ours(article)[0], 'the warning on the article');
      assert.equal(onArticle.severity, vscode.DiagnosticSeverity.Warning);
      assert.equal(onArticle.range.start.line, 0);
      assert.equal(onArticle.message, `Annotations not shown: the sidecar ${ARTICLE}.ann.yaml has 1 error(s)`);
      assert.equal(onArticle.relatedInformation?.[0]?.location.uri.toString(), sidecar.toString(), 'points to the error in the sidecar');

      const ann = await api.annotations(article);
      assert.equal(ann.kind, 'invalid');
      assert.equal(ann.sidecar.entities.length, 0, 'no stale entities');
      assert.equal(drawn(api, article), 0, 'nothing highlighted');

      // Tagging is refused: the broken file is left exactly as it is.
      const start = doc.getText().indexOf('Marrakech');
      assert.ok(start >= 0);
      editor.selection = new vscode.Selection(doc.positionAt(start), doc.positionAt(start + 'Marrakech'.length));
      await vscode.commands.executeCommand('corpusAnnotator.tagSelection', 'PER');
      assert.ok(sameBytes(await vscode.workspace.fs.readFile(sidecar), broken), 'the sidecar is unchanged');
      assert.equal((await api.annotations(article)).kind, 'invalid');
    } finally {
      await vscode.workspace.fs.writeFile(sidecar, original);
    }

    await waitForDiagnostics([sidecar, article], () => ours(sidecar).length === 0 && ours(article).length === 0, 'the problems to clear');
    await waitForStore(api, async () => {
      const a = await api.annotations(article);
      return a.kind === 'ok' && a.sidecar.entities.length === count;
    }, `the ${count} entities to come back`);
    await waitUntil(() => drawn(api, article) === count, `the ${count} entities to be drawn again`);
    assert.ok(sameBytes(await vscode.workspace.fs.readFile(sidecar), original), 'the original bytes are back');
  });

  it('positions a YAML syntax error at its line and column', async () => {
    const article = articleUri(ARTICLE);
    const sidecar = vscode.Uri.file(`${article.fsPath}.ann.yaml`);
    const original = await vscode.workspace.fs.readFile(sidecar);
    assert.equal((await api.annotations(article)).kind, 'ok');
    const lines = decode(original).split('\n');
    lines[6] = (lines[6] ?? '').replace('{id: l1vgwr,', '{id: l1vgwr,,'); // an extra comma at column 17
    try {
      await vscode.workspace.fs.writeFile(sidecar, encode(lines.join('\n')));
      const error = await waitForDiagnostics([sidecar], () => ours(sidecar).find((d) => d.code === 'yaml-syntax'), 'a YAML syntax error');
      assert.equal(error.severity, vscode.DiagnosticSeverity.Error);
      assert.deepEqual([error.range.start.line, error.range.start.character], [6, 16]);
      assert.equal(error.range.end.character, (lines[6] ?? '').length);
      assert.equal((await api.annotations(article)).kind, 'invalid');
    } finally {
      await vscode.workspace.fs.writeFile(sidecar, original);
    }
    await waitForDiagnostics([sidecar, article], () => ours(sidecar).length === 0 && ours(article).length === 0, 'the problems to clear');
    await waitForStore(api, async () => (await api.annotations(article)).kind === 'ok', 'the sidecar to be valid again');
  });

  it('reports a new sidecar of an article nobody opened', async () => {
    const article = vscode.Uri.joinPath(vscode.Uri.file(workspaceDir()), 'zz_diagnostics_probe.txt');
    const sidecar = vscode.Uri.file(`${article.fsPath}.ann.yaml`);
    await vscode.workspace.fs.writeFile(article, encode('Bonjour Paris.\n'));
    try {
      await vscode.workspace.fs.writeFile(sidecar, encode([
        '# Corpus Annotator sidecar. Offsets are Unicode code points, end-exclusive. Check with: corpus-annotator validate',
        'version: 1',
        'document: zz_diagnostics_probe.txt',
        'status: todo',
        'entities:',
        '  - {id: aaaaaa, label: LOC, start: 8, end: 13, text: "Paris"}',
        '  - {id: bbbbbb, label: PER, start: 0, end: 7, text: "Bonsoir"}',
        '',
      ].join('\n')));
      const error = await waitForDiagnostics([sidecar], () => ours(sidecar).find((d) => d.severity === vscode.DiagnosticSeverity.Error), 'an error on the new sidecar');
      assert.equal(error.range.start.line, 6);
      assert.equal(error.code, 'text-mismatch');
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === article.toString()), 'the article was never opened');
      await waitForDiagnostics([article], () => ours(article).length === 1, 'the warning on the article');
    } finally {
      await vscode.workspace.fs.delete(sidecar).then(undefined, () => undefined);
    }
    // Deleting the sidecar reloads the article without annotations: nothing left to report.
    await waitForDiagnostics([sidecar, article], () => ours(sidecar).length === 0 && ours(article).length === 0, 'the problems to clear');
    await vscode.workspace.fs.delete(article);
  });

  it('reports the label configuration\'s problems on .corpus-annotator.yaml', async () => {
    const config = vscode.Uri.joinPath(vscode.Uri.file(workspaceDir()), '.corpus-annotator.yaml');
    const original = await vscode.workspace.fs.readFile(config);
    const lines = decode(original).split('\n');
    const line = lines.findIndex((l) => l.startsWith('overlap: '));
    assert.ok(line >= 0, 'precondition: the demo configuration sets overlap');
    lines[line] = 'overlap: sometimes';
    // Articles are loaded when opened or checked, not all at start: load the demo's, so that each
    // is one a configuration change revalidates (waited for below).
    const articles = (await vscode.workspace.findFiles('*.txt')).filter((u) => !u.path.endsWith('zz_diagnostics_probe.txt'));
    for (const a of articles) await api.annotations(a);
    try {
      await vscode.workspace.fs.writeFile(config, encode(lines.join('\n')));
      const error = await waitForDiagnostics([config], () => ours(config)[0], 'a problem on the configuration');
      assert.equal(error.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(error.range.start.line, line);
      assert.match(error.message, /overlap/);
    } finally {
      await vscode.workspace.fs.writeFile(config, original);
    }
    // A configuration change revalidates every loaded article: wait until each demo article has been
    // reloaded since the restore, so no reload is still running when the next test starts editing.
    const reloaded = new Set<string>();
    const sub = api.onDidChange(({ article }) => reloaded.add(article.toString()));
    try {
      await waitForDiagnostics([config], () => ours(config).length === 0, 'the configuration problem to clear');
      await waitForStore(api, async () => {
        if (!articles.every((a) => reloaded.has(a.toString()))) return false;
        for (const a of articles) if ((await api.annotations(a)).kind !== 'ok') return false;
        return true;
      }, 'every article to be revalidated against the restored configuration');
    } finally {
      sub.dispose();
    }
  });
});
