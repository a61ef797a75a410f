// BILOU tags over tokens: O, and for each label B(egin), I(nside), L(ast), U(nit). Only valid
// sequences exist for the decoder (transitions below), so a prediction is always a set of
// well-formed, non-overlapping spans.

/** A span of tokens [start, end) with a label index. */
export interface TokenSpan {
  start: number;
  end: number;
  label: number;
}

export const O = 0;
const B = 0;
const I = 1;
const L = 2;
const U = 3;

export class TagSet {
  readonly size: number;
  /** allowed[from * size + to]: the transition can occur. */
  readonly allowed: Uint8Array;
  readonly allowedStart: Uint8Array;
  readonly allowedEnd: Uint8Array;

  constructor(readonly labels: readonly string[]) {
    const n = 1 + 4 * labels.length;
    this.size = n;
    this.allowed = new Uint8Array(n * n);
    this.allowedStart = new Uint8Array(n);
    this.allowedEnd = new Uint8Array(n);
    for (let from = 0; from < n; from++) {
      for (let to = 0; to < n; to++) this.allowed[from * n + to] = validTransition(from, to) ? 1 : 0;
      // A sequence starts outside an entity or at its first token, ends outside or at its last.
      this.allowedStart[from] = from === O || kindOf(from) === B || kindOf(from) === U ? 1 : 0;
      this.allowedEnd[from] = from === O || kindOf(from) === L || kindOf(from) === U ? 1 : 0;
    }
  }

  tag(label: number, kind: 'B' | 'I' | 'L' | 'U'): number {
    return 1 + 4 * label + { B, I, L, U }[kind];
  }

  name(tag: number): string {
    if (tag === O) return 'O';
    return `${'BILU'[kindOf(tag)]}-${this.labels[labelOf(tag)]}`;
  }

  /** The tags of n tokens holding the given spans (which must not overlap). */
  encode(n: number, spans: readonly TokenSpan[]): Int32Array {
    const tags = new Int32Array(n);
    for (const s of spans) {
      if (s.end - s.start === 1) tags[s.start] = this.tag(s.label, 'U');
      else {
        tags[s.start] = this.tag(s.label, 'B');
        for (let i = s.start + 1; i < s.end - 1; i++) tags[i] = this.tag(s.label, 'I');
        tags[s.end - 1] = this.tag(s.label, 'L');
      }
    }
    return tags;
  }

  /** The spans of a tag sequence; a malformed run (never produced by the decoder) is dropped. */
  decode(tags: ArrayLike<number>): TokenSpan[] {
    const spans: TokenSpan[] = [];
    let open = -1;
    for (let i = 0; i < tags.length; i++) {
      const t = tags[i] as number;
      if (t === O) { open = -1; continue; }
      const kind = kindOf(t);
      const label = labelOf(t);
      if (kind === U) { spans.push({ start: i, end: i + 1, label }); open = -1; }
      else if (kind === B) open = i;
      else if (open >= 0 && labelOf(tags[open] as number) === label) {
        if (kind === L) { spans.push({ start: open, end: i + 1, label }); open = -1; }
      } else open = -1;
    }
    return spans;
  }
}

function kindOf(tag: number): number {
  return (tag - 1) % 4;
}

function labelOf(tag: number): number {
  return Math.floor((tag - 1) / 4);
}

function validTransition(from: number, to: number): boolean {
  const inside = from !== O && (kindOf(from) === B || kindOf(from) === I);
  if (inside) return to !== O && labelOf(to) === labelOf(from) && (kindOf(to) === I || kindOf(to) === L);
  return to === O || kindOf(to) === B || kindOf(to) === U;
}
