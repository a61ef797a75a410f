// The fast canonical reader (src/core/sidecar-fast-read.ts) against the full YAML reader, on
// generated sidecars (fast-check, fixed seed; FC_SEED=<n> explores others, every failure prints the
// seed) and on mutations of them: whenever the fast reader returns a result it is exactly the full
// reader's, and the text is canonical; on a canonical, valid sidecar it never gives up.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Conflict, writeConflictedSidecar } from '../../src/core/merge';
import { Entity, Sidecar, STATUSES } from '../../src/core/model';
import { fastReadSidecar, parseEntityLine } from '../../src/core/sidecar-fast-read';
import { readSidecar, readSidecarFull } from '../../src/core/sidecar-read';
import { quoted, writeSidecar } from '../../src/core/sidecar-write';
import { DEMO_CORPUS } from './helpers/corpus';
import { seededProperties } from './helpers/fc';

const PROPERTIES = seededProperties(90210);
const { check } = PROPERTIES;

/** What the differential properties saw, reported at the end (and checked: both paths exercised). */
const COUNTS = { generated: 0, generatedFast: 0, generatedInvalid: 0, mutated: 0, mutatedFast: 0, mutatedFullValid: 0 };

// ---- Generators ------------------------------------------------------------------------------

/** Characters that break naive YAML writers and readers, and every escape form the writer uses. */
const NASTY = [
  '"', '\'', '\\', '\n', '\r', '\r\n', '\t', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u009f', '\u00a0', '\u00ad', '\u034f',
  '\u061c', '\u180e', '\u2000', '\u200b', '\u200d', '\u200e', '\u2028', '\u2029', '\u202e', '\u202f', '\u205f', '\u2060', '\u2066',
  '\u206f', '\u3000', '\ufeff', '\ufffe', '\uffff', '\ufffd', '\ufdd0', '😀', '𝔸', '🇲🇦', '👩‍👩‍👧', 'e\u0301', 'الرباط', '’', '«\u00a0', '\u00a0»',
  '\ud800', '\udc00', '\udbff', '\udfff', '\ud83d', '\ude00', '#', ': ', '- ', '{', '}', '[', ']', ',', '&a', '*a', '!', '|', '>', '%', '@', '`', '~',
  'null', 'true', '0x1F', '1e5', ' ', '\\u00A0', '\\n', '\\"',
];
// (fc.string's 'binary' unit builds a million-entry reverse table on first shrink: half a second.)
const anyCodePoint = fc.integer({ min: 0, max: 0x10ffff }).map((c) => String.fromCodePoint(c));
const unit = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: anyCodePoint },
  { weight: 2, arbitrary: fc.nat(0xffff).map((c) => String.fromCharCode(c)) }, // lone surrogates too
  { weight: 6, arbitrary: fc.constantFrom('a', 'Laftit', 'é', ' ', 'Rabat', 'l’Interpol', 'M. ') },
);
const nastyString = (maxLength = 10) => fc.string({ unit, maxLength });

/** Values scalar() writes plain or quotes for subtle reasons (YAML 1.1 booleans, numbers, dates). */
const TRICKY_SCALARS = [
  'true', 'False', 'NULL', 'null', '~', 'yes', 'No', 'on', 'OFF', 'y', 'N', 'Y', 'n', '1', '0', '010', '1_000', '1.', '1.5', '.5', '1e5', '1E+5', '0x1F',
  '0o17', '0b101', '0B1', '2026-11-23', '2026-1-2x', '2026-11', '-1', '+1', '_a', '.a', '-a', 'a-', 'a.b', 'a:b', 'a b', 'a#b', '', ' ', 'pattern:dates',
  'import:conll', 'manual', 'propagated', 'amina', 'Ü', 'a'.repeat(64), 'a'.repeat(65), 'x'.repeat(1100),
];
const scalarish = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...TRICKY_SCALARS) },
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.:-]{0,8}$/) },
  { weight: 1, arbitrary: nastyString(5) },
);
const idArb = fc.oneof(
  { weight: 30, arbitrary: fc.stringMatching(/^[a-z][a-z0-9]{5}$/) },
  { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.-]{1,8}$/) },
  { weight: 2, arbitrary: fc.constantFrom('true', 'null', 'y', '1e5', '0x1F', '2026-01-01', '1_000', '010', '.a', '-a', '_', 'a'.repeat(64), 'a'.repeat(65)) },
  { weight: 1, arbitrary: nastyString(4) }, // mostly invalid ids
);
const labelArb = fc.oneof(
  { weight: 20, arbitrary: fc.constantFrom('PER', 'ORG', 'LOC', 'DATE', 'EVENT', 'MISC', 'GPE', 'per') },
  { weight: 2, arbitrary: scalarish },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '\u00a0', '\ufeff', '\u2028') }, // blank: invalid
);
const offsetArb = fc.oneof(
  { weight: 40, arbitrary: fc.nat(100_000) },
  { weight: 1, arbitrary: fc.constantFrom(0, 2 ** 53 - 2, 2 ** 53 - 1, 2 ** 53, 2 ** 53 + 2, 1e21, -1, 1.5, -0) },
);
const lengthArb = fc.oneof({ weight: 40, arbitrary: fc.integer({ min: 1, max: 80 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -1) });

const entityArb: fc.Arbitrary<Entity> = fc.record({
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

const SHA = fc.oneof(
  { weight: 20, arbitrary: fc.stringMatching(/^[0-9a-f]{64}$/) },
  { weight: 2, arbitrary: fc.constantFrom('0'.repeat(64), '0b' + 'a'.repeat(62), '0x' + '1'.repeat(62), '1'.repeat(30) + 'e' + '2'.repeat(33)) },
  { weight: 1, arbitrary: fc.constantFrom('A'.repeat(64), 'a'.repeat(63), '', 'null') }, // invalid
);

const sidecarArb: fc.Arbitrary<Sidecar> = fc.record({
  version: fc.oneof({ weight: 40, arbitrary: fc.constant(1) }, { weight: 1, arbitrary: fc.constantFrom(0, 2) }),
  document: fc.oneof(fc.constantFrom('002_60ac6a68424218b9.txt', 'a.txt', 'true', '2026-11-23.txt', ''), nastyString(8)),
  sha256: SHA,
  status: fc.oneof({ weight: 40, arbitrary: fc.constantFrom(...STATUSES) }, { weight: 1, arbitrary: fc.constantFrom('Done', 'finished', '') as unknown as fc.Arbitrary<Sidecar['status']> }),
  entities: fc.oneof(
    { weight: 12, arbitrary: fc.uniqueArray(entityArb, { selector: (e) => e.id, maxLength: 6 }) },
    { weight: 1, arbitrary: fc.array(entityArb, { maxLength: 4 }) }, // duplicate ids possible
  ),
}, { requiredKeys: ['version', 'document', 'status', 'entities'] });

interface Mutation { kind: 'replace' | 'insert' | 'delete' | 'swapLines' | 'dupLine' | 'dropLine' | 'inText'; at: number; text: string }
const MUTATION_TEXT = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 3, arbitrary: fc.constantFrom('a', 'é', 'Q', ' ', '’', '😀', '«', '\\"') },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'True', ', suggested: true', 'suggested') },
  { weight: 4, arbitrary: fc.constantFrom('a', 'Z', '0', '1', '9', '_', '.', '-', ' ', ',', ':', '{', '}', '"', '\\', 'u', 'A', 'F', 'x', 'e', '\n', '  - ', '\\u00', '\\uD800', '\\uDC00', '\\u00a0', '\\t') },
  { weight: 1, arbitrary: anyCodePoint },
);
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'replace', 'insert', 'insert', 'delete', 'delete', 'swapLines', 'dupLine', 'dropLine', 'inText', 'inText', 'inText'),
  at: fc.nat(),
  text: MUTATION_TEXT,
});

function mutate(text: string, m: Mutation): string {
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

// ---- The differential check -------------------------------------------------------------------

/**
 * The contract: a fast result is the full reader's result and the text is canonical; no fast
 * result only when the full reader finds a problem or the text is not canonical. Says whether
 * the fast reader answered and whether the full reader found the sidecar valid.
 */
function differential(text: string, fullWhenRefused = true): { fast: boolean; valid?: boolean } {
  const fast = fastReadSidecar(text);
  if (fast === undefined && !fullWhenRefused) return { fast: false };
  const full = readSidecarFull(text);
  const valid = full.sidecar !== undefined && full.problems.length === 0;
  const canonical = valid && writeSidecar(full.sidecar as Sidecar) === text;
  if (fast === undefined) {
    assert.ok(!canonical, `the fast reader gave up on a canonical, valid sidecar:\n${text}`);
    return { fast: false, valid };
  }
  assert.deepEqual(fast, full, `fast and full readers disagree on:\n${text}`);
  assert.ok(canonical, `the fast reader accepted a text that is not canonical:\n${text}`);
  return { fast: true, valid };
}

describe(`fast canonical sidecar reader (fast-check, ${PROPERTIES.title})`, function () {
  this.timeout(60_000);

  after(function () {
    // Reported so a reader of the test log sees how much each path was exercised.
    console.log(`      differential cases: ${COUNTS.generated} generated sidecars (${COUNTS.generatedFast} read by the fast path, ${COUNTS.generatedInvalid} invalid),`
      + ` ${COUNTS.mutated} mutated texts (${COUNTS.mutatedFast} read by the fast path; of those the full reader also read, ${COUNTS.mutatedFullValid} valid)`);
  });

  it('reads every demo sidecar exactly as the full reader does', () => {
    const files = fs.readdirSync(DEMO_CORPUS).filter((f) => f.endsWith('.ann.yaml'));
    assert.equal(files.length, 5);
    for (const f of files) {
      const text = fs.readFileSync(path.join(DEMO_CORPUS, f), 'utf8');
      assert.ok(differential(text).fast, `${f} takes the fast path`);
      assert.deepEqual(readSidecar(text), readSidecarFull(text));
      assert.deepEqual(readSidecar(text.replace('entities:\n', 'entities: # sorted\n')), readSidecarFull(text), 'the full reader, when not canonical');
    }
  });

  it('equals the full reader on generated sidecars, valid or not, and never gives up on a valid one', () => {
    check(fc.property(sidecarArb, (model) => {
      const r = differential(writeSidecar(model));
      COUNTS.generated++;
      if (r.fast) COUNTS.generatedFast++;
      if (!r.valid) COUNTS.generatedInvalid++;
    }), 2000);
    assert.ok(COUNTS.generatedFast > 1000, `only ${COUNTS.generatedFast} generated sidecars took the fast path`);
    assert.ok(COUNTS.generatedInvalid > 150, `only ${COUNTS.generatedInvalid} generated sidecars were invalid`);
  });

  it('on mutated sidecars (a character changed, removed or inserted; lines swapped, doubled, dropped), either equals the full reader or gives up', () => {
    const demo = fs.readdirSync(DEMO_CORPUS).filter((f) => f.endsWith('.ann.yaml')).map((f) => fs.readFileSync(path.join(DEMO_CORPUS, f), 'utf8'));
    const source = fc.oneof(
      { weight: 5, arbitrary: sidecarArb.map(writeSidecar) },
      // Demo sidecars, cut to a few lines around a random place so the full reader stays quick.
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...demo), fc.nat()).map(([t, n]) => excerpt(t, n)) },
    );
    // The full reader is slow (≈0.3 ms here): it runs on every text the fast reader accepts, and
    // on one refused text in four, to check that a refusal is never of a canonical, valid text.
    check(fc.property(source, fc.array(mutationArb, { minLength: 1, maxLength: 2 }), (text, mutations) => {
      let t = text;
      for (const m of mutations) t = mutate(t, m);
      const r = differential(t, COUNTS.mutated % 4 === 0);
      COUNTS.mutated++;
      if (r.fast) COUNTS.mutatedFast++;
      if (r.valid) COUNTS.mutatedFullValid++;
    }), 4000);
    // Both outcomes must be common for the property to mean anything.
    assert.ok(COUNTS.mutatedFast > 400, `only ${COUNTS.mutatedFast} mutated texts took the fast path`);
    assert.ok(COUNTS.mutated - COUNTS.mutatedFast > 1000, 'too few mutated texts were refused');
  });

  it('gives up on a merge conflict section, git conflict markers, CRLF, a BOM, comments, block style', () => {
    const e: Entity = { id: 'k3f9a2', label: 'PER', start: 0, end: 6, text: 'Laftit' };
    const model: Sidecar = { version: 1, document: 'a.txt', status: 'todo', entities: [e] };
    const text = writeSidecar(model);
    assert.ok(fastReadSidecar(text));
    const conflict: Conflict = { id: 'k3f9a2', reason: 'relabelled differently', ours: [{ ...e, label: 'ORG' }], theirs: [{ ...e, label: 'LOC' }] };
    const variants = [
      writeConflictedSidecar(model, [conflict]),
      text.replace('entities:\n', 'entities:\n<<<<<<< ours\n') + '=======\n>>>>>>> theirs\n',
      text.replace(/\n/g, '\r\n'),
      '\ufeff' + text,
      text + '# a comment\n',
      text.replace('status: todo', 'status: todo # started'),
      text.replace('  - {id: k3f9a2, label: PER, start: 0, end: 6, text: "Laftit"}', '  - id: k3f9a2\n    label: PER\n    start: 0\n    end: 6\n    text: "Laftit"'),
      text.replace('text: "Laftit"', "text: 'Laftit'"),
      text.replace('text: "Laftit"', 'text: Laftit'),
      text.replace('id: k3f9a2', 'id: "k3f9a2"'),
      text.replace('start: 0', 'start: 00'),
      text.slice(0, -1),
      text + '\n',
      text.replace('entities:\n', 'entities:\n\n'),
    ];
    for (const v of variants) {
      assert.equal(fastReadSidecar(v), undefined, v);
      differential(v);
    }
  });

  it('decodes every escape the writer uses, and only those: each UTF-16 unit alone, raw and escaped', () => {
    // Exhaustive over the BMP: the line the writer makes for a one-unit text reads back to it;
    // the other spelling (raw where the writer escapes, \uXXXX where it does not, lower-case hex)
    // is refused.
    const line = (inner: string) => `  - {id: a, label: L, start: 0, end: 1, text: "${inner}"}\n`;
    const textOf = (inner: string) => parseEntityLine(line(inner), 0)?.entity.text;
    for (let c = 0; c <= 0xffff; c++) {
      const s = String.fromCharCode(c);
      const canonical = quoted(s).slice(1, -1);
      assert.equal(textOf(canonical), s, `U+${c.toString(16)} as ${canonical}`);
      const hex = c.toString(16).toUpperCase().padStart(4, '0');
      for (const other of [s, `\\u${hex}`, `\\u${hex.toLowerCase()}`]) {
        if (other !== canonical) assert.equal(textOf(other), undefined, `U+${c.toString(16)} written ${JSON.stringify(other)}`);
      }
    }
    // Surrogate pairs: raw is canonical; two escapes, or one escaped half, are not.
    assert.equal(textOf('😀'), '😀');
    for (const v of ['\\uD83D\\uDE00', '\\uD83D\ude00', '\ud83d\\uDE00']) assert.equal(textOf(v), undefined, v);
    // Lone halves next to other escapes and pairs.
    for (const s of ['\ud800\ud800\udc00', '\udc00\udc00', '\ud800"\udc00', '\\\ud800', '\ud800\n\udc00', 'a\udfff😀\ud83d']) {
      assert.equal(textOf(quoted(s).slice(1, -1)), s, JSON.stringify(s));
    }
  });

  it('matches the full reader on large canonical sidecars (one entity per line, line numbers)', () => {
    const entities: Entity[] = [];
    for (let i = 0; i < 2000; i++) {
      entities.push({ id: `e${i.toString(36).padStart(5, '0')}`, label: ['PER', 'ORG', 'LOC'][i % 3] as string, start: i * 10, end: i * 10 + 5, text: `t${i}"\u00a0é😀`, ...(i % 7 === 0 ? { attrs: { kb: `Q${i}` } } : {}), by: 'amina', src: 'manual' });
    }
    const text = writeSidecar({ version: 1, document: 'big.txt', sha256: 'f'.repeat(64), status: 'done', entities });
    const fast = fastReadSidecar(text);
    assert.ok(fast);
    assert.deepEqual(fast, readSidecarFull(text));
    assert.equal(fast.entityLines.get('e00000'), 7);
    assert.equal(fast.entityLines.get(entities[1999]?.id as string), 2006);
  });
});

/** A few consecutive lines of a demo sidecar (the header kept), so the full reader stays quick. */
function excerpt(text: string, n: number): string {
  const lines = text.split('\n');
  const first = lines.indexOf('entities:') + 1;
  const entityCount = lines.length - 1 - first;
  const from = first + (n % Math.max(1, entityCount - 4));
  return [...lines.slice(0, first), ...lines.slice(from, from + 4), ''].join('\n');
}
