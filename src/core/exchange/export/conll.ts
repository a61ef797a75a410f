// CoNLL-2003 style NER columns. Every line of a file has the same number of columns, as
// conlleval requires (it stops with "unexpected number of features" otherwise; checked against
// the conlleval.pl of the CoNLL-2000 shared task, version 2004-01-26, the one still used):
//   --columns 2 (default)  `token TAG`, the document start `-DOCSTART- O`
//   --columns 4            CoNLL-2003's `token POS chunk TAG` with `_` fillers, the document start
//                          `-DOCSTART- -X- O O` (the line spaCy 3.8's `conll_ner_to_docs` splits
//                          documents on, with --doc-names none)
// One space between the columns (tokens never contain whitespace), a blank line after each
// sentence. The document's name (so lines map back to articles), by --doc-names:
//   docstart (default)     in the document-start token, `-DOCSTART-(name)` (whitespace in the
//                          name becomes `_`): readers that look for a line starting with
//                          `-DOCSTART-` (Hugging Face's conll2003 loader, flair) still find it
//   comment                a `# document: name` line before it (CoNLL-U style; not for conlleval)
//   none                   no name
// Tags: IOB2 (B- on every entity's first token, I- inside, O outside) or BILOU (U- for a
// one-token entity, L- on the last). A flat tagging cannot hold nested or overlapping entities,
// notes or attributes: all reported.
import { Entity } from '../../model/model';
import { Token, tokenizeSentences } from '../../text/tokenize';
import { alignEntities, keepOutermost } from './align';
import { ConllColumns, DocNames, DocumentOutput, ExportDocument, ExportIssue, lostDetails, sortIssues, TagScheme } from './common';

/** The document start of a 4-column file without names (CoNLL-2003, spaCy's converter). */
export const CONLL_DOCSTART = '-DOCSTART- -X- O O';

/** The line(s) that start a document. */
export function conllDocStart(name: string, columns: ConllColumns = 2, names: DocNames = 'docstart'): string {
  const token = names === 'docstart' ? `-DOCSTART-(${name.replace(/\s/g, '_')})` : '-DOCSTART-';
  const line = columns === 4 ? `${token} -X- O O` : `${token} O`;
  return names === 'comment' ? `# document: ${name}\n${line}` : line;
}

/** A document's tokens and their tags, sentence breaks and what the flat tagging lost: shared by CoNLL and --format hf. */
export interface Tagging {
  tokens: Token[];
  tags: string[];
  /** Whether a sentence starts at each token (never inside an entity). */
  breakBefore: boolean[];
  exported: number;
  issues: ExportIssue[];
}

export function tagDocument(doc: ExportDocument, entities: readonly Entity[], scheme: TagScheme = 'iob2', format = 'CoNLL'): Tagging {
  const sentences = tokenizeSentences(doc.article.text, doc.article.offsets);
  const tokens = sentences.flat();
  const { aligned, misaligned } = alignEntities(doc, tokens, entities, { dropped: true, message: `dropped (${format} tags whole tokens)` });
  const { kept, dropped } = keepOutermost(doc, aligned);

  const tags: string[] = new Array<string>(tokens.length).fill('O');
  for (const { entity, first, last } of kept) {
    for (let i = first; i <= last; i++) {
      const pos = scheme === 'bilou'
        ? (first === last ? 'U' : i === first ? 'B' : i === last ? 'L' : 'I')
        : (i === first ? 'B' : 'I');
      tags[i] = `${pos}-${entity.label}`;
    }
  }
  // A sentence break never cuts an entity: the two sentences are written as one.
  const breakBefore = new Array<boolean>(tokens.length).fill(false);
  let n = 0;
  for (const s of sentences) {
    if (n > 0) breakBefore[n] = true;
    n += s.length;
  }
  for (const { first, last } of kept) for (let i = first + 1; i <= last; i++) breakBefore[i] = false;
  const keptEntities = kept.map((k) => k.entity);
  const issues = [...misaligned, ...dropped, ...lostDetails(doc, keptEntities, format)];
  return { tokens, tags, breakBefore, exported: kept.length, issues: sortIssues(issues, entities) };
}

export function exportConll(doc: ExportDocument, entities: readonly Entity[], scheme: TagScheme = 'iob2', columns: ConllColumns = 2, names: DocNames = 'docstart'): DocumentOutput {
  const { tokens, tags, breakBefore, exported, issues } = tagDocument(doc, entities, scheme);
  const fill = columns === 4 ? ' _ _ ' : ' ';
  let text = `${conllDocStart(doc.relPath, columns, names)}\n\n`;
  tokens.forEach((t, i) => {
    if (breakBefore[i]) text += '\n';
    text += `${t.text}${fill}${tags[i]}\n`;
  });
  if (tokens.length) text += '\n';
  return { text, exported, issues };
}

/** Entity spans (token indices, last inclusive) read back from a tag sequence, IOB2 or BILOU. */
export function spansFromTags(tags: readonly string[]): Array<{ first: number; last: number; label: string }> {
  const out: Array<{ first: number; last: number; label: string }> = [];
  let open: { first: number; label: string } | undefined;
  const close = (last: number) => {
    if (open) out.push({ first: open.first, last, label: open.label });
    open = undefined;
  };
  tags.forEach((tag, i) => {
    const m = /^([BIOLU])(?:-(.+))?$/.exec(tag);
    const pos = m?.[1] ?? 'O';
    const label = m?.[2] ?? '';
    if (pos === 'O') { close(i - 1); return; }
    if (pos === 'B' || pos === 'U' || !open || open.label !== label) {
      close(i - 1);
      open = { first: i, label };
    }
    if (pos === 'L' || pos === 'U') close(i);
  });
  close(tags.length - 1);
  return out;
}
