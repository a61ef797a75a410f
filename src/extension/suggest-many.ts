// Adding suggestions to many articles at once (tag all occurrences in the corpus, gazetteers and
// patterns): one store operation per article, with progress and cancellation, and an account of
// what was added and what was skipped.
import * as vscode from 'vscode';
import { Article } from '../core/model/article';
import { baseName, Entity, Sidecar } from '../core/model/model';
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

/**
 * Runs `suggest` (a pure sidecar operation returning what it added) on each article in turn.
 * `prepare`, when given, does the slow part first, off the store's operation (user patterns on a
 * worker): it gets the article's text and its result is handed to `suggest` for that text only —
 * if the text changed meanwhile, it is prepared again.
 */
export async function suggestInArticles<P = undefined>(
  store: AnnotationStore,
  articles: readonly vscode.Uri[],
  what: { title: string; description: string; notify: boolean },
  suggest: (s: Sidecar, article: Article, prepared: P | undefined) => { sidecar: Sidecar; added: readonly Entity[] },
  prepare?: (text: string, uri: vscode.Uri) => Promise<P>,
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
      let prepared: { text: string; value: P } | undefined;
      let result: Awaited<ReturnType<AnnotationStore['apply']>> | 'stale' = 'stale';
      for (let attempt = 0; attempt < 3 && result === 'stale'; attempt++) {
        if (prepare) {
          const ann = await store.load(uri);
          if (ann.kind !== 'ok') break;
          prepared = { text: ann.text, value: await prepare(ann.text, uri) };
        }
        let stale = false;
        result = await store.apply(uri, what.description, (s, article) => {
          if (prepared && prepared.text !== article.text) {
            stale = true; // edited while the patterns ran: prepare again
            return s;
          }
          const r = suggest(s, article, prepared?.value);
          added = r.added.length;
          return r.sidecar;
        });
        if (stale) result = 'stale';
      }
      if (result === 'stale') {
        out.skipped.push(baseName(uri.path));
        continue;
      }
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
