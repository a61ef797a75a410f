// "Curate Annotations From…": two or more annotators' folders into one gold folder (the same core
// as `corpus-annotator curate`), then straight to the first disagreement, which the curator settles
// with the suggestion keys. Folders only: branches are the command-line tool's (`curate main bob`).
import * as vscode from 'vscode';
import { collectTokenLabels, curateSources, CurationSource, fleissKappa, meanPairwiseF1, PairwiseF1, sameBytes } from '../core/curate';
import { articlePathOf, baseName, cmp, isSidecarPath } from '../core/model';
import { writeSidecar } from '../core/sidecar-write';
import { registerCommand } from './register-command';
import { exists } from './file-exists';

/** Arguments the palette never passes; tests and other extensions may. */
interface CurateArgs {
  /** Folder URIs (strings) of the annotators' versions; otherwise asked. */
  inputs?: string[];
  /** The gold folder (a URI string); otherwise asked. */
  out?: string;
  /** Names for attrs (default: each folder's name). */
  names?: string[];
  minAgree?: number;
  /** Open the first disagreement afterwards (default true). */
  open?: boolean;
}

export interface CurationSummary {
  written: string[];
  failed: Array<{ document: string; error: string }>;
  agreed: number;
  disagreements: number;
  /** The gold articles with a disagreement, in path order. */
  toSettle: string[];
  pairwise: ReturnType<typeof meanPairwiseF1>;
  fleissKappa: number | null;
}

const SKIPPED = new Set(['node_modules', '.git']);
const utf8 = new TextDecoder('utf-8', { fatal: true });

export class CurateCommands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(registerCommand(log, 'curateAnnotations', (args?: CurateArgs) => this.curate(args ?? {})));
  }

  private async curate(args: CurateArgs): Promise<CurationSummary | undefined> {
    const inputs = args.inputs?.map((u) => vscode.Uri.parse(u)) ?? (await vscode.window.showOpenDialog({
      canSelectFolders: true, canSelectFiles: false, canSelectMany: true,
      openLabel: 'Curate These Folders', title: 'Curate Annotations: pick two or more annotators\' folders of the same articles',
    }));
    if (!inputs) return undefined;
    if (inputs.length < 2) {
      void vscode.window.showWarningMessage('Curate Annotations: pick two or more folders (each an annotator\'s version of the same articles).');
      return undefined;
    }
    const out = args.out !== undefined ? vscode.Uri.parse(args.out) : (await vscode.window.showOpenDialog({
      canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Write the Gold Corpus Here', title: 'Curate Annotations: the gold folder',
    }))?.[0];
    if (!out) return undefined;
    const names = args.names ?? inputs.map((u) => baseName(u.path.replace(/\/+$/, '')));
    if (names.length !== inputs.length || new Set(names).size !== names.length) throw new Error(`the inputs need distinct names (${names.join(', ')})`);
    let minAgree = args.minAgree;
    if (minAgree === undefined && inputs.length > 2 && args.inputs === undefined) {
      const pick = await vscode.window.showQuickPick(
        Array.from({ length: inputs.length - 1 }, (_, i) => inputs.length - i).map((k) => ({ label: `${k} of ${inputs.length}`, k })),
        { title: 'Accept a proposal made by at least…' },
      );
      if (!pick) return undefined;
      minAgree = pick.k;
    }

    const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Curating annotations', cancellable: true }, (progress, token) =>
      this.run(inputs, names, out, minAgree, progress, token));
    this.log.info(`curated ${summary.written.length} document(s) of ${names.join(', ')} into ${out.toString(true)}: ${summary.agreed} agreed, ${summary.disagreements} disagreement(s); ${summary.failed.length} failed`);
    for (const f of summary.failed) this.log.warn(`curation: ${f.document}: ${f.error}`);
    const pairs = summary.pairwise.map((p) => `${p.a}/${p.b} F1 ${p.f1 === null ? '–' : p.f1.toFixed(3)}`).join(', ');
    const message = `Curated ${summary.written.length} document(s): ${summary.agreed} agreed, ${summary.disagreements} to settle (${pairs}).`;
    if (summary.failed.length) {
      void vscode.window.showWarningMessage(`${message} ${summary.failed.length} document(s) could not be curated.`, 'Show Log').then((c) => c && this.log.show());
    } else {
      void vscode.window.showInformationMessage(message);
    }
    const first = summary.toSettle[0];
    if (first !== undefined && args.open !== false) {
      await vscode.window.showTextDocument(vscode.Uri.parse(first));
      await vscode.commands.executeCommand('corpusAnnotator.nextSuggestion');
    }
    return summary;
  }

  private async run(inputs: readonly vscode.Uri[], names: readonly string[], out: vscode.Uri, minAgree: number | undefined,
    progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<CurationSummary> {
    const found = await Promise.all(inputs.map((u) => sidecarsUnder(u)));
    const keys = [...new Set(found.flatMap((m) => [...m]))].sort(cmp);
    const summary: CurationSummary = { written: [], failed: [], agreed: 0, disagreements: 0, toSettle: [], pairwise: [], fleissKappa: null };
    const perDocument: PairwiseF1[][] = [];
    const ratings = { all: names.map((): string[] => []), annotated: names.map((): string[] => []) };
    for (const key of keys) {
      if (token.isCancellationRequested) break;
      const document = articlePathOf(key);
      progress.report({ message: document, increment: 100 / keys.length });
      const missing = names.filter((_, i) => !found[i]?.has(key));
      if (missing.length) {
        summary.failed.push({ document, error: `not annotated in ${missing.join(', ')}` });
        continue;
      }
      const sources: CurationSource[] = await Promise.all(inputs.map(async (root, i) => {
        const sidecarUri = child(root, key);
        const sidecarBytes = await vscode.workspace.fs.readFile(sidecarUri);
        let sidecar: string | undefined;
        try {
          sidecar = utf8.decode(sidecarBytes);
        } catch {
          sidecar = undefined;
        }
        const article = await Promise.resolve(vscode.workspace.fs.readFile(child(root, document))).catch(() => undefined);
        return { name: names[i] as string, display: sidecarUri.toString(true), sidecar, article };
      }));
      const curated = curateSources(baseName(document), sources, { minAgree, seed: key });
      if (!curated.ok) {
        summary.failed.push({ document, error: curated.error });
        continue;
      }
      const goldSidecar = child(out, key);
      const goldArticle = child(out, document);
      if (await exists(goldSidecar)) {
        summary.failed.push({ document, error: `${goldSidecar.toString(true)} exists (a curation in progress?); left untouched` });
        continue;
      }
      if (await exists(goldArticle)) {
        const there = await vscode.workspace.fs.readFile(goldArticle);
        if (!sameBytes(there, curated.article)) {
          summary.failed.push({ document, error: `${goldArticle.toString(true)} exists with other content; left untouched` });
          continue;
        }
      } else {
        await vscode.workspace.fs.writeFile(goldArticle, curated.article);
      }
      await vscode.workspace.fs.writeFile(goldSidecar, new TextEncoder().encode(writeSidecar(curated.sidecar)));
      summary.written.push(document);
      summary.agreed += curated.result.agreed;
      summary.disagreements += curated.result.disagreements;
      if (curated.result.disagreements) summary.toSettle.push(goldArticle.toString());
      perDocument.push(curated.result.pairwise);
      collectTokenLabels(ratings, curated.tokenLabels);
    }
    summary.pairwise = meanPairwiseF1(perDocument);
    summary.fleissKappa = fleissKappa(ratings.all).kappa;
    return summary;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function child(root: vscode.Uri, rel: string): vscode.Uri {
  return vscode.Uri.joinPath(root, ...rel.split('/'));
}


/** The sidecars under a folder, as '/'-separated paths relative to it (workspace.fs: any file system). */
async function sidecarsUnder(root: vscode.Uri): Promise<Set<string>> {
  const out = new Set<string>();
  const walk = async (dir: vscode.Uri, rel: string): Promise<void> => {
    for (const [name, type] of await vscode.workspace.fs.readDirectory(dir)) {
      const r = rel ? `${rel}/${name}` : name;
      if (type & vscode.FileType.Directory) {
        if (!SKIPPED.has(name)) await walk(vscode.Uri.joinPath(dir, name), r);
      } else if (isSidecarPath(name)) out.add(r);
    }
  };
  await walk(root, '');
  return out;
}
