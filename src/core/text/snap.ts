// Selection snapping: turns what an annotator roughly selected into the span they meant.
// Works on JavaScript string indices (UTF-16) of the text, like the editor's selections.

export interface SnapOptions {
  /** Expand a selection that cuts a word to the whole word. */
  expandWords: boolean;
  /** Drop French elided articles/pronouns: l’Interpol → Interpol. */
  frenchElision: boolean;
}

export const DEFAULT_SNAP: SnapOptions = { expandWords: true, frenchElision: true };

const WORD = /[\p{L}\p{M}\p{N}]/u;
// Trimmed from both ends: white space (incl. no-break spaces) and punctuation that never ends a name.
const TRIM = /[\s\u00a0\u202f\u2009\u200b\u200e\u200f,;:!?¡¿«»“”„"‘’'`()[\]{}<>—–…·•*|\\/]/u;
const ELISION = /^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’](?=[\p{L}])/iu;

function isWordAt(text: string, i: number): boolean {
  if (i < 0 || i >= text.length) return false;
  const cp = text.codePointAt(i) as number;
  // Step back onto the high surrogate when i is on the low one.
  if (cp >= 0xdc00 && cp <= 0xdfff && i > 0) return WORD.test(String.fromCodePoint(text.codePointAt(i - 1) as number));
  return WORD.test(String.fromCodePoint(cp));
}

/**
 * Snaps [start, end) of `text`. An empty selection becomes the word around it (or stays empty when
 * there is none). Returns an empty span when nothing taggable is left.
 */
export function snapSelection(text: string, start: number, end: number, opts: SnapOptions = DEFAULT_SNAP): { start: number; end: number } {
  let s = Math.max(0, Math.min(start, end));
  let e = Math.min(text.length, Math.max(start, end));
  if (s === e || opts.expandWords) {
    if (isWordAt(text, s) && isWordAt(text, s - 1)) while (isWordAt(text, s - 1)) s--;
    if (isWordAt(text, e - 1) && isWordAt(text, e)) while (isWordAt(text, e)) e++;
    if (s === e) {
      // Cursor right after or right before a word.
      while (isWordAt(text, s - 1)) s--;
      while (isWordAt(text, e)) e++;
    }
  }
  const trim = () => {
    while (s < e && TRIM.test(text[s] as string)) s++;
    while (s < e && (TRIM.test(text[e - 1] as string) || (text[e - 1] === '.' && !isAbbreviationEnd(text, s, e)) || text[e - 1] === '-')) {
      // Keep a closing bracket that has its opening one inside the span: "Université (UM5)".
      if (text[e - 1] === ')' && text.slice(s, e - 1).includes('(')) break;
      e--;
    }
  };
  trim();
  if (opts.frenchElision) {
    const m = ELISION.exec(text.slice(s, e));
    if (m) {
      s += m[0].length;
      trim();
    }
  }
  return s < e ? { start: s, end: e } : { start: s, end: s };
}

/** "M." "S.M." "U.S.A." end with a dot that belongs to them; "Maroc." does not. */
function isAbbreviationEnd(text: string, s: number, e: number): boolean {
  const body = text.slice(s, e);
  return /(?:^|[^\p{L}])(?:\p{Lu}\.)+$/u.test(body) || /(?:^|\s)(?:\p{Lu}\p{Ll}{0,2}\.)$/u.test(body) && body.length <= 4;
}
