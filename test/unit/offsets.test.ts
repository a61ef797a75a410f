import { strict as assert } from 'node:assert';
import { codePointLength, OffsetMap } from '../../src/core/model/offsets';

describe('OffsetMap (code points ↔ UTF-16)', () => {
  it('is the identity for BMP-only French text', () => {
    const m = new OffsetMap('« M. Laftit » a dit l’Intérieur');
    assert.ok(m.isBmpOnly);
    for (let i = 0; i <= m.text.length; i++) {
      assert.equal(m.toUtf16(i), i);
      assert.equal(m.toCodePoint(i), i);
    }
  });

  it('shifts by one UTF-16 unit after each astral character', () => {
    const text = 'a😀b𝔸c🇲🇦d';
    const m = new OffsetMap(text);
    const cps = [...text];
    assert.equal(m.codePointLength, cps.length);
    let u = 0;
    for (let cp = 0; cp < cps.length; cp++) {
      assert.equal(m.toUtf16(cp), u, `code point ${cp}`);
      assert.equal(m.toCodePoint(u), cp, `utf16 ${u}`);
      u += (cps[cp] as string).length;
    }
    assert.equal(m.toUtf16(cps.length), text.length);
    assert.equal(m.toCodePoint(text.length), cps.length);
  });

  it('slices like Python text[start:end]', () => {
    const text = '🚨 Alerte : Abdellatif Hammouchi à Marrakech';
    const m = new OffsetMap(text);
    // "🚨" is one code point but two UTF-16 units: the code point offset is one less than indexOf.
    const start = text.indexOf('Abdellatif') - 1;
    assert.equal([...text].slice(start, start + 10).join(''), 'Abdellatif');
    assert.equal(m.slice(start, start + 'Abdellatif Hammouchi'.length), 'Abdellatif Hammouchi');
  });

  it('rounds an offset inside a surrogate pair down to the character start', () => {
    const m = new OffsetMap('x😀y');
    assert.equal(m.toCodePoint(2), 1); // between the two halves of 😀
    assert.equal(m.toCodePoint(3), 2);
  });

  it('clamps out-of-range offsets', () => {
    const m = new OffsetMap('ab😀');
    assert.equal(m.toUtf16(-5), 0);
    assert.equal(m.toUtf16(99), 4);
    assert.equal(m.toCodePoint(99), 3);
  });

  it('treats a lone surrogate as one code point, as Python does', () => {
    const text = 'a\uD800b';
    const m = new OffsetMap(text);
    assert.equal(m.codePointLength, 3);
    assert.equal(m.slice(2, 3), 'b');
    assert.equal(codePointLength(text), 3);
  });

  it('agrees with a naive conversion on mixed scripts (Arabic, emoji, NFD, CRLF)', () => {
    const text = 'الرباط 😀\r\ne\u0301te 𝔸𝔹 — « Interpol »\r\n👩‍👩‍👧 fin';
    const m = new OffsetMap(text);
    const cps = [...text];
    for (let s = 0; s <= cps.length; s++) {
      const naive = cps.slice(0, s).join('').length;
      assert.equal(m.toUtf16(s), naive);
      assert.equal(m.toCodePoint(naive), s);
      for (let e = s; e <= Math.min(cps.length, s + 4); e++) assert.equal(m.slice(s, e), cps.slice(s, e).join(''));
    }
    assert.equal(codePointLength(text), cps.length);
  });
});
