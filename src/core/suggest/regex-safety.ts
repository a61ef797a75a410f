// A static check for regexes that may backtrack exponentially, run when a pattern file is read
// (before anything runs): a quantifier without upper bound applied to a group that itself holds a
// quantifier without upper bound (`(a+)+`, `(a*)*`, `(\w+\s?)+$`), or to a group whose alternatives
// repeat one another (`(a|a)*`). Star height 2 is a warning, not an error: `(?:\d+,)+` has it and is
// linear (the comma separates the repetitions), so an error would refuse good patterns. The time
// budget (pattern-runner.ts) still bounds what runs. Our own small scanner: no npm package for it
// is available here (no safe-regex/recheck in the package lists), and this one needs no download.

interface Group {
  /** An unbounded quantifier somewhere inside. */
  unbounded: boolean;
  /** Top-level alternatives' text. */
  alternatives: string[];
  start: number;
}

const UNBOUNDED_BRACES = /^\{\d+,\}/;

/** Why `source` may take exponential time on some text, or undefined when nothing was found. */
export function superLinearReason(source: string): string | undefined {
  const stack: Group[] = [{ unbounded: false, alternatives: [], start: 0 }];
  const altStarts: number[] = [0];
  let i = 0;
  /** Length of an unbounded quantifier at `at` (0 when none). */
  const unboundedAt = (at: number): number => {
    const c = source[at];
    if (c === '*' || c === '+') return 1;
    if (c === '{') return UNBOUNDED_BRACES.exec(source.slice(at))?.[0].length ?? 0;
    return 0;
  };
  while (i < source.length) {
    const c = source[i] as string;
    const top = stack[stack.length - 1] as Group;
    if (c === '\\') {
      i += 2;
    } else if (c === '[') {
      // A class: skip to its closing bracket (escapes inside).
      i++;
      while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '(') {
      stack.push({ unbounded: false, alternatives: [], start: i });
      altStarts.push(i + 1 + (/^\?(?:<?[=!]|<[^>]*>|:)/.exec(source.slice(i + 1))?.[0].length ?? 0));
      i++;
      continue;
    } else if (c === '|') {
      top.alternatives.push(source.slice(altStarts[altStarts.length - 1], i));
      altStarts[altStarts.length - 1] = i + 1;
      i++;
      continue;
    } else if (c === ')') {
      const group = stack.pop() as Group;
      group.alternatives.push(source.slice(altStarts.pop(), i));
      i++;
      const q = unboundedAt(i);
      if (q > 0) {
        const text = source.slice(group.start, i + q);
        if (group.unbounded) return `nested quantifier ${text}`;
        const seen = new Set<string>();
        for (const a of group.alternatives) {
          if (seen.has(a)) return `repeated alternatives under a quantifier ${text}`;
          seen.add(a);
        }
      }
      const parent = stack[stack.length - 1] as Group;
      parent.unbounded ||= group.unbounded || q > 0;
      i += q;
      continue;
    } else {
      i++;
    }
    // After an atom: is it repeated without bound?
    const q = unboundedAt(i);
    if (q > 0) {
      (stack[stack.length - 1] as Group).unbounded = true;
      i += q;
    }
  }
  return undefined;
}
