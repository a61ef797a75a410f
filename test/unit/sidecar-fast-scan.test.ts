import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { Entity } from '../../src/core/model/model';
import { EntityFields, fastReadSidecar, fastScanSidecar } from '../../src/core/sidecar/sidecar-fast-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { seededProperties } from './helpers/fc';
import { mutate, mutationArb, sidecarArb } from './helpers/sidecar-gen';

/** What fastScanSidecar visits, as entities (the fields the summaries use). */
function scanned(text: string): { status: string; entities: Partial<Entity & { kb: string; canonical: string }>[] } | undefined {
  const entities: Partial<Entity & { kb: string; canonical: string }>[] = [];
  const status = fastScanSidecar(text, (f: Readonly<EntityFields>) => {
    entities.push({ id: f.id, label: f.label, start: f.start, end: f.end, text: f.text, ...(f.kb !== undefined ? { kb: f.kb } : {}), ...(f.canonical !== undefined ? { canonical: f.canonical } : {}), ...(f.by !== undefined ? { by: f.by } : {}), ...(f.src !== undefined ? { src: f.src } : {}), ...(f.suggested ? { suggested: true } : {}) });
  });
  return status === undefined ? undefined : { status, entities };
}

function fromRead(text: string): ReturnType<typeof scanned> {
  const read = fastReadSidecar(text);
  if (!read?.sidecar) return undefined;
  return {
    status: read.sidecar.status,
    entities: read.sidecar.entities.map((e) => ({ id: e.id, label: e.label, start: e.start, end: e.end, text: e.text, ...(e.attrs?.kb !== undefined ? { kb: e.attrs.kb } : {}), ...(e.attrs?.canonical !== undefined ? { canonical: e.attrs.canonical } : {}), ...(e.by !== undefined ? { by: e.by } : {}), ...(e.src !== undefined ? { src: e.src } : {}), ...(e.suggested ? { suggested: true } : {}) })),
  };
}

const PROPERTIES = seededProperties(4711);

describe(`fast sidecar scan (summaries without entity objects; ${PROPERTIES.title})`, () => {
  it('accepts exactly what fastReadSidecar accepts, with the same fields, on generated and mutated sidecars', () => {
    PROPERTIES.check(fc.property(sidecarArb, mutationArb, (sidecar, mutation) => {
      const canonical = writeSidecar(sidecar);
      assert.deepEqual(scanned(canonical), fromRead(canonical));
      const mutated = mutate(canonical, mutation);
      assert.deepEqual(scanned(mutated), fromRead(mutated));
    }), 300);
  });

  it('rejects a duplicate id, an unsorted entity and CRLF, as fastReadSidecar does', () => {
    const head = '# Corpus Annotator sidecar. Offsets are Unicode code points, end-exclusive. Check with: corpus-annotator validate\nversion: 1\ndocument: a.txt\nstatus: todo\nentities:\n';
    const a = '  - {id: aaaaaa, label: PER, start: 0, end: 3, text: "Ann"}\n';
    const b = '  - {id: bbbbbb, label: ORG, start: 4, end: 7, text: "😀é"}\n';
    assert.ok(scanned(head + a + b));
    for (const text of [head + a + a.replace('start: 0, end: 3', 'start: 4, end: 5'), head + b + a, (head + a + b).replace(/\n/g, '\r\n')]) {
      assert.equal(fromRead(text), undefined);
      assert.equal(scanned(text), undefined);
    }
  });
});
