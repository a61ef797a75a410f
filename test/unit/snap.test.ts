import { strict as assert } from 'node:assert';
import { snapSelection } from '../../src/core/text/snap';

/** Snaps the first occurrence of `selected` in `text` and returns the snapped substring. */
function snap(text: string, selected: string, opts = { expandWords: true, frenchElision: true }): string {
  const s = text.indexOf(selected);
  assert.ok(s >= 0, `"${selected}" not in text`);
  const r = snapSelection(text, s, s + selected.length, opts);
  return text.slice(r.start, r.end);
}

describe('selection snapping', () => {
  const text = 'Selon l’Interpol, « Abdellatif Hammouchi » a rencontré M. Laftit (S.M. le Roi) à Marrakech.\u00a0Fin';

  it('trims white space and punctuation around the selection', () => {
    assert.equal(snap(text, '« Abdellatif Hammouchi » '), 'Abdellatif Hammouchi');
    assert.equal(snap(text, ' Marrakech.\u00a0'), 'Marrakech');
    assert.equal(snap(text, 'Interpol, '), 'Interpol');
  });

  it('expands a partial word to the whole word', () => {
    assert.equal(snap(text, 'bdellatif Hammou'), 'Abdellatif Hammouchi');
    assert.equal(snap(text, 'rrak'), 'Marrakech');
  });

  it('drops French elision, with both apostrophes', () => {
    assert.equal(snap(text, 'l’Interpol'), 'Interpol');
    assert.equal(snap("Le siège d'Interpol à Lyon", "d'Interpol"), 'Interpol');
    assert.equal(snap('jusqu’Interpol', 'jusqu’Interpol'), 'Interpol');
    assert.equal(snap(text, 'l’Interpol', { expandWords: true, frenchElision: false }), 'l’Interpol');
  });

  it('keeps the dots of abbreviations and balanced brackets', () => {
    assert.equal(snap(text, 'S.M. '), 'S.M.');
    assert.equal(snap(text, 'M. Laftit '), 'M. Laftit');
    assert.equal(snap('Université Mohammed V (UM5) de Rabat', 'Université Mohammed V (UM5)'), 'Université Mohammed V (UM5)');
    assert.equal(snap(text, '(S.M'), 'S.M');
  });

  it('turns an empty selection into the word around the cursor', () => {
    const i = text.indexOf('Laftit') + 2;
    const r = snapSelection(text, i, i);
    assert.equal(text.slice(r.start, r.end), 'Laftit');
    const end = text.indexOf('Laftit') + 6;
    const r2 = snapSelection(text, end, end);
    assert.equal(text.slice(r2.start, r2.end), 'Laftit');
  });

  it('returns an empty span when only punctuation was selected', () => {
    const i = text.indexOf('« ');
    const r = snapSelection(text, i, i + 2);
    assert.equal(r.start, r.end);
  });

  it('leaves a word-aligned selection alone, even with expansion off', () => {
    assert.equal(snap(text, 'Hammouchi', { expandWords: false, frenchElision: false }), 'Hammouchi');
    assert.equal(snap(text, 'ammou', { expandWords: false, frenchElision: false }), 'ammou');
  });

  it('treats astral letters and Arabic as word characters', () => {
    assert.equal(snap('x 𝔸𝔹ℂ y', '𝔹'), '𝔸𝔹ℂ');
    assert.equal(snap('قال حموشي اليوم', 'موش'), 'حموشي');
  });
});
