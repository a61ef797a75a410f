// Exports: one pure function per document and format, so callers stream any number of them.
import { Entity } from '../../model/model';
import { exportBrat } from './brat';
import { countLeftOutSuggestions, DocumentOutput, ExportDocument, ExportFilter, ExportFormat, ExportOptions, selectEntities } from './common';
import { exportConll } from './conll';
import { exportDoccano } from './doccano';
import { exportJsonl } from './jsonl';
import { exportLabelStudio } from './labelstudio';
import { exportSpacy } from './spacy';
import { exportHf, HfLabelNames } from './hf';

export * from './common';
export { bratConf, bratNames, collectBratAttrs } from './brat';
export { CONLL_DOCSTART, conllDocStart, spansFromTags } from './conll';
export { JsonArrayWriter, labelStudioConfig } from './labelstudio';
export { DocBinBuilder, SPACY_SPANS_KEY, SpacyDocPart } from './spacy';
export { spacyWords } from './spacy-words';
export { HfLabelNames, hfLabelNamesPath } from './hf';

/**
 * Offsets each format counts in, for help texts and docs/exports-and-formats.md. Its loaders ("Loading an
 * export in its consumer") follow: spaCy 3.8 (`DocBin().from_disk(...).get_docs(vocab)`, spacy/tokens/
 * _serialize.py), Hugging Face datasets 3.x (`load_dataset("json", data_files=...)`, ClassLabel names),
 * conlleval.pl of CoNLL-2000 (2004-01-26), brat 1.3 (server/src/annotation.py; the .txt read with
 * Python's "utf-8" codec, a BOM counted), Label Studio 1.x with label-studio-sdk ≥ 1.0
 * (`LabelStudio(...).projects.import_tasks`, api.labelstud.io "Import Tasks"), doccano 1.x (JSONL
 * import, sequence labelling), Prodigy 1.x (`db-in`, JSONL with "spans").
 */
export const OFFSET_UNITS: Record<ExportFormat, string> = {
  jsonl: 'code points (Python string indices)',
  conll: 'none (tokens)',
  brat: 'code points',
  doccano: 'UTF-16 code units',
  labelstudio: 'code points',
  spacy: 'tokens (and code points for spans)',
  hf: 'tokens',
};

/**
 * One document in `format`, its entities filtered first (the caller checks the document's status).
 * Suggestions (`suggested: true`) are left out unless the filter says `includeSuggestions`.
 */
export function exportDocument(format: ExportFormat, doc: ExportDocument, filter: ExportFilter = {}, opts: ExportOptions = {}): DocumentOutput {
  const entities: Entity[] = selectEntities(doc.sidecar.entities, filter);
  if (format === 'labelstudio') {
    // Suggestions not exported as annotations are offered as predictions (pre-annotations).
    return exportLabelStudio(doc, entities, filter.includeSuggestions === true ? [] : selectEntities(doc.sidecar.entities, filter, true));
  }
  const out = exportSelected(format, doc, entities, opts);
  const suggestions = countLeftOutSuggestions(doc.sidecar.entities, filter);
  if (suggestions > 0) out.suggestions = suggestions;
  return out;
}

function exportSelected(format: Exclude<ExportFormat, 'labelstudio'>, doc: ExportDocument, entities: Entity[], opts: ExportOptions): DocumentOutput {
  switch (format) {
    case 'jsonl': return exportJsonl(doc, entities, { tokens: opts.tokens === true });
    case 'conll': return exportConll(doc, entities, opts.scheme ?? 'iob2', opts.columns ?? 2, opts.docNames ?? 'docstart');
    case 'brat': return exportBrat(doc, entities);
    case 'doccano': return exportDoccano(doc, entities);
    case 'spacy': return exportSpacy(doc, entities);
    case 'hf': return exportHf(doc, entities, opts.hfNames ?? new HfLabelNames());
  }
}
export { zlibCompress } from './deflate';
export * from './splits';
