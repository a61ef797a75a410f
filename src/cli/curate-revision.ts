// One curation input read from a git revision (a branch, a commit, REV:PATH), for the CLI and the
// extension's Node host alike: nothing is checked out and nothing is written to the repository,
// the objects are read with `git ls-tree` and `git cat-file --batch`.
import { CurationEntry, sidecarsUnderPrefix, sidecarText } from '../core/review/curate-inputs';
import { articlePathOf } from '../core/model/model';
import { listFilesAt, readFilesAt } from './git';

export interface RevisionInput {
  /** Documents by sidecar path under the prefix. */
  docs: Map<string, CurationEntry>;
  /** A file under the prefix at the revision (the label configuration), undefined when absent. */
  fileAt(rel: string): Promise<Uint8Array | undefined>;
}

/**
 * The sidecars of `commit` under `prefix` (repository-relative, '' for the whole tree), read in one
 * batch; each article when asked. `label` names the revision in messages (`label:path`).
 */
export async function readRevisionInput(top: string, commit: string, label: string, prefix: string): Promise<RevisionInput> {
  const sidecars = sidecarsUnderPrefix(await listFilesAt(commit, top), prefix);
  const contents = await readFilesAt([...sidecars.values()].map((f) => `${commit}:${f}`), top);
  const docs = new Map<string, CurationEntry>();
  for (const [key, f] of sidecars) {
    docs.set(key, {
      display: `${label}:${f}`,
      sidecar: async () => sidecarText(contents.get(`${commit}:${f}`)),
      article: async () => readOne(`${commit}:${articlePathOf(f)}`, top),
    });
  }
  const under = prefix.replace(/^\/+|\/+$/g, '');
  return { docs, fileAt: (rel) => readOne(`${commit}:${under === '' ? '' : under + '/'}${rel}`, top) };
}

async function readOne(spec: string, top: string): Promise<Uint8Array | undefined> {
  return (await readFilesAt([spec], top)).get(spec);
}
