// A file's bytes: through Node's fs for a local file in the Node extension host (no round trip to
// the workbench per file: see local-read.ts), through workspace.fs everywhere else. Failures are
// the FileSystemErrors workspace.fs throws, so callers test `code === 'FileNotFound'` either way.
import * as vscode from 'vscode';
import { localReader } from './local-read';

export async function readBytes(uri: vscode.Uri): Promise<Uint8Array> {
  if (uri.scheme !== 'file' || !localReader) return vscode.workspace.fs.readFile(uri);
  try {
    return await localReader.readFile(uri.fsPath);
  } catch (e) {
    throw asFileSystemError(e, uri);
  }
}

/** Whether a local file is a symbolic link (undefined: not a local file here, or not there). */
export async function isLocalSymbolicLink(uri: vscode.Uri): Promise<boolean | undefined> {
  if (uri.scheme !== 'file' || !localReader) return undefined;
  try {
    return await localReader.isSymbolicLink(uri.fsPath);
  } catch {
    return undefined;
  }
}

function asFileSystemError(e: unknown, uri: vscode.Uri): unknown {
  switch ((e as { code?: string } | undefined)?.code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return vscode.FileSystemError.FileNotFound(uri);
    case 'EISDIR':
      return vscode.FileSystemError.FileIsADirectory(uri);
    case 'EACCES':
    case 'EPERM':
      return vscode.FileSystemError.NoPermissions(uri);
    default:
      return e;
  }
}
