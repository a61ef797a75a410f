// What writers killed mid-write (kill -9, a crash, a power cut) leave beside sidecars: a
// temporary file never renamed, or a lock never released. `validate` lists them; the commands
// that write sidecars remove them before they start.
//
// A temporary file is removed, not renamed over its sidecar: its writer never reported success
// for it, and its last check (that the sidecar was still as read) was never made, so putting it
// in place could undo a change made since. The sidecar itself is always whole: it was replaced by
// a rename or not at all.
import * as os from 'node:os';
import * as path from 'node:path';
import { Problem } from '../core/model/problems';
import { isStale, LOCK_TIMEOUT_MS, parseLockContent, TEMP_TIMEOUT_MS, writeScratchOf } from '../core/sidecar/write-scratch';
import { Target } from './files';
import { errorCode, Io } from './io';
import { breakStaleLock, processAlive } from './sidecar-lock';

export interface StaleScratch {
  readonly target: Target;
  readonly kind: 'lock' | 'temp';
  /** Why it is judged abandoned, for messages. */
  readonly why: string;
  /** A lock's content when judged: it is removed only if still that (not retaken meanwhile). */
  readonly lockText?: string;
}

const here = { host: os.hostname(), alive: processAlive };

/** Those of `found` (names recognised by writeScratchOf) whose writer is gone. */
export async function staleScratch(io: Io, found: readonly Target[], now = Date.now()): Promise<StaleScratch[]> {
  const out: StaleScratch[] = [];
  for (const target of found) {
    const what = writeScratchOf(path.basename(target.abs));
    if (!what) continue;
    try {
      const stat = await io.fs.stat(target.abs);
      if (what.kind === 'temp') {
        const owner = { ...(what.pid !== undefined ? { pid: what.pid } : {}), time: stat.mtimeMs };
        // A temporary file without a pid in its name (the extension's older ones) ages out only.
        if (isStale(owner, now, here, TEMP_TIMEOUT_MS)) {
          out.push({ target, kind: 'temp', why: what.pid !== undefined && !processAlive(what.pid) ? `its writer (process ${what.pid}) is gone` : 'it is older than 10 minutes' });
        }
      } else {
        const text = Buffer.from(await io.fs.readFile(target.abs)).toString('utf8');
        const owner = parseLockContent(text);
        if (owner ? isStale(owner, now, here, LOCK_TIMEOUT_MS) : now - stat.mtimeMs > LOCK_TIMEOUT_MS) {
          out.push({ target, kind: 'lock', lockText: text, why: owner ? `its writer (process ${owner.pid} on ${owner.host}) is gone or it is older than ${LOCK_TIMEOUT_MS / 1000} s` : 'it is empty and old' });
        }
      }
    } catch (e) {
      if (errorCode(e) !== 'ENOENT') throw e; // gone meanwhile: its writer finished
    }
  }
  return out;
}

/** The warning `validate` prints for one. */
export function staleScratchProblem(s: StaleScratch, tool: string): Problem {
  const what = s.kind === 'temp' ? 'a temporary file of an interrupted sidecar write' : 'the lock of an interrupted sidecar write';
  return {
    severity: 'warning', code: 'stale-write-file', line: 1, column: 1,
    message: `${what}, left behind (${s.why}); the sidecar itself is intact. \`${tool} fmt\` (or any command that writes sidecars) removes it, or delete it by hand`,
  };
}

/** Removes the stale ones; returns their display paths (a file that cannot be removed is left and not listed). */
export async function removeStaleScratch(io: Io, found: readonly Target[]): Promise<string[]> {
  if (found.length === 0) return [];
  const removed: string[] = [];
  for (const s of await staleScratch(io, found)) {
    try {
      if (s.lockText !== undefined) {
        if (!(await breakStaleLock(io.fs, s.target.abs, s.lockText))) continue;
      } else await io.fs.unlink(s.target.abs);
      removed.push(s.target.display);
    } catch {
      // taken over by its next writer meanwhile, or not ours to remove: validate keeps listing it
    }
  }
  return removed;
}

/** What a writing command does first: removes what interrupted writes left, saying so on stderr. */
export async function sweepBeforeWriting(io: Io, found: readonly Target[], quiet = false): Promise<void> {
  const removed = await removeStaleScratch(io, found);
  if (!quiet) for (const p of removed) io.stderr(`note: removed ${p}, left by an interrupted sidecar write (the sidecar itself is intact)\n`);
}
