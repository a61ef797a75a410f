// The whole-corpus commands hold one document at a time: what was read for a sidecar is garbage
// once the next is read. Checked by the heap (after a forced collection) while the command runs:
// between the 10th and the last of 40 sidecars of 2,000 entities each, it must not grow by what
// keeping every model would cost (8 MB here). A size, not a time: deterministic.
import { strict as assert } from 'node:assert';
import * as fsp from 'node:fs/promises';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { CliFs } from '../../src/cli/io';
import { Entity } from '../../src/core/model/model';
import { writeSidecar } from '../../src/core/sidecar/sidecar-write';
import { cli } from './helpers/cli';
import { tempDirs } from './helpers/tmp';

const { makeTree } = tempDirs('cli-streaming');

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const DOCUMENTS = 40;
const ENTITIES = 2000;

async function bigCorpus(): Promise<string> {
  const words: string[] = [];
  const entities: Entity[] = [];
  let at = 0;
  for (let i = 0; i < ENTITIES; i++) {
    const w = `Nom${i}`;
    entities.push({ id: `e${String(i).padStart(5, '0')}`, label: ['PER', 'ORG', 'LOC'][i % 3] as string, start: at, end: at + w.length, text: w, by: 'amina', src: 'manual' });
    words.push(w);
    at += w.length + 1;
  }
  const text = words.join(' ') + '\n';
  const files: Record<string, string> = {};
  for (let d = 0; d < DOCUMENTS; d++) {
    const name = `doc${String(d).padStart(3, '0')}.txt`;
    files[name] = text;
    files[`${name}.ann.yaml`] = writeSidecar({ version: 1, document: name, status: 'done', entities });
  }
  return makeTree(files);
}

/** The heap after a collection, at the 10th and at the last sidecar the command reads. */
function heapProbe(): { fs: CliFs; growth: () => number } {
  let reads = 0;
  let at10 = 0;
  let atLast = 0;
  const fs: CliFs = {
    ...fsp,
    readFile: (async (p: Parameters<typeof fsp.readFile>[0], opts?: Parameters<typeof fsp.readFile>[1]) => {
      if (String(p).endsWith('.ann.yaml')) {
        reads++;
        if (reads === 10 || reads === DOCUMENTS) {
          gc();
          if (reads === 10) at10 = process.memoryUsage().heapUsed;
          else atLast = process.memoryUsage().heapUsed;
        }
      }
      return fsp.readFile(p, opts);
    }) as CliFs['readFile'],
  };
  return { fs, growth: () => atLast - at10 };
}

describe('CLI whole-corpus commands hold one document at a time', function () {
  this.timeout(60_000);
  let root: string;
  before(async () => {
    root = await bigCorpus();
  });

  for (const argv of [['stats'], ['stats', '--json'], ['validate', '-q'], ['export', '-q', '-f', 'jsonl', '-o', 'out.jsonl']]) {
    it(`${argv.join(' ')}: the heap does not grow with the sidecars read`, async () => {
      const probe = heapProbe();
      const r = await cli([...argv, '.'], root, probe.fs);
      assert.equal(r.code, 0, r.stderr);
      // Keeping the 30 more models of 2,000 entities costs 8 MB (measured on the code that kept
      // them all); holding one document at a time, tens of KB.
      assert.ok(probe.growth() < 2e6, `the heap grew by ${(probe.growth() / 1e6).toFixed(1)} MB over ${DOCUMENTS - 10} sidecars`);
    });
  }
});
