// Semantic merge of sidecars: entities are a set keyed by id, not lines of text. Used by the git
// merge driver (3-way: base, ours, theirs) and by `resolve` on a sidecar left with raw git conflict
// markers (3-way when the markers carry the base, diff3 style; 2-way otherwise).
//
// Rules (docs/git-workflow.md, "Merging"):
// - An entity added on one side is kept; deleted on one side and unchanged on the other, deleted.
// - Changed on one side: that change. Changed on both: merged field by field (label; span =
//   start, end and text together; note; attrs; by; src…); a field changed differently on both sides
//   is a conflict. Deleted on one side and changed on the other is a conflict.
// - Entities newly added on each side are compared with each other: the same span and label (two
//   annotators tagged the same thing under different ids) is kept once, the smaller id winning; the
//   same span with different labels, or overlapping spans the configuration's overlap policy forbids,
//   is a conflict between the two sides' entities.
// - A side that deleted every entity while the other side changed entities (a sidecar emptied by a
//   crash or a tool, more likely than a decision) deletes nothing quietly: each entity the other
//   side kept is a conflict.
// - `status`: 3-way; changed differently on both sides, the less advanced status wins (the merged
//   document needs another look) and a note says so. Never a conflict.
// - `sha256` (the article version the offsets were made against): when both sides agree, or one side
//   changed it and the other changed no entity, that hash. Otherwise the merged entities come from two
//   versions of the article: they are merged all the same, and the sidecar keeps the older hash
//   (base's; ours' when there is no base), so `validate` re-checks every entity against the merged
//   article — any that no longer matches is an error, never silently moved — and `fmt` records the new
//   hash once all match. A note says so.
// - `document`: 3-way; changed differently on both sides, ours (fmt corrects it from the file name).
//
// A merge with conflicts still gives a valid YAML sidecar: the settled entities under `entities:`, and
// each conflict under a top-level `conflicts:` list with both sides' entities. The reader reports each
// item as an error (`unresolved-conflict`), so the sidecar is not used until resolved.
import { Document, isMap, isScalar, isSeq, LineCounter, Node } from 'yaml';
import type { OverlapPolicy } from '../config/config';
import { cmp, compareEntities, Entity, SIDECAR_VERSION, Sidecar, Status, STATUSES } from '../model/model';
import { Problem } from '../model/problems';
import { MAX_ALIASES, parseSidecarYaml, readSidecar, TOO_MANY_ALIASES } from '../sidecar/sidecar-read';
import { entityLine, quoted, scalar, writeSidecar } from '../sidecar/sidecar-write';
import { clip } from '../sidecar/validate';

export const CONFLICTS_KEY = 'conflicts';

export interface Conflict {
  /** The entity's id; for clashing entities added on both sides, their ids joined with `+`. */
  id: string;
  /** Why, in words: `label changed on both sides: ours PER, theirs ORG`. */
  reason: string;
  /** Ours' version: the entities `--ours` keeps (none: ours deleted it). */
  ours: Entity[];
  theirs: Entity[];
}

export interface MergeInput {
  /** The common ancestor; undefined for a 2-way merge (everything counts as added on both sides). */
  base?: Sidecar;
  ours: Sidecar;
  theirs: Sidecar;
  /** The label configuration's overlap policy (default `nested`). */
  overlap?: OverlapPolicy;
}

export interface MergeResult {
  /** The merged sidecar, without the conflicting entities. */
  sidecar: Sidecar;
  conflicts: Conflict[];
  /** What the merge decided that a reviewer should know (status, sha256, duplicates). */
  notes: string[];
}

export type Side = 'ours' | 'theirs';

const SPAN_KEYS = new Set(['id', 'start', 'end', 'text']);

const WHOLE_SET_DELETION = (side: Side) =>
  `deleted by ${side}, which deleted every entity, while ${side === 'ours' ? 'theirs' : 'ours'} changed entities (was the sidecar emptied by mistake?)`;

/**
 * `pairAdded` decides how the entities new on each side meet: the sweep below; the property test
 * passes the quadratic definition it replaced, to check they agree.
 */
export function mergeSidecars(input: MergeInput, pairAdded: PairAdded = pairAddedSweep): MergeResult {
  const { base, ours, theirs } = input;
  const overlap = input.overlap ?? 'nested';
  const notes: string[] = [];
  const conflicts: Conflict[] = [];
  const merged: Entity[] = [];
  const B = byId(base?.entities ?? []);
  const O = byId(ours.entities);
  const T = byId(theirs.entities);
  const addedOurs: Entity[] = [];
  const addedTheirs: Entity[] = [];
  // A side left with no entity at all (a truncated file, a tool that rewrote it empty) while the
  // other side changed entities is not a deliberate deletion to merge quietly: each entity it drops
  // that the other side kept becomes a conflict.
  const emptied = (side: Sidecar, other: Sidecar) =>
    base !== undefined && base.entities.length > 0 && side.entities.length === 0 && other.entities.length > 0 && !sameEntitySet(other.entities, base.entities);
  const oursEmptied = emptied(ours, theirs);
  const theirsEmptied = emptied(theirs, ours);

  const ids = [...new Set([...B.keys(), ...O.keys(), ...T.keys()])].sort(cmp);
  for (const id of ids) {
    const b = B.get(id);
    const o = O.get(id);
    const t = T.get(id);
    if (o && t) {
      const r = mergeEntity(b, o, t);
      if ('entity' in r) merged.push(r.entity);
      else conflicts.push({ id, reason: r.reason, ours: [o], theirs: [t] });
    } else if (!b) {
      if (o) addedOurs.push(o);
      if (t) addedTheirs.push(t);
    } else if (o) {
      // theirs deleted it
      if (!sameEntity(o, b)) conflicts.push({ id, reason: `deleted by theirs, changed by ours (${describeChange(b, o)})`, ours: [o], theirs: [] });
      else if (theirsEmptied) conflicts.push({ id, reason: WHOLE_SET_DELETION('theirs'), ours: [o], theirs: [] });
    } else if (t) {
      if (!sameEntity(t, b)) conflicts.push({ id, reason: `deleted by ours, changed by theirs (${describeChange(b, t)})`, ours: [], theirs: [t] });
      else if (oursEmptied) conflicts.push({ id, reason: WHOLE_SET_DELETION('ours'), ours: [], theirs: [t] });
    }
  }

  // Entities new on each side, checked against each other.
  const pairing = pairAdded(addedOurs, addedTheirs, overlap);
  const { dropped } = pairing;
  notes.push(...pairing.notes);
  const clash = new Map<Entity, Entity[]>();
  const clashesOf = new Map<Entity, Clash[]>(); // by ours' entity of the pair
  for (const x of pairing.clashes) {
    const [a, c] = x;
    for (const [p, q] of [[a, c], [c, a]] as const) {
      const list = clash.get(p);
      if (list) list.push(q);
      else clash.set(p, [q]);
    }
    const list = clashesOf.get(a);
    if (list) list.push(x);
    else clashesOf.set(a, [x]);
  }
  const oursSet = new Set(addedOurs);
  const seen = new Set<Entity>();
  for (const e of [...addedOurs, ...addedTheirs]) {
    if (dropped.has(e) || seen.has(e)) continue;
    if (!clash.has(e)) {
      merged.push(e);
      continue;
    }
    // The connected group of clashing entities becomes one conflict: keep one side's or the other's.
    const group: Entity[] = [];
    const stack = [e];
    seen.add(e);
    while (stack.length) {
      const x = stack.pop() as Entity;
      group.push(x);
      for (const y of clash.get(x) ?? []) {
        if (!seen.has(y) && !dropped.has(y)) {
          seen.add(y);
          stack.push(y);
        }
      }
    }
    const o = group.filter((x) => oursSet.has(x)).sort(compareEntities);
    const t = group.filter((x) => !oursSet.has(x)).sort(compareEntities);
    // The reasons in the order of ours' entities, then theirs', as the conflict lists them.
    const rank = new Map<Entity, number>([...o.map((x, i) => [x, i] as const), ...t.map((x, i) => [x, i] as const)]);
    const pairs = o.flatMap((x) => clashesOf.get(x) ?? []);
    pairs.sort((x, y) => (rank.get(x[0]) as number) - (rank.get(y[0]) as number) || (rank.get(x[1]) as number) - (rank.get(y[1]) as number));
    conflicts.push({ id: [...o, ...t].map((x) => x.id).join('+'), reason: pairs.map((x) => x[2]).join('; '), ours: o, theirs: t });
  }

  // Status, document, sha256.
  const status = mergeStatus(base?.status, ours.status, theirs.status, notes);
  const document = merge3(base?.document, ours.document, theirs.document) ?? ours.document;
  if (ours.document !== theirs.document && document === ours.document && base?.document !== theirs.document) {
    notes.push(`\`document\` differs (ours "${ours.document}", theirs "${theirs.document}"): kept ours; \`corpus-annotator fmt\` sets it from the file name`);
  }
  const sha256 = mergeSha(base, ours, theirs, notes);

  const sidecar: Sidecar = { version: SIDECAR_VERSION, document, status, entities: merged.sort(compareEntities) };
  if (sha256 !== undefined) sidecar.sha256 = sha256;
  conflicts.sort((x, y) => firstStart(x) - firstStart(y) || cmp(x.id, y.id));
  return { sidecar, conflicts, notes };
}

/** A conflicted merge settled by taking one side's entities for every conflict. */
export function resolveConflicts(sidecar: Sidecar, conflicts: readonly Conflict[], side: Side): Sidecar {
  const taken = new Set(sidecar.entities.map((e) => e.id));
  const entities = [...sidecar.entities];
  for (const c of conflicts) {
    for (const e of c[side]) {
      if (taken.has(e.id)) continue; // resolved by hand already
      taken.add(e.id);
      entities.push(e);
    }
  }
  return { ...sidecar, entities: entities.sort(compareEntities) };
}

// ---------------------------------------------------------------------------------------------
// Entities added on both sides.

/** Two entities added on different sides that cannot both be kept: ours', theirs', and why. */
export type Clash = [Entity, Entity, string];

export interface AddedPairing {
  /** Entities kept once: the larger id of a pair tagged alike (same span, label, note, attributes) on both sides. */
  dropped: Set<Entity>;
  /** One per pair tagged alike, in the order of ours' entities, then theirs' (as given). */
  notes: string[];
  /** Every clashing pair among the entities not dropped (any order). */
  clashes: Clash[];
}

/** How the entities added on each side (each list in id order) meet. */
export type PairAdded = (addedOurs: readonly Entity[], addedTheirs: readonly Entity[], overlap: OverlapPolicy) => AddedPairing;

/**
 * Tagged alike: grouped by span, label and content, each group resolved as a walk through both
 * sides in id order (an ours entity keeps dropping theirs with larger ids until one has a smaller
 * id, which drops it). Clashes: the overlapping pairs found by a sweep over the spans sorted by
 * start, so the work is O(n log n + overlapping pairs), not ours × theirs.
 */
export const pairAddedSweep: PairAdded = (addedOurs, addedTheirs, overlap) => {
  const dropped = new Set<Entity>();
  const notes: Array<[number, number, string]> = [];
  const alike = new Map<string, { ours: number[]; theirs: number[] }>();
  const groupOf = (e: Entity) => {
    const key = contentKey(e);
    let g = alike.get(key);
    if (!g) alike.set(key, (g = { ours: [], theirs: [] }));
    return g;
  };
  addedOurs.forEach((e, i) => groupOf(e).ours.push(i));
  addedTheirs.forEach((e, i) => groupOf(e).theirs.push(i));
  for (const g of alike.values()) {
    let front = 0;
    for (const i of g.ours) {
      const a = addedOurs[i] as Entity;
      while (front < g.theirs.length) {
        const j = g.theirs[front] as number;
        const c = addedTheirs[j] as Entity;
        const keepOurs = cmp(a.id, c.id) <= 0;
        dropped.add(keepOurs ? c : a);
        notes.push([i, j, `${a.label} «${clip(a.text)}» ${a.start}-${a.end} was added on both sides (ids ${a.id}, ${c.id}): kept once, as ${keepOurs ? a.id : c.id}`]);
        if (!keepOurs) break;
        front++;
      }
    }
  }
  notes.sort((x, y) => x[0] - y[0] || x[1] - y[1]);

  const clashes: Clash[] = [];
  const live = (list: readonly Entity[]) => list.filter((e) => !dropped.has(e));
  forEachOverlap(live(addedOurs), live(addedTheirs), (a, c) => {
    const why = clashReason(a, c, overlap);
    if (why !== undefined) clashes.push([a, c, why]);
  });
  return { dropped, notes: notes.map((n) => n[2]), clashes };
};

/** Why two overlapping entities added on different sides cannot both be kept; undefined when they can. */
export function clashReason(a: Entity, c: Entity, overlap: OverlapPolicy): string | undefined {
  const sameSpan = a.start === c.start && a.end === c.end;
  if (sameSpan && a.label === c.label) {
    return `the same entity ${a.label} «${clip(a.text)}» ${a.start}-${a.end} added on both sides with a different ${differingFields(a, c).join(', ')}`;
  }
  if (sameSpan) return `the same span «${clip(a.text)}» ${a.start}-${a.end} tagged ${a.label} by ours and ${c.label} by theirs`;
  const nested = (a.start <= c.start && c.end <= a.end) || (c.start <= a.start && a.end <= c.end);
  if (overlap === 'forbid' || (overlap === 'nested' && !nested)) {
    return `entities added on both sides ${nested ? 'nest' : 'overlap'}: ${a.label} «${clip(a.text)}» ${a.start}-${a.end} (ours) and ${c.label} «${clip(c.text)}» ${c.start}-${c.end} (theirs), which the overlap policy "${overlap}" forbids`;
  }
  return undefined;
}

/** Calls `visit(a, c)` for every a of `ours` and c of `theirs` whose spans overlap (a.start < c.end && c.start < a.end). */
function forEachOverlap(ours: readonly Entity[], theirs: readonly Entity[], visit: (a: Entity, c: Entity) => void): void {
  const events = [...ours.map((e) => [e, 0] as const), ...theirs.map((e) => [e, 1] as const)].sort((x, y) => x[0].start - y[0].start);
  // Per side, the entities whose span may still reach the next start; the heap finds those that end first.
  const active = [new Set<Entity>(), new Set<Entity>()] as const;
  const ends = [new EndHeap(), new EndHeap()] as const;
  for (const [x, side] of events) {
    const other = 1 - side;
    const heap = ends[other] as EndHeap;
    const set = active[other] as Set<Entity>;
    while (heap.size && (heap.peek() as Entity).end <= x.start) set.delete(heap.pop() as Entity);
    for (const y of set) {
      const [a, c] = side === 0 ? [x, y] : [y, x];
      if (a.start < c.end && c.start < a.end) visit(a, c); // (an empty span at another's start does not overlap it)
    }
    active[side].add(x);
    ends[side].push(x);
  }
}

/** A binary min-heap of entities by end. */
class EndHeap {
  private readonly items: Entity[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): Entity | undefined {
    return this.items[0];
  }
  push(e: Entity): void {
    const h = this.items;
    h.push(e);
    for (let i = h.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if ((h[parent] as Entity).end <= e.end) break;
      h[i] = h[parent] as Entity;
      h[parent] = e;
      i = parent;
    }
  }
  pop(): Entity | undefined {
    const h = this.items;
    const top = h[0];
    const last = h.pop();
    if (h.length === 0 || last === undefined) return top;
    h[0] = last;
    for (let i = 0; ;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && (h[l] as Entity).end < (h[m] as Entity).end) m = l;
      if (r < h.length && (h[r] as Entity).end < (h[m] as Entity).end) m = r;
      if (m === i) break;
      [h[i], h[m]] = [h[m] as Entity, h[i] as Entity];
      i = m;
    }
    return top;
  }
}

/** Equal for two entities exactly when they are the same annotation apart from id, author and origin (`differingFields` empty). */
function contentKey(e: Entity): string {
  // fieldsOf and fieldValue, without by and src, unrolled: this runs once per added entity.
  const record = e as unknown as Record<string, unknown>;
  let key = `${e.start}-${e.end}:${JSON.stringify(e.text)}`;
  for (const f of Object.keys(record).sort(cmp)) {
    if (SPAN_KEYS.has(f) || f === 'by' || f === 'src') continue;
    const v = canonicalJson(record[f]);
    if (v !== '') key += `\u0000${f}\u0000${v}`;
  }
  return key;
}

// ---------------------------------------------------------------------------------------------
// The conflicted sidecar: reading and writing the `conflicts:` list.

/**
 * The sidecar with its conflicts: the canonical sidecar, then a comment saying how to resolve
 * and `conflicts:` with each conflict as a block, both sides' entities as canonical entity lines
 * (cut one and paste it under `entities:` to resolve by hand).
 */
export function writeConflictedSidecar(sidecar: Sidecar, conflicts: readonly Conflict[]): string {
  const text = writeSidecar(sidecar);
  if (conflicts.length === 0) return text;
  const lines = [
    '# Unresolved annotation conflicts left by a merge: the sidecar is not used until they are resolved.',
    '# Keep one side of each: corpus-annotator resolve --ours (or --theirs) <this file>; or by hand, move the',
    '# entity lines you keep into `entities:` and delete the item (and `conflicts:` once empty).',
    `${CONFLICTS_KEY}:`,
  ];
  for (const c of conflicts) {
    lines.push(`  - id: ${scalar(c.id)}`, `    reason: ${quoted(c.reason)}`);
    for (const side of ['ours', 'theirs'] as const) {
      const list = [...c[side]].sort(compareEntities);
      if (list.length === 0) lines.push(`    ${side}: []`);
      else lines.push(`    ${side}:`, ...list.map((e) => '    ' + entityLine(e)));
    }
  }
  return text + lines.join('\n') + '\n';
}

export interface ConflictedSidecar {
  /** The settled part, when it is structurally sound. */
  sidecar?: Sidecar;
  conflicts: Conflict[];
  /** Problems other than the unresolved conflicts themselves. */
  problems: Problem[];
}

/** Reads a sidecar that may hold a `conflicts:` list (as the merge driver writes it). */
export function readConflictedSidecar(source: string): ConflictedSidecar {
  const parsed = readSidecar(source);
  const others = parsed.problems.filter((p) => p.code !== 'unresolved-conflict');
  if (parsed.sidecar || !parsed.problems.some((p) => p.code === 'unresolved-conflict')) {
    return { sidecar: parsed.sidecar, conflicts: [], problems: others };
  }
  // The `conflicts:` list is walked here, parsed with the reader's own checks and words.
  const lines = new LineCounter();
  const { doc, problems: unreadable } = parseSidecarYaml(source, lines);
  if (!doc) return { conflicts: [], problems: unreadable };
  const root = doc.contents;
  const problems: Problem[] = [];
  const at = (node: Node | null | undefined) => lines.linePos(node?.range?.[0] ?? 0).line;
  const fail = (node: Node | null | undefined, message: string) =>
    problems.push({ severity: 'error', code: 'bad-conflict', message, line: at(node), column: 1 });
  if (!isMap(root)) return { conflicts: [], problems: others };
  const pair = root.items.find((p) => isScalar(p.key) && p.key.value === CONFLICTS_KEY);
  const list = pair?.value as Node | null | undefined;
  // The settled part: the same text with the `conflicts:` entry blanked out (so lines keep their numbers).
  let rest = source;
  const from = (pair?.key as Node | undefined)?.range?.[0];
  const to = list?.range?.[1];
  if (from !== undefined && to !== undefined) rest = source.slice(0, from) + source.slice(from, to).replace(/[^\n]/g, ' ') + source.slice(to);
  const settled = readSidecar(rest);
  problems.push(...settled.problems);
  const conflicts: Conflict[] = [];
  if (isSeq(list)) {
    for (const item of list.items as Node[]) {
      if (!isMap(item)) {
        fail(item, 'each conflict must be a mapping with id, reason, ours and theirs');
        continue;
      }
      const id = item.get('id');
      const reason = item.get('reason');
      const c: Conflict = { id: id === undefined || id === null ? '' : String(id), reason: typeof reason === 'string' ? reason : '', ours: [], theirs: [] };
      for (const side of ['ours', 'theirs'] as const) {
        const node = item.get(side, true) as Node | undefined;
        if (node === undefined || (isScalar(node) && node.value === null)) continue;
        const entries = isSeq(node) ? (node.items as Node[]) : isMap(node) ? [node] : undefined;
        if (!entries) {
          fail(node, `\`${side}\` of conflict ${c.id} must be a list of entities`);
          continue;
        }
        for (const entry of entries) {
          if (isMap(entry) && entry.get('deleted') === true && entry.items.length === 1) continue;
          const e = entityFromJson(entryValue(entry, doc));
          if (typeof e === 'string') fail(entry, `conflict ${c.id}, ${side}: ${e}`);
          else c[side].push(e);
        }
      }
      conflicts.push(c);
    }
  } else fail(list, '`conflicts` must be a list');
  const out: ConflictedSidecar = { conflicts, problems };
  if (settled.sidecar && problems.length === 0) out.sidecar = settled.sidecar;
  return out;
}

/**
 * A conflict side's entity as plain data, aliases (*name) resolved as the reader resolves them
 * (at most MAX_ALIASES), or why it cannot be: too many aliases, or one inside the item it names.
 */
function entryValue(entry: Node, doc: Document.Parsed): unknown | { unreadable: string } {
  try {
    const value: unknown = entry.toJS(doc, { maxAliasCount: MAX_ALIASES });
    JSON.stringify(value); // throws on a loop
    return value;
  } catch (e) {
    if (e instanceof ReferenceError && /alias/i.test(e.message)) return { unreadable: TOO_MANY_ALIASES };
    if (e instanceof TypeError && /circular/i.test(e.message)) return { unreadable: 'a YAML alias (*name) refers to an item it is inside (a loop); write the entity out in full' };
    return { unreadable: `it cannot be read (${e instanceof Error ? e.message : String(e)})` };
  }
}

/** One entity checked by the sidecar reader (so a conflict side obeys the same rules as `entities:`). */
function entityFromJson(value: unknown): Entity | string {
  if (value !== null && typeof value === 'object' && 'unreadable' in value && typeof value.unreadable === 'string') return value.unreadable;
  const r = readSidecar(`version: ${SIDECAR_VERSION}\nentities:\n  - ${JSON.stringify(value)}\n`);
  const e = r.sidecar?.entities[0];
  if (e) return e;
  return r.problems[0]?.message ?? 'not an entity';
}

// ---------------------------------------------------------------------------------------------
// Raw git conflict markers (a merge made without the driver).

export interface MarkerSides {
  ours: string;
  theirs: string;
  /** Present when every conflict hunk carries the base (merge.conflictStyle diff3 or zdiff3). */
  base?: string;
  hunks: number;
  /** The file's line (1-based) of each line of each version: `fileLines.ours[n - 1]` is where ours' line n is. */
  fileLines: Record<'ours' | 'theirs' | 'base', number[]>;
}

/** A problem found in one version of a file with conflict markers, at the file's line. */
export function atFileLine(p: Problem, sides: MarkerSides, side: 'ours' | 'theirs' | 'base'): Problem {
  const line = sides.fileLines[side][p.line - 1];
  return line === undefined ? p : { ...p, line };
}

/**
 * Splits a file with git conflict markers into the two (or three) versions it merges:
 * lines outside the hunks belong to all, `<<<<<<<`…`|||||||`/`=======` to ours,
 * `|||||||`…`=======` to the base, `=======`…`>>>>>>>` to theirs. Undefined when there are
 * no markers; an error message when they are unbalanced.
 */
export function splitConflictMarkers(source: string): MarkerSides | string | undefined {
  // A CR alone ends a line too (as the reader's CONFLICT_MARKER sees it): an old-Mac sidecar is
  // split, and each version then gets the reader's "CR-only line endings" message.
  const lines = source.split(/(?<=\r\n|\n|\r(?!\n))/);
  const fileLines: MarkerSides['fileLines'] = { ours: [], theirs: [], base: [] };
  let ours = '';
  let theirs = '';
  let base = '';
  let state: 'common' | 'ours' | 'base' | 'theirs' = 'common';
  let size = 7;
  let hunks = 0;
  let hunksWithBase = 0;
  let lineNo = 0;
  for (const line of lines) {
    lineNo++;
    const bare = line.replace(/\r?\n$|\r$/, '');
    const marker = /^([<|=>])\1{6,}(?: |$)/.exec(bare);
    const len = marker ? /^([<|=>])\1*/.exec(bare)?.[0].length ?? 0 : 0;
    const is = (c: string) => marker !== null && marker[1] === c && len === size;
    if (state === 'common' && marker && marker[1] === '<') {
      state = 'ours';
      size = len;
      hunks++;
      continue;
    }
    if (state === 'ours' && is('|')) {
      state = 'base';
      hunksWithBase++;
      continue;
    }
    if ((state === 'ours' || state === 'base') && is('=') && bare.length === size) {
      state = 'theirs';
      continue;
    }
    if (state === 'theirs' && is('>')) {
      state = 'common';
      continue;
    }
    if (marker && state === 'common') return `line ${lineNo}: a conflict marker ${bare.slice(0, size)} outside a conflict (unbalanced markers); fix the markers by hand`;
    if (state === 'common') {
      ours += line;
      theirs += line;
      base += line;
      fileLines.ours.push(lineNo);
      fileLines.theirs.push(lineNo);
      fileLines.base.push(lineNo);
    } else if (state === 'ours') {
      ours += line;
      fileLines.ours.push(lineNo);
    } else if (state === 'base') {
      base += line;
      fileLines.base.push(lineNo);
    } else {
      theirs += line;
      fileLines.theirs.push(lineNo);
    }
  }
  if (hunks === 0) return undefined;
  if (state !== 'common') return `the last conflict (started by <<<<<<<) has no ${state === 'theirs' ? '>>>>>>>' : '======='} line (unbalanced markers); fix the markers by hand`;
  const out: MarkerSides = { ours, theirs, hunks, fileLines };
  if (hunksWithBase === hunks) out.base = base;
  return out;
}

/**
 * Both versions whole between diff3 markers, for a side that cannot be merged by lines without
 * losing the other: an emptied sidecar (a line merge would take the emptying as the change to keep).
 */
export function wholeFileConflict(ours: string, base: string | undefined, theirs: string): string {
  const part = (s: string) => (s === '' || s.endsWith('\n') ? s : s + '\n');
  return `<<<<<<< ours\n${part(ours)}||||||| base\n${part(base ?? '')}=======\n${part(theirs)}>>>>>>> theirs\n`;
}

// ---------------------------------------------------------------------------------------------
// Helpers.

function byId(entities: readonly Entity[]): Map<string, Entity> {
  return new Map(entities.map((e) => [e.id, e]));
}

/** The fields merged independently: `span` (start, end, text together) and every other key but id. */
function fieldsOf(...entities: Array<Entity | undefined>): string[] {
  const keys = new Set<string>(['label']);
  for (const e of entities) if (e) for (const k of Object.keys(e)) if (!SPAN_KEYS.has(k)) keys.add(k);
  return ['span', ...[...keys].sort(cmp)];
}

function fieldValue(e: Entity, field: string): string {
  if (field === 'span') return `${e.start}-${e.end}:${e.text}`;
  return canonicalJson((e as unknown as Record<string, unknown>)[field]);
}

function canonicalJson(v: unknown): string {
  if (v === undefined) return '';
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    return '{' + Object.keys(o).sort(cmp).map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',') + '}';
  }
  return JSON.stringify(v);
}

export function sameEntity(a: Entity, b: Entity): boolean {
  return a.id === b.id && fieldsOf(a, b).every((f) => fieldValue(a, f) === fieldValue(b, f));
}

export function differingFields(a: Entity, b: Entity): string[] {
  return fieldsOf(a, b).filter((f) => f !== 'by' && f !== 'src' && fieldValue(a, f) !== fieldValue(b, f));
}

/** 3-way merge of one entity present on both sides, field by field. */
function mergeEntity(b: Entity | undefined, o: Entity, t: Entity): { entity: Entity } | { reason: string } {
  if (sameEntity(o, t)) return { entity: o };
  const out: Record<string, unknown> = { id: o.id };
  const clashes: string[] = [];
  for (const f of fieldsOf(b, o, t)) {
    const vo = fieldValue(o, f);
    const vt = fieldValue(t, f);
    let from: Entity;
    if (vo === vt) from = o;
    else if (b && fieldValue(b, f) === vo) from = t;
    else if (b && fieldValue(b, f) === vt) from = o;
    else {
      clashes.push(`${f} (ours ${show(o, f)}, theirs ${show(t, f)})`);
      continue;
    }
    if (f === 'span') Object.assign(out, { start: from.start, end: from.end, text: from.text });
    else {
      const v = (from as unknown as Record<string, unknown>)[f];
      if (v !== undefined) out[f] = v;
    }
  }
  if (clashes.length) {
    return { reason: b ? `changed differently on both sides: ${clashes.join(', ')}` : `added on both sides with the same id but a different ${clashes.join(', ')}` };
  }
  return { entity: out as unknown as Entity };
}

function show(e: Entity, field: string): string {
  if (field === 'span') return `${e.start}-${e.end} «${clip(e.text)}»`;
  const v = (e as unknown as Record<string, unknown>)[field];
  if (v === undefined) return 'none';
  return typeof v === 'string' ? (field === 'label' ? v : JSON.stringify(v)) : canonicalJson(v);
}

/** What changed from `before` to `after`, e.g. `label PER → ORG`. */
function describeChange(before: Entity, after: Entity): string {
  return fieldsOf(before, after)
    .filter((f) => fieldValue(before, f) !== fieldValue(after, f))
    .map((f) => `${f} ${show(before, f)} → ${show(after, f)}`)
    .join(', ');
}

function firstStart(c: Conflict): number {
  let min = Number.MAX_SAFE_INTEGER;
  for (const e of [...c.ours, ...c.theirs]) if (e.start < min) min = e.start;
  return min;
}

function merge3<T>(b: T | undefined, o: T, t: T): T | undefined {
  if (o === t) return o;
  if (b !== undefined && o === b) return t;
  if (b !== undefined && t === b) return o;
  return undefined;
}

/** 3-way; changed differently on both sides (or no base), the less advanced status. */
export function mergeStatus(b: Status | undefined, o: Status, t: Status, notes: string[] = []): Status {
  const m = merge3(b, o, t);
  if (m !== undefined) return m;
  const less = STATUSES.indexOf(o) <= STATUSES.indexOf(t) ? o : t;
  notes.push(`status differs (ours ${o}, theirs ${t}): kept the less advanced, ${less}`);
  return less;
}

function sameEntitySet(a: readonly Entity[], b: readonly Entity[]): boolean {
  if (a.length !== b.length) return false;
  const m = byId(b);
  return a.every((e) => {
    const other = m.get(e.id);
    return other !== undefined && sameEntity(e, other);
  });
}

function mergeSha(base: Sidecar | undefined, ours: Sidecar, theirs: Sidecar, notes: string[]): string | undefined {
  const o = ours.sha256;
  const t = theirs.sha256;
  if (o === t) return o;
  if (o === undefined || t === undefined) return o ?? t; // one side does not record it: nothing to compare
  const b = base?.sha256;
  const baseEntities = base?.entities ?? [];
  // One side changed the article; the other made no entity change: its hash, cleanly.
  if (b !== undefined && o === b && sameEntitySet(ours.entities, baseEntities)) return t;
  if (b !== undefined && t === b && sameEntitySet(theirs.entities, baseEntities)) return o;
  const kept = b ?? o;
  notes.push(
    `ours and theirs annotate different versions of the article (sha256 ${o.slice(0, 12)}… and ${t.slice(0, 12)}…): `
    + `the entities were merged by id and sha256 kept at ${kept === b ? 'the common ancestor\'s' : 'ours\''} (${kept.slice(0, 12)}…), `
    + 'so `corpus-annotator validate` checks every entity against the merged article (any that no longer matches is an error) '
    + 'and `corpus-annotator reanchor` re-anchors them (by the old text around each) and records the new hash',
  );
  return kept;
}
