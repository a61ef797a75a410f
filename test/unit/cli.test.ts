// The corpus-annotator command-line tool: run in-process through run(argv, io) on corpora built
// in temporary directories, and once as the real bundled executable (dist/cli.js).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import { canonicalSidecar } from '../../src/cli/fmt';
import { CliFs } from '../../src/cli/io';
import { computeStats, formatStatsTable } from '../../src/cli/stats';
import { articleFromText } from '../../src/core/model/article';
import { Entity, Sidecar } from '../../src/core/model/model';
import { sha256Hex } from '../../src/core/model/sha256';
import { SIDECAR_HEADER, writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { buildCliIfStale, cli, CLI_BIN, CliResult } from './helpers/cli';
import { entityAt, REPO_ROOT } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';

// Small literal articles: accents, ’, « », an emoji before an entity, CRLF line ends.
const A_TEXT = 'Le ministre de l’Intérieur, Abdelouafi Laftit, a présenté « Maroc Numérique 2030 » à Rabat.\n';
const B_TEXT = 'Bravo 🎉 Raja Casablanca !\r\nLe club a été reçu à Casablanca le 14 mars 2025.\r\n';
const C_TEXT = 'Aucune entité annotée ici, « pour l’instant ».\n';

const utf8 = (s: string) => Buffer.from(s, 'utf8');
const sha = (s: string) => sha256Hex(utf8(s));

function sidecar(text: string, document: string, status: Sidecar['status'], entities: Entity[]): string {
  return writeSidecar({ version: 1, document, sha256: sha(text), status, entities });
}

const A_ENTITIES = [
  entityAt(A_TEXT, 'Abdelouafi Laftit', 'PER', 'aper01'),
  entityAt(A_TEXT, 'Maroc Numérique 2030', 'MISC', 'amis02'),
  entityAt(A_TEXT, 'Rabat', 'LOC', 'aloc03'),
];
const B_ENTITIES = [
  entityAt(B_TEXT, 'Raja Casablanca', 'ORG', 'borg01'),
  entityAt(B_TEXT, 'Casablanca', 'LOC', 'bloc02', 1),
  entityAt(B_TEXT, '14 mars 2025', 'DATE', 'bdat03'),
];

/** The demo corpus of these tests: two valid sidecars, an article without one, and decoys. */
function validCorpus(): Record<string, string | Uint8Array> {
  return {
    'a.txt': A_TEXT,
    'a.txt.ann.yaml': sidecar(A_TEXT, 'a.txt', 'in-progress', A_ENTITIES),
    'sub/b.txt': B_TEXT,
    'sub/b.txt.ann.yaml': sidecar(B_TEXT, 'b.txt', 'done', B_ENTITIES),
    'c.txt': C_TEXT,
    // never searched: these would be errors
    'node_modules/pkg/x.txt.ann.yaml': 'version: [',
    '.git/y.txt.ann.yaml': 'version: [',
  };
}

const { makeTree } = tempDirs('cli');

/** A file system whose `op` fails with `code` for the paths `when` selects. */
function failingFs(op: 'readFile' | 'open', when: (p: string) => boolean, code = 'EACCES'): CliFs {
  const real = fsp[op] as (...args: unknown[]) => Promise<unknown>;
  const wrapped = async (...args: unknown[]) => {
    const p = String(args[0]);
    if (when(p)) throw Object.assign(new Error(`${code}: permission denied, open '${p}'`), { code, path: p });
    return real(...args);
  };
  return { ...fsp, [op]: wrapped } as CliFs;
}

function lines(s: string): string[] {
  return s.split('\n').filter((l) => l !== '');
}

/** 1-based column of `needle` in a line of `text`. */
function colOf(text: string, line: number, needle: string): number {
  const l = text.split('\n')[line - 1] ?? '';
  const i = l.indexOf(needle);
  if (i < 0) throw new Error(`no "${needle}" on line ${line}`);
  return i + 1;
}

function assertNoStack(r: CliResult): void {
  assert.doesNotMatch(r.stdout + r.stderr, /\n\s+at .*\(.*:\d+:\d+\)/, 'no stack trace');
  assert.doesNotMatch(r.stdout + r.stderr, /internal error/);
}

describe('corpus-annotator CLI', () => {
  describe('the test fixtures', () => {
    it('use code point offsets: after the emoji, the JS index is one more', () => {
      const raja = B_ENTITIES[0] as Entity;
      assert.equal(raja.start, 8);
      assert.equal(B_TEXT.indexOf('Raja'), 9);
      assert.ok(B_TEXT.includes('\r\n'));
    });
  });

  describe('validate', () => {
    it('accepts a valid corpus (exit 0), skipping node_modules and .git', async () => {
      const root = await makeTree(validCorpus());
      const r = await cli(['validate'], root);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, '2 sidecars checked: 0 with errors, 0 problems (0 errors, 0 warnings)\n');
      assert.equal(r.code, 0);
    });

    it('prints warnings but exits 0 when there are only warnings', async () => {
      const entities = [...A_ENTITIES.slice(0, 2), { ...(A_ENTITIES[2] as Entity), label: 'PLACE' }];
      const root = await makeTree({ 'corpus/a.txt': A_TEXT, 'corpus/a.txt.ann.yaml': sidecar(A_TEXT, 'a.txt', 'todo', entities) });
      const r = await cli(['validate', 'corpus'], root);
      assert.deepEqual(lines(r.stdout).map((l) => l.replace(/ \(known:.*/, '')), [
        'corpus/a.txt.ann.yaml:9:1: warning: entity aloc03 has the label "PLACE", which is not in the label configuration',
      ]);
      assert.equal(r.stderr, '1 sidecar checked: 0 with errors, 1 problem (0 errors, 1 warning)\n');
      assert.equal(r.code, 0);
    });

    describe('reports each kind of invalid sidecar with path:line:col and exits 1', () => {
      async function expectOne(files: Record<string, string | Uint8Array>, prefix: string, message: RegExp): Promise<CliResult> {
        const root = await makeTree(files);
        const r = await cli(['validate', 'corpus'], root);
        const out = lines(r.stdout);
        assert.equal(out.length, 1, r.stdout);
        assert.ok(out[0]?.startsWith(prefix), `${out[0]} should start with ${prefix}`);
        assert.match(out[0] as string, message);
        assert.equal(r.code, 1);
        assert.match(r.stderr, /^1 sidecar checked: 1 with errors, 1 problem \(1 error, 0 warnings\)\n$/);
        assertNoStack(r);
        return r;
      }

      it('an entity whose text does not match the article', async () => {
        const shifted = { ...(A_ENTITIES[0] as Entity), start: 29, end: 46 };
        await expectOne(
          { 'corpus/a.txt': A_TEXT, 'corpus/a.txt.ann.yaml': sidecar(A_TEXT, 'a.txt', 'todo', [shifted, A_ENTITIES[2] as Entity]) },
          'corpus/a.txt.ann.yaml:7:1: error: ',
          /entity aper01 \(PER\) says its text is "Abdelouafi Laftit" but the article has "bdelouafi Laftit," at 29-46/,
        );
      });

      it('an entity past the end of the article', async () => {
        const past = { id: 'zzz999', label: 'LOC', start: 90, end: 97, text: 'Rabat.\nX' };
        await expectOne(
          { 'corpus/a.txt': A_TEXT, 'corpus/a.txt.ann.yaml': sidecar(A_TEXT, 'a.txt', 'todo', [A_ENTITIES[0] as Entity, past]) },
          'corpus/a.txt.ann.yaml:8:1: error: ',
          /entity zzz999 .* ends at 97, past the end of the article \(92 characters\)/,
        );
      });

      it('start not before end', async () => {
        const src = 'version: 1\ndocument: a.txt\nstatus: todo\nentities:\n  - {id: e1, label: PER, start: 45, end: 28, text: "Abdelouafi Laftit"}\n';
        await expectOne({ 'corpus/a.txt': A_TEXT, 'corpus/a.txt.ann.yaml': src },
          `corpus/a.txt.ann.yaml:5:${colOf(src, 5, '45')}: error: `, /start 45 not before end 28/);
      });

      it('a duplicate id', async () => {
        const src = 'version: 1\ndocument: a.txt\nstatus: todo\nentities:\n'
          + '  - {id: e1, label: PER, start: 28, end: 45, text: "Abdelouafi Laftit"}\n'
          + '  - {id: e1, label: LOC, start: 85, end: 90, text: "Rabat"}\n';
        await expectOne({ 'corpus/a.txt': A_TEXT, 'corpus/a.txt.ann.yaml': src },
          `corpus/a.txt.ann.yaml:6:${colOf(src, 6, 'e1')}: error: `, /entity id "e1" is used twice \(first on line 5\)/);
      });

      it('a YAML syntax error', async () => {
        const src = 'version: 1\ndocument: a.txt\nstatus: todo\nentities:\n  - {id: e1, label: PER, start: 28, end: 45, text: "Abdelouafi Laftit"}}\n';
        await expectOne({ 'corpus/a.txt': A_TEXT, 'corpus/a.txt.ann.yaml': src },
          `corpus/a.txt.ann.yaml:5:${src.split('\n')[4]!.lastIndexOf('}') + 1}: error: `, /YAML syntax error/);
      });

      it('an unknown key', async () => {
        const src = 'version: 1\ndocument: a.txt\nstatuss: todo\nentities: []\n';
        await expectOne({ 'corpus/a.txt': A_TEXT, 'corpus/a.txt.ann.yaml': src },
          'corpus/a.txt.ann.yaml:3:1: error: ', /unknown key `statuss` \(did you mean `status`\?\)/);
      });

      it('a missing article, naming both files', async () => {
        await expectOne({ 'corpus/a.txt.ann.yaml': sidecar(A_TEXT, 'a.txt', 'todo', A_ENTITIES) },
          'corpus/a.txt.ann.yaml:3:1: error: ', /its article corpus\/a\.txt does not exist/);
      });

      it('a binary article', async () => {
        await expectOne({ 'corpus/a.txt': Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0xff]), 'corpus/a.txt.ann.yaml': sidecar(A_TEXT, 'a.txt', 'todo', []) },
          'corpus/a.txt.ann.yaml:3:1: error: ', /its article corpus\/a\.txt cannot be annotated: this looks like a binary file/);
      });

      it('an article that is not UTF-8 (Latin-1)', async () => {
        await expectOne({ 'corpus/a.txt': Buffer.from('Le ministre de l\'Int\xe9rieur\n', 'latin1'), 'corpus/a.txt.ann.yaml': sidecar(A_TEXT, 'a.txt', 'todo', []) },
          'corpus/a.txt.ann.yaml:3:1: error: ', /its article corpus\/a\.txt cannot be annotated: the file is not valid UTF-8 \(first bad byte at offset 20\)/);
      });
    });

    it('names files as the user gave them: default ".", a directory, a file, an article, an absolute path', async () => {
      const bad = { ...(A_ENTITIES[0] as Entity), text: 'Laftit' };
      const root = await makeTree({ 'corpus/a.txt': A_TEXT, 'corpus/a.txt.ann.yaml': sidecar(A_TEXT, 'a.txt', 'todo', [bad]) });
      const corpus = path.join(root, 'corpus');
      const first = async (argv: string[], cwd: string) => (lines((await cli(argv, cwd)).stdout)[0] ?? '').replace(/: error: .*/, '');
      assert.equal(await first(['validate'], corpus), 'a.txt.ann.yaml:7:1');
      assert.equal(await first(['validate', '.'], corpus), 'a.txt.ann.yaml:7:1');
      assert.equal(await first(['validate', 'corpus/'], root), 'corpus/a.txt.ann.yaml:7:1');
      assert.equal(await first(['validate', 'corpus/a.txt.ann.yaml'], root), 'corpus/a.txt.ann.yaml:7:1');
      assert.equal(await first(['validate', 'corpus/a.txt'], root), 'corpus/a.txt.ann.yaml:7:1');
      assert.equal(await first(['validate', corpus], os.tmpdir()), `${corpus}/a.txt.ann.yaml:7:1`);
      assert.equal(await first(['validate', '../corpus'], path.join(root, 'corpus')), '../corpus/a.txt.ann.yaml:7:1');
    });

    it('uses the nearest .corpus-annotator.yaml and reports its problems with its path', async () => {
      const root = await makeTree({
        '.corpus-annotator.yaml': 'labels: [PER, MISC]\ncolour: red\n',
        'a.txt': A_TEXT,
        'a.txt.ann.yaml': sidecar(A_TEXT, 'a.txt', 'todo', A_ENTITIES),
        'sub/.corpus-annotator.yaml': 'labels: [ORG, LOC, DATE]\noverlap: forbid\n',
        'sub/b.txt': B_TEXT,
        'sub/b.txt.ann.yaml': sidecar(B_TEXT, 'b.txt', 'todo', B_ENTITIES),
      });
      const r = await cli(['validate'], root);
      assert.deepEqual(lines(r.stdout).map((l) => l.replace(/ \(known:.*/, '')), [
        '.corpus-annotator.yaml:2:1: error: unknown key `colour`; known keys: version, labels, overlap, articles, exclude, suggestions',
        'a.txt.ann.yaml:9:1: warning: entity aloc03 has the label "LOC", which is not in the label configuration',
      ]);
      assert.equal(r.stderr, '2 sidecars checked: 0 with errors, 2 problems (1 error, 1 warning)\n');
      assert.equal(r.code, 1);
      // From inside sub/, the parent's configuration is not used: the nearest one wins.
      const inSub = await cli(['validate', 'b.txt.ann.yaml'], path.join(root, 'sub'));
      assert.equal(inSub.stdout, '');
      assert.equal(inSub.code, 0);
      // …and a parent's configuration problem is named relative to the working directory.
      const fromSubOfA = await cli(['validate', '../a.txt.ann.yaml'], path.join(root, 'sub'));
      assert.match(fromSubOfA.stdout, /^\.\.\/\.corpus-annotator\.yaml:2:1: error: unknown key `colour`/);
    });

    it('--quiet prints only the problems; --json prints machine-readable results', async () => {
      const bad = { ...(A_ENTITIES[0] as Entity), text: 'Laftit' };
      const root = await makeTree({
        'a.txt': A_TEXT, 'a.txt.ann.yaml': sidecar(A_TEXT, 'a.txt', 'todo', [bad]),
        'sub/b.txt': B_TEXT, 'sub/b.txt.ann.yaml': sidecar(B_TEXT, 'b.txt', 'done', B_ENTITIES),
      });
      const quiet = await cli(['validate', '--quiet'], root);
      assert.equal(quiet.stderr, '');
      assert.equal(lines(quiet.stdout).length, 1);
      assert.equal(quiet.code, 1);
      assert.equal((await cli(['validate', '-q', 'sub'], root)).stdout, '');

      const json = await cli(['validate', '--json'], root);
      assert.equal(json.code, 1);
      const report = JSON.parse(json.stdout);
      assert.deepEqual(Object.keys(report), ['ok', 'summary', 'files']);
      assert.equal(report.ok, false);
      assert.deepEqual(report.summary, { sidecars: 2, withErrors: 1, problems: 1, errors: 1, warnings: 0 });
      assert.equal(report.files.length, 2);
      const [a, b] = report.files;
      assert.deepEqual({ ...a, problems: undefined }, { path: 'a.txt.ann.yaml', kind: 'sidecar', article: 'a.txt', valid: false, problems: undefined });
      assert.deepEqual(Object.keys(a.problems[0]), ['severity', 'code', 'line', 'column', 'message', 'entityId']);
      assert.equal(a.problems[0].code, 'text-mismatch');
      assert.equal(a.problems[0].line, 7);
      assert.equal(a.problems[0].entityId, 'aper01');
      assert.deepEqual(b, { path: path.join('sub', 'b.txt.ann.yaml'), kind: 'sidecar', article: path.join('sub', 'b.txt'), valid: true, problems: [] });
    });

    it('reports an unreadable sidecar and a missing path without a stack trace (exit 1)', async () => {
      const root = await makeTree({ 'a.txt': A_TEXT, 'a.txt.ann.yaml': sidecar(A_TEXT, 'a.txt', 'todo', A_ENTITIES) });
      const denied = failingFs('readFile', (p) => p.endsWith('a.txt.ann.yaml'));
      const r = await cli(['validate', '.'], root, denied);
      assert.equal(r.stdout, 'a.txt.ann.yaml:1:1: error: cannot read this sidecar: permission denied (EACCES)\n');
      assert.equal(r.code, 1);
      assertNoStack(r);

      const missing = await cli(['validate', 'nowhere', 'a.txt.ann.yaml'], root);
      assert.equal(missing.stdout, 'nowhere: error: no such file or directory (ENOENT)\n');
      assert.equal(missing.code, 1);
      assertNoStack(missing);
    });
    it('notes an article named without a sidecar, and checks nothing for it', async () => {
      const root = await makeTree(validCorpus());
      const r = await cli(['validate', 'c.txt'], root);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'note: c.txt: not a sidecar (*.ann.yaml) and it has none; nothing to check\n0 sidecars checked: 0 with errors, 0 problems (0 errors, 0 warnings)\n');
      assert.equal(r.code, 0);
    });

    it('turns an unexpected failure into one line, not a stack trace', async () => {
      const root = await makeTree(validCorpus());
      const broken = { ...fsp, stat: async () => ({}) } as unknown as CliFs;
      const r = await cli(['validate'], root, broken);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^corpus-annotator: internal error: .*\nPlease report it/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  });

  describe('fmt', () => {
    const handWritten = [
      '# written by hand, block style, keys in any order',
      'status: in-progress',
      'document: old-name.txt',
      'version: 1',
      `sha256: ${sha(A_TEXT)}`, // (a placeholder hash would be a changed article: fmt leaves it to reanchor)
      'entities:',
      '  - id: aloc03',
      '    label: LOC',
      '    start: 85',
      '    end: 90',
      '    text: Rabat',
      '  - text: "Abdelouafi Laftit"',
      '    label: PER',
      '    id: aper01',
      '    start: 28',
      '    end: 45',
      '    attrs:',
      '      kb: "wikidata:Q123"',
      '',
    ].join('\n');
    const canonical = [
      SIDECAR_HEADER,
      'version: 1',
      'document: a.txt',
      `sha256: ${sha(A_TEXT)}`,
      'status: in-progress',
      'entities:',
      '  - {id: aper01, label: PER, start: 28, end: 45, text: "Abdelouafi Laftit", attrs: {kb: "wikidata:Q123"}}',
      '  - {id: aloc03, label: LOC, start: 85, end: 90, text: "Rabat"}',
      '',
    ].join('\n');

    it('rewrites a hand-written block-style sidecar in canonical form, and a second run changes nothing', async () => {
      const root = await makeTree({ 'corpus/a.txt': A_TEXT, 'corpus/a.txt.ann.yaml': handWritten });
      const file = path.join(root, 'corpus/a.txt.ann.yaml');
      const r = await cli(['fmt', 'corpus'], root);
      assert.equal(r.stdout, 'reformatted corpus/a.txt.ann.yaml\n');
      assert.equal(r.stderr, '1 sidecar: 1 reformatted, 0 already canonical\n');
      assert.equal(r.code, 0);
      assert.equal(await fsp.readFile(file, 'utf8'), canonical);
      assert.deepEqual(await fsp.readdir(path.join(root, 'corpus')), ['a.txt', 'a.txt.ann.yaml'], 'no temporary file left');

      const old = new Date('2020-01-01T00:00:00Z');
      await fsp.utimes(file, old, old);
      const again = await cli(['fmt', 'corpus'], root);
      assert.equal(again.stdout, '');
      assert.equal(again.stderr, '1 sidecar: 0 reformatted, 1 already canonical\n');
      assert.equal(again.code, 0);
      assert.equal(await fsp.readFile(file, 'utf8'), canonical);
      assert.equal((await fsp.stat(file)).mtimeMs, old.getTime(), 'a canonical file is not touched');
      assert.equal((await cli(['fmt', '--check', 'corpus'], root)).code, 0);
    });

    it('keeps the emoji and CRLF article valid after formatting, and the file mode', async () => {
      const src = sidecar(B_TEXT, 'b.txt', 'done', B_ENTITIES).replace(/\n/g, '\r\n'); // CRLF sidecar: not canonical
      const root = await makeTree({ 'b.txt': B_TEXT, 'b.txt.ann.yaml': src });
      await fsp.chmod(path.join(root, 'b.txt.ann.yaml'), 0o640);
      assert.equal((await cli(['fmt'], root)).code, 0);
      assert.equal(await fsp.readFile(path.join(root, 'b.txt.ann.yaml'), 'utf8'), sidecar(B_TEXT, 'b.txt', 'done', B_ENTITIES));
      assert.equal((await fsp.stat(path.join(root, 'b.txt.ann.yaml'))).mode & 0o777, 0o640);
      const v = await cli(['validate'], root);
      assert.equal(v.stdout, '');
      assert.equal(v.code, 0);
    });

    it('keeps the old hash when the article changed though every entity still matches: reanchor records it', async () => {
      const before = sidecar(A_TEXT, 'a.txt', 'todo', A_ENTITIES);
      const changed = A_TEXT + 'Un paragraphe ajouté à la fin.\n';
      const root = await makeTree({ 'a.txt': changed, 'a.txt.ann.yaml': before });
      const v = await cli(['validate'], root);
      assert.match(v.stdout, /^a\.txt\.ann\.yaml:4:1: warning: the article changed since this sidecar was written/);
      assert.equal(v.code, 0);
      assert.match(v.stdout, /`corpus-annotator reanchor`/);
      assert.equal((await cli(['fmt'], root)).code, 0);
      assert.equal(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'), before);
      assert.equal((await cli(['reanchor'], root)).code, 0);
      assert.equal(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'), before.replace(sha(A_TEXT), sha(changed)));
      assert.equal((await cli(['validate'], root)).stdout, '');
    });

    it('keeps the old hash and document (and an absent hash absent) unless every entity matches', () => {
      const s: Sidecar = { version: 1, document: 'old.txt', sha256: sha(A_TEXT), status: 'todo', entities: A_ENTITIES };
      const moved = articleFromText('Nouveau début. ' + A_TEXT);
      assert.deepEqual(canonicalSidecar(s, moved, 'a.txt'), s);
      assert.deepEqual(canonicalSidecar(s, undefined, 'a.txt'), s);
      const same = articleFromText(A_TEXT + 'fin\n');
      assert.deepEqual(canonicalSidecar(s, same, 'a.txt'), { ...s, document: 'a.txt' });
      const { sha256: _, ...noHash } = s;
      assert.deepEqual(canonicalSidecar(noHash, same, 'a.txt'), { ...noHash, document: 'a.txt' });
    });

    it('refuses to rewrite an invalid sidecar, leaving its bytes untouched (exit 1)', async () => {
      const mismatch = handWritten.replace('text: Rabat', 'text: Rabbat');
      const structural = handWritten.replace('    label: LOC', '    lable: LOC');
      const root = await makeTree({
        'a.txt': A_TEXT, 'a.txt.ann.yaml': mismatch,
        'b.txt': A_TEXT, 'b.txt.ann.yaml': structural,
        'c.txt': A_TEXT, 'c.txt.ann.yaml': handWritten,
        'gone.txt.ann.yaml': handWritten,
      });
      const r = await cli(['fmt'], root);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, 'reformatted c.txt.ann.yaml\n');
      const errs = lines(r.stderr);
      assert.match(errs[0] as string, /^a\.txt\.ann\.yaml:7:1: error: entity aloc03 \(LOC\) says its text is "Rabbat" but the article has "Rabat"/);
      assert.equal(errs[1], 'b.txt.ann.yaml:7:5: error: an entity has no `label`');
      assert.match(errs[2] as string, /^b\.txt\.ann\.yaml:8:5: error: an entity has an unknown key `lable` \(did you mean `label`\?\)/);
      assert.match(errs[3] as string, /^gone\.txt\.ann\.yaml:3:1: error: its article gone\.txt does not exist/);
      assert.equal(errs[4], '4 sidecars: 1 reformatted, 0 already canonical, 3 invalid (not reformatted; see `corpus-annotator validate`)');
      assert.equal(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'), mismatch);
      assert.equal(await fsp.readFile(path.join(root, 'b.txt.ann.yaml'), 'utf8'), structural);
      assert.equal(await fsp.readFile(path.join(root, 'gone.txt.ann.yaml'), 'utf8'), handWritten);
      // --check reports them too
      assert.equal((await cli(['fmt', '--check', 'a.txt.ann.yaml'], root)).code, 1);
    });

    it('--check changes nothing, lists the files to reformat and exits 1; 0 when all are canonical', async () => {
      const root = await makeTree({
        'a.txt': A_TEXT, 'a.txt.ann.yaml': handWritten,
        'sub/b.txt': B_TEXT, 'sub/b.txt.ann.yaml': sidecar(B_TEXT, 'b.txt', 'done', B_ENTITIES),
      });
      const r = await cli(['fmt', '--check'], root);
      assert.equal(r.stdout, 'would reformat a.txt.ann.yaml\n');
      assert.equal(r.stderr, '2 sidecars: 1 would be reformatted, 1 already canonical\n');
      assert.equal(r.code, 1);
      assert.equal(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'), handWritten);
      assert.equal((await cli(['fmt', '--check', 'sub'], root)).code, 0);
      assert.equal((await cli(['fmt', '--check', 'sub/b.txt'], root)).code, 0);
      assert.equal((await cli(['fmt', '-q'], root)).code, 0);
      const after = await cli(['fmt', '--check', '--quiet'], root);
      assert.deepEqual([after.code, after.stdout, after.stderr], [0, '', '']);
    });

    it('reports a read-only sidecar clearly and leaves it as it was (exit 1)', async () => {
      const root = await makeTree({ 'a.txt': A_TEXT, 'a.txt.ann.yaml': handWritten });
      const file = path.join(root, 'a.txt.ann.yaml');
      await fsp.chmod(file, 0o444);
      const r = await cli(['fmt'], root);
      assert.equal(r.code, 1);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^a\.txt\.ann\.yaml:1:1: error: this sidecar is read-only, so it was not reformatted/);
      assert.match(r.stderr, /1 could not be written/);
      assertNoStack(r);
      assert.equal(await fsp.readFile(file, 'utf8'), handWritten);
      assert.equal((await fsp.stat(file)).mode & 0o777, 0o444);
      // --check does not write, so it only says it would reformat
      assert.equal((await cli(['fmt', '--check'], root)).stdout, 'would reformat a.txt.ann.yaml\n');
    });

    it('reports a directory it cannot write in, without losing the file or leaving a temporary one', async () => {
      const root = await makeTree({ 'a.txt': A_TEXT, 'a.txt.ann.yaml': handWritten });
      const denied = failingFs('open', (p) => path.dirname(p) === root);
      const r = await cli(['fmt'], root, denied);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^a\.txt\.ann\.yaml:1:1: error: cannot rewrite this sidecar: permission denied \(EACCES\); it was left as it was\n/);
      assertNoStack(r);
      assert.equal(await fsp.readFile(path.join(root, 'a.txt.ann.yaml'), 'utf8'), handWritten);
      assert.deepEqual(await fsp.readdir(root), ['a.txt', 'a.txt.ann.yaml']);
    });

    it('writes through a symbolic link, which stays a link', async () => {
      const root = await makeTree({ 'a.txt': A_TEXT, 'store/a.yaml': handWritten });
      await fsp.symlink(path.join('store', 'a.yaml'), path.join(root, 'a.txt.ann.yaml'));
      assert.equal((await cli(['fmt'], root)).code, 0);
      assert.ok((await fsp.lstat(path.join(root, 'a.txt.ann.yaml'))).isSymbolicLink());
      assert.equal(await fsp.readFile(path.join(root, 'store/a.yaml'), 'utf8'), canonical);
    });
  });

  describe('stats', () => {
    async function statsCorpus(): Promise<string> {
      const files = validCorpus();
      return makeTree({
        ...files,
        // invalid: a text mismatch (its status and entities still count)
        'd.txt': C_TEXT,
        'd.txt.ann.yaml': sidecar(C_TEXT, 'd.txt', 'reviewed', [{ id: 'dper01', label: 'PER', start: 0, end: 6, text: 'Laftit' }]),
        // invalid: unreadable YAML (no status, no entities)
        'e.txt': C_TEXT,
        'e.txt.ann.yaml': 'version: [1\n',
        'notes.md': 'not an article',
      });
    }

    it('counts documents, annotated documents, entities per label, statuses and invalid sidecars', async () => {
      const root = await statsCorpus();
      const r = await cli(['stats', '--json'], root);
      assert.equal(r.code, 0);
      const expected = {
        documents: 5,
        annotated: 4,
        invalid: 2,
        entities: 7,
        suggestions: 0,
        labels: { PER: 2, ORG: 1, LOC: 2, DATE: 1, EVENT: 0, MISC: 1 },
        statuses: { todo: 1, 'in-progress': 1, done: 1, reviewed: 1 },
      };
      assert.equal(r.stdout, JSON.stringify(expected, null, 2) + '\n', 'stable key order');

      const table = await cli(['stats'], root);
      assert.equal(table.code, 0);
      assert.equal(table.stdout, [
        'Documents         5',
        '  annotated       4   80%',
        '  not annotated   1   20%',
        'Invalid sidecars  2',
        'Entities          7',
        '  PER             2',
        '  ORG             1',
        '  LOC             2',
        '  DATE            1',
        '  EVENT           0',
        '  MISC            1',
        'Status',
        '  todo            1   20%',
        '  in-progress     1   20%',
        '  done            1   20%',
        '  reviewed        1   20%',
        '',
      ].join('\n'));
      assert.equal(table.stderr, '2 invalid: run `corpus-annotator validate` for details\n');
    });

    it('finds articles with the configuration\'s `articles` globs; unknown labels are listed after the configured ones', async () => {
      const root = await makeTree({
        '.corpus-annotator.yaml': 'labels: [PER, LOC]\narticles: ["texts/**/*.txt"]\n',
        'README.txt': 'not an article',
        'texts/a.txt': A_TEXT,
        'texts/a.txt.ann.yaml': sidecar(A_TEXT, 'a.txt', 'done', A_ENTITIES),
        'texts/2025/c.txt': C_TEXT,
      });
      const r = await cli(['stats', '--json', 'texts'], root);
      assert.deepEqual(JSON.parse(r.stdout), {
        documents: 2, annotated: 1, invalid: 0, entities: 3, suggestions: 0,
        labels: { PER: 1, LOC: 1, MISC: 1 },
        statuses: { todo: 1, 'in-progress': 0, done: 1, reviewed: 0 },
      });
      assert.equal(JSON.parse((await cli(['stats', '--json'], root)).stdout).documents, 2, 'README.txt is not an article');
    });

    it('counts suggestions (suggested: true) apart from the entities', () => {
      const suggestion: Entity = { ...(A_ENTITIES[0] as Entity), id: 'sugg01', label: 'ORG', src: 'gazetteer:g.tsv', suggested: true };
      const s = computeStats({
        articles: ['/c/a.txt'],
        sidecars: [{ article: '/c/a.txt', valid: true, sidecar: { version: 1, document: 'a.txt', status: 'todo', entities: [...A_ENTITIES, suggestion] } }],
        labels: ['PER', 'ORG'],
      });
      assert.equal(s.entities, 3);
      assert.equal(s.suggestions, 1);
      assert.deepEqual(s.labels, { PER: 1, ORG: 0, MISC: 1, LOC: 1 });
      assert.match(formatStatsTable(s), /\nSuggestions\s+1  not accepted yet\n/);
      assert.doesNotMatch(formatStatsTable({ ...s, suggestions: 0 }), /Suggestions/);
    });

    it('computeStats and the table are plain functions', () => {
      const s = computeStats({
        articles: ['/c/a.txt', '/c/b.txt'],
        sidecars: [{ article: '/c/a.txt', valid: true, sidecar: { version: 1, document: 'a.txt', status: 'done', entities: A_ENTITIES } }],
        labels: ['LOC', 'PER'],
      });
      assert.deepEqual(s, {
        documents: 2, annotated: 1, invalid: 0, entities: 3, suggestions: 0,
        labels: { LOC: 1, PER: 1, MISC: 1 },
        statuses: { todo: 1, 'in-progress': 0, done: 1, reviewed: 0 },
      });
      const widths = new Set(formatStatsTable(s).split('\n').filter((l) => /\d$/.test(l) && !l.endsWith('%')).map((l) => l.length));
      assert.equal(widths.size, 1, 'numbers are right-aligned in one column');
      assert.match(formatStatsTable(computeStats({ articles: [], sidecars: [], labels: [] })), /^Documents\s+0\n/);
    });
  });

  describe('usage', () => {
    it('--help / -h on the tool and each subcommand, with examples', async () => {
      for (const argv of [['--help'], ['-h'], ['help']]) {
        const r = await cli(argv, os.tmpdir());
        assert.equal(r.code, 0);
        assert.match(r.stdout, /^Usage: corpus-annotator <command>/);
        for (const c of ['validate', 'fmt', 'stats']) assert.match(r.stdout, new RegExp(`\\n  ${c} `));
        assert.match(r.stdout, /Examples:\n  corpus-annotator validate/);
      }
      for (const c of ['validate', 'fmt', 'stats']) {
        for (const argv of [[c, '--help'], [c, '-h'], ['help', c]]) {
          const r = await cli(argv, os.tmpdir());
          assert.equal(r.code, 0, argv.join(' '));
          assert.match(r.stdout, new RegExp(`^Usage: corpus-annotator ${c} \\[options\\] \\[paths…\\]`));
          assert.match(r.stdout, new RegExp(`Examples:\\n  corpus-annotator ${c}`));
          assert.equal(r.stderr, '');
        }
      }
      assert.match((await cli(['fmt', '--help'], os.tmpdir())).stdout, /--check/);
      assert.match((await cli(['validate', '--help'], os.tmpdir())).stdout, /--quiet[\s\S]*--json/);
      assert.match((await cli(['stats', '--help'], os.tmpdir())).stdout, /--json/);
    });

    it('--version prints the package version', async () => {
      const { version } = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
      for (const flag of ['--version', '-v']) {
        const r = await cli([flag], os.tmpdir());
        assert.deepEqual([r.code, r.stdout], [0, `${version}\n`]);
      }
    });

    it('an unknown command or option, or no command, is a usage error (exit 2)', async () => {
      const cases: Array<[string[], RegExp]> = [
        // The list names every command (it grows); the three of this file must be among them.
        [['lint'], /^corpus-annotator: unknown command 'lint' \(commands: validate, fmt, stats(, [a-z-]+)*\)\nRun 'corpus-annotator --help' for usage\.\n$/],
        [[], /^corpus-annotator: missing command/],
        [['--strict'], /^corpus-annotator: unknown option '--strict'/],
        [['validate', '--strict'], /^corpus-annotator validate: unknown option '--strict'\nRun 'corpus-annotator validate --help' for usage\.\n$/],
        [['fmt', '-x'], /^corpus-annotator fmt: unknown option '-x'/],
        [['fmt', '--check=yes'], /^corpus-annotator fmt: option '--check' does not take an argument/],
        [['stats', '--quiet'], /^corpus-annotator stats: unknown option '--quiet'/],
        [['help', 'lint'], /^corpus-annotator: unknown command 'lint'/],
      ];
      for (const [argv, message] of cases) {
        const r = await cli(argv, os.tmpdir());
        assert.equal(r.code, 2, argv.join(' '));
        assert.equal(r.stdout, '');
        assert.match(r.stderr, message);
      }
    });
  });

  describe('the built executable dist/cli.js', function () {
    this.timeout(60000);
    before(buildCliIfStale);

    it('starts with a node shebang and validates a directory (exit codes and output)', async () => {
      assert.ok(fs.readFileSync(CLI_BIN, 'utf8').startsWith('#!/usr/bin/env node\n'));
      const root = await makeTree(validCorpus());
      const ok = spawnSync(process.execPath, [CLI_BIN, 'validate', root], { encoding: 'utf8' });
      assert.equal(ok.stderr, '2 sidecars checked: 0 with errors, 0 problems (0 errors, 0 warnings)\n');
      assert.equal(ok.status, 0);

      await fsp.writeFile(path.join(root, 'sub/b.txt'), 'Bravo !\n');
      const bad = spawnSync(process.execPath, [CLI_BIN, 'validate', root], { encoding: 'utf8' });
      assert.equal(bad.status, 1);
      assert.match(bad.stdout, new RegExp(`^${root.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/sub/b\\.txt\\.ann\\.yaml:7:1: error: entity borg01 \\(ORG "Raja Casablanca"\\) ends at 23, past the end`));
      assert.match(bad.stderr, /^2 sidecars checked: 1 with errors, 3 problems \(3 errors, 0 warnings\)\n$/);

      const usage = spawnSync(process.execPath, [CLI_BIN, 'frobnicate'], { encoding: 'utf8' });
      assert.equal(usage.status, 2);
      assert.match(usage.stderr, /unknown command 'frobnicate'/);
    });
  });
});

describe('corpus-annotator stats --by-annotator', () => {
  const { tmpDirSync } = tempDirs('stats-by');
  it('counts entities, documents and labels per `by`, "(none)" last; suggestions left out', async () => {
    const root = tmpDirSync();
    const text = 'Laftit a reçu Interpol à Rabat.';
    fs.writeFileSync(path.join(root, 'a.txt'), text);
    fs.writeFileSync(path.join(root, 'b.txt'), text);
    const sidecar = (entities: Entity[]) => writeSidecar({ version: 1, document: 'x', sha256: sha256Hex(Buffer.from(text)), status: 'done', entities });
    fs.writeFileSync(path.join(root, 'a.txt.ann.yaml'), sidecar([
      { ...entityAt(text, 'Laftit', 'PER', 'a1'), by: 'bob' },
      { ...entityAt(text, 'Interpol', 'ORG', 'a2'), by: 'alice' },
      { ...entityAt(text, 'Rabat', 'LOC', 'a3') },
    ]).replace('document: x', 'document: a.txt'));
    fs.writeFileSync(path.join(root, 'b.txt.ann.yaml'), sidecar([
      { ...entityAt(text, 'Laftit', 'PER', 'b1'), by: 'alice' },
      { ...entityAt(text, 'Rabat', 'LOC', 'b2'), by: 'alice', suggested: true },
    ]).replace('document: x', 'document: b.txt'));
    const r = await cli(['stats', '--json', '--by-annotator', '.'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout).annotators, [
      { annotator: 'alice', entities: 2, documents: 2, labels: { PER: 1, ORG: 1 } },
      { annotator: 'bob', entities: 1, documents: 1, labels: { PER: 1 } },
      { annotator: '(none)', entities: 1, documents: 1, labels: { LOC: 1 } },
    ]);
    const t = await cli(['stats', '--by-annotator', '.'], root);
    assert.match(t.stdout, /\nAnnotator\s+entities\s+documents\s+PER\s+ORG\s+LOC\nalice\s+2\s+2\s+1\s+1\s+0\n/);
    // Without the flag, the JSON is as before.
    assert.equal(JSON.parse((await cli(['stats', '--json', '.'], root)).stdout).annotators, undefined);
  });
});
