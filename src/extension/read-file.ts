// A file's bytes and stat: through Node's fs for a local file in the Node extension host (no round
// trip to the workbench per file: see local-read.ts), through workspace.fs everywhere else (other
// schemes, the browser's web worker host). Failures are the FileSystemErrors workspace.fs throws,
// so callers test `code === 'FileNotFound'` either way.
import * as vscode from 'vscode';
import { localReader } from './local-read';
import type { LocalReader, LocalStat } from './platform';

export function readBytes(uri: vscode.Uri): Promise<Uint8Array> {
  return viaNode(uri, (reader, fsPath) => reader.readFile(fsPath), () => vscode.workspace.fs.readFile(uri));
}

/** Size and modification time (ms) of a file, links followed; rejects FileNotFound when it is not there. */
export function statFile(uri: vscode.Uri): Promise<LocalStat> {
  return viaNode(uri, (reader, fsPath) => reader.stat(fsPath), () => vscode.workspace.fs.stat(uri));
}

/** The names of the regular files in a directory (links and directories left out). */
export function listFiles(dir: vscode.Uri): Promise<string[]> {
  return viaNode(dir, (reader, fsPath) => reader.listFiles(fsPath), async () => (await vscode.workspace.fs.readDirectory(dir)).filter(([, type]) => type === vscode.FileType.File).map(([name]) => name));
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

async function viaNode<T>(uri: vscode.Uri, local: (reader: LocalReader, fsPath: string) => Promise<T>, remote: () => Thenable<T>): Promise<T> {
  if (uri.scheme !== 'file' || !localReader) return remote();
  try {
    return await local(localReader, uri.fsPath);
  } catch (e) {
    throw asFileSystemError(e, uri);
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
