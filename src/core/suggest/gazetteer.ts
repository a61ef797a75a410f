// A gazetteer: a list of names and the label each should get, for pre-annotating articles with
// suggestions (src/core/suggest/suggest.ts). One entry a line, tab-separated:
//
//   surface<TAB>label[<TAB>kb id]
//
//   # comments start with `#` (the first non-blank character); blank lines are ignored
//   Abdellatif Hammouchi	PER	wikidata:Q4666545
//   Interpol	ORG
//
// UTF-8, with or without a BOM, LF or CRLF line ends. Spaces around a column are ignored. The
// surface is matched as the configuration's `suggestions.match` says (by default ignoring case
// and accents, whole words only: src/core/suggest/occurrences.ts). A surface listed twice keeps its first
// line: a second line with the same label is a warning, one with another label too (it says which
// label wins), since the same text cannot be suggested as both.
import { Problem } from '../model/problems';

export interface GazetteerEntry {
  /** The text to look for, as written in the file (spaces around it removed). */
  surface: string;
  label: string;
  /** Knowledge-base id (third column), copied to the suggestion's `attrs.kb`. */
  kb?: string;
  /** 1-based line of the entry in its file. */
  line: number;
}

export interface Gazetteer {
  /** The file's name (not its path): suggestions say `src: gazetteer:<name>`. */
  name: string;
  /** In file order, one per distinct surface. */
  entries: GazetteerEntry[];
}

export interface ParsedGazetteer {
  gazetteer: Gazetteer;
  /** Errors (the line is left out) and warnings, in line order. */
  problems: Problem[];
}

export interface GazetteerOptions {
  /** The configured labels: an entry with another label is an error (and left out). */
  labels?: ReadonlySet<string>;
}

/** Reads a gazetteer's text; `name` is the file name that suggestions will cite. */
export function parseGazetteer(source: string, name: string, opts: GazetteerOptions = {}): ParsedGazetteer {
  const problems: Problem[] = [];
  const entries: GazetteerEntry[] = [];
  const first = new Map<string, GazetteerEntry>();
  const text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  const lines = text.split(/\r\n|\n|\r/);
  lines.forEach((raw, i) => {
    const line = i + 1;
    const report = (severity: Problem['severity'], code: string, column: number, message: string) =>
      problems.push({ severity, code, message, line, column });
    const body = raw.trimStart();
    if (body === '' || body.startsWith('#')) return;
    const cells = cellsOf(raw);
    if (cells.length < 2) {
      const hint = /\S {2,}\S|\S \S+$/.test(raw.trim()) ? ' (columns are separated by a tab, not spaces)' : '';
      report('error', 'gazetteer-columns', 1, `expected "surface<TAB>label[<TAB>kb id]" but this line has no tab${hint}`);
      return;
    }
    if (cells.length > 3 && cells.slice(3).some((c) => c.value !== '')) {
      report('error', 'gazetteer-columns', (cells[3] as Cell).column, `too many columns (${cells.length}): a line is "surface<TAB>label[<TAB>kb id]"`);
      return;
    }
    const [surface, label, kb] = cells as [Cell, Cell, Cell | undefined];
    if (surface.value === '') { report('error', 'gazetteer-surface', surface.column, 'the surface (first column) is empty'); return; }
    if (label.value === '') { report('error', 'gazetteer-label', label.column, `no label for "${surface.value}" (second column)`); return; }
    if (/\s/.test(label.value)) { report('error', 'gazetteer-label', label.column, `the label "${label.value}" contains a space; labels are single words like PER`); return; }
    if (opts.labels && !opts.labels.has(label.value)) {
      report('error', 'unknown-label', label.column, `unknown label "${label.value}" (the label configuration has ${[...opts.labels].join(', ')})`);
      return;
    }
    const entry: GazetteerEntry = { surface: surface.value, label: label.value, line };
    if (kb !== undefined && kb.value !== '') entry.kb = kb.value;
    const earlier = first.get(entry.surface);
    if (earlier) {
      if (earlier.label !== entry.label) {
        report('warning', 'gazetteer-duplicate', label.column, `"${entry.surface}" is also listed as ${earlier.label} on line ${earlier.line}; the first line wins (${earlier.label}), this one is ignored`);
      } else if (earlier.kb !== entry.kb && entry.kb !== undefined) {
        report('warning', 'gazetteer-duplicate', (kb as Cell).column, `"${entry.surface}" is listed twice as ${entry.label} with different kb ids (line ${earlier.line}: ${earlier.kb ?? 'none'}); the first line wins`);
      } else {
        report('warning', 'gazetteer-duplicate', 1, `"${entry.surface}" ${entry.label} is listed twice (first on line ${earlier.line}); this line is ignored`);
      }
      return;
    }
    first.set(entry.surface, entry);
    entries.push(entry);
  });
  return { gazetteer: { name, entries }, problems };
}

interface Cell {
  value: string;
  /** 1-based column of the cell's first character. */
  column: number;
}

function cellsOf(line: string): Cell[] {
  const out: Cell[] = [];
  let from = 0;
  for (const part of line.split('\t')) {
    const lead = part.length - part.trimStart().length;
    out.push({ value: part.trim(), column: from + lead + 1 });
    from += part.length + 1;
  }
  return out;
}

/** The header comment of a gazetteer file (what `formatGazetteer` writes first). */
export const GAZETTEER_HEADER = '# Corpus Annotator gazetteer: surface<TAB>label[<TAB>kb id], one entry a line; `#` starts a comment.';

/**
 * Writes entries as gazetteer lines (`surface⇥label[⇥kb]`), in the order given, after the
 * header and any further comment lines. A surface must not contain a tab or a line break, nor
 * start with `#`: such entries are left out (the caller checks with `isWritableSurface`).
 */
export function formatGazetteer(entries: ReadonlyArray<{ surface: string; label: string; kb?: string }>, comments: readonly string[] = []): string {
  const lines = [GAZETTEER_HEADER, ...comments.map((c) => `# ${c}`.trimEnd())];
  for (const e of entries) {
    if (!isWritableSurface(e.surface)) continue;
    lines.push(e.kb !== undefined && e.kb !== '' ? `${e.surface}\t${e.label}\t${e.kb}` : `${e.surface}\t${e.label}`);
  }
  return lines.join('\n') + '\n';
}

/** Whether a surface survives a round trip through a gazetteer file. */
export function isWritableSurface(surface: string): boolean {
  return surface !== '' && surface === surface.trim() && !/[\t\r\n\u0085\u2028\u2029]/.test(surface) && !surface.startsWith('#');
}
