// Entry of dist/summarise-worker.js: the first pass over a large corpus (corpus-counts.ts) reads and
// summarises sidecars on Node worker threads, so that the extension host's thread, which draws the
// editor and answers VS Code, only receives summaries (summary-transfer.ts), and two cores share the
// reading. The summaries are core/corpus/corpus-index.ts's, as the host computes them itself.
// Reads are synchronous: on a thread of its own, one open/fstat/read/close per sidecar is cheaper
// than the thread pool's four hops. Never imported by the extension itself.
import * as fs from 'node:fs';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { StringPool, summariseSidecar } from '../core/corpus/corpus-index';
import { batchBuffers, SummaryEncoder } from '../core/corpus/summary-transfer';
import { ReadStamp, SUMMARISE_WORKER_ROLE, SummariseMessage, SummariseRequest } from './summarise-protocol';

/** Mentions per message: small enough that decoding one is a few ms on the receiving thread. */
const BATCH_MENTIONS = 5_000;
const BATCH_SIDECARS = 200;

/** A sidecar's text and stamp; undefined text: there is none; throws when it cannot be read or is not UTF-8. */
function readSidecarFile(path: string, scratch: { buf: Buffer }, decoder: InstanceType<typeof TextDecoder>): { text: string | undefined; stamp: ReadStamp } {
  let fd: number;
  try {
    fd = fs.openSync(path, 'r');
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { text: undefined, stamp: { absent: true } };
    throw e;
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new Error(`${path} is not a file`);
    // As local-read.ts stamps (Date#getTime, whole ms), so that the persisted stamps compare equal.
    const stamp = { size: st.size, mtime: st.mtime.getTime() };
    // Into one buffer reused from sidecar to sidecar, not readFileSync(fd) (a buffer per file and a
    // second fstat): tried, the 10k first opening's totals came later (6 runs, median 2.9 s vs 2.4 s).
    let n = 0;
    for (;;) {
      if (n === scratch.buf.length) {
        const bigger = Buffer.allocUnsafe(scratch.buf.length * 2);
        scratch.buf.copy(bigger, 0, 0, n);
        scratch.buf = bigger;
      }
      const got = fs.readSync(fd, scratch.buf, n, scratch.buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    return { text: decoder.decode(scratch.buf.subarray(0, n)), stamp };
  } finally {
    fs.closeSync(fd);
  }
}

export function runSummarise(req: SummariseRequest, post: (m: SummariseMessage, transfer: ArrayBuffer[]) => void): void {
  const scratch = { buf: Buffer.allocUnsafe(1 << 20) };
  // fatal: a sidecar that is not UTF-8 is the host's to report (it reads that one itself).
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // One table per receiver and run: the host decodes both phases with the same decoder.
  const encoder = new SummaryEncoder();
  const pool = new StringPool();
  for (const phase of ['counts', 'full'] as const) {
    let first = 0;
    let stamps: ReadStamp[] = [];
    let failed: number[] = [];
    const flush = () => {
      const batch = encoder.take();
      post({ kind: 'batch', phase, first, batch, stamps, failed }, batchBuffers(batch));
      first += stamps.length;
      stamps = [];
      failed = [];
    };
    req.sidecars.forEach((path, i) => {
      let read: ReturnType<typeof readSidecarFile> | undefined;
      try {
        read = readSidecarFile(path, scratch, decoder);
      } catch {
        failed.push(i);
      }
      // A failed one still takes its place in the batch (a summary of none), so that indexes stay in step.
      // A sidecar's problems come with its counts: the Problems panel neither waits for them nor
      // clears a warning it shows until the full summary comes.
      encoder.add(summariseSidecar(read?.text, phase === 'full' ? { withMentions: pool } : { withProblems: true }));
      stamps.push(read?.stamp ?? { absent: true });
      if (encoder.pending >= BATCH_MENTIONS || stamps.length >= BATCH_SIDECARS) flush();
    });
    if (stamps.length) flush();
    post({ kind: 'phase-done', phase }, []);
  }
}

if (!isMainThread && (workerData as Partial<SummariseRequest> | null)?.role === SUMMARISE_WORKER_ROLE) {
  runSummarise(workerData as SummariseRequest, (m, transfer) => parentPort?.postMessage(m, transfer));
}
