// Mocha entry for benchmarks that must run inside the real VS Code extension host (what the
// extension itself costs there). Run by bench/host-decorations.mjs; never part of `npm test`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 300_000 });
  // CORPUS_ANNOTATOR_BENCH names one suite (`scale` runs scale.bench.js); all of them without it.
  const only = process.env.CORPUS_ANNOTATOR_BENCH;
  for (const f of fs.readdirSync(__dirname).filter((n) => n.endsWith('.bench.js') && (!only || n === `${only}.bench.js`)).sort()) mocha.addFile(path.join(__dirname, f));
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures ? reject(new Error(`${failures} benchmark(s) failed to run`)) : resolve()));
  });
}
