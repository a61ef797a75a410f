// Label Studio JSON: an array of tasks {data: {text, document?}, annotations: [{result: [...]}]}.
// Every annotation not cancelled is read; each `labels` result (one entity per label) becomes a
// span. Offsets are code points, as Label Studio's front end counts them (see
// src/core/exchange/export/labelstudio.ts); a result's own `text`, when given, must be the text at those
// offsets: otherwise the result is an error, never imported somewhere else. Other result types
// (choices, text areas, relations) and predictions are reported, not imported.
import { isStatus } from '../../model/model';
import { OffsetMap } from '../../model/offsets';
import { clip } from '../export/common';
import { failed, ImportedSpan, ImportIssue, ImportRecord, isObject, isOffset, Parsed, parseJson } from './common';

export function parseLabelStudio(json: string, origin: string): Parsed {
  const parsed = parseJson(json);
  if ('error' in parsed) return failed(origin, parsed.error);
  const tasks = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  const records: ImportRecord[] = [];
  const issues: ImportIssue[] = [];
  tasks.forEach((task, n) => {
    const at = `${origin}: task ${n + 1}${isObject(task) && task.id !== undefined ? ` (id ${String(task.id)})` : ''}`;
    const r = parseTask(task, at);
    if (r.record) records.push(r.record);
    issues.push(...r.issues);
  });
  return { records, issues };
}

function parseTask(task: unknown, origin: string): { record?: ImportRecord; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const error = (message: string) => issues.push({ origin, severity: 'error', message });
  if (!isObject(task) || !isObject(task.data)) {
    error('a task must be an object with "data"');
    return { issues };
  }
  const data = task.data;
  const text = typeof data.text === 'string' ? data.text : Object.values(data).find((v): v is string => typeof v === 'string');
  if (text === undefined) {
    error('the task\'s data has no text');
    return { issues };
  }
  const offsets = new OffsetMap(text);
  const spans: ImportedSpan[] = [];
  const annotations = Array.isArray(task.annotations) ? task.annotations : Array.isArray(task.completions) ? task.completions : [];
  let skippedTypes = 0;
  for (const ann of annotations) {
    if (!isObject(ann) || ann.was_cancelled === true || !Array.isArray(ann.result)) continue;
    // Label Studio's own exports name the annotator by a number; only an e-mail address says who.
    const by = isObject(ann.completed_by) && typeof ann.completed_by.email === 'string' ? ann.completed_by.email : undefined;
    for (const res of ann.result) {
      if (!isObject(res) || res.type !== 'labels' || !isObject(res.value)) {
        skippedTypes++;
        continue;
      }
      const v = res.value;
      const labels = Array.isArray(v.labels) ? v.labels.filter((l): l is string => typeof l === 'string' && l !== '') : [];
      if (!isOffset(v.start) || !isOffset(v.end) || labels.length === 0) {
        error(`result ${String(res.id ?? '?')} is not {start, end, labels: [...]}`);
        continue;
      }
      const start = v.start;
      const end = v.end;
      if (end > offsets.codePointLength || start >= end) {
        error(`result ${String(res.id ?? '?')} (${start}-${end}) is outside the text (${offsets.codePointLength} characters) or empty`);
        continue;
      }
      const given = typeof v.text === 'string' ? v.text : undefined;
      const actual = offsets.slice(start, end);
      if (given !== undefined && given !== actual) {
        error(`result ${String(res.id ?? '?')} (${start}-${end}): its text "${clip(given)}" is not the task's text at these offsets ("${clip(actual)}", counted in code points as Label Studio does); not imported`);
        continue;
      }
      for (const label of labels) {
        const span: ImportedSpan = { start, end, label };
        if (given !== undefined) span.text = given;
        if (by !== undefined) span.by = by;
        spans.push(span);
      }
    }
  }
  if (skippedTypes) issues.push({ origin, severity: 'warning', message: `${skippedTypes} result(s) other than "labels" (choices, text areas, relations…) not imported` });
  if (Array.isArray(task.predictions) && task.predictions.length) {
    issues.push({ origin, severity: 'warning', message: `${task.predictions.length} prediction(s) not imported (only annotations are)` });
  }
  const meta = isObject(task.meta) ? task.meta : {};
  const document = typeof data.document === 'string' ? data.document : typeof meta.document === 'string' ? meta.document : undefined;
  const record: ImportRecord = { origin, text, spans };
  if (document !== undefined) record.document = document;
  if (isStatus(meta.status)) record.status = meta.status;
  return { record, issues };
}
