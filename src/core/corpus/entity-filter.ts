// The sidebar's filter (what "Filter Annotations…" accepts) and how an entity's text shows on one
// row: pure functions of strings, shared by the whole-corpus views (core/corpus/corpus-view.ts) and the tree.
import { Entity } from '../model/model';

/** What the annotator typed in "Filter Annotations…", parsed. */
export interface EntityFilter {
  /** As typed, shown in the view's description. */
  readonly raw: string;
  /** Only entities with this label (upper case), when set. */
  readonly label?: string;
  /** Only entities whose text contains this, folded (see `fold`), when set. */
  readonly text?: string;
}

/**
 * `label:ORG`, `text:laftit`, `label:PER laftit`, or plain text. Plain text that is exactly a
 * known label name (any case) filters by that label, as the placeholder "PER or Laftit" promises;
 * `text:per` searches the text instead. Empty input: no filter.
 */
export function parseFilter(input: string, knownLabels: ReadonlySet<string>): EntityFilter | undefined {
  const raw = input.trim().replace(/\s+/g, ' ');
  if (raw === '') return undefined;
  let label: string | undefined;
  let text: string | undefined;
  const labelPrefix = /^label:\s*(\S+)\s*(.*)$/i.exec(raw);
  const textPrefix = /^text:\s*(.*)$/i.exec(raw);
  if (labelPrefix) {
    label = (labelPrefix[1] ?? '').toUpperCase();
    const rest = (labelPrefix[2] ?? '').replace(/^text:\s*/i, '');
    if (rest) text = rest;
  } else if (textPrefix) {
    text = textPrefix[1] ?? '';
  } else if ([...knownLabels].some((l) => l.toUpperCase() === raw.toUpperCase())) {
    label = raw.toUpperCase();
  } else {
    text = raw;
  }
  const folded = text ? fold(text) : '';
  return { raw, ...(label ? { label } : {}), ...(folded ? { text: folded } : {}) };
}

export function matchesFilter(filter: EntityFilter | undefined, entity: Entity): boolean {
  if (!filter) return true;
  if (filter.label && entity.label.toUpperCase() !== filter.label) return false;
  if (filter.text && !fold(displayText(entity.text)).includes(filter.text)) return false;
  return true;
}

/** Case- and accent-insensitive form: "Ministère de l’Intérieur" → "ministere de l'interieur". */
export function fold(s: string): string {
  return foldWithMap(s).folded;
}

/**
 * The folded string and, for each of its UTF-16 units, the [start, end) UTF-16 range of the
 * original character it came from, so a match in the folded text can be highlighted in the original.
 */
function foldWithMap(s: string): { folded: string; from: Array<[number, number]> } {
  let folded = '';
  const from: Array<[number, number]> = [];
  let i = 0;
  for (const ch of s) {
    const f = ch.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase().replace(/[’‘`´]/g, "'");
    for (let k = 0; k < f.length; k++) from.push([i, i + ch.length]);
    folded += f;
    i += ch.length;
  }
  return { folded, from };
}

/** Where the filter's text occurs in `label` (UTF-16 ranges of the original), for TreeItemLabel highlights. */
export function highlights(filter: EntityFilter | undefined, label: string): Array<[number, number]> {
  if (!filter?.text) return [];
  const { folded, from } = foldWithMap(label);
  const out: Array<[number, number]> = [];
  let at = folded.indexOf(filter.text);
  while (at >= 0 && filter.text.length > 0) {
    const first = from[at];
    const last = from[at + filter.text.length - 1];
    if (first && last) out.push([first[0], last[1]]);
    at = folded.indexOf(filter.text, at + filter.text.length);
  }
  return out;
}

/** An entity's text on one row: line breaks and runs of spaces become one space. */
export function displayText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
