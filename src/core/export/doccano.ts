// doccano sequence-labelling JSONL: one line per document, {"text", "label": [[start, end, "LABEL"]…]}
// plus `document`, `sha256` and `status`, which doccano keeps as the example's metadata.
// doccano counts offsets in UTF-16 code units (JavaScript string indices) in its default mode:
// they differ from the sidecars' code points after an emoji or 𝔸, so they are converted.
// doccano has no place for notes or attributes: reported.
import { Entity } from '../model';
import { DocumentOutput, ExportDocument, jsonLine, lostDetails } from './common';

export function exportDoccano(doc: ExportDocument, entities: readonly Entity[]): DocumentOutput {
  const o = doc.article.offsets;
  const record = {
    text: doc.article.text,
    label: entities.map((e) => [o.toUtf16(e.start), o.toUtf16(e.end), e.label]),
    document: doc.name,
    sha256: doc.article.sha256,
    status: doc.sidecar.status,
  };
  return { text: jsonLine(record) + '\n', exported: entities.length, issues: lostDetails(doc, entities, 'doccano') };
}
