// Incremental canonical write: the new text of a canonical sidecar after a few entities were
// added, removed or changed, made by splicing only the changed lines into the previous text, so a
// change to a 10 000-entity sidecar costs a few lines, not a rewrite of every line. The result is
// byte-identical to writeSidecar() of the new model (property-tested over random operation
// sequences in test/unit/perf-sidecar-patch.test.ts). WrittenSidecar / writeSidecarIncrementally
// keep what a writer wrote last and work out the patch from the next model by themselves (the
// extension's store writes through them).
//
// The model objects are treated as immutable (as everywhere: the editing functions of edits.ts
// return new objects): an entity object found unchanged (the same object) is not compared again.
import { compareEntities, Entity, SIDECAR_VERSION, Sidecar } from '../model/model';
import { parseEntityLine } from './sidecar-fast-read';
import { entityLine, scalar, writeSidecar } from './sidecar-write';
import { countAtOrBelow, countBelow } from '../text/sorted-search';

export interface SidecarEdit {
  /** New entities; their ids must not be in the sidecar yet. */
  add?: readonly Entity[];
  /** Ids of entities to take out. */
  remove?: Iterable<string>;
  /** New versions of entities already in the sidecar, by id (relabelled, a note…); each may move in the sort order. */
  replace?: readonly Entity[];
  /** The new header, when `document`, `sha256` or `status` change (absent `sha256`: none). */
  header?: Pick<Sidecar, 'document' | 'sha256' | 'status'>;
}

export interface PatchedSidecar {
  /** The new canonical text: writeSidecar(new model), byte for byte. */
  text: string;
  /** The new 1-based line of each entity, as the reader gives it. */
  entityLines: Map<string, number>;
}

const ENTITIES_EMPTY = 'entities: []\n';
const ENTITIES_KEY = 'entities:\n';

export interface PatchOptions {
  /**
   * Update `entityLines` in place and return it, instead of a copy: for a caller that owns the
   * map and drops the old text (an editor's document state). Saves copying 10 000 entries.
   */
  reuseLines?: boolean;
}

/**
 * Applies `edit` to `text`, a canonical sidecar (as writeSidecar writes it; what the fast reader
 * accepts), whose entity lines are `entityLines` (from the reader, or a previous patch).
 * Undefined when the edit does not fit the text — an id to remove or replace that is not there,
 * an id added twice, a line that is not where the index says, text that is not canonical — and
 * the caller then writes the whole file with writeSidecar().
 */
export function patchSidecar(text: string, entityLines: ReadonlyMap<string, number>, edit: SidecarEdit, opts: PatchOptions = {}): PatchedSidecar | undefined {
  // The header: every line before `entities:` (4 or 5 lines).
  const keyAt = text.indexOf('\nentities:') + 1;
  if (keyAt <= 0) return undefined;
  let headerLines = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < keyAt; i = text.indexOf('\n', i + 1)) headerLines++;
  const firstLine = headerLines + 2; // line of the first entity
  const n = entityLines.size;
  let bodyAt: number;
  if (text.startsWith(ENTITIES_EMPTY, keyAt)) {
    if (n !== 0 || keyAt + ENTITIES_EMPTY.length !== text.length) return undefined;
    bodyAt = text.length;
  } else if (text.startsWith(ENTITIES_KEY, keyAt) && n > 0) {
    bodyAt = keyAt + ENTITIES_KEY.length;
  } else return undefined;

  // Where each entity line starts; starts[n] is the end of the text.
  const starts = new Array<number>(n + 1);
  let at = bodyAt;
  for (let i = 0; i < n; i++) {
    starts[i] = at;
    const nl = text.indexOf('\n', at);
    if (nl < 0) return undefined;
    at = nl + 1;
  }
  if (at !== text.length) return undefined;
  starts[n] = at;
  const lineAt = (i: number) => starts[i] as number;

  // Lines taken out: removed entities and the old lines of replaced ones.
  const removed = new Set<number>();
  const removedIds: string[] = [];
  const takeOut = (id: string): boolean => {
    const line = entityLines.get(id);
    if (line === undefined) return false;
    const i = line - firstLine;
    if (i < 0 || i >= n || removed.has(i)) return false;
    // The index must agree with the text: the line starts with this id.
    const prefix = `  - {id: ${scalar(id)}, `;
    if (!text.startsWith(prefix, lineAt(i))) return false;
    removed.add(i);
    removedIds.push(id);
    return true;
  };
  for (const id of edit.remove ?? []) if (!takeOut(id)) return undefined;
  for (const e of edit.replace ?? []) if (!takeOut(e.id)) return undefined;

  // Lines put in, each before the first original line that sorts after it.
  const newIds = new Set<string>();
  const inserts: Array<{ at: number; entity: Entity; line: string }> = [];
  const keyOf = new Map<number, Entity>();
  const entityAt = (i: number): Entity | undefined => {
    let e = keyOf.get(i);
    if (e === undefined) {
      e = parseEntityLine(text, lineAt(i))?.entity;
      if (e !== undefined) keyOf.set(i, e);
    }
    return e;
  };
  const insert = (e: Entity, replacing: boolean): boolean => {
    if (newIds.has(e.id) || (!replacing && entityLines.has(e.id))) return false;
    newIds.add(e.id);
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const other = entityAt(mid);
      if (other === undefined) return false;
      if (compareEntities(other, e) < 0) lo = mid + 1;
      else hi = mid;
    }
    inserts.push({ at: lo, entity: e, line: entityLine(e) + '\n' });
    return true;
  };
  for (const e of edit.replace ?? []) if (!insert(e, true)) return undefined;
  for (const e of edit.add ?? []) if (!insert(e, false)) return undefined;
  inserts.sort((a, b) => a.at - b.at || compareEntities(a.entity, b.entity));
  const removedSorted = [...removed].sort((a, b) => a - b);

  // The new header, written by the writer itself so it cannot drift from it.
  let header = text.slice(0, keyAt);
  if (edit.header) {
    const h: Sidecar = { version: SIDECAR_VERSION, document: edit.header.document, status: edit.header.status, entities: [] };
    if (edit.header.sha256 !== undefined) h.sha256 = edit.header.sha256;
    header = writeSidecar(h).slice(0, -ENTITIES_EMPTY.length);
  }
  const total = n - removed.size + inserts.length;
  let out = header + (total === 0 ? ENTITIES_EMPTY : ENTITIES_KEY);
  if (total > 0) {
    // Walk the original lines once, copying unchanged runs as whole slices.
    let cursor = bodyAt;
    let r = 0;
    let k = 0;
    while (r < removedSorted.length || k < inserts.length) {
      const nextRemoved = r < removedSorted.length ? (removedSorted[r] as number) : n;
      const ins = inserts[k];
      if (ins !== undefined && ins.at <= nextRemoved) {
        out += text.slice(cursor, lineAt(ins.at)) + ins.line;
        cursor = lineAt(ins.at);
        k++;
      } else {
        out += text.slice(cursor, lineAt(nextRemoved));
        cursor = lineAt(nextRemoved + 1);
        r++;
      }
    }
    out += text.slice(cursor);
  }

  // New line numbers: each kept line moves by the insertions before it minus the removals before it.
  const newFirst = (header.match(/\n/g)?.length ?? 0) + 2;
  const insertAts = inserts.map((x) => x.at);
  const shifted = (i: number) => newFirst + i - countBelow(removedSorted, i) + countAtOrBelow(insertAts, i);
  let lines: Map<string, number>;
  if (opts.reuseLines && entityLines instanceof Map) {
    lines = entityLines;
    for (const id of removedIds) lines.delete(id);
    // Only the lines after the first change (or all, when the header grew or shrank) move.
    for (const [id, line] of lines) {
      const moved = shifted(line - firstLine);
      if (moved !== line) lines.set(id, moved);
    }
  } else {
    lines = new Map<string, number>();
    for (const [id, line] of entityLines) {
      const i = line - firstLine;
      if (!removed.has(i)) lines.set(id, shifted(i));
    }
  }
  inserts.forEach((x, k) => lines.set(x.entity.id, newFirst + x.at - countBelow(removedSorted, x.at) + k));
  return { text: out, entityLines: lines };
}

// ---- A writer that patches what it wrote last --------------------------------------------------

/**
 * The canonical text a writer last wrote and what it says, so that its next write can be a patch
 * (see writeSidecarIncrementally). Opaque; each one is used at most once (its maps are updated in
 * place by the next write, which returns a new one).
 */
export class WrittenSidecar {
  private used = false;

  private constructor(
    /** The text as written: writeSidecar(the model), byte for byte. */
    readonly text: string,
    private readonly header: Pick<Sidecar, 'version' | 'document' | 'sha256' | 'status'>,
    /** The entities of `text` by id (objects equal, line for line, to what is written). */
    private readonly byId: Map<string, Entity>,
    /** The 1-based line of each entity in `text`. */
    private readonly lines: Map<string, number>,
  ) {}

  /** The whole file, written by writeSidecar; the index built from the same sort. */
  static full(s: Sidecar): WrittenSidecar {
    const entities = [...s.entities].sort(compareEntities);
    const sorted: Sidecar = { ...s, entities };
    const text = writeSidecar(sorted);
    const byId = new Map<string, Entity>();
    const lines = new Map<string, number>();
    const first = text.slice(0, text.indexOf('\nentities:')).split('\n').length + 2; // the line after `entities:`
    entities.forEach((e, i) => {
      byId.set(e.id, e);
      lines.set(e.id, first + i);
    });
    // Duplicate ids (never made by the editing functions) leave the index short: never patched.
    const usable = byId.size === entities.length;
    const w = new WrittenSidecar(text, headerOf(s), byId, lines);
    if (!usable) w.used = true;
    return w;
  }

  /**
   * The text for `next`, patched into this one when few entities changed (else rewritten), and what
   * the write after it builds on. This object must not be used again afterwards.
   */
  next(next: Sidecar): { text: string; written: WrittenSidecar; patched: boolean } {
    const edit = this.used ? undefined : this.editTo(next);
    this.used = true;
    if (edit === 'unchanged') return { text: this.text, written: new WrittenSidecar(this.text, this.header, this.byId, this.lines), patched: true };
    const patched = edit === undefined ? undefined : patchSidecar(this.text, this.lines, edit, { reuseLines: true });
    if (edit === undefined || patched === undefined) {
      const written = WrittenSidecar.full(next);
      return { text: written.text, written, patched: false };
    }
    for (const id of edit.remove as string[]) this.byId.delete(id);
    for (const e of edit.replace as Entity[]) this.byId.set(e.id, e);
    for (const e of edit.add as Entity[]) this.byId.set(e.id, e);
    return { text: patched.text, written: new WrittenSidecar(patched.text, headerOf(next), this.byId, patched.entityLines), patched: true };
  }

  /** What changed from this text to `next`; undefined when a patch would not pay (or cannot be made). */
  private editTo(next: Sidecar): (SidecarEdit & { add: Entity[]; remove: string[]; replace: Entity[] }) | 'unchanged' | undefined {
    // The patch writes the header as SIDECAR_VERSION; any other version is the full writer's.
    if (next.version !== SIDECAR_VERSION || this.header.version !== SIDECAR_VERSION) return undefined;
    const limit = Math.max(MIN_PATCH_CHANGES, next.entities.length >> 4);
    const add: Entity[] = [];
    const replace: Entity[] = [];
    const seen = new Set<string>();
    for (const e of next.entities) {
      if (seen.has(e.id)) return undefined; // duplicate ids: the full writer writes them as they are
      seen.add(e.id);
      const old = this.byId.get(e.id);
      if (old === undefined) add.push(e);
      else if (old !== e && !sameLine(old, e)) replace.push(e);
      else continue;
      if (add.length + replace.length > limit) return undefined;
    }
    const remove: string[] = [];
    if (seen.size - add.length !== this.byId.size) {
      for (const id of this.byId.keys()) if (!seen.has(id)) remove.push(id);
      if (add.length + replace.length + remove.length > limit) return undefined;
    }
    const h = headerOf(next);
    const sameHeader = h.document === this.header.document && h.sha256 === this.header.sha256 && h.status === this.header.status;
    if (sameHeader && add.length === 0 && replace.length === 0 && remove.length === 0) return 'unchanged';
    const edit: SidecarEdit & { add: Entity[]; remove: string[]; replace: Entity[] } = { add, remove, replace };
    if (!sameHeader) edit.header = h;
    return edit;
  }
}

/** Below this many changed entities a write is always a patch; above it, only up to 1/16 of the entities. */
const MIN_PATCH_CHANGES = 32;

function headerOf(s: Sidecar): Pick<Sidecar, 'version' | 'document' | 'sha256' | 'status'> {
  return { version: s.version, document: s.document, sha256: s.sha256, status: s.status };
}

/** Whether the writer writes the same line for both (`false`: perhaps not; a needless replace is harmless). */
function sameLine(a: Entity, b: Entity): boolean {
  if (a.id !== b.id || a.label !== b.label || a.start !== b.start || a.end !== b.end || a.text !== b.text) return false;
  if (a.note !== b.note || a.by !== b.by || a.src !== b.src || (a.suggested === true) !== (b.suggested === true)) return false;
  if (a.attrs === b.attrs) return true;
  if (a.attrs === undefined || b.attrs === undefined) return false;
  const keys = Object.keys(a.attrs);
  if (keys.length !== Object.keys(b.attrs).length) return false;
  for (const k of keys) if (!Object.prototype.hasOwnProperty.call(b.attrs, k) || a.attrs[k] !== b.attrs[k]) return false;
  return true;
}

/**
 * Writes `next` in canonical form: a patch of `previous` (what the same writer wrote last, still
 * what is on disk) when there is one and few entities changed, else the whole file. The text is
 * writeSidecar(next) either way, byte for byte. `previous` must not be used again.
 */
export function writeSidecarIncrementally(next: Sidecar, previous?: WrittenSidecar): { text: string; written: WrittenSidecar; patched: boolean } {
  if (previous === undefined) {
    const written = WrittenSidecar.full(next);
    return { text: written.text, written, patched: false };
  }
  return previous.next(next);
}
