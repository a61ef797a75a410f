import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { ArticleDecodeError, articleFromText, decodeArticle } from '../../src/core/model/article';
import { sha256Hex } from '../../src/core/model/sha256';

const utf8 = (s: string) => new TextEncoder().encode(s);

describe('articles', () => {
  it('hashes like node:crypto, for every padding length', () => {
    for (let n = 0; n < 200; n++) {
      const bytes = new Uint8Array(n).map((_, i) => (i * 31 + n) & 0xff);
      assert.equal(sha256Hex(bytes), createHash('sha256').update(bytes).digest('hex'), `length ${n}`);
    }
  });

  it('removes a leading BOM from the text but hashes the bytes as stored', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('Interpol')]);
    const a = decodeArticle(bytes);
    assert.equal(a.text, 'Interpol');
    assert.ok(a.hasBom);
    assert.equal(a.sha256, createHash('sha256').update(bytes).digest('hex'));
    assert.equal(articleFromText('Interpol', true).sha256, a.sha256);
  });

  it('keeps CRLF and NFD exactly as stored', () => {
    const a = decodeArticle(utf8('Ligne 1\r\nLe\u0301a'));
    assert.equal(a.text, 'Ligne 1\r\nLe\u0301a');
    assert.equal(a.offsets.codePointLength, 13);
  });

  it('rejects Latin-1 with the offset of the first bad byte', () => {
    const bytes = new Uint8Array([...utf8('Minist'), 0xe8, ...utf8('re')]); // "Ministère" in Latin-1
    assert.throws(() => decodeArticle(bytes), (e: unknown) => e instanceof ArticleDecodeError && /not valid UTF-8 \(first bad byte at offset 6\)/.test(e.message));
  });

  it('rejects binary files', () => {
    assert.throws(() => decodeArticle(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 1])), /binary file/);
  });
});
