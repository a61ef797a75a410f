// Export Annotations… and Import Annotations… in the real extension host, driven through their
// commands with arguments (no dialogs). Imports here change nothing in the shared workspace: a
// dry run, and a re-import of what was just exported (every entity already there).
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import * as vscode from 'vscode';
import { workspaceDir } from './helpers';

interface ExportOutcome { documents: number; entities: number; issues: number; invalid: number }
interface ImportOutcome { records: number; unmatched: number; added: number; identical: number; conflicts: number; written: number }

describe('export and import commands', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-export-'));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('are registered and in the command palette', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('corpusAnnotator.exportAnnotations'));
    assert.ok(commands.includes('corpusAnnotator.importAnnotations'));
  });

  it('Export Annotations… writes the workspace as JSONL, offsets in code points', async () => {
    const target = vscode.Uri.file(path.join(tmp, 'all.jsonl'));
    const outcome = await vscode.commands.executeCommand<ExportOutcome>('corpusAnnotator.exportAnnotations', { format: 'jsonl', scope: 'workspace', target, offerToOpen: false });
    assert.ok(outcome, 'the command returns what it did');
    // (earlier tests may have left a sidecar invalid on purpose: it is counted, not exported)
    assert.equal(outcome.documents + outcome.invalid, 5);
    const lines = fs.readFileSync(target.fsPath, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { text: string; spans: Array<{ start: number; end: number }>; meta: { document: string } });
    assert.equal(lines.length, outcome.documents);
    assert.equal(lines.reduce((n, l) => n + l.spans.length, 0), outcome.entities);
    for (const l of lines) {
      const article = fs.readFileSync(path.join(workspaceDir(), l.meta.document), 'utf8').replace(/^\uFEFF/, '');
      assert.equal(l.text, article);
    }
  });

  it('Export Annotations… as CoNLL reports the nested entities it drops; as brat writes a folder', async () => {
    const conll = await vscode.commands.executeCommand<ExportOutcome>('corpusAnnotator.exportAnnotations', { format: 'conll', scope: 'workspace', target: vscode.Uri.file(path.join(tmp, 'all.conll')), offerToOpen: false });
    assert.ok(conll && conll.issues > 0, 'the demo has nested entities, which CoNLL cannot hold');
    const brat = vscode.Uri.file(path.join(tmp, 'brat'));
    fs.mkdirSync(brat.fsPath);
    const b = await vscode.commands.executeCommand<ExportOutcome>('corpusAnnotator.exportAnnotations', { format: 'brat', scope: 'workspace', target: brat, offerToOpen: false });
    assert.ok(b && b.documents > 0);
    assert.ok(fs.existsSync(path.join(brat.fsPath, '002_60ac6a68424218b9.ann')));
    assert.ok(fs.existsSync(path.join(brat.fsPath, 'annotation.conf')));
  });

  it('Export Annotations… as spaCy split train/dev/test: three .spacy DocBins (zlib msgpack) and the assignment; hf beside its label names', async () => {
    const target = vscode.Uri.file(path.join(tmp, 'corpus.spacy'));
    const outcome = await vscode.commands.executeCommand<ExportOutcome>('corpusAnnotator.exportAnnotations', { format: 'spacy', scope: 'workspace', target, split: 'train=0.6,dev=0.2,test=0.2', seed: 1, offerToOpen: false });
    assert.ok(outcome && outcome.documents > 0);
    const assignment = JSON.parse(fs.readFileSync(path.join(tmp, 'corpus.splits.json'), 'utf8')) as { seed: number; documents: Record<string, string> };
    assert.equal(Object.keys(assignment.documents).length, outcome.documents);
    assert.equal(assignment.seed, 1);
    for (const split of ['train', 'dev', 'test']) {
      const bytes = zlib.inflateSync(fs.readFileSync(path.join(tmp, `corpus.${split}.spacy`)));
      assert.ok(bytes.length > 0 && bytes.includes(Buffer.from('spaces')), `${split}: a msgpack DocBin`);
    }
    const hf = vscode.Uri.file(path.join(tmp, 'hf.jsonl'));
    const h = await vscode.commands.executeCommand<ExportOutcome>('corpusAnnotator.exportAnnotations', { format: 'hf', scope: 'workspace', target: hf, offerToOpen: false });
    assert.ok(h && h.documents > 0);
    const rows = fs.readFileSync(hf.fsPath, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { tokens: string[]; ner_tags: number[] });
    assert.ok(rows.length > 0 && rows.every((r) => r.tokens.length === r.ner_tags.length));
    assert.ok(fs.existsSync(path.join(tmp, 'hf.label_names.json')));
  });

  it('Import Annotations… of that export: a dry run finds every entity already there; the import changes nothing', async () => {
    const snapshot = () => fs.readdirSync(workspaceDir(), { withFileTypes: true }).filter((e) => e.isFile()).map((e) => [e.name, fs.readFileSync(path.join(workspaceDir(), e.name), 'utf8')]);
    const before = snapshot();
    const dry = await vscode.commands.executeCommand<ImportOutcome>('corpusAnnotator.importAnnotations', { format: 'brat', source: vscode.Uri.file(path.join(tmp, 'brat')), dryRun: true });
    assert.ok(dry);
    assert.equal(dry.records, 5);
    assert.equal(dry.unmatched, 0);
    assert.equal(dry.added, 0);
    assert.equal(dry.conflicts, 0);
    assert.ok(dry.identical > 0);
    const real = await vscode.commands.executeCommand<ImportOutcome>('corpusAnnotator.importAnnotations', { format: 'jsonl', source: vscode.Uri.file(path.join(tmp, 'all.jsonl')), confirm: false });
    assert.equal(real?.added, 0);
    assert.equal(real?.written, 0);
    assert.deepEqual(snapshot(), before);
  });
});
