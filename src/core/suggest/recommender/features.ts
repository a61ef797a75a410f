// The features of a token, hashed: its own form (word, lowercase, shape, affixes, character
// trigrams: OCR garbles letters, so pieces of a word carry evidence its whole form lacks), its
// neighbours ±2, its place in the sentence, how the same word is written elsewhere in the page,
// and what the training annotations say about it (lexicon.ts). Each feature is a string hashed
// with FNV-1a; the model keeps a weight per (hash bucket, tag).
import { Sentence } from './data';
import { fnv1a, fnvMore } from './hash';
import { LexiconView, lowerKey, MAX_PHRASE } from './lexicon';

/** Per token, the hashes of its features: token i owns hashes[offsets[i]…offsets[i + 1]). */
export interface SentenceFeatures {
  hashes: Uint32Array;
  offsets: Int32Array;
}

/** What a page says about its own words: the forms that occur in it. */
export class PageInfo {
  private readonly forms = new Set<string>();

  constructor(sentences: readonly Sentence[]) {
    for (const s of sentences) for (const t of s.tokens) this.forms.add(t.text);
  }

  has(form: string): boolean {
    return this.forms.has(form);
  }
}

const UPPER = /^\p{Lu}/u;
const ALL_UPPER = /^[\p{Lu}\p{M}]+$/u;
const LOWER = /^[\p{Ll}\p{M}]+$/u;
const HAS_DIGIT = /\p{N}/u;
const LETTERS = /^[\p{L}\p{M}]+$/u;

export function shapeOf(word: string): string {
  let s = '';
  for (const ch of word) {
    const c = ch.charCodeAt(0);
    // ASCII first: most characters, and the Unicode property tests below are slow.
    if (c >= 0x61 && c <= 0x7a) { s += 'x'; continue; }
    if (c >= 0x41 && c <= 0x5a) { s += 'X'; continue; }
    if (c >= 0x30 && c <= 0x39) { s += 'd'; continue; }
    if (c < 0x80) { s += ch; continue; }
    if (/\p{Lu}/u.test(ch)) s += 'X';
    else if (/[\p{Ll}\p{Lo}\p{Lm}\p{Lt}]/u.test(ch)) s += 'x';
    else if (/\p{N}/u.test(ch)) s += 'd';
    else if (/\p{M}/u.test(ch)) continue;
    else s += ch;
  }
  return s;
}

function shortShape(shape: string): string {
  let s = '';
  for (const ch of shape) if (s[s.length - 1] !== ch) s += ch;
  return s;
}

function caseClass(word: string): string {
  if (ALL_UPPER.test(word)) return word.length > 1 ? 'UP' : 'U1';
  if (UPPER.test(word)) return LETTERS.test(word) ? 'Ti' : 'Tx';
  if (LOWER.test(word)) return 'lo';
  if (HAS_DIGIT.test(word)) return 'dg';
  return 'pu';
}

interface TokenView {
  text: string;
  lower: string;
  short: string;
  cls: string;
  /** Hashes of the features of the word alone (form, shape, affixes, trigrams, length). */
  own: Uint32Array;
}

/** Views of the words already seen, shared by the sentences of one training or prediction run. */
export type WordCache = Map<string, TokenView>;

const PREFIX = new Map<string, number>();
/** fnv1a(name + '=' + value…), the name's part hashed once. */
function h(name: string, ...values: string[]): number {
  let p = PREFIX.get(name);
  if (p === undefined) { p = fnv1a(name + '='); PREFIX.set(name, p); }
  for (let k = 0; k < values.length; k++) p = fnvMore(k === 0 ? p : fnvMore(p, '|'), values[k] as string);
  return p;
}

function view(text: string, cache: WordCache): TokenView {
  const known = cache.get(text);
  if (known) return known;
  const lower = lowerKey(text);
  const shape = shapeOf(text);
  const short = shortShape(shape);
  const cls = caseClass(text);
  const own: number[] = [h('w', text), h('l', lower), h('s', shape.slice(0, 8)), h('ss', short), h('c', cls)];
  const chars = Array.from(lower);
  for (let k = 1; k <= 4 && k <= chars.length; k++) {
    own.push(h(`p${k}`, chars.slice(0, k).join('')), h(`x${k}`, chars.slice(-k).join('')));
  }
  if (chars.length > 3) {
    const padded = ['^', ...chars, '$'];
    for (let k = 0; k + 3 <= padded.length && k < 14; k++) own.push(h('g', padded.slice(k, k + 3).join('')));
  }
  own.push(h('len', String(Math.min(chars.length, 12))));
  const v: TokenView = { text, lower, short, cls, own: Uint32Array.from(own) };
  cache.set(text, v);
  return v;
}

const NONE = new Uint32Array(0);
const PAD: TokenView = { text: '<s>', lower: '<s>', short: '<s>', cls: '<s>', own: NONE };
const PAD_END: TokenView = { text: '</s>', lower: '</s>', short: '</s>', cls: '</s>', own: NONE };

/** Ratio of annotated occurrences, in 5 buckets. */
function ratioBucket(annotated: number, total: number): number {
  const r = total > 0 ? annotated / total : 0;
  return r < 0.1 ? 0 : r < 0.3 ? 1 : r < 0.6 ? 2 : r < 0.9 ? 3 : 4;
}

/** Longest lexicon phrases, left to right: per token, `B2`, `I2`, `L2`, `U2` (label 2) or ''. */
function phraseMarks(lowers: readonly string[], lexicon: LexiconView): string[] {
  const marks = new Array<string>(lowers.length).fill('');
  for (let i = 0; i < lowers.length;) {
    let found = 0;
    let label = -1;
    let key = '';
    for (let len = 1; len <= MAX_PHRASE && i + len <= lowers.length; len++) {
      key = len === 1 ? (lowers[i] as string) : key + ' ' + (lowers[i + len - 1] as string);
      const c = lexicon.phrase(key);
      if (c) { found = len; label = argmaxLabel(c); }
      if (len === 1 && !lexicon.startsPhrase(key)) break;
    }
    if (found === 0) { i++; continue; }
    if (found === 1) marks[i] = `U${label}`;
    else for (let k = 0; k < found; k++) marks[i + k] = `${k === 0 ? 'B' : k === found - 1 ? 'L' : 'I'}${label}`;
    i += found;
  }
  return marks;
}

function argmaxLabel(c: readonly number[]): number {
  let best = 1;
  for (let i = 2; i < c.length; i++) if ((c[i] as number) > (c[best] as number)) best = i;
  return best - 1;
}

/** The features of every token of a sentence. */
export function sentenceFeatures(sentence: Sentence, page: PageInfo, lexicon: LexiconView, cache: WordCache = new Map()): SentenceFeatures {
  const views = sentence.tokens.map((t) => view(t.text, cache));
  const n = views.length;
  const at = (i: number): TokenView => (i < 0 ? PAD : i >= n ? PAD_END : (views[i] as TokenView));
  const lowers = views.map((v) => v.lower);
  const marks = phraseMarks(lowers, lexicon);
  const lex = views.map((v) => {
    const c = lexicon.word(v.lower);
    if (!c) return 'none';
    const annotated = c.slice(1).reduce((a, b) => a + b, 0);
    return `${argmaxLabel(c)}:${ratioBucket(annotated, c[0] as number)}`;
  });
  let count = 0;
  for (const v of views) count += v.own.length + 40;
  const hashes = new Uint32Array(count);
  let k = 0;
  const f = (hash: number) => { hashes[k++] = hash; };
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) {
    offsets[i] = k;
    const v = at(i);
    const p1 = at(i - 1);
    const p2 = at(i - 2);
    const n1 = at(i + 1);
    const n2 = at(i + 2);
    f(h('bias'));
    hashes.set(v.own, k);
    k += v.own.length;
    f(h('pos', String(Math.min(i, 3))));
    if (i === n - 1) f(h('last'));
    f(h('l-1', p1.lower));
    f(h('l-2', p2.lower));
    f(h('l+1', n1.lower));
    f(h('l+2', n2.lower));
    f(h('w-1', p1.text));
    f(h('w+1', n1.text));
    f(h('s-1', p1.short));
    f(h('s+1', n1.short));
    f(h('c-1|c', p1.cls, v.cls));
    f(h('c|c+1', v.cls, n1.cls));
    f(h('c-1|c|c+1', p1.cls, v.cls, n1.cls));
    f(h('l-1|l', p1.lower, v.lower));
    f(h('l|l+1', v.lower, n1.lower));
    f(h('l-2|l-1', p2.lower, p1.lower));
    f(h('l+1|l+2', n1.lower, n2.lower));
    // The page: a capitalised word also written in lowercase is likely a common word at a
    // sentence start or in a headline; an upper-case one also in title case, a name.
    if (v.cls === 'Ti' || v.cls === 'UP') {
      f(h('pl', (page.has(v.lower) ? '1' : '0') + v.cls + (i === 0 ? 'f' : '')));
      if (v.cls === 'UP') f(h('pt', page.has(titleCase(v.text)) ? '1' : '0'));
    }
    const lx = lex[i] as string;
    const gz = marks[i] as string;
    f(h('lx', lx));
    f(h('lx-1', i > 0 ? (lex[i - 1] as string) : '<s>'));
    f(h('lx+1', i < n - 1 ? (lex[i + 1] as string) : '</s>'));
    f(h('lx|c', lx, v.cls));
    f(h('gz', gz));
    f(h('gz|c', gz, v.cls));
    f(h('gz-1', i > 0 ? (marks[i - 1] as string) : '<s>'));
    f(h('gz+1', i < n - 1 ? (marks[i + 1] as string) : '</s>'));
  }
  offsets[n] = k;
  return { hashes: hashes.slice(0, k), offsets };
}

function titleCase(word: string): string {
  const chars = Array.from(word);
  return (chars[0] ?? '') + chars.slice(1).join('').toLowerCase();
}
