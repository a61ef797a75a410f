// Imports in src/core run one way: no module imports, even indirectly, a module that imports it
// (the sidecar readers did: sidecar-read.ts ↔ sidecar-fast-read.ts). A cycle makes the load order
// matter and hides which module is the lower one.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO_ROOT } from './helpers/corpus';

const CORE = path.join(REPO_ROOT, 'src', 'core');
const RELATIVE_IMPORT = /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** Each module of `dir` (absolute path) and the modules of `dir` it imports (type-only imports too). */
export function importGraph(dir: string): Map<string, string[]> {
  const files = (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const deps: string[] = [];
    for (const m of fs.readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      const base = path.resolve(path.dirname(file), (m[1] ?? m[2]) as string);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((c) => fs.existsSync(c));
      if (target !== undefined) deps.push(target);
    }
    graph.set(file, deps);
  }
  return graph;
}

/** The strongly connected components with more than one module (Tarjan), i.e. the import cycles. */
export function importCycles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) as number, low.get(w) as number));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v) as number, index.get(w) as number));
      }
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop() as string;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1) cycles.push(component.sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

describe('import cycles', () => {
  it('finds a cycle where there is one, and none in a chain', () => {
    const cyclic = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]]);
    assert.deepEqual(importCycles(cyclic), [['a', 'b', 'c']]);
    assert.deepEqual(importCycles(new Map([['a', ['b']], ['b', ['c']], ['c', []]])), []);
  });

  it('the sidecar readers import one way: read → fast read, flow read → parsed result', () => {
    const graph = importGraph(CORE);
    const readers = [...graph.keys()].filter((f) => /sidecar-(read|fast-read|flow-read|parsed)\.ts$/.test(f));
    assert.equal(readers.length, 4, `the four reader modules: ${readers.join(', ')}`);
    const inCycle = importCycles(graph).flat().filter((f) => readers.includes(f));
    assert.deepEqual(inCycle.map((f) => path.relative(CORE, f)), []);
  });

  it('src/core has no import cycle outside export/ (whose cycle is known and left for later)', () => {
    const cycles = importCycles(importGraph(CORE)).filter((c) => !c.every((f) => path.basename(path.dirname(f)) === 'export'));
    assert.deepEqual(cycles.map((c) => c.map((f) => path.relative(CORE, f))), []);
  });
});
