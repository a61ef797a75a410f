// What differs between the Node extension host (desktop, code-server) and a browser's web worker
// host (vscode.dev, github.dev): Node's `process` exists only in the former. Nothing else in
// src/extension may touch Node globals, so one bundle serves both hosts.

interface NodeLikeProcess {
  platform?: string;
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
