// An article as the core sees it: its text exactly as stored, minus a leading UTF-8 BOM
// (as VS Code and Python's utf-8-sig read it), and the hash of its bytes.
import { OffsetMap } from './offsets';
import { sha256Hex } from './sha256';

export interface Article {
  text: string;
  /** SHA-256 of the file's bytes, BOM included: any change on disk changes it. */
  sha256: string;
  hasBom: boolean;
  offsets: OffsetMap;
}

export class ArticleDecodeError extends Error {
  constructor(message: string, readonly byteOffset?: number) {
    super(message);
  }
}

const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Decodes an article's bytes; throws ArticleDecodeError for binary or non-UTF-8 content. */
export function decodeArticle(bytes: Uint8Array): Article {
  const utf16 = utf16Endianness(bytes);
  if (utf16) {
    throw new ArticleDecodeError(
      `this file is UTF-16 (${utf16} endian), not UTF-8: re-save it as UTF-8 (for example with \`iconv -f UTF-16${utf16 === 'little' ? 'LE' : 'BE'} -t UTF-8\`, or in VS Code: Save with Encoding, UTF-8)`,
      0,
    );
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new ArticleDecodeError(`this looks like a binary file (a NUL byte at byte ${nul}), not a text article`, nul);
  }
  const hasBom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let text: string;
  try {
    text = fatalDecoder.decode(hasBom ? bytes.subarray(3) : bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    throw new ArticleDecodeError(
      `the file is not valid UTF-8 (first bad byte at offset ${at}); re-save it as UTF-8 (for example with \`iconv -f latin1 -t utf-8\`)`,
      at,
    );
  }
  return { text, sha256: sha256Hex(bytes), hasBom, offsets: new OffsetMap(text) };
}

/** Builds an Article from text already in memory (an open editor); `bytes` default to its UTF-8 encoding. */
export function articleFromText(text: string, hasBom = false): Article {
  const body = new TextEncoder().encode(text);
  let bytes = body;
  if (hasBom) {
    bytes = new Uint8Array(body.length + 3);
    bytes.set([0xef, 0xbb, 0xbf]);
    bytes.set(body, 3);
  }
  return { text, sha256: sha256Hex(bytes), hasBom, offsets: new OffsetMap(text) };
}

function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return i;
}

/**
 * Whether the bytes look like UTF-16, which Windows tools save as "Unicode": a byte order mark
 * (FF FE little endian, FE FF big endian), or text whose every other byte is NUL (the high byte of
 * Latin characters), at odd offsets for little endian, even ones for big endian.
 */
function utf16Endianness(bytes: Uint8Array): 'little' | 'big' | undefined {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'little';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'big';
  const pairs = Math.min(bytes.length, 4096) >> 1;
  if (pairs === 0) return undefined;
  let evenNul = 0;
  let oddNul = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (bytes[i] === 0) evenNul++;
    if (bytes[i + 1] === 0) oddNul++;
  }
  if (oddNul * 2 >= pairs && evenNul === 0) return 'little';
  if (evenNul * 2 >= pairs && oddNul === 0) return 'big';
  return undefined;
}
