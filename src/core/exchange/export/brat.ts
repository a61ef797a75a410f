// brat standoff: the article as X.txt (exactly: BOM stripped, CRLF kept, so offsets are the
// sidecars' code points) and X.ann beside it:
//   T1<TAB>PER 0 6<TAB>Laftit                        an entity (one line, ids T1, T2… in text order)
//   T2<TAB>ORG 10 15;16 20<TAB>Sûreté nationale      an entity across a line break: one fragment per line
//   #1<TAB>AnnotatorNotes T1<TAB>the note            its note (line breaks become spaces: reported)
//   N1<TAB>Reference T1 wikidata:Q123<TAB>Abdelouafi Laftit   attrs.kb, and as its name attrs.canonical
//                                                   (the entity's text without one; import reads it back)
//   A1<TAB>gender T1 male                            any other attribute (name and value without spaces)
// Labels, attribute names and values, and kb ids with spaces cannot be written: reported.
import { Entity } from '../../model/model';
import { clip, DocumentOutput, ExportDocument, ExportIssue, issue } from './common';

const LINE_BREAK = /\r\n|[\n\r\u0085\u2028\u2029]/g;

/** Whether a kb id, attribute name or value fits a brat field: not empty, no spaces. */
function isBratToken(s: string): boolean {
  return s !== '' && !/\s/.test(s);
}

export function exportBrat(doc: ExportDocument, entities: readonly Entity[]): DocumentOutput {
  const text = doc.article.text;
  const o = doc.article.offsets;
  const lines: string[] = [];
  const issues: ExportIssue[] = [];
  let t = 0;
  let notes = 0;
  let refs = 0;
  let attrs = 0;
  for (const e of entities) {
    if (/\s/.test(e.label)) {
      issues.push(issue(doc, e, 'label', true, `dropped: brat entity types cannot contain spaces ("${e.label}")`));
      continue;
    }
    const id = `T${++t}`;
    // In UTF-16, so the surface is sliced straight from the text; code points only for the offsets written.
    const fragments = fragmentsOf(text, o.toUtf16(e.start), o.toUtf16(e.end));
    const surface = fragments.map(([s, en]) => text.slice(s, en)).join(' ');
    lines.push(`${id}\t${e.label} ${fragments.map(([s, en]) => `${o.toCodePoint(s)} ${o.toCodePoint(en)}`).join(';')}\t${surface}`);
    if (e.note !== undefined) {
      const flat = e.note.replace(LINE_BREAK, ' ');
      if (flat !== e.note) issues.push(issue(doc, e, 'line-break', false, `the line breaks of its note became spaces (a brat note is one line): "${clip(e.note)}"`));
      lines.push(`#${++notes}\tAnnotatorNotes ${id}\t${flat}`);
    }
    const attrEntries = Object.entries(e.attrs ?? {}).sort(([a], [b]) => (a === 'kb' ? -1 : b === 'kb' ? 1 : a < b ? -1 : a > b ? 1 : 0));
    const named = referenceNamed(e.attrs);
    for (const [k, v] of attrEntries) {
      if (k === 'kb') {
        if (!isBratToken(v)) issues.push(issue(doc, e, 'attrs', false, `its kb "${clip(v)}" is not written (a brat Reference id cannot contain spaces)`));
        else lines.push(`N${++refs}\tReference ${id} ${v}\t${named ? (e.attrs?.canonical ?? '').replace(LINE_BREAK, ' ') : surface}`);
      } else if (k === 'canonical' && named) {
        continue; // the N line's name
      } else if (!isBratToken(k) || !isBratToken(v)) {
        issues.push(issue(doc, e, 'attrs', false, `its attribute ${k}=${clip(v)} is not written (brat attribute names and values cannot contain spaces)`));
      } else {
        // "true" is a binary attribute (brat's `A1<TAB>Negated T2`, what import reads as "true")
        lines.push(v === 'true' ? `A${++attrs}\t${k} ${id}` : `A${++attrs}\t${k} ${id} ${v}`);
      }
    }
  }
  return { text, ann: lines.length ? lines.join('\n') + '\n' : '', exported: t, issues };
}

/** Whether the canonical name rides on the N line (there is one: a kb id brat can hold). */
function referenceNamed(attrs: Entity['attrs']): boolean {
  return attrs?.canonical !== undefined && attrs.canonical.trim() !== '' && attrs.kb !== undefined && isBratToken(attrs.kb);
}

/** [start, end) in UTF-16 split at line breaks, each piece trimmed of the break itself. */
function fragmentsOf(text: string, start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let from = start;
  LINE_BREAK.lastIndex = start;
  for (let m = LINE_BREAK.exec(text); m && m.index < end; m = LINE_BREAK.exec(text)) {
    if (m.index > from) out.push([from, m.index]);
    from = Math.min(end, m.index + m[0].length);
  }
  if (end > from) out.push([from, end]);
  return out.length ? out : [[start, end]];
}

/** The file names of a document in a brat collection: X.txt and X.ann (X.txt's `.txt` replaced). */
export function bratNames(relPath: string): { txt: string; ann: string } {
  const stem = relPath.endsWith('.txt') ? relPath.slice(0, -4) : relPath;
  return { txt: `${stem}.txt`, ann: `${stem}.ann` };
}

/** annotation.conf for the collection: the entity types and attributes used, so brat shows them. */
export function bratConf(labels: Iterable<string>, attrValues: ReadonlyMap<string, ReadonlySet<string>>): string {
  const attrLines = [...attrValues].sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, vs]) => (vs.size === 1 && vs.has('true') ? `${k}\tArg:<ENTITY>` : `${k}\tArg:<ENTITY>, Value:${[...vs].sort().join('|')}`));
  return ['[entities]', ...labels, '', '[relations]', '', '[events]', '', '[attributes]', ...attrLines, ''].join('\n');
}

/** Attribute values written for each name (not kb), to declare in annotation.conf. */
export function collectBratAttrs(entities: readonly Entity[], into: Map<string, Set<string>>): void {
  for (const e of entities) {
    for (const [k, v] of Object.entries(e.attrs ?? {})) {
      if (k === 'kb' || (k === 'canonical' && referenceNamed(e.attrs)) || !isBratToken(k) || !isBratToken(v)) continue; // what exportBrat writes as an A line
      let set = into.get(k);
      if (!set) into.set(k, (set = new Set()));
      set.add(v);
    }
  }
}
