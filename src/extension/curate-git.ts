// The annotators' branches of the workspace's repository, for "Curate Annotations From…" (Node host:
// git runs through src/cli/git.ts, the module the CLI uses). The browser's web worker host runs no
// programs: esbuild.js puts curate-git.web.ts in its place there.
import { readRevisionInput } from '../cli/curate-revision';
import { gitRepository, localBranches, resolveRevision } from '../cli/git';
import { CurationEntry } from '../core/review/curate-inputs';
import { BranchSource, FolderLocation, Repository } from './curate-git-types';

/** The local branches of the repository holding `folder` (a workspace folder's URI), or why there are none to offer. */
export async function branchSource(folder: FolderLocation | undefined): Promise<BranchSource> {
  if (folder === undefined) return { ok: false, reason: 'no folder is open' };
  if (folder.scheme !== 'file') return { ok: false, reason: `${folder.toString(true)} is not on this machine's disk, where git runs` };
  const repo = await gitRepository(folder.fsPath);
  if (!repo.ok) {
    return { ok: false, reason: repo.why === 'no-git' ? `${repo.message}: install git to curate branches` : repo.message };
  }
  const { branches, current } = await localBranches(repo.top);
  return { ok: true, repository: { top: repo.top, prefix: repo.prefix }, branches, current };
}

/**
 * A branch's sidecars under the repository's folder, keyed by their path under it, read from the
 * branch's last commit (resolved once, so commits made meanwhile do not mix in). Nothing is checked out.
 */
export async function readBranch(repository: Repository, branch: string): Promise<Map<string, CurationEntry>> {
  const commit = await resolveRevision(`refs/heads/${branch}`, repository.top);
  if (commit === undefined) throw new Error(`there is no branch '${branch}' in ${repository.top}`);
  return (await readRevisionInput(repository.top, commit, branch, repository.prefix)).docs;
}
