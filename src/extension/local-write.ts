// Sidecar writes to local files in the Node extension host (desktop, code-server): the same
// lock, temporary file naming and atomic rename as the CLI, so that the two never overwrite each
// other's changes and no reader ever finds the sidecar missing or half-written. The browser
// bundle replaces this module with ./local-write.web.ts (esbuild.js).
import * as fsp from 'node:fs/promises';
import { withSidecarLock } from '../cli/sidecar-lock';
import { tempPathFor } from '../core/sidecar/write-scratch';
import type { LocalWriter } from './platform';

export const localWriter: LocalWriter | undefined = {
  async replace(fsPath, bytes, expected) {
    // A symbolic link to the sidecar stays a link: the file it points to is replaced.
    const target = await fsp.realpath(fsPath).catch(() => fsPath);
    return withSidecarLock(fsp, target, async () => {
      let current: Uint8Array | undefined;
      let mode = 0o666 & ~process.umask();
      try {
        current = await fsp.readFile(target);
        mode = (await fsp.stat(target)).mode & 0o7777;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      if (!sameContent(current, expected)) return 'changed';
      const tmp = tempPathFor(target, process.pid);
      const handle = await fsp.open(tmp, 'wx', 0o600);
      let renamed = false;
      try {
        try {
          await handle.writeFile(bytes);
          await handle.sync();
          await handle.chmod(mode);
        } finally {
          await handle.close();
        }
        await fsp.rename(tmp, target);
        renamed = true;
        return 'written';
      } finally {
        if (!renamed) await fsp.unlink(tmp).catch(() => undefined);
      }
    });
  },
};

function sameContent(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
