import { strict as assert } from 'node:assert';
import { Entity } from '../../src/core/model/model';
import fc from 'fast-check';
import { OffsetMap } from '../../src/core/model/offsets';
import { changeBetween, trackChanges } from '../../src/core/text/track';

/** Applies UTF-16 edits to a text and tracks entities through them, checking every survivor's text. */
function edit(text: string, entities: Entity[], changes: Array<[number, number, string]>) {
  const cps = [...text];
  // Changes are given in code points of the old text; apply from the end.
  const sorted = [...changes].sort((a, b) => b[0] - a[0]);
  for (const [s, e, ins] of sorted) cps.splice(s, e - s, ...ins);
  const next = cps.join('');
  const r = trackChanges(entities, changes.map(([start, end, ins]) => ({ start, end, insertedLength: [...ins].length })), (s, e) => [...next].slice(s, e).join(''));
  return { text: next, ...r };
}

function ent(text: string, surface: string, id = surface): Entity {
  const i = [...text].join('').indexOf(surface);
  const start = [...text.slice(0, i)].length;
  return { id, label: 'X', start, end: start + [...surface].length, text: surface };
}

describe('tracking entities through text edits', () => {
  const text = 'M. Laftit a reçu Abdellatif Hamouchi à Rabat.';
  const laftit = ent(text, 'Laftit');
  const ham = ent(text, 'Abdellatif Hamouchi');
  const rabat = ent(text, 'Rabat');
  const all = [laftit, ham, rabat];

  it('shifts entities after an insertion before them', () => {
    const r = edit(text, all, [[0, 0, '🚨 Alerte : ']]);
    assert.deepEqual(r.removed, []);
    for (const e of r.entities) assert.equal([...r.text].slice(e.start, e.end).join(''), e.text);
    assert.equal(r.entities[0]?.start, laftit.start + 11);
  });

  it('does not extend an entity when typing right after or right before it', () => {
    const after = edit(text, [laftit], [[laftit.end, laftit.end, ',']]);
    assert.deepEqual(after.entities[0], laftit);
    const before = edit(text, [laftit], [[laftit.start, laftit.start, '«']]);
    assert.equal(before.entities[0]?.text, 'Laftit');
    assert.equal(before.entities[0]?.start, laftit.start + 1);
  });

  it('adjusts an entity when a typo inside it is fixed', () => {
    const i = ham.start + 'Abdellatif Ham'.length;
    const r = edit(text, all, [[i, i, 'm']]);
    assert.deepEqual(r.removed, []);
    assert.deepEqual(r.adjusted.map((e) => e.text), ['Abdellatif Hammouchi']);
    const rab = r.entities.find((e) => e.id === 'Rabat');
    assert.equal([...r.text].slice(rab?.start, rab?.end).join(''), 'Rabat');
  });

  it('removes, and reports, an entity whose boundary an edit cuts', () => {
    const r = edit(text, all, [[laftit.start + 2, laftit.end + 3, 'XX']]);
    assert.deepEqual(r.removed.map((e) => e.id), ['Laftit']);
    assert.deepEqual(r.entities.map((e) => e.id), ['Abdellatif Hamouchi', 'Rabat']);
  });

  it('removes an entity that is deleted or wholly replaced', () => {
    assert.deepEqual(edit(text, [rabat], [[rabat.start, rabat.end, '']]).removed.map((e) => e.id), ['Rabat']);
    assert.deepEqual(edit(text, [rabat], [[rabat.start, rabat.end, 'Fès']]).removed.map((e) => e.id), ['Rabat']);
    assert.deepEqual(edit(text, [rabat], [[0, text.length, '']]).removed.map((e) => e.id), ['Rabat']);
  });

  it('handles several changes of one multi-cursor edit, in any order', () => {
    const changes: Array<[number, number, string]> = [[0, 0, '>> '], [rabat.start, rabat.start, 'la ville de '], [laftit.end, laftit.end, ' (ministre)']];
    const r = edit(text, all, changes);
    assert.deepEqual(r.removed, []);
    for (const e of r.entities) assert.equal([...r.text].slice(e.start, e.end).join(''), e.text);
    const reversed = edit(text, all, [...changes].reverse());
    assert.deepEqual(reversed.entities, r.entities);
  });

  it('counts astral characters as one code point', () => {
    const r = edit(text, all, [[0, 0, '😀😀']]);
    assert.equal(r.entities[0]?.start, laftit.start + 2);
  });

  it('keeps every surviving entity equal to its text under random edits', () => {
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const alphabet = ['a', ' ', 'é', '😀', '\r\n', '’', 'L'];
    for (let round = 0; round < 300; round++) {
      let t = text;
      let ents: Entity[] = all;
      for (let step = 0; step < 5; step++) {
        const n = [...t].length;
        const s = Math.floor(rnd() * (n + 1));
        const e = Math.min(n, s + Math.floor(rnd() * 4));
        const ins = Array.from({ length: Math.floor(rnd() * 3) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
        const r = edit(t, ents, [[s, e, ins]]);
        for (const x of r.entities) assert.equal([...r.text].slice(x.start, x.end).join(''), x.text, `round ${round} step ${step}`);
        t = r.text;
        ents = r.entities;
      }
    }
  });
});

describe('the change between two texts (edits whose events were missed)', () => {
  it('is the span between the common prefix and suffix, in code points', () => {
    assert.deepEqual(changeBetween('😀 Abdellatif Hammouchi', '😀 Abdelatif Hammouchi'), { start: 7, end: 8, insertedLength: 0 });
    assert.deepEqual(changeBetween('abc', 'abc'), undefined);
    assert.deepEqual(changeBetween('ab', 'a😀b'), { start: 1, end: 1, insertedLength: 1 });
  });

  it('tracked through, keeps every entity whose text is unchanged and fixes the typo (property)', () => {
    const pieces = ['a', 'é', '😀', ' ', 'Laftit', '\n', '𝔸'];
    const str = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((x) => x.join(''));
    fc.assert(fc.property(str, str, str, (pre, mid, post) => {
      const before = `${pre}Laftit${post}`;
      const after = `${pre}${mid}Laftit${post}`;
      const start = [...pre].length;
      const e = { id: 'a', label: 'PER', start, end: start + 6, text: 'Laftit' };
      const c = changeBetween(before, after);
      const map = new OffsetMap(after);
      const r = trackChanges([e], c ? [c] : [], (s, t) => map.slice(s, t));
      for (const x of r.entities) assert.equal(map.slice(x.start, x.end), x.text);
    }), { numRuns: 2000, seed: 20261123 });
  });
});
