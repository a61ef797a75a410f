// Where a sidecar may be rewritten: a sidecar reached through a symbolic link (to the file, or
// to a directory above it) is written through only when the file it resolves to stays inside the
// corpus. A repository received from someone else could otherwise point `a.txt.ann.yaml` at a
// file of the user's anywhere on the disk, and fmt, suggest or reanchor would rewrite it.
import * as path from 'node:path';
import { CONFIG_FILE } from '../core/config/config';
import { isOutside } from './files';
import { errorCode, Io } from './io';

/**
 * The corpus a sidecar belongs to, by the path it was reached through (links not followed): the
 * nearest directory above it holding `.git` (the repository it came in), else the nearest holding
 * `.corpus-annotator.yaml`, else the sidecar's own directory.
 */
export async function corpusRootOf(io: Io, abs: string): Promise<string> {
  const has = (dir: string, name: string) => io.fs.stat(path.join(dir, name)).then(() => true, () => false);
  let withConfig: string | undefined;
  for (let dir = path.dirname(abs); ; dir = path.dirname(dir)) {
    if (await has(dir, '.git')) return dir;
    if (withConfig === undefined && (await has(dir, CONFIG_FILE))) withConfig = dir;
    if (path.dirname(dir) === dir) break;
  }
  return withConfig ?? path.dirname(abs);
}

/**
 * Throws, with a message naming both paths, when the sidecar `abs` resolves (through symbolic
 * links) to a file outside its corpus root. Call before rewriting it; a file not there yet passes.
 */
export async function assertRewritableSidecar(io: Io, abs: string): Promise<void> {
  let real: string;
  try {
    real = await io.fs.realpath(abs);
  } catch (e) {
    if (errorCode(e) === 'ENOENT') return;
    throw e;
  }
  if (real === abs) return;
  const root = await corpusRootOf(io, abs);
  const realRoot = await io.fs.realpath(root).catch(() => root);
  if (!isOutside(path.relative(realRoot, real))) return;
  throw new Error(`it is a symbolic link to ${real}, outside its corpus ${root}, so it is not rewritten through the link; copy that file here instead of linking it if it belongs to this corpus`);
}
