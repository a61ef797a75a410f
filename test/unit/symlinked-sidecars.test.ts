// A sidecar that is a symbolic link is rewritten through the link only when the file it resolves
// to stays inside its corpus (the repository, else the directory of its .corpus-annotator.yaml,
// else its own directory): a hostile repository cannot make fmt, suggest, reanchor or import
// rewrite a file of the user's elsewhere on the disk. Each refusal is an error naming both paths.
import { strict as assert } from 'node:assert';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { mergeSidecars, writeConflictedSidecar } from '../../src/core/review/merge';
import { Entity, Sidecar } from '../../src/core/model/model';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { cli } from './helpers/cli';
import { tempDirs } from './helpers/tmp';

const { makeTree } = tempDirs('symlinked-sidecars');

const TEXT = 'M. Laftit est à Rabat.\n';
const MOVED = 'Hier, M. Laftit est à Rabat.\n';
const CANONICAL = writeSidecar({ version: 1, document: 'a.txt', status: 'todo', entities: [{ id: 'p1', label: 'PER', start: 3, end: 9, text: 'Laftit' }] });
/** Valid, but not canonical (extra spaces): fmt would rewrite it. */
const UNFORMATTED = CANONICAL.replace('status: todo', 'status:   todo');

/** <root>/corpus/a.txt with its sidecar a link to <root>/<linkTo>, which holds `sidecar`. */
async function linkedCorpus(linkTo: string, sidecar: string, extra: Record<string, string> = {}): Promise<string> {
  const root = await makeTree({ 'corpus/a.txt': TEXT, [linkTo]: sidecar, 'names.tsv': 'Rabat\tLOC\n', ...extra });
  await fsp.symlink(path.relative(path.join(root, 'corpus'), path.join(root, linkTo)), path.join(root, 'corpus/a.txt.ann.yaml'));
  return root;
}

/** Left by a merge: p1 labelled PER on one side, ORG on the other (resolve --ours settles it). */
const CONFLICTED = (() => {
  const sc = (e: Entity): Sidecar => ({ version: 1, document: 'a.txt', status: 'todo', entities: [e] });
  const laftit: Entity = { id: 'p1', label: 'PER', start: 3, end: 9, text: 'Laftit' };
  const r = mergeSidecars({ base: sc({ ...laftit, label: 'MISC' }), ours: sc(laftit), theirs: sc({ ...laftit, label: 'ORG' }) });
  return writeConflictedSidecar(r.sidecar, r.conflicts);
})();

const commands: Array<{ name: string; argv: string[]; sidecar: string; setup?: (root: string) => Promise<void> }> = [
  { name: 'fmt', argv: ['fmt', 'corpus'], sidecar: UNFORMATTED },
  { name: 'suggest', argv: ['suggest', '-g', 'names.tsv', 'corpus'], sidecar: CANONICAL },
  { name: 'reanchor', argv: ['reanchor', 'corpus'], sidecar: CANONICAL, setup: (root) => fsp.writeFile(path.join(root, 'corpus/a.txt'), MOVED) },
  { name: 'resolve', argv: ['resolve', '--ours', 'corpus/a.txt.ann.yaml'], sidecar: CONFLICTED },
  {
    name: 'import', argv: ['import', '--format', 'jsonl', 'in.jsonl', 'corpus'], sidecar: CANONICAL,
    setup: (root) => fsp.writeFile(path.join(root, 'in.jsonl'), JSON.stringify({ text: TEXT, spans: [{ start: 16, end: 21, label: 'LOC' }], meta: { document: 'a.txt' } }) + '\n'),
  },
];

describe('symlinked sidecars', () => {
  for (const c of commands) {
    it(`${c.name}: a sidecar linked to a file outside the corpus is not rewritten (an error naming both paths, exit 1)`, async () => {
      const root = await linkedCorpus('elsewhere/victim.yaml', c.sidecar);
      await c.setup?.(root);
      const r = await cli(c.argv, root);
      assert.equal(r.code, 1, r.stdout + r.stderr);
      const victim = await fsp.realpath(path.join(root, 'elsewhere/victim.yaml'));
      assert.match(r.stdout + r.stderr, new RegExp(`a\\.txt\\.ann\\.yaml.*it is a symbolic link to ${victim.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, outside its corpus ${path.join(root, 'corpus').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, so it is not rewritten through the link`));
      assert.equal(await fsp.readFile(victim, 'utf8'), c.sidecar, 'the file outside is untouched');
      assert.ok((await fsp.lstat(path.join(root, 'corpus/a.txt.ann.yaml'))).isSymbolicLink(), 'the link is still a link');
      assert.deepEqual((await fsp.readdir(path.join(root, 'elsewhere'))), ['victim.yaml'], 'no temporary file left');
    });
  }

  it('a link that stays inside the repository (.git above) is written through, and stays a link', async () => {
    const root = await linkedCorpus('shared/a.yaml', UNFORMATTED, { '.git/HEAD': 'ref: refs/heads/main\n' });
    const r = await cli(['fmt', 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await fsp.readFile(path.join(root, 'shared/a.yaml'), 'utf8'), CANONICAL);
    assert.ok((await fsp.lstat(path.join(root, 'corpus/a.txt.ann.yaml'))).isSymbolicLink());
  });

  it('a link that stays inside the directory of the corpus configuration is written through', async () => {
    const root = await linkedCorpus('store/a.yaml', UNFORMATTED, { '.corpus-annotator.yaml': 'version: 1\n' });
    const r = await cli(['fmt', 'corpus'], root);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await fsp.readFile(path.join(root, 'store/a.yaml'), 'utf8'), CANONICAL);
  });
});
