// What curate-git.ts and its browser sibling curate-git.web.ts both answer.

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
