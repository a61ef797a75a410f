// Reviewing suggestions from the keyboard when several compete for one span (a curation's
// proposals: bob's ORG and alice's PER on the same words): the keys decide one proposal at a time,
// and "next" steps through proposals of the same span before moving on. Pure: the editor adapter
// gives the suggestions, the cursor and the one it last showed.
import { compareEntities, Entity } from '../model/model';

/**
 * The suggestions one accept/reject decides among `underCursor`: one per span — the one last shown
 * (`current`) if it is there, else the first in canonical order. Suggestions on different spans
 * (multi-cursor, or a selection over several) are all decided.
 */
export function decidedSuggestions(underCursor: readonly Entity[], current?: string): Entity[] {
  const bySpan = new Map<string, Entity[]>();
  for (const e of [...underCursor].sort(compareEntities)) {
    const key = `${e.start}:${e.end}`;
    const list = bySpan.get(key);
    if (list) list.push(e);
    else bySpan.set(key, [e]);
  }
  return [...bySpan.values()].map((list) => list.find((e) => e.id === current) ?? (list[0] as Entity));
}

/**
 * The suggestion after (direction 1) or before (-1) a position, wrapping around. From `current`
 * (the one last shown, or just decided — it need not be among `suggestions` any more) in canonical
 * order, so proposals sharing its span come next; without it, from the cursor's code point offset.
 */
export function adjacentSuggestion(suggestions: readonly Entity[], cursor: number, direction: 1 | -1, current?: Entity): Entity | undefined {
  const ordered = [...suggestions].sort(compareEntities);
  if (ordered.length === 0) return undefined;
  if (current !== undefined) {
    return direction > 0
      ? ordered.find((e) => compareEntities(e, current) > 0) ?? ordered[0]
      : [...ordered].reverse().find((e) => compareEntities(e, current) < 0) ?? ordered[ordered.length - 1];
  }
  return direction > 0
    ? ordered.find((e) => e.start > cursor) ?? ordered.find((e) => e.start >= cursor) ?? ordered[0]
    : [...ordered].reverse().find((e) => e.start < cursor) ?? ordered[ordered.length - 1];
}
