// The fast canonical reader (src/core/sidecar/sidecar-fast-read.ts) against the full YAML reader, on
// generated sidecars (fast-check, fixed seed; FC_SEED=<n> explores others, every failure prints the
// seed) and on mutations of them: whenever the fast reader returns a result it is exactly the full
// reader's, and the text is canonical; on a canonical, valid sidecar it never gives up.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { Conflict, writeConflictedSidecar } from '../../src/core/review/merge';
import { Entity, Sidecar } from '../../src/core/model/model';
import { fastReadSidecar, parseEntityLine } from '../../src/core/sidecar/sidecar-fast-read';
import { readSidecar, readSidecarFull } from '../../src/core/sidecar/sidecar-read';
import { quoted, writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { DEMO_CORPUS } from './helpers/corpus';
import { seededProperties } from './helpers/fc';
import { mutate, mutationArb, sidecarArb } from './helpers/sidecar-gen';

const PROPERTIES = seededProperties(90210);
const { check } = PROPERTIES;

/** What the differential properties saw, reported at the end (and checked: both paths exercised). */
const COUNTS = { generated: 0, generatedFast: 0, generatedInvalid: 0, mutated: 0, mutatedFast: 0, mutatedFullValid: 0 };

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
