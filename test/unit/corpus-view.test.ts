// The sidebar's whole-corpus views over summaries (src/core/corpus/corpus-view.ts): the same groups as a
// naive regrouping of every entity, whatever sequence of per-document updates it sees, with the
// filter's semantics, paging, and summaries that keep no slice of the sidecar text alive.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { DocumentSummary, mentionEntity, mentionId, Mentions, StringPool, summariseSidecar } from '../../src/core/corpus/corpus-index';
import { MentionFilter, MentionGroups, MentionGrouping, page, PAGE_SIZE } from '../../src/core/corpus/corpus-view';
import { displayText, EntityFilter, matchesFilter, parseFilter } from '../../src/core/corpus/entity-filter';
import { cmp, Entity, Sidecar } from '../../src/core/model/model';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { DEMO_CORPUS } from './helpers/corpus';
import { seededProperties } from './helpers/fc';

const { check } = seededProperties(1414);
const KNOWN = new Set(['PER', 'ORG', 'LOC', 'DATE', 'EVENT', 'MISC']);

/** What the tree showed before (tree.ts's index over loaded documents): label → surface → "doc#id" in order. */
function naive(docs: ReadonlyMap<string, Sidecar | undefined>, grouping: MentionGrouping, filter: EntityFilter | undefined): Map<string, Map<string, string[]>> {
  const keys = [...docs.keys()].sort(cmp);
  const kbNames = new Map<string, string>();
  for (const k of keys) for (const e of docs.get(k)?.entities ?? []) if (e.attrs?.kb && e.attrs.canonical && !kbNames.has(e.attrs.kb)) kbNames.set(e.attrs.kb, e.attrs.canonical);
  const out = new Map<string, Map<string, string[]>>();
  for (const k of keys) {
    const entities = [...(docs.get(k)?.entities ?? [])].sort((a, b) => a.start - b.start || a.end - b.end);
    for (const e of entities) {
      if (e.suggested === true || !matchesFilter(filter, e)) continue;
      const kb = e.attrs?.kb;
      const surface = grouping === 'label' ? displayText(e.text) : (kb !== undefined ? kbNames.get(kb) : undefined) ?? e.attrs?.canonical ?? kb ?? displayText(e.text);
      let bySurface = out.get(e.label);
      if (!bySurface) out.set(e.label, (bySurface = new Map()));
      let list = bySurface.get(surface);
      if (!list) bySurface.set(surface, (list = []));
      list.push(`${k}#${e.id}`);
    }
  }
  return out;
}

function shape(groups: MentionGroups, summaries: ReadonlyMap<string, DocumentSummary>): Map<string, Map<string, string[]>> {
  const out = new Map<string, Map<string, string[]>>();
  for (const [label, group] of groups.labels) {
    const bySurface = new Map<string, string[]>();
    let count = 0;
    for (const [surface, list] of group.surfaces) {
      bySurface.set(surface, list.map((code) => groups.occurrence(code)).map((o) => `${o.doc}#${mentionIdOf(summaries.get(o.doc)?.mentions, o.index)}`));
      count += list.length;
    }
    assert.equal(group.count, count, `the count of ${label}`);
    out.set(label, bySurface);
  }
  return out;
}

function sorted(m: Map<string, Map<string, string[]>>): Array<[string, Array<[string, string[]]>]> {
  return [...m].sort(([a], [b]) => cmp(a, b)).map(([l, s]) => [l, [...s].sort(([a], [b]) => cmp(a, b))]);
}

const pool = new StringPool();
const summary = (s: Sidecar | undefined) => summariseSidecar(s && writeSidecar(s), { withMentions: pool });

describe('corpus view', () => {
  const demo = new Map<string, Sidecar>();
  for (const f of fs.readdirSync(DEMO_CORPUS).filter((n) => n.endsWith('.ann.yaml'))) {
    demo.set(f, readSidecar(fs.readFileSync(path.join(DEMO_CORPUS, f), 'utf8')).sidecar as Sidecar);
  }

  for (const grouping of ['label', 'entity'] as const) {
    for (const raw of [undefined, 'label:ORG', 'PER', 'interieur', 'label:per laftit']) {
      it(`groups the demo corpus by ${grouping}${raw ? ` with the filter "${raw}"` : ''} as the tree did over loaded documents`, () => {
        const filter = raw === undefined ? undefined : parseFilter(raw, KNOWN);
        const summaries = new Map([...demo].map(([k, s]) => [k, summary(s)] as const));
        const groups = new MentionGroups(grouping, filter, summaries);
        assert.deepEqual(sorted(shape(groups, summaries)), sorted(naive(demo, grouping, filter)));
        assert.ok(groups.labels.size > 0);
      });
    }
  }

  it('surfaces come most frequent first, then by text', () => {
    const summaries = new Map([...demo].map(([k, s]) => [k, summary(s)] as const));
    const groups = new MentionGroups('label', undefined, summaries);
    const per = groups.surfaces('PER');
    assert.ok(per.length > 1);
    for (let i = 1; i < per.length; i++) {
      const [sa, a] = per[i - 1] as [string, number];
      const [sb, b] = per[i] as [string, number];
      assert.ok(a > b || (a === b && cmp(sa, sb) < 0), `${sa} ${a} before ${sb} ${b}`);
    }
  });

  it('stays equal to a regrouping from scratch through any sequence of per-document updates', () => {
    const entity = fc.record({
      label: fc.constantFrom('PER', 'ORG', 'LOC'),
      text: fc.constantFrom('Paris', 'Rabat', 'Laftit', 'Intérieur', 'a\nb'),
      start: fc.nat(50),
      suggested: fc.boolean(),
      link: fc.constantFrom(undefined, 'Q1', 'Q2'),
      canonical: fc.constantFrom(undefined, 'Name'),
    });
    const sidecar = fc.oneof(
      { weight: 4, arbitrary: fc.array(entity, { maxLength: 6 }).map((es): Sidecar => ({
        version: 1, document: 'x.txt', status: 'todo',
        entities: es.map((e, i): Entity => ({ id: `e${i}`, label: e.label, start: e.start, end: e.start + 1, text: e.text,
          ...(e.suggested ? { suggested: true as const } : {}),
          ...(e.link ? { attrs: { kb: e.link, ...(e.canonical ? { canonical: e.canonical } : {}) } } : {}) })),
      })) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    );
    const op = fc.record({ key: fc.constantFrom('a', 'b', 'c', 'd'), del: fc.boolean(), sidecar });
    check(fc.property(fc.constantFrom<MentionGrouping>('label', 'entity'), fc.constantFrom(undefined, 'label:PER', 'paris'), fc.array(op, { maxLength: 25 }), (grouping, raw, ops) => {
      const filter = raw === undefined ? undefined : parseFilter(raw, KNOWN);
      const docs = new Map<string, Sidecar | undefined>();
      const summaries = new Map<string, DocumentSummary>();
      let groups = new MentionGroups(grouping, filter, summaries);
      for (const o of ops) {
        const before = summaries.get(o.key);
        const after = o.del ? undefined : summary(o.sidecar);
        if (o.del) {
          docs.delete(o.key);
          summaries.delete(o.key);
        } else {
          docs.set(o.key, o.sidecar);
          summaries.set(o.key, after as DocumentSummary);
        }
        if (!groups.update(o.key, before, after)) groups = new MentionGroups(grouping, filter, summaries);
        assert.deepEqual(sorted(shape(groups, summaries)), sorted(naive(docs, grouping, filter)));
      }
    }), 300);
  });

  it('grouping by linked entity: a tag in a linked document is an update in place, not a regrouping of the corpus', () => {
    // (A regrouping of 1M entities takes seconds: each tag in that view waited for it.)
    const linked: Sidecar = { version: 1, document: 'x.txt', status: 'todo', entities: [
      { id: 'a', label: 'PER', start: 0, end: 5, text: 'Macro', attrs: { kb: 'Q1', canonical: 'Emmanuel Macron' } },
      { id: 'b', label: 'ORG', start: 10, end: 13, text: 'CGT' },
    ] };
    const tagged: Sidecar = { ...linked, entities: [...linked.entities, { id: 'c', label: 'LOC', start: 2, end: 4, text: 'cr' }] };
    const docs = new Map<string, Sidecar | undefined>([['d1', linked], ['d2', linked]]);
    const summaries = new Map([...docs].map(([k, s]) => [k, summary(s)] as const));
    const groups = new MentionGroups('entity', undefined, summaries);
    const after = summary(tagged);
    assert.equal(groups.update('d2', summaries.get('d2'), after), true);
    docs.set('d2', tagged);
    summaries.set('d2', after);
    assert.deepEqual(sorted(shape(groups, summaries)), sorted(naive(docs, 'entity', undefined)));
    // A change of a canonical name can rename a group: that one is regrouped.
    const renamed: Sidecar = { ...linked, entities: [{ ...(linked.entities[0] as Entity), attrs: { kb: 'Q1', canonical: 'E. Macron' } }] };
    assert.equal(groups.update('d1', summaries.get('d1'), summary(renamed)), false);
  });

  it('builds the same groups a slice at a time, pausing between slices', async () => {
    const summaries = new Map([...demo].map(([k, s]) => [k, summary(s)] as const));
    for (const grouping of ['label', 'entity'] as const) {
      let pauses = 0;
      const sliced = await MentionGroups.build(grouping, undefined, summaries, async () => void pauses++, 0);
      assert.deepEqual(sorted(shape(sliced, summaries)), sorted(shape(new MentionGroups(grouping, undefined, summaries), summaries)));
      assert.equal(pauses, summaries.size, 'a pause after each document when every slice is over its time');
    }
  });

  it('counts what a filter shows in a document, suggestions included, as the tree did', () => {
    const s = demo.values().next().value as Sidecar;
    for (const raw of ['label:ORG', 'PER', 'interieur', 'zzzz']) {
      const filter = parseFilter(raw, KNOWN);
      assert.equal(new MentionFilter(filter).count(summary(s)), s.entities.filter((e) => matchesFilter(filter, e)).length, raw);
    }
    assert.equal(new MentionFilter(undefined).count(summary(s)), s.entities.length);
    assert.equal(new MentionFilter(undefined).count(summary(undefined)), 0);
  });

  it('gives back each mention as the entity it summarises (what the views know of it)', () => {
    for (const s of demo.values()) {
      const m = summary(s).mentions;
      assert.ok(m);
      const back = Array.from({ length: m.length }, (_, i) => mentionEntity(m, i));
      const want = [...s.entities].sort((a, b) => a.start - b.start || a.end - b.end)
        .map((e) => ({ id: e.id, label: e.label, start: e.start, end: e.end, text: e.text,
          ...(e.attrs?.kb || e.attrs?.canonical ? { attrs: { ...(e.attrs.kb ? { kb: e.attrs.kb } : {}), ...(e.attrs.canonical ? { canonical: e.attrs.canonical } : {}) } } : {}),
          ...(e.suggested ? { suggested: true } : {}) }));
      assert.deepEqual(back, want);
    }
  });

  it("keeps an invalid sidecar's problems, with their lines, in its summary", () => {
    const s = summariseSidecar('version: 1\ndocument: a.txt\nstatus: todo\nentities:\n  - {id: a, label: PER, start: 5, end: 1, text: "x"}\n', { withMentions: pool });
    assert.equal(s.state, 'invalid');
    assert.ok(s.problems && s.problems.length > 0);
    assert.ok(s.problems.every((p) => p.line >= 1));
    assert.equal(summariseSidecar('version: 1\nentities: {').problems, undefined, 'counts only unless asked for');
  });

  it('pages long lists', () => {
    const items = Array.from({ length: 1234 }, (_, i) => i);
    assert.deepEqual(page(items, PAGE_SIZE).items.length, 500);
    assert.equal(page(items, PAGE_SIZE).more, 734);
    assert.equal(page(items, 1500).more, 0);
    assert.equal(page(items, 1500).items.length, 1234);
  });
});

function mentionIdOf(m: Mentions | undefined, i: number): string | undefined {
  return m && mentionId(m, i);
}
