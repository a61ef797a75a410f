// Inter-annotator agreement between two annotations of the same documents, A taken as the reference:
//
// - exact-span precision / recall / F1: an entity of B matches one of A with the same start, end and
//   label (one-to-one). P = TP / |B|, R = TP / |A|, F1 = 2·TP / (|A| + |B|) (the harmonic mean of P
//   and R, defined whenever either side has an entity; P or R is null when its denominator is 0).
// - partial-overlap P / R / F1: a pair (a, b) with the same label sharing at least one character is a
//   candidate; pairs are matched one-to-one greedily by overlap size (in code points, largest first;
//   ties by a's start, b's start, a's id, b's id), each entity in at most one pair.
// - token-level Cohen's κ: tokens are the maximal runs of letters, combining marks and digits of the
//   article (whitespace and punctuation separate them and are not tokens: `l’Intérieur` is `l`,
//   `Intérieur`). Each token gets, for each side, the label of the outermost entity sharing a character
//   with it (the longest; then the earliest; then by label), or O. κ = (pₒ − pₑ) / (1 − pₑ), with pₒ the
//   share of tokens labelled alike and pₑ = Σₖ p_A(k)·p_B(k); null when pₑ = 1 (both sides gave every
//   token the same single label, e.g. all O), or there is no token.
// Suggestions (`suggested: true`) are not annotations yet: left out on both sides.
// Overall figures are micro-averages (counts summed over documents and labels); macro-F1 is the mean of
// the per-label F1s that are defined.
import { cmp, Entity } from '../model/model';
import { OffsetMap } from '../model/offsets';
import { isSuggestion, withoutSuggestions } from '../suggest/suggest';

export interface AgreementDocument {
  document: string;
  a: readonly Entity[];
  b: readonly Entity[];
  /** The article text both annotate (needed for κ only). */
  text?: string;
}

export interface Prf {
  tp: number;
  /** In B, not matched. */
  fp: number;
  /** In A, not matched. */
  fn: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface Kappa {
  tokens: number;
  /** Tokens labelled alike. */
  agreed: number;
  observed: number | null;
  expected: number | null;
  kappa: number | null;
}

export interface LabelAgreement {
  label: string;
  a: number;
  b: number;
  exact: Prf;
  partial: Prf;
}

export interface DocumentAgreement {
  document: string;
  a: number;
  b: number;
  exact: Prf;
  partial: Prf;
  /** Undefined when the article text is not available. */
  kappa?: Kappa;
}

export interface AgreementReport {
  documents: number;
  overall: { a: number; b: number; exact: Prf; partial: Prf; exactMacroF1: number | null; partialMacroF1: number | null };
  labels: LabelAgreement[];
  /** Over the tokens of every document whose text is known. */
  kappa: Kappa;
  /**
   * The same over the tokens either side labelled (not O on both): κ over all tokens is inflated
   * by the O majority, which is why F1 is the usual figure for NER (Hripcsak & Rothschild 2005).
   */
  kappaAnnotated: Kappa;
  perDocument: DocumentAgreement[];
}

export function prf(tp: number, fp: number, fn: number): Prf {
  return {
    tp, fp, fn,
    precision: tp + fp ? tp / (tp + fp) : null,
    recall: tp + fn ? tp / (tp + fn) : null,
    f1: 2 * tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : null,
  };
}

/** Exact-span matches per label: same start, end and label, one-to-one. */
export function exactMatchesByLabel(a: readonly Entity[], b: readonly Entity[]): Map<string, number> {
  const key = (e: Entity) => `${e.start}\u0000${e.end}\u0000${e.label}`;
  const inA = new Map<string, number>();
  for (const e of a) inA.set(key(e), (inA.get(key(e)) ?? 0) + 1);
  const out = new Map<string, number>();
  for (const e of b) {
    const n = inA.get(key(e)) ?? 0;
    if (n > 0) {
      inA.set(key(e), n - 1);
      out.set(e.label, (out.get(e.label) ?? 0) + 1);
    }
  }
  return out;
}

/** Partial-overlap matches: same label, shared characters, greedy one-to-one by overlap size. */
export function partialMatches(a: readonly Entity[], b: readonly Entity[]): Array<[Entity, Entity]> {
  const candidates: Array<{ x: Entity; y: Entity; overlap: number }> = [];
  for (const x of a) {
    for (const y of b) {
      if (x.label !== y.label) continue;
      const overlap = Math.min(x.end, y.end) - Math.max(x.start, y.start);
      if (overlap > 0) candidates.push({ x, y, overlap });
    }
  }
  candidates.sort((p, q) => q.overlap - p.overlap || p.x.start - q.x.start || p.y.start - q.y.start || cmp(p.x.id, q.x.id) || cmp(p.y.id, q.y.id));
  const usedA = new Set<Entity>();
  const usedB = new Set<Entity>();
  const out: Array<[Entity, Entity]> = [];
  for (const { x, y } of candidates) {
    if (usedA.has(x) || usedB.has(y)) continue;
    usedA.add(x);
    usedB.add(y);
    out.push([x, y]);
  }
  return out;
}

export interface Token {
  /** Code point offsets, end-exclusive. */
  start: number;
  end: number;
}

/** Maximal runs of letters, combining marks and digits, in code point offsets. */
export function tokenize(text: string): Token[] {
  const map = new OffsetMap(text);
  const out: Token[] = [];
  for (const m of text.matchAll(/[\p{L}\p{M}\p{N}]+/gu)) {
    const start = map.toCodePoint(m.index ?? 0);
    out.push({ start, end: map.toCodePoint((m.index ?? 0) + m[0].length) });
  }
  return out;
}

export const OUTSIDE = 'O';

/** Each token's label: that of the outermost entity sharing a character with it, else O. */
export function tokenLabels(tokens: readonly Token[], entities: readonly Entity[]): string[] {
  const labels: Array<string | undefined> = tokens.map(() => undefined);
  const outermostFirst = [...entities].sort((x, y) => (y.end - y.start) - (x.end - x.start) || x.start - y.start || cmp(x.label, y.label));
  for (const e of outermostFirst) {
    // first token ending after e.start
    let lo = 0;
    let hi = tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((tokens[mid] as Token).end <= e.start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < tokens.length && (tokens[i] as Token).start < e.end; i++) {
      if (labels[i] === undefined) labels[i] = e.label;
    }
  }
  return labels.map((l) => l ?? OUTSIDE);
}

/** Cohen's κ over paired labels. */
export function cohenKappa(a: readonly string[], b: readonly string[]): Kappa {
  const n = Math.min(a.length, b.length);
  if (n === 0) return { tokens: 0, agreed: 0, observed: null, expected: null, kappa: null };
  const ca = new Map<string, number>();
  const cb = new Map<string, number>();
  let agreed = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i] as string;
    const y = b[i] as string;
    if (x === y) agreed++;
    ca.set(x, (ca.get(x) ?? 0) + 1);
    cb.set(y, (cb.get(y) ?? 0) + 1);
  }
  let expected = 0;
  for (const [k, v] of ca) expected += (v / n) * ((cb.get(k) ?? 0) / n);
  const observed = agreed / n;
  // pe = 1 only when both sides used one and the same label everywhere: κ is undefined.
  const kappa = Math.abs(1 - expected) < 1e-12 ? null : (observed - expected) / (1 - expected);
  return { tokens: n, agreed, observed, expected, kappa };
}

/** Cohen's κ over the positions where at least one side is not O. */
export function annotatedKappa(a: readonly string[], b: readonly string[]): Kappa {
  const xa: string[] = [];
  const xb: string[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === OUTSIDE && b[i] === OUTSIDE) continue;
    xa.push(a[i] as string);
    xb.push(b[i] as string);
  }
  return cohenKappa(xa, xb);
}

/** Suggestions (`suggested: true`) are left out on both sides: they are nobody's annotation yet. */
export function computeAgreement(input: readonly AgreementDocument[]): AgreementReport {
  const docs = input.map((d) => (d.a.some(isSuggestion) || d.b.some(isSuggestion) ? { ...d, a: withoutSuggestions(d.a), b: withoutSuggestions(d.b) } : d));
  const labelNames = new Set<string>();
  const perLabel = new Map<string, { a: number; b: number; exact: number; partial: number }>();
  const stat = (l: string) => {
    let s = perLabel.get(l);
    if (!s) {
      s = { a: 0, b: 0, exact: 0, partial: 0 };
      perLabel.set(l, s);
      labelNames.add(l);
    }
    return s;
  };
  const perDocument: DocumentAgreement[] = [];
  const allA: string[] = [];
  const allB: string[] = [];
  let totalA = 0;
  let totalB = 0;
  let totalExact = 0;
  let totalPartial = 0;
  for (const d of docs) {
    for (const e of d.a) stat(e.label).a++;
    for (const e of d.b) stat(e.label).b++;
    let exact = 0;
    for (const [l, n] of exactMatchesByLabel(d.a, d.b)) {
      stat(l).exact += n;
      exact += n;
    }
    const pairs = partialMatches(d.a, d.b);
    for (const [x] of pairs) stat(x.label).partial++;
    totalA += d.a.length;
    totalB += d.b.length;
    totalExact += exact;
    totalPartial += pairs.length;
    const row: DocumentAgreement = {
      document: d.document,
      a: d.a.length,
      b: d.b.length,
      exact: prf(exact, d.b.length - exact, d.a.length - exact),
      partial: prf(pairs.length, d.b.length - pairs.length, d.a.length - pairs.length),
    };
    if (d.text !== undefined) {
      const tokens = tokenize(d.text);
      const la = tokenLabels(tokens, d.a);
      const lb = tokenLabels(tokens, d.b);
      row.kappa = cohenKappa(la, lb);
      allA.push(...la);
      allB.push(...lb);
    }
    perDocument.push(row);
  }
  const labels = [...labelNames].sort(cmp).map((label): LabelAgreement => {
    const s = perLabel.get(label) as { a: number; b: number; exact: number; partial: number };
    return { label, a: s.a, b: s.b, exact: prf(s.exact, s.b - s.exact, s.a - s.exact), partial: prf(s.partial, s.b - s.partial, s.a - s.partial) };
  });
  const macro = (pick: (l: LabelAgreement) => number | null) => {
    const vals = labels.map(pick).filter((v): v is number => v !== null);
    return vals.length ? vals.reduce((x, y) => x + y, 0) / vals.length : null;
  };
  return {
    documents: docs.length,
    overall: {
      a: totalA,
      b: totalB,
      exact: prf(totalExact, totalB - totalExact, totalA - totalExact),
      partial: prf(totalPartial, totalB - totalPartial, totalA - totalPartial),
      exactMacroF1: macro((l) => l.exact.f1),
      partialMacroF1: macro((l) => l.partial.f1),
    },
    labels,
    kappa: cohenKappa(allA, allB),
    kappaAnnotated: annotatedKappa(allA, allB),
    perDocument,
  };
}
