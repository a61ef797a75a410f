// A sidecar is replaced in one step: another process reading it at any moment during the
// extension's writes finds it, whole (issue 15 item 3: the API's rename deleted it first).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as vscode from 'vscode';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { activateApi, articleUri, waitForStore } from './helpers';

/** Reads `file` every ~2 ms until told to stop on stdin; prints what it saw as JSON. */
const POLLER = `
const fs = require('fs');
const file = process.argv[1];
const seen = new Map();
let reads = 0, missing = 0, stop = false;
process.stdin.on('data', () => { stop = true; });
process.stdout.write('ready\\n');
(function tick() {
  if (stop) { process.stdout.write(JSON.stringify({ reads, missing, contents: [...seen.keys()] }) + '\\n', () => process.exit(0)); return; }
  try { const c = fs.readFileSync(file, 'utf8'); reads++; seen.set(c, true); }
  catch (e) { reads++; if (e.code === 'ENOENT') missing++; else throw e; }
  setTimeout(tick, 2);
})();
`;

interface PollReport { reads: number; missing: number; contents: string[] }

describe('atomic sidecar writes', () => {
  it('another process polling the sidecar during 200 writes never finds it missing or partial', async function () {
    this.timeout(180_000);
    const api = await activateApi();
    const uri = articleUri('002_60ac6a68424218b9.txt');
    const sidecarPath = `${uri.fsPath}.ann.yaml`;
    const original = fs.readFileSync(sidecarPath, 'utf8');
    // The extension host runs on Node: its own executable runs the poller.
    const child = spawn(process.execPath, ['-e', POLLER, sidecarPath], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    let out = '';
    const lines = new Promise<string[]>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
      child.on('error', reject);
      child.on('exit', () => resolve(out.trim().split('\n')));
    });
    console.log(`poller: ${process.execPath}`);
    await new Promise<void>((resolve) => {
      const check = (d: Buffer) => { if (d.toString().includes('ready')) { child.stdout.off('data', check); resolve(); } };
      child.stdout.on('data', check);
    });
    try {
      const doc = await vscode.workspace.openTextDocument(uri);
      const editor = await vscode.window.showTextDocument(doc);
      // A word no entity covers: tagging it adds one entity, removing the tag at it removes that one.
      const text = doc.getText();
      const entities = (await api.annotations(uri)).sidecar.entities;
      const free = [...text.matchAll(/\p{L}{6,}/gu)].find((m) => {
        const start = [...text.slice(0, m.index)].length;
        const end = start + [...m[0]].length;
        return entities.every((e) => e.end <= start || e.start >= end);
      });
      assert.ok(free, 'a word to tag');
      const word = free;
      const at = word.index;
      for (let i = 0; i < 100; i++) {
        editor.selection = new vscode.Selection(doc.positionAt(at), doc.positionAt(at + word[0].length));
        assert.equal(await vscode.commands.executeCommand('corpusAnnotator.tagSelection', 'MISC'), 1, `tag ${i}`);
        editor.selection = new vscode.Selection(doc.positionAt(at + 1), doc.positionAt(at + 1));
        assert.equal(await vscode.commands.executeCommand('corpusAnnotator.removeTag'), 1, `remove ${i}`);
        if (i % 20 === 0) console.log(`write ${2 * i + 2}`);
      }
    } finally {
      child.stdin.end('stop\n');
      const report = JSON.parse((await lines).at(-1) as string) as PollReport;
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.writeFileSync(sidecarPath, original);
      await waitForStore(api, async () => (await api.annotations(uri)).sidecar.entities.length === readSidecar(original).sidecar?.entities.length, 'the shipped sidecar reloaded');
      console.log(`poller: ${report.reads} reads, ${report.missing} missing, ${report.contents.length} distinct contents`);
      assert.equal(report.missing, 0, `the sidecar was missing in ${report.missing} of ${report.reads} reads`);
      assert.ok(report.reads > 200, `the poller read often enough (${report.reads} reads)`);
      for (const c of report.contents) {
        const parsed = readSidecar(c);
        assert.deepEqual(parsed.problems, [], `every content read is a whole sidecar:\n${c}`);
      }
      assert.ok(report.contents.length >= 2, 'the poller saw the writes');
    }
  });
});
