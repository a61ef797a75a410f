// Generated sidecars for the differential tests of the readers (sidecar-fast-read.test.ts,
// sidecar-segmented-read.test.ts): nasty strings, tricky scalars, entities and whole models, and
// mutations of their text.
import fc from 'fast-check';
import { Entity, Sidecar, STATUSES } from '../../../src/core/model/model';

/** Characters that break naive YAML writers and readers, and every escape form the writer uses. */
export const NASTY = [
  '"', '\'', '\\', '\n', '\r', '\r\n', '\t', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f', '\u00a0', '\u00ad', '\u034f',
  '\u061c', '\u180e', '\u2000', '\u200b', '\u200d', '\u200e', '\u2028', '\u2029', '\u202e', '\u202f', '\u205f', '\u2060', '\u2066',
  '\u206f', '\u3000', '\ufeff', '\ufffe', '\uffff', '\ufffd', '\ufdd0', '😀', '𝔸', '🇲🇦', '👩‍👩‍👧', 'e\u0301', 'الرباط', '’', '«\u00a0', '\u00a0»',
  '\ud800', '\udc00', '\udbff', '\udfff', '\ud83d', '\ude00', '#', ': ', '- ', '{', '}', '[', ']', ',', '&a', '*a', '!', '|', '>', '%', '@', '`', '~',
  'null', 'true', '0x1F', '1e5', ' ', '\\u00A0', '\\n', '\\"',
];
// (fc.string's 'binary' unit builds a million-entry reverse table on first shrink: half a second.)
export const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
export const unit = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: anyCodePoint },
  { weight: 2, arbitrary: fc.nat(0xffff).map((c) => String.fromCharCode(c)) }, // lone surrogates too
  { weight: 6, arbitrary: fc.constantFrom('a', 'Laftit', 'é', ' ', 'Rabat', 'l’Interpol', 'M. ') },
);
export const nastyString = (maxLength = 10) => fc.string({ unit, maxLength });

/** Values scalar() writes plain or quotes for subtle reasons (YAML 1.1 booleans, numbers, dates). */
export const TRICKY_SCALARS = [
  'true', 'False', 'NULL', 'null', '~', 'yes', 'No', 'on', 'OFF', 'y', 'N', 'Y', 'n', '1', '0', '010', '1_000', '1.', '1.5', '.5', '1e5', '1E+5', '0x1F',
  '0o17', '0b101', '0B1', '2026-11-23', '2026-1-2x', '2026-11', '-1', '+1', '_a', '.a', '-a', 'a-', 'a.b', 'a:b', 'a b', 'a#b', '', ' ', 'pattern:dates',
  'import:conll', 'manual', 'propagated', 'amina', 'Ü', 'a'.repeat(64), 'a'.repeat(65), 'x'.repeat(1100),
];
export const scalarish = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY_SCALARS) },
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,8}$/) },
  { weight: 1, arbitrary: nastyString(5) },
);
export const idArb = fc.oneof(
  { weight: 30, arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{5}$/) },
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/) },
  { weight: 2, arbitrary: fc.constantFrom('true', 'null', 'y', '1e5', '0x1F', '2026-01-01', '1_000', '010', '.a', '-a', '_', 'a'.repeat(64), 'a'.repeat(65)) },
  { weight: 1, arbitrary: nastyString(4) }, // mostly invalid ids
);
export const labelArb = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('PER', 'ORG', 'LOC', 'DATE', 'EVENT', 'MISC', 'GPE', 'per') },
  { weight: 2, arbitrary: scalarish },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u00a0', '\ufeff', '\u2028') }, // blank: invalid
);
export const offsetArb = fc.oneof(
  { weight: 40, arbitrary: fc.nat(100_000) },
  { weight: 1, arbitrary: fc.constantFrom(0, 2 ** 53 - 2, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1e21, -1, 1.5, -0) },
);
export const lengthArb = fc.oneof({ weight: 40, arbitrary: fc.integer({ min: 1, max: 80 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1) });

export const entityArb: fc.Arbitrary<Entity> = fc.record({
  id: idArb,
  label: labelArb,
  start: offsetArb,
  length: lengthArb,
  text: nastyString(12),
  note: nastyString(),
  attrs: fc.dictionary(scalarish, nastyString(6), { maxKeys: 3, noNullPrototype: true }),
  by: scalarish,
  src: scalarish,
  suggested: fc.constant(true as const),
}, { requiredKeys: ['id', 'label', 'start', 'length', 'text'] }).map(({ length, ...e }) => ({ ...e, end: e.start + length }) as Entity);

export const SHA = fc.oneof(
  { weight: 20, arbitrary: fc.stringMatching(/^[0-9a-f]{64}$/) },
  { weight: 2, arbitrary: fc.constantFrom('0'.repeat(64), '0b' + 'a'.repeat(62), '0x' + '1'.repeat(62), '1'.repeat(30) + 'e' + '2'.repeat(33)) },
  { weight: 1, arbitrary: fc.constantFrom('A'.repeat(64), 'a'.repeat(63), '', 'null') }, // invalid
);

export const sidecarArb: fc.Arbitrary<Sidecar> = fc.record({
  version: fc.oneof({ weight: 40, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, 2) }),
  document: fc.oneof(fc.constantFrom('002_60ac6a68424218b9.txt', 'a.txt', 'true', '2026-11-23.txt', ''), nastyString(8)),
  sha256: SHA,
  status: fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...STATUSES) }, { weight: 1, arbitrary: fc.constantFrom('Done', 'finished', '') as unknown as fc.Arbitrary<Sidecar['status']> }),
  entities: fc.oneof(
    { weight: 12, arbitrary: fc.uniqueArray(entityArb, { selector: (e) => e.id, maxLength: 6 }) },
    { weight: 1, arbitrary: fc.array(entityArb, { maxLength: 4 }) }, // duplicate ids possible
  ),
}, { requiredKeys: ['version', 'document', 'status', 'entities'] });

export interface Mutation { kind: 'replace' | 'insert' | 'delete' | 'swapLines' | 'dupLine' | 'dropLine' | 'inText'; at: number; text: string }
export const MUTATION_TEXT = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.constantFrom('a', 'é', 'Q', ' ', '’', '😀', '«', '\\"') },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'True', ', suggested: true', 'suggested') },
  { weight: 4, arbitrary: fc.constantFrom('a', 'Z', '0', '1', '9', '_', '.', '-', ' ', ',', ':', '{', '}', '"', '\\', 'u', 'A', 'F', 'x', 'e', '\n', '  - ', '\\u00', '\\uD800', '\\uDC00', '\\u00a0', '\\t') },
  { weight: 1, arbitrary: anyCodePoint },
);
export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'replace', 'insert', 'insert', 'delete', 'delete', 'swapLines', 'dupLine', 'dropLine', 'inText', 'inText', 'inText'),
  at: fc.nat(),
  text: MUTATION_TEXT,
});

export function mutate(text: string, m: Mutation): string {
  if (m.kind === 'swapLines' || m.kind === 'dupLine' || m.kind === 'dropLine') {
    const lines = text.split('\n');
    const i = m.at % lines.length;
    if (m.kind === 'swapLines' && i + 1 < lines.length) [lines[i], lines[i + 1]] = [lines[i + 1] as string, lines[i] as string];
    if (m.kind === 'dupLine') lines.splice(i, 0, lines[i] as string);
    if (m.kind === 'dropLine') lines.splice(i, 1);
    return lines.join('\n');
  }
  if (m.kind === 'inText') {
    // Inside an entity's text, where a change most often leaves the sidecar canonical.
    const starts = [...text.matchAll(/text: "/g)].map((x) => (x.index as number) + 7);
    const at = starts.length ? (starts[m.at % starts.length] as number) : 0;
    return text.slice(0, at) + m.text + text.slice(at);
  }
  const at = m.at % (text.length + 1);
  if (m.kind === 'insert') return text.slice(0, at) + m.text + text.slice(at);
  if (m.kind === 'delete') return text.slice(0, at) + text.slice(at + 1 + (m.at % 3));
  return text.slice(0, at) + m.text + text.slice(at + m.text.length);
}

