// Reads a sidecar: any valid YAML spelling (block or flow style, any key order, comments),
// checked against the format's structure with a positioned, plain-language problem for each fault.
// Structure only: whether the offsets agree with the article is validate.ts's job.
import { Document, isAlias, isMap, isScalar, isSeq, LineCounter, Node, parseDocument, Scalar, YAMLMap } from 'yaml';
import { Entity, isStatus, SIDECAR_VERSION, Sidecar, STATUSES } from '../model/model';
import { hasErrors, Problem, yamlProblems } from '../model/problems';
import { fastReadSidecar } from './sidecar-fast-read';
import { EntityBlock, findEntityBlock } from './sidecar-flow-read';
import type { ParsedSidecar } from './sidecar-parsed';

// Callers read a sidecar and its result type from here; the type lives below the readers.
export type { ParsedSidecar };

// `conflicts` is only ever written by a merge that needs a decision (src/core/review/merge.ts).
const TOP_KEYS = ['version', 'document', 'sha256', 'status', 'entities', 'conflicts'];
const ENTITY_KEYS = ['id', 'label', 'start', 'end', 'text', 'note', 'attrs', 'by', 'src', 'suggested'];
export const MAX_ALIASES = 1000;
export const MAX_SIDECAR_CHARS = 256 * 1024 * 1024;

const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(?: |$)/m;

/**
 * Reads a sidecar. Canonical text (what the writer produces) takes the fast path of
 * sidecar-fast-read.ts; other text whose entity list can be found line by line, the segmented
 * read (below: entity lines in any flow spelling scanned by sidecar-flow-read.ts, any other item
 * parsed alone); anything else the full YAML reader. The result is the same either way
 * (test/unit/sidecar-fast-read.test.ts and sidecar-segmented-read.test.ts check it differentially).
 */
export function readSidecar(source: string): ParsedSidecar {
  const tagged = isTagged(source);
  const fast = source.length <= MAX_SIDECAR_CHARS && !tagged;
  return (fast ? fastReadSidecar(source) : undefined) ?? new SidecarReader(source).read(!tagged);
}

/**
 * Whether readSidecar() tries the fast canonical reader on this text: a reader with its own
 * fast path (the corpus index's summaries, fastScanSidecar) asks this, so that both take it on
 * exactly the same texts.
 */
export function mayReadFast(source: string): boolean {
  return source.length <= MAX_SIDECAR_CHARS && !isTagged(source);
}

function isTagged(source: string): boolean {
  // (No `!` at all, the usual case: the text is not scanned with the pattern, a tenth of the read's time.)
  return source.includes('!') && MAYBE_TAG.test(source);
}

/**
 * A `!` where a YAML tag could start (after `:`, `,`, `[`, `{` or a list's `- `): the full reader
 * then reads the file, since only it reports tags (problems.ts). Inside quoted entity text this
 * also matches now and then (", !…"): that file is read more slowly, never wrongly.
 */
const MAYBE_TAG = /(?:[:,[{]|^\s*-)[ \t]*!/m;

/** The full YAML reader alone, without the fast paths: for the differential tests and benchmarks. */
export function readSidecarFull(source: string): ParsedSidecar {
  return new SidecarReader(source).read();
}

/**
 * The segmented read alone: undefined when the text does not lend itself to it (then readSidecar
 * runs the full reader). `stats.parsedAlone` counts the items parsed by the `yaml` package.
 */
export function readSidecarSegmented(source: string, stats?: { parsedAlone: number }): ParsedSidecar | undefined {
  return CONFLICT_MARKER.test(source) || source.length > MAX_SIDECAR_CHARS ? undefined : readSegmented(source, stats);
}

/**
 * A sidecar's text parsed as YAML with the reader's checks that come before any structure (nesting
 * too deep, CR-only line ends, several documents, syntax, tags), in the reader's words: the
 * document when it passes, else only the problems. For code that walks a sidecar's YAML itself
 * (merge.ts reads the `conflicts:` list) and must say what the reader says.
 */
export function parseSidecarYaml(source: string, lines: LineCounter = new LineCounter()): { doc?: Document.Parsed; problems: Problem[] } {
  let doc;
  try {
    doc = parseDocument(source, { ...PARSE_OPTIONS, lineCounter: lines });
  } catch (e) {
    // The composer recurses per nesting level: absurdly deep input overflows the stack.
    const why = e instanceof RangeError ? 'it is nested too deeply' : String(e);
    return { problems: [{ severity: 'error', code: 'too-deep', message: `this file cannot be read as YAML (${why})`, line: 1, column: 1 }] };
  }
  const problems = yamlProblems(doc, source, lines, 'sidecar');
  return problems.length ? { problems } : { doc, problems };
}

/** The reader's words for a file with more aliases than it resolves. */
export const TOO_MANY_ALIASES = `this sidecar uses more than ${MAX_ALIASES} YAML aliases (*name); sidecars never need them, so it is not read (a safeguard against "billion laughs" files)`;

/** Why a segmented read gives up (the full reader then reads the whole text). */
class NotSegmentable extends Error {}

const PARSE_OPTIONS = { uniqueKeys: true, prettyErrors: false, strict: true } as const;

/**
 * The segmented read: the entity items are cut out of the text; the rest (the header keys, any
 * `conflicts:`) is read by the full reader, with positions mapped back; each item is taken from
 * the line scanner, or parsed alone by the `yaml` package and checked by the same code as in the
 * full reader, positions shifted to its line. An item parsed alone reads as it does in place: it
 * starts a line at the list's indentation, and the list's other items and the keys around it do
 * not change how YAML reads it — except through anchors and aliases, an unfinished quoted string
 * or a syntax error, each of which makes this give up. Undefined when it gives up.
 */
function readSegmented(source: string, stats?: { parsedAlone: number }): ParsedSidecar | undefined {
  const block = findEntityBlock(source);
  if (block === undefined) return undefined;
  const rest = source.slice(0, block.from) + source.slice(block.to);
  // The cut's line in `rest`: the line after the key's (one item per line), or the key's own.
  let cutLine = 1;
  for (let i = rest.indexOf('\n'); i >= 0 && i < block.from; i = rest.indexOf('\n', i + 1)) cutLine++;
  const reader = new SidecarReader(rest, {
    shift: { cut: block.from, line: cutLine, lines: block.lines, columns: block.inline ? block.to - block.from : 0 },
  });
  reader.segmented = { block, source, stats };
  try {
    let doc;
    try {
      doc = parseDocument(rest, { ...PARSE_OPTIONS, lineCounter: reader.lines });
    } catch {
      return undefined;
    }
    if (doc.errors.length) return undefined;
    reader.doc = doc;
    // The cut must leave `entities:` an empty key of the root mapping, where it was found.
    const root = doc.contents;
    const pair = isMap(root) ? root.items.find((p) => isScalar(p.key) && p.key.value === 'entities') : undefined;
    const value = pair?.value as Node | null | undefined;
    if (!pair || start(pair.key as Node) !== block.keyAt || !(value === null || (isScalar(value) && value.value === null && value.source === ''))) return undefined;
    return reader.readRoot(doc);
  } catch (e) {
    if (e instanceof NotSegmentable) return undefined;
    throw e;
  }
}

/** Where positions in a reader's text are in the whole sidecar (a segmented read's parts). */
interface Placement {
  /** Text cut out at `cut` (at the start of line `line` of this text, or within it): `lines` line breaks, `columns` characters on that line. */
  shift?: { cut: number; line: number; lines: number; columns: number };
  /** Lines before this text (an item parsed alone). */
  lineBase?: number;
  /** Shared with the reader of the rest of the sidecar. */
  problems?: Problem[];
  entityLines?: Map<string, number>;
}

class SidecarReader {
  readonly lines = new LineCounter();
  private readonly problems: Problem[];
  private readonly entityLines: Map<string, number>;
  private readonly keyLines = new Map<string, number>();
  private aliases = 0;
  doc: Document.Parsed | undefined;
  /** Set for a segmented read: the items of the entity list, read apart from this text. */
  segmented: { block: EntityBlock; source: string; stats?: { parsedAlone: number } } | undefined;
  private inSegment = false;

  constructor(private readonly source: string, private readonly placement: Placement = {}) {
    this.problems = placement.problems ?? [];
    this.entityLines = placement.entityLines ?? new Map();
  }

  /** `segmented`: try the segmented read first (readSidecar), after the checks that come before any parse. */
  read(segmented = false): ParsedSidecar {
    const conflict = CONFLICT_MARKER.exec(this.source);
    if (conflict) {
      // Not parsed yet, so the line counter is empty: count the line breaks ourselves.
      const line = this.source.slice(0, conflict.index).split('\n').length;
      this.problems.push({
        severity: 'error', code: 'merge-conflict', line, column: 1,
        message: 'this sidecar contains unresolved git conflict markers (<<<<<<<, =======, >>>>>>>); resolve it with `corpus-annotator resolve <this file>` (merges both sides as sets of entities and keeps any conflicting entity under `conflicts:`; `--ours`/`--theirs` settles those), or by hand (keep the entity lines you want, delete the markers), then run `corpus-annotator validate`',
      });
      return this.result();
    }
    if (this.source.length > MAX_SIDECAR_CHARS) {
      this.problem(0, 'too-large', `this sidecar is larger than ${MAX_SIDECAR_CHARS / 1024 / 1024} MB and is not read`);
      return this.result();
    }
    if (segmented) {
      const r = readSegmented(this.source);
      if (r) return r;
    }
    const { doc, problems } = parseSidecarYaml(this.source, this.lines);
    this.problems.push(...problems);
    if (!doc) return this.result();

    this.doc = doc;
    try {
      return this.readRoot(doc);
    } catch (e) {
      if (!(e instanceof TooManyAliases)) throw e;
      this.problem(0, 'too-many-aliases', TOO_MANY_ALIASES);
      return this.result();
    }
  }

  readRoot(doc: Document.Parsed): ParsedSidecar {
    const root = doc.contents;
    if (!isMap(root)) {
      this.problem(root?.range?.[0] ?? 0, 'not-a-mapping', 'a sidecar must be a YAML mapping with the keys version, document, sha256, status and entities');
      return this.result();
    }
    const fields = this.fields(root, TOP_KEYS, 'the sidecar');
    for (const pair of root.items) {
      const k = pair.key as Node | null;
      if (k && isScalar(k)) this.keyLines.set(String(k.value), this.pos(start(k)).line);
    }
    const version = fields.get('version');
    let versionOk = false;
    if (!version) this.problem(root.range?.[0] ?? 0, 'missing-key', 'the sidecar has no `version:` line; add `version: 1` at the top');
    else {
      const v = this.resolve(version);
      if (!isScalar(v) || typeof v.value !== 'number' || !Number.isInteger(v.value)) {
        this.problem(start(version), 'bad-version', '`version` must be a whole number (1 for this format)');
      } else if (v.value > SIDECAR_VERSION) {
        this.problem(start(version), 'bad-version', `this sidecar uses format version ${v.value}, newer than this Corpus Annotator understands (${SIDECAR_VERSION}); update the extension`);
      } else if (v.value < 1) {
        this.problem(start(version), 'bad-version', `\`version\` must be ${SIDECAR_VERSION}`);
      } else versionOk = true;
    }
    const document = this.optionalString(fields.get('document'), 'document') ?? '';
    const sha256 = this.optionalString(fields.get('sha256'), 'sha256');
    if (sha256 !== undefined && !/^[0-9a-f]{64}$/.test(sha256)) {
      this.problem(start(fields.get('sha256')), 'bad-sha256', '`sha256` must be 64 lowercase hexadecimal characters (the SHA-256 of the article file); delete the line to stop checking for changes');
    }
    let status = this.optionalString(fields.get('status'), 'status') ?? 'todo';
    if (!isStatus(status)) {
      this.problem(start(fields.get('status')), 'bad-status', `\`status\` must be one of ${STATUSES.join(', ')}, not "${status}"`);
      status = 'todo';
    }
    const entities = this.entities(fields.get('entities'));
    this.conflicts(fields.get('conflicts'));
    if (!versionOk || hasErrors(this.problems)) return this.result();
    return this.result({ version: SIDECAR_VERSION, document, sha256, status: status as Sidecar['status'], entities });
  }

  private entities(node: Node | undefined): Entity[] {
    const out: Entity[] = [];
    if (this.segmented) return this.segmentEntities(this.segmented, out);
    if (node === undefined) return out;
    const seq = this.resolve(node);
    if (isScalar(seq) && seq.value === null) return out;
    if (!isSeq(seq)) {
      this.problem(start(node), 'bad-type', '`entities` must be a list, one `- {id: …, label: …, start: …, end: …, text: …}` per entity');
      return out;
    }
    const firstLineOf = new Map<string, number>();
    for (const raw of seq.items) this.entity(raw as Node, firstLineOf, out);
    return out;
  }

  /** The items of a segmented read: scanned, or parsed alone and checked by entity(). */
  private segmentEntities({ block, source, stats }: NonNullable<SidecarReader['segmented']>, out: Entity[]): Entity[] {
    const { items } = block;
    // The usual case, every item scanned: one tight loop; a duplicate id shows in the count.
    if (items.every((item) => item.entity !== undefined)) {
      for (let i = 0; i < items.length; i++) {
        const item = items[i] as EntityBlock['items'][number];
        const e = item.entity as Entity;
        out.push(e);
        this.entityLines.set(e.id, item.line);
      }
      if (this.entityLines.size === items.length) return out;
      out.length = 0;
      this.entityLines.clear();
    }
    const firstLineOf = new Map<string, number>();
    for (const item of items) {
      const e = item.entity;
      if (e !== undefined && !firstLineOf.has(e.id)) {
        firstLineOf.set(e.id, item.line);
        this.entityLines.set(e.id, item.line);
        out.push(e);
        continue;
      }
      if (block.inline) throw new NotSegmentable();
      if (stats) stats.parsedAlone++;
      const text = source.slice(item.start, item.end);
      const reader = new SidecarReader(text, { lineBase: item.line - 1, problems: this.problems, entityLines: this.entityLines });
      reader.inSegment = true;
      let doc;
      try {
        doc = parseDocument(text, { ...PARSE_OPTIONS, lineCounter: reader.lines });
      } catch {
        throw new NotSegmentable();
      }
      const seq = doc.contents;
      if (doc.errors.length || !isSeq(seq) || seq.items.length !== 1) throw new NotSegmentable();
      reader.doc = doc;
      reader.entity(seq.items[0] as Node, firstLineOf, out);
    }
    return out;
  }

  /** One item of the entity list: checked, and added to `out` when valid. */
  private entity(raw: Node, firstLineOf: Map<string, number>, out: Entity[]): void {
    const item = this.resolve(raw);
    const at = start(raw);
    if (!isMap(item)) {
      this.problem(at, 'bad-type', 'each entity must be a mapping like `{id: a1b2c3, label: PER, start: 0, end: 6, text: "Laftit"}`');
      return;
    }
    const before = this.problems.length;
    const f = this.fields(item, ENTITY_KEYS, 'an entity');
    const id = this.requiredString(f.get('id'), 'id', item);
    const line = this.pos(at).line;
    if (id !== undefined) {
      if (!/^[A-Za-z0-9_.-]{1,64}$/.test(id)) {
        this.problem(start(f.get('id')), 'bad-id', `entity id "${id}" may only use letters, digits, '_', '.' and '-' (at most 64)`);
      } else if (firstLineOf.has(id)) {
        this.problem(start(f.get('id')), 'duplicate-id', `entity id "${id}" is used twice (first on line ${firstLineOf.get(id)}); ids must be unique in a sidecar — give one of them a new id`, id);
      } else firstLineOf.set(id, line);
    }
    const label = this.requiredString(f.get('label'), 'label', item);
    if (label !== undefined && label.trim() === '') this.problem(start(f.get('label')), 'bad-label', 'an entity label cannot be empty', id);
    const s = this.offset(f.get('start'), 'start', item, id);
    const e = this.offset(f.get('end'), 'end', item, id);
    if (s !== undefined && e !== undefined && s >= e) {
      this.problem(start(f.get('start')), 'empty-span', `entity ${id ?? ''} has start ${s} not before end ${e}; an entity must cover at least one character`.replace('  ', ' '), id);
    }
    const text = this.requiredString(f.get('text'), 'text', item);
    const note = this.optionalString(f.get('note'), 'note');
    const by = this.optionalString(f.get('by'), 'by');
    const src = this.optionalString(f.get('src'), 'src');
    const attrs = this.attrs(f.get('attrs'));
    const suggested = this.suggested(f.get('suggested'), id);
    if (this.problems.length > before || id === undefined || label === undefined || s === undefined || e === undefined || text === undefined) return;
    const entity: Entity = { id, label, start: s, end: e, text };
    if (note !== undefined) entity.note = note;
    if (attrs !== undefined) entity.attrs = attrs;
    if (by !== undefined) entity.by = by;
    if (src !== undefined) entity.src = src;
    if (suggested) entity.suggested = true;
    this.entityLines.set(id, line);
    out.push(entity);
  }

  /** Each item of `conflicts:` (left by `corpus-annotator merge-driver`) is an error until resolved. */
  private conflicts(node: Node | undefined): void {
    if (node === undefined) return;
    const seq = this.resolve(node);
    if (isScalar(seq) && seq.value === null) return;
    if (!isSeq(seq)) {
      this.problem(start(node), 'bad-type', '`conflicts` must be a list (as `corpus-annotator merge-driver` writes it)');
      return;
    }
    for (const raw of seq.items) {
      const item = this.resolve(raw as Node);
      const id = isMap(item) ? item.get('id') : undefined;
      const reason = isMap(item) ? item.get('reason') : undefined;
      this.problem(start(raw as Node), 'unresolved-conflict', `unresolved annotation conflict${typeof id === 'string' || typeof id === 'number' ? ` on ${id}` : ''}${typeof reason === 'string' && reason ? ` (${reason})` : ''}; resolve with \`corpus-annotator resolve --ours <this file>\` or \`--theirs\`, or move the entity line you keep into \`entities:\` and delete this item`);
    }
  }

  /** `suggested: true` marks a suggestion; `false` is accepted as absent, anything else is an error. */
  private suggested(node: Node | undefined, id: string | undefined): boolean {
    if (node === undefined) return false;
    const v = this.resolve(node);
    if (isScalar(v) && typeof v.value === 'boolean') return v.value;
    this.problem(start(node), 'bad-type', `\`suggested\` of entity ${id ?? ''} must be true (a suggestion awaiting a decision) or absent`.replace('  ', ' '), id);
    return false;
  }

  private attrs(node: Node | undefined): Record<string, string> | undefined {
    if (node === undefined) return undefined;
    const m = this.resolve(node);
    if (isScalar(m) && m.value === null) return undefined;
    if (!isMap(m)) {
      this.problem(start(node), 'bad-type', '`attrs` must be a mapping of names to text, like `{kb: "wikidata:Q42"}`');
      return undefined;
    }
    const out: Record<string, string> = Object.create(null);
    for (const pair of m.items) {
      const k = this.resolve(pair.key as Node);
      const key = isScalar(k) ? this.scalarText(k) : undefined;
      if (key === undefined) {
        this.problem(start(pair.key as Node), 'bad-type', 'attribute names must be plain text');
        continue;
      }
      const v = pair.value === null ? undefined : this.resolve(pair.value as Node);
      const value = v && isScalar(v) ? this.scalarText(v) : undefined;
      if (value === undefined) {
        this.problem(start((pair.value as Node) ?? (pair.key as Node)), 'bad-type', `attribute "${key}" must have a text value`);
        continue;
      }
      out[key] = value;
    }
    return { ...out };
  }

  private offset(node: Node | undefined, name: 'start' | 'end', owner: YAMLMap, id?: string): number | undefined {
    if (node === undefined) {
      this.problem(start(owner), 'missing-key', `an entity${id ? ` (${id})` : ''} has no \`${name}\``, id);
      return undefined;
    }
    const v = this.resolve(node);
    const raw = this.source.slice(start(node), node.range?.[1] ?? start(node));
    if (!isScalar(v) || typeof v.value !== 'number' || !Number.isInteger(v.value) || /[.eE]/.test(raw)) {
      this.problem(start(node), 'bad-offset', `\`${name}\` must be a whole number of characters, not ${raw.trim() || 'empty'}`, id);
      return undefined;
    }
    if (v.value < 0) {
      this.problem(start(node), 'bad-offset', `\`${name}\` cannot be negative (${v.value})`, id);
      return undefined;
    }
    if (!Number.isSafeInteger(v.value)) {
      this.problem(start(node), 'bad-offset', `\`${name}\` is too large (${raw.trim()})`, id);
      return undefined;
    }
    // 010, 0o7, 0x10, +1 are numbers to this reader but not to every YAML reader (PyYAML reads 010
    // as 8): an offset must mean the same to every tool that loads the sidecar.
    if (!/^(0|[1-9][0-9]*)$/.test(raw.trim())) {
      this.problem(start(node), 'bad-offset', `write \`${name}\` as a plain decimal number (${v.value}), not ${raw.trim()}: other YAML readers take that form for another number or for text`, id);
      return undefined;
    }
    return v.value;
  }

  private requiredString(node: Node | undefined, name: string, owner: YAMLMap): string | undefined {
    if (node === undefined) {
      this.problem(start(owner), 'missing-key', `an entity has no \`${name}\``);
      return undefined;
    }
    const s = this.optionalString(node, name);
    if (s === undefined) this.problem(start(node), 'bad-type', `\`${name}\` cannot be empty`);
    return s;
  }

  /** A string field. Plain scalars YAML would read as numbers or booleans keep the text as written. */
  private optionalString(node: Node | undefined, name: string): string | undefined {
    if (node === undefined) return undefined;
    const v = this.resolve(node);
    if (!isScalar(v)) {
      this.problem(start(node), 'bad-type', `\`${name}\` must be text, not a ${isSeq(v) ? 'list' : 'mapping'}`);
      return undefined;
    }
    return this.scalarText(v);
  }

  private scalarText(v: Scalar): string | undefined {
    if (typeof v.value === 'string') return v.value;
    if (v.value === null || v.value === undefined) return undefined;
    // 2026, 3.000, true…: what the user wrote, not what YAML made of it.
    return this.source.slice(v.range?.[0] ?? 0, v.range?.[1] ?? 0);
  }

  /** Reads a mapping's keys, reporting unknown and non-text keys. */
  private fields(map: YAMLMap, known: string[], what: string): Map<string, Node> {
    const out = new Map<string, Node>();
    for (const pair of map.items) {
      const k = pair.key as Node | null;
      const key = k && isScalar(k) ? String(k.value) : undefined;
      if (key === undefined) {
        this.problem(start(k ?? map), 'bad-key', `${what} has a key that is not plain text`);
        continue;
      }
      if (!known.includes(key)) {
        const hint = closest(key, known);
        this.problem(start(k as Node), 'unknown-key', `${what} has an unknown key \`${key}\`${hint ? ` (did you mean \`${hint}\`?)` : ''}; known keys: ${known.join(', ')}`);
        continue;
      }
      // `key:` with nothing after it is YAML null: treat as absent for optional keys.
      const value = pair.value as Node | null;
      out.set(key, value ?? new Scalar(null));
      if (value === null) (out.get(key) as Scalar).range = k?.range ?? null;
    }
    return out;
  }

  private resolve(node: Node): Node {
    if (!isAlias(node)) return node;
    // An alias may point across the cut: a segmented read leaves aliases to the full reader.
    if (this.segmented || this.inSegment) throw new NotSegmentable();
    if (++this.aliases > MAX_ALIASES) throw new TooManyAliases();
    const target = this.doc ? node.resolve(this.doc) : undefined;
    return (target as Node | undefined) ?? new Scalar(null);
  }

  private pos(offset: number): { line: number; col: number } {
    const p = this.lines.linePos(offset);
    const { shift, lineBase } = this.placement;
    if (shift && offset >= shift.cut) {
      if (p.line === shift.line) p.col += shift.columns;
      p.line += shift.lines;
    }
    if (lineBase) p.line += lineBase;
    return p;
  }

  private problem(offset: number, code: string, message: string, entityId?: string): void {
    const { line, col } = this.pos(offset);
    const p: Problem = { severity: 'error', code, message, line, column: col };
    if (entityId !== undefined) p.entityId = entityId;
    this.problems.push(p);
  }

  private result(sidecar?: Sidecar): ParsedSidecar {
    const r: ParsedSidecar = { problems: this.problems, entityLines: this.entityLines, keyLines: this.keyLines };
    if (sidecar) r.sidecar = sidecar;
    return r;
  }
}

class TooManyAliases extends Error {}

function start(node: Node | YAMLMap | undefined | null): number {
  return node?.range?.[0] ?? 0;
}

/** The known key within two edits of `key`, to suggest for a typo. */
function closest(key: string, known: string[]): string | undefined {
  let best: string | undefined;
  let bestD = 3;
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k);
    if (d < bestD) { best = k; bestD = d; }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] as number) + 1, (cur[j - 1] as number) + 1, (prev[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] as number;
}
