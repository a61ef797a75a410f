// Commands over the persisted corpus index (corpus-index-cache.ts): "Rebuild Corpus Index" for the
// user (the file is derived data: deleting it is always safe), and a test-only command that
// opens the index a second time from the persisted file, as a new session would.
import * as vscode from 'vscode';
import { Corpus } from './corpus';
import { CorpusCounts } from './corpus-counts';
import { CorpusIndexCache, WarmStart } from './corpus-index-cache';
import { registerCommand } from './register-command';
import { AnnotationStore } from './store';

interface Counted { documents: number; entities: number; invalid: number; byLabel: Record<string, number> }

/** What a second opening of the index did (the test-only `index._cache('reopen')`). */
export interface Reopened {
  warm: WarmStart | undefined;
  /** The totals shown before the first pass ended (from the persisted index), if any. */
  beforePass: Counted | undefined;
  /** The totals once the pass has checked (and re-read) the sidecars. */
  afterPass: Counted | undefined;
}

export function corpusIndexCommands(cache: CorpusIndexCache, counts: CorpusCounts, corpus: Corpus, store: AnnotationStore, log: vscode.LogOutputChannel, producer: string, extension?: vscode.Uri): vscode.Disposable {
  return vscode.Disposable.from(
    registerCommand(log, 'rebuildCorpusIndex', async () => {
      await cache.clear();
      await counts.rescan();
      await cache.save();
      const t = counts.totals();
      log.info(`corpus index rebuilt${t ? `: ${t.entities} entities in ${t.documents} documents` : ''}`);
      void vscode.window.setStatusBarMessage('Corpus index rebuilt', 3000);
    }),
    // TEST-ONLY (not contributed in package.json): 'flush' saves now and returns the file,
    // 'hold'/'release' stop and resume saving (VS Code "closed" while files change), 'reopen'
    // builds a second index from the persisted file over the same corpus, as the next session would;
    // 'lastPass' says how the last pass over the corpus summarised its sidecars; 'workerScript'
    // makes the passes run another worker script (one that dies; undefined: the real one again).
    vscode.commands.registerCommand('corpusAnnotator.index._cache', async (action: string, arg?: unknown) => {
      if (action === 'flush') {
        await cache.save();
        return (await cache.files())[0]?.toString();
      }
      if (action === 'hold' || action === 'release') return cache.hold(action === 'hold');
      if (action === 'reopen') return reopen(cache.dir, corpus, store, log, producer, extension);
      if (action === 'lastPass') return counts.lastPass;
      if (action === 'workerScript') return void (counts.workerScript = typeof arg === 'string' ? arg : undefined);
      throw new Error(`unknown action ${action}`);
    }),
  );
}

async function reopen(dir: vscode.Uri | undefined, corpus: Corpus, store: AnnotationStore, log: vscode.LogOutputChannel, producer: string, extension: vscode.Uri | undefined): Promise<Reopened> {
  const cache = new CorpusIndexCache(dir, log, producer);
  const counts = new CorpusCounts(corpus, store, log, performance.now(), cache, extension);
  cache.attach(counts);
  const counted = (): Counted | undefined => {
    const t = counts.totals();
    return t && { documents: t.documents, entities: t.entities, invalid: t.invalid, byLabel: Object.fromEntries([...t.byLabel].sort()) };
  };
  let beforePass: Counted | undefined;
  let passed = false;
  const seen = counts.onDidChange(() => {
    if (!passed) beforePass ??= counted();
  });
  try {
    await new Promise<void>((resolve) => {
      const done = counts.onDidFinishPass(() => {
        passed = true;
        done.dispose();
        resolve();
      });
      void counts.rescan();
    });
    await cache.save();
    return { warm: cache.lastWarmStart, beforePass, afterPass: counted() };
  } finally {
    seen.dispose();
    cache.dispose();
    counts.dispose();
  }
}
