// The incremental canonical write (src/core/sidecar/sidecar-patch.ts): after any sequence of adds,
// removals, relabels, note and status changes, the spliced text is writeSidecar() of the new
// model byte for byte, and its line index is the reader's. fast-check, fixed seed (FC_SEED
// overrides; printed on failure).
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Entity, Sidecar, STATUSES } from '../../src/core/model/model';
import { fastReadSidecar } from '../../src/core/sidecar/sidecar-fast-read';
import { patchSidecar, SidecarEdit, WrittenSidecar, writeSidecarIncrementally } from '../../src/core/sidecar/sidecar-patch';
import { readSidecarFull } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { seededProperties } from './helpers/fc';

const PROPERTIES = seededProperties(4242);
const { check } = PROPERTIES;

const str = fc.string({ unit: fc.constantFrom('a', 'é', ' ', '"', '\\', '\n', '\u00a0', '😀', '\ud800', ':', 'true', '1'), maxLength: 6 });
const labelArb = fc.constantFrom('PER', 'ORG', 'LOC', 'DATE', 'a b', 'null', '1e5');
const entityArb = (id: fc.Arbitrary<string>): fc.Arbitrary<Entity> => fc.record({
  id,
  label: labelArb,
  // Few distinct offsets, so that ties on (start, end) and then on label are common.
  start: fc.nat(30),
  length: fc.integer({ min: 1, max: 4 }),
  text: str,
  note: str,
  attrs: fc.dictionary(fc.constantFrom('kb', 'canonical', 'x y'), str, { maxKeys: 2, noNullPrototype: true }),
  by: fc.constantFrom('amina', 'j.dupont'),
  src: fc.constantFrom('manual', 'pattern:dates'),
  suggested: fc.constant(true as const),
}, { requiredKeys: ['id', 'label', 'start', 'length', 'text'] }).map(({ length, ...e }) => ({ ...e, end: e.start + length }) as Entity);
const idArb = fc.stringMatching(/^[a-z][a-z0-9]{2}$/);
const shaArb = fc.option(fc.stringMatching(/^[0-9a-f]{64}$/), { nil: undefined });

type Op =
  | { kind: 'add'; entities: Entity[] }
  | { kind: 'remove' | 'relabel' | 'note'; pick: number[]; label: string; note: string }
  | { kind: 'header'; status: Sidecar['status']; sha256: string | undefined; document: string };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('add' as const), entities: fc.uniqueArray(entityArb(idArb), { selector: (e) => e.id, minLength: 1, maxLength: 3 }) }) },
  { weight: 6, arbitrary: fc.record({ kind: fc.constantFrom('remove' as const, 'relabel' as const, 'note' as const), pick: fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), label: labelArb, note: str }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('header' as const), status: fc.constantFrom(...STATUSES), sha256: shaArb, document: fc.constantFrom('a.txt', 'b c.txt', 'true') }) },
);
const modelArb: fc.Arbitrary<Sidecar> = fc.record({
  version: fc.constant(1),
  document: fc.constantFrom('a.txt', '2026-11-23.txt'),
  sha256: shaArb,
  status: fc.constantFrom(...STATUSES),
  entities: fc.uniqueArray(entityArb(idArb), { selector: (e) => e.id, maxLength: 25 }),
}).map((s) => {
  const out: Sidecar = { ...s };
  if (s.sha256 === undefined) delete out.sha256;
  return out;
});

/** Applies an operation to the model and describes it as the edit the patch takes. */
function apply(model: Sidecar, op: Op): { model: Sidecar; edit: SidecarEdit } {
  const ids = model.entities.map((e) => e.id);
  if (op.kind === 'add') {
    const taken = new Set(ids);
    const fresh = op.entities.filter((e) => !taken.has(e.id));
    return { model: { ...model, entities: [...model.entities, ...fresh] }, edit: { add: fresh } };
  }
  if (op.kind === 'header') {
    const { status, sha256, document } = op;
    const next: Sidecar = { ...model, status, document };
    if (sha256 === undefined) delete next.sha256;
    else next.sha256 = sha256;
    return { model: next, edit: { header: { status, sha256, document } } };
  }
  if (ids.length === 0) return { model, edit: {} };
  const chosen = new Set(op.pick.map((p) => ids[p % ids.length] as string));
  if (op.kind === 'remove') return { model: { ...model, entities: model.entities.filter((e) => !chosen.has(e.id)) }, edit: { remove: chosen } };
  const changed = (e: Entity): Entity => (op.kind === 'relabel' ? { ...e, label: op.label } : op.note === '' ? (({ note: _n, ...rest }) => rest)(e) : { ...e, note: op.note });
  const replace = model.entities.filter((e) => chosen.has(e.id)).map(changed);
  return { model: { ...model, entities: model.entities.map((e) => (chosen.has(e.id) ? changed(e) : e)) }, edit: { replace } };
}

describe(`incremental canonical write (sidecar-patch, fast-check, seed ${PROPERTIES.seed})`, function () {
  this.timeout(60_000);
  let steps = 0;
  after(() => console.log(`      patch cases: ${steps} patched steps`));

  it('after any sequence of operations, the patched text is writeSidecar(new model) byte for byte, with the reader\'s line index', () => {
    check(fc.property(modelArb, fc.array(opArb, { minLength: 1, maxLength: 8 }), (start, ops) => {
      let model = start;
      let text = writeSidecar(model);
      let lines = (fastReadSidecar(text) as NonNullable<ReturnType<typeof fastReadSidecar>>).entityLines;
      for (const op of ops) {
        const next = apply(model, op);
        const patched = patchSidecar(text, lines, next.edit, { reuseLines: steps % 2 === 0 }); // both ways of updating the line index
        assert.ok(patched, `the patch refused ${JSON.stringify(next.edit)} on:\n${text}`);
        model = next.model;
        text = writeSidecar(model);
        assert.equal(patched.text, text);
        assert.deepEqual(patched.entityLines, (fastReadSidecar(text) as NonNullable<ReturnType<typeof fastReadSidecar>>).entityLines);
        lines = patched.entityLines;
        steps++;
      }
    }), 600);
    assert.ok(steps > 2000, `only ${steps} steps`);
  });

  it('refuses an edit that does not fit the text, rather than writing something wrong', () => {
    const e = (id: string, start: number): Entity => ({ id, label: 'PER', start, end: start + 1, text: 'x' });
    const model: Sidecar = { version: 1, document: 'a.txt', status: 'todo', entities: [e('aaa', 0), e('bbb', 5)] };
    const text = writeSidecar(model);
    const lines = readSidecarFull(text).entityLines;
    assert.equal(patchSidecar(text, lines, { remove: ['zzz'] }), undefined, 'unknown id');
    assert.equal(patchSidecar(text, lines, { replace: [e('zzz', 1)] }), undefined, 'unknown id replaced');
    assert.equal(patchSidecar(text, lines, { add: [e('aaa', 9)] }), undefined, 'id already there');
    assert.equal(patchSidecar(text, lines, { add: [e('ccc', 9), e('ccc', 10)] }), undefined, 'id added twice');
    assert.equal(patchSidecar(text, lines, { remove: ['aaa'], replace: [e('aaa', 2)] }), undefined, 'removed and replaced');
    assert.equal(patchSidecar(text, new Map([['aaa', 8], ['bbb', 7]]), { remove: ['aaa'] }), undefined, 'stale line index');
    assert.equal(patchSidecar(text, new Map([['aaa', 6]]), { remove: ['aaa'] }), undefined, 'index of another text');
    assert.equal(patchSidecar(text.replace('entities:\n', 'entities: # x\n'), lines, { remove: ['aaa'] }), undefined, 'not canonical');
    assert.equal(patchSidecar(text.replace(/\n/g, '\r\n'), lines, { add: [e('ccc', 9)] }), undefined, 'CRLF');
    // A probed line that is not canonical stops the patch too.
    const broken = text.replace('start: 5', 'start: 05');
    assert.equal(patchSidecar(broken, lines, { add: [e('ccc', 9)] }), undefined, 'a non-canonical line');
  });

  it('the tracked writer (what the extension keeps between writes) always writes writeSidecar(model), patching small changes', () => {
    let patchedSteps = 0;
    let fullSteps = 0;
    check(fc.property(modelArb, fc.array(fc.oneof(
      { weight: 8, arbitrary: opArb.map((op) => ({ op, copy: false, dup: false })) },
      // The same entities as new, equal objects (a model rebuilt from a re-read); an id used twice.
      { weight: 1, arbitrary: fc.constant({ op: undefined, copy: true, dup: false }) },
      { weight: 1, arbitrary: fc.constant({ op: undefined, copy: false, dup: true }) },
    ), { minLength: 1, maxLength: 8 }), (start, steps) => {
      let model = start;
      let out = writeSidecarIncrementally(model);
      assert.equal(out.text, writeSidecar(model));
      let written: WrittenSidecar = out.written;
      let uniqueBefore = true;
      for (const step of steps) {
        if (step.op) model = apply(model, step.op).model;
        else if (step.copy) model = { ...model, entities: model.entities.map((e) => ({ ...e, ...(e.attrs ? { attrs: { ...e.attrs } } : {}) })) };
        else if (model.entities.length) model = { ...model, entities: [...model.entities, { ...(model.entities[0] as Entity), start: 99 }] };
        out = writeSidecarIncrementally(model, written);
        assert.equal(out.text, writeSidecar(model));
        // Few changes and unique ids, before and now: always a patch (a refused patch would mean a
        // stale line index). After a write with duplicate ids, the next write is a full one.
        const unique = new Set(model.entities.map((e) => e.id)).size === model.entities.length;
        if (unique && uniqueBefore) assert.ok(out.patched, 'a small change was not patched');
        uniqueBefore = unique;
        if (out.patched) patchedSteps++;
        else fullSteps++;
        written = out.written;
      }
    }), 600);
    assert.ok(patchedSteps > 1500, `only ${patchedSteps} patched writes`);
    assert.ok(fullSteps > 50, `only ${fullSteps} full writes (duplicate ids must take the full writer)`);
  });

  it('the tracked writer rewrites in full when many entities changed, and never reuses a consumed state', () => {
    const entities: Entity[] = Array.from({ length: 1000 }, (_, i) => ({ id: `e${i}`, label: 'PER', start: i * 2, end: i * 2 + 1, text: 'x' }));
    const model: Sidecar = { version: 1, document: 'a.txt', status: 'todo', entities };
    const first = writeSidecarIncrementally(model);
    const one = writeSidecarIncrementally({ ...model, entities: [...entities.slice(1)] }, first.written);
    assert.ok(one.patched);
    const shifted = { ...model, entities: entities.map((e) => ({ ...e, start: e.start + 1, end: e.end + 1 })) };
    const many = writeSidecarIncrementally(shifted, one.written);
    assert.equal(many.patched, false);
    assert.equal(many.text, writeSidecar(shifted));
    // `one.written` was consumed by the write above: used again, it rewrites rather than patch a stale index.
    const again = writeSidecarIncrementally(model, one.written);
    assert.equal(again.patched, false);
    assert.equal(again.text, writeSidecar(model));
    // Another version than this format's: the full writer.
    const v2 = writeSidecarIncrementally({ ...model, version: 2, status: 'done' }, again.written);
    assert.equal(v2.patched, false);
    assert.equal(v2.text, writeSidecar({ ...model, version: 2, status: 'done' }));
  });

  it('empties and refills a sidecar (entities: [] and back)', () => {
    const e: Entity = { id: 'k3f9a2', label: 'PER', start: 0, end: 6, text: 'Laftit' };
    const one = writeSidecar({ version: 1, document: 'a.txt', status: 'done', entities: [e] });
    const none = patchSidecar(one, new Map([['k3f9a2', 6]]), { remove: ['k3f9a2'] });
    assert.equal(none?.text, writeSidecar({ version: 1, document: 'a.txt', status: 'done', entities: [] }));
    assert.deepEqual(none?.entityLines, new Map());
    const again = patchSidecar(none?.text as string, new Map(), { add: [e] });
    assert.equal(again?.text, one);
    assert.deepEqual(again?.entityLines, new Map([['k3f9a2', 6]]));
  });
});
