// Where the extension writes a sidecar that is a symbolic link: through the link, to the file it
// resolves to, only when that file is inside the sidecar's workspace folder. A repository opened
// from someone else could otherwise point `a.txt.ann.yaml` at a file of the user's elsewhere on
// the disk; renaming over the link instead would silently turn it into a copy.
import * as vscode from 'vscode';
import { hostRealpath } from './platform';
import { isLocalSymbolicLink } from './read-file';

/**
 * The file to write for the sidecar `uri`: itself, or its link's destination inside its workspace
 * folder. Throws an error naming both paths for a link that leads outside (or that cannot be
 * resolved in this host). Call before each write.
 */
export async function sidecarWriteTarget(uri: vscode.Uri): Promise<vscode.Uri> {
  // The usual case, a plain local file, without a round trip to the workbench (read-file.ts).
  if ((await isLocalSymbolicLink(uri)) === false) return uri;
  let type: vscode.FileType;
  try {
    type = (await vscode.workspace.fs.stat(uri)).type;
  } catch {
    return uri; // not there yet: created as a regular file
  }
  if ((type & vscode.FileType.SymbolicLink) === 0) return uri;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const realpath = hostRealpath();
  if (uri.scheme !== 'file' || !folder || !realpath) {
    throw new Error(`${uri.fsPath} is a symbolic link whose destination cannot be checked here, so it is not rewritten through the link`);
  }
  const real = await realpath(uri.fsPath);
  const root = await realpath(folder.uri.fsPath).catch(() => folder.uri.fsPath);
  if (isInside(root, real)) return vscode.Uri.file(real);
  throw new Error(`${uri.fsPath} is a symbolic link to ${real}, outside the workspace folder ${folder.uri.fsPath}, so it is not rewritten through the link; copy that file into the workspace instead of linking it`);
}

/** Whether the real path `p` is `root` or below it (both from realpath: no `..`, no links). */
function isInside(root: string, p: string): boolean {
  const sep = root.includes('\\') && !root.includes('/') ? '\\' : '/';
  return p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
}
