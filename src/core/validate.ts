// Checks a structurally sound sidecar against its article and the label configuration.
import { Article } from './article';
import { Entity, Sidecar } from './model';
import { Problem, Severity } from './problems';
import { OverlapPolicy } from './config';

export interface ValidateOptions {
  /** Known label names; entities with another label get a warning. Omit to skip the check. */
  labels?: ReadonlySet<string>;
  overlap?: OverlapPolicy;
  /** The article's file name, to check the sidecar's `document`. */
  articleName?: string;
  /** Lines of entities (by id) and top-level keys, from the reader, to position problems. */
  entityLines?: ReadonlyMap<string, number>;
  keyLines?: ReadonlyMap<string, number>;
}

export function validateAgainstArticle(sidecar: Sidecar, article: Article, opts: ValidateOptions = {}): Problem[] {
  const problems: Problem[] = [];
  const lineOf = (e: Entity) => opts.entityLines?.get(e.id) ?? 1;
  const add = (severity: Severity, code: string, line: number, message: string, entityId?: string) => {
    const p: Problem = { severity, code, message, line, column: 1 };
    if (entityId !== undefined) p.entityId = entityId;
    problems.push(p);
  };
  const length = article.offsets.codePointLength;
  const drifted = sidecar.sha256 !== undefined && sidecar.sha256 !== article.sha256;
  const driftHint = drifted ? ' The article changed since the sidecar was written (its sha256 differs): the entities need re-anchoring: run `corpus-annotator reanchor`.' : '';
  let mismatches = 0;

  for (const e of sidecar.entities) {
    if (e.end > length) {
      mismatches++;
      add('error', 'out-of-range', lineOf(e), `entity ${e.id} (${e.label} "${clip(e.text)}") ends at ${e.end}, past the end of the article (${length} characters).${driftHint}`, e.id);
      continue;
    }
    const actual = article.offsets.slice(e.start, e.end);
    if (actual !== e.text) {
      mismatches++;
      add('error', 'text-mismatch', lineOf(e), `entity ${e.id} (${e.label}) says its text is "${clip(e.text)}" but the article has "${clip(actual)}" at ${e.start}-${e.end}.${driftHint}`, e.id);
    }
    if (opts.labels && !opts.labels.has(e.label)) {
      add('warning', 'unknown-label', lineOf(e), `entity ${e.id} has the label "${e.label}", which is not in the label configuration (known: ${[...opts.labels].join(', ')})`, e.id);
    }
  }
  if (drifted && mismatches === 0) {
    // Matching text is no proof: an insertion can shift a repeated word onto a stale offset.
    add('warning', 'article-changed', opts.keyLines?.get('sha256') ?? 1, 'the article changed since this sidecar was written (sha256 differs); every entity\'s text is still at its offsets, but a repeated word may have moved there: `corpus-annotator reanchor` checks each entity against the old text around it and records the new hash');
  }
  if (opts.articleName !== undefined && sidecar.document !== '' && sidecar.document !== opts.articleName) {
    add('warning', 'document-name', opts.keyLines?.get('document') ?? 1, `\`document\` says "${sidecar.document}" but this sidecar belongs to "${opts.articleName}" (renamed or copied?); \`corpus-annotator fmt\` corrects it`);
  }
  if (opts.overlap && opts.overlap !== 'allow') {
    // A suggestion may overlap anything: it is a question, not an annotation.
    for (const [a, b] of overlappingPairs(sidecar.entities.filter((e) => e.suggested !== true))) {
      const nested = (a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end);
      if (opts.overlap === 'forbid' || !nested) {
        add('error', 'overlap', lineOf(b), `entity ${b.id} (${b.label} "${clip(b.text)}") ${nested ? 'is nested in' : 'overlaps'} entity ${a.id} (${a.label} "${clip(a.text)}"), which the label configuration's overlap policy "${opts.overlap}" forbids.${driftHint}`, b.id);
      }
    }
  }
  return problems.sort((x, y) => x.line - y.line || x.column - y.column);
}

/** Pairs of entities whose spans share at least one character, in (start, end) order. */
export function overlappingPairs(entities: readonly Entity[]): Array<[Entity, Entity]> {
  // Most sidecars (canonical order, nothing nested): each span starts at or after every earlier
  // one ends, so no two share a character. One pass says so; anything else takes the sort below.
  let reach = -Infinity;
  let disjoint = true;
  for (const e of entities) {
    if (!(e.start < e.end && e.start >= reach)) {
      disjoint = false;
      break;
    }
    reach = e.end;
  }
  if (disjoint) return [];
  const sorted = [...entities].sort((a, b) => a.start - b.start || b.end - a.end);
  const pairs: Array<[Entity, Entity]> = [];
  const open: Entity[] = [];
  for (const e of sorted) {
    for (let i = open.length - 1; i >= 0; i--) if ((open[i] as Entity).end <= e.start) open.splice(i, 1);
    for (const o of open) pairs.push([o, e]);
    open.push(e);
  }
  return pairs;
}

/** An entity's text in a one-line message: line breaks shown as ⏎, cut at `max` characters. */
export function clip(s: string, max = 40): string {
  const flat = s.replace(/\r?\n/g, '⏎');
  return flat.length > max ? flat.slice(0, max - 1) + '…' : flat;
}
