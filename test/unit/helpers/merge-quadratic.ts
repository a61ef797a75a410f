// The definition the merge of entities added on both sides had before the sweep (issue 14): every
// ours × theirs pair, twice. Kept, frozen, as the oracle of the property test.
import type { OverlapPolicy } from '../../../src/core/config/config';
import { AddedPairing, Clash, differingFields } from '../../../src/core/review/merge';
import { cmp, Entity } from '../../../src/core/model/model';
import { clip } from '../../../src/core/sidecar/validate';

export function pairAddedQuadratic(addedOurs: readonly Entity[], addedTheirs: readonly Entity[], overlap: OverlapPolicy): AddedPairing {
  const notes: string[] = [];
  const dropped = new Set<Entity>();
  const sameContent = (a: Entity, c: Entity) => differingFields(a, c).length === 0;
  for (const a of addedOurs) {
    for (const c of addedTheirs) {
      if (dropped.has(a) || dropped.has(c) || a.start !== c.start || a.end !== c.end || a.label !== c.label || !sameContent(a, c)) continue;
      const [keep, drop] = cmp(a.id, c.id) <= 0 ? [a, c] : [c, a];
      dropped.add(drop);
      notes.push(`${a.label} «${clip(a.text)}» ${a.start}-${a.end} was added on both sides (ids ${a.id}, ${c.id}): kept once, as ${keep.id}`);
    }
  }
  const clashes: Clash[] = [];
  for (const a of addedOurs) {
    for (const c of addedTheirs) {
      if (dropped.has(a) || dropped.has(c) || !(a.start < c.end && c.start < a.end)) continue;
      const sameSpan = a.start === c.start && a.end === c.end;
      if (sameSpan && a.label === c.label) {
        clashes.push([a, c, `the same entity ${a.label} «${clip(a.text)}» ${a.start}-${a.end} added on both sides with a different ${differingFields(a, c).join(', ')}`]);
        continue;
      }
      if (sameSpan) {
        clashes.push([a, c, `the same span «${clip(a.text)}» ${a.start}-${a.end} tagged ${a.label} by ours and ${c.label} by theirs`]);
        continue;
      }
      const nested = (a.start <= c.start && c.end <= a.end) || (c.start <= a.start && a.end <= c.end);
      if (overlap === 'forbid' || (overlap === 'nested' && !nested)) {
        clashes.push([a, c, `entities added on both sides ${nested ? 'nest' : 'overlap'}: ${a.label} «${clip(a.text)}» ${a.start}-${a.end} (ours) and ${c.label} «${clip(c.text)}» ${c.start}-${c.end} (theirs), which the overlap policy "${overlap}" forbids`]);
      }
    }
  }
  return { dropped, notes, clashes };
}
