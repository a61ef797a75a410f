// Hugging Face token classification: one JSON object a line, one line per sentence (as the
// conll2003 dataset is), `{"id", "document", "tokens": [...], "ner_tags": [ints]}`, readable by
// `datasets.load_dataset("json", data_files=...)`. The tokens and IOB2 tags are the CoNLL
// export's (tagDocument), so both align; the integers index `label_names` (written beside the
// output with the `features` that make ner_tags a Sequence(ClassLabel(names))). Followed: the
// datasets 3.x JSON loader and Features.to_dict() layout ({"_type": "Sequence", "feature":
// {"_type": "ClassLabel", "names": [...]}}), as in the conll2003 dataset card.
import { Entity } from '../../model/model';
import { DocumentOutput, ExportDocument, jsonLine } from './common';
import { tagDocument } from './conll';

/** The IOB2 names, "O" first; grown as labels appear (callers seed it with the configured labels). */
export class HfLabelNames {
  readonly names: string[] = ['O'];
  private readonly index = new Map<string, number>([['O', 0]]);

  /** Adds B-label and I-label when not there yet. */
  addLabel(label: string): void {
    for (const tag of [`B-${label}`, `I-${label}`]) {
      if (!this.index.has(tag)) {
        this.index.set(tag, this.names.length);
        this.names.push(tag);
      }
    }
  }

  id(tag: string): number {
    if (!this.index.has(tag)) this.addLabel(tag.slice(2));
    return this.index.get(tag) as number;
  }

  /** label_names.json: the names and the `features` description of the dataset's columns. */
  toJson(): string {
    const features = {
      id: { dtype: 'string', _type: 'Value' },
      document: { dtype: 'string', _type: 'Value' },
      tokens: { feature: { dtype: 'string', _type: 'Value' }, _type: 'Sequence' },
      ner_tags: { feature: { names: this.names, _type: 'ClassLabel' }, _type: 'Sequence' },
    };
    return JSON.stringify({ label_names: this.names, features }, null, 2) + '\n';
  }
}

export function exportHf(doc: ExportDocument, entities: readonly Entity[], names: HfLabelNames): DocumentOutput {
  const { tokens, tags, breakBefore, exported, issues } = tagDocument(doc, entities, 'iob2', 'Hugging Face');
  let text = '';
  let start = 0;
  let n = 0;
  const flush = (end: number) => {
    if (end > start) {
      text += jsonLine({
        id: `${doc.relPath}#${n++}`,
        document: doc.relPath,
        tokens: tokens.slice(start, end).map((t) => t.text),
        ner_tags: tags.slice(start, end).map((t) => names.id(t)),
      }) + '\n';
    }
    start = end;
  };
  for (let i = 1; i < tokens.length; i++) if (breakBefore[i]) flush(i);
  flush(tokens.length);
  return { text, exported, issues };
}

/** Where --format hf writes its label names: beside the output, `train.jsonl` → `train.label_names.json`. */
export function hfLabelNamesPath(outPath: string): string {
  return outPath.replace(/(\.jsonl?)?$/, '.label_names.json');
}
