// Label Studio tasks (the JSON it imports and exports): one task per document,
//   {"data": {"text", "document"}, "meta": {sha256, status},
//    "annotations": [{"result": [{id, from_name: "label", to_name: "text", type: "labels",
//                                value: {start, end, text, labels: [L]}}]}],
//    "predictions": [{"model_version", "score"?, "result": [...]}]}
// for a labelling configuration like `labelStudioConfig` below. Offsets are code points, end-exclusive:
// Label Studio's front end counts Text offsets in code points since "text with emoji breaks region
// offsets" was fixed (label-studio-frontend PR #308, closing label-studio #1008 / #1347; checked
// against the current monorepo's e2e test "NER - Emoji - Text: Should calculate offsets by code
// points in text", web/libs/editor, Label Studio 1.x as of 2025), and its SDK converters slice Python
// strings. Suggestions (`suggested: true`) become predictions, one per `src` (its model_version),
// which Label Studio shows as pre-annotations. A result's id is the entity's id. Notes and
// attributes have no place here: reported.
import { Entity } from '../../model/model';
import { DocumentOutput, ExportDocument, lostDetails } from './common';

const LS_FROM_NAME = 'label';
const LS_TO_NAME = 'text';

/** The labelling configuration the exported tasks fit, for the given labels. */
export function labelStudioConfig(labels: readonly string[]): string {
  const items = labels.map((l) => `    <Label value="${l.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"/>`).join('\n');
  return `<View>\n  <Labels name="${LS_FROM_NAME}" toName="${LS_TO_NAME}">\n${items}\n  </Labels>\n  <Text name="${LS_TO_NAME}" value="$text"/>\n</View>\n`;
}

interface LabelStudioPrediction {
  model_version: string;
  score?: number;
  result: unknown[];
}

/**
 * One task as JSON (no separator: the caller writes the surrounding array). `suggestions`: the
 * entities to offer as predictions (suggestions not exported as annotations).
 */
export function exportLabelStudio(doc: ExportDocument, entities: readonly Entity[], suggestions: readonly Entity[] = []): DocumentOutput {
  const result = (e: Entity) => ({
    id: e.id,
    from_name: LS_FROM_NAME,
    to_name: LS_TO_NAME,
    type: 'labels',
    value: { start: e.start, end: e.end, text: e.text, labels: [e.label] },
  });
  const task: Record<string, unknown> = {
    data: { text: doc.article.text, document: doc.name },
    meta: { sha256: doc.article.sha256, status: doc.sidecar.status },
    annotations: [{ result: entities.map(result) }],
  };
  if (suggestions.length) task.predictions = predictionsOf(suggestions, result);
  const out: DocumentOutput = { text: JSON.stringify(task), exported: entities.length, issues: lostDetails(doc, entities, 'Label Studio') };
  if (suggestions.length) out.predicted = suggestions.length;
  return out;
}

/**
 * One prediction per suggestion source (gazetteer, pattern:…, a model), in order of first
 * appearance. Its score is the mean of the suggestions' `attrs.score` when they all carry a
 * number there (a model's confidence); Label Studio treats a missing score as unknown.
 */
function predictionsOf(suggestions: readonly Entity[], result: (e: Entity) => unknown): LabelStudioPrediction[] {
  const bySrc = new Map<string, Entity[]>();
  for (const e of suggestions) {
    const src = e.src ?? 'suggestion';
    const list = bySrc.get(src);
    if (list) list.push(e);
    else bySrc.set(src, [e]);
  }
  return [...bySrc].map(([src, es]) => {
    const p: LabelStudioPrediction = { model_version: src, result: es.map(result) };
    const scores = es.map((e) => Number(e.attrs?.score));
    if (scores.every((s) => Number.isFinite(s))) p.score = scores.reduce((a, b) => a + b, 0) / scores.length;
    return p;
  });
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
