// The annotators' versions a curation reads, wherever they are (a folder on disk, a folder through
// VS Code's workspace.fs, a git revision): documents paired by their path under each input, read
// lazily, in the shape src/core/review/curate.ts takes. The CLI and the extension both go through here.
import { CurationSource } from './curate';
import { cmp, isSidecarPath } from '../model/model';

/** One document of one input. */
export interface CurationEntry {
  /** Where it is, for messages: a path, a URI, `BRANCH:path`. */
  display: string;
  /** The sidecar's text; undefined when it is not valid UTF-8. */
  sidecar(): Promise<string | undefined>;
  /** The article's bytes; undefined when missing. */
  article(): Promise<Uint8Array | undefined>;
}

export interface CurationInput {
  /** The name that goes into attrs (agreed, from). */
  name: string;
  /** Documents by sidecar path under the input ('/'-separated). */
  docs: ReadonlyMap<string, CurationEntry>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A sidecar's bytes as text; undefined when they are missing or not valid UTF-8 (curateSources says so). */
export function sidecarText(bytes: Uint8Array | undefined): string | undefined {
  if (bytes === undefined) return undefined;
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/** Every sidecar path any input has, in path order. */
export function documentKeys(inputs: readonly CurationInput[]): string[] {
  return [...new Set(inputs.flatMap((inp) => [...inp.docs.keys()]))].sort(cmp);
}

/** The names of the inputs that lack the document. */
export function missingIn(inputs: readonly CurationInput[], key: string): string[] {
  return inputs.filter((inp) => !inp.docs.has(key)).map((inp) => inp.name);
}

/**
 * Every input's version of one document, for curateSources; a sidecar that cannot be read at all
 * fails the document (naming where), an article that cannot be read is left for curateSources to report.
 */
export async function readSources(inputs: readonly CurationInput[], key: string, describeError: (e: unknown) => string): Promise<{ ok: true; sources: CurationSource[] } | { ok: false; error: string }> {
  const sources: CurationSource[] = [];
  for (const inp of inputs) {
    const entry = inp.docs.get(key);
    if (!entry) return { ok: false, error: `not annotated in ${inp.name}` };
    let sidecar: string | undefined;
    try {
      sidecar = await entry.sidecar();
    } catch (e) {
      return { ok: false, error: `${entry.display}: cannot read it: ${describeError(e)}` };
    }
    sources.push({ name: inp.name, display: entry.display, sidecar, article: await entry.article().catch(() => undefined) });
  }
  return { ok: true, sources };
}

/**
 * The sidecars of a revision's tree under `prefix` (a repository-relative folder, '' for all): each
 * by its path under the prefix (the document key), with its repository path.
 */
export function sidecarsUnderPrefix(files: readonly string[], prefix: string): Map<string, string> {
  const p = prefix.replace(/^\/+|\/+$/g, '');
  const out = new Map<string, string>();
  for (const f of files) {
    if (!isSidecarPath(f)) continue;
    if (p === '') out.set(f, f);
    else if (f.startsWith(p + '/')) out.set(f.slice(p.length + 1), f);
  }
  return out;
}

/**
 * Why a name cannot go into attrs (agreed, from: comma-separated lists), or undefined when every
 * name is usable: names must be non-empty, comma-free and distinct.
 */
export function badInputNames(names: readonly string[]): string | undefined {
  if (names.some((n) => n === '')) return 'a name is empty';
  const comma = names.find((n) => n.includes(','));
  if (comma !== undefined) return `the name '${comma}' has a comma (attrs list names with commas)`;
  if (new Set(names).size !== names.length) return `two inputs have the same name (${names.join(', ')})`;
  return undefined;
}
