// The overlap check of issue 22, item 3: n entities on one span (and n nested, n crossing),
// the former all-pairs sweep (its baseline, run here at sizes it survives) against
// `forbiddenOverlaps` / `validateAgainstArticle`. `node bench/overlap.mjs [n=100000]` after
// `npx tsc -p .`. The former sweep ran out of memory at 12k identical spans, so the baseline
// stops at 4k.
import { core, isMain, median, ms, now, peakRss, report, row, times } from './lib/common.mjs';

/** The former implementation: every open pair, the nested ones built and then dropped. */
function formerSweep(entities, policy) {
  const sorted = [...entities].sort((a, b) => a.start - b.start || b.end - a.end);
  const pairs = [];
  const open = [];
  for (const e of sorted) {
    for (let i = open.length - 1; i >= 0; i--) if (open[i].end <= e.start) open.splice(i, 1);
    for (const o of open) pairs.push([o, e]);
    open.push(e);
  }
  return pairs.filter(([a, b]) => policy === 'forbid' || !((a.start <= b.start && b.end <= a.end) || (b.start <= a.start && a.end <= b.end)));
}

const TEXT = 'Université Mohammed V de Rabat';
const identical = (n) => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, label: 'LOC', start: 25, end: 30, text: 'Rabat' }));
const chain = (n) => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, label: 'X', start: i, end: 2 * n - i, text: '' }));
const staircase = (n) => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, label: 'X', start: i, end: i + 3, text: '' }));

export function run(n = 100_000) {
  const rows = [];
  const article = core.article.articleFromText(TEXT);
  const labels = new Set(['LOC']);
  const validate = (entities, overlap) => core.validate.validateAgainstArticle({ version: 1, document: 'a.txt', status: 'todo', entities }, article, { labels, overlap });
  for (const k of [1000, 2000, 4000]) {
    const es = identical(k);
    const before = median(times(() => formerSweep(es, 'nested'), { runs: 1, warmup: 0 }));
    const after = median(times(() => validate(es, 'nested'), { runs: 5 }));
    rows.push(row(`overlap check, ${k} entities on one span, policy nested (whole validate)`, { measured: ms(after), baseline: `former sweep ${ms(before)} (${(before / after).toFixed(0)}× slower)` }));
  }
  const big = identical(n);
  for (const policy of ['nested', 'forbid']) {
    const t = median(times(() => validate(big, policy), { runs: 3 }));
    rows.push(row(`… ${n} entities on one span, policy ${policy} (whole validate${policy === 'forbid' ? '; 100 listed + a count' : ''})`, { measured: ms(t), target: '< 1 s', met: t < 1000 }));
  }
  for (const [what, es] of [['nested in one another', chain(n)], ['each crossing the next two', staircase(n)]]) {
    const t = median(times(() => core.validate.forbiddenOverlaps(es, 'nested', 100), { runs: 3 }));
    rows.push(row(`… ${n} entities ${what}, policy nested (forbiddenOverlaps)`, { measured: ms(t), target: '< 1 s', met: t < 1000 }));
  }
  const t0 = now();
  validate(identical(10 * n), 'nested');
  rows.push(row(`… ${10 * n} entities on one span, policy nested (whole validate, one run)`, { measured: ms(now() - t0) }));
  return { rows, notes: [`peak rss of the overlap bench: ${(peakRss() / 1e6).toFixed(0)} MB`] };
}

if (isMain(import.meta.url)) {
  const { rows, notes } = run(Number(process.argv[2] ?? 100_000));
  report('overlap', rows, notes);
}
