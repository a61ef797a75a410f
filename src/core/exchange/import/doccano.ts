// doccano JSONL: {"text", "label": [[start, end, "LABEL"]…]} (sequence labelling), or
// {"text", "entities": [{start_offset, end_offset, label}]} (relation projects). Offsets are
// UTF-16 code units, converted to code points. `document` (or `meta.document`) names the article.
import { isStatus } from '../../model/model';
import { OffsetMap } from '../../model/offsets';
import { failed, ImportedSpan, ImportIssue, isObject, isOffset, Parsed, parseTextLine } from './common';
import { utf16ToCodePoint } from './utf16';

export function parseDoccanoLine(line: string, origin: string): Parsed {
  const issues: ImportIssue[] = [];
  const parsed = parseTextLine(line);
  if ('error' in parsed) return failed(origin, parsed.error);
  const { value, text } = parsed;
  const offsets = new OffsetMap(text);
  const triples: Array<[unknown, unknown, unknown]> = [];
  const raw = value.label ?? value.labels ?? value.entities ?? [];
  if (!Array.isArray(raw)) return failed(origin, '"label" must be a list of [start, end, "LABEL"]');
  for (const item of raw) {
    if (Array.isArray(item)) triples.push([item[0], item[1], item[2]]);
    else if (isObject(item)) triples.push([item.start_offset, item.end_offset, item.label]);
    else triples.push([undefined, undefined, undefined]);
  }
  const spans: ImportedSpan[] = [];
  triples.forEach(([s, e, label], i) => {
    if (!isOffset(s) || !isOffset(e) || typeof label !== 'string' || label === '') {
      issues.push({ origin, severity: 'error', message: `label ${i + 1} is not [start, end, "LABEL"]: ${JSON.stringify(raw[i]).slice(0, 80)}` });
      return;
    }
    const start = utf16ToCodePoint(offsets, s);
    const end = utf16ToCodePoint(offsets, e);
    if (start === undefined || end === undefined) {
      issues.push({ origin, severity: 'error', message: `label ${i + 1} [${s}, ${e}, "${label}"] is past the end of the text or splits a character (UTF-16 offsets)` });
      return;
    }
    spans.push({ start, end, label });
  });
  if (Array.isArray(value.relations) && value.relations.length) {
    issues.push({ origin, severity: 'warning', message: `${value.relations.length} relation(s) not imported (a sidecar holds entities only)` });
  }
  const meta = isObject(value.meta) ? value.meta : value;
  const document = typeof value.document === 'string' ? value.document : typeof meta.document === 'string' ? meta.document : undefined;
  const status = isStatus(value.status) ? value.status : isStatus(meta.status) ? meta.status : undefined;
  return { records: [{ origin, text, spans, ...(document !== undefined ? { document } : {}), ...(status ? { status } : {}) }], issues };
}
