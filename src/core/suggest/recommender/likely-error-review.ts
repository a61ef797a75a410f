// Reviewing likely annotation errors in an editor (issue 16): the model's disagreements
// (likely-errors.ts) joined with the corpus's own consistency (a surface labelled one way here and
// another way in most other places), told in words, and the edits that fix them. Pure: the
// extension shows and applies these, the CLI could as well.
//
// Why a consistency signal beside the model: a model checks documents it was trained on, and
// learns their slips (a relabelled "Laftit" among 17 PER ones still scores only 0.51 for PER on
// the demo corpus); the other occurrences in the corpus say the same thing without any model.
import { Article } from '../../model/article';
import { addEntities, relabelEntities } from '../../model/edits';
import { Sidecar } from '../../model/model';
import { OffsetMap } from '../../model/offsets';
import { TextSpan } from './data';
import { compareWithPredictions, DEFAULT_MIN_SCORE, heldOut, LikelyErrorKind } from './likely-errors';
import { Model, predict, Prediction, TrainOptions } from './recommender';

export type ReviewKind = LikelyErrorKind | 'inconsistent';

/** A span with its text, as the reviewer reads it. */
export interface QuotedSpan {
  start: number;
  end: number;
  label: string;
  text: string;
}

export interface ReviewFinding {
  /**
   * label, boundary, missing: as likely-errors.ts (the model's disagreement); inconsistent: no
   * confident disagreement of the model, but the annotation's text is labelled otherwise in most
   * of its other occurrences in the checked documents.
   */
  kind: ReviewKind;
  /** The annotation in question (absent for `missing`), with its sidecar id. */
  current?: QuotedSpan & { id: string };
  /** What should be there instead. */
  proposed: QuotedSpan;
  /** The model's score of `proposed` (undefined: the model does not predict it at all). */
  score?: number;
  /** How many other annotations of the same text carry the proposed label (label and inconsistent). */
  others?: number;
}

export interface ReviewDoc {
  text: string;
  entities: readonly (TextSpan & { id: string })[];
}

/** Reported as inconsistent: the other label on at least this many occurrences… */
export const MIN_OTHER_OCCURRENCES = 2;
/** …and on at least this many times as many as the annotation's own label (itself included). */
const MAJORITY_RATIO = 2;

/** The text that identifies an occurrence across documents: its code points, white space collapsed. */
export function surfaceKey(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** Per surface, how many annotations carry each label, over all the documents. */
export function labelCountsBySurface(docs: readonly ReviewDoc[]): Map<string, Map<string, number>> {
  const counts = new Map<string, Map<string, number>>();
  for (const d of docs) {
    const cps = new OffsetMap(d.text);
    for (const e of d.entities) {
      if (e.end <= e.start) continue;
      const key = surfaceKey(cps.slice(e.start, e.end));
      const byLabel = counts.get(key) ?? new Map<string, number>();
      byLabel.set(e.label, (byLabel.get(e.label) ?? 0) + 1);
      counts.set(key, byLabel);
    }
  }
  return counts;
}

/** The label most other occurrences of `surface` carry, if it outnumbers `label` clearly. */
function majorityOtherwise(counts: ReadonlyMap<string, number> | undefined, label: string): { label: string; others: number } | undefined {
  if (!counts) return undefined;
  const own = counts.get(label) ?? 0;
  let best: { label: string; others: number } | undefined;
  for (const [l, n] of counts) {
    if (l === label) continue;
    if (!best || n > best.others || (n === best.others && l < best.label)) best = { label: l, others: n };
  }
  return best && best.others >= MIN_OTHER_OCCURRENCES && best.others >= MAJORITY_RATIO * own ? best : undefined;
}

/**
 * The findings of one document: the model's disagreements scoring `minScore` or more, and the
 * annotations whose text is clearly labelled otherwise elsewhere (`counts`, from every checked
 * document) that the model does not already dispute. One finding per annotation at most; in text order.
 */
export function reviewDocument(doc: ReviewDoc, predictions: readonly Prediction[], modelLabels: readonly string[], counts: ReadonlyMap<string, ReadonlyMap<string, number>>, minScore = DEFAULT_MIN_SCORE): ReviewFinding[] {
  const cps = new OffsetMap(doc.text);
  const quote = (s: TextSpan): QuotedSpan => ({ start: s.start, end: s.end, label: s.label, text: cps.slice(s.start, s.end) });
  const withId = (e: TextSpan & { id: string }) => ({ ...quote(e), id: e.id });
  const out: ReviewFinding[] = [];
  const disputed = new Set<string>();
  for (const f of compareWithPredictions(doc.entities, predictions, modelLabels, minScore)) {
    const finding: ReviewFinding = { kind: f.kind, proposed: quote(f.proposed), score: f.score };
    if (f.current) {
      finding.current = withId(f.current);
      disputed.add(f.current.id);
      if (f.kind === 'label') {
        const others = counts.get(surfaceKey(finding.current.text))?.get(f.proposed.label) ?? 0;
        if (others > 0) finding.others = others;
      }
    }
    out.push(finding);
  }
  for (const e of doc.entities) {
    if (disputed.has(e.id) || e.end <= e.start) continue;
    const current = withId(e);
    const majority = majorityOtherwise(counts.get(surfaceKey(current.text)), e.label);
    if (!majority) continue;
    const proposed = { ...quote(e), label: majority.label };
    const predicted = predictions.find((p) => p.start === e.start && p.end === e.end && p.label === majority.label);
    out.push({ kind: 'inconsistent', current, proposed, ...(predicted ? { score: predicted.score } : {}), others: majority.others });
  }
  return out.sort((a, b) => (a.current ?? a.proposed).start - (b.current ?? b.proposed).start || a.proposed.start - b.proposed.start || a.proposed.end - b.proposed.end);
}

/** Every document reviewed with one model; `onDocument` after each (for progress). Indexed like `docs`. */
export function reviewCorpus(model: Model, docs: readonly ReviewDoc[], minScore = DEFAULT_MIN_SCORE, onDocument?: (done: number, total: number) => void): ReviewFinding[][] {
  const counts = labelCountsBySurface(docs);
  return docs.map((d, i) => {
    const found = reviewDocument(d, predict(model, d.text), model.labels, counts, minScore);
    onDocument?.(i + 1, docs.length);
    return found;
  });
}

/**
 * Every document reviewed by a model trained on the other documents (k folds by document): what
 * Find Likely Annotation Errors does by default, since a model trained on a document has learnt
 * its slips (a relabelled name among many right ones scores 0.51 instead of ≥ 0.9). The corpus
 * consistency counts still come from every document. `onFold` after each fold. Indexed like `docs`.
 */
export function crossReviewCorpus<D extends ReviewDoc & { name: string }>(docs: readonly D[], k: number, minScore = DEFAULT_MIN_SCORE, opts: TrainOptions = {}, onFold?: (fold: number, folds: number) => void): ReviewFinding[][] {
  const counts = labelCountsBySurface(docs);
  return heldOut(docs, k, opts, (model, d) => reviewDocument(d, predict(model, d.text), model.labels, counts, minScore), onFold);
}

const q = (s: { text: string }) => JSON.stringify(s.text);
const scored = (score: number | undefined) => (score === undefined ? 'the model does not predict it' : `model score ${score.toFixed(2)}`);

/** What is suspected, in one line: the Problems panel's message. */
export function describeFinding(f: ReviewFinding): string {
  const { current, proposed } = f;
  const elsewhere = f.others ? `; ${f.others} other occurrence${f.others === 1 ? ' is' : 's are'} ${proposed.label}` : '';
  switch (f.kind) {
    case 'missing':
      return `Missing entity? ${proposed.label} ${q(proposed)} is not annotated (${scored(f.score)})`;
    case 'label':
      return `Wrong label? ${current?.label} → ${proposed.label} for ${q(proposed)} (${scored(f.score)}${elsewhere})`;
    case 'boundary': {
      const relabel = current && current.label !== proposed.label ? ` as ${proposed.label}` : '';
      return `Boundary? ${current?.label} ${q(current ?? proposed)} → ${q(proposed)}${relabel} (${scored(f.score)})`;
    }
    case 'inconsistent':
      return `Inconsistent with ${f.others} other occurrences: ${current?.label} ${q(proposed)}, elsewhere ${proposed.label} (${f.score === undefined ? 'the model does not predict it here' : `model score of ${proposed.label} ${f.score.toFixed(2)}`})`;
  }
}

/**
 * What a dismissal ("not an error") is remembered by: the article, the annotation's span and
 * label (none for `missing`), the proposal's span and label, and the text, so that the same
 * finding never comes back, while a finding about other text, another annotation or another
 * proposal does.
 */
export function dismissalKey(article: string, f: ReviewFinding): string {
  const span = (s: QuotedSpan | undefined) => (s ? [s.start, s.end, s.label] : null);
  return JSON.stringify([article, span(f.current), span(f.proposed), f.proposed.text]);
}

/**
 * Whether a finding still stands on the article's current text and annotations: its text is
 * unchanged, the annotation it is about is still there as it was, and nothing has fixed it yet.
 */
export function findingHolds(f: ReviewFinding, cps: OffsetMap, entities: readonly (TextSpan & { id: string; suggested?: true })[]): boolean {
  if (f.proposed.end > cps.codePointLength || cps.slice(f.proposed.start, f.proposed.end) !== f.proposed.text) return false;
  const annotations = entities.filter((e) => e.suggested !== true);
  const fixed = annotations.some((e) => e.start === f.proposed.start && e.end === f.proposed.end && e.label === f.proposed.label);
  if (fixed) return false;
  if (!f.current) return !annotations.some((e) => e.start < f.proposed.end && f.proposed.start < e.end);
  const c = f.current;
  return annotations.some((e) => e.id === c.id && e.start === c.start && e.end === c.end && e.label === c.label);
}

export type ReviewFix = 'relabel' | 'add' | 'adjust';

/** The fix a finding offers (besides dismissing it). */
export function fixOf(f: ReviewFinding): ReviewFix {
  return f.kind === 'missing' ? 'add' : f.kind === 'boundary' ? 'adjust' : 'relabel';
}

/**
 * The sidecar with the finding fixed: the annotation relabelled, the missing entity added, or
 * the annotation moved to the proposed boundaries (same id, note and attributes; relabelled
 * too when the proposal's label differs). Unchanged when the finding no longer holds.
 */
export function applyFix(s: Sidecar, article: Article, f: ReviewFinding, opts: { by?: string; src?: string } = {}): Sidecar {
  if (!findingHolds(f, article.offsets, s.entities)) return s;
  const { current, proposed } = f;
  if (!current) return addEntities(s, article, [proposed], proposed.label, opts).sidecar;
  if (f.kind !== 'boundary') return relabelEntities(s, new Set([current.id]), proposed.label);
  return {
    ...s,
    entities: s.entities.map((e) => (e.id === current.id ? { ...e, start: proposed.start, end: proposed.end, label: proposed.label, text: article.offsets.slice(proposed.start, proposed.end) } : e)),
  };
}
