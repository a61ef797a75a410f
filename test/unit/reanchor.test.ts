// Re-anchoring on the seed corpus with real edits, and the rules that keep it from guessing.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { articleFromText } from '../../src/core/model/article';
import { Entity, Sidecar } from '../../src/core/model/model';
import { OffsetMap } from '../../src/core/model/offsets';
import { maxFuzzyEdits, needsReanchor, reanchor, reanchoredSidecar, ReanchorResult, settleAmbiguous } from '../../src/core/review/reanchor';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { trackChanges } from '../../src/core/text/track';
import { cpIndexOf, DEMO_CORPUS, entityAt } from './helpers/corpus';

interface Doc {
  name: string;
  text: string;
  sidecar: Sidecar;
}

function loadDocs(): Doc[] {
  return fs.readdirSync(DEMO_CORPUS).filter((f) => f.endsWith('.txt')).sort().map((name) => {
    const text = fs.readFileSync(path.join(DEMO_CORPUS, name), 'utf8');
    const parsed = readSidecar(fs.readFileSync(path.join(DEMO_CORPUS, name + '.ann.yaml'), 'utf8'));
    assert.ok(parsed.sidecar, name);
    return { name, text, sidecar: parsed.sidecar };
  });
}

const cps = (s: string) => [...s];
const cpLen = (s: string) => cps(s).length;

/**
 * Replaces code points [start, end) by `insert` and says where each entity should be: the live
 * tracker (track.ts), which knows the edit, is the oracle the blind re-anchoring must agree with.
 */
function edit(text: string, entities: readonly Entity[], start: number, end: number, insert: string) {
  const chars = cps(text);
  chars.splice(start, end - start, ...cps(insert));
  const next = chars.join('');
  const map = new OffsetMap(next);
  const tracked = trackChanges(entities, [{ start, end, insertedLength: cpLen(insert) }], (s, e) => map.slice(s, e));
  return { text: next, tracked };
}

function byId(entities: readonly Entity[]): Map<string, Entity> {
  return new Map(entities.map((e) => [e.id, e]));
}

/** Every entity the result keeps says its text truly, and none is reported twice. */
function assertSound(r: ReanchorResult, text: string, total: number): void {
  const map = new OffsetMap(text);
  for (const e of r.entities) assert.equal(map.slice(e.start, e.end), e.text, `${e.id} ${e.start}-${e.end}`);
  const ids = [...r.entities.map((e) => e.id), ...r.ambiguous.map((a) => a.entity.id), ...r.orphans.map((e) => e.id)];
  assert.equal(new Set(ids).size, ids.length, 'each entity in exactly one list');
  assert.equal(ids.length, total);
}

/** The entities land exactly where the tracker put them. */
function assertAsTracked(r: ReanchorResult, expected: readonly Entity[]): void {
  const got = byId(r.entities);
  for (const e of expected) {
    const g = got.get(e.id);
    assert.ok(g, `${e.id} (${e.label} «${e.text}») should be found at ${e.start}-${e.end}`);
    assert.deepEqual([g.start, g.end, g.text], [e.start, e.end, e.text], e.id);
  }
}

const INSERTED = 'Note de la rédaction : Laftit, Hammouchi, Interpol, le Maroc et la DGSN sont cités plus bas ; 2026 reste une date clé à Rabat et à Marrakech.\n';

describe('re-anchoring', () => {
  const docs = loadDocs();

  it('the seed corpus has five annotated articles (264 entities)', () => {
    assert.equal(docs.length, 5);
    assert.equal(docs.reduce((n, d) => n + d.sidecar.entities.length, 0), 264);
  });

  it('changes nothing when the article did not change', () => {
    for (const d of docs) {
      const r = reanchor(d.sidecar.entities, d.text);
      assert.deepEqual(r.moved, [], d.name);
      assert.deepEqual(r.orphans, []);
      assert.deepEqual(r.ambiguous, []);
      assert.equal(r.entities.length, d.sidecar.entities.length);
      assert.ok(!needsReanchor(d.sidecar, articleFromText(d.text)));
    }
  });

  for (const where of ['start', 'middle'] as const) {
    it(`finds every entity after a paragraph (naming the same entities) is inserted at the ${where}`, () => {
      for (const d of docs) {
        const lines = d.text.split('\n');
        const at = where === 'start' ? 0 : cpLen(lines.slice(0, Math.floor(lines.length / 2)).join('\n') + '\n');
        const { text, tracked } = edit(d.text, d.sidecar.entities, at, at, INSERTED);
        assert.deepEqual(tracked.removed, []);
        const r = reanchor(d.sidecar.entities, text);
        assertSound(r, text, d.sidecar.entities.length);
        assert.deepEqual(r.orphans.map((e) => e.id), [], d.name);
        assert.deepEqual(r.ambiguous.map((a) => a.entity.id), [], d.name);
        assertAsTracked(r, tracked.entities);
        const shifted = d.sidecar.entities.filter((e) => e.start >= at);
        assert.equal(r.moved.length, shifted.length, d.name);
        for (const m of r.moved) {
          assert.equal(m.how, 'exact-near');
          assert.equal(m.entity.start - m.from.start, cpLen(INSERTED));
        }
      }
    });
  }

  it('re-encoded with CRLF line ends: every offset shifts by the line breaks before it, all found exactly', () => {
    for (const d of docs) {
      const text = d.text.replace(/\n/g, '\r\n');
      const r = reanchor(d.sidecar.entities, text);
      assertSound(r, text, d.sidecar.entities.length);
      assert.deepEqual([r.orphans.length, r.ambiguous.length], [0, 0], d.name);
      const oldMap = new OffsetMap(d.text);
      const got = byId(r.entities);
      for (const e of d.sidecar.entities) {
        const breaks = (oldMap.slice(0, e.start).match(/\n/g) ?? []).length;
        const g = got.get(e.id) as Entity;
        assert.deepEqual([g.start, g.end], [e.start + breaks, e.end + breaks], `${d.name} ${e.id}`);
      }
      assert.ok(r.moved.every((m) => m.how === 'exact-near'));
    }
  });

  it('000_: deleting the duplicated paragraphs orphans their entities instead of moving them onto the first copy', () => {
    const d = docs.find((x) => x.name.startsWith('000_')) as Doc;
    const lines = d.text.split('\n');
    // Line 1 is the lead; lines 2-9 are repeated verbatim as lines 10-17.
    assert.deepEqual(lines.slice(1, 9), lines.slice(9, 17));
    const from = cpLen(lines.slice(0, 9).join('\n') + '\n');
    const to = cpLen(lines.slice(0, 17).join('\n') + '\n');
    const { text, tracked } = edit(d.text, d.sidecar.entities, from, to, '');
    const r = reanchor(d.sidecar.entities, text);
    assertSound(r, text, d.sidecar.entities.length);
    const removed = d.sidecar.entities.filter((e) => e.start >= from).map((e) => e.id);
    assert.equal(removed.length, 8);
    assert.deepEqual(tracked.removed.map((e) => e.id).sort(), [...removed].sort());
    assert.deepEqual(r.orphans.map((e) => e.id).sort(), [...removed].sort());
    assert.deepEqual(r.ambiguous, []);
    assert.deepEqual(r.moved, [], 'the first copy keeps its own entities, untouched');
    assertAsTracked(r, tracked.entities);
  });

  it('000_: deleting the first copy instead leaves the same text, so the same entities survive', () => {
    const d = docs.find((x) => x.name.startsWith('000_')) as Doc;
    const lines = d.text.split('\n');
    const from = cpLen(lines.slice(0, 1).join('\n') + '\n');
    const to = cpLen(lines.slice(0, 9).join('\n') + '\n');
    const { text } = edit(d.text, d.sidecar.entities, from, to, '');
    const r = reanchor(d.sidecar.entities, text);
    assertSound(r, text, d.sidecar.entities.length);
    // Eight entities fit the remaining copy and eight are left over; never two on one span.
    assert.equal(r.orphans.length, 8);
    const spans = r.entities.map((e) => `${e.label}:${e.start}-${e.end}`);
    assert.equal(new Set(spans).size, spans.length);
  });

  it('002_: a typo fixed inside an entity ("Hammouchi" → "Hammouchy") is a flagged fuzzy move, with the new text', () => {
    const d = docs.find((x) => x.name.startsWith('002_')) as Doc;
    const target = d.sidecar.entities.find((e) => e.id === 'k64kk4') as Entity;
    assert.equal(target.text, 'Hammouchi');
    const { text, tracked } = edit(d.text, d.sidecar.entities, target.end - 1, target.end, 'y');
    assert.deepEqual(tracked.adjusted.map((e) => e.text), ['Hammouchy']);
    const r = reanchor(d.sidecar.entities, text);
    assertSound(r, text, d.sidecar.entities.length);
    assert.deepEqual([r.orphans, r.ambiguous], [[], []]);
    assert.equal(r.moved.length, 1);
    const [m] = r.moved;
    assert.deepEqual({ id: m?.entity.id, how: m?.how, text: m?.entity.text, previous: m?.previousText, distance: m?.distance, at: [m?.entity.start, m?.entity.end] },
      { id: 'k64kk4', how: 'fuzzy', text: 'Hammouchy', previous: 'Hammouchi', distance: 1, at: [target.start, target.end] });
  });

  it('a typo fixed in a two-word name that also shifts the text after it', () => {
    const d = docs.find((x) => x.name.startsWith('002_')) as Doc;
    const target = d.sidecar.entities.find((e) => e.id === 'je49lh') as Entity; // Abdellatif Hammouchi
    const { text, tracked } = edit(d.text, d.sidecar.entities, target.start + 4, target.start + 6, 'l'); // Abdellatif → Abdelatif
    const r = reanchor(d.sidecar.entities, text);
    assertSound(r, text, d.sidecar.entities.length);
    assert.deepEqual([r.orphans, r.ambiguous], [[], []]);
    assertAsTracked(r, tracked.entities);
    assert.deepEqual(r.moved.filter((m) => m.how === 'fuzzy').map((m) => m.entity.text), ['Abdelatif Hammouchi']);
  });

  it('deleting an entity\'s sentence orphans it; the others follow the text', () => {
    for (const [prefix, id] of [['002_', 'je49lh'], ['004_', 'k7srqn'], ['003_', 'm0n6n7']] as const) {
      const d = docs.find((x) => x.name.startsWith(prefix)) as Doc;
      const target = d.sidecar.entities.find((e) => e.id === id) as Entity;
      const map = new OffsetMap(d.text);
      // The sentence: from after the previous ". " (or line start) to after the next ". ".
      const before = map.slice(0, target.start);
      const start = Math.max(before.lastIndexOf('. ') + 2, before.lastIndexOf('\n') + 1);
      const rest = map.slice(target.end, map.codePointLength);
      const endRel = rest.search(/\.\s/);
      const end = target.end + (endRel < 0 ? cpLen(rest) : cpLen(rest.slice(0, endRel + 2)));
      const { text, tracked } = edit(d.text, d.sidecar.entities, cpLen(before.slice(0, start)), end, '');
      const r = reanchor(d.sidecar.entities, text);
      assertSound(r, text, d.sidecar.entities.length);
      assert.deepEqual(r.orphans.map((e) => e.id).sort(), tracked.removed.map((e) => e.id).sort(), prefix);
      assert.ok(r.orphans.some((e) => e.id === id));
      assert.deepEqual(r.ambiguous, []);
      assertAsTracked(r, tracked.entities);
    }
  });

  it('several edits at once: the result agrees with the tracker wherever it places an entity', () => {
    const d = docs.find((x) => x.name.startsWith('003_')) as Doc;
    let text = d.text;
    let entities = d.sidecar.entities;
    const changes: Array<[number, string]> = [[100, 'Préambule. '], [3000, ''], [6000, ' (mise à jour)'], [9000, 'Interpol ']];
    for (const [at, ins] of changes.reverse()) {
      const r = ins === '' ? edit(text, entities, at, at + 40, '') : edit(text, entities, at, at, ins);
      text = r.text;
      entities = r.tracked.entities;
    }
    const r = reanchor(d.sidecar.entities, text);
    assertSound(r, text, d.sidecar.entities.length);
    const expected = byId(entities);
    for (const e of r.entities) {
      const x = expected.get(e.id);
      assert.ok(x, `${e.id} was destroyed by the edits but placed at ${e.start}`);
      assert.deepEqual([e.start, e.end], [x.start, x.end], e.id);
    }
    assert.ok(r.entities.length >= entities.length - 1, `${r.entities.length} of ${entities.length} found`);
  });

  describe('never guesses', () => {
    const ent = (text: string, surface: string, id: string, label = 'PER', nth = 0): Entity => entityAt(text, surface, label, id, nth);

    it('a quote found twice near where it was, with nothing to tell them apart, is ambiguous', () => {
      const old = 'Le ministre Laftit a parlé. Puis M. Laftit a voté.';
      const e = ent(old, 'Laftit', 'p1', 'PER', 1);
      const text = 'Préambule inséré. Le ministre Laftit a parlé. Puis M. Laftit a voté.';
      const r = reanchor([e], text);
      assert.deepEqual(r.entities, []);
      assert.equal(r.ambiguous.length, 1);
      assert.deepEqual(r.ambiguous[0]?.candidates, [{ start: cpIndexOf(text, 'Laftit'), end: cpIndexOf(text, 'Laftit') + 6 }, { start: cpIndexOf(text, 'Laftit', 1), end: cpIndexOf(text, 'Laftit', 1) + 6 }]);
      assert.equal(reanchoredSidecar({ version: 1, document: 'a.txt', status: 'todo', entities: [e] }, articleFromText(text), r), undefined);
    });

    it('…but the old text\'s context tells them apart when the caller has it', () => {
      const old = 'Le ministre Laftit a parlé. Puis M. Laftit a voté.';
      const e = ent(old, 'Laftit', 'p1', 'PER', 1);
      const text = 'Préambule inséré. Le ministre Laftit a parlé. Puis M. Laftit a voté.';
      const r = reanchor([e], text, { oldText: old });
      assert.deepEqual(r.moved.map((m) => [m.how, m.entity.start]), [['context', cpIndexOf(text, 'Laftit', 1)]]);
      // An old text that does not hold the quote at the entity's offsets is no evidence.
      assert.equal(reanchor([e], text, { oldText: 'autre chose' }).ambiguous.length, 1);
    });

    it('the nearest occurrence wins when it is clearly the nearest', () => {
      const old = 'M. Laftit a parlé.' + ' Bla.'.repeat(100) + ' Laftit encore.';
      const e = ent(old, 'Laftit', 'p1');
      const text = 'Titre. ' + old;
      const r = reanchor([e], text);
      assert.deepEqual(r.moved.map((m) => [m.how, m.entity.start]), [['exact-near', e.start + 7]]);
    });

    it('a quote of 3 code points or fewer is never matched fuzzily, nor a number with other digits', () => {
      assert.deepEqual([1, 2, 3, 4, 7, 8, 9, 32, 33, 100].map(maxFuzzyEdits), [0, 0, 0, 1, 1, 2, 2, 8, 8, 8]);
      const old = "L'ONU et Interpol, en 2026, à Rabat.";
      const entities = [ent(old, 'ONU', 'o1', 'ORG'), ent(old, 'Interpol', 'o2', 'ORG'), ent(old, '2026', 'd1', 'DATE'), ent(old, 'Rabat', 'l1', 'LOC')];
      const r = reanchor(entities, "L'ONG et Interpol, en 2025, à Rabat.");
      assert.deepEqual(r.orphans.map((e) => e.id), ['o1', 'd1']);
      assert.deepEqual(r.entities.map((e) => e.id), ['o2', 'l1']);
    });

    it('a fuzzy match found twice is ambiguous', () => {
      const old = 'Ici Hammouchi parle. Fin.';
      const e = ent(old, 'Hammouchi', 'p1');
      const r = reanchor([e], 'Ici Hammouchy et Hammoushi parlent. Fin.');
      assert.equal(r.ambiguous.length, 1);
      assert.equal(r.ambiguous[0]?.candidates.length, 2);
    });

    it('an entity is searched for only between the neighbours that moved with the text', () => {
      const old = 'Rabat, Marrakech et Fès. Puis Laftit. Casablanca, Tanger et Agadir.';
      const names = ['Rabat', 'Marrakech', 'Fès', 'Laftit', 'Casablanca', 'Tanger', 'Agadir'];
      const entities = names.map((n) => ent(old, n, n, n === 'Laftit' ? 'PER' : 'LOC'));
      // Laftit's sentence is gone; another Laftit was added, after the next sentence.
      const text = 'Rabat, Marrakech et Fès. Casablanca, Tanger et Agadir. Laftit.';
      const r = reanchor(entities, text);
      assert.deepEqual(r.orphans.map((e) => e.id), ['Laftit']);
      assert.equal(r.entities.length, 6);
    });

    it('a sentence moved past its neighbour: both found, being the only occurrences', () => {
      const old = 'Rabat. Laftit. Casablanca.';
      const entities = [ent(old, 'Rabat', 'a', 'LOC'), ent(old, 'Laftit', 'b'), ent(old, 'Casablanca', 'c', 'LOC')];
      const text = 'Rabat. Casablanca. Laftit.';
      const r = reanchor(entities, text);
      assert.deepEqual(r.entities.map((e) => [e.id, e.start]), [['a', 0], ['c', 7], ['b', 19]]);
    });

    it('a budget too small for the search gives orphans, flagged, never a guess', () => {
      const d = docs.find((x) => x.name.startsWith('003_')) as Doc;
      const text = 'Préambule. ' + d.text;
      const r = reanchor(d.sidecar.entities, text, { budget: 1000 });
      assertSound(r, text, d.sidecar.entities.length);
      assert.ok(r.exhausted);
      assert.ok(r.orphans.length > 0);
      for (const e of r.entities) assert.equal(e.start, (d.sidecar.entities.find((x) => x.id === e.id) as Entity).start + 11);
    });

    it('keeps nested entities and same-span entities together', () => {
      const old = 'Le Centre de commandement d’Interpol à Lyon.';
      const entities = [ent(old, 'Centre de commandement d’Interpol', 'o1', 'ORG'), ent(old, 'Interpol', 'o2', 'ORG'), ent(old, 'Interpol', 'o3', 'MISC'), ent(old, 'Lyon', 'l1', 'LOC')];
      const text = '🚨 Alerte. ' + old; // 10 code points, 11 UTF-16 units
      const r = reanchor(entities, text);
      assertSound(r, text, 4);
      assert.equal(r.moved.length, 4);
      assert.ok(r.moved.every((m) => m.entity.start === m.from.start + 10));
    });
  });

  describe('reanchoredSidecar', () => {
    const s: Sidecar = { version: 1, document: 'a.txt', sha256: 'a'.repeat(64), status: 'done', entities: [
      { id: 'p1', label: 'PER', start: 3, end: 9, text: 'Laftit' },
      { id: 'p2', label: 'LOC', start: 12, end: 17, text: 'Rabat' },
    ] };
    it('records the new hash when every entity is found', () => {
      const a = articleFromText('Hier, M. Laftit à Rabat.');
      const out = reanchoredSidecar(s, a, reanchor(s.entities, a));
      assert.deepEqual(out, { ...s, sha256: a.sha256, entities: [{ ...s.entities[0], start: 9, end: 15 }, { ...s.entities[1], start: 18, end: 23 }] });
    });
    it('refuses while an entity is orphaned, unless told to drop orphans', () => {
      const a = articleFromText('Hier, M. Laftit à Casablanca.');
      const r = reanchor(s.entities, a);
      assert.deepEqual(r.orphans.map((e) => e.id), ['p2']);
      assert.equal(reanchoredSidecar(s, a, r), undefined);
      assert.deepEqual(reanchoredSidecar(s, a, r, { dropOrphans: true })?.entities.map((e) => e.id), ['p1']);
      assert.ok(needsReanchor(s, a));
    });
  });
});

describe('settling an ambiguous entity', () => {
  const entity = { id: 'laf001', label: 'PER', start: 10, end: 16, text: 'Laftit' };
  const text = 'M. Laftit a dit. M. Laftit a dit.\n';
  const r = reanchor([entity], text);

  it('is ambiguous to begin with: two equally good places', () => {
    assert.deepEqual(r.ambiguous.map((a) => a.candidates), [[{ start: 3, end: 9 }, { start: 20, end: 26 }]]);
  });

  it('places the entity at the chosen candidate, reported as moved by choice', () => {
    const settled = settleAmbiguous(r, text, 'laf001', { start: 20, end: 26 });
    assert.deepEqual(settled?.ambiguous, []);
    assert.deepEqual(settled?.entities, [{ ...entity, start: 20, end: 26 }]);
    assert.equal(settled?.moved.at(-1)?.how, 'chosen');
  });

  it('drops it as an orphan on request', () => {
    const settled = settleAmbiguous(r, text, 'laf001', 'drop');
    assert.deepEqual([settled?.ambiguous.length, settled?.orphans.map((e) => e.id)], [0, ['laf001']]);
  });

  it('refuses a place another entity of the same label already took', () => {
    const twin = { ...entity, id: 'laf002' };
    const both = reanchor([entity, twin], text);
    const first = settleAmbiguous(both, text, 'laf001', { start: 20, end: 26 });
    assert.ok(first);
    assert.equal(settleAmbiguous(first, text, 'laf002', { start: 20, end: 26 }), undefined);
    assert.deepEqual(settleAmbiguous(first, text, 'laf002', { start: 3, end: 9 })?.entities.map((e) => [e.id, e.start]), [['laf002', 3], ['laf001', 20]]);
  });

  it('refuses a span that is not a candidate, or an entity that is not ambiguous', () => {
    assert.equal(settleAmbiguous(r, text, 'laf001', { start: 4, end: 10 }), undefined);
    assert.equal(settleAmbiguous(r, text, 'nope00', 'drop'), undefined);
  });
});
