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
