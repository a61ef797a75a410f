import { strict as assert } from 'node:assert';
import { addEntities, emptySidecar, entitiesAt, entitiesIn, relabelEntities, removeEntities, setAttributes, setNote, setStatus } from '../../src/core/model/edits';
import { article, cpIndexOf } from './helpers/corpus';

describe('entity operations', () => {
  const text = '😀 M. Laftit et Abdellatif Hammouchi';
  const a = article(text);
  const s0 = emptySidecar('a.txt', a.sha256);
  const laftit = { start: cpIndexOf(text, 'Laftit'), end: cpIndexOf(text, 'Laftit') + 6 };
  const ham = { start: cpIndexOf(text, 'Abdellatif'), end: cpIndexOf(text, 'Abdellatif') + 20 };

  it('adds entities with code point offsets, their text, fresh ids, and advances todo → in-progress', () => {
    const { sidecar, added } = addEntities(s0, a, [laftit, ham], 'PER', { by: 'amina', src: 'manual' });
    assert.deepEqual(added.map((e) => e.text), ['Laftit', 'Abdellatif Hammouchi']);
    assert.equal(added[0]?.start, 5); // 😀 is one code point
    assert.equal(added[0]?.by, 'amina');
    assert.notEqual(added[0]?.id, added[1]?.id);
    assert.equal(sidecar.status, 'in-progress');
    assert.deepEqual(s0.entities, [], 'input untouched');
  });

  it('accepts a suggestion when its span is tagged with its label, keeping its id and src', () => {
    const suggestion = { id: 'sug001', label: 'PER', ...laftit, text: 'Laftit', src: 'propagated', suggested: true as const };
    const s = { ...s0, entities: [suggestion] };
    const { sidecar, added } = addEntities(s, a, [laftit], 'PER', { by: 'amina' });
    assert.deepEqual(sidecar.entities, [{ id: 'sug001', label: 'PER', ...laftit, text: 'Laftit', src: 'propagated', by: 'amina' }]);
    assert.equal(added.length, 1);
    // Tagged with another label, it is accepted with that label: no leftover suggestion beside it.
    const other = addEntities(s, a, [laftit], 'ORG');
    assert.deepEqual(other.sidecar.entities, [{ id: 'sug001', label: 'ORG', ...laftit, text: 'Laftit', src: 'propagated' }]);
  });

  it('sets and removes attributes, dropping an empty attrs map', () => {
    const { sidecar } = addEntities(s0, a, [laftit, ham], 'PER');
    const ids = new Set([sidecar.entities[0]!.id]);
    const linked = setAttributes(sidecar, ids, { kb: 'wikidata:Q3390853', canonical: 'Abdelouafi Laftit' });
    assert.deepEqual(linked.entities[0]?.attrs, { kb: 'wikidata:Q3390853', canonical: 'Abdelouafi Laftit' });
    assert.equal(linked.entities[1]?.attrs, undefined);
    assert.deepEqual(setAttributes(linked, ids, { kb: '' }).entities[0]?.attrs, { canonical: 'Abdelouafi Laftit' });
    assert.ok(!('attrs' in (setAttributes(linked, ids, { kb: '', canonical: '' }).entities[0] ?? {})));
  });

  it('does not duplicate an entity tagged twice with the same label', () => {
    const once = addEntities(s0, a, [laftit], 'PER').sidecar;
    const twice = addEntities(once, a, [laftit, laftit], 'PER');
    assert.equal(twice.added.length, 0);
    assert.equal(twice.sidecar.entities.length, 1);
    assert.equal(addEntities(once, a, [laftit], 'ORG').added.length, 1, 'another label is another entity');
  });

  it('removes, relabels, notes and finds entities', () => {
    const { sidecar } = addEntities(s0, a, [laftit, ham], 'PER');
    const [l, h] = sidecar.entities;
    assert.deepEqual(entitiesAt(sidecar, laftit.start + 1).map((e) => e.id), [l?.id]);
    assert.deepEqual(entitiesIn(sidecar, { start: 0, end: 100 }).length, 2);
    assert.equal(relabelEntities(sidecar, new Set([l?.id as string]), 'ORG').entities[0]?.label, 'ORG');
    assert.deepEqual(removeEntities(sidecar, new Set([l?.id as string])).entities.map((e) => e.id), [h?.id]);
    const noted = setNote(sidecar, new Set([h?.id as string]), 'DGSN');
    assert.equal(noted.entities[1]?.note, 'DGSN');
    assert.equal('note' in (setNote(noted, new Set([h?.id as string]), '').entities[1] ?? {}), false);
    assert.equal(setStatus(sidecar, 'done').status, 'done');
  });
});
