// The bad-input matrix: each odd or hostile input either gets a clear error naming the file, the
// line and the problem, or is handled correctly. Cases already covered elsewhere are listed here
// with where (so the matrix reads whole) and not repeated:
//   BOM in the article (offsets after it)          article.test, validate.test
//   CRLF article offsets, CRLF sidecar fmt          validate.test, cli.test (fmt)
//   NFD offsets, astral offsets, Arabic             validate.test, offsets.test
//   ZWJ, bidi, NBSP in sidecar texts                sidecar.test (round trip), property.test
//   binary / Latin-1 article under validate         cli.test ("a binary article", "not UTF-8")
//   YAML alias bomb, deep nesting (sidecar)         sidecar.test
//   out of range, start >= end, negative, 1.5,
//   duplicate ids, unknown label, wrong text        sidecar.test, validate.test, cli.test
//   missing article                                 cli.test (validate, fmt), reanchor-cli.test
//   read-only sidecar, symlinked sidecar            cli.test (fmt), reanchor-cli.test
//   a sidecar linked outside its corpus             symlinked-sidecars.test
//   FIFO, symlink, `-` as an output target          output-targets.test
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { decodeArticle } from '../../src/core/model/article';
import { readConfig } from '../../src/core/config/config';
import { Entity, Sidecar } from '../../src/core/model/model';
import { OffsetMap } from '../../src/core/model/offsets';
import { reanchor } from '../../src/core/review/reanchor';
import { sha256Hex } from '../../src/core/model/sha256';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { validateAgainstArticle } from '../../src/core/sidecar/validate';
import { cli } from './helpers/cli';
import { article, demoArticle, entityAt } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';

const { makeTree } = tempDirs('bad-input');

const cpLen = (s: string) => [...s].length;
/** An entity on the n-th occurrence of `surface`, code point offsets. */
const ent = (text: string, surface: string, id: string, label = 'PER', nth = 0): Entity => entityAt(text, surface, label, id, nth);
const sidecarOf = (bytes: Uint8Array | string, entities: Entity[], document = 'a.txt'): string =>
  writeSidecar({ version: 1, document, sha256: sha256Hex(typeof bytes === 'string' ? Buffer.from(bytes) : bytes), status: 'in-progress', entities });
const LABELS = new Set(['PER', 'ORG', 'LOC', 'DATE', 'EVENT', 'MISC']);

const TEXT = 'M. Laftit est à Rabat.\n';
const entities = [ent(TEXT, 'Laftit', 'p1'), ent(TEXT, 'Rabat', 'l1', 'LOC')];

describe('bad input', () => {
  describe('encodings and line ends', () => {

    it('BOM: an article re-saved with a BOM keeps its offsets; reanchor records the new hash, nothing moves', async () => {
      const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)]);
      const root = await makeTree({ 'a.txt': withBom, 'a.txt.ann.yaml': sidecarOf(TEXT, entities) });
      const v = await cli(['validate'], root);
      assert.match(v.stdout, /^a\.txt\.ann\.yaml:4:1: warning: the article changed since this sidecar was written \(sha256 differs\); every entity's text is still at its offsets.*`corpus-annotator reanchor`/);
      const r = await cli(['reanchor'], root);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.stdout, 'a.txt.ann.yaml: re-anchored: 2 in place, 0 moved; written\n');
      assert.equal(fs.readFileSync(path.join(root, 'a.txt.ann.yaml'), 'utf8'), sidecarOf(withBom, entities));
      assert.equal((await cli(['validate'], root)).stdout, '');
    });

    it('BOM: a sidecar saved with a BOM is read (and fmt writes it without)', async () => {
      const side = sidecarOf(TEXT, entities);
      const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': '\ufeff' + side });
      assert.deepEqual(readSidecar('\ufeff' + side).problems, []);
      const v = await cli(['validate'], root);
      assert.deepEqual([v.code, v.stdout], [0, '']);
      assert.equal((await cli(['fmt'], root)).code, 0);
      assert.equal(fs.readFileSync(path.join(root, 'a.txt.ann.yaml'), 'utf8'), side);
    });

    it('CRLF: a sidecar with CRLF line ends reports problems at the right line', async () => {
      const bad = sidecarOf(TEXT, [entities[0] as Entity, { ...(entities[1] as Entity), text: 'Rabbat' }]).replace(/\n/g, '\r\n');
      const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': bad });
      const v = await cli(['validate'], root);
      assert.match(v.stdout, /^a\.txt\.ann\.yaml:8:1: error: entity l1 \(LOC\) says its text is "Rabbat"/);
    });

    it('mixed line ends (LF, CRLF, a lone CR) count one code point each; normalised to LF, every entity is found', () => {
      const text = 'Titre\r\nM. Laftit\rà Rabat\nle 3 mai\r\nà Fès.';
      const es = [ent(text, 'Laftit', 'p1'), ent(text, 'Rabat', 'l1', 'LOC'), ent(text, '3 mai', 'd1', 'DATE'), ent(text, 'Fès', 'l2', 'LOC')];
      assert.deepEqual(es.map((e) => e.start), [10, 19, 28, 37]);
      const a = article(text);
      assert.deepEqual(validateAgainstArticle({ version: 1, document: 'a.txt', status: 'todo', entities: es }, a, { labels: LABELS }), []);
      const lf = text.replace(/\r\n?/g, '\n');
      const r = reanchor(es, lf);
      assert.deepEqual(r.entities.map((e) => [e.id, e.start]), [ent(lf, 'Laftit', 'p1'), ent(lf, 'Rabat', 'l1'), ent(lf, '3 mai', 'd1'), ent(lf, 'Fès', 'l2')].map((e) => [e.id, e.start]));
      assert.deepEqual([r.orphans, r.ambiguous], [[], []]);
    });

    it('NFD: an article re-normalised NFC → NFD: accented entities become flagged fuzzy moves (or orphans), never silent ones', () => {
      const { article: a } = demoArticle('002_');
      const parsed = readSidecar(fs.readFileSync(path.join(path.dirname(demoArticlePath('002_')), path.basename(demoArticlePath('002_')) + '.ann.yaml'), 'utf8'));
      const entities = (parsed.sidecar as Sidecar).entities;
      const nfd = a.text.normalize('NFD');
      assert.notEqual(nfd, a.text);
      const r = reanchor(entities, nfd);
      const map = new OffsetMap(nfd);
      const fuzzy = new Set(r.moved.filter((m) => m.how === 'fuzzy').map((m) => m.entity.id));
      for (const e of r.entities) {
        const before = entities.find((x) => x.id === e.id) as Entity;
        assert.equal(map.slice(e.start, e.end), e.text);
        if (before.text === before.text.normalize('NFD')) assert.equal(e.text, before.text, `${e.id} has no accent: found exactly`);
        else {
          assert.ok(fuzzy.has(e.id), `${e.id} «${before.text}» has accents: only a fuzzy match can find it`);
          assert.equal(e.text, before.text.normalize('NFD'));
        }
      }
      assert.ok(fuzzy.size > 0);
      assert.equal(r.entities.length + r.orphans.length + r.ambiguous.length, entities.length);
    });

    it('astral characters: an emoji inserted before the entities shifts them by one code point each (not two UTF-16 units)', () => {
      const text = 'M. Laftit est à Rabat.';
      const es = [ent(text, 'Laftit', 'p1'), ent(text, 'Rabat', 'l1', 'LOC')];
      const r = reanchor(es, '🚨𝔸 ' + text);
      assert.deepEqual(r.moved.map((m) => [m.entity.id, m.entity.start - m.from.start]), [['p1', 3], ['l1', 3]]);
    });

    it('Arabic and mixed RTL/LTR text with bidi marks: validated and re-anchored by code points', () => {
      const text = 'قال عبد اللطيف حموشي\u200f « المغرب » et l’Interpol à الرباط.';
      const es = [ent(text, 'عبد اللطيف حموشي', 'a1'), ent(text, 'المغرب', 'a2', 'LOC'), ent(text, 'Interpol', 'a3', 'ORG'), ent(text, 'الرباط', 'a4', 'LOC')];
      const s: Sidecar = { version: 1, document: 'a.txt', status: 'todo', entities: es };
      const parsed = readSidecar(writeSidecar(s));
      assert.deepEqual(validateAgainstArticle(parsed.sidecar as Sidecar, article(text), { labels: LABELS }), []);
      const r = reanchor(es, 'عاجل: ' + text);
      assert.equal(r.moved.length, 4);
      assert.ok(r.moved.every((m) => m.entity.start === m.from.start + 6));
    });

    it('zero-width joiners: a family emoji is 5 code points; written with visible escapes, re-anchored whole', () => {
      const text = 'La famille 👩‍👩‍👧 de M. Laftit.';
      const family = ent(text, '👩‍👩‍👧', 'm1', 'MISC');
      assert.equal(family.end - family.start, 5);
      const side = writeSidecar({ version: 1, document: 'a.txt', status: 'todo', entities: [family] });
      assert.match(side, /text: "👩\\u200D👩\\u200D👧"/);
      assert.deepEqual(validateAgainstArticle(readSidecar(side).sidecar as Sidecar, article(text), {}), []);
      const r = reanchor([family], 'Photo : ' + text);
      assert.deepEqual(r.moved.map((m) => m.entity.start - m.from.start), [8]);
      // A joiner removed inside it: a different sequence, never moved silently.
      const split = reanchor([family], text.replace('👩‍👩', '👩👩'));
      assert.deepEqual(split.moved.map((m) => m.how), ['fuzzy']);
    });
  });

  describe('size', () => {
    it('a 50 MB article is validated and re-anchored (generated in memory)', function () {
      this.slow(20_000);
      this.timeout(120_000);
      const para = 'Le ministre de l’Intérieur, M. Laftit, a présenté à Rabat le budget 2026 devant la commission. 🚨 Interpol était là.\n';
      const paraLen = cpLen(para);
      const copies = Math.ceil(50e6 / Buffer.byteLength(para));
      const old = para.repeat(copies);
      const entities: Entity[] = [];
      for (let k = 0; k < copies; k += Math.floor(copies / 40)) {
        for (const [surface, label] of [['Laftit', 'PER'], ['Rabat', 'LOC'], ['Interpol', 'ORG']] as const) {
          const start = k * paraLen + cpLen(para.slice(0, para.indexOf(surface)));
          entities.push({ id: `${label.toLowerCase()}${k}`, label, start, end: start + cpLen(surface), text: surface });
        }
      }
      const bytes = Buffer.from('Nouveau titre.\n' + old, 'utf8');
      assert.ok(bytes.length > 50e6);
      const a = decodeArticle(bytes);
      const problems = validateAgainstArticle({ version: 1, document: 'a.txt', sha256: sha256Hex(Buffer.from(old)), status: 'todo', entities }, a, { labels: LABELS });
      assert.ok(problems.every((p) => p.code === 'text-mismatch'));
      const r = reanchor(entities, a);
      for (const e of r.entities) assert.equal(a.offsets.slice(e.start, e.end), e.text);
      for (const m of r.moved) assert.equal(m.entity.start - m.from.start, 15);
      assert.equal(r.entities.length + r.orphans.length + r.ambiguous.length, entities.length);
    });
  });

  describe('files', () => {

    it('a binary file matched by the article glob: ignored without a sidecar; with one, a clear error and nothing written', async () => {
      const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]);
      const side = sidecarOf(TEXT, entities, 'logo.txt');
      const root = await makeTree({ 'logo.txt': png, 'a.txt': TEXT, 'a.txt.ann.yaml': sidecarOf(TEXT, entities) });
      assert.deepEqual((await cli(['validate'], root)).code, 0);
      await fsp.writeFile(path.join(root, 'logo.txt.ann.yaml'), side);
      const r = await cli(['reanchor'], root);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^logo\.txt\.ann\.yaml:3:1: error: its article logo\.txt cannot be annotated: this looks like a binary file \(a NUL byte at byte 8\)/m);
      assert.equal(fs.readFileSync(path.join(root, 'logo.txt.ann.yaml'), 'utf8'), side);
    });

    it('a Latin-1 article: the first bad byte named, nothing re-anchored', async () => {
      const side = sidecarOf(TEXT, entities);
      const root = await makeTree({ 'a.txt': Buffer.from('M. Laftit est à Rabat.\n', 'latin1'), 'a.txt.ann.yaml': side });
      const r = await cli(['reanchor'], root);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^a\.txt\.ann\.yaml:3:1: error: its article a\.txt cannot be annotated: the file is not valid UTF-8 \(first bad byte at offset 14\); re-save it as UTF-8/m);
      assert.equal(fs.readFileSync(path.join(root, 'a.txt.ann.yaml'), 'utf8'), side);
    });

    it('an invalid label configuration (not UTF-8, or a directory): reported with its path; no sidecar under it is rewritten', async () => {
      const moved = '🚨 ' + TEXT;
      const root = await makeTree({ '.corpus-annotator.yaml': Buffer.from('labels: [PER, LOC]\n# caf\xe9\n', 'latin1'), 'a.txt': moved, 'a.txt.ann.yaml': sidecarOf(TEXT, entities) });
      const v = await cli(['validate'], root);
      assert.match(v.stdout, /^\.corpus-annotator\.yaml:1:1: error: this label configuration is not valid UTF-8; re-save it as UTF-8$/m);
      const r = await cli(['reanchor'], root);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^\.corpus-annotator\.yaml:1:1: error: this label configuration is not valid UTF-8/m);
      assert.match(r.stderr, /^a\.txt\.ann\.yaml:1:1: error: not re-anchored: its label configuration \.corpus-annotator\.yaml has errors; fix them first$/m);
      assert.equal(fs.readFileSync(path.join(root, 'a.txt.ann.yaml'), 'utf8'), sidecarOf(TEXT, entities));
      await fsp.rm(path.join(root, '.corpus-annotator.yaml'));
      await fsp.mkdir(path.join(root, '.corpus-annotator.yaml'));
      assert.match((await cli(['validate'], root)).stdout, /^\.corpus-annotator\.yaml:1:1: error: cannot read this label configuration: it is a directory \(EISDIR\); using the default labels$/m);
    });

    it('a label configuration that is an alias bomb or absurdly deep: problems, no hang, defaults used', () => {
      const bomb = ['version: 1', 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
      for (let i = 1; i < 12; i++) bomb.push(`a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]`);
      bomb.push('labels: *a11');
      const b = readConfig(bomb.join('\n'));
      assert.ok(b.problems.length > 0);
      assert.ok(b.config.labels.length > 0);
      const deep = readConfig('labels: ' + '['.repeat(20000) + ']'.repeat(20000) + '\n');
      assert.ok(deep.problems.some((p) => p.severity === 'error'));
      assert.equal(deep.config.labels.length, 6);
    });

    it('a symlinked article is followed; a dangling one is a missing article', async () => {
      const root = await makeTree({ 'store/a.txt': TEXT, 'a.txt.ann.yaml': sidecarOf(TEXT, entities), 'b.txt.ann.yaml': sidecarOf(TEXT, entities, 'b.txt') });
      await fsp.symlink(path.join('store', 'a.txt'), path.join(root, 'a.txt'));
      await fsp.symlink(path.join('store', 'gone.txt'), path.join(root, 'b.txt'));
      const v = await cli(['validate'], root);
      assert.equal(v.stdout, 'b.txt.ann.yaml:3:1: error: its article b.txt does not exist (a sidecar belongs to the file beside it with the same name minus ".ann.yaml"); restore or rename the article, or rename or delete this sidecar\n');
    });
  });

  describe('messages that say what is wrong and what to do (issue 22 item 6)', () => {
    const side = sidecarOf(TEXT, entities);

    it('a sidecar nested absurdly deep: "nested too deeply" at its line, not "Maximum call stack size exceeded"', async () => {
      const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': 'version: 1\nentities: ' + '['.repeat(10000) + ']'.repeat(10000) + '\n' });
      const v = await cli(['validate'], root);
      assert.equal(v.code, 1);
      assert.match(v.stdout, /^a\.txt\.ann\.yaml:2:\d+: error: this file is nested too deeply to be read \(thousands of brackets or indentation levels\); a sidecar is only a few levels deep$/m);
      assert.doesNotMatch(v.stdout, /call stack/);
      assert.equal(v.stdout.split('\n').filter((l) => /too deeply/.test(l)).length, 1, 'said once');
    });

    for (const [endian, bytes, iconv] of [
      ['little', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]), 'UTF-16LE'],
      ['big', Buffer.from(TEXT, 'utf16le').swap16(), 'UTF-16BE'],
    ] as const) {
      it(`a UTF-16 (${endian} endian) article: named as UTF-16 with how to re-save it, not "binary"`, async () => {
        const root = await makeTree({ 'a.txt': bytes, 'a.txt.ann.yaml': side });
        const v = await cli(['validate'], root);
        assert.equal(v.code, 1);
        assert.match(v.stdout, new RegExp(`^a\\.txt\\.ann\\.yaml:3:1: error: its article a\\.txt cannot be annotated: this file is UTF-16 \\(${endian} endian\\), not UTF-8: re-save it as UTF-8 \\(for example with \`iconv -f ${iconv} -t UTF-8\``, 'm'));
        assert.doesNotMatch(v.stdout, /binary/);
      });
    }

    it('a sidecar holding two YAML documents: "more than one YAML document (a `---` line)" at the `---` line', async () => {
      const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': side + '---\n' + side });
      const v = await cli(['validate'], root);
      assert.equal(v.code, 1);
      const line = side.split('\n').length;
      assert.match(v.stdout, new RegExp(`^a\\.txt\\.ann\\.yaml:${line}:1: error: more than one YAML document \\(a \`---\` line\\): a sidecar holds exactly one`, 'm'));
      assert.doesNotMatch(v.stdout, /parseAllDocuments/);
    });

    it('a sidecar with CR-only line ends (old Mac): said so once, with what to do; fmt leaves it as it is', async () => {
      const cr = side.replace(/\n/g, '\r');
      const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': cr });
      const v = await cli(['validate'], root);
      assert.equal(v.code, 1);
      assert.equal(v.stdout, `a.txt.ann.yaml:1:${side.indexOf('\n') + 1}: error: this sidecar has CR-only line endings (old Mac), which YAML readers do not all take for line breaks; convert them to LF or CRLF\n`);
      assert.equal((await cli(['fmt'], root)).code, 1);
      assert.equal(fs.readFileSync(path.join(root, 'a.txt.ann.yaml'), 'utf8'), cr);
    });

    it('YAML tags (!!js/function, !foo) are refused at their line and column, and fmt does not drop them', async () => {
      const tagged = side.replace('status: in-progress', 'status: !foo in-progress').replace('label: PER', 'label: !!js/function PER');
      assert.notEqual(tagged, side);
      const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': tagged });
      const v = await cli(['validate'], root);
      assert.equal(v.code, 1);
      const lines = tagged.split('\n');
      const at = (needle: string) => {
        const i = lines.findIndex((l) => l.includes(needle));
        return `${i + 1}:${(lines[i] as string).indexOf(needle) + 1}`;
      };
      assert.match(v.stdout, new RegExp(`^a\\.txt\\.ann\\.yaml:${at('!foo')}: error: a YAML tag \\(!foo\\) is not allowed in a sidecar`, 'm'));
      assert.match(v.stdout, new RegExp(`^a\\.txt\\.ann\\.yaml:${at('!!js/function')}: error: a YAML tag \\(!!js/function\\) is not allowed in a sidecar`, 'm'));
      const f = await cli(['fmt'], root);
      assert.equal(f.code, 1);
      assert.equal(fs.readFileSync(path.join(root, 'a.txt.ann.yaml'), 'utf8'), tagged);
    });

    it('an invalid .corpus-annotator.yaml fails fmt, stats, export, gazetteer and import as it fails validate (file:line:col: problem); nothing is written under it', async () => {
      const unformatted = side.replace('status: in-progress', 'status:   in-progress');
      const config = 'version: 1\nlabels:\n  - {name: PER, color: nope}\n';
      const root = await makeTree({ 'corpus/.corpus-annotator.yaml': config, 'corpus/a.txt': TEXT, 'corpus/a.txt.ann.yaml': unformatted, 'in.jsonl': '{"text": "M. Laftit est à Rabat.\\n", "spans": [{"start": 3, "end": 9, "label": "PER"}]}\n' });
      const v = await cli(['validate', 'corpus'], root);
      const configLine = /^corpus\/\.corpus-annotator\.yaml:3:\d+: error: .+$/m;
      const expected = (v.stdout.match(configLine) ?? [''])[0];
      assert.notEqual(expected, '', v.stdout);
      for (const argv of [['fmt', 'corpus'], ['stats', 'corpus'], ['export', '--format', 'jsonl', '-o', 'out.jsonl', 'corpus'], ['gazetteer', 'corpus'], ['import', '--format', 'jsonl', 'in.jsonl', 'corpus']]) {
        const r = await cli(argv, root);
        assert.equal(r.code, 1, `${argv[0]}: ${r.stderr}`);
        assert.equal(r.stderr.split('\n').filter((l) => l === expected).length, 1, `${argv[0]} reports the configuration's error once: ${r.stderr}`);
      }
      assert.equal(fs.readFileSync(path.join(root, 'corpus/a.txt.ann.yaml'), 'utf8'), unformatted, 'fmt and import left it alone');
      assert.equal(fs.readFileSync(path.join(root, 'out.jsonl'), 'utf8'), '', 'nothing exported under the broken configuration');
    });
  });

  describe('offsets and entities', () => {
    const entityLine = (fields: string) => `version: 1\ndocument: a.txt\nentities:\n  - {id: a, label: PER, ${fields}, text: x}\n`;
    const cases: Array<[string, string, RegExp]> = [
      ['a negative end', 'start: 0, end: -1', /`end` cannot be negative \(-1\)/],
      ['a quoted number', 'start: "0", end: 1', /`start` must be a whole number of characters, not "0"/],
      ['an empty offset', 'start: , end: 1', /`start` must be a whole number of characters, not empty/],
      ['a null offset', 'start: ~, end: 1', /not ~/],
      ['infinity', 'start: .inf, end: 1', /not \.inf/],
      ['a list', 'start: [0], end: 1', /not \[0\]/],
      ['an offset beyond 2^53', 'start: 0, end: 99999999999999999999', /`end` is too large \(99999999999999999999\)/],
      ['1e3', 'start: 0, end: 1e3', /not 1e3/],
      ['a key given twice', 'start: 0, end: 1, end: 2', /YAML syntax error: Map keys must be unique/],
    ];
    for (const [name, fields, message] of cases) {
      it(`${name}: an error at line 4`, () => {
        const r = readSidecar(entityLine(fields));
        assert.equal(r.sidecar, undefined);
        const p = r.problems.find((x) => message.test(x.message));
        assert.ok(p, JSON.stringify(r.problems.map((x) => x.message)));
        assert.equal(p.line, 4);
      });
    }

    it('reanchor repairs what it can (a text typed wrong by hand: flagged fuzzy) and refuses invalid sidecars (duplicate ids, start >= end)', async () => {
      const hand = sidecarOf(TEXT, [entities[0] as Entity, { ...(entities[1] as Entity), text: 'Rabbat' }]);
      const dup = sidecarOf(TEXT, entities).replace('id: l1', 'id: p1');
      const empty = sidecarOf(TEXT, entities).replace('start: 3, end: 9', 'start: 9, end: 9');
      const unknown = sidecarOf('🚨 ' + TEXT, [{ ...(entities[0] as Entity), label: 'PERSON' }]);
      const root = await makeTree({ 'a.txt': TEXT, 'a.txt.ann.yaml': hand, 'b.txt': TEXT, 'b.txt.ann.yaml': dup, 'c.txt': TEXT, 'c.txt.ann.yaml': empty, 'd.txt': '🚨 ' + TEXT, 'd.txt.ann.yaml': unknown });
      await fsp.writeFile(path.join(root, 'd.txt'), 'Alerte 🚨 ' + TEXT);
      const r = await cli(['reanchor'], root);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^a\.txt\.ann\.yaml:8: moved LOC «Rabbat» 16-21 → 16-21 as «Rabat» \(fuzzy, 1 edit: check it\)$/m);
      assert.match(r.stderr, /^b\.txt\.ann\.yaml:8:\d+: error: entity id "p1" is used twice \(first on line 7\)/m);
      assert.match(r.stderr, /^c\.txt\.ann\.yaml:7:\d+: error: entity p1 has start 9 not before end 9/m);
      assert.match(r.stdout, /^d\.txt\.ann\.yaml:7: moved PERSON «Laftit» 3-9 → 12-18$/m, 'an unknown label is only a warning');
      assert.match(r.stderr, /2 re-anchored, 0 up to date, 2 invalid/);
      assert.equal(fs.readFileSync(path.join(root, 'b.txt.ann.yaml'), 'utf8'), dup);
      assert.equal(fs.readFileSync(path.join(root, 'c.txt.ann.yaml'), 'utf8'), empty);
    });
  });
});

function demoArticlePath(prefix: string): string {
  return demoArticle(prefix).path;
}
