// The documents to train the recommender on, read through the store (workspace.fs): what the
// browser host sends its training Web Worker, which cannot read the workspace. The same rule as
// `corpus-annotator train` picks them (trainingDocOf); the store has re-anchored what it could.
import * as vscode from 'vscode';
import { Status } from '../core/model/model';
import { trainingDocOf } from '../core/suggest/recommender/data';
import { Corpus } from './corpus';
import { TrainingSet } from './recommender-protocol';
import { TrainingSource } from './recommender-run';
import { AnnotationStore } from './store';

/**
 * Reads `articles`' sidecars; an article without one is not a document yet (as for the CLI, which
 * finds sidecars). Documents are named by `name` (default: the path relative to the workspace).
 */
export async function readTrainingSet(store: AnnotationStore, articles: readonly vscode.Uri[], statuses: readonly Status[], cancelled: () => boolean = () => false,
  name: (article: vscode.Uri) => string = (u) => vscode.workspace.asRelativePath(u)): Promise<TrainingSet> {
  const set: TrainingSet = { docs: [], skipped: 0, problems: [] };
  for (const uri of articles) {
    if (cancelled()) break;
    const rel = vscode.workspace.asRelativePath(uri);
    let ann;
    try {
      ann = await store.load(uri);
    } catch (e) {
      set.problems.push(`${rel}: left out, it cannot be read (${e instanceof Error ? e.message : String(e)})`);
      continue;
    }
    if (!ann.sidecarExists) continue;
    if (ann.kind !== 'ok') {
      const first = ann.problems.find((p) => p.severity === 'error');
      set.problems.push(`${rel}: left out, ${ann.kind === 'unreadable' ? 'the article is not UTF-8 text' : `the sidecar is invalid${first ? ` (line ${first.line}: ${first.message})` : ''}`}`);
      continue;
    }
    if (ann.reanchorPending) {
      set.problems.push(`${rel}: left out, its article changed and some annotations were not found again; run Re-anchor Annotations… first`);
      continue;
    }
    const doc = trainingDocOf(name(uri), ann.text, ann.sidecar, statuses);
    if (doc) set.docs.push(doc);
    else set.skipped++;
  }
  return set;
}

/**
 * The documents of a workspace folder for a worker: the Node worker reads a local folder itself
 * (`root`); otherwise they are read here, from the corpus's articles in the folder.
 */
export function folderTrainingSource(corpus: Corpus, store: AnnotationStore, folder: vscode.WorkspaceFolder, statuses: readonly Status[], name?: (article: vscode.Uri) => string): TrainingSource {
  return {
    root: folder.uri.scheme === 'file' ? folder.uri.fsPath : undefined,
    read: async (cancelled) => {
      await corpus.ready();
      const inFolder = corpus.list().filter((u) => vscode.workspace.getWorkspaceFolder(u)?.uri.toString() === folder.uri.toString());
      return readTrainingSet(store, inFolder, statuses, cancelled, name);
    },
  };
}
