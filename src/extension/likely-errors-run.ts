// One Find Likely Annotation Errors run on a worker, as likely-errors.ts sees it whichever host
// runs it (likely-errors-host.ts: a Node worker thread; likely-errors-host.web.ts: a Web Worker).
import * as vscode from 'vscode';
import { CheckMessage, CheckParams, CheckRequest } from './likely-errors-protocol';
import { READING_MESSAGE } from './recommender-protocol';
import { TrainingSource } from './recommender-run';
import { WorkerHandlers, WorkerRun, workerRun } from './worker-run';

export type CheckOutcome = { kind: 'done'; message: Extract<CheckMessage, { kind: 'done' }> } | { kind: 'failed'; message: Extract<CheckMessage, { kind: 'failed' }> };

export interface CheckRun {
  readonly run: WorkerRun<CheckOutcome>;
  /** The article a checked document's `path` names. */
  articleOf(path: string): vscode.Uri;
}

/** A check on the worker `start` starts (see workerRun); progress goes to `onProgress`. */
export function checkRun(onProgress: (message: string, fraction: number) => void, start: (h: WorkerHandlers<CheckMessage>) => Promise<() => void>): WorkerRun<CheckOutcome> {
  return workerRun<CheckMessage, CheckOutcome>(start, (m) => {
    if (m.kind === 'progress') {
      onProgress(m.message, m.fraction);
      return undefined;
    }
    return m.kind === 'done' ? { kind: 'done', message: m } : { kind: 'failed', message: m };
  }, (message) => ({ kind: 'failed', message: { kind: 'failed', stage: 'check', message: `the worker stopped: ${message}`, problems: [] } }));
}

/**
 * What a worker that cannot read the workspace is sent: the documents (named by URI) and the model
 * file's text, read here through the store and workspace.fs. Nothing to read when training first.
 */
export async function readForWorker(params: CheckParams, source: TrainingSource, model: vscode.Uri | undefined, settled: () => boolean, onProgress: (message: string, fraction: number) => void): Promise<Pick<CheckRequest, 'set' | 'modelText'>> {
  onProgress(params.train ? `training: ${READING_MESSAGE}` : READING_MESSAGE, 0);
  const modelText = params.train || !model ? undefined : new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(model));
  const set = await source.read(settled);
  return { set, ...(modelText !== undefined ? { modelText } : {}) };
}
