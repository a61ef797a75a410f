// Sidecars git has not finished merging: its index holds their stages (1 the common ancestor,
// 2 ours, 3 theirs) until `git add`. When the merge driver could not run (the clone moved, the
// package was removed), git reports a conflict but leaves ours' file without markers: nothing in the
// file says theirs' changes are missing. validate reports that from the index, and resolve rebuilds
// the merge from the three stages.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { mergeSidecars } from '../core/review/merge';
import { Problem } from '../core/model/problems';
import { readSidecar } from '../core/sidecar/sidecar-read';
import { writeSidecar } from '../core/sidecar/sidecar-write';
import { TOOL } from './args';
import { git, readFilesAt } from './git-drivers';

export interface UnmergedStages {
  /** Stage 1, the common ancestor; absent when the file was added on both sides. */
  base?: Buffer;
  /** Stage 2; absent when ours deleted the file. */
  ours?: Buffer;
  /** Stage 3; absent when theirs deleted the file. */
  theirs?: Buffer;
}

type StageIds = Partial<Record<1 | 2 | 3, string>>;

/**
 * The unmerged paths of the repositories holding the files asked about: one `git ls-files -u` per
 * repository, found by walking up to its `.git` (no git process for files outside any).
 */
export class UnmergedIndex {
  private readonly topOfDir = new Map<string, string | undefined>();
  private readonly unmergedOfTop = new Map<string, Promise<Map<string, StageIds>>>();

  /** The stages of `abs` when git lists it as unmerged; undefined otherwise (or without git). */
  async stagesOf(abs: string): Promise<UnmergedStages | undefined> {
    const top = this.topOf(path.dirname(abs));
    if (top === undefined) return undefined;
    let listing = this.unmergedOfTop.get(top);
    if (!listing) {
      listing = listUnmerged(top);
      this.unmergedOfTop.set(top, listing);
    }
    const rel = relativeTo(top, abs);
    const ids = rel === undefined ? undefined : (await listing).get(rel);
    if (!ids) return undefined;
    const wanted = ([1, 2, 3] as const).filter((s) => ids[s] !== undefined);
    const blobs = await readFilesAt(wanted.map((s) => ids[s] as string), top).catch(() => new Map<string, Buffer | undefined>());
    const blob = (s: 1 | 2 | 3) => (ids[s] === undefined ? undefined : blobs.get(ids[s]));
    const out: UnmergedStages = {};
    const base = blob(1);
    const ours = blob(2);
    const theirs = blob(3);
    if (base) out.base = base;
    if (ours) out.ours = ours;
    if (theirs) out.theirs = theirs;
    return out;
  }

  private topOf(dir: string): string | undefined {
    if (this.topOfDir.has(dir)) return this.topOfDir.get(dir);
    let top: string | undefined;
    if (fs.existsSync(path.join(dir, '.git'))) top = dir;
    else if (path.dirname(dir) !== dir) top = this.topOf(path.dirname(dir));
    this.topOfDir.set(dir, top);
    return top;
  }
}

async function listUnmerged(top: string): Promise<Map<string, StageIds>> {
  const out = new Map<string, StageIds>();
  let r;
  try {
    r = await git(['ls-files', '-u', '-z', '--full-name'], top);
  } catch {
    return out; // no git installed: nothing can be unmerged
  }
  if (r.code !== 0) return out;
  for (const record of r.stdout.toString('utf8').split('\0')) {
    const m = /^\d+ ([0-9a-f]+) ([123])\t(.*)$/s.exec(record);
    if (!m) continue;
    const [, id, stage, file] = m as unknown as [string, string, string, string];
    const ids = out.get(file) ?? {};
    ids[Number(stage) as 1 | 2 | 3] = id;
    out.set(file, ids);
  }
  return out;
}

/** `abs` relative to the real path of `top`, with `/`; undefined when outside it. */
function relativeTo(top: string, abs: string): string | undefined {
  let realTop = top;
  let real = abs;
  try {
    realTop = fs.realpathSync(top);
    real = path.join(fs.realpathSync(path.dirname(abs)), path.basename(abs));
  } catch {
    // keep them as they are
  }
  const rel = path.relative(realTop, real);
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
  return rel.split(path.sep).join('/');
}

/**
 * Whether the working file is ours' version left as git leaves it when the merge driver did not
 * run, while theirs made changes a merge would bring in.
 */
export function theirsMissing(file: Uint8Array, stages: UnmergedStages): boolean {
  if (!stages.ours || !Buffer.from(file).equals(stages.ours) || !stages.theirs) return false;
  const ours = readSidecar(stages.ours.toString('utf8')).sidecar;
  const theirs = readSidecar(stages.theirs.toString('utf8')).sidecar;
  if (!ours || !theirs) return !stages.ours.equals(stages.theirs);
  const base = stages.base ? readSidecar(stages.base.toString('utf8')).sidecar : undefined;
  const merged = mergeSidecars({ base, ours, theirs });
  return merged.conflicts.length > 0 || writeSidecar(merged.sidecar) !== writeSidecar(ours);
}

/** validate's problem for a sidecar git lists as unmerged. */
export function unmergedProblem(file: Uint8Array, stages: UnmergedStages): Problem {
  if (theirsMissing(file, stages)) {
    return {
      severity: 'error', code: 'unmerged', line: 1, column: 1,
      message: 'git has not finished merging this sidecar, and it is ours\' version without theirs\' changes (the merge driver did not run: moved clone, removed package?); '
        + `rebuild the merge from git's index with \`${TOOL} resolve <this file>\`, then \`git add\` it (and run \`${TOOL} install-git-drivers\` again so later merges use the driver)`,
    };
  }
  return {
    severity: 'warning', code: 'unmerged', line: 1, column: 1,
    message: 'git still lists this sidecar as unmerged: once its content is what you want, `git add <this file>` to finish the merge',
  };
}
