// spaCy / Prodigy JSONL: {"text", "spans": [{start, end, label, kb_id?, canonical?, note?, attrs?}], "meta": {document?, status?}}.
// kb_id → attrs.kb, canonical → attrs.canonical (what our export writes).
// Offsets are code points. Prodigy's rejected or ignored answers are not imported (reported).
import { isStatus } from '../../model/model';
import { failed, ImportedSpan, ImportIssue, isObject, isOffset, Parsed, parseTextLine, stringRecord } from './common';

export function parseJsonlLine(line: string, origin: string): Parsed {
  const issues: ImportIssue[] = [];
  const parsed = parseTextLine(line);
  if ('error' in parsed) return failed(origin, parsed.error);
  const { value, text } = parsed;
  if (value.answer !== undefined && value.answer !== 'accept') {
    return failed(origin, `not imported: Prodigy's answer is "${String(value.answer)}" (only accepted examples are annotations)`);
  }
  const raw = value.spans ?? value.entities ?? [];
  if (!Array.isArray(raw)) return failed(origin, '"spans" must be a list');
  const spans: ImportedSpan[] = [];
  raw.forEach((s, i) => {
    if (!isObject(s) || !isOffset(s.start) || !isOffset(s.end) || typeof s.label !== 'string' || s.label === '') {
      issues.push({ origin, severity: 'error', message: `span ${i + 1} is not {"start": n, "end": n, "label": "…"}: ${JSON.stringify(s).slice(0, 80)}` });
      return;
    }
    const span: ImportedSpan = { start: s.start, end: s.end, label: s.label };
    if (typeof s.text === 'string') span.text = s.text;
    if (typeof s.note === 'string') span.note = s.note;
    const attrs = { ...stringRecord(s.attrs) };
    if (typeof s.kb_id === 'string' && s.kb_id !== '') attrs.kb = s.kb_id;
    if (typeof s.canonical === 'string' && s.canonical !== '') attrs.canonical = s.canonical;
    if (Object.keys(attrs).length) span.attrs = attrs;
    spans.push(span);
  });
  const meta = isObject(value.meta) ? value.meta : {};
  const document = typeof meta.document === 'string' ? meta.document : undefined;
  return {
    records: [{ origin, text, spans, ...(document !== undefined ? { document } : {}), ...(isStatus(meta.status) ? { status: meta.status } : {}) }],
    issues,
  };
}
