// The sidebar's line numbers: plain functions of strings (no `vscode` here), used by tree.ts. The
// filter itself is pure and lives in core/entity-filter.ts (the whole-corpus views use it too).
export { displayText, fold, highlights, matchesFilter, parseFilter } from '../core/entity-filter';
export type { EntityFilter } from '../core/entity-filter';

/**
 * 1-based line numbers of UTF-16 offsets in a text, with VS Code's line breaks (\n, \r\n, \r).
 * Built once per text; each lookup is a binary search.
 */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      }
    }
  }

  /** The 1-based line of a UTF-16 offset. */
  lineOf(utf16: number): number {
    let lo = 0;
    let hi = this.starts.length;
    // Number of line starts <= utf16.
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.starts[mid] as number) <= utf16) lo = mid + 1;
      else hi = mid;
    }
    return Math.max(1, lo);
  }
}
