// Operations on a sidecar's entities, as the editor and CLI perform them. Pure: each returns a
// new Sidecar and never mutates its input, so an undo history is a list of snapshots.
import { Article } from './article';
import { Entity, newEntityId, Sidecar, Status } from './model';

export interface Span {
  /** Code point offsets, end-exclusive. */
  start: number;
  end: number;
}

export interface AddOptions {
  by?: string;
  src?: string;
  random?: () => number;
}

export function emptySidecar(document: string, sha256?: string): Sidecar {
  const s: Sidecar = { version: 1, document, status: 'todo', entities: [] };
  if (sha256 !== undefined) s.sha256 = sha256;
  return s;
}

/**
 * Adds one entity per span with `label`. A span that already carries the same label is left as
 * it is (tagging twice is a no-op, not a duplicate). Returns the new sidecar and the entities added.
 */
export function addEntities(s: Sidecar, article: Article, spans: readonly Span[], label: string, opts: AddOptions = {}): { sidecar: Sidecar; added: Entity[] } {
  const taken = new Set(s.entities.map((e) => e.id));
  const added: Entity[] = [];
  let entities = s.entities;
  for (const span of spans) {
    if (span.end <= span.start) continue;
    const same = (e: Entity) => e.start === span.start && e.end === span.end && e.label === label;
    // Tagging what was suggested is accepting the suggestion (with the label now given, if it
    // differs): same id, now an annotation; never an annotation beside a leftover suggestion.
    const suggestion = entities.find((e) => same(e) && e.suggested === true)
      ?? entities.find((e) => e.start === span.start && e.end === span.end && e.suggested === true && !entities.some((x) => same(x)));
    if (suggestion) {
      const { suggested: _, ...accepted } = { ...suggestion, label };
      if (opts.by) accepted.by = opts.by;
      entities = entities.map((e) => (e === suggestion ? accepted : e));
      added.push(accepted);
      continue;
    }
    if (entities.some(same) || added.some(same)) continue;
    const id = newEntityId(taken, opts.random);
    taken.add(id);
    const e: Entity = { id, label, start: span.start, end: span.end, text: article.offsets.slice(span.start, span.end) };
    if (opts.by) e.by = opts.by;
    if (opts.src) e.src = opts.src;
    added.push(e);
  }
  const fresh = added.filter((e) => !entities.includes(e));
  const next = withStatusAdvanced({ ...s, entities: [...entities, ...fresh] }, added.length > 0);
  return { sidecar: next, added };
}

export function removeEntities(s: Sidecar, ids: ReadonlySet<string>): Sidecar {
  return { ...s, entities: s.entities.filter((e) => !ids.has(e.id)) };
}

export function relabelEntities(s: Sidecar, ids: ReadonlySet<string>, label: string): Sidecar {
  return { ...s, entities: s.entities.map((e) => (ids.has(e.id) ? { ...e, label } : e)) };
}

/** Sets (or with an empty string, removes) the note of the entities. */
export function setNote(s: Sidecar, ids: ReadonlySet<string>, note: string): Sidecar {
  return {
    ...s,
    entities: s.entities.map((e) => {
      if (!ids.has(e.id)) return e;
      const { note: _old, ...rest } = e;
      return note === '' ? rest : { ...rest, note };
    }),
  };
}

/**
 * Sets attributes of the entities (e.g. `kb`, `canonical`); an empty string removes one, and an
 * entity left without attributes loses its `attrs` key, so its sidecar line stays minimal.
 */
export function setAttributes(s: Sidecar, ids: ReadonlySet<string>, changes: Readonly<Record<string, string>>): Sidecar {
  return {
    ...s,
    entities: s.entities.map((e) => {
      if (!ids.has(e.id)) return e;
      const attrs: Record<string, string> = { ...(e.attrs ?? {}) };
      for (const [k, v] of Object.entries(changes)) {
        if (v === '') delete attrs[k];
        else attrs[k] = v;
      }
      const { attrs: _old, ...rest } = e;
      return Object.keys(attrs).length > 0 ? { ...rest, attrs } : rest;
    }),
  };
}

export function setStatus(s: Sidecar, status: Status): Sidecar {
  return { ...s, status };
}

/** Entities whose span contains the code point offset (or touches it at either end), innermost first. */
export function entitiesAt(s: Sidecar, offset: number): Entity[] {
  return s.entities
    .filter((e) => e.start <= offset && offset <= e.end)
    .sort((a, b) => a.end - a.start - (b.end - b.start));
}

/** Entities sharing at least one code point with the span (or, for an empty span, touching it). */
export function entitiesIn(s: Sidecar, span: Span): Entity[] {
  if (span.start === span.end) return entitiesAt(s, span.start);
  return s.entities.filter((e) => e.start < span.end && span.start < e.end);
}

/** A first annotation moves a `todo` document to `in-progress`: the sidebar shows work started. */
export function withStatusAdvanced(s: Sidecar, changed: boolean): Sidecar {
  return changed && s.status === 'todo' ? { ...s, status: 'in-progress' } : s;
}
