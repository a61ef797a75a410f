// What the CLI needs from the outside world, injectable so every command runs in-process in tests:
// output streams, the working directory and the file system calls it makes.
import { constants as fsConstants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tempPathBeside } from './files';

/** The file system calls the CLI makes (a subset of node:fs/promises). */
export type CliFs = Pick<typeof fsp, 'readFile' | 'readdir' | 'stat' | 'lstat' | 'readlink' | 'realpath' | 'open' | 'rename' | 'chmod' | 'unlink'>;

export interface Io {
  /** Writes text as is (callers add the newlines). */
  stdout(text: string): void;
  stderr(text: string): void;
  /** The directory relative paths are resolved against. */
  cwd: string;
  fs: CliFs;
}

/** The process's own streams, directory and file system. */
export function realIo(): Io {
  // `corpus-annotator validate | head` closes the pipe early: that is not an error worth a stack trace.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      process.exit(e.code === 'EPIPE' ? process.exitCode ?? 0 : 1);
    });
  }
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    cwd: process.cwd(),
    fs: fsp,
  };
}

/** A file system error as a short phrase, e.g. `permission denied (EACCES)`; never a stack trace. */
export function describeFsError(e: unknown): string {
  const code = errorCode(e);
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'it is a directory',
    ENOTDIR: 'a part of the path is not a directory',
    EROFS: 'read-only file system',
    ENOSPC: 'no space left on device',
    EDQUOT: 'disk quota exceeded',
    EMFILE: 'too many open files',
    ENAMETOOLONG: 'file name too long',
    ELOOP: 'too many levels of symbolic links',
    EBUSY: 'the file is busy',
    EIO: 'input/output error',
  };
  if (code && known[code]) return `${known[code]} (${code})`;
  const message = e instanceof Error ? e.message : String(e);
  return code && !message.includes(code) ? `${message} (${code})` : message;
}

export function errorCode(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A user-named output being written: `commit` makes it final, `abort` leaves what was there. */
export interface Output {
  /** Text, or bytes (a binary format: never to stdout, whose writer takes text). */
  write(chunk: string | Uint8Array): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

/**
 * Opens the output a user named (`--out`): `-` is stdout; a regular file (or a new one) is
 * written beside itself and renamed over it on commit, so it appears only complete and keeps its
 * permissions; a FIFO or a character device (/dev/null, a terminal) is opened and written
 * through, never renamed over, which would replace it with a regular file; a symbolic link is
 * followed (the same rules apply to its destination). A directory, a socket, a block device or a
 * dangling link is refused with an error saying what it is.
 */
export async function openOutput(io: Io, abs: string): Promise<Output> {
  if (abs === '-') return { write: async (t) => io.stdout(typeof t === 'string' ? t : new TextDecoder().decode(t)), commit: async () => undefined, abort: async () => undefined };
  const link = await io.fs.lstat(abs).catch((e: unknown) => (errorCode(e) === 'ENOENT' ? undefined : Promise.reject(e)));
  let target = abs;
  let stats = link;
  if (link?.isSymbolicLink()) {
    try {
      target = await io.fs.realpath(abs);
      stats = await io.fs.stat(target);
    } catch (e) {
      if (errorCode(e) !== 'ENOENT') throw e;
      throw new Error(`it is a symbolic link to ${await io.fs.readlink(abs).catch(() => '?')}, which does not exist; create the file it points to or remove the link`, { cause: e });
    }
  }
  if (stats === undefined || stats.isFile()) return renamedOutput(io, target, stats?.mode);
  if (stats.isDirectory()) throw Object.assign(new Error('it is a directory'), { code: 'EISDIR' });
  if (stats.isFIFO() || stats.isCharacterDevice()) return streamedOutput(await io.fs.open(target, fsConstants.O_WRONLY | fsConstants.O_NOCTTY));
  throw new Error(`it is a ${stats.isSocket() ? 'socket' : stats.isBlockDevice() ? 'block device' : 'special file'}, not a file this can be written to; give a file name`);
}

/** Writes to an open FIFO or device as the text comes; nothing to undo on abort. */
function streamedOutput(handle: fsp.FileHandle): Output {
  const close = closeOnce(handle);
  return {
    write: async (t) => void (await (typeof t === 'string' ? handle.write(t) : handle.write(t))),
    commit: close,
    abort: () => close().catch(() => undefined),
  };
}

/** A temporary file beside `target`, renamed over it on commit (with the old file's permissions). */
async function renamedOutput(io: Io, target: string, mode: number | undefined): Promise<Output> {
  const tmp = tempPathBeside(target);
  const handle = await io.fs.open(tmp, 'wx', 0o666);
  const close = closeOnce(handle);
  return {
    write: async (t) => void (await (typeof t === 'string' ? handle.write(t) : handle.write(t))),
    commit: async () => {
      try {
        await handle.sync();
        await close();
        if (mode !== undefined) await io.fs.chmod(tmp, mode & 0o7777);
        await io.fs.rename(tmp, target);
      } catch (e) {
        await io.fs.unlink(tmp).catch(() => undefined);
        throw e;
      }
    },
    abort: async () => {
      await close().catch(() => undefined);
      await io.fs.unlink(tmp).catch(() => undefined);
    },
  };
}

/** Closes `handle` the first time it is called; later calls do nothing (commit, then abort). */
function closeOnce(handle: fsp.FileHandle): () => Promise<void> {
  let closed = false;
  return async () => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
}
