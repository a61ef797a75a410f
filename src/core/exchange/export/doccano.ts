// doccano sequence-labelling JSONL: one line per document, {"text", "label": [[start, end, "LABEL"]…]}
// plus `document`, `sha256` and `status`, which doccano keeps as the example's metadata.
// doccano counts offsets in UTF-16 code units (JavaScript string indices) in its default mode:
// they differ from the sidecars' code points after an emoji or 𝔸, so they are converted.
// doccano has no place for notes or attributes: reported. Overlapping (or nested) entities are
// written, but doccano's import drops them silently unless the project allows overlapping spans
// (off by default; doccano 1.8, projects' `allow_overlapping`): each is reported, not dropped.
import { Entity } from '../../model/model';
import { clip, DocumentOutput, ExportDocument, ExportIssue, issue, jsonLine, lostDetails, sortIssues } from './common';

export function exportDoccano(doc: ExportDocument, entities: readonly Entity[]): DocumentOutput {
  const o = doc.article.offsets;
  const record = {
    text: doc.article.text,
    label: entities.map((e) => [o.toUtf16(e.start), o.toUtf16(e.end), e.label]),
    document: doc.name,
    sha256: doc.article.sha256,
    status: doc.sidecar.status,
  };
  const issues: ExportIssue[] = [...lostDetails(doc, entities, 'doccano')];
  // entities come sorted by start: one overlaps an earlier one when it starts before the furthest end so far
  let furthest: Entity | undefined;
  for (const e of entities) {
    if (furthest && e.start < furthest.end) {
      issues.push(issue(doc, e, 'overlapping', false, `it overlaps ${furthest.id} ${furthest.label} "${clip(furthest.text, 40)}": doccano's import drops one of them unless the project allows overlapping spans`));
    }
    if (!furthest || e.end > furthest.end) furthest = e;
  }
  return { text: jsonLine(record) + '\n', exported: entities.length, issues: sortIssues(issues, entities) };
}
