// The one place where code point offsets (what sidecars store, what Python's str indexes)
// meet UTF-16 code unit offsets (what JavaScript strings and VS Code's API index).
// They differ only after an astral character (emoji, 𝔸, …), which takes two UTF-16 units.

/**
 * Converts between code point and UTF-16 offsets of one immutable text.
 * Costs O(number of astral characters) memory; O(1) for texts without any (most French news),
 * O(log n) per conversion otherwise.
 */
export class OffsetMap {
  /** UTF-16 offsets of the high surrogate of each astral character, ascending. */
  private readonly astral: number[];
  readonly utf16Length: number;
  readonly codePointLength: number;

  constructor(readonly text: string) {
    this.astral = [];
    this.utf16Length = text.length;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
        const d = text.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          this.astral.push(i);
          i++;
        }
      }
    }
    this.codePointLength = text.length - this.astral.length;
  }

  /** True when every code point is one UTF-16 unit, so both offset kinds coincide. */
  get isBmpOnly(): boolean {
    return this.astral.length === 0;
  }

  /** Code point offset → UTF-16 offset. Offsets past the end clamp to the end. */
  toUtf16(codePoint: number): number {
    if (codePoint <= 0) return 0;
    if (codePoint >= this.codePointLength) return this.utf16Length;
    if (this.astral.length === 0) return codePoint;
    // Find how many astral characters start before the target: the k-th astral char (0-based)
    // at UTF-16 offset a[k] sits at code point a[k] - k.
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.astral[mid] as number) - mid < codePoint) lo = mid + 1;
      else hi = mid;
    }
    return codePoint + lo;
  }

  /**
   * UTF-16 offset → code point offset. An offset inside a surrogate pair rounds down to the
   * start of that character (VS Code never places a cursor there, but a careless caller might).
   */
  toCodePoint(utf16: number): number {
    if (utf16 <= 0) return 0;
    if (utf16 >= this.utf16Length) return this.codePointLength;
    if (this.astral.length === 0) return utf16;
    let lo = 0;
    let hi = this.astral.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.astral[mid] as number) < utf16) lo = mid + 1;
      else hi = mid;
    }
    // lo = astral characters starting strictly before utf16; an offset on a low surrogate
    // counts its own character, which rounds it down to that character's start.
    return utf16 - lo;
  }

  /** The text between two code point offsets, like Python's `text[start:end]`. */
  slice(start: number, end: number): string {
    return this.text.slice(this.toUtf16(start), this.toUtf16(end));
  }
}

/** Number of code points in a string, or in its UTF-16 range [from, to) (what Python's `len()` returns). */
export function codePointLength(s: string, from = 0, to = s.length): number {
  let n = to - from;
  for (let i = from; i < to - 1; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n--;
        i++;
      }
    }
  }
  return n;
}
