// Property-based tests (fast-check): generated inputs, a fixed seed by default so every CI run
// checks the same cases (FC_SEED=<n> to explore others or reproduce a failure), and the seed in
// every failure message. About 11 000 generated cases in all; a few seconds.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { Entity, Sidecar, STATUSES } from '../../src/core/model/model';
import { codePointLength, OffsetMap } from '../../src/core/model/offsets';
import { reanchor } from '../../src/core/review/reanchor';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { trackChanges } from '../../src/core/text/track';
import { seededProperties } from './helpers/fc';

const PROPERTIES = seededProperties(20261123);
const { check } = PROPERTIES;

// ---- Generators ------------------------------------------------------------------------------

/** Characters that break naive YAML writers, offset code and displays. */
const NASTY = [
  '"', '\'', '\\', '\n', '\r', '\r\n', '\t', '\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u00a0', '\u00ad', '\u200b', '\u200d',
  '\u200e', '\u202e', '\u2028', '\u2066', '\u2069', '\u202f', '\ufeff', '\ufffe', '😀', '𝔸', '🇲🇦', '👩‍👩‍👧', 'e\u0301', 'الرباط', 'ש',
  '\ud800', '\udc00', '\udbff', '#', ': ', '- ', '{', '}', '[', ']', ',', '&a', '*a', '!', '|', '>', '%', '@', '`', '~', 'null', 'true', '0x1F', '1e5', ' ',
];
const unit = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY) },
  { weight: 4, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
  { weight: 2, arbitrary: fc.nat(0xffff).map((c) => String.fromCharCode(c)) }, // lone surrogates too
  { weight: 3, arbitrary: fc.constantFrom('a', 'Laftit', 'é', ' ') },
);
const nastyString = (maxLength = 12) => fc.string({ unit, maxLength });

const entityArb: fc.Arbitrary<Entity> = fc.record({
  id: fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/),
  label: nastyString(6).filter((s) => s.trim() !== ''),
  start: fc.nat(1_000_000),
  length: fc.integer({ min: 1, max: 1000 }),
  text: nastyString(),
  note: nastyString(),
  attrs: fc.dictionary(nastyString(5), nastyString(), { maxKeys: 3, noNullPrototype: true }),
  by: nastyString(5),
  src: nastyString(5),
  suggested: fc.constant(true as const),
}, { requiredKeys: ['id', 'label', 'start', 'length', 'text'] }).map(({ length, ...e }) => ({ ...e, end: e.start + length }) as Entity);

const sidecarArb: fc.Arbitrary<Sidecar> = fc.record({
  version: fc.constant(1),
  document: nastyString(),
  sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
  status: fc.constantFrom(...STATUSES),
  entities: fc.uniqueArray(entityArb, { selector: (e) => e.id, maxLength: 6 }),
}, { requiredKeys: ['version', 'document', 'status', 'entities'] });

/** Drops keys whose value is undefined (the reader sets `sha256: undefined` when there is none). */
function clean(s: Sidecar): Sidecar {
  const out = { ...s } as Record<string, unknown>;
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out as unknown as Sidecar;
}

function sorted(s: Sidecar): Sidecar {
  return { ...s, entities: [...s.entities].sort((a, b) => a.start - b.start || a.end - b.end || cmp(a.label, b.label) || cmp(a.id, b.id)) };
}
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Article-like texts from a small vocabulary, so that quotes repeat and edits create near-misses. */
const PIECES = ['Laftit', 'Rabat', 'Hammouchi', 'Hammouchy', 'Interpol', '2026', 'M. ', ' ', ' ', '. ', ', ', '\n', '\r\n', 'é', 'e\u0301', '😀', '𝔸', 'ab', 'le ministre ', 'الرباط', '\u00a0'];
const textArb = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((a) => a.join(''));

interface Edit { at: number; del: number; ins: string }
const editsArb = fc.array(fc.record({ at: fc.nat(), del: fc.nat(12), ins: fc.array(fc.constantFrom(...PIECES), { maxLength: 3 }).map((a) => a.join('')) }), { maxLength: 4 });

/** Spans of the text (code points) to annotate, each with the text it covers. */
function entitiesOf(text: string, spans: Array<[number, number]>): Entity[] {
  const cps = [...text];
  const out: Entity[] = [];
  spans.forEach(([a, b], i) => {
    if (cps.length === 0) return;
    const s = a % cps.length;
    const e = Math.min(cps.length, s + 1 + (b % 12));
    out.push({ id: `e${i}`, label: i % 3 === 0 ? 'LOC' : 'PER', start: s, end: e, text: cps.slice(s, e).join('') });
  });
  return out;
}
const spansArb = fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 8 });

/**
 * Applies edits (each at code point `at` of the text as it is then), returning the new text
 * and the same edits as non-overlapping changes of the ORIGINAL text, as trackChanges wants.
 */
function applyEdits(text: string, edits: readonly Edit[]): { text: string; changes: Array<{ start: number; end: number; insertedLength: number }> } {
  // Non-overlapping changes of the original, built in ascending order.
  const cps = [...text];
  const changes: Array<{ start: number; end: number; ins: string }> = [];
  let cursor = 0;
  for (const e of edits) {
    if (cursor > cps.length) break;
    const start = cursor + (e.at % (cps.length - cursor + 1));
    const end = Math.min(cps.length, start + e.del);
    if (start === end && e.ins === '') continue;
    changes.push({ start, end, ins: e.ins });
    cursor = end + 1; // strictly after: two insertions never share a position
  }
  for (const c of [...changes].reverse()) cps.splice(c.start, c.end - c.start, ...c.ins);
  return { text: cps.join(''), changes: changes.map((c) => ({ start: c.start, end: c.end, insertedLength: codePointLength(c.ins) })) };
}

describe(`properties (fast-check, ${PROPERTIES.title})`, function () {
  this.timeout(60_000);

  after(() => {
    assert.ok(PROPERTIES.runs >= 10_000, `only ${PROPERTIES.runs} generated cases`);
  });

  describe('OffsetMap, the code point ↔ UTF-16 converter', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ unit: fc.nat(0xffff).map((c) => String.fromCharCode(c)), maxLength: 60 }), // lone surrogates
      fc.string({ unit, maxLength: 30 }),
    );

    it('agrees with Python-style code point indexing on any string, and round-trips', () => {
      check(fc.property(anyText, (text) => {
        const map = new OffsetMap(text);
        const cps = [...text];
        assert.equal(map.codePointLength, cps.length);
        assert.equal(codePointLength(text), cps.length);
        let u = 0;
        for (let cp = 0; cp <= cps.length; cp++) {
          assert.equal(map.toUtf16(cp), u);
          assert.equal(map.toCodePoint(u), cp);
          if (cp < cps.length) {
            const len = (cps[cp] as string).length;
            if (len === 2) assert.equal(map.toCodePoint(u + 1), cp, 'inside a pair rounds down');
            u += len;
          }
        }
        assert.equal(map.toUtf16(cps.length + 5), text.length);
        assert.equal(map.toCodePoint(text.length + 5), cps.length);
      }), 2500);
    });

    it('slices like text[start:end] for any start ≤ end', () => {
      check(fc.property(anyText, fc.nat(), fc.nat(), (text, a, b) => {
        const cps = [...text];
        const s = a % (cps.length + 1);
        const e = s + (b % (cps.length - s + 1));
        assert.equal(new OffsetMap(text).slice(s, e), cps.slice(s, e).join(''));
      }), 1500);
    });
  });

  describe('the sidecar reader and canonical writer', () => {
    it('read(write(model)) is the model, for hostile texts, labels, notes, attributes', () => {
      check(fc.property(sidecarArb, (model) => {
        const text = writeSidecar(model);
        const r = readSidecar(text);
        assert.deepEqual(r.problems, []);
        assert.deepEqual(clean(r.sidecar as Sidecar), sorted(model));
        // one line per entity, whatever the texts hold
        assert.equal(text.split('\n').filter((l) => l.startsWith('  - {')).length, model.entities.length);
      }), 1500);
    });

    it('write(read(f)) is f for a canonical file, and any other YAML spelling reads to the same model', () => {
      check(fc.property(sidecarArb, (model) => {
        const f = writeSidecar(model);
        assert.equal(writeSidecar(readSidecar(f).sidecar as Sidecar), f);
        // Block style, keys in the model's order. (Strings double-quoted: the yaml package's own
        // block scalars lose a line of spaces, e.g. " \n" as `|+`, which is its bug, not ours.)
        const blockStyle = stringify(model, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
        const r = readSidecar(blockStyle);
        assert.deepEqual(r.problems, [], blockStyle);
        assert.equal(writeSidecar(r.sidecar as Sidecar), f);
      }), 1000);
    });
  });

  describe('live tracking of text edits (track.ts)', () => {
    it('keeps every surviving entity\'s text equal to the article\'s [start, end), and loses none silently', () => {
      check(fc.property(textArb, spansArb, editsArb, (text, spans, edits) => {
        const entities = entitiesOf(text, spans);
        const next = applyEdits(text, edits);
        const map = new OffsetMap(next.text);
        const r = trackChanges(entities, next.changes, (s, e) => map.slice(s, e));
        for (const e of r.entities) {
          assert.ok(e.start < e.end && e.end <= map.codePointLength, `${e.id} ${e.start}-${e.end}`);
          assert.equal(map.slice(e.start, e.end), e.text, e.id);
        }
        const ids = [...r.entities, ...r.removed].map((e) => e.id).sort();
        assert.deepEqual(ids, entities.map((e) => e.id).sort());
        // An entity no change touched keeps its text; only adjusted ones get a new one.
        const adjusted = new Set(r.adjusted.map((e) => e.id));
        for (const e of r.entities) if (!adjusted.has(e.id)) assert.equal(e.text, (entities.find((x) => x.id === e.id) as Entity).text);
      }), 2000);
    });
  });

  describe('re-anchoring', () => {
    it('never returns an entity whose text is not its quote unless flagged fuzzy; each entity reported exactly once', () => {
      check(fc.property(textArb, spansArb, editsArb, fc.boolean(), (text, spans, edits, withOld) => {
        const entities = entitiesOf(text, spans);
        const next = applyEdits(text, edits);
        const r = reanchor(entities, next.text, withOld ? { oldText: text } : {});
        const map = new OffsetMap(next.text);
        const fuzzy = new Map(r.moved.filter((m) => m.how === 'fuzzy').map((m) => [m.entity.id, m]));
        const original = new Map(entities.map((e) => [e.id, e]));
        for (const e of r.entities) {
          const before = original.get(e.id) as Entity;
          assert.equal(map.slice(e.start, e.end), e.text, `${e.id} says «${e.text}»`);
          if (fuzzy.has(e.id)) {
            assert.equal(fuzzy.get(e.id)?.previousText, before.text);
            assert.notEqual(e.text, before.text);
          } else assert.equal(e.text, before.text, `${e.id} moved without being flagged fuzzy`);
          assert.deepEqual({ ...e, start: 0, end: 0, text: '' }, { ...before, start: 0, end: 0, text: '' }, 'only offsets and text change');
        }
        const ids = [...r.entities.map((e) => e.id), ...r.ambiguous.map((a) => a.entity.id), ...r.orphans.map((e) => e.id)].sort();
        assert.deepEqual(ids, entities.map((e) => e.id).sort());
        // Never two entities of one label on one span, unless they already were.
        const key = (e: Entity) => `${e.label}:${e.start}-${e.end}`;
        const dupBefore = entities.length - new Set(entities.map(key)).size;
        assert.ok(r.entities.length - new Set(r.entities.map(key)).size <= dupBefore);
        // Unchanged text: everything stays.
        if (next.text === text) assert.deepEqual(r.entities.map((e) => e.id).sort(), entities.map((e) => e.id).sort());
      }), 2500);
    });

    it('survives nonsense entities (offsets past the end, empty or huge texts) without throwing', () => {
      check(fc.property(fc.string({ unit, maxLength: 40 }), fc.array(entityArb, { maxLength: 5 }), (text, entities) => {
        const r = reanchor(entities, text, { budget: 200_000 });
        const map = new OffsetMap(text);
        for (const e of r.entities) assert.equal(map.slice(e.start, e.end), e.text);
        assert.equal(r.entities.length + r.ambiguous.length + r.orphans.length, entities.length);
      }), 500);
    });
  });
});
