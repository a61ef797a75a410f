// Issue 9, figure 4: an open document with 10k entities — what the extension costs in the real
// extension host from the sidecar read to decorations drawn. Prints figures; asserts nothing timed.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CorpusAnnotatorApi } from '../../src/extension/main';
import { newEntityId } from '../../src/core/model';
import { writeSidecar } from '../../src/core/sidecar-write';
import { articleFromText } from '../../src/core/article';

const ENTITIES = 10_000;
const PARAGRAPH = 'Le ministre de l’Intérieur, M. Laftit, a reçu à Rabat le directeur d’Interpol 🚨 et Abdellatif Hammouchi, avant la réunion de Marrakech le 14 mars.\n';
const SURFACES: Array<[string, string]> = [['Laftit', 'PER'], ['Rabat', 'LOC'], ['Interpol', 'ORG'], ['Abdellatif Hammouchi', 'PER'], ['Marrakech', 'LOC'], ['14 mars', 'DATE']];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

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
    try {
      const t0 = performance.now();
      const ann = await api.annotations(uri);
      const loadMs = performance.now() - t0;
      assert.equal(ann.kind, 'ok', JSON.stringify(ann.problems[0]));
      assert.equal(ann.sidecar.entities.length, ENTITIES);
      const t1 = performance.now();
      const editor = await vscode.window.showTextDocument(uri);
      const drawn = () => Object.values(api.decorations(uri)).reduce((n, r) => n + r.length, 0);
      while (drawn() < ENTITIES) await new Promise((r) => setTimeout(r, 5));
      const openMs = performance.now() - t1;
      // Re-render after one change (tag one more span), several times.
      const changeMs: number[] = [];
      for (let i = 0; i < 7; i++) {
        const at = editor.document.getText().indexOf('ministre', i * PARAGRAPH.length);
        editor.selection = new vscode.Selection(editor.document.positionAt(at), editor.document.positionAt(at + 8));
        const t = performance.now();
        await vscode.commands.executeCommand('corpusAnnotator.tagSelection', 'MISC');
        while (drawn() < ENTITIES + i + 1) await new Promise((r) => setTimeout(r, 1));
        changeMs.push(performance.now() - t);
      }
      console.log(`bench-figure: sidecar load (read + parse + validate ${ENTITIES} entities) in the extension host: ${loadMs.toFixed(1)} ms`);
      console.log(`bench-figure: open editor until all ${ENTITIES} decorations are set: ${openMs.toFixed(1)} ms (includes VS Code opening the editor)`);
      console.log(`bench-figure: tag one more entity until drawn (median of 7, includes the sidecar write): ${median(changeMs).toFixed(1)} ms`);
    } finally {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      fs.rmSync(file, { force: true });
      fs.rmSync(`${file}.ann.yaml`, { force: true });
    }
  });
});
