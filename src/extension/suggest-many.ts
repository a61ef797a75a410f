// Adding suggestions to many articles at once (tag all occurrences in the corpus, gazetteers and
// patterns): one store operation per article, with progress and cancellation, and an account of
// what was added and what was skipped.
import * as vscode from 'vscode';
import { Article } from '../core/article';
import { baseName, Entity, Sidecar } from '../core/model';
import { AnnotationStore } from './store';

export interface SuggestManyResult {
  /** Suggestions added, over all articles. */
  added: number;
  /** Articles that got at least one. */
  documents: number;
  /** File names of articles whose sidecar has errors or cannot be read: left alone. */
  skipped: string[];
  /** File names of articles whose sidecar could not be written (the store said why). */
  failed: string[];
}

/** Runs `suggest` (a pure sidecar operation returning what it added) on each article in turn. */
export async function suggestInArticles(
  store: AnnotationStore,
  articles: readonly vscode.Uri[],
  what: { title: string; description: string; notify: boolean },
  suggest: (s: Sidecar, article: Article) => { sidecar: Sidecar; added: readonly Entity[] },
): Promise<SuggestManyResult> {
  const out: SuggestManyResult = { added: 0, documents: 0, skipped: [], failed: [] };
  await vscode.window.withProgress({
    location: what.notify ? vscode.ProgressLocation.Notification : vscode.ProgressLocation.Window,
    title: what.title,
    cancellable: what.notify,
  }, async (progress, token) => {
    for (const [i, uri] of articles.entries()) {
      if (token.isCancellationRequested) break;
      if (what.notify) progress.report({ message: `${i + 1}/${articles.length} ${baseName(uri.path)}`, increment: 100 / articles.length });
      let added = 0;
      const result = await store.apply(uri, what.description, (s, article) => {
        const r = suggest(s, article);
        added = r.added.length;
        return r.sidecar;
      });
      if (result === 'changed') {
        out.added += added;
        out.documents++;
      } else if (result === 'failed') {
        out.failed.push(baseName(uri.path));
      } else if (result !== 'unchanged') {
        out.skipped.push(baseName(uri.path));
      }
    }
  });
  return out;
}
