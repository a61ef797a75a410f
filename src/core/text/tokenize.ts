// A French tokeniser and sentence splitter for the token-based exports (CoNLL, spaCy tokens).
// Deterministic rules, no model: good enough to align entity boundaries on news text, and
// predictable, so a reviewer can say why a token is what it is.
//
// Tokens never contain whitespace (so `token TAG` lines stay two columns). Offsets are code
// points, like the sidecars. The rules, in order of precedence at each position:
//   URL (https://…, www.…) and e-mail address: one token, trailing punctuation left out
//   acronym with dots: S.M., O.N.U. (letters each followed by a dot)
//   number with inner separators: 3.000, 32,3, 5,44, 12:30, 03/09/2024 (`%` is its own token)
//   French elision split off the word it precedes: l’, d’, qu’, jusqu’, lorsqu’, puisqu’, c’,
//     j’, m’, n’, s’, t’ (with ’ or ')
//   word: letters, combining marks (NFD accents), digits, `_`; an inner apostrophe keeps a word
//     whole (aujourd’hui); hyphens split (DGSN-DGST → DGSN - DGST); a final dot stays on
//     abbreviations (M., Mme., Dr., etc.) and on a single capital initial (A.)
//   `...` (and …), an emoji (with skin tones, ZWJ sequences), a flag: one token
//   anything else: one token per character (with its combining marks)
// Sentences end at a line break, and after `.`, `!`, `?`, `…` (plus any closing quote or
// bracket) followed by whitespace and a capital letter or an opening quote; never after an
// abbreviation, which keeps its dot.
import { OffsetMap } from '../model/offsets';

export interface Token {
  text: string;
  /** Code point offset of the first character. */
  start: number;
  /** Code point offset after the last character. */
  end: number;
  /** Followed by whitespace (spaCy's `ws`). */
  ws: boolean;
}

/** Abbreviations whose final dot belongs to them (case-sensitive). */
const ABBREVIATIONS = new Set([
  'M', 'MM', 'Mme', 'Mmes', 'Mlle', 'Mlles', 'Me', 'Mgr', 'Dr', 'Pr', 'St', 'Ste', 'Sts', 'Stes',
  'Gén', 'Col', 'Cdt', 'Lt', 'Sgt', 'Cie', 'Ets', 'etc', 'cf', 'Cf', 'av', 'apr', 'env', 'ex',
  'fig', 'p', 'pp', 'No', 'Art', 'al', 'bd', 'Bd', 'chap', 'éd', 'tél', 'Tél',
  'janv', 'févr', 'avr', 'juil', 'oct', 'nov', 'déc',
]);
// Not listed although abbreviated elsewhere: French words that often end a sentence
// (art, vol, sept, min).
/** Abbreviations that may also end a sentence (`… etc. Le lendemain`). */
const SENTENCE_FINAL_ABBREVIATIONS = new Set(['etc.']);

// One alternation, tried at each token start; the capture group that matched says which rule
// (numbered groups: named ones allocate an object per match).
const RULES = ['url', 'email', 'acronym', 'number', 'elision', 'word', 'dots', 'emoji', 'other'] as const;
type Rule = (typeof RULES)[number];
const TOKEN = new RegExp([
  String.raw`((?:https?:\/\/|www\.)[^\s<>«»"“”‘’]+)`,
  String.raw`([\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)+)`,
  String.raw`((?:\p{L}\.){2,})`,
  String.raw`(\p{N}+(?:[.,:\/]\p{N}+)+)`,
  String.raw`((?:jusqu|lorsqu|puisqu|quoiqu|presqu|qu|[cdjlmnst])['’](?=\p{L}))`,
  String.raw`([\p{L}\p{M}\p{N}_\u00AD\u200C\u200D]+(?:['’][\p{L}\p{M}\p{N}]+)*)`,
  String.raw`(\.{2,})`,
  String.raw`(\p{Regional_Indicator}{2}|\p{Extended_Pictographic}(?:\uFE0F|\p{Emoji_Modifier}|\u200D\p{Extended_Pictographic}\uFE0F?)*)`,
  String.raw`([^]\p{M}*)`,
].join('|'), 'iuy');

function ruleOf(m: RegExpExecArray): Rule {
  for (let g = 1; g <= RULES.length; g++) if (m[g] !== undefined) return RULES[g - 1] as Rule;
  return 'other';
}

/** Separators: whitespace, plus invisible format characters that never belong to a token. */
const SEPARATOR = /[\s\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/u;
const LINE_BREAK = /[\n\r\v\f\u0085\u2028\u2029]/;
const WHITESPACE = /\s/;
const TERMINAL = /^(?:[.!?…]+|\.{2,})$/;
const CLOSING = new Set(['»', '"', '”', '’', "'", ')', ']', '}']);
const OPENING = new Set(['«', '“', '"', '—', '–']);
const URL_TRAILING = /[.,;:!?)\]}'’»]+$/;
const INITIAL = /^\p{Lu}$/u;

/** Splits a text into sentences of tokens. */
export function tokenizeSentences(text: string, offsets: OffsetMap = new OffsetMap(text)): Token[][] {
  const sentences: Token[][] = [];
  let sentence: Token[] = [];
  const flush = () => {
    if (sentence.length) sentences.push(sentence);
    sentence = [];
  };
  /** After a sentence-final mark: closing quotes may follow, then a capital starts a new sentence. */
  let terminal = false;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || (c > 0x7e || c < 0x21) && isSeparator(text, i)) {
      if (c === 0x0a || c === 0x0d || (c > 0x7e && LINE_BREAK.test(text[i] as string)) || c === 0x0b || c === 0x0c) {
        flush();
        terminal = false;
      }
      i++;
      continue;
    }
    TOKEN.lastIndex = i;
    const m = TOKEN.exec(text);
    if (!m) { i++; continue; } // unreachable: `other` matches any character
    let end = i + m[0].length;
    const rule = ruleOf(m);
    if (rule === 'url' || rule === 'email') {
      const trail = URL_TRAILING.exec(m[0]);
      if (trail) end -= trail[0].length;
    } else if (rule === 'word' && text.charCodeAt(end) === 0x2e && (ABBREVIATIONS.has(m[0]) || INITIAL.test(m[0]))) {
      end++;
    }
    const tokenText = text.slice(i, end);
    const spaceBefore = i > 0 && isSeparator(text, i - 1);
    if (terminal && sentence.length) {
      if (CLOSING.has(tokenText) && (!spaceBefore || tokenText === '»')) {
        // `« … fin. » Puis` : the closing quote (French: after a space) belongs to the sentence it closes
      } else {
        if (spaceBefore && startsSentence(tokenText)) flush();
        terminal = false;
      }
    }
    const token: Token = {
      text: tokenText,
      start: offsets.toCodePoint(i),
      end: offsets.toCodePoint(end),
      ws: end < text.length && isWhitespace(text, end),
    };
    sentence.push(token);
    if (TERMINAL.test(tokenText) || SENTENCE_FINAL_ABBREVIATIONS.has(tokenText)) terminal = true;
    i = end;
  }
  flush();
  return sentences;
}

/** The tokens of a text, sentence breaks ignored. */
export function tokenize(text: string, offsets?: OffsetMap): Token[] {
  return tokenizeSentences(text, offsets).flat();
}

function isSeparator(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  return c > 0x7e && SEPARATOR.test(text[i] as string);
}

function isWhitespace(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  return c > 0x7e && WHITESPACE.test(text[i] as string);
}

function startsSentence(token: string): boolean {
  return /^\p{Lu}/u.test(token) || OPENING.has(token);
}
