// One training run on a worker, as the extension's commands see it whichever host runs it: the Node
// host's worker thread (recommender-host.ts) or the browser's Web Worker (recommender-host.web.ts).
// A run settles once — done, failed or cancelled — and settling stops the worker, so a cancel
// terminates it at once whatever it is doing. No `vscode` and no Node import.
import { TrainingSet, TrainMessage, TrainSummary } from './recommender-protocol';

export type TrainOutcome =
  | { kind: 'done'; text: string; summary: TrainSummary }
  | { kind: 'failed'; message: string; problems: string[] }
  | { kind: 'cancelled' };

export interface TrainingRun {
  readonly outcome: Promise<TrainOutcome>;
  /** Stops the worker; `outcome` resolves as cancelled (unless it had already settled). */
  cancel(): void;
}

/** Where the documents to train on come from: each host uses the one it can. */
export interface TrainingSource {
  /** The workspace folder as a local path, which the Node worker reads as the CLI does; undefined when the folder is not on the local disk. */
  root: string | undefined;
  /** Reads the documents in the extension host (through the store): what the browser's Web Worker, which cannot read the workspace, is sent. Stops early when `cancelled` says so. */
  read(cancelled: () => boolean): Promise<TrainingSet>;
}

export interface WorkerHandlers {
  onMessage(m: TrainMessage): void;
  onError(e: Error): void;
  /** True once the run has settled (cancelled, typically): starting may stop early. */
  settled(): boolean;
}

/**
 * A run on the worker `start` starts; `start` resolves to what stops the worker (called once the
 * run settles, at once if it settled meanwhile). A rejection of `start` is a failed run.
 */
export function trainingRun(onProgress: (message: string, fraction: number) => void, start: (h: WorkerHandlers) => Promise<() => void>): TrainingRun {
  let settled = false;
  let stop: (() => void) | undefined;
  let resolve: (o: TrainOutcome) => void = () => undefined;
  const outcome = new Promise<TrainOutcome>((r) => { resolve = r; });
  const settle = (o: TrainOutcome) => {
    if (settled) return;
    settled = true;
    stop?.();
    resolve(o);
  };
  start({
    onMessage: (m) => {
      if (settled) return;
      if (m.kind === 'progress') onProgress(m.message, m.fraction);
      else if (m.kind === 'done') settle({ kind: 'done', text: m.text, summary: m.summary });
      else settle({ kind: 'failed', message: m.message, problems: m.problems });
    },
    onError: (e) => settle({ kind: 'failed', message: e.message, problems: [] }),
    settled: () => settled,
  }).then((s) => {
    if (settled) s();
    else stop = s;
  }, (e: unknown) => settle({ kind: 'failed', message: e instanceof Error ? e.message : String(e), problems: [] }));
  return { outcome, cancel: () => settle({ kind: 'cancelled' }) };
}
