// CoNLL NER columns into documents: text rebuilt from the tokens, entities in code points.
//
// Input: one token a line, 2 to 4 columns separated by spaces or tabs, the first the token and the
// last its tag (`token TAG`, `token POS chunk TAG`…); a blank line ends a sentence; a line whose
// token is `-DOCSTART-` starts a document, named by `-DOCSTART-(name)` (our export) or by a
// `# document: name` line before it; other lines starting with `# ` that carry no tag are comments.
//
// Tags, by scheme:
//   iob1   I-X inside an entity of label X, B-X only to start one right after another X entity;
//          an I-X after O or after another label starts an entity (that is IOB1)
//   iob2   B-X starts an entity, I-X continues one; an I-X after O or after another label is an
//          error (with `lenient`: it starts an entity)
//   bilou  B-X, I-X, L-X (last), U-X (one token), O; BIOES's E-X and S-X are L and U. An I or L
//          without an open entity of its label, or an entity not closed by its L (at a B, U, O,
//          another label, or the end of the sentence), is an error (with `lenient`: an I/L starts
//          one, an unclosed one ends at its last token)
//
// Detokenisation (the text is rebuilt, so offsets are those of the rebuilt text): one sentence
// a line; tokens joined by one space, except none before `,` `.` `;` `:` `!` `?` `)` `]` `}`
// `»` `”` `%` `…` (and any run of them, e.g. `...`, `?!`) and a lone apostrophe, and none after `(`
// `[` `{` `«` `“` or an elided word (`l'`, `qu’`, `jusqu'`…: letters then ' or ’); a lone hyphen
// `-` joins its neighbours (`Saint - Hilaire` → `Saint-Hilaire`: our tokeniser splits hyphens). The Europeana
// pages of ../shared/data were made the same way (one line per page there). The rebuilt text
// tokenises back into the same tokens in the usual cases (our tokeniser splits at these marks), so
// re-exporting gives the same CoNLL.
import { Status } from '../../model/model';
import { ImportedSpan, ImportIssue, ImportRecord, Parsed } from './common';

export type ConllScheme = 'iob1' | 'iob2' | 'bilou';
export const CONLL_SCHEMES: readonly ConllScheme[] = ['iob1', 'iob2', 'bilou'];

export interface ConllOptions {
  scheme: ConllScheme;
  /** Repair malformed sequences (see above) instead of reporting them as errors. */
  lenient?: boolean;
  /** Names for documents without one: `<stem>-001.txt`… (default `document`). */
  stem?: string;
  /** The status of the documents' new sidecars. */
  status?: Status;
}

const NO_SPACE_BEFORE = /^(?:[,.;:!?)\]}»”%…]+|['’-])$/u;
const NO_SPACE_AFTER = /^(?:[([{«“-]|\p{L}+['’])$/u;

/** Text of sentences of tokens, with each token's code point offsets (see the rules above). */
export function detokenize(sentences: readonly (readonly string[])[]): { text: string; offsets: Array<Array<[number, number]>> } {
  let text = '';
  let cp = 0;
  const offsets = sentences.map((tokens, si) => {
    if (si > 0) { text += '\n'; cp++; }
    let prev: string | undefined;
    return tokens.map((t) => {
      if (prev !== undefined && !NO_SPACE_BEFORE.test(t) && !NO_SPACE_AFTER.test(prev)) { text += ' '; cp++; }
      const start = cp;
      text += t;
      cp += [...t].length;
      prev = t;
      return [start, cp] as [number, number];
    });
  });
  if (text !== '') text += '\n';
  return { text, offsets };
}

interface Tok {
  token: string;
  /** Position B I L U or O, and label. */
  pos: 'B' | 'I' | 'L' | 'U' | 'O';
  label: string;
  line: number;
}

interface Doc {
  name?: string;
  line: number;
  sentences: Tok[][];
}

const TAG = /^(?:O|([BIESLU])-(\S+))$/;

/** A CoNLL file's documents (one record each, origin `<origin>:<line>`) and its problems by line. */
export function parseConll(source: string, origin: string, opts: ConllOptions): Parsed {
  const issues: ImportIssue[] = [];
  const error = (line: number, message: string) => issues.push({ origin: `${origin}:${line}`, severity: 'error', message });
  const docs: Doc[] = [];
  let doc: Doc | undefined;
  let sentence: Tok[] = [];
  let pendingName: string | undefined;
  let columns: number | undefined;
  const endSentence = () => {
    if (sentence.length) (doc ??= newDoc(sentence[0]?.line ?? 1)).sentences.push(sentence);
    sentence = [];
  };
  const newDoc = (line: number, name?: string): Doc => {
    const d: Doc = { line, sentences: [], ...(name !== undefined ? { name } : {}) };
    docs.push(d);
    return d;
  };
  const lines = source.replace(/^\uFEFF/, '').split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') { endSentence(); return; }
    const cols = line.trim().split(/[ \t]+/);
    const token = cols[0] as string;
    const tag = cols[cols.length - 1] as string;
    if (token.startsWith('-DOCSTART-')) {
      endSentence();
      const named = /^-DOCSTART-\((.+)\)$/.exec(token)?.[1];
      doc = newDoc(n, named ?? pendingName);
      pendingName = undefined;
      return;
    }
    if (/^#\s/.test(line) && (cols.length < 2 || !TAG.test(tag))) {
      const m = /^#\s+document:\s*(.+?)\s*$/.exec(line);
      if (m) pendingName = m[1];
      return;
    }
    if (cols.length < 2 || cols.length > 4) {
      error(n, `${cols.length} column${cols.length === 1 ? '' : 's'}: a line is a token, up to two more columns, and its tag ("token TAG")`);
      return;
    }
    columns ??= cols.length;
    if (cols.length !== columns) error(n, `${cols.length} columns where the file's first token line has ${columns}`);
    const m = TAG.exec(tag);
    if (!m) {
      error(n, `"${tag}" is not a tag (O, or B-, I-${opts.scheme === 'bilou' ? ', L-, U-, E-, S-' : ''} and a label)`);
      return;
    }
    let pos = (m[1] ?? 'O') as Tok['pos'] | 'E' | 'S';
    if (pos === 'E') pos = 'L';
    if (pos === 'S') pos = 'U';
    if (opts.scheme !== 'bilou' && (pos === 'L' || pos === 'U')) {
      error(n, `"${tag}" is not an ${opts.scheme.toUpperCase()} tag (only B-, I- and O; for BILOU/BIOES use --scheme bilou)`);
      return;
    }
    sentence.push({ token, pos, label: m[2] ?? '', line: n });
  });
  endSentence();

  const records: ImportRecord[] = [];
  const stem = opts.stem ?? 'document';
  let unnamed = 0;
  for (const d of docs) {
    if (d.sentences.length === 0 && d.name === undefined) continue;
    const { text, offsets } = detokenize(d.sentences.map((s) => s.map((t) => t.token)));
    const spans: ImportedSpan[] = [];
    d.sentences.forEach((s, si) => {
      for (const e of decodeSentence(s, opts, error)) {
        const first = offsets[si]?.[e.first];
        const last = offsets[si]?.[e.last];
        if (first && last) spans.push({ start: first[0], end: last[1], label: e.label });
      }
    });
    let name = d.name;
    if (name !== undefined && !safeName(name)) {
      issues.push({ origin: `${origin}:${d.line}`, severity: 'warning', message: `the document name "${name}" is not a relative path inside the corpus; named by its number instead` });
      name = undefined;
    }
    if (name === undefined) name = `${stem}-${String(++unnamed).padStart(3, '0')}.txt`;
    else if (!name.endsWith('.txt')) name += '.txt';
    records.push({ origin: `${origin}:${d.line}`, text, document: name, spans, ...(opts.status ? { status: opts.status } : {}) });
  }
  return { records, issues };
}

/** A relative path with no `..`, `.` or empty segment, no drive or backslash. */
function safeName(name: string): boolean {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\') || name.includes('\0')) return false;
  return name.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

/** Entities of one sentence as token indices (last inclusive); malformed sequences reported by line. */
function decodeSentence(tokens: readonly Tok[], opts: ConllOptions, error: (line: number, message: string) => void): Array<{ first: number; last: number; label: string }> {
  const out: Array<{ first: number; last: number; label: string }> = [];
  let open: { first: number; label: string; line: number; pos: Tok['pos'] } | undefined;
  const close = (last: number) => {
    if (open) out.push({ first: open.first, last, label: open.label });
    open = undefined;
  };
  const lenient = opts.lenient === true;
  const hint = lenient ? '' : ' (--lenient accepts it)';
  tokens.forEach((t, i) => {
    const prevTag = i === 0 ? 'the sentence start' : tagOf(tokens[i - 1] as Tok);
    if (opts.scheme === 'bilou') {
      if (open && !(t.pos === 'I' || t.pos === 'L') || (open && open.label !== t.label)) {
        if (!lenient) error(t.line, `the ${open.label} entity started at line ${open.line} is not closed by L-${open.label} (E-${open.label}) before ${tagOf(t)}${hint}`);
        close(i - 1);
      }
      if (t.pos === 'O') return;
      if (t.pos === 'U') { open = { first: i, label: t.label, line: t.line, pos: 'U' }; close(i); return; }
      if (t.pos === 'B') { open = { first: i, label: t.label, line: t.line, pos: 'B' }; return; }
      if (!open) {
        if (!lenient) error(t.line, `${tagOf(t)} after ${prevTag}: an entity starts with B-${t.label} (or U-${t.label})${hint}`);
        open = { first: i, label: t.label, line: t.line, pos: t.pos };
      }
      if (t.pos === 'L') close(i);
      return;
    }
    if (t.pos === 'O') { close(i - 1); return; }
    const continues = open !== undefined && open.label === t.label;
    if (t.pos === 'B') {
      close(i - 1);
      open = { first: i, label: t.label, line: t.line, pos: 'B' };
      return;
    }
    if (continues) return;
    if (opts.scheme === 'iob2' && !lenient) error(t.line, `${tagOf(t)} after ${prevTag}: in IOB2 an entity starts with B-${t.label} (IOB1 files: --scheme iob1)${hint}`);
    close(i - 1);
    open = { first: i, label: t.label, line: t.line, pos: 'I' };
  });
  if (open !== undefined) {
    const o: { first: number; label: string; line: number; pos: Tok['pos'] } = open;
    if (opts.scheme === 'bilou' && !lenient) error(o.line, `the ${o.label} entity started here is not closed by L-${o.label} (E-${o.label}) before the sentence ends${hint}`);
    close(tokens.length - 1);
  }
  return out;
}

function tagOf(t: Tok): string {
  return t.pos === 'O' ? 'O' : `${t.pos}-${t.label}`;
}
