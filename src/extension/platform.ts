// What differs between the Node extension host (desktop, code-server) and a browser's web worker
// host (vscode.dev, github.dev): Node's `process` exists only in the former. Nothing else in
// src/extension may touch Node globals, so one bundle serves both hosts.

interface NodeLikeProcess {
  platform?: string;
  pid?: number;
  env?: Record<string, string | undefined>;
}

const nodeProcess = (globalThis as { process?: NodeLikeProcess }).process;
const userAgent = (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? '';

/** True in a browser's web worker extension host (no Node.js). */
export const isBrowserHost = nodeProcess === undefined;

/** Whether keys are shown the macOS way (⌘⌥1 rather than Ctrl+Alt+1). */
export const isMac = nodeProcess?.platform ? nodeProcess.platform === 'darwin' : /Macintosh|Mac OS X/.test(userAgent);

/** An environment variable of the extension host; always undefined in a browser. */
export function hostEnv(name: string): string | undefined {
  return nodeProcess?.env?.[name];
}

interface NodeFsPromises {
  realpath(path: string): Promise<string>;
}

/**
 * Node's `fs.promises.realpath` in the Node host (through `process.getBuiltinModule`, so the web
 * bundle imports nothing); undefined in a browser, where the workspace file system has no links
 * to resolve.
 */
export function hostRealpath(): ((path: string) => Promise<string>) | undefined {
  const getBuiltin = (nodeProcess as { getBuiltinModule?: (id: string) => unknown } | undefined)?.getBuiltinModule;
  const fs = getBuiltin?.call(nodeProcess, 'fs') as { promises?: NodeFsPromises } | undefined;
  const promises = fs?.promises;
  return promises ? (p) => promises.realpath(p) : undefined;
}

/** What the extension uses of Node's worker_threads.Worker. */
export interface NodeWorkerLike {
  postMessage(value: unknown): void;
  on(event: 'message' | 'error' | 'exit', listener: (value: never) => void): unknown;
  off(event: 'message' | 'error' | 'exit', listener: (value: never) => void): unknown;
  terminate(): unknown;
  unref(): void;
}

/**
 * Starts a Node worker thread on `script` with `workerData`, in the Node host (through
 * `process.getBuiltinModule`, so the web bundle imports nothing); undefined in a browser.
 */
export function hostWorker(script: string, workerData: unknown): NodeWorkerLike | undefined {
  const getBuiltin = (nodeProcess as { getBuiltinModule?: (id: string) => unknown } | undefined)?.getBuiltinModule;
  const threads = getBuiltin?.call(nodeProcess, 'worker_threads') as { Worker?: new (script: string, options: { workerData: unknown }) => NodeWorkerLike } | undefined;
  return threads?.Worker ? new threads.Worker(script, { workerData }) : undefined;
}

/** The extension host's process id, recorded in temporary file names (0 in a browser). */
export const hostPid = nodeProcess?.pid ?? 0;

/**
 * Writes to local files with Node's own calls, where VS Code's API falls short: its rename with
 * `overwrite` deletes the target before renaming (readers see no sidecar for a moment) and it
 * has no exclusive create for a lock. Present only in the Node extension host; the browser
 * bundle gets ./local-write.web.ts instead (esbuild.js), so it holds no Node built-in.
 */
export interface LocalWriter {
  /**
   * Replaces the file at `fsPath` with `bytes` under its sidecar lock (src/cli/sidecar-lock.ts,
   * shared with the CLI): a temporary file beside it, flushed, then renamed over it, which
   * replaces it in one step. Nothing is written, and 'changed' returned, when the file no longer
   * holds `expected` (undefined: no file).
   */
  replace(fsPath: string, bytes: Uint8Array, expected: Uint8Array | undefined): Promise<'written' | 'changed'>;
}

/**
 * Reads of local files through Node's fs (src/extension/local-read.ts); present only in the Node
 * extension host, the browser bundle gets ./local-read.web.ts instead (esbuild.js).
 */
export interface LocalReader {
  readFile(fsPath: string): Promise<Uint8Array>;
  /** lstat: whether the path itself is a symbolic link (rejects when it is not there). */
  isSymbolicLink(fsPath: string): Promise<boolean>;
  /** stat (links followed): size and modification time in ms, the figures `workspace.fs.stat` gives. */
  stat(fsPath: string): Promise<LocalStat>;
  /** The names of the regular files in a directory (not links, not directories). */
  listFiles(fsPath: string): Promise<string[]>;
}

export interface LocalStat {
  readonly size: number;
  readonly mtime: number;
}
