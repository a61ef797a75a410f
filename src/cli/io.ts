// What the CLI needs from the outside world, injectable so every command runs in-process in tests:
// output streams, the working directory and the file system calls it makes.
import * as fsp from 'node:fs/promises';

/** The file system calls the CLI makes (a subset of node:fs/promises). */
export type CliFs = Pick<typeof fsp, 'readFile' | 'readdir' | 'stat' | 'realpath' | 'open' | 'rename' | 'chmod' | 'unlink'>;

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
