// `import --format conll`: tag schemes, malformed sequences by line, detokenisation, and a round
// trip through our own CoNLL export.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { detokenize, parseConll } from '../../src/core/exchange/import/conll';
import { readSidecar } from '../../src/core/sidecar/sidecar-read';
import { cli } from './helpers/cli';
import { DEMO_CORPUS } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';

const { tmpDir } = tempDirs('import-conll');

const entitiesOf = (src: string, scheme: 'iob1' | 'iob2' | 'bilou', lenient = false) => {
  const parsed = parseConll(src, 'f.conll', { scheme, lenient });
  return {
    docs: parsed.records.map((r) => ({ name: r.document, text: r.text, spans: r.spans.map((s) => `${s.label} ${[...r.text].slice(s.start, s.end).join('')}`) })),
    issues: parsed.issues.map((i) => `${i.origin} ${i.severity}: ${i.message}`),
  };
};

describe('import --format conll: reading', () => {
  it('IOB2, 2 to 4 columns, -DOCSTART- breaks with names, blank-line sentences, CRLF', () => {
    const src = '-DOCSTART-(a.txt) O\r\n\r\nJean B-PER\r\nDupont I-PER\r\nvit O\r\nà O\r\nParis B-LOC\r\n. O\r\n\r\n-DOCSTART- -X- O O\nLa _ _ O\nCGT B-ORG\n';
    const got = entitiesOf(src, 'iob2');
    assert.deepEqual(got.issues, ['f.conll:11 error: 4 columns where the file\'s first token line has 2']);
    const ok = entitiesOf(src.replace(/ _ _ /g, ' '), 'iob2');
    assert.deepEqual(ok.issues, []);
    assert.deepEqual(ok.docs, [
      { name: 'a.txt', text: 'Jean Dupont vit à Paris.\n', spans: ['PER Jean Dupont', 'LOC Paris'] },
      { name: 'document-001.txt', text: 'La CGT\n', spans: ['ORG CGT'] },
    ]);
  });

  it('IOB1: an I- after O or another label starts an entity; B- separates two of the same label', () => {
    const got = entitiesOf('Jean I-PER\nPaul B-PER\nMartin I-PER\nà O\nRennes I-LOC\nOuest I-ORG\n', 'iob1');
    assert.deepEqual(got.issues, []);
    assert.deepEqual(got.docs[0]?.spans, ['PER Jean', 'PER Paul Martin', 'LOC Rennes', 'ORG Ouest']);
  });

  it('IOB2: an I- after O or another label is an error at its line, unless lenient', () => {
    const src = 'Le O\nmaire O\nDupont I-PER\nde O\nParis B-LOC\nOuest I-ORG\n';
    assert.deepEqual(entitiesOf(src, 'iob2').issues, [
      'f.conll:3 error: I-PER after O: in IOB2 an entity starts with B-PER (IOB1 files: --scheme iob1) (--lenient accepts it)',
      'f.conll:6 error: I-ORG after B-LOC: in IOB2 an entity starts with B-ORG (IOB1 files: --scheme iob1) (--lenient accepts it)',
    ]);
    const lenient = entitiesOf(src, 'iob2', true);
    assert.deepEqual(lenient.issues, []);
    assert.deepEqual(lenient.docs[0]?.spans, ['PER Dupont', 'LOC Paris', 'ORG Ouest']);
  });

  it('BILOU and BIOES: L/E closes, U/S is one token; an unclosed entity or a stray I/L is an error by line', () => {
    const good = entitiesOf('Jean B-PER\nle I-PER\nBon L-PER\nà O\nBrest U-LOC\net O\nla B-ORG\nCGT E-ORG\nà O\nVannes S-LOC\n', 'bilou');
    assert.deepEqual(good.issues, []);
    assert.deepEqual(good.docs[0]?.spans, ['PER Jean le Bon', 'LOC Brest', 'ORG la CGT', 'LOC Vannes']);
    const bad = 'Jean B-PER\nà O\nBrest L-LOC\n\nla B-ORG\n';
    assert.deepEqual(entitiesOf(bad, 'bilou').issues, [
      'f.conll:2 error: the PER entity started at line 1 is not closed by L-PER (E-PER) before O (--lenient accepts it)',
      'f.conll:3 error: L-LOC after O: an entity starts with B-LOC (or U-LOC) (--lenient accepts it)',
      'f.conll:5 error: the ORG entity started here is not closed by L-ORG (E-ORG) before the sentence ends (--lenient accepts it)',
    ]);
    assert.deepEqual(entitiesOf(bad, 'bilou', true).docs[0]?.spans, ['PER Jean', 'LOC Brest', 'ORG la']);
  });

  it('bad lines: a token without a tag, five columns, an unknown tag, an L- in IOB2', () => {
    assert.deepEqual(entitiesOf('Jean\na b c d O\nx B_PER\ny L-PER\n', 'iob2').issues, [
      'f.conll:1 error: 1 column: a line is a token, up to two more columns, and its tag ("token TAG")',
      'f.conll:2 error: 5 columns: a line is a token, up to two more columns, and its tag ("token TAG")',
      'f.conll:3 error: "B_PER" is not a tag (O, or B-, I- and a label)',
      'f.conll:4 error: "L-PER" is not an IOB2 tag (only B-, I- and O; for BILOU/BIOES use --scheme bilou)',
    ]);
  });

  it('a document name outside the corpus is refused (numbered instead); `# document:` names the next document', () => {
    const got = parseConll('-DOCSTART-(../x.txt) O\n\nA O\n# document: sub/b.txt\n-DOCSTART- O\nB O\n', 'f.conll', { scheme: 'iob2' });
    assert.deepEqual(got.records.map((r) => r.document), ['document-001.txt', 'sub/b.txt']);
    assert.match(got.issues[0]?.message ?? '', /not a relative path inside the corpus/);
  });

  it('detokenises the French way: no space before , . ) » ; none after ( « and elisions; one sentence a line; code point offsets', () => {
    const { text, offsets } = detokenize([['«', 'Bonjour', '»', ',', 'dit', 'l\'', 'homme', '(', 'M.', 'Dupont', ')', '...'], ['Qu’', 'il', 'vienne', '!', '😀', 'ok', '%', 'Saint', '-', 'Hilaire']]);
    assert.equal(text, '«Bonjour», dit l\'homme (M. Dupont)...\nQu’il vienne! 😀 ok% Saint-Hilaire\n');
    assert.deepEqual(offsets[1]?.[4], [52, 53]);
    assert.equal([...text].slice(52, 53).join(''), '😀');
  });
});

describe('import --format conll: the command', function () {
  this.timeout(60_000);

  it('round trip: our CoNLL export of the demo corpus imported into an empty directory and exported again gives the same CoNLL', async () => {
    const root = await tmpDir();
    await fsp.cp(DEMO_CORPUS, path.join(root, 'corpus'), { recursive: true });
    const ex = await cli(['export', '--format', 'conll', '--out', 'a.conll', 'corpus'], root);
    assert.equal(ex.code, 0, ex.stderr);
    fs.mkdirSync(path.join(root, 'back'));
    fs.copyFileSync(path.join(root, 'corpus', '.corpus-annotator.yaml'), path.join(root, 'back', '.corpus-annotator.yaml'));
    const im = await cli(['import', '--format', 'conll', '--status', 'reviewed', 'a.conll', 'back'], root);
    assert.equal(im.code, 0, im.stderr);
    assert.match(im.stdout, /^back\/000_a5c2016fc8888533\.txt: created the article from a\.conll:1$/m);
    const names = fs.readdirSync(path.join(root, 'back')).filter((f) => f.endsWith('.txt')).sort();
    assert.deepEqual(names, fs.readdirSync(DEMO_CORPUS).filter((f) => f.endsWith('.txt')).sort());
    const sidecar = readSidecar(fs.readFileSync(path.join(root, 'back', `${names[0]}.ann.yaml`), 'utf8')).sidecar;
    assert.equal(sidecar?.status, 'reviewed');
    assert.ok((sidecar?.entities.length ?? 0) > 10);
    assert.ok(sidecar?.entities.every((e) => e.src === 'import:conll'));
    const again = await cli(['export', '--format', 'conll', '--out', 'b.conll', 'back'], root);
    assert.equal(again.code, 0, again.stderr);
    // The same tokens and tags line for line; a sentence break may differ where the original text
    // had none after a full stop ("africaine.La" in 003_ is rebuilt as "africaine. La").
    const tokenLines = (f: string) => fs.readFileSync(path.join(root, f), 'utf8').split('\n').filter((l) => l !== '');
    assert.deepEqual(tokenLines('b.conll'), tokenLines('a.conll'));
    const breaks = (f: string) => fs.readFileSync(path.join(root, f), 'utf8').split('\n').length;
    assert.equal(breaks('b.conll') - breaks('a.conll'), 1);
    // Importing again changes nothing: the articles exist with this text, every entity is already there.
    const twice = await cli(['import', '--format', 'conll', 'a.conll', 'back'], root);
    assert.equal(twice.code, 0, twice.stderr);
    assert.match(twice.stderr, / 0 entities added/);
  });

  it('a malformed sequence: errors by line, nothing written (exit 1); --lenient imports; an existing article with another text is never overwritten', async () => {
    const root = await tmpDir();
    fs.writeFileSync(path.join(root, 'x.bio'), '-DOCSTART-(a.txt) O\n\nLe O\nmaire O\nDupont I-PER\n');
    fs.mkdirSync(path.join(root, 'c'));
    const r = await cli(['import', '--format', 'conll', 'x.bio', 'c'], root);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^x\.bio:5: error: I-PER after O: in IOB2/m);
    assert.match(r.stderr, /import \(conll\): 1 error in x\.bio; nothing imported \(--lenient repairs malformed tag sequences\)\n$/);
    assert.deepEqual(fs.readdirSync(path.join(root, 'c')), []);
    const ok = await cli(['import', '--format', 'conll', '--lenient', 'x.bio', 'c'], root);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(fs.readFileSync(path.join(root, 'c', 'a.txt'), 'utf8'), 'Le maire Dupont\n');
    assert.match(fs.readFileSync(path.join(root, 'c', 'a.txt.ann.yaml'), 'utf8'), /label: PER, start: 9, end: 15, text: "Dupont"/);
    fs.writeFileSync(path.join(root, 'c', 'a.txt'), 'Mine\n');
    const clash = await cli(['import', '--format', 'conll', '--lenient', 'x.bio', 'c'], root);
    assert.equal(clash.code, 1);
    assert.match(clash.stderr, /a\.txt exists with another text; it is never overwritten/);
    assert.equal(fs.readFileSync(path.join(root, 'c', 'a.txt'), 'utf8'), 'Mine\n');
  });

  it('usage errors: an unknown scheme, a bad status, conll options with another format', async () => {
    const root = await tmpDir();
    fs.writeFileSync(path.join(root, 'x.bio'), 'a O\n');
    for (const args of [['--format', 'conll', '--scheme', 'bio'], ['--format', 'conll', '--status', 'finished'], ['--format', 'jsonl', '--lenient']]) {
      const r = await cli(['import', ...args, 'x.bio'], root);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, /^corpus-annotator import: /);
    }
  });
});
