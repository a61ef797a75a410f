import { strict as assert } from 'node:assert';
import { Entity, newEntityId, Sidecar } from '../../src/core/model/model';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { entityLine, quoted, writeSidecar } from '../../src/core/sidecar/sidecar-write';

const base = (entities: Entity[]): Sidecar => ({
  version: 1, document: '003_3e55259b9cbe4b4c.txt', sha256: 'a'.repeat(64), status: 'in-progress', entities,
});
const e = (id: string, label: string, start: number, text: string, extra: Partial<Entity> = {}): Entity =>
  ({ id, label, start, end: start + [...text].length, text, ...extra });

function changedLines(a: string, b: string): string[] {
  const la = a.split('\n');
  const lb = b.split('\n');
  const setA = new Set(la);
  const setB = new Set(lb);
  return [...la.filter((l) => !setB.has(l)).map((l) => '-' + l), ...lb.filter((l) => !setA.has(l)).map((l) => '+' + l)];
}

describe('canonical sidecar writer', () => {
  const sample = base([
    e('k3f9a2', 'PER', 1234, 'Abdellatif Hammouchi'),
    e('b7x001', 'ORG', 10, 'Interpol', { note: 'l’organisation « mondiale »', attrs: { kb: 'wikidata:Q47801', canonical: 'Interpol' }, by: 'amina', src: 'manual' }),
    e('c00001', 'LOC', 10, 'Interpol'), // same span, other label: sorted by label
  ]);

  it('writes the exact documented form', () => {
    assert.equal(writeSidecar(sample), [
      '# Corpus Annotator sidecar. Offsets are Unicode code points, end-exclusive. Check with: corpus-annotator validate',
      'version: 1',
      'document: 003_3e55259b9cbe4b4c.txt',
      `sha256: ${'a'.repeat(64)}`,
      'status: in-progress',
      'entities:',
      '  - {id: c00001, label: LOC, start: 10, end: 18, text: "Interpol"}',
      '  - {id: b7x001, label: ORG, start: 10, end: 18, text: "Interpol", note: "l’organisation « mondiale »", attrs: {canonical: "Interpol", kb: "wikidata:Q47801"}, by: amina, src: manual}',
      '  - {id: k3f9a2, label: PER, start: 1234, end: 1254, text: "Abdellatif Hammouchi"}',
      '',
    ].join('\n'));
  });

  it('writes an empty entity list as []', () => {
    assert.match(writeSidecar(base([])), /\nentities: \[\]\n$/);
  });

  it('reads back what it wrote, and rewrites it byte for byte', () => {
    const text = writeSidecar(sample);
    const r = readSidecar(text);
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.sidecar?.entities.map((x) => x.id).sort(), ['b7x001', 'c00001', 'k3f9a2']);
    assert.equal(writeSidecar(r.sidecar as Sidecar), text);
  });

  it('changes exactly one line when one entity is added, removed or relabelled', () => {
    const before = writeSidecar(sample);
    const added = writeSidecar({ ...sample, entities: [...sample.entities, e('zz0001', 'LOC', 500, 'Marrakech')] });
    assert.deepEqual(changedLines(before, added), ['+  - {id: zz0001, label: LOC, start: 500, end: 509, text: "Marrakech"}']);
    const removed = writeSidecar({ ...sample, entities: sample.entities.filter((x) => x.id !== 'k3f9a2') });
    assert.deepEqual(changedLines(before, removed), ['-  - {id: k3f9a2, label: PER, start: 1234, end: 1254, text: "Abdellatif Hammouchi"}']);
    const relabelled = writeSidecar({ ...sample, entities: sample.entities.map((x) => (x.id === 'k3f9a2' ? { ...x, label: 'MISC' } : x)) });
    assert.equal(changedLines(before, relabelled).length, 2); // the one line, old and new
    assert.equal(before.split('\n').length, relabelled.split('\n').length);
  });

  it('keeps order independent of the order entities were added in', () => {
    const shuffled = { ...sample, entities: [...sample.entities].reverse() };
    assert.equal(writeSidecar(shuffled), writeSidecar(sample));
  });

  it('round-trips hostile text: quotes, backslashes, controls, invisible and astral characters', () => {
    const nasty = [
      'He said "non" \\ c:\\path', 'tab\there', 'line\nbreak\r\nCRLF', '\u00a0M.\u202fLaftit\u2009!', 'zero\u200dwidth\u200b',
      'bidi \u202eevil\u202c \u2066iso\u2069', 'soft\u00adhyphen', '\u0085NEL \u2028LS \u2029PS', '\ufeffBOM', 'DEL\u007f C1\u0090',
      '😀 𝔸 🇲🇦 👩‍👩‍👧', 'الرباط', 'e\u0301', 'lone \ud800 surrogate', 'null: ~', '- [a, b]', '{x: 1}', '#comment', '  spaces  ', '',
    ];
    const entities = nasty.map((t, i) => ({ id: `t${i}`, label: 'MISC', start: i * 100, end: i * 100 + 1, text: t, note: t, attrs: { [t || 'k']: t } }));
    const text = writeSidecar(base(entities));
    const r = readSidecar(text);
    assert.deepEqual(r.problems, []);
    const byId = new Map(r.sidecar?.entities.map((x) => [x.id, x]));
    nasty.forEach((t, i) => {
      const got = byId.get(`t${i}`) as Entity;
      assert.equal(got.text, t, JSON.stringify(t));
      assert.equal(got.note, t);
      assert.deepEqual(got.attrs, { [t || 'k']: t });
    });
    assert.equal(writeSidecar(r.sidecar as Sidecar), text);
    // Each entity stays on one line, and invisible characters are visible escapes.
    assert.equal(text.split('\n').filter((l) => l.startsWith('  - ')).length, nasty.length);
    assert.match(text, /\\u00A0M\.\\u202FLaftit\\u2009!/);
    assert.match(text, /bidi \\u202Eevil\\u202C/);
  });

  it('quotes labels, ids and values YAML would misread', () => {
    assert.equal(quoted('a"b'), '"a\\"b"');
    const line = entityLine({ id: 'x1', label: 'true', start: 0, end: 1, text: 'a', by: 'Jean Dupont', src: 'pattern:dates' });
    assert.equal(line, '  - {id: x1, label: "true", start: 0, end: 1, text: "a", by: "Jean Dupont", src: "pattern:dates"}');
    for (const tricky of ['null', '12', '1e5', '0x1F', '1_000', '2026-11-23', '2026-11-23.txt', 'yes', 'N']) {
      const r = readSidecar(writeSidecar({ ...base([{ id: 'a1', label: tricky, start: 0, end: 1, text: 'a' }]), document: tricky }));
      assert.equal(r.sidecar?.entities[0]?.label, tricky);
      assert.equal(r.sidecar?.document, tricky);
    }
    assert.match(writeSidecar(base([])), /\ndocument: 003_3e55259b9cbe4b4c\.txt\n/);
  });

  it('generates short random ids that start with a letter and avoid taken ones', () => {
    const taken = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const id = newEntityId(taken);
      assert.match(id, /^[a-z][a-z0-9]{5}$/);
      assert.ok(!taken.has(id));
      taken.add(id);
    }
    // A random source that first repeats a taken id must still yield a fresh one.
    let calls = 0;
    const seq = () => (calls++ < 6 ? 0 : 0.5);
    const first = newEntityId(new Set(), () => 0);
    assert.notEqual(newEntityId(new Set([first]), seq), first);
  });
});

describe('sidecar reader', () => {
  it('reads a hand-written block-style sidecar with comments and another key order', () => {
    const src = [
      '# my notes',
      'entities:',
      '  # the minister',
      '  - text: Laftit',
      '    end: 6',
      '    start: 0',
      '    label: PER',
      '    id: abc123',
      '    attrs:',
      '      kb: wikidata:Q123',
      '  - {label: DATE, id: d1, start: 10, end: 14, text: 2026}',
      'status: done',
      'version: 1',
      'document: a.txt',
    ].join('\n');
    const r = readSidecar(src);
    assert.deepEqual(r.problems, []);
    assert.equal(r.sidecar?.status, 'done');
    assert.deepEqual(r.sidecar?.entities[0], { id: 'abc123', label: 'PER', start: 0, end: 6, text: 'Laftit', attrs: { kb: 'wikidata:Q123' } });
    // YAML would read `2026` as a number: the text is kept as written.
    assert.equal(r.sidecar?.entities[1]?.text, '2026');
    assert.equal(r.entityLines.get('abc123'), 4);
    assert.equal(r.entityLines.get('d1'), 11);
    assert.equal(r.keyLines.get('status'), 12);
  });

  it('defaults status to todo and entities to none', () => {
    const r = readSidecar('version: 1\ndocument: a.txt\n');
    assert.deepEqual(r.sidecar, { version: 1, document: 'a.txt', sha256: undefined, status: 'todo', entities: [] });
  });

  const cases: Array<[string, string, RegExp, number]> = [
    ['YAML syntax error', 'version: 1\nentities:\n  - {id: a, label: PER, start: 0, end: 1, text: "x"\n', /^YAML syntax error: Flow map .* must .* end with a }/, 4],
    ['schema: unknown key', 'version: 1\nentities:\n  - {id: a, lable: PER, start: 0, end: 1, text: x}\n', /unknown key `lable` \(did you mean `label`\?\)/, 3],
    ['schema: not a list', 'version: 1\nentities: {a: 1}\n', /`entities` must be a list/, 2],
    ['schema: missing text', 'version: 1\nentities:\n  - {id: a, label: PER, start: 0, end: 1}\n', /has no `text`/, 3],
    ['schema: bad status', 'version: 1\nstatus: finished\n', /`status` must be one of todo, in-progress, done, reviewed, not "finished"/, 2],
    ['schema: bad sha256', 'version: 1\nsha256: xyz\n', /`sha256` must be 64 lowercase hexadecimal/, 2],
    ['schema: no version', 'document: a.txt\n', /no `version:` line/, 1],
    ['schema: newer version', 'version: 2\n', /format version 2, newer than/, 1],
    ['negative offset', 'version: 1\nentities:\n  - {id: a, label: PER, start: -3, end: 1, text: x}\n', /`start` cannot be negative \(-3\)/, 3],
    ['non-integer offset', 'version: 1\nentities:\n  - {id: a, label: PER, start: 1.5, end: 3, text: x}\n', /`start` must be a whole number of characters, not 1.5/, 3],
    ['float-looking integer', 'version: 1\nentities:\n  - {id: a, label: PER, start: 1.0, end: 3, text: x}\n', /not 1.0/, 3],
    ['octal-looking offset', 'version: 1\nentities:\n  - {id: a, label: PER, start: 010, end: 12, text: x}\n', /write `start` as a plain decimal number \(10\), not 010/, 3],
    ['hex offset', 'version: 1\nentities:\n  - {id: a, label: PER, start: 0, end: 0x10, text: x}\n', /write `end` as a plain decimal number \(16\), not 0x10/, 3],
    ['start >= end', 'version: 1\n\nentities:\n  - {id: a, label: PER, start: 5, end: 5, text: x}\n', /start 5 not before end 5/, 4],
    ['duplicate ids', 'version: 1\nentities:\n  - {id: a, label: PER, start: 0, end: 1, text: x}\n  - {id: a, label: LOC, start: 2, end: 3, text: y}\n', /id "a" is used twice \(first on line 3\)/, 4],
    ['duplicate keys', 'version: 1\nversion: 1\n', /YAML syntax error: Map keys must be unique/, 2],
    ['empty label', 'version: 1\nentities:\n  - {id: a, label: "", start: 0, end: 1, text: x}\n', /label cannot be empty/, 3],
    ['bad id', 'version: 1\nentities:\n  - {id: "a b", label: PER, start: 0, end: 1, text: x}\n', /may only use letters/, 3],
    ['not a mapping', '- a\n- b\n', /must be a YAML mapping/, 1],
    ['git conflict markers', 'version: 1\nentities:\n<<<<<<< HEAD\n  - {id: a, label: PER, start: 0, end: 1, text: x}\n=======\n  - {id: a, label: LOC, start: 0, end: 1, text: x}\n>>>>>>> other\n', /unresolved git conflict markers/, 3],
  ];
  for (const [name, src, message, line] of cases) {
    it(`reports ${name} at line ${line}`, () => {
      const r = readSidecar(src);
      assert.equal(r.sidecar, undefined, 'an invalid sidecar yields no model');
      const p = r.problems.find((x) => message.test(x.message));
      assert.ok(p, `expected ${message} in ${JSON.stringify(r.problems.map((x) => x.message))}`);
      assert.equal(p.line, line);
      assert.equal(p.severity, 'error');
    });
  }

  it('refuses alias bombs without expanding them', () => {
    const lines = ['version: 1', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 12; i++) lines.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
    lines.push('entities: *a11');
    const started = Date.now();
    const r = readSidecar(lines.join('\n'));
    assert.equal(r.sidecar, undefined);
    assert.ok(r.problems.length > 0);
    assert.ok(Date.now() - started < 5000);
  });

  it('refuses too many aliases with a clear message', () => {
    const items = Array(1200).fill('  - *e').join('\n');
    const r = readSidecar(`version: 1\nx: &e {id: a, label: PER, start: 0, end: 1, text: x}\nentities:\n${items}\n`);
    assert.equal(r.sidecar, undefined);
    assert.ok(r.problems.some((p) => /aliases/.test(p.message)), JSON.stringify(r.problems.slice(0, 3)));
  });

  it('survives absurdly deep nesting', () => {
    const r = readSidecar('version: 1\nentities: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n');
    assert.equal(r.sidecar, undefined);
    assert.ok(r.problems.length > 0);
  });
});
