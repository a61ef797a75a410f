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
