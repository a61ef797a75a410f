// summariseSidecar's canonical path (fastScanSidecar: no entity objects) against its path through
// readSidecar's model (summariseSidecarRead, the previous summariseSidecar): on the demo sidecars,
// generated 100-entity sidecars like the benchmark corpus's, hand-made edge cases and fast-check
// generated and mutated sidecars, both give the same summary — same verdict, problems, counts,
// label order and mentions — with and without mentions, and leave the same strings in the pool.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { StringPool, summariseSidecar, summariseSidecarRead } from '../../src/core/corpus/corpus-index';
import { Entity, Sidecar, Status } from '../../src/core/model/model';
import { fastScanSidecar } from '../../src/core/sidecar/sidecar-fast-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { seededRandom } from '../../src/core/suggest/recommender/hash';
import { DEMO_CORPUS } from './helpers/corpus';
import { seededProperties } from './helpers/fc';
import { mutate, mutationArb, sidecarArb } from './helpers/sidecar-gen';
import { ordered } from './helpers/summary';

const PROPERTIES = seededProperties(1414);

/** Whether the text takes the canonical path (what the counts below check is exercised). */
const canonical = (text: string) => fastScanSidecar(text, () => undefined) !== undefined;

/**
 * Both paths on one text, with mentions (each its own pool: the pools must end up alike) and
 * without; says whether the text was canonical.
 */
function same(text: string, pools?: { scan: StringPool; read: StringPool }): boolean {
  const scan = pools?.scan ?? new StringPool();
  const read = pools?.read ?? new StringPool();
  const a = summariseSidecar(text, { withMentions: scan });
  const b = summariseSidecarRead(text, { withMentions: read });
  assert.deepStrictEqual(a, b, `summaries differ on:\n${text}`);
  assert.deepStrictEqual(ordered(a), ordered(b), `summaries differ (order) on:\n${text}`);
  assert.equal(scan.size, read.size, `pools differ after:\n${text}`);
  for (const l of a.mentions?.labels ?? []) assert.equal(scan.intern(l), l, 'labels are the pool\'s');
  const c = summariseSidecar(text);
  const d = summariseSidecarRead(text);
  assert.deepStrictEqual(ordered(c), ordered(d), `counts-only summaries differ on:\n${text}`);
  assert.equal(c.mentions, undefined);
  return canonical(text);
}

const SURFACES = ['Rabat', 'الرباط', 'Laftit', 'l’Interpol', '« Maroc »', '😀 Casa', 'e\u0301cole', 'M. "Alami"', 'back\\slash', 'Tab\there', 'ONU', '12 mai 2024'];
const STATUSES_USED: Status[] = ['todo', 'in-progress', 'done', 'reviewed'];

/** A 100-entity sidecar like bench/lib/corpus.mjs's: mostly plain mentions, some notes, links, suggestions. */
function generated(rand: () => number, n: number, perDocument: number): Sidecar {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const entities: Entity[] = [];
  const ids = new Set<string>();
  let at = 0;
  for (let i = 0; i < perDocument; i++) {
    let id: string;
    do id = 'abcdefghij'[Math.floor(rand() * 10)] + Math.floor(rand() * 36 ** 5).toString(36).padStart(5, '0');
    while (ids.has(id));
    ids.add(id);
    const text = pick(SURFACES);
    // Now and then a second mention on the same start (nested spans, same span other label).
    const start = rand() < 0.1 ? at : (at += 1 + Math.floor(rand() * 40));
    const e: Entity = { id, label: pick(['PER', 'ORG', 'LOC', 'DATE', 'MISC', 'GPE']), start, end: start + 1 + Math.floor(rand() * 12), text };
    const r = rand();
    if (r < 0.05) e.note = pick(['vérifier', '« ambigu » ?', 'nom d’usage "officiel"']);
    const attrs: Record<string, string>[] = [{ kb: `wikidata:Q${i}` }, { canonical: text, kb: `wikidata:Q${i}` }, { canonical: 'Rabat' }, { gender: 'f' }, { kb: 'Q1', zz: 'y' }];
    if (rand() < 0.15) e.attrs = pick(attrs);
    if (rand() < 0.9) e.by = pick(['amina', 'youssef', 'sara']);
    if (rand() < 0.8) e.src = pick(['manual', 'propagated', 'pattern:dates', 'import:conll']);
    if (rand() < 0.08) e.suggested = true;
    entities.push(e);
  }
  return { version: 1, document: `article-${n}.txt`, ...(n % 2 ? { sha256: 'a'.repeat(64) } : {}), status: pick(STATUSES_USED), entities };
}

/** Hand edits of a canonical sidecar: each either stays canonical or takes the other path. */
function variants(text: string): string[] {
  const lines = text.split('\n');
  const entityLines = lines.map((l, i) => (l.startsWith('  - {') ? i : -1)).filter((i) => i >= 0);
  const first = entityLines[0] ?? 5;
  const second = entityLines[1] ?? first;
  const edit = (i: number, f: (l: string) => string) => lines.map((l, k) => (k === i ? f(l) : l)).join('\n');
  const block = (l: string) => l.replace(/^ {2}- \{(.*)\}$/, (_, inner: string) => `  - ${inner.split(', ').join('\n    ')}`);
  return [
    text.replace(/\n/g, '\r\n'), // CRLF
    '\ufeff' + text, // BOM
    lines.slice(1).join('\n'), // no header comment
    edit(first, block), // block style (works only when no `, ` inside a value; else invalid: both paths agree)
    edit(first, (l) => l.replace('{id: ', '{ id: ')), // hand-edited spacing
    edit(first, (l) => l.replace(/label: [^,]+/, 'label: "PER"')), // quoted where the writer would not
    edit(second, (l) => l.replace(/start: (\d+), end: \d+/, 'start: $1, end: 0')), // invalid: end before start
    edit(second, (l) => l.replace(/start: \d+/, 'start: x')), // invalid: not a number
    edit(second, (l) => l.replace(/, by: [a-z]+/, ', by: ""')),
    [...lines.slice(0, second + 1), lines[second], ...lines.slice(second + 1)].join('\n'), // duplicate id (line doubled)
    [...lines.slice(0, first), lines[second], lines[first], ...lines.slice(second + 1)].join('\n'), // unsorted
    text + '# a comment\n',
    text.replace('status: ', 'status: # x\n  '),
    edit(first, (l) => l.replace('text: "', 'text: ", !tag ')), // canonical, but readSidecar reads it fully
    edit(first, (l) => l.replace('}', ', suggested: true}')),
    edit(first, (l) => l.replace('}', ', attrs: {kb: "Q1", canonical: "x"}}')), // attrs out of order
    lines.slice(0, first).join('\n') + '\n', // entities: and nothing
    lines.slice(0, first - 1).join('\n') + '\nentities: []\n', // no entities
    lines.slice(0, first - 1).join('\n') + '\nentities: [oops\n', // not YAML
    text.replace('version: 1', 'version: 2'),
    text.slice(0, -1), // no last newline
  ];
}

describe('corpus index: summarising a canonical sidecar without entity objects (differential)', function () {
  this.timeout(120_000);
  const counts = { texts: 0, canonical: 0 };
  const pools = { scan: new StringPool(), read: new StringPool() };
  const check = (text: string) => {
    counts.texts++;
    if (same(text, pools)) counts.canonical++;
  };

  after(function () {
    console.log(`      differential cases: ${counts.texts} texts, ${counts.canonical} on the canonical path; shared pools hold ${pools.scan.size} strings`);
  });

  it('gives the same summaries on the demo sidecars and their hand edits', () => {
    const files = fs.readdirSync(DEMO_CORPUS).filter((f) => f.endsWith('.ann.yaml'));
    assert.equal(files.length, 5);
    for (const f of files) {
      const text = fs.readFileSync(path.join(DEMO_CORPUS, f), 'utf8');
      check(text);
      assert.ok(canonical(text), `${f} takes the canonical path`);
      for (const v of variants(text)) check(v);
    }
  });

  it('gives the same summaries on generated 100-entity sidecars (links, notes, suggestions, emoji, Arabic) and their hand edits', () => {
    const rand = seededRandom(42);
    let canonicalEdits = 0;
    let otherEdits = 0;
    for (let n = 0; n < 40; n++) {
      const text = writeSidecar(generated(rand, n, 100));
      assert.ok(same(text), `generated sidecar ${n} takes the canonical path`);
      check(text);
      for (const v of variants(text)) {
        check(v);
        if (canonical(v)) canonicalEdits++;
        else otherEdits++;
      }
    }
    // Both paths exercised by the edits (spacing and suggestions stay canonical; CRLF, BOM… do not).
    assert.ok(canonicalEdits >= 40 && otherEdits >= 400, `${canonicalEdits} edits canonical, ${otherEdits} not`);
  });

  it('gives the same summary for a sidecar with no entities, one without a sidecar, and one that is not YAML', () => {
    const empty = writeSidecar({ version: 1, document: 'a.txt', status: 'done', entities: [] });
    assert.ok(same(empty));
    assert.equal(summariseSidecar(empty).state, 'ok');
    assert.deepStrictEqual(summariseSidecar(undefined), summariseSidecarRead(undefined));
    assert.equal(same('version: 1\nentities: [oops\n'), false);
    assert.equal(summariseSidecar('version: 1\nentities: [oops\n', { withMentions: new StringPool() }).state, 'invalid');
  });

  it('leaves nothing in the pool for a sidecar refused after its first lines were scanned (a duplicate id at the end)', () => {
    const entities: Entity[] = [
      { id: 'aaaaaa', label: 'PER', start: 0, end: 5, text: 'Amina Alaoui', attrs: { kb: 'wikidata:Q123456789' } },
      { id: 'bbbbbb', label: 'LOC', start: 10, end: 15, text: 'Rabat-Salé-Kénitra' },
    ];
    const valid = writeSidecar({ version: 1, document: 'a.txt', status: 'done', entities });
    const lines = valid.split('\n');
    const text = [...lines.slice(0, -1), lines.at(-2) as string, ''].join('\n'); // the last entity line twice
    const pool = new StringPool();
    const summary = summariseSidecar(text, { withMentions: pool });
    assert.equal(summary.state, 'invalid');
    assert.equal(pool.size, 0);
    assert.equal(same(text), false);
    summariseSidecar(valid, { withMentions: pool });
    assert.equal(pool.size, 5, 'the valid sidecar interns its two labels, two texts and kb id');
  });

  it('gives the same summaries on generated and mutated sidecars (fast-check)', () => {
    let fast = 0;
    PROPERTIES.check(fc.property(sidecarArb, fc.array(mutationArb, { maxLength: 2 }), (model, mutations) => {
      let text = writeSidecar(model);
      for (const m of mutations) text = mutate(text, m);
      counts.texts++;
      if (same(text, pools)) {
        counts.canonical++;
        fast++;
      }
    }), 1500);
    assert.ok(fast > 300, `only ${fast} generated texts took the canonical path`);
  });
});
