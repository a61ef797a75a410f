// Documents as the recommender sees them: sentences of the French tokeniser's tokens, and the gold
// entities as token spans. Offsets stay code points, like the sidecars.
import { Sidecar, Status } from '../../model/model';
import { Token, tokenizeSentences } from '../../text/tokenize';
import { withoutSuggestions } from '../suggest';
import { TokenSpan } from './tags';

/** A labelled span of text, in code points, end-exclusive. */
export interface TextSpan {
  start: number;
  end: number;
  label: string;
  /** The sidecar entity's id, when the span is one (reports name it). */
  id?: string;
}

/** An article and its annotations (suggestions left out): what training reads. */
export interface TrainingDoc {
  name: string;
  text: string;
  entities: readonly TextSpan[];
}

/**
 * An article as training reads it when its sidecar's status is one of `statuses` (only those
 * documents are fully annotated), else undefined. Suggestions are not annotations: left out. The
 * one rule of what the CLI's `train` and the extension's training (Node and browser) learn from.
 */
export function trainingDocOf(name: string, text: string, sidecar: Sidecar, statuses: readonly Status[]): TrainingDoc | undefined {
  if (!statuses.includes(sidecar.status)) return undefined;
  return { name, text, entities: withoutSuggestions(sidecar.entities).map((e) => ({ id: e.id, start: e.start, end: e.end, label: e.label })) };
}

export interface Sentence {
  tokens: Token[];
  /** Gold spans (training documents only). */
  gold: TokenSpan[];
}

/**
 * The outermost of nested or overlapping entities: longest first, then leftmost, and a span that
 * overlaps one already kept is dropped. Sorted by start.
 */
export function outermost(entities: readonly TextSpan[]): TextSpan[] {
  const sorted = entities.filter((e) => e.end > e.start).sort((a, b) => (b.end - b.start) - (a.end - a.start) || a.start - b.start);
  const kept: TextSpan[] = [];
  for (const e of sorted) if (!kept.some((k) => k.start < e.end && e.start < k.end)) kept.push(e);
  return kept.sort((a, b) => a.start - b.start);
}

/**
 * Sentences of a document with its entities as token spans (the tokens an entity overlaps). A
 * sentence break inside an entity is undone (the two sentences are joined), so training never sees
 * half an entity. Entities with a label outside `labels` are left out.
 */
export function sentencesOf(text: string, entities: readonly TextSpan[] = [], labels: readonly string[] = []): Sentence[] {
  const raw = tokenizeSentences(text);
  const spans = outermost(entities.filter((e) => labels.includes(e.label)));
  if (spans.length === 0) return raw.map((tokens) => ({ tokens, gold: [] }));
  const tokens = raw.flat();
  // Sentence index of each token, then token spans of the entities.
  const sentenceOf = new Int32Array(tokens.length);
  let k = 0;
  raw.forEach((s, i) => { for (let j = 0; j < s.length; j++) sentenceOf[k++] = i; });
  const joinWithNext = new Uint8Array(raw.length);
  const tokenSpans: TokenSpan[] = [];
  let t = 0;
  for (const e of spans) {
    while (t < tokens.length && (tokens[t] as Token).end <= e.start) t++;
    let u = t;
    while (u < tokens.length && (tokens[u] as Token).start < e.end) u++;
    if (u === t) continue; // only whitespace: nothing to learn
    for (let s = sentenceOf[t] as number; s < (sentenceOf[u - 1] as number); s++) joinWithNext[s] = 1;
    tokenSpans.push({ start: t, end: u, label: labels.indexOf(e.label) });
    t = u;
  }
  const sentences: Sentence[] = [];
  let first = 0;
  let si = 0;
  let offset = 0;
  for (let s = 0; s < raw.length; s++) {
    if (joinWithNext[s] && s + 1 < raw.length) continue;
    const toks = raw.slice(first, s + 1).flat();
    const end = offset + toks.length;
    const gold: TokenSpan[] = [];
    while (si < tokenSpans.length && (tokenSpans[si] as TokenSpan).start < end) {
      const sp = tokenSpans[si] as TokenSpan;
      gold.push({ start: sp.start - offset, end: sp.end - offset, label: sp.label });
      si++;
    }
    sentences.push({ tokens: toks, gold });
    offset = end;
    first = s + 1;
  }
  return sentences;
}
