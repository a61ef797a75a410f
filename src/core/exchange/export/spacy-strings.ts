// spaCy's string ids: what `nlp.vocab.strings.add(s)` returns, so a DocBin written here resolves
// its tokens and labels when spaCy loads it. Followed: spaCy 3.8 (spacy/strings.pyx `hash_string`:
// MurmurHash64A of the UTF-8 bytes, seed 1; `get_string_id`: "" is 0 and the names of
// spacy/symbols.pyx are their fixed symbol ids). The symbol table below is spaCy 3.8's
// (symbols.pxd: attribute names, POS tags, entity types, dependency labels; the former morphology
// features are DEPRECATED001…DEPRECATED276). Checked against spaCy's documented
// `nlp.vocab.strings["coffee"] == 3197928453018144401` (test/unit/export-consumers.test.ts).

const M = 0xc6a4a7935bd1e995n;
const MASK = 0xffffffffffffffffn;
const utf8 = new TextEncoder();

/** MurmurHash64A (Austin Appleby's, public domain) of bytes, as an unsigned 64-bit integer. */
export function murmurHash64A(bytes: Uint8Array, seed: bigint): bigint {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const len = bytes.length;
  let h = (seed ^ ((BigInt(len) * M) & MASK)) & MASK;
  const blocks = len - (len % 8);
  for (let i = 0; i < blocks; i += 8) {
    let k = view.getBigUint64(i, true);
    k = (k * M) & MASK;
    k ^= k >> 47n;
    k = (k * M) & MASK;
    h ^= k;
    h = (h * M) & MASK;
  }
  const rest = len - blocks;
  if (rest) {
    for (let i = rest - 1; i >= 0; i--) h ^= BigInt(bytes[blocks + i] as number) << BigInt(8 * i);
    h = (h * M) & MASK;
  }
  h ^= h >> 47n;
  h = (h * M) & MASK;
  h ^= h >> 47n;
  return h;
}

/** Runs of consecutive symbol ids: [first id, names…]. */
const SYMBOL_RUNS: ReadonlyArray<readonly [number, readonly string[]]> = [
  [1, ['IS_ALPHA', 'IS_ASCII', 'IS_DIGIT', 'IS_LOWER', 'IS_PUNCT', 'IS_SPACE', 'IS_TITLE', 'IS_UPPER', 'LIKE_URL', 'LIKE_NUM',
    'LIKE_EMAIL', 'IS_STOP', 'IS_OOV_DEPRECATED', 'IS_BRACKET', 'IS_QUOTE', 'IS_LEFT_PUNCT', 'IS_RIGHT_PUNCT', 'IS_CURRENCY']],
  [64, ['ID', 'ORTH', 'LOWER', 'NORM', 'SHAPE', 'PREFIX', 'SUFFIX', 'LENGTH', 'CLUSTER', 'LEMMA', 'POS', 'TAG', 'DEP', 'ENT_IOB',
    'ENT_TYPE', 'HEAD', 'SENT_START', 'SPACY', 'PROB', 'LANG']],
  [84, ['ADJ', 'ADP', 'ADV', 'AUX', 'CONJ', 'CCONJ', 'DET', 'INTJ', 'NOUN', 'NUM', 'PART', 'PRON', 'PROPN', 'PUNCT', 'SCONJ', 'SYM',
    'VERB', 'X', 'EOL', 'SPACE']],
  [380, ['PERSON', 'NORP', 'FACILITY', 'ORG', 'GPE', 'LOC', 'PRODUCT', 'EVENT', 'WORK_OF_ART', 'LANGUAGE', 'LAW', 'DATE', 'TIME',
    'PERCENT', 'MONEY', 'QUANTITY', 'ORDINAL', 'CARDINAL']],
  [398, ['acomp', 'advcl', 'advmod', 'agent', 'amod', 'appos', 'attr', 'aux', 'auxpass', 'cc', 'ccomp', 'complm', 'conj', 'cop',
    'csubj', 'csubjpass', 'dep', 'det', 'dobj', 'expl', 'hmod', 'hyph', 'infmod', 'intj', 'iobj', 'mark', 'meta', 'neg', 'nmod',
    'nn', 'npadvmod', 'nsubj', 'nsubjpass', 'num', 'number', 'oprd', 'obj', 'obl', 'parataxis', 'partmod', 'pcomp', 'pobj', 'poss',
    'possessive', 'preconj', 'prep', 'prt', 'punct', 'quantmod', 'relcl', 'rcmod', 'root', 'xcomp', 'acl', 'ENT_KB_ID', 'MORPH',
    'ENT_ID', 'IDX', '_']],
];

const SYMBOLS = new Map<string, bigint>();
for (const [first, names] of SYMBOL_RUNS) names.forEach((n, i) => SYMBOLS.set(n, BigInt(first + i)));
for (let i = 19; i <= 63; i++) SYMBOLS.set(`FLAG${i}`, BigInt(i));
for (let i = 1; i <= 276; i++) SYMBOLS.set(`DEPRECATED${String(i).padStart(3, '0')}`, BigInt(103 + i));

/** The id spaCy's StringStore gives a string. */
export function spacyStringId(s: string): bigint {
  if (s === '') return 0n;
  return SYMBOLS.get(s) ?? murmurHash64A(utf8.encode(s), 1n);
}
