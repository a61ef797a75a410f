// brat standoff: X.txt and X.ann. T lines are entities (code point offsets; fragments of a
// discontinuous entity are joined when only spaces and line breaks separate them), `#`
// AnnotatorNotes their notes, `N … Reference` their kb ids (attrs.kb), `A`/`M` lines their
// attributes (a binary attribute becomes "true"). Relations, events and equivalences have no
// place in a sidecar: reported, like any line that cannot be read.
// A .txt starting with a byte order mark: brat reads it with Python's "utf-8" codec, which keeps
// U+FEFF as character 0, so every offset of its .ann counts it; the article's text does not (the
// BOM is not part of it), so offsets are shifted back by one, with a note.
import { codePointLength, OffsetMap } from '../../model/offsets';
import { ImportedSpan, ImportIssue, Parsed } from './common';

/** `text`: the .txt's text; `bom`: whether the file started with a BOM (a leading U+FEFF in `text` says so too). */
export function parseBrat(text: string, ann: string, origin: string, document: string, bom = false): Parsed {
  const issues: ImportIssue[] = [];
  if (text.startsWith('\uFEFF')) {
    text = text.slice(1);
    bom = true;
  }
  const shift = bom ? 1 : 0;
  if (bom) issues.push({ origin, severity: 'warning', message: `${document} starts with a byte order mark, which brat counts as a character: its offsets were shifted back by one` });
  const offsets = new OffsetMap(text);
  const byId = new Map<string, ImportedSpan>();
  const order: string[] = [];
  const later: Array<[number, string]> = [];
  let unsupported = 0;
  const lines = ann.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${origin}:${i + 1}`;
    const kind = line[0];
    if (kind === 'T') {
      const m = /^(T\S*)\t(\S+) ([\d ;]+)(?:\t(.*))?$/.exec(line);
      // brat's offsets, less the BOM it counted (an entity starting on the BOM starts at 0)
      const frags = m?.[3]?.split(';').map((f) => f.trim().split(/ +/).map((n) => Math.max(0, Number(n) - shift)));
      if (!m || !frags || frags.some((f) => f.length !== 2 || f.some((n) => !Number.isSafeInteger(n)))) {
        issues.push({ origin: where, severity: 'error', message: `cannot read this entity line: ${line.slice(0, 80)}` });
        return;
      }
      const starts = frags.map((f) => f[0] as number);
      const ends = frags.map((f) => f[1] as number);
      const start = Math.min(...starts);
      const end = Math.max(...ends);
      if (end > offsets.codePointLength || start >= end) {
        issues.push({ origin: where, severity: 'error', message: `entity ${m[1]} (${start}-${end}) is outside the text (${offsets.codePointLength} characters)` });
        return;
      }
      if (frags.length > 1) {
        const sorted = frags.map((f) => [f[0] as number, f[1] as number]).sort((a, b) => (a[0] as number) - (b[0] as number));
        for (let k = 1; k < sorted.length; k++) {
          const gap = offsets.slice((sorted[k - 1] as number[])[1] as number, (sorted[k] as number[])[0] as number);
          if (gap.trim() !== '') {
            issues.push({ origin: where, severity: 'error', message: `entity ${m[1]} is discontinuous ("${gap.slice(0, 30)}" between its fragments): a sidecar entity is one span; not imported` });
            return;
          }
        }
      }
      const span: ImportedSpan = { start, end, label: m[2] as string };
      // brat writes the fragments' texts joined by a space: check single-fragment texts only.
      if (frags.length === 1 && m[4] !== undefined && codePointLength(m[4]) === end - start) span.text = m[4];
      byId.set(m[1] as string, span);
      order.push(m[1] as string);
      return;
    }
    if (kind === '#' || kind === 'N' || kind === 'A' || kind === 'M') later.push([i, line]);
    else if ((kind === 'R' || kind === 'E' || kind === '*') && line.includes('\t')) unsupported++;
    else issues.push({ origin: where, severity: 'error', message: `cannot read this line: ${line.slice(0, 80)}` });
  });
  for (const [i, line] of later) {
    const where = `${origin}:${i + 1}`;
    let m: RegExpExecArray | null;
    if ((m = /^#\S*\t(?:AnnotatorNotes) (T\S+)\t(.*)$/.exec(line))) {
      const span = byId.get(m[1] as string);
      if (!span) { issues.push({ origin: where, severity: 'error', message: `a note for ${m[1]}, which is not an entity here` }); continue; }
      span.note = span.note === undefined ? (m[2] as string) : `${span.note}\n${m[2] as string}`;
    } else if ((m = /^N\S*\tReference (T\S+) (\S+)(?:\t(.*))?$/.exec(line))) {
      const span = byId.get(m[1] as string);
      if (!span) { issues.push({ origin: where, severity: 'error', message: `a reference for ${m[1]}, which is not an entity here` }); continue; }
      span.attrs = { ...span.attrs };
      if (span.attrs.kb !== undefined) {
        issues.push({ origin: where, severity: 'warning', message: `${m[1]} has a second reference (${m[2]}); only the first (${span.attrs.kb}) is kept as kb` });
        continue;
      }
      span.attrs.kb = m[2] as string;
      // the name brat shows for the reference: kept as the canonical name when it is not the entity's own text
      const name = m[3]?.trim();
      if (name && name !== span.text && span.attrs.canonical === undefined) span.attrs.canonical = name;
    } else if ((m = /^[AM]\S*\t(\S+) (T\S+)(?: (\S+))?\s*$/.exec(line))) {
      const span = byId.get(m[2] as string);
      if (!span) { issues.push({ origin: where, severity: 'warning', message: `attribute ${m[1]} of ${m[2]}, which is not an entity (relation and event attributes are not imported)` }); continue; }
      span.attrs = { ...span.attrs, [m[1] as string]: m[3] ?? 'true' };
    } else {
      issues.push({ origin: where, severity: 'error', message: `cannot read this line: ${line.slice(0, 80)}` });
    }
  }
  if (unsupported) issues.push({ origin, severity: 'warning', message: `${unsupported} relation, event or equivalence line(s) not imported (a sidecar holds entities only)` });
  return { records: [{ origin, text, document, spans: order.map((id) => byId.get(id) as ImportedSpan) }], issues };
}
