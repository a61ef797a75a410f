// spaCy's words and spaces for a text and our tokens, so `Doc(vocab, words, spaces).text` is the
// article exactly. Followed: spaCy 3.8's `spacy.util.get_words_and_spaces`: a token followed by
// one U+0020 space gets `spaces[i] = True` (that space is consumed); any other run between two
// tokens (line breaks, a second space, a no-break space, leading or trailing whitespace) becomes
// a token of its own with `False`, as spaCy's tokenizer makes whitespace tokens.
import { OffsetMap } from '../../model/offsets';
import { Token } from '../../text/tokenize';

/** Our tokens plus the whitespace tokens between them; `ws` is spaCy's `spaces` value. */
export function spacyWords(text: string, offsets: OffsetMap, tokens: readonly Token[]): Token[] {
  const out: Token[] = [];
  let pos = 0; // UTF-16
  const gap = (to: number) => {
    if (to > pos) out.push({ text: text.slice(pos, to), start: offsets.toCodePoint(pos), end: offsets.toCodePoint(to), ws: false });
    pos = to;
  };
  for (const t of tokens) {
    gap(offsets.toUtf16(t.start));
    pos = offsets.toUtf16(t.end);
    const ws = text.charCodeAt(pos) === 0x20;
    out.push({ text: t.text, start: t.start, end: t.end, ws });
    if (ws) pos++;
  }
  gap(text.length);
  return out;
}
