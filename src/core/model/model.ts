// The annotation model: what a sidecar holds, independent of how it is stored or shown.

export const SIDECAR_VERSION = 1;
export const STATUSES = ['todo', 'in-progress', 'done', 'reviewed'] as const;
export type Status = (typeof STATUSES)[number];

export interface Entity {
  /** Short random base36 id, unique in its sidecar, never reused or renumbered. */
  id: string;
  label: string;
  /** Code point offset into the article (BOM removed), inclusive. */
  start: number;
  /** Code point offset, exclusive. */
  end: number;
  /** The article's code points [start, end): a check on the offsets, and what reviewers read. */
  text: string;
  note?: string;
  /** Free string attributes, e.g. `kb: wikidata:Q…`. */
  attrs?: Record<string, string>;
  /** Who made it. */
  by?: string;
  /** Where it came from: `manual`, `pattern:<name>`, `propagated`, `import:<format>`… */
  src?: string;
  /**
   * A suggestion awaiting a decision (from tag-all-occurrences, a gazetteer or a pattern): shown
   * differently, left out of exports, agreement and statistics until accepted, which removes the flag.
   */
  suggested?: true;
}

export interface Sidecar {
  version: number;
  /** The article's file name (not its path: the sidecar sits beside it). */
  document: string;
  /** SHA-256 of the article's bytes when the offsets were last known to be right. */
  sha256?: string;
  status: Status;
  entities: Entity[];
}

export function isStatus(s: unknown): s is Status {
  return typeof s === 'string' && (STATUSES as readonly string[]).includes(s);
}

/** The canonical order of entities in a sidecar: (start, end, label, id). */
export function compareEntities(a: Entity, b: Entity): number {
  return a.start - b.start || a.end - b.end || cmp(a.label, b.label) || cmp(a.id, b.id);
}

/** Plain UTF-16 code unit comparison: locale-independent, so every machine sorts alike. */
export function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const ID_FIRST = 'abcdefghijklmnopqrstuvwxyz';
const ID_REST = '0123456789abcdefghijklmnopqrstuvwxyz';
export const ID_LENGTH = 6;

/**
 * A new id unknown to `taken`. Ids start with a letter so YAML never reads one as a number.
 * 26·36⁵ ≈ 1.6·10⁹ ids: two annotators adding entities to the same article in parallel
 * collide with negligible probability, which is what keeps git merges conflict-free.
 */
export function newEntityId(taken: ReadonlySet<string>, random: () => number = Math.random): string {
  for (;;) {
    let id = ID_FIRST[Math.floor(random() * ID_FIRST.length)] as string;
    for (let i = 1; i < ID_LENGTH; i++) id += ID_REST[Math.floor(random() * ID_REST.length)];
    if (!taken.has(id)) return id;
  }
}

/** The sidecar path of an article: its full file name plus `.ann.yaml`. */
export const SIDECAR_SUFFIX = '.ann.yaml';

export function sidecarPathOf(articlePath: string): string {
  return articlePath + SIDECAR_SUFFIX;
}

export function isSidecarPath(p: string): boolean {
  return p.endsWith(SIDECAR_SUFFIX);
}

export function articlePathOf(sidecarPath: string): string {
  return isSidecarPath(sidecarPath) ? sidecarPath.slice(0, -SIDECAR_SUFFIX.length) : sidecarPath;
}

export function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i < 0 ? p : p.slice(i + 1);
}
