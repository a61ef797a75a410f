// Label Studio tasks (the JSON it imports and exports): one task per document,
//   {"data": {"text", "document"}, "meta": {sha256, status},
//    "annotations": [{"result": [{id, from_name: "label", to_name: "text", type: "labels",
//                                value: {start, end, text, labels: [L]}}]}]}
// for a labelling configuration like LABEL_STUDIO_CONFIG below. Offsets are UTF-16 code units
// (what its JavaScript front end counts), converted from the sidecars' code points. A result's
// id is the entity's id. Notes and attributes have no place here: reported.
import { Entity } from '../model';
import { DocumentOutput, ExportDocument, lostDetails } from './common';

const LS_FROM_NAME = 'label';
const LS_TO_NAME = 'text';

/** The labelling configuration the exported tasks fit, for the given labels. */
export function labelStudioConfig(labels: readonly string[]): string {
  const items = labels.map((l) => `    <Label value="${l.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"/>`).join('\n');
  return `<View>\n  <Labels name="${LS_FROM_NAME}" toName="${LS_TO_NAME}">\n${items}\n  </Labels>\n  <Text name="${LS_TO_NAME}" value="$text"/>\n</View>\n`;
}

/** One task as JSON (no separator: the caller writes the surrounding array). */
export function exportLabelStudio(doc: ExportDocument, entities: readonly Entity[]): DocumentOutput {
  const o = doc.article.offsets;
  const task = {
    data: { text: doc.article.text, document: doc.name },
    meta: { sha256: doc.article.sha256, status: doc.sidecar.status },
    annotations: [{
      result: entities.map((e) => {
        const start = o.toUtf16(e.start);
        const end = o.toUtf16(e.end);
        return {
          id: e.id,
          from_name: LS_FROM_NAME,
          to_name: LS_TO_NAME,
          type: 'labels',
          value: { start, end, text: doc.article.text.slice(start, end), labels: [e.label] },
        };
      }),
    }],
  };
  return { text: JSON.stringify(task), exported: entities.length, issues: lostDetails(doc, entities, 'Label Studio') };
}

/** Writes tasks as one JSON array, a task per line, without holding them all. */
export class JsonArrayWriter {
  private count = 0;
  /** The text to write before the next element. */
  next(element: string): string {
    return (this.count++ === 0 ? '[\n' : ',\n') + element;
  }
  /** The text that closes the array. */
  end(): string {
    return this.count === 0 ? '[]\n' : '\n]\n';
  }
}
