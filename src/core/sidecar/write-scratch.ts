// The files a sidecar write leaves beside the sidecar for a moment: its lock and its temporary
// file. Shared by the CLI and the extension so that both take the same lock, and so that every
// tool recognises what a writer killed mid-write left behind. Their names end in `.lock` and
// `.tmp`, so no glob of articles (`**/*.txt`) or sidecars (`**/*.ann.yaml`) matches them; they
// are also never taken for articles (isWriteScratchName) whatever the configured globs are.
import { isSidecarPath } from '../model/model';

const LOCK_SUFFIX = '.lock';
/** `.X.txt.ann.yaml.<pid>-<random>.tmp`: hidden, with the writer's process id (0 when unknown). */
const TEMP_RE = /^\.(.+\.ann\.yaml)\.(\d+)-([a-z0-9]+)\.tmp$/;
/** What the extension named its temporary files before: `X.txt.ann.yaml.<random>.tmp`. */
const OLD_EXTENSION_TEMP_RE = /^(.+\.ann\.yaml)\.([a-z0-9]{1,8})\.tmp$/;

/** The lock file of a sidecar: `X.txt.ann.yaml.lock` beside it. */
export function sidecarLockPath(sidecarPath: string): string {
  return sidecarPath + LOCK_SUFFIX;
}

/** A fresh temporary file name beside `target` (a file name, or a path ending in one). */
export function tempPathFor(target: string, pid: number, random: () => number = Math.random): string {
  const cut = Math.max(target.lastIndexOf('/'), target.lastIndexOf('\\')) + 1;
  const rand = random().toString(36).slice(2, 10) || '0';
  return `${target.slice(0, cut)}.${target.slice(cut)}.${pid}-${rand}.tmp`;
}

export interface WriteScratch {
  readonly kind: 'lock' | 'temp';
  /** The file name of the sidecar it belongs to. */
  readonly sidecar: string;
  /** The writer's process id when the name records it. */
  readonly pid?: number;
}

/** What a file name is, when it is a sidecar's lock or temporary file. */
export function writeScratchOf(name: string): WriteScratch | undefined {
  if (name.endsWith(LOCK_SUFFIX) && isSidecarPath(name.slice(0, -LOCK_SUFFIX.length))) {
    return { kind: 'lock', sidecar: name.slice(0, -LOCK_SUFFIX.length) };
  }
  const t = TEMP_RE.exec(name);
  if (t) return { kind: 'temp', sidecar: t[1] as string, pid: Number(t[2]) };
  const o = OLD_EXTENSION_TEMP_RE.exec(name);
  if (o) return { kind: 'temp', sidecar: o[1] as string };
  return undefined;
}

export function isWriteScratchName(name: string): boolean {
  return writeScratchOf(name) !== undefined;
}

/** Who holds a lock: written into the lock file as one line of JSON. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** Milliseconds since the epoch when the lock was taken. */
  readonly time: number;
}

export function lockContent(owner: LockOwner): string {
  return JSON.stringify({ pid: owner.pid, host: owner.host, time: owner.time }) + '\n';
}

/** The owner a lock file names; undefined when it is not one we wrote (empty: a writer killed between create and write). */
export function parseLockContent(text: string): LockOwner | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (typeof v.pid === 'number' && typeof v.host === 'string' && typeof v.time === 'number') return { pid: v.pid, host: v.host, time: v.time };
  } catch {
    // not ours, or cut short
  }
  return undefined;
}

/**
 * Whether a lock (or a temporary file) was left by a writer that is gone: its process is not
 * running on this host, or it is older than `timeoutMs` (a writer holds a lock for milliseconds;
 * another host's process cannot be checked, and a process id can be reused).
 * `modifiedMs` stands in for an owner that cannot be read.
 */
export function isStale(owner: { pid?: number; host?: string; time: number } , now: number, here: { host: string; alive: (pid: number) => boolean }, timeoutMs: number): boolean {
  if (now - owner.time > timeoutMs) return true;
  const sameHost = owner.host === undefined || owner.host === here.host;
  return sameHost && owner.pid !== undefined && owner.pid > 0 && !here.alive(owner.pid);
}

/** How long a lock may be held before others take it for abandoned. */
export const LOCK_TIMEOUT_MS = 30_000;
/** A temporary file older than this is abandoned even if its process id is in use again. */
export const TEMP_TIMEOUT_MS = 10 * 60_000;
