// The per-sidecar lock every writer of sidecars takes (the CLI's commands, the merge driver's
// resolve, the extension in a Node host): an exclusive-create `X.txt.ann.yaml.lock` holding the
// writer's pid, host and start time. Held from the last check that the sidecar is still as read
// until the rename over it, so two writers can no longer both pass the check and the second
// rename silently drop the first one's change: the second now sees the change and reports it.
import * as os from 'node:os';
import * as path from 'node:path';
import { isStale, LOCK_TIMEOUT_MS, LockOwner, lockContent, parseLockContent, sidecarLockPath } from '../core/sidecar/write-scratch';
import type * as fsp from 'node:fs/promises';
import { errorCode } from './io';

/** The file system calls a lock needs (the CLI's injectable ones, or node:fs/promises in the extension host). */
export type LockFs = Pick<typeof fsp, 'open' | 'readFile' | 'stat' | 'unlink'>;

/** How long a writer waits for another one's lock before giving up with an error. */
const WAIT_MS = 40_000;
/** A lock file still empty after this long lost its writer between creating and filling it. */
const EMPTY_LOCK_MS = 2_000;

export class LockBusyError extends Error {
  constructor(readonly lockPath: string, owner: LockOwner | undefined) {
    super(`${path.basename(lockPath)} is held by ${owner ? `process ${owner.pid} on ${owner.host} since ${new Date(owner.time).toISOString()}` : 'another writer'}` +
      `; if no other program is writing this sidecar, delete the lock file and run the command again`);
  }
}

/** Whether a process runs on this machine (a process we may not signal still runs). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return errorCode(e) === 'EPERM';
  }
}

const here = { host: os.hostname(), alive: processAlive };

/** Runs `fn` holding the lock of the sidecar at `sidecarAbs`; the lock is always released. */
export async function withSidecarLock<T>(fs: LockFs, sidecarAbs: string, fn: () => Promise<T>): Promise<T> {
  const lockPath = sidecarLockPath(sidecarAbs);
  await acquire(fs, lockPath);
  try {
    return await fn();
  } finally {
    await fs.unlink(lockPath).catch(() => undefined);
  }
}

async function acquire(fs: LockFs, lockPath: string): Promise<void> {
  const started = Date.now();
  let delay = 1;
  for (;;) {
    const me: LockOwner = { pid: process.pid, host: here.host, time: Date.now() };
    try {
      const handle = await fs.open(lockPath, 'wx', 0o644);
      try {
        await handle.writeFile(lockContent(me), 'utf8');
      } finally {
        await handle.close();
      }
      return;
    } catch (e) {
      if (errorCode(e) !== 'EEXIST') throw e;
    }
    const held = await readLock(fs, lockPath);
    if (held === 'gone') continue;
    const stale = held.owner ? isStale(held.owner, Date.now(), here, LOCK_TIMEOUT_MS) : Date.now() - held.mtimeMs > EMPTY_LOCK_MS;
    if (stale) {
      await breakStaleLock(fs, lockPath, held.text);
      continue;
    }
    if (Date.now() - started > WAIT_MS) throw new LockBusyError(lockPath, held.owner);
    await new Promise((resolve) => setTimeout(resolve, delay));
    delay = Math.min(delay * 2, 50);
  }
}

interface HeldLock {
  readonly text: string;
  readonly owner: LockOwner | undefined;
  readonly mtimeMs: number;
}

async function readLock(fs: LockFs, lockPath: string): Promise<HeldLock | 'gone'> {
  try {
    const [bytes, stat] = await Promise.all([fs.readFile(lockPath), fs.stat(lockPath)]);
    const text = Buffer.from(bytes).toString('utf8');
    // An empty lock is one being written this instant, or one whose writer died before writing:
    // its age (modification time) tells which.
    return { text, owner: parseLockContent(text), mtimeMs: stat.mtimeMs };
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return 'gone';
    throw e;
  }
}

/**
 * Removes a lock whose writer is gone, unless it changed since it was judged stale (then someone
 * else broke it and took it, and it is theirs). The window between that check and the unlink
 * is a few microseconds, and opens only after a crash left a lock behind.
 */
export async function breakStaleLock(fs: LockFs, lockPath: string, judged: string): Promise<boolean> {
  const now = await readLock(fs, lockPath);
  if (now === 'gone' || now.text !== judged) return false;
  return fs.unlink(lockPath).then(() => true, () => false);
}
