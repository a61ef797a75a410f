// Keyboard review when proposals compete for one span (src/core/suggest/suggestion-order.ts).
import { strict as assert } from 'node:assert';
import { Entity } from '../../src/core/model/model';
import { adjacentSuggestion, decidedSuggestions } from '../../src/core/suggest/suggestion-order';

const S = (id: string, label: string, start: number, end: number): Entity => ({ id, label, start, end, text: 'x'.repeat(end - start), suggested: true });
const bobOrg = S('b00001', 'ORG', 24, 30);
const alicePer = S('a00001', 'PER', 24, 30);
const later = S('c00001', 'LOC', 58, 63);

describe('suggestion order (competing proposals)', () => {
  it('one decision per span: the one last shown, else the first in canonical order', () => {
    assert.deepEqual(decidedSuggestions([alicePer, bobOrg]).map((e) => e.id), ['b00001']);
    assert.deepEqual(decidedSuggestions([alicePer, bobOrg], 'a00001').map((e) => e.id), ['a00001']);
    // Different spans (multi-cursor): each is decided.
    assert.deepEqual(decidedSuggestions([later, bobOrg, alicePer], 'a00001').map((e) => e.id), ['a00001', 'c00001']);
  });

  it('next goes through the proposals of the same span before moving on, wrapping around', () => {
    const all = [later, alicePer, bobOrg];
    assert.equal(adjacentSuggestion(all, 0, 1)?.id, 'b00001');
    assert.equal(adjacentSuggestion(all, 24, 1, bobOrg)?.id, 'a00001');
    assert.equal(adjacentSuggestion(all, 24, 1, alicePer)?.id, 'c00001');
    assert.equal(adjacentSuggestion(all, 58, 1, later)?.id, 'b00001');
    assert.equal(adjacentSuggestion(all, 58, -1, later)?.id, 'a00001');
    // The one just decided is gone: still from its place, so its rival on the same span is next.
    assert.equal(adjacentSuggestion([alicePer, later], 24, 1, bobOrg)?.id, 'a00001');
    assert.equal(adjacentSuggestion([bobOrg, later], 24, 1, alicePer)?.id, 'c00001');
    // Without one: from the cursor.
    assert.equal(adjacentSuggestion(all, 30, 1)?.id, 'c00001');
    assert.equal(adjacentSuggestion([], 0, 1), undefined);
  });
});
