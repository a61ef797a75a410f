// Train/dev/test splits by document (issue 17 item 5): deterministic, proportional, stratified,
// stable when the corpus grows, with clear errors; and the command line writing one output per split.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as core from '../../src/core/exchange/export';
import { cli } from './helpers/cli';
import { DEMO_CORPUS } from './helpers/corpus';
import { tempDirs } from './helpers/tmp';

// Reached through the module object, so this file also compiles (and fails) against code without splits.
type Splits = {
  parseSplitSpec(spec: string): Array<{ name: string; ratio: number }>;
  assignSplits(docs: Array<{ name: string; labels: Set<string> }>, splits: Array<{ name: string; ratio: number }>, seed: number, existing?: Record<string, string>): Record<string, string>;
  splitSizes(n: number, splits: Array<{ name: string; ratio: number }>): number[];
  parseSplitAssignment(json: string): { seed: number; documents: Record<string, string> };
  formatSplitAssignment(a: { seed: number; splits: Array<{ name: string; ratio: number }>; documents: Record<string, string> }): string;
};
const splits = core as unknown as Splits;
const SPEC = 'train=0.8,dev=0.1,test=0.1';

/** A crafted corpus: `n` documents; label L<k> on every document whose index is a multiple of k+1. */
function corpus(n: number, labels = 6, prefix = 'doc'): Array<{ name: string; labels: Set<string> }> {
  return Array.from({ length: n }, (_, i) => ({
    name: `${prefix}${String(i).padStart(4, '0')}.txt`,
    labels: new Set(Array.from({ length: labels }, (_, k) => k).filter((k) => i % (k + 2) === 0).map((k) => `L${k}`)),
  }));
}
const bySplit = (a: Record<string, string>) => {
  const out: Record<string, string[]> = {};
  for (const [d, s] of Object.entries(a)) (out[s] ??= []).push(d);
  return out;
};

describe('export splits', () => {
  it('parses a spec (ratios or percentages) and refuses a bad one with the reason', () => {
    assert.deepEqual(splits.parseSplitSpec(SPEC), [{ name: 'train', ratio: 0.8 }, { name: 'dev', ratio: 0.1 }, { name: 'test', ratio: 0.1 }]);
    assert.deepEqual(splits.parseSplitSpec('train=80,test=20').map((p) => p.ratio), [0.8, 0.2]);
    assert.deepEqual(splits.parseSplitSpec('train=90%,test=10%').map((p) => p.ratio), [0.9, 0.1]);
    const bad: Array<[string, RegExp]> = [
      ['train=0.8,dev=0.1', /sum to 0\.9, not 1/],
      ['train=0.8,train=0.2', /'train' is given twice/],
      ['train', /'train' is not NAME=RATIO/],
      ['train=x,test=1', /'x' is not a ratio/],
      ['tr/ain=0.5,test=0.5', /letters, digits/],
      ['train=1', /at least two splits/],
      ['train=-0.5,test=1.5', /not a ratio/],
    ];
    for (const [spec, message] of bad) assert.throws(() => splits.parseSplitSpec(spec), message, spec);
  });

  it('is deterministic: the same documents and seed give the same splits, whatever their order; another seed differs', () => {
    const docs = corpus(200);
    const parts = splits.parseSplitSpec(SPEC);
    const a = splits.assignSplits(docs, parts, 7);
    assert.deepEqual(splits.assignSplits([...docs].reverse(), parts, 7), a);
    assert.deepEqual(splits.assignSplits(docs, parts, 7), a);
    assert.notDeepEqual(splits.assignSplits(docs, parts, 8), a);
  });

  it('keeps the proportions: sizes by largest remainder, every split at least one document', () => {
    const parts = splits.parseSplitSpec(SPEC);
    const counts = Object.values(bySplit(splits.assignSplits(corpus(200), parts, 1))).map((d) => d.length);
    assert.deepEqual(counts.sort((x, y) => y - x), [160, 20, 20]);
    assert.deepEqual(splits.splitSizes(5, parts), [3, 1, 1]);
    assert.deepEqual(splits.splitSizes(13, parts), [11, 1, 1]);
    assert.deepEqual(splits.splitSizes(2, parts), [1, 1, 0], 'fewer documents than splits: one each, in spec order');
  });

  it('stratifies: every split has every label that has enough documents, even rare ones', () => {
    // 30 documents; RARE on 3 of them (as many as splits), COMMON on all
    const docs = Array.from({ length: 30 }, (_, i) => ({ name: `d${i}.txt`, labels: new Set(i % 10 === 4 ? ['COMMON', 'RARE'] : ['COMMON']) }));
    for (const seed of [0, 1, 2, 3, 4, 5]) {
      const a = splits.assignSplits(docs, splits.parseSplitSpec(SPEC), seed);
      for (const names of Object.values(bySplit(a))) {
        assert.ok(names.some((n) => docs.find((d) => d.name === n)?.labels.has('RARE')), `seed ${seed}: a split without RARE`);
      }
    }
    // and per label, each split's share is near its ratio
    const docs2 = corpus(400);
    const a = splits.assignSplits(docs2, splits.parseSplitSpec(SPEC), 3);
    for (const label of ['L0', 'L1', 'L4']) {
      const total = docs2.filter((d) => d.labels.has(label)).length;
      const inTest = docs2.filter((d) => d.labels.has(label) && a[d.name] === 'test').length;
      assert.ok(Math.abs(inTest - total * 0.1) <= 2, `${label}: ${inTest} of ${total} in test`);
    }
  });

  it('is stable when documents are added: earlier documents keep their split, only new ones are placed', () => {
    const parts = splits.parseSplitSpec(SPEC);
    const before = splits.assignSplits(corpus(100), parts, 5);
    const grown = [...corpus(100), ...corpus(50, 6, 'new')];
    const after = splits.assignSplits(grown, parts, 5, before);
    for (const [d, s] of Object.entries(before)) assert.equal(after[d], s, d);
    assert.equal(Object.keys(after).length, 150);
    const counts = bySplit(after);
    assert.ok(Math.abs((counts.train?.length ?? 0) - 120) <= 1 && Math.abs((counts.test?.length ?? 0) - 15) <= 1, JSON.stringify(Object.values(counts).map((c) => c.length)));
    // a document no longer exported stays in the assignment
    assert.equal(splits.assignSplits(corpus(10), parts, 5, before)['doc0099.txt'], before['doc0099.txt']);
    // a kept document in a split the spec does not name
    assert.throws(() => splits.assignSplits(corpus(3), splits.parseSplitSpec('a=0.5,b=0.5'), 1, { 'doc0000.txt': 'train' }), /doc0000\.txt is in split 'train', which --split does not name/);
  });

  it('the splits file: written one document a line, read back; a broken one is refused with the reason', () => {
    const parts = splits.parseSplitSpec(SPEC);
    const documents = splits.assignSplits(corpus(5), parts, 2);
    const text = splits.formatSplitAssignment({ seed: 2, splits: parts, documents });
    assert.equal(text.split('\n').filter((l) => l.includes('.txt')).length, 5);
    assert.deepEqual(splits.parseSplitAssignment(text), { seed: 2, splits: parts, documents });
    assert.throws(() => splits.parseSplitAssignment('{'), /not valid JSON/);
    assert.throws(() => splits.parseSplitAssignment('{"seed": 1, "splits": {"a": 0.5, "b": 0.5}, "documents": {"x.txt": "c"}}'), /document x\.txt: split "c" is not one of "splits"/);
    assert.throws(() => splits.parseSplitAssignment('{"seed": "1", "splits": {}, "documents": {}}'), /"seed" must be an integer/);
  });

  describe('corpus-annotator export --split', () => {
    const { tmpDir } = tempDirs('splits');
    const copyDemo = async () => {
      const dir = await tmpDir();
      fs.cpSync(DEMO_CORPUS, path.join(dir, 'corpus'), { recursive: true });
      return dir;
    };

    for (const format of ['jsonl', 'conll', 'doccano', 'labelstudio', 'spacy', 'hf', 'brat'] as const) {
      it(`${format}: one output per split, every document in exactly one, the assignment written`, async () => {
        const dir = await copyDemo();
        const out = format === 'brat' ? 'out/brat' : `out/c.${format === 'spacy' ? 'spacy' : 'jsonl'}`;
        const r = await cli(['export', '-f', format, '--split', 'train=0.6,dev=0.2,test=0.2', '--seed', '4', '-o', out, 'corpus'], dir);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stderr, /splits: train 3, dev 1, test 1 \(seed 4, assignment in /);
        const assignment = JSON.parse(fs.readFileSync(path.join(dir, format === 'brat' ? 'out/brat/splits.json' : 'out/c.splits.json'), 'utf8')) as { documents: Record<string, string> };
        assert.equal(Object.keys(assignment.documents).length, 5);
        for (const split of ['train', 'dev', 'test']) {
          const file = format === 'brat' ? `out/brat/${split}` : `out/c.${split}.${format === 'spacy' ? 'spacy' : 'jsonl'}`;
          assert.ok(fs.existsSync(path.join(dir, file)), file);
          if (format === 'brat') {
            const anns = fs.readdirSync(path.join(dir, file)).filter((f) => f.endsWith('.ann')).map((f) => f.replace(/\.ann$/, '.txt'));
            assert.deepEqual(anns.sort(), Object.keys(assignment.documents).filter((d) => assignment.documents[d] === split).sort());
          }
          if (format === 'jsonl') {
            const docs = fs.readFileSync(path.join(dir, file), 'utf8').trimEnd().split('\n').map((l) => (JSON.parse(l) as { meta: { document: string } }).meta.document);
            assert.deepEqual(docs.sort(), Object.keys(assignment.documents).filter((d) => assignment.documents[d] === split).sort());
          }
        }
        if (format === 'hf') assert.ok(fs.existsSync(path.join(dir, 'out/c.train.label_names.json')));
      });
    }

    it('--split-file: the same split again after the corpus grows; the new article is placed and added to the file', async () => {
      const dir = await copyDemo();
      const first = await cli(['export', '-f', 'jsonl', '--split', 'train=0.6,dev=0.2,test=0.2', '--seed', '9', '--split-file', 'splits.json', '-o', 'c.jsonl', 'corpus'], dir);
      assert.equal(first.code, 0, first.stderr);
      const before = (JSON.parse(fs.readFileSync(path.join(dir, 'splits.json'), 'utf8')) as { documents: Record<string, string> }).documents;
      const demo = fs.readdirSync(path.join(dir, 'corpus')).find((f) => f.endsWith('.txt') && f.startsWith('000_')) as string;
      fs.copyFileSync(path.join(dir, 'corpus', demo), path.join(dir, 'corpus', 'zz_new.txt'));
      fs.copyFileSync(path.join(dir, 'corpus', `${demo}.ann.yaml`), path.join(dir, 'corpus', 'zz_new.txt.ann.yaml'));
      fs.writeFileSync(path.join(dir, 'corpus', 'zz_new.txt.ann.yaml'), fs.readFileSync(path.join(dir, 'corpus', 'zz_new.txt.ann.yaml'), 'utf8').replace(`document: ${demo}`, 'document: zz_new.txt'));
      const again = await cli(['export', '-f', 'jsonl', '--split-file', 'splits.json', '-o', 'c.jsonl', 'corpus'], dir);
      assert.equal(again.code, 0, again.stderr);
      const after = (JSON.parse(fs.readFileSync(path.join(dir, 'splits.json'), 'utf8')) as { seed: number; documents: Record<string, string> });
      assert.equal(after.seed, 9, 'the seed is the file\'s');
      for (const [d, s] of Object.entries(before)) assert.equal(after.documents[d], s, d);
      assert.ok(after.documents['zz_new.txt']);
    });

    it('errors: bad spec, no --out, --seed alone, a missing or broken --split-file; nothing written', async () => {
      const dir = await copyDemo();
      const usage: Array<[string[], RegExp]> = [
        [['--split', 'train=0.7,test=0.2', '-o', 'c.jsonl'], /--split: the ratios sum to 0\.9, not 1/],
        [['--split', SPEC], /--split writes one output per split: give the file/],
        [['--seed', '3', '-o', 'c.jsonl'], /--seed applies to --split only/],
        [['--split', SPEC, '--seed', 'x', '-o', 'c.jsonl'], /--seed must be an integer, not 'x'/],
        [['--split-file', 'none.json', '-o', 'c.jsonl'], /--split-file none\.json does not exist: give --split/],
      ];
      for (const [args, message] of usage) {
        const r = await cli(['export', '-f', 'jsonl', ...args, 'corpus'], dir);
        assert.equal(r.code, 2, args.join(' '));
        assert.match(r.stderr, message);
      }
      fs.writeFileSync(path.join(dir, 'broken.json'), '{"seed": 1, "splits": {"train": 0.5, "test": 0.5}, "documents": {"a.txt": "dev"}}');
      const r = await cli(['export', '-f', 'jsonl', '--split-file', 'broken.json', '-o', 'c.jsonl', 'corpus'], dir);
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^broken\.json: error: not a splits file: document a\.txt: split "dev" is not one of "splits" \(train, test\); nothing exported$/m);
      assert.deepEqual(fs.readdirSync(dir).sort(), ['broken.json', 'corpus']);
    });
  });
});
