// Reads of local files in the Node extension host (desktop, code-server) straight from Node's fs.
// Each workspace.fs call there costs a round trip to the workbench first (VS Code 1.100 asks it to
// activate the file system provider: `$ensureActivation`), and in code-server the workbench is the
// browser, across a compressed web socket: 10,000 sidecars took tens of seconds that way on a busy
// machine, and a tag's write waited for three such trips. The browser bundle replaces this module
// with ./local-read.web.ts (esbuild.js).
import * as fsp from 'node:fs/promises';
import type { LocalReader } from './platform';

export const localReader: LocalReader | undefined = {
  readFile: (fsPath) => fsp.readFile(fsPath),
  async isSymbolicLink(fsPath) {
    return (await fsp.lstat(fsPath)).isSymbolicLink();
  },
  async stat(fsPath) {
    const st = await fsp.stat(fsPath);
    // As VS Code's disk provider computes them (Date#getTime, whole ms), so that a stamp persisted
    // from either compares equal with the other's.
    return { size: st.size, mtime: st.mtime.getTime() };
  },
  async listFiles(fsPath) {
    return (await fsp.readdir(fsPath, { withFileTypes: true })).filter((d) => d.isFile()).map((d) => d.name);
  },
};
