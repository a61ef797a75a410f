// One training run on a worker, as the extension's commands see it whichever host runs it: the Node
// host's worker thread (recommender-host.ts) or the browser's Web Worker (recommender-host.web.ts).
// No `vscode` and no Node import.
import { TrainingSet, TrainMessage, TrainSummary } from './recommender-protocol';
import { WorkerHandlers, WorkerRun, workerRun } from './worker-run';

export type TrainOutcome =
  | { kind: 'done'; text: string; summary: TrainSummary }
  | { kind: 'failed'; message: string; problems: string[] }
  | { kind: 'cancelled' };

export type TrainingRun = WorkerRun<Exclude<TrainOutcome, { kind: 'cancelled' }>>;

/** Where the documents to train on (or check) come from: each host uses the one it can. */
export interface TrainingSource {
  /** The workspace folder as a local path, which the Node worker reads as the CLI does; undefined when the folder is not on the local disk. */
  root: string | undefined;
  /** Reads the documents in the extension host (through the store): what the browser's Web Worker, which cannot read the workspace, is sent. Stops early when `cancelled` says so. */
  read(cancelled: () => boolean): Promise<TrainingSet>;
}

/** A training run on the worker `start` starts (see workerRun); progress goes to `onProgress`. */
export function trainingRun(onProgress: (message: string, fraction: number) => void, start: (h: WorkerHandlers<TrainMessage>) => Promise<() => void>): TrainingRun {
  return workerRun<TrainMessage, Exclude<TrainOutcome, { kind: 'cancelled' }>>(start, (m) => {
    if (m.kind === 'progress') {
      onProgress(m.message, m.fraction);
      return undefined;
    }
    return m.kind === 'done' ? { kind: 'done', text: m.text, summary: m.summary } : { kind: 'failed', message: m.message, problems: m.problems };
  }, (message) => ({ kind: 'failed', message, problems: [] }));
}
