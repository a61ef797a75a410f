// spaCy 3 training data: a `.spacy` file, the DocBin that `spacy train` and `DocBin().from_disk()`
// read. Followed: spaCy 3.8, spacy/tokens/_serialize.py (DocBin.to_bytes) and
// spacy/tokens/span_group.pyx (SpanGroup.to_bytes), _dict_proxies.py (SpanGroups.to_bytes):
//   zlib(msgpack({"version": "0.1", "attrs": [ORTH, ENT_IOB, ENT_TYPE, ENT_KB_ID],
//     "tokens": uint64 little-endian rows (one per token, one column per attr),
//     "spaces": one byte (bool) per token, "lengths": int32 tokens per document,
//     "strings": sorted strings behind the ids, "cats": [{}…], "flags": [{"has_unknown_spaces": false}…],
//     "span_groups": [msgpack([msgpack({"name": "sc", "attrs": {}, "spans": [struct ">QQQllll"
//         (id, kb_id, label, start, end, start_char, end_char)…]})])…],
//     "user_data": [msgpack({"document", "sha256", "status"})…]}))
// Each document: spaCy's words and spaces (spacy-words.ts, so doc.text is the article exactly);
// doc.ents the non-overlapping entities (the longest of nested ones, as CoNLL keeps), with their
// kb ids (attrs.kb); doc.spans["sc"] every entity, nested ones included; doc.user_data the
// document's name, sha256 and status. An entity whose boundary is not a token boundary cannot be
// a Span: dropped and reported. Notes and attributes other than kb have no place: reported.
// Memory: the file is one msgpack map whose arrays span all documents, so the parts of each
// document (about 33 bytes a token) are kept until the end; the texts are not.
import { Entity } from '../../model/model';
import { tokenize } from '../../text/tokenize';
import { alignEntities, keepOutermost } from './align';
import { clip, DocumentOutput, ExportDocument, ExportIssue, issue, sortIssues } from './common';
import { msgpack, MsgpackWriter } from './msgpack';
import { spacyStringId } from './spacy-strings';
import { spacyWords } from './spacy-words';

/** spaCy's attribute ids (spacy/attrs.pxd, = spacy/symbols.pxd), ORTH first as DocBin keeps it. */
const ORTH = 65;
const ENT_IOB = 77;
const ENT_TYPE = 78;
const ENT_KB_ID = 452;
const ATTRS = [ORTH, ENT_IOB, ENT_TYPE, ENT_KB_ID] as const;
/** Token.iob_strings(): ("", "I", "O", "B"). */
const IOB_I = 1n;
const IOB_O = 2n;
const IOB_B = 3n;
/** The span group every entity goes to: spaCy's default spans_key (spancat's "sc"). */
export const SPACY_SPANS_KEY = 'sc';

/** One document's share of a DocBin. */
export interface SpacyDocPart {
  length: number;
  /** `length` rows of ATTRS.length uint64, little-endian. */
  tokens: Uint8Array;
  /** One byte (0 or 1) per token. */
  spaces: Uint8Array;
  strings: string[];
  spanGroups: Uint8Array;
  userData: Uint8Array;
}

export function exportSpacy(doc: ExportDocument, entities: readonly Entity[]): DocumentOutput & { spacy: SpacyDocPart } {
  const { text, offsets } = doc.article;
  const words = spacyWords(text, offsets, tokenize(text, offsets));
  const { aligned, misaligned } = alignEntities(doc, words, entities, { dropped: true, message: 'dropped (a spaCy Span is whole tokens)' });
  const { kept } = keepOutermost(doc, aligned);
  const strings = new Set<string>();
  const id = (s: string): bigint => {
    strings.add(s);
    return spacyStringId(s);
  };

  const tokens = new Uint8Array(words.length * ATTRS.length * 8);
  const view = new DataView(tokens.buffer);
  const cell = (row: number, col: number, v: bigint) => view.setBigUint64((row * ATTRS.length + col) * 8, v, true);
  const spaces = new Uint8Array(words.length);
  words.forEach((w, i) => {
    cell(i, 0, id(w.text));
    cell(i, 1, IOB_O);
    spaces[i] = w.ws ? 1 : 0;
  });
  for (const { entity, first, last } of kept) {
    const label = id(entity.label);
    const kb = entity.attrs?.kb !== undefined ? id(entity.attrs.kb) : 0n;
    for (let i = first; i <= last; i++) {
      cell(i, 1, i === first ? IOB_B : IOB_I);
      cell(i, 2, label);
      cell(i, 3, kb);
    }
  }

  const spans = aligned.map(({ entity, first, last }) => {
    const b = new Uint8Array(40);
    const v = new DataView(b.buffer);
    v.setBigUint64(0, 0n); // span id: none
    v.setBigUint64(8, entity.attrs?.kb !== undefined ? id(entity.attrs.kb) : 0n);
    v.setBigUint64(16, id(entity.label));
    v.setInt32(24, first);
    v.setInt32(28, last + 1);
    v.setInt32(32, entity.start);
    v.setInt32(36, entity.end);
    return b;
  });
  const group = msgpack({ name: SPACY_SPANS_KEY, attrs: {}, spans });
  const part: SpacyDocPart = {
    length: words.length,
    tokens,
    spaces,
    strings: [...strings],
    spanGroups: msgpack([group]),
    userData: msgpack({ document: doc.relPath, sha256: doc.article.sha256, status: doc.sidecar.status }),
  };
  const issues: ExportIssue[] = [...misaligned];
  for (const e of entities) {
    if (e.note !== undefined) issues.push(issue(doc, e, 'note', false, `its note is not written (a spaCy Doc has no place for notes): "${clip(e.note)}"`));
    const other = Object.entries(e.attrs ?? {}).filter(([k]) => k !== 'kb');
    if (other.length) issues.push(issue(doc, e, 'attrs', false, `its attributes are not written (only kb, as kb_id): ${other.map(([k, v]) => `${k}=${v}`).join(', ')}`));
  }
  return { text: '', exported: aligned.length, issues: sortIssues(issues, entities), spacy: part };
}

/** Python's `sorted()` of strings: by code point (JavaScript's `<` compares UTF-16 units). */
function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = (x[i] as string).codePointAt(0) as number - ((y[i] as string).codePointAt(0) as number);
    if (d) return d;
  }
  return x.length - y.length;
}

/** Collects documents' parts, then writes the DocBin's msgpack (the caller zlib-compresses it). */
export class DocBinBuilder {
  private readonly parts: Array<Omit<SpacyDocPart, 'strings'>> = [];
  private readonly strings = new Set<string>();

  add(part: SpacyDocPart): void {
    const { strings, ...rest } = part;
    for (const s of strings) this.strings.add(s);
    this.parts.push(rest);
  }

  get count(): number {
    return this.parts.length;
  }

  /** The uncompressed msgpack of the DocBin (spaCy's `to_bytes` before zlib). */
  toMsgpack(): Uint8Array {
    const w = new MsgpackWriter();
    w.mapHeader(10);
    w.string('version').write('0.1');
    w.string('attrs').write([...ATTRS]);
    w.string('tokens').binHeader(this.parts.reduce((n, p) => n + p.tokens.length, 0));
    for (const p of this.parts) w.raw(p.tokens);
    w.string('spaces').binHeader(this.parts.reduce((n, p) => n + p.spaces.length, 0));
    for (const p of this.parts) w.raw(p.spaces);
    const lengths = new Uint8Array(this.parts.length * 4);
    const lv = new DataView(lengths.buffer);
    this.parts.forEach((p, i) => lv.setInt32(i * 4, p.length, true));
    w.string('lengths').bin(lengths);
    w.string('strings').write([...this.strings].sort(byCodePoint));
    w.string('cats').write(this.parts.map(() => ({})));
    w.string('flags').write(this.parts.map(() => ({ has_unknown_spaces: false })));
    w.string('span_groups').write(this.parts.map((p) => p.spanGroups));
    w.string('user_data').write(this.parts.map((p) => p.userData));
    return w.bytes();
  }
}
