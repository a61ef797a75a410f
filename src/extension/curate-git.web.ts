// The browser's web worker host runs no programs, git included: curation offers folders only there.
import { CurationEntry } from '../core/review/curate-inputs';
import { BranchSource, FolderLocation, Repository } from './curate-git-types';

const NO_GIT = 'VS Code in the browser cannot run git';

export function branchSource(_folder: FolderLocation | undefined): Promise<BranchSource> {
  return Promise.resolve({ ok: false, reason: NO_GIT });
}

export function readBranch(_repository: Repository, branch: string): Promise<Map<string, CurationEntry>> {
  return Promise.reject(new Error(`cannot read branch '${branch}': ${NO_GIT}`));
}
