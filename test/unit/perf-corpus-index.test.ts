// The corpus index (src/core/corpus/corpus-index.ts): per-document counts and running totals that stay
// equal to a recount from scratch whatever sequence of updates, re-reads and deletions it sees.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { CorpusIndex, CorpusTotals, summariseSidecar } from '../../src/core/corpus/corpus-index';
import { Sidecar, STATUSES } from '../../src/core/model/model';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { DEMO_CORPUS } from './helpers/corpus';
import { seededProperties } from './helpers/fc';

const { check } = seededProperties(777);

/** The totals recomputed from every document's summary. */
function recount(index: CorpusIndex): CorpusTotals {
  const byLabel = new Map<string, number>();
  const byStatus = new Map<Sidecar['status'], number>();
  let entities = 0;
  let suggestions = 0;
  let invalid = 0;
  let unannotated = 0;
  for (const [, s] of index.documents()) {
    entities += s.entities;
    suggestions += s.suggestions;
    if (s.state === 'invalid') invalid++;
    if (s.state === 'none') unannotated++;
    if (s.status) byStatus.set(s.status, (byStatus.get(s.status) ?? 0) + 1);
    for (const [l, n] of s.labels) byLabel.set(l, (byLabel.get(l) ?? 0) + n);
  }
  return { documents: index.size, entities, suggestions, byLabel, byStatus, invalid, unannotated };
}

describe('corpus index', () => {
  it('counts the demo corpus per document, label and status, like the reader', () => {
    const index = new CorpusIndex();
    const files = fs.readdirSync(DEMO_CORPUS).filter((f) => f.endsWith('.ann.yaml'));
    let entities = 0;
    for (const f of files) {
      const text = fs.readFileSync(path.join(DEMO_CORPUS, f), 'utf8');
      const s = index.update(f, text);
      const model = readSidecar(text).sidecar as Sidecar;
      assert.equal(s.state, 'ok');
      assert.equal(s.status, model.status);
      assert.equal(s.entities, model.entities.length);
      assert.equal([...s.labels.values()].reduce((a, b) => a + b, 0), model.entities.length);
      entities += model.entities.length;
    }
    const t = index.totals();
    assert.equal(t.documents, 5);
    assert.equal(t.entities, entities);
    assert.deepEqual(t, recount(index));
  });

  it('keeps its totals equal to a recount through any sequence of updates and deletions', () => {
    // A lower-case label is written as a suggestion (`suggested: true`).
    const text = (status: Sidecar['status'], labels: string[]) => writeSidecar({
      version: 1, document: 'a.txt', status,
      entities: labels.map((label, i) => ({ id: `e${i}`, label: label.toUpperCase(), start: i, end: i + 1, text: 'x', ...(label === label.toLowerCase() ? { suggested: true as const } : {}) })),
    });
    const sidecar = fc.oneof(
      { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...STATUSES), fc.array(fc.constantFrom('PER', 'ORG', 'LOC', 'per'), { maxLength: 5 })).map(([s, l]) => text(s, l)) },
      { weight: 1, arbitrary: fc.constant('version: 1\nentities: {') }, // invalid
      { weight: 1, arbitrary: fc.constant(undefined) }, // no sidecar
    );
    const op = fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), del: fc.boolean(), text: sidecar });
    check(fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
      const index = new CorpusIndex();
      for (const o of ops) {
        if (o.del) index.delete(o.key);
        else index.update(o.key, o.text);
        assert.deepEqual(index.totals(), recount(index));
      }
    }), 300);
  });

  it('counts suggestions apart: not entities, not in the label counts', () => {
    const s = summariseSidecar(writeSidecar({
      version: 1, document: 'a.txt', status: 'todo',
      entities: [{ id: 'a', label: 'PER', start: 0, end: 1, text: 'x' }, { id: 'b', label: 'PER', start: 2, end: 3, text: 'y', suggested: true }, { id: 'c', label: 'LOC', start: 4, end: 5, text: 'z', suggested: true }],
    }));
    assert.equal(s.entities, 1);
    assert.equal(s.suggestions, 2);
    assert.deepEqual([...s.labels], [['PER', 1]]);
  });

  it('summarises an invalid sidecar as invalid, counting nothing of it', () => {
    const s = summariseSidecar('version: 1\nentities:\n  - {id: a, label: PER, start: 3, end: 1, text: "x"}\n');
    assert.equal(s.state, 'invalid');
    assert.equal(s.entities, 0);
    assert.equal(s.errors, 1);
    assert.equal(s.status, undefined);
  });
});
