// The segmented read (readSidecar on a sidecar not in canonical form: entity lines scanned by
// src/core/sidecar/sidecar-flow-read.ts, other items parsed alone) against the full YAML reader, on
// generated sidecars written the way other tools and hands write them — no header comment, keys
// in any order, odd spacing, quoted keys, single quotes, JSON and YAML escapes, plain values,
// block-style entities among flow ones, comments and blank lines between entities, items at
// indentation 0, 2 or 4, CRLF, the whole list on one line — and on mutations of those texts. The
// model, the problems (line and column), the entity and key lines: always exactly the full
// reader's. FC_SEED=<n> explores other cases.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Entity, Sidecar } from '../../src/core/model/model';
import { readSidecar, readSidecarFull, readSidecarSegmented } from '../../src/core/sidecar/sidecar-read';
import { SIDECAR_HEADER, writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { seededProperties } from './helpers/fc';
import { mutate, mutationArb, sidecarArb } from './helpers/sidecar-gen';

const PROPERTIES = seededProperties(31337);
const { check } = PROPERTIES;
const COUNTS = { texts: 0, segmented: 0, scannedItems: 0, parsedAlone: 0, valid: 0, mutated: 0, mutatedSegmented: 0 };

// ---- How another tool or a hand might write a sidecar ------------------------------------------

interface Style {
  header: boolean;
  crlf: boolean;
  indent: 0 | 2 | 4;
  inline: boolean;
  /** Which key order, spacing, quoting… each entity gets, by entity index (cycled). */
  entityStyles: EntityStyle[];
  comments: boolean[];
  entitiesFirst: boolean;
}

interface EntityStyle {
  block: boolean;
  order: number[];
  quoteKeys: 0 | 1 | 2;
  values: Array<'json' | 'ascii' | 'single' | 'plain' | 'yaml'>;
  space: [string, string, string];
  trailingComment: boolean;
}

const styleArb: fc.Arbitrary<Style> = fc.record({
  header: fc.boolean(),
  crlf: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 3, arbitrary: fc.constant(false) }),
  indent: fc.constantFrom(0 as const, 2 as const, 4 as const),
  inline: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 6, arbitrary: fc.constant(false) }),
  entityStyles: fc.array(fc.record({
    block: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 5, arbitrary: fc.constant(false) }),
    order: fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { minLength: 10, maxLength: 10 }),
    quoteKeys: fc.constantFrom(0 as const, 0 as const, 1 as const, 2 as const),
    values: fc.array(fc.constantFrom('json', 'ascii', 'single', 'plain', 'yaml'), { minLength: 10, maxLength: 10 }),
    space: fc.tuple(fc.constantFrom('', ' ', '  '), fc.constantFrom(' ', '  '), fc.constantFrom('', ' ')),
    trailingComment: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 4, arbitrary: fc.constant(false) }),
  }), { minLength: 1, maxLength: 4 }),
  comments: fc.array(fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 4, arbitrary: fc.constant(false) }), { minLength: 1, maxLength: 5 }),
  entitiesFirst: fc.oneof({ weight: 1, arbitrary: fc.constant(true) }, { weight: 5, arbitrary: fc.constant(false) }),
});

/** `v` as a YAML scalar in one of several spellings (not always one that reads back as `v`). */
function scalar(v: string | number | boolean, how: EntityStyle['values'][number]): string {
  if (typeof v !== 'string') return String(v);
  switch (how) {
    case 'json': return JSON.stringify(v);
    case 'ascii': return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`); // Python's json.dumps
    case 'single': return /[\n\r]/.test(v) ? JSON.stringify(v) : `'${v.replace(/'/g, "''")}'`;
    case 'plain': return /^[A-Za-z0-9_][A-Za-z0-9_ .:-]*$/.test(v) && !v.endsWith(' ') ? v : JSON.stringify(v);
    case 'yaml': return JSON.stringify(v).replace(/\\u00a0/g, '\\_').replace(/\\u001b/g, '\\e').replace(/\\u0000/g, '\\0').replace(/é/g, '\\xE9').replace(/😀/g, '\\U0001F600');
  }
}

const KEYS = ['id', 'label', 'start', 'end', 'text', 'note', 'attrs', 'by', 'src', 'suggested'] as const;

function entityText(e: Entity, st: EntityStyle, indent: string, nl: string): string {
  const key = (k: string) => (st.quoteKeys === 1 ? `"${k}"` : st.quoteKeys === 2 ? `'${k}'` : k);
  const fields: string[] = [];
  for (const i of st.order) {
    const k = KEYS[i] as (typeof KEYS)[number];
    const v = e[k];
    if (v === undefined) continue;
    const how = st.values[i] ?? 'json';
    if (k === 'attrs') {
      const inner = Object.entries(v as Record<string, string>).map(([n, x]) => `${scalar(n, how)}:${st.space[1]}${scalar(x, how)}`).join(`,${st.space[1]}`);
      fields.push(`${key(k)}:${st.space[1]}{${inner}}`);
    } else fields.push(`${key(k)}:${st.space[1]}${scalar(v as string | number | boolean, how)}`);
  }
  const comment = st.trailingComment ? '  # checked' : '';
  if (!st.block) return `${indent}-${st.space[1]}{${st.space[0]}${fields.join(`,${st.space[2]} `)}${st.space[0]}}${comment}${nl}`;
  return fields.map((f, i) => `${i === 0 ? `${indent}- ` : `${indent}  `}${f}${i === 0 ? comment : ''}${nl}`).join('');
}

function oddText(model: Sidecar, st: Style): string {
  const nl = st.crlf ? '\r\n' : '\n';
  const indent = ' '.repeat(st.indent);
  const head: string[] = [];
  if (st.header) head.push(...SIDECAR_HEADER.split('\n').map((l) => l + nl));
  const keys = [`version: ${model.version}${nl}`, `document: ${JSON.stringify(model.document)}${nl}`];
  if (model.sha256 !== undefined) keys.push(`sha256: ${model.sha256}${nl}`);
  keys.push(`status: ${model.status}${nl}`);
  let list: string;
  if (st.inline) {
    const items = model.entities.map((e, i) => entityText(e, { ...(st.entityStyles[i % st.entityStyles.length] as EntityStyle), block: false, trailingComment: false }, '', ''));
    list = `entities: [${items.map((x) => x.replace(/^-\s*/, '')).join(', ')}]${nl}`;
  } else {
    list = `entities:${nl}`;
    model.entities.forEach((e, i) => {
      if (st.comments[i % st.comments.length]) list += i % 2 ? `${indent}# about the next one${nl}` : `${nl}# reviewed${nl}`;
      list += entityText(e, st.entityStyles[i % st.entityStyles.length] as EntityStyle, indent, nl);
    });
    if (model.entities.length === 0) list = `entities: []${nl}`;
  }
  return [...head, ...(st.entitiesFirst ? [list, ...keys] : [...keys, list])].join('');
}

// ---- The differential check -------------------------------------------------------------------

/** The contract: readSidecar, and the segmented read when it answers, give exactly the full reader's result. */
function differential(text: string): { segmented: boolean; valid: boolean } {
  const full = readSidecarFull(text);
  const stats = { parsedAlone: 0 };
  const seg = readSidecarSegmented(text, stats);
  if (seg !== undefined) {
    assert.deepStrictEqual(seg, full, `segmented and full readers disagree on:\n${JSON.stringify(text)}`);
    assert.deepStrictEqual([...seg.entityLines], [...full.entityLines], 'entity lines in the same order');
    assert.deepStrictEqual([...seg.keyLines], [...full.keyLines], 'key lines in the same order');
    COUNTS.scannedItems += (seg.sidecar?.entities.length ?? 0) - stats.parsedAlone;
    COUNTS.parsedAlone += stats.parsedAlone;
  }
  assert.deepStrictEqual(readSidecar(text), full, `readSidecar and the full reader disagree on:\n${JSON.stringify(text)}`);
  return { segmented: seg !== undefined, valid: full.sidecar !== undefined && full.problems.length === 0 };
}

function bigModel(n: number): Sidecar {
  const entities: Entity[] = [];
  for (let i = 0; i < n; i++) {
    entities.push({ id: `e${i.toString(36).padStart(5, '0')}`, label: ['PER', 'ORG', 'LOC'][i % 3] as string, start: i * 10, end: i * 10 + 5, text: `t${i}"\u00a0é😀`, ...(i % 7 === 0 ? { attrs: { kb: `Q${i}` } } : {}), by: 'amina', src: 'manual' });
  }
  return { version: 1, document: 'big.txt', sha256: 'f'.repeat(64), status: 'done', entities };
}

describe(`segmented sidecar reader: any flow spelling, block items alone (fast-check, ${PROPERTIES.title})`, function () {
  this.timeout(120_000);

  after(function () {
    console.log(`      differential cases: ${COUNTS.texts} odd texts (${COUNTS.segmented} read segmented, ${COUNTS.valid} valid; ${COUNTS.scannedItems} entities scanned, ${COUNTS.parsedAlone} items parsed alone),`
      + ` ${COUNTS.mutated} mutated texts (${COUNTS.mutatedSegmented} read segmented)`);
  });

  it('a canonical sidecar without its header comment is read line by line, no item parsed by YAML', () => {
    const model = bigModel(2000);
    const text = writeSidecar(model).slice(SIDECAR_HEADER.length + 1);
    const stats = { parsedAlone: 0 };
    const seg = readSidecarSegmented(text, stats);
    assert.ok(seg, 'the segmented read answers');
    assert.equal(stats.parsedAlone, 0);
    assert.deepStrictEqual(seg, readSidecarFull(text));
    assert.deepStrictEqual(seg.sidecar, model);
    assert.equal(seg.entityLines.get('e00000'), 6);
  });

  it('a few hand-edited block-style entities among 2,000 are parsed alone, the rest scanned', () => {
    const model = bigModel(2000);
    const lines = writeSidecar(model).split('\n');
    let edited = 0;
    for (let i = 100; i < lines.length && edited < 10; i += 150, edited++) {
      const e = model.entities[i - 7] as Entity;
      lines[i] = `  - id: ${e.id}\n    label: ${e.label}\n    start: ${e.start}\n    end: ${e.end}\n    text: ${JSON.stringify(e.text)}\n    by: amina\n    src: manual`;
    }
    const text = lines.join('\n');
    const stats = { parsedAlone: 0 };
    const seg = readSidecarSegmented(text, stats);
    assert.ok(seg);
    assert.equal(stats.parsedAlone, 10);
    assert.deepStrictEqual(seg, readSidecarFull(text));
  });

  it('problems in a large non-canonical sidecar: the full reader\'s, at the same line and column', () => {
    const model = bigModel(500);
    let text = writeSidecar(model).replace(/\n/g, '\r\n').replace('status: done', 'status: finished');
    text = text.replace('start: 300, end: 305', 'start: 305, end: 300').replace('id: e0000a,', 'id: e00009,').replace('label: LOC, start: 200,', 'label: LOC, stat: 200,');
    const stats = { parsedAlone: 0 };
    const seg = readSidecarSegmented(text, stats);
    assert.ok(seg);
    assert.equal(stats.parsedAlone, 3);
    const full = readSidecarFull(text);
    assert.ok(full.problems.length >= 4, JSON.stringify(full.problems));
    assert.deepStrictEqual(seg, full);
  });

  it('reads a flow list on one line (entities: [{…}, …]) without the YAML parser', () => {
    const model = bigModel(300);
    const items = model.entities.map((e) => `{id: ${e.id}, label: ${e.label}, start: ${e.start}, end: ${e.end}, text: ${JSON.stringify(e.text)}${e.attrs ? `, attrs: {kb: ${e.attrs.kb}}` : ''}, by: amina, src: manual}`);
    const text = `version: 1\ndocument: big.txt\nsha256: ${'f'.repeat(64)}\nstatus: done\nentities: [${items.join(', ')}]\n`;
    const seg = readSidecarSegmented(text);
    assert.ok(seg);
    assert.deepStrictEqual(seg, readSidecarFull(text));
    assert.deepStrictEqual(seg.sidecar, model);
  });

  it('equals the full reader on generated sidecars written in other spellings', () => {
    check(fc.property(sidecarArb, styleArb, (model, style) => {
      const r = differential(oddText(model, style));
      COUNTS.texts++;
      if (r.segmented) COUNTS.segmented++;
      if (r.valid) COUNTS.valid++;
    }), 600);
    assert.ok(COUNTS.segmented > 300, `only ${COUNTS.segmented} texts were read segmented`);
    assert.ok(COUNTS.scannedItems > 250 && COUNTS.parsedAlone > 100, `scanned ${COUNTS.scannedItems}, parsed alone ${COUNTS.parsedAlone}`);
  });

  it('equals the full reader on mutations of those texts', () => {
    check(fc.property(sidecarArb, styleArb, fc.array(mutationArb, { minLength: 1, maxLength: 2 }), (model, style, mutations) => {
      let t = oddText(model, style);
      for (const m of mutations) t = mutate(t, m);
      const r = differential(t);
      COUNTS.mutated++;
      if (r.segmented) COUNTS.mutatedSegmented++;
    }), 600);
    assert.ok(COUNTS.mutatedSegmented > 150, `only ${COUNTS.mutatedSegmented} mutated texts were read segmented`);
  });
});
