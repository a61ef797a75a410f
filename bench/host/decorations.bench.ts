// Figure 4 (and figure 2 as the editor lives it): an open document with 10k entities, in the real
// extension host — from the sidecar read to decorations drawn, then tagging one more entity at a
// time until it is drawn and until its sidecar write is done. Prints figures as `bench-json: {…}`
// lines for bench/host-decorations.mjs; asserts nothing about time.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CorpusAnnotatorApi } from '../../src/extension/main';
import { newEntityId } from '../../src/core/model/model';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { articleFromText } from '../../src/core/model/article';

const ENTITIES = 10_000;
const TAGS = 15;
const PARAGRAPH = 'Le ministre de l’Intérieur, M. Laftit, a reçu à Rabat le directeur d’Interpol 🚨 et Abdellatif Hammouchi, avant la réunion de Marrakech le 14 mars.\n';
const SURFACES: Array<[string, string]> = [['Laftit', 'PER'], ['Rabat', 'LOC'], ['Interpol', 'ORG'], ['Abdellatif Hammouchi', 'PER'], ['Marrakech', 'LOC'], ['14 mars', 'DATE']];

function figure(name: string, values: number[] | number): void {
  console.log(`bench-json: ${JSON.stringify({ name, values: Array.isArray(values) ? values : [values] })}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('bench: decorations in the extension host', () => {
  it(`loads and draws ${ENTITIES} entities`, async () => {
    const api = (await vscode.extensions.getExtension<CorpusAnnotatorApi>('corpus-annotator.corpus-annotator')?.activate()) as CorpusAnnotatorApi;
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath as string;
    const paragraphs = Math.ceil(ENTITIES / SURFACES.length);
    const text = PARAGRAPH.repeat(paragraphs);
    const entities = [];
    const taken = new Set<string>();
    const cpParagraph = [...PARAGRAPH].length;
    for (let p = 0; p < paragraphs && entities.length < ENTITIES; p++) {
      for (const [surface, label] of SURFACES) {
        if (entities.length >= ENTITIES) break;
        const at = [...PARAGRAPH.slice(0, PARAGRAPH.indexOf(surface))].length + p * cpParagraph;
        const id = newEntityId(taken);
        taken.add(id);
        entities.push({ id, label, start: at, end: at + [...surface].length, text: surface });
      }
    }
    const file = path.join(folder, 'zz_bench_10k.txt');
    fs.writeFileSync(file, text);
    fs.writeFileSync(`${file}.ann.yaml`, writeSidecar({ version: 1, document: 'zz_bench_10k.txt', sha256: articleFromText(text).sha256, status: 'in-progress', entities }));
    const uri = vscode.Uri.file(file);
    const scratch = vscode.window.createTextEditorDecorationType({ backgroundColor: 'rgba(255, 0, 0, 0.2)' });
    try {
      const t0 = performance.now();
      const ann = await api.annotations(uri);
      figure('load', performance.now() - t0);
      assert.equal(ann.kind, 'ok', JSON.stringify(ann.problems[0]));
      assert.equal(ann.sidecar.entities.length, ENTITIES);
      const t1 = performance.now();
      const editor = await vscode.window.showTextDocument(uri);
      const drawn = () => Object.values(api.decorations(uri)).reduce((n, r) => n + r.length, 0);
      while (drawn() < ENTITIES) await sleep(5);
      figure('open', performance.now() - t1);

      // Baseline for the decorations: the bare API cost of the same ranges — 10k Range objects from
      // UTF-16 offsets known in advance, one setDecorations call — in this host, this run.
      const offsets = ann.sidecar.entities.map((e) => [ann.offsets.toUtf16(e.start), ann.offsets.toUtf16(e.end)] as const);
      const bare: number[] = [];
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        const ranges = offsets.map(([s, e]) => new vscode.Range(editor.document.positionAt(s), editor.document.positionAt(e)));
        editor.setDecorations(scratch, ranges);
        bare.push(performance.now() - t);
        editor.setDecorations(scratch, []);
      }
      figure('bare', bare.slice(2));

      // Tag one more span at a time: until drawn, and until the command (and so the write) is done.
      const drawnMs: number[] = [];
      const doneMs: number[] = [];
      for (let i = 0; i < TAGS; i++) {
        const at = editor.document.getText().indexOf('ministre', i * PARAGRAPH.length);
        editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + 8));
        const t = performance.now();
        const command = vscode.commands.executeCommand('corpusAnnotator.tagSelection', 'MISC');
        let done = false;
        void command.then(() => { done = true; });
        while (drawn() < ENTITIES + i + 1 && !done) await sleep(1);
        drawnMs.push(performance.now() - t);
        await command;
        doneMs.push(performance.now() - t);
        assert.equal(drawn(), ENTITIES + i + 1);
      }
      figure('tagDrawn', drawnMs.slice(2));
      figure('tagDone', doneMs.slice(2));

      // The file-system calls a write makes, alone (what the store's write() costs with no work
      // of its own): read the article, read the sidecar, write a temporary file, rename it.
      const copy = vscode.Uri.file(`${file}.io-copy.ann.yaml`);
      const tmp = vscode.Uri.file(`${file}.io-copy.ann.yaml.tmp`);
      const bytes = fs.readFileSync(`${file}.ann.yaml`);
      const io: number[] = [];
      for (let i = 0; i < 12; i++) {
        const t = performance.now();
        await vscode.workspace.fs.readFile(uri);
        await vscode.workspace.fs.readFile(vscode.Uri.file(`${file}.ann.yaml`));
        await vscode.workspace.fs.writeFile(tmp, bytes);
        await vscode.workspace.fs.rename(tmp, copy, { overwrite: true });
        io.push(performance.now() - t);
      }
      figure('io', io.slice(2));
    } finally {
      fs.rmSync(`${file}.io-copy.ann.yaml`, { force: true });
      fs.rmSync(`${file}.io-copy.ann.yaml.tmp`, { force: true });
      scratch.dispose();
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(file, { force: true });
      fs.rmSync(`${file}.ann.yaml`, { force: true });
    }
  });
});
