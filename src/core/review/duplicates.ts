// Duplicate entities: the same span and label under different ids (two annotators' work combined
// by an import, a merge made by hand, a tool run twice). `validate` warns about them; `fmt --dedupe`
// merges each group into its oldest entity, or refuses when merging would lose information.
import { cmp, compareEntities, Entity, Sidecar } from '../model/model';
import { Problem } from '../model/problems';
import { clip } from '../sidecar/validate';

/**
 * Ids are base36 numbers: the older of two is the smaller number (ids made before the random ones,
 * `e1`, `e2`… by imports, sort first). Ids that are not base36 compare as strings.
 */
export function compareIdAge(a: string, b: string): number {
  const base36 = /^[0-9a-z]+$/i;
  if (base36.test(a) && base36.test(b)) {
    const x = a.toLowerCase().replace(/^0+(?=.)/, '');
    const y = b.toLowerCase().replace(/^0+(?=.)/, '');
    if (x.length !== y.length) return x.length - y.length;
    if (x !== y) return cmp(x, y);
  }
  return cmp(a, b);
}

export interface DuplicateGroup {
  /** The oldest entity of the group: the one kept. */
  keep: Entity;
  /** The others, oldest first. */
  others: Entity[];
}

/** Groups of two or more entities with the same start, end and label, in the sidecar's canonical order. */
export function findDuplicates(entities: readonly Entity[]): DuplicateGroup[] {
  const groups = new Map<string, Entity[]>();
  for (const e of entities) {
    const key = `${e.start}:${e.end}:${e.label}`;
    const g = groups.get(key);
    if (g) g.push(e);
    else groups.set(key, [e]);
  }
  const out: DuplicateGroup[] = [];
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    const [keep, ...others] = [...g].sort((a, b) => compareIdAge(a.id, b.id)) as [Entity, ...Entity[]];
    out.push({ keep, others });
  }
  return out.sort((a, b) => compareEntities(a.keep, b.keep));
}

/** A warning on each duplicate (not on the entity kept), at its line. */
export function duplicateProblems(entities: readonly Entity[], entityLines?: ReadonlyMap<string, number>): Problem[] {
  return findDuplicates(entities).flatMap(({ keep, others }) => others.map((e): Problem => ({
    severity: 'warning',
    code: 'duplicate-entity',
    line: entityLines?.get(e.id) ?? 1,
    column: 1,
    entityId: e.id,
    message: `entity ${e.id} duplicates ${keep.id}: the same ${e.label} «${clip(e.text)}» ${e.start}-${e.end}; merge them with \`corpus-annotator fmt --dedupe <this file>\` (keeps ${keep.id}, the older id)`,
  })));
}

export interface Dedupe {
  sidecar: Sidecar;
  /** Entities merged into an older one. */
  merged: number;
  /** Why a group could not be merged (then `sidecar` is the input, unchanged). */
  refused: string[];
}

const OWN_KEYS = new Set(['id', 'start', 'end', 'label', 'by', 'src', 'suggested', 'note', 'attrs']);

/**
 * Each group of duplicates becomes its oldest entity, with the others' note and attributes when
 * it has none (the same value on both is one value); `suggested` only when every one of them was
 * a suggestion (an accepted one is a decision); `by` and `src` stay the kept entity's (as the merge
 * driver does for the same entity added on both sides), or the first of the others' when it has
 * none. Two different notes, or one attribute with two values, would lose one: refused.
 */
export function dedupeSidecar(sidecar: Sidecar): Dedupe {
  const groups = findDuplicates(sidecar.entities);
  const refused: string[] = [];
  const replaced = new Map<string, Entity | undefined>(); // id → merged entity (kept) or undefined (dropped)
  for (const { keep, others } of groups) {
    const all = [keep, ...others];
    const clash = (what: string) => refused.push(`${all.map((e) => e.id).join(', ')} (the same ${keep.label} «${clip(keep.text)}» ${keep.start}-${keep.end}) have ${what}; make them agree, or delete the one you do not want, then run fmt --dedupe again`);
    const merged: Record<string, unknown> = { ...keep };
    const notes = [...new Set(all.map((e) => e.note).filter((n): n is string => n !== undefined))];
    if (notes.length > 1) {
      clash(`different notes (${notes.map((n) => JSON.stringify(clip(n))).join(', ')})`);
      continue;
    }
    if (notes[0] !== undefined) merged.note = notes[0];
    const attrs: Record<string, string> = {};
    const differing: string[] = [];
    for (const e of all) {
      for (const [k, v] of Object.entries(e.attrs ?? {})) {
        if (k in attrs && attrs[k] !== v) differing.push(k);
        else attrs[k] = v;
      }
    }
    if (differing.length) {
      clash(`different values of the attribute ${[...new Set(differing)].join(', ')}`);
      continue;
    }
    if (Object.keys(attrs).length) merged.attrs = attrs;
    for (const k of ['by', 'src'] as const) {
      const value = all.find((e) => e[k] !== undefined)?.[k];
      if (value !== undefined) merged[k] = value;
    }
    if (all.some((e) => e.suggested !== true)) delete merged.suggested;
    // Any other field (a newer format's): one value, or refused.
    const extra = new Set(all.flatMap((e) => Object.keys(e).filter((k) => !OWN_KEYS.has(k) && k !== 'text')));
    const texts = new Set(all.map((e) => e.text));
    const extraDiffering = [...extra].filter((k) => new Set(all.map((e) => JSON.stringify((e as unknown as Record<string, unknown>)[k]))).size > 1);
    if (texts.size > 1 || extraDiffering.length) {
      clash(texts.size > 1 ? 'different texts' : `different ${extraDiffering.join(', ')}`);
      continue;
    }
    replaced.set(keep.id, merged as unknown as Entity);
    for (const e of others) replaced.set(e.id, undefined);
  }
  if (refused.length) return { sidecar, merged: 0, refused };
  const entities: Entity[] = [];
  for (const e of sidecar.entities) {
    if (!replaced.has(e.id)) entities.push(e);
    else {
      const m = replaced.get(e.id);
      if (m) entities.push(m);
    }
  }
  return { sidecar: { ...sidecar, entities }, merged: sidecar.entities.length - entities.length, refused: [] };
}
