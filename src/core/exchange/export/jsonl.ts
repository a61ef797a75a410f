// spaCy / Prodigy JSONL: one line per document,
//   {"text", "tokens"?: [{text,start,end,id,ws}], "spans": [{start,end,label,…}], "meta": {document,sha256,status}}
// The tokens are spaCy's words and spaces (spacy-words.ts): whitespace other than one space after
// a token is a token of its own, so `Doc(vocab, words=[t.text…], spaces=[t.ws…]).text` is the text.
// Offsets are code points (Python string indices), end-exclusive; `token_end` is inclusive.
// `attrs.kb` becomes the span's `kb_id` (spaCy's entity-linking field), `attrs.canonical` its
// `canonical`; a note and the other attributes ride along as the span's `note` and `attrs` (spaCy
// and Prodigy ignore them; `import --format jsonl` reads them all back). Overlapping spans are kept: spaCy's `doc.spans` holds them (`doc.ents` does not).
import { Entity } from '../../model/model';
import { tokenize } from '../../text/tokenize';
import { alignEntities, Aligned } from './align';
import { spacyWords } from './spacy-words';
import { DocumentOutput, ExportDocument, jsonLine, sortIssues } from './common';

interface JsonlSpan {
  start: number;
  end: number;
  token_start?: number;
  token_end?: number;
  label: string;
  kb_id?: string;
  canonical?: string;
  note?: string;
  attrs?: Record<string, string>;
}

export function exportJsonl(doc: ExportDocument, entities: readonly Entity[], opts: { tokens?: boolean } = {}): DocumentOutput {
  const record: Record<string, unknown> = { text: doc.article.text };
  let byId = new Map<string, Aligned>();
  let issues: DocumentOutput['issues'] = [];
  if (opts.tokens) {
    const tokens = spacyWords(doc.article.text, doc.article.offsets, tokenize(doc.article.text, doc.article.offsets));
    record.tokens = tokens.map((t, id) => ({ text: t.text, start: t.start, end: t.end, id, ws: t.ws }));
    const { aligned, misaligned } = alignEntities(doc, tokens, entities, {
      dropped: false,
      message: 'the span is written without token_start/token_end (spaCy’s char_span would return None)',
    });
    byId = new Map(aligned.map((a) => [a.entity.id, a]));
    issues = sortIssues(misaligned, entities);
  }
  record.spans = entities.map((e) => {
    const a = byId.get(e.id);
    const span: JsonlSpan = { start: e.start, end: e.end, ...(a ? { token_start: a.first, token_end: a.last } : {}), label: e.label };
    if (e.attrs?.kb !== undefined) span.kb_id = e.attrs.kb;
    if (e.attrs?.canonical !== undefined) span.canonical = e.attrs.canonical;
    if (e.note !== undefined) span.note = e.note;
    const attrs = otherAttrs(e, ['kb', 'canonical']);
    if (attrs) span.attrs = attrs;
    return span;
  });
  record.meta = meta(doc);
  return { text: jsonLine(record) + '\n', exported: entities.length, issues };
}

/** The attributes other than `held` (those the format has a field of its own for). */
function otherAttrs(e: Entity, held: readonly string[]): Record<string, string> | undefined {
  if (!e.attrs) return undefined;
  const rest = Object.entries(e.attrs).filter(([k]) => !held.includes(k));
  return rest.length ? Object.fromEntries(rest) : undefined;
}

function meta(doc: ExportDocument): Record<string, string> {
  return { document: doc.name, sha256: doc.article.sha256, status: doc.sidecar.status };
}
