// CoNLL-2003 style NER columns: `-DOCSTART- -X- O O`, then one `token TAG` line per token (one
// space between the columns: tokens never contain whitespace), a blank line after each sentence.
// Tags: IOB2 (B- on every entity's first token, I- inside, O outside) or BILOU (U- for a
// one-token entity, L- on the last). A flat tagging cannot hold nested or overlapping entities,
// notes or attributes: all reported.
import { Entity } from '../model';
import { tokenizeSentences } from '../tokenize';
import { alignEntities, keepOutermost } from './align';
import { DocumentOutput, ExportDocument, lostDetails, sortIssues, TagScheme } from './common';

export const CONLL_DOCSTART = '-DOCSTART- -X- O O';

export function exportConll(doc: ExportDocument, entities: readonly Entity[], scheme: TagScheme = 'iob2'): DocumentOutput {
  const sentences = tokenizeSentences(doc.article.text, doc.article.offsets);
  const tokens = sentences.flat();
  const { aligned, misaligned } = alignEntities(doc, tokens, entities, { dropped: true, message: 'dropped (CoNLL tags whole tokens)' });
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

  let text = `${CONLL_DOCSTART}\n\n`;
  tokens.forEach((t, i) => {
    if (breakBefore[i]) text += '\n';
    text += `${t.text} ${tags[i]}\n`;
  });
  if (tokens.length) text += '\n';
  const keptEntities = kept.map((k) => k.entity);
  const issues = [...misaligned, ...dropped, ...lostDetails(doc, keptEntities, 'CoNLL')];
  return { text, exported: kept.length, issues: sortIssues(issues, entities) };
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
