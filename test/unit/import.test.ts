// Imports (src/core/exchange/import and `corpus-annotator import`): the readers of each format, the
// matching of source documents with articles, the merge into sidecars (identical entities
// skipped, conflicts reported), dry runs, invalid sidecars left untouched.
import { strict as assert } from 'node:assert';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { Article, articleFromText } from '../../src/core/model/article';
import {
  ArticleMatcher, ImportedSpan, ImportRecord, mergeImported, parseBrat, parseDoccanoLine, parseJsonlLine, parseLabelStudio,
} from '../../src/core/exchange/import';
import { Entity, Sidecar } from '../../src/core/model/model';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { cli } from './helpers/cli';
import { entityAt } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';

const TEXT = 'Bravo 🎉 Raja Casablanca !\r\nLe club a été reçu à Casablanca par M. Laftit.\r\n';
const RAJA = entityAt(TEXT, 'Raja Casablanca', 'ORG', 'borg01');
const CASA = entityAt(TEXT, 'Casablanca', 'LOC', 'bloc02', 1);
const LAFTIT = entityAt(TEXT, 'Laftit', 'PER', 'bper03');
const utf16 = (surface: string, nth = 0) => {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = TEXT.indexOf(surface, at + 1);
  return [at, at + surface.length] as const;
};

describe('import readers', () => {
  it('JSONL: code points; kb_id → attrs.kb; note and attrs; meta.document and status', () => {
    const line = JSON.stringify({
      text: TEXT,
      spans: [{ start: RAJA.start, end: RAJA.end, label: 'ORG', kb_id: 'wikidata:Q1', note: 'club', attrs: { sport: 'football' } }, { start: 1, end: 2 }],
      meta: { document: 'b.txt', status: 'done' },
    });
    const p = parseJsonlLine(line, 'x.jsonl:3');
    assert.deepEqual(p.records, [{ origin: 'x.jsonl:3', text: TEXT, document: 'b.txt', status: 'done', spans: [{ start: 8, end: 23, label: 'ORG', note: 'club', attrs: { sport: 'football', kb: 'wikidata:Q1' } }] }]);
    assert.deepEqual(p.issues.map((i) => i.message), ['span 2 is not {"start": n, "end": n, "label": "…"}: {"start":1,"end":2}']);
    assert.match(parseJsonlLine('{"text": "a", "answer": "reject"}', 'x').issues[0]?.message ?? '', /not imported: Prodigy's answer is "reject"/);
    assert.match(parseJsonlLine('{"text": ', 'x').issues[0]?.message ?? '', /not valid JSON/);
  });

  it('doccano: UTF-16 offsets become code points; both the label and the entities shapes', () => {
    const [s, e] = utf16('Raja Casablanca');
    assert.equal(s, RAJA.start + 1, 'after the emoji, UTF-16 counts one more');
    const p = parseDoccanoLine(JSON.stringify({ text: TEXT, label: [[s, e, 'ORG']], document: 'b.txt' }), 'd:1');
    assert.deepEqual(p.records[0]?.spans, [{ start: RAJA.start, end: RAJA.end, label: 'ORG' }]);
    assert.equal(p.records[0]?.document, 'b.txt');
    const q = parseDoccanoLine(JSON.stringify({ text: TEXT, entities: [{ id: 1, start_offset: s, end_offset: e, label: 'ORG' }] }), 'd:2');
    assert.deepEqual(q.records[0]?.spans, p.records[0]?.spans);
    const split = parseDoccanoLine(JSON.stringify({ text: TEXT, label: [[7, 9, 'X']] }), 'd:3');
    assert.match(split.issues[0]?.message ?? '', /splits a character/);
  });

  it('Label Studio: labels results of annotations not cancelled; others and predictions reported', () => {
    const [s, e] = [RAJA.start, RAJA.end];
    const [cs, ce] = [CASA.start, CASA.end];
    const tasks = [{
      id: 12,
      data: { text: TEXT, document: 'b.txt' },
      annotations: [
        { result: [
          { id: 'r1', from_name: 'label', to_name: 'text', type: 'labels', value: { start: s, end: e, text: 'Raja Casablanca', labels: ['ORG'] } },
          { id: 'r2', type: 'choices', value: { choices: ['sport'] } },
        ] },
        { was_cancelled: true, result: [{ id: 'r3', type: 'labels', value: { start: cs, end: ce, labels: ['ORG'] } }] },
        { completed_by: { email: 'ann@example.org' }, result: [{ id: 'r4', type: 'labels', value: { start: cs, end: ce, labels: ['LOC'] } }] },
      ],
      predictions: [{ result: [] }],
    }];
    const p = parseLabelStudio(JSON.stringify(tasks), 'ls.json');
    assert.deepEqual(p.records[0]?.spans, [
      { start: RAJA.start, end: RAJA.end, label: 'ORG', text: 'Raja Casablanca' },
      { start: CASA.start, end: CASA.end, label: 'LOC', by: 'ann@example.org' },
    ]);
    assert.deepEqual(p.issues.map((i) => `${i.origin}: ${i.severity}: ${i.message}`), [
      'ls.json: task 1 (id 12): warning: 1 result(s) other than "labels" (choices, text areas, relations…) not imported',
      'ls.json: task 1 (id 12): warning: 1 prediction(s) not imported (only annotations are)',
    ]);
  });

  it('Label Studio: UTF-16 offsets (an old export) are an error when value.text shows them off', () => {
    const [s, e] = utf16('Raja Casablanca');
    const task = { data: { text: TEXT }, annotations: [{ result: [{ id: 'r', type: 'labels', value: { start: s, end: e, text: 'Raja Casablanca', labels: ['ORG'] } }] }] };
    const p = parseLabelStudio(JSON.stringify(task), 'ls.json');
    assert.deepEqual(p.records[0]?.spans, []);
    assert.match(p.issues[0]?.message ?? '', /result r \(9-24\): its text "Raja Casablanca" is not the task's text at these offsets/);
  });

  it('brat: entities, notes, references, attributes; discontinuous fragments joined over line breaks; relations reported', () => {
    const ann = [
      `T1\tORG ${RAJA.start} ${RAJA.end}\tRaja Casablanca`,
      `T2\tPER ${LAFTIT.start} ${LAFTIT.end}\tLaftit`,
      '#1\tAnnotatorNotes T2\tministre',
      'N1\tReference T2 wikidata:Q3551\tLaftit',
      'A1\tNegated T1',
      'A2\tgender T2 m',
      'R1\tMember Arg1:T2 Arg2:T1',
      'T3\tORG 0 5;8 12\tBravo Raja',
      'T4\tMISC 0 5;6 7\tBravo 🎉',
      'garbage',
    ].join('\n');
    const p = parseBrat(TEXT, ann, 'b.ann', 'b.txt');
    assert.deepEqual(p.records[0]?.spans, [
      { start: RAJA.start, end: RAJA.end, label: 'ORG', text: 'Raja Casablanca', attrs: { Negated: 'true' } },
      { start: LAFTIT.start, end: LAFTIT.end, label: 'PER', text: 'Laftit', note: 'ministre', attrs: { kb: 'wikidata:Q3551', gender: 'm' } },
      { start: 0, end: 7, label: 'MISC' },
    ]);
    assert.deepEqual(p.issues.map((i) => `${i.origin}: ${i.message}`), [
      'b.ann:8: entity T3 is discontinuous (" 🎉 " between its fragments): a sidecar entity is one span; not imported',
      'b.ann:10: cannot read this line: garbage',
      'b.ann: 1 relation, event or equivalence line(s) not imported (a sidecar holds entities only)',
    ]);
  });
});

describe('mergeImported', () => {
  const article = articleFromText(TEXT);
  const existing: Sidecar = { version: 1, document: 'b.txt', sha256: article.sha256, status: 'reviewed', entities: [RAJA, LAFTIT] };
  const span = (e: Entity, label = e.label): ImportedSpan => ({ start: e.start, end: e.end, label });

  it('skips identical entities, adds new ones with new ids and src import:<format>', () => {
    const r = mergeImported(existing, article, 'b.txt', [span(RAJA), span(CASA)], { format: 'brat', overlap: 'nested', random: () => 0.5 });
    assert.deepEqual(r.identical, [span(RAJA)]);
    assert.equal(r.added.length, 1);
    const added = r.added[0] as Entity;
    assert.deepEqual({ ...added, id: '' }, { id: '', label: 'LOC', start: CASA.start, end: CASA.end, text: 'Casablanca', src: 'import:brat' });
    assert.match(added.id, /^[a-z][a-z0-9]{5}$/);
    assert.equal(r.sidecar.status, 'reviewed');
    assert.equal(r.sidecar.entities.length, 3);
    assert.deepEqual(existing.entities, [RAJA, LAFTIT], 'the input is not modified');
  });

  it('reports an overlapping entity with another label as a conflict and does not add it', () => {
    const r = mergeImported(existing, article, 'b.txt', [span(RAJA, 'LOC'), { start: RAJA.start + 5, end: RAJA.end, label: 'LOC' }], { format: 'jsonl', overlap: 'allow' });
    assert.deepEqual(r.conflicts.map((c) => c.reason), ['borg01 is ORG on the same text', 'borg01 is ORG on text around it']);
    assert.deepEqual(r.added, []);
    assert.equal(r.sidecar, existing, 'nothing added: the same sidecar');
  });

  it('adds an entity nested in one of the same label; reports what the overlap policy forbids', () => {
    const inner = { start: RAJA.start + 5, end: RAJA.end, label: 'ORG' };
    assert.equal(mergeImported(existing, article, 'b.txt', [inner], { format: 'jsonl', overlap: 'nested' }).added.length, 1);
    const forbid = mergeImported(existing, article, 'b.txt', [inner], { format: 'jsonl', overlap: 'forbid' });
    assert.match(forbid.conflicts[0]?.reason ?? '', /overlap policy "forbid" forbids/);
    const partial = mergeImported(undefined, article, 'b.txt', [span(RAJA), { start: RAJA.start + 5, end: RAJA.end + 2, label: 'ORG' }], { format: 'jsonl', overlap: 'nested' });
    assert.equal(partial.added.length, 1);
    assert.match(partial.conflicts[0]?.reason ?? '', /overlap/);
  });

  it('entities of one source document may nest with other labels (an EVENT around an ORG)', () => {
    const r = mergeImported(undefined, article, 'b.txt', [span(RAJA), { start: CASA.start - 0, end: CASA.end, label: 'LOC' }, { start: RAJA.start + 5, end: RAJA.end, label: 'LOC' }], { format: 'jsonl', overlap: 'nested' });
    assert.equal(r.added.length, 3);
  });

  it('rejects spans outside the article or whose text differs; a new sidecar takes the given status', () => {
    const r = mergeImported(undefined, article, 'b.txt', [
      { start: 70, end: 999, label: 'X' },
      { start: RAJA.start, end: RAJA.end, label: 'ORG', text: 'Raja Casablanc' },
      { ...span(LAFTIT), note: 'ministre', attrs: { kb: 'wikidata:Q3551' } },
    ], { format: 'labelstudio', overlap: 'nested', status: 'done' });
    assert.deepEqual(r.invalid.map((x) => x.reason), [
      `ends at 999, past the end of the article (${[...TEXT].length} characters)`,
      'the source says its text is "Raja Casablanc" but the article has "Raja Casablanca" at 8-23',
    ]);
    assert.deepEqual(r.sidecar.entities.map((e) => [e.text, e.note, e.attrs]), [['Laftit', 'ministre', { kb: 'wikidata:Q3551' }]]);
    assert.deepEqual({ ...r.sidecar, entities: [] }, { version: 1, document: 'b.txt', sha256: article.sha256, status: 'done', entities: [] });
  });
});

describe('ArticleMatcher', () => {
  const articles: Record<string, Article> = {
    'a.txt': articleFromText('Texte A.\n'),
    'sub/b.txt': articleFromText(TEXT),
    'other/b.txt': articleFromText('Un autre b.\n'),
    'same1.txt': articleFromText('Pareil.\n'),
    'same2.txt': articleFromText('Pareil.\n'),
  };
  const loads: string[] = [];
  const matcher = new ArticleMatcher(Object.keys(articles).map((k) => ({ key: k, relPath: k })), async (k) => {
    loads.push(k);
    return articles[k];
  });
  const rec = (text: string, document?: string): ImportRecord => ({ origin: 'o', text, spans: [], ...(document ? { document } : {}) });

  it('matches by name when the text is identical (brat X.txt, a relative path, a bare name)', async () => {
    assert.deepEqual(await matcher.match(rec(TEXT, 'b.txt')).then((m) => [m.key, 'by' in m && m.by]), ['sub/b.txt', 'name']);
    assert.deepEqual(await matcher.match(rec('Un autre b.\n', 'other/b.txt')).then((m) => [m.key, 'by' in m && m.by]), ['other/b.txt', 'name']);
    assert.deepEqual(await matcher.match(rec('Texte A.\n', 'a.txt.txt')).then((m) => m.key), 'a.txt');
  });

  it('matches by text identity when there is no name, or the named article has another text', async () => {
    assert.deepEqual(await matcher.match(rec(TEXT)).then((m) => [m.key, 'by' in m && m.by]), ['sub/b.txt', 'text']);
    assert.deepEqual(await matcher.match(rec(TEXT, 'a.txt')).then((m) => [m.key, 'by' in m && m.by]), ['sub/b.txt', 'text']);
  });

  it('reports no match, a name with another text, and several articles with the same text', async () => {
    assert.equal((await matcher.match(rec('Inconnu.'))).key, undefined);
    assert.match(String((await matcher.match(rec('Inconnu.', 'a.txt')) as { reason: string }).reason), /a\.txt has this name but a different text/);
    assert.match(String((await matcher.match(rec('Pareil.\n')) as { reason: string }).reason), /2 articles have exactly this text \(same1\.txt, same2\.txt\)/);
  });
});

// ---------------------------------------------------------------------------------------------
// The command line

const { makeTree } = tempDirs('import');

/** Every file under a directory with its bytes and modification time. */
async function snapshot(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const walk = async (d: string) => {
    for (const e of await fsp.readdir(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) await walk(abs);
      else out.set(path.relative(dir, abs), `${(await fsp.stat(abs)).mtimeMs} ${(await fsp.readFile(abs)).toString('base64')}`);
    }
  };
  await walk(dir);
  return out;
}

describe('corpus-annotator import', () => {
  const sidecarOf = (entities: Entity[], status: Sidecar['status'] = 'reviewed') => writeSidecar({ version: 1, document: 'b.txt', sha256: articleFromText(TEXT).sha256, status, entities });
  const jsonl = (spans: object[], document?: string) => JSON.stringify({ text: TEXT, spans, ...(document ? { meta: { document } } : {}) }) + '\n';
  const s = (e: Entity, label = e.label) => ({ start: e.start, end: e.end, label });

  it('reports conflicts (exit 1), skips identical entities, adds the rest; the sidecar stays valid', async () => {
    const root = await makeTree({
      'corpus/b.txt': TEXT,
      'corpus/b.txt.ann.yaml': sidecarOf([RAJA]),
      'in.jsonl': jsonl([s(RAJA), s(RAJA, 'LOC'), s(CASA), s(LAFTIT)], 'b.txt'),
    });
    const r = await cli(['import', '--format', 'jsonl', 'in.jsonl', 'corpus'], root);
    assert.equal(r.stdout, 'corpus/b.txt: added 2 entities from in.jsonl:1, matched by name; 1 already there, 1 conflict\n');
    assert.equal(r.stderr, [
      'in.jsonl:1: error: conflict, not imported: LOC 8-23 "Raja Casablanca" in corpus/b.txt.ann.yaml: borg01 is ORG on the same text "Raja Casablanca"',
      'import (jsonl): 1 source document: 1 matched (1 by name, 0 by text); 2 entities added to 1 sidecar; 1 already there; 1 conflict',
      '',
    ].join('\n'));
    assert.equal(r.code, 1);
    const after = readSidecar(await fsp.readFile(path.join(root, 'corpus/b.txt.ann.yaml'), 'utf8'));
    assert.deepEqual(after.problems, []);
    assert.deepEqual(after.sidecar?.entities.map((e) => `${e.label} ${e.text} ${e.src ?? ''}`), ['ORG Raja Casablanca ', 'LOC Casablanca import:jsonl', 'PER Laftit import:jsonl']);
    assert.equal(after.sidecar?.status, 'reviewed');
    assert.equal((await cli(['validate', 'corpus'], root)).code, 0);
    const again = await cli(['import', '--format', 'jsonl', 'in.jsonl', 'corpus'], root);
    assert.match(again.stdout, /nothing to add \(in\.jsonl:1, matched by name; 3 already there, 1 conflict\)/);
  });

  it('--dry-run prints what would change and writes nothing', async () => {
    const root = await makeTree({
      'corpus/b.txt': TEXT,
      'corpus/b.txt.ann.yaml': sidecarOf([RAJA]),
      'corpus/new.txt': 'Le Maroc.\n',
      'in.jsonl': jsonl([s(RAJA), s(LAFTIT)], 'b.txt') + JSON.stringify({ text: 'Le Maroc.\n', spans: [{ start: 3, end: 8, label: 'LOC' }] }) + '\n',
    });
    const before = await snapshot(path.join(root, 'corpus'));
    const r = await cli(['import', '--format', 'jsonl', '--dry-run', 'in.jsonl', 'corpus'], root);
    assert.equal(r.stdout, [
      'corpus/b.txt: would add 1 entity from in.jsonl:1, matched by name; 1 already there',
      '  + PER 66-72 "Laftit"',
      'corpus/new.txt: would add 1 entity (new new.txt.ann.yaml) from in.jsonl:2, matched by text',
      '  + LOC 3-8 "Maroc"',
      '',
    ].join('\n'));
    assert.equal(r.stderr, 'import (jsonl), dry run, nothing written: 2 source documents: 2 matched (1 by name, 1 by text); 2 entities would be added to 2 sidecars (1 new); 1 already there; 0 conflicts\n');
    assert.equal(r.code, 0);
    assert.deepEqual(await snapshot(path.join(root, 'corpus')), before);
  });

  it('never rewrites an invalid sidecar', async () => {
    const broken = sidecarOf([RAJA]).replace('text: "Raja Casablanca"', 'text: "Raja"');
    const root = await makeTree({ 'corpus/b.txt': TEXT, 'corpus/b.txt.ann.yaml': broken, 'in.jsonl': jsonl([s(LAFTIT)]) });
    const before = await snapshot(path.join(root, 'corpus'));
    const r = await cli(['import', '-f', 'jsonl', 'in.jsonl', 'corpus'], root);
    assert.match(r.stderr, /^in\.jsonl:1: error: not imported: the sidecar corpus\/b\.txt\.ann\.yaml is invalid and is never rewritten/);
    assert.equal(r.code, 1);
    assert.deepEqual(await snapshot(path.join(root, 'corpus')), before);
  });

  it('matches by text identity: a renamed article, a document without a name; reports unmatched ones', async () => {
    const root = await makeTree({
      'corpus/renamed.txt': TEXT,
      'in.jsonl': jsonl([s(LAFTIT)], 'b.txt') + JSON.stringify({ text: 'Rien de tel.\n', spans: [] }) + '\n',
    });
    const r = await cli(['import', '-f', 'jsonl', 'in.jsonl', 'corpus'], root);
    assert.equal(r.stdout, 'corpus/renamed.txt: added 1 entity (created renamed.txt.ann.yaml) from in.jsonl:1, matched by text\n');
    assert.match(r.stderr, /^in\.jsonl:2: error: not imported: no article has this exact text\n/);
    assert.equal(r.code, 1);
    const created = readSidecar(await fsp.readFile(path.join(root, 'corpus/renamed.txt.ann.yaml'), 'utf8'));
    assert.deepEqual(created.sidecar && { ...created.sidecar, entities: created.sidecar.entities.map((e) => e.text) },
      { version: 1, document: 'renamed.txt', sha256: articleFromText(TEXT).sha256, status: 'in-progress', entities: ['Laftit'] });
  });

  it('reads doccano, Label Studio and brat sources (doccano\'s UTF-16 offsets converted)', async () => {
    const [rs, re] = utf16('Raja Casablanca');
    const root = await makeTree({
      'corpus/b.txt': TEXT,
      'd.jsonl': JSON.stringify({ text: TEXT, label: [[rs, re, 'ORG']] }) + '\n',
      'ls.json': JSON.stringify([{ data: { text: TEXT }, annotations: [{ result: [{ id: 'x', type: 'labels', value: { start: RAJA.start, end: RAJA.end, labels: ['ORG'] } }] }] }]),
      'brat/b.txt': TEXT,
      'brat/b.ann': `T1\tORG ${RAJA.start} ${RAJA.end}\tRaja Casablanca\nT2\tPER ${LAFTIT.start} ${LAFTIT.end}\tLaftit\n`,
    });
    assert.match((await cli(['import', '-f', 'doccano', 'd.jsonl', 'corpus'], root)).stdout, /added 1 entity \(created b\.txt\.ann\.yaml\)/);
    assert.match((await cli(['import', '-f', 'labelstudio', 'ls.json', 'corpus'], root)).stdout, /nothing to add .*1 already there/);
    const b = await cli(['import', '-f', 'brat', 'brat', 'corpus'], root);
    assert.equal(b.stdout, 'corpus/b.txt: added 1 entity from brat/b.ann, matched by name; 1 already there\n');
    assert.equal(b.code, 0);
  });

  it('usage errors exit 2', async () => {
    const root = await makeTree({ 'x.jsonl': '' });
    for (const argv of [['import', 'x.jsonl'], ['import', '-f', 'xml', 'x.jsonl'], ['import', '-f', 'jsonl'], ['import', '-f', 'jsonl', 'a', 'b', 'c']]) {
      const r = await cli(argv, root);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /^corpus-annotator import: .*\nRun 'corpus-annotator import --help' for usage\.\n$/);
    }
    const missing = await cli(['import', '-f', 'jsonl', 'nope.jsonl'], root);
    assert.equal(missing.stderr, 'nope.jsonl: error: cannot read it: no such file or directory (ENOENT)\n');
    assert.equal(missing.code, 1);
    assert.match((await cli(['import', '--help'], root)).stdout, /^Usage: corpus-annotator import --format <format>/);
  });
});
