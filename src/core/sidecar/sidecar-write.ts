// The canonical sidecar writer. Byte-for-byte deterministic: the same model always gives the
// same bytes, each entity is exactly one line, so adding, removing or relabelling one entity
// changes exactly one line of a git diff, and two annotators' additions merge cleanly.
import { compareEntities, cmp, Entity, Sidecar } from '../model/model';

export const SIDECAR_HEADER =
  '# Corpus Annotator sidecar. Offsets are Unicode code points, end-exclusive. Check with: corpus-annotator validate';

/** Writes a sidecar in canonical form. Entities are sorted; the input is not modified. */
export function writeSidecar(s: Sidecar): string {
  const lines = [
    SIDECAR_HEADER,
    `version: ${s.version}`,
    `document: ${scalar(s.document)}`,
  ];
  if (s.sha256 !== undefined) lines.push(`sha256: ${scalar(s.sha256)}`);
  lines.push(`status: ${scalar(s.status)}`);
  const entities = [...s.entities].sort(compareEntities);
  if (entities.length === 0) {
    lines.push('entities: []');
  } else {
    lines.push('entities:');
    for (const e of entities) lines.push(entityLine(e));
  }
  return lines.join('\n') + '\n';
}

/** One entity as its canonical line, `  - {id: …, label: …, start: …, end: …, text: "…"}`. */
export function entityLine(e: Entity): string {
  let out = `  - {id: ${scalar(e.id)}, label: ${scalar(e.label)}, start: ${e.start}, end: ${e.end}, text: ${quoted(e.text)}`;
  if (e.note !== undefined) out += `, note: ${quoted(e.note)}`;
  if (e.attrs !== undefined) {
    const keys = Object.keys(e.attrs).sort(cmp);
    out += `, attrs: {${keys.map((k) => `${scalar(k)}: ${quoted(e.attrs?.[k] ?? '')}`).join(', ')}}`;
  }
  if (e.by !== undefined) out += `, by: ${scalar(e.by)}`;
  if (e.src !== undefined) out += `, src: ${scalar(e.src)}`;
  if (e.suggested === true) out += ', suggested: true';
  return out + '}';
}

// Plain (unquoted) only when no YAML reader, 1.2 or 1.1 (PyYAML), could take it for anything
// but this string: no booleans, nulls, numbers (1_000, 0x1F, 1e5) or dates (2026-11-23…).
// Exported for sidecar-fast-read.ts, which must accept exactly what this writes plain.
export const PLAIN = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
export const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n)$/i;
export const NUMBER_LIKE = /^(?:[0-9][0-9_]*(?:\.[0-9_]*)?(?:[eE][-+]?[0-9]+)?|0[xXoObB][0-9a-fA-F_]+|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}.*)$/;

/** A short identifier-like value: plain when safe, double-quoted otherwise. */
export function scalar(s: string): string {
  return PLAIN.test(s) && !RESERVED.test(s) && !NUMBER_LIKE.test(s) ? s : quoted(s);
}

/**
 * A YAML double-quoted string. Besides what YAML requires (quotes, backslashes, control and
 * non-printable characters), invisible characters a reviewer could not see in a diff are
 * escaped too: no-break and other special spaces, zero-width characters, bidi controls
 * (which can also make a line display in a misleading order), soft hyphens, BOMs.
 */
export function quoted(s: string): string {
  let out = '"';
  let plainFrom = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    let esc: string | undefined;
    if (c === 0x22) esc = '\\"';
    else if (c === 0x5c) esc = '\\\\';
    else if (c === 0x0a) esc = '\\n';
    else if (c === 0x09) esc = '\\t';
    else if (c === 0x0d) esc = '\\r';
    else if (needsEscape(c, s, i)) esc = '\\u' + c.toString(16).toUpperCase().padStart(4, '0');
    else if (c >= 0xd800 && c <= 0xdbff) {
      i++; // a valid surrogate pair (needsEscape caught a lone one): keep both units as they are
      continue;
    }
    if (esc !== undefined) {
      out += s.slice(plainFrom, i) + esc;
      plainFrom = i + 1;
    }
  }
  return out + s.slice(plainFrom) + '"';
}

function needsEscape(c: number, s: string, i: number): boolean {
  if (c < 0x20 || (c >= 0x7f && c <= 0xa0)) return true; // C0, DEL, C1, NBSP
  if (c < 0xad) return false;
  if (c === 0xad || c === 0x034f || c === 0x061c || c === 0x180e) return true;
  if (c >= 0x2000 && c <= 0x200f) return true; // special spaces, ZWSP, ZWNJ, ZWJ, LRM, RLM
  if (c >= 0x2028 && c <= 0x202f) return true; // line/para separators, bidi embeddings, NNBSP
  if (c >= 0x205f && c <= 0x206f) return true; // MMSP, word joiner, invisible operators, isolates
  if (c === 0x3000 || c === 0xfeff || c === 0xfffe || c === 0xffff) return true;
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = s.charCodeAt(i + 1);
    return !(d >= 0xdc00 && d <= 0xdfff);
  }
  return c >= 0xdc00 && c <= 0xdfff; // a low surrogate reached here stands alone
}
