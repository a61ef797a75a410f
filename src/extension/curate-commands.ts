// "Curate Annotations From…": two or more annotators' versions of the same articles — folders, or
// branches of the workspace's git repository — into one gold folder (the same core as
// `corpus-annotator curate`), then straight to the first disagreement, which the curator settles
// with the suggestion keys. Branches are read from git, never checked out nor written to.
import * as vscode from 'vscode';
import { collectTokenLabels, curateSources, fleissKappa, meanPairwiseF1, PairwiseF1, sameBytes } from '../core/review/curate';
import { badInputNames, CurationEntry, CurationInput, documentKeys, missingIn, readSources, sidecarText } from '../core/review/curate-inputs';
import { articlePathOf, baseName, isSidecarPath } from '../core/model/model';
import { writeSidecar } from '../core/sidecar/sidecar-write';
import { branchSource, readBranch } from './curate-git';
import { pickAnnotators } from './curate-pick';
import { registerCommand } from './register-command';
import { exists } from './file-exists';

/** Arguments the palette never passes; tests and other extensions may. */
interface CurateArgs {
  /** Folder URIs (strings) of the annotators' versions; otherwise asked. */
  inputs?: string[];
  /** Branches of `repository`'s git repository, before the folders; otherwise asked. */
  branches?: string[];
  /** A folder URI in the repository whose branches are read (default: the workspace folder of the active editor, else the first). */
  repository?: string;
  /** The gold folder (a URI string); otherwise asked. */
  out?: string;
  /** Names for attrs (default: each branch's name, each folder's name). */
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

export class CurateCommands implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly log: vscode.LogOutputChannel) {
    this.disposables.push(registerCommand(log, 'curateAnnotations', (args?: CurateArgs) => this.curate(args ?? {})));
  }

  private async curate(args: CurateArgs): Promise<CurationSummary | undefined> {
    const repositoryFolder = args.repository !== undefined ? vscode.Uri.parse(args.repository) : defaultRepositoryFolder();
    const chosen = args.inputs !== undefined || args.branches !== undefined
      ? { branches: args.branches ?? [], folders: args.inputs?.map((u) => vscode.Uri.parse(u)) ?? [] }
      : await this.askInputs(repositoryFolder);
    if (!chosen) return undefined;
    const count = chosen.branches.length + chosen.folders.length;
    if (count < 2) {
      void vscode.window.showWarningMessage('Curate Annotations: pick two or more annotators\' versions (branches or folders) of the same articles.');
      return undefined;
    }
    const out = args.out !== undefined ? vscode.Uri.parse(args.out) : (await vscode.window.showOpenDialog({
      canSelectFolders: true, canSelectFiles: false, canSelectMany: false, defaultUri: repositoryFolder,
      openLabel: 'Write the Gold Corpus Here', title: 'Curate Annotations: the gold folder',
    }))?.[0];
    if (!out) return undefined;
    const names = args.names ?? [...chosen.branches, ...chosen.folders.map((u) => baseName(u.path.replace(/\/+$/, '')))];
    const badNames = names.length !== count ? `${names.length} names for ${count} inputs` : badInputNames(names);
    if (badNames !== undefined) throw new Error(`cannot curate: ${badNames} — rename a folder, or pass distinct names`);
    let minAgree = args.minAgree;
    if (minAgree === undefined && count > 2 && args.inputs === undefined && args.branches === undefined) {
      const pick = await vscode.window.showQuickPick(
        Array.from({ length: count - 1 }, (_, i) => count - i).map((k) => ({ label: `${k} of ${count}`, k })),
        { title: 'Accept a proposal made by at least…' },
      );
      if (!pick) return undefined;
      minAgree = pick.k;
    }

    const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Curating annotations', cancellable: true }, async (progress, token) => {
      // Reading a branch's sidecars out of git can take a while on a large corpus: under the progress too.
      progress.report({ message: 'reading the annotators\' versions' });
      return this.run(await this.readInputs(chosen, names, repositoryFolder), out, minAgree, progress, token);
    });
    this.log.info(`curated ${summary.written.length} document(s) of ${names.join(', ')} into ${out.toString(true)}: ${summary.agreed} agreed, ${summary.disagreements} disagreement(s); ${summary.failed.length} failed`);
    for (const f of summary.failed) this.log.warn(`curation: ${f.document}: ${f.error}`);
    const pairs = summary.pairwise.map((p) => `${p.a}/${p.b} F1 ${p.f1 === null ? '–' : p.f1.toFixed(3)}`).join(', ');
    const message = `Curated ${summary.written.length} document(s): ${summary.agreed} agreed, ${summary.disagreements} to settle (${pairs}).`;
    if (summary.failed.length) {
      const firstFailure = summary.failed[0] as { document: string; error: string };
      void vscode.window.showWarningMessage(`${message} ${summary.failed.length} document(s) could not be curated, ${firstFailure.document} first: ${firstFailure.error}.`, 'Show Log').then((c) => c && this.log.show());
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

  /** The chosen branches and folders as curation inputs, in that order. */
  private async readInputs(chosen: { branches: string[]; folders: vscode.Uri[] }, names: readonly string[], repositoryFolder: vscode.Uri | undefined): Promise<CurationInput[]> {
    const inputs: CurationInput[] = [];
    if (chosen.branches.length) {
      const source = await branchSource(repositoryFolder);
      if (!source.ok) throw new Error(`cannot curate branches: ${source.reason} — curate folders instead`);
      for (const branch of chosen.branches) {
        this.log.info(`curation: reading branch ${branch} of ${source.repository.top}${source.repository.prefix ? ` under ${source.repository.prefix}` : ''}`);
        inputs.push({ name: names[inputs.length] as string, docs: await readBranch(source.repository, branch) });
      }
    }
    for (const folder of chosen.folders) inputs.push({ name: names[inputs.length] as string, docs: await sidecarsUnder(folder) });
    return inputs;
  }

  /** The palette's way: branches of the repository and/or folders, in a quick pick then a folder dialog. */
  private async askInputs(repositoryFolder: vscode.Uri | undefined): Promise<{ branches: string[]; folders: vscode.Uri[] } | undefined> {
    const source = await branchSource(repositoryFolder);
    if (!source.ok) this.log.info(`curation: no branches offered: ${source.reason}`);
    const picked = await pickAnnotators(source);
    if (!picked) return undefined;
    const folders = picked.folders ? await vscode.window.showOpenDialog({
      canSelectFolders: true, canSelectFiles: false, canSelectMany: true, defaultUri: repositoryFolder,
      openLabel: 'Curate These Folders', title: 'Curate Annotations: pick annotators\' folders of the same articles',
    }) : [];
    if (!folders) return undefined;
    return { branches: picked.branches, folders };
  }

  private async run(inputs: readonly CurationInput[], out: vscode.Uri, minAgree: number | undefined,
    progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken): Promise<CurationSummary> {
    const keys = documentKeys(inputs);
    const summary: CurationSummary = { written: [], failed: [], agreed: 0, disagreements: 0, toSettle: [], pairwise: [], fleissKappa: null };
    const perDocument: PairwiseF1[][] = [];
    const ratings = { all: inputs.map((): string[] => []), annotated: inputs.map((): string[] => []) };
    for (const key of keys) {
      if (token.isCancellationRequested) break;
      const document = articlePathOf(key);
      progress.report({ message: document, increment: 100 / keys.length });
      const missing = missingIn(inputs, key);
      if (missing.length) {
        summary.failed.push({ document, error: `not annotated in ${missing.join(', ')}` });
        continue;
      }
      const read = await readSources(inputs, key, (e) => (e instanceof Error ? e.message : String(e)));
      if (!read.ok) {
        summary.failed.push({ document, error: read.error });
        continue;
      }
      const sources = read.sources;
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


/** The sidecars under a folder by their '/'-separated path under it, read when asked (workspace.fs: any file system). */
async function sidecarsUnder(root: vscode.Uri): Promise<Map<string, CurationEntry>> {
  const out = new Map<string, CurationEntry>();
  const walk = async (dir: vscode.Uri, rel: string): Promise<void> => {
    for (const [name, type] of await vscode.workspace.fs.readDirectory(dir)) {
      const r = rel ? `${rel}/${name}` : name;
      if (type & vscode.FileType.Directory) {
        if (!SKIPPED.has(name)) await walk(vscode.Uri.joinPath(dir, name), r);
      } else if (isSidecarPath(name)) {
        const sidecar = child(root, r);
        out.set(r, {
          display: sidecar.toString(true),
          sidecar: async () => sidecarText(await vscode.workspace.fs.readFile(sidecar)),
          article: async () => vscode.workspace.fs.readFile(child(root, articlePathOf(r))),
        });
      }
    }
  };
  await walk(root, '');
  return out;
}

/** The workspace folder of the active editor, else the first: the one whose repository's branches are offered. */
function defaultRepositoryFolder(): vscode.Uri | undefined {
  const active = vscode.window.activeTextEditor?.document.uri;
  const folder = (active && vscode.workspace.getWorkspaceFolder(active)) ?? vscode.workspace.workspaceFolders?.[0];
  return folder?.uri;
}
