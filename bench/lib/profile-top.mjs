// Reads a .cpuprofile (bench/host/scale.bench.ts writes them with HOST_SCALE_PROFILE=dir) and
// prints where the time went: self time per function and total (inclusive) time per function,
// top N each. `node bench/lib/profile-top.mjs file.cpuprofile [N=25]`.
import fs from 'node:fs';

const [file, n = '25'] = process.argv.slice(2);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map();
for (const node of profile.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) {
  const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
  self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + dt);
}
const name = (node) => {
  const f = node.callFrame;
  const where = f.url ? `${f.url.split('/').slice(-2).join('/')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`;
};
const selfBy = new Map();
const totalBy = new Map();
let all = 0;
for (const [id, t] of self) {
  all += t;
  const node = nodes.get(id);
  selfBy.set(name(node), (selfBy.get(name(node)) ?? 0) + t);
  // Inclusive: each distinct function on the stack once.
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const k = name(nodes.get(cur));
    if (seen.has(k)) continue;
    seen.add(k);
    totalBy.set(k, (totalBy.get(k) ?? 0) + t);
  }
}
const top = (m) => [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(n)).map(([k, t]) => `${t.toFixed(0).padStart(8)} ms ${((100 * t) / all).toFixed(1).padStart(5)}%  ${k}`).join('\n');
console.log(`${file}: ${all.toFixed(0)} ms sampled\n-- self --\n${top(selfBy)}\n-- total --\n${top(totalBy)}`);
