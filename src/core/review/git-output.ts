// What git prints, read without running it: the process side lives in src/cli/git.ts (Node only),
// these parsers stay here so they are unit-tested on bytes and shared by the CLI and the extension.

const utf8 = new TextDecoder('utf-8');

/**
 * The objects of a `git cat-file --batch` answer, one per spec in the order asked: the blob's bytes,
 * or undefined for a spec git reports missing or ambiguous, or that names no blob (a tree).
 */
export function parseCatFileBatch(out: Uint8Array, specs: readonly string[]): Map<string, Uint8Array | undefined> {
  const objects = new Map<string, Uint8Array | undefined>();
  let at = 0;
  for (const spec of specs) {
    const nl = out.indexOf(0x0a, at);
    if (nl < 0) throw new Error(`git cat-file --batch stopped before ${spec}`);
    const header = utf8.decode(out.subarray(at, nl));
    at = nl + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) {
      objects.set(spec, undefined); // "<spec> missing" or "<spec> ambiguous"
      continue;
    }
    const size = Number(m[2]);
    if (at + size > out.length) throw new Error(`git cat-file --batch stopped inside ${spec}`);
    objects.set(spec, m[1] === 'blob' ? out.subarray(at, at + size) : undefined);
    at += size + 1; // the object, then a line feed
  }
  return objects;
}

/** The paths of `git ls-tree -z --name-only` (NUL-separated, no quoting). */
export function parseNulSeparated(out: string): string[] {
  return out.split('\0').filter((p) => p !== '');
}

/**
 * `git for-each-ref --format='%(HEAD) %(refname:short)' refs/heads`: the local branches in git's
 * order, and the one checked out (`*` in the first column), if any.
 */
export function parseLocalBranches(out: string): { branches: string[]; current: string | undefined } {
  const branches: string[] = [];
  let current: string | undefined;
  for (const line of out.split('\n')) {
    if (line.length < 3) continue;
    const name = line.slice(2);
    branches.push(name);
    if (line[0] === '*') current = name;
  }
  return { branches, current };
}
