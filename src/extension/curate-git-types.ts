// What curate-git.ts and its browser sibling curate-git.web.ts both answer.

/** The part of a vscode.Uri these modules read (they import no vscode: unit-tested in plain Node). */
export interface FolderLocation {
  scheme: string;
  fsPath: string;
  toString(skipEncoding?: boolean): string;
}

export interface Repository {
  /** The work tree's top, on disk. */
  top: string;
  /** The workspace folder under the top ('' at the top, else 'a/b/'): only sidecars under it are read. */
  prefix: string;
}

export type BranchSource =
  | { ok: true; repository: Repository; branches: string[]; current: string | undefined }
  /** Why no branch can be offered, for the quick pick. */
  | { ok: false; reason: string };
