// Imported spans into a sidecar: an identical entity (same start, end and label) already there
// is skipped; one that would clash (another label on text shared with an entity the sidecar
// already had, or an overlap the label configuration forbids) is a conflict and is not added;
// everything else is added with a new id and `src: import:<format>`.
import { Article } from '../../model/article';
import { OverlapPolicy } from '../../config/config';
import { Entity, newEntityId, SIDECAR_VERSION, Sidecar, Status } from '../../model/model';
import { clip } from '../export/common';
import { ImportedSpan } from './common';

export interface Conflict {
  span: ImportedSpan;
  existing: Entity;
  reason: string;
}

export interface MergeResult {
  /** The sidecar with the added entities (the same content when nothing was added). */
  sidecar: Sidecar;
  added: Entity[];
  identical: ImportedSpan[];
  conflicts: Conflict[];
  /** Spans that do not fit the article (out of range, empty, a different text). */
  invalid: Array<{ span: ImportedSpan; reason: string }>;
}

export interface MergeOptions {
  /** `src` of the added entities is `import:<format>`. */
  format: string;
  overlap: OverlapPolicy;
  /** The status of a new sidecar (default in-progress). */
  status?: Status;
  random?: () => number;
}

export function mergeImported(existing: Sidecar | undefined, article: Article, articleName: string, spans: readonly ImportedSpan[], opts: MergeOptions): MergeResult {
  const before = existing?.entities ?? [];
  const entities = [...before];
  const taken = new Set(entities.map((e) => e.id));
  const result: MergeResult = { sidecar: existing ?? emptySidecar(articleName, opts.status), added: [], identical: [], conflicts: [], invalid: [] };
  const length = article.offsets.codePointLength;
  for (const span of spans) {
    if (span.start >= span.end || span.end > length) {
      result.invalid.push({ span, reason: span.start >= span.end ? `empty span ${span.start}-${span.end}` : `ends at ${span.end}, past the end of the article (${length} characters)` });
      continue;
    }
    const text = article.offsets.slice(span.start, span.end);
    if (span.text !== undefined && span.text !== text) {
      result.invalid.push({ span, reason: `the source says its text is "${clip(span.text, 40)}" but the article has "${clip(text, 40)}" at ${span.start}-${span.end}` });
      continue;
    }
    if (entities.some((e) => e.start === span.start && e.end === span.end && e.label === span.label)) {
      result.identical.push(span);
      continue;
    }
    const clash = findClash(before, span, 'allow', true) ?? findClash(entities, span, opts.overlap, false);
    if (clash) {
      result.conflicts.push({ span, ...clash });
      continue;
    }
    const id = newEntityId(taken, opts.random);
    taken.add(id);
    const e: Entity = { id, label: span.label, start: span.start, end: span.end, text };
    if (span.note !== undefined) e.note = span.note;
    if (span.attrs !== undefined && Object.keys(span.attrs).length) e.attrs = { ...span.attrs };
    if (span.by !== undefined) e.by = span.by;
    e.src = `import:${opts.format}`;
    entities.push(e);
    result.added.push(e);
  }
  if (result.added.length) {
    result.sidecar = { ...result.sidecar, document: articleName, sha256: article.sha256, entities };
  }
  return result;
}

/**
 * The first entity the span clashes with: with `labels`, one with another label on shared text
 * (checked against the sidecar as it was: entities of one source document may nest, an EVENT
 * around an ORG); then one the overlap policy does not allow next to it (checked against
 * everything, or the sidecar would be invalid).
 */
function findClash(entities: readonly Entity[], span: ImportedSpan, policy: OverlapPolicy, labels: boolean): { existing: Entity; reason: string } | undefined {
  for (const e of entities) {
    if (e.end <= span.start || span.end <= e.start) continue;
    const nested = (e.start <= span.start && span.end <= e.end) || (span.start <= e.start && e.end <= span.end);
    const same = e.start === span.start && e.end === span.end;
    if (labels && e.label !== span.label) {
      const how = same ? 'the same text' : nested ? (e.start <= span.start && span.end <= e.end ? 'text around it' : 'text inside it') : 'overlapping text';
      return { existing: e, reason: `${e.id} is ${e.label} on ${how}` };
    }
    if (policy === 'forbid' || (policy === 'nested' && !nested)) {
      return { existing: e, reason: `it would ${nested ? 'nest in or around' : 'overlap'} ${e.id} (${e.label}), which the overlap policy "${policy}" forbids` };
    }
  }
  return undefined;
}

function emptySidecar(document: string, status: Status = 'in-progress'): Sidecar {
  return { version: SIDECAR_VERSION, document, status, entities: [] };
}
