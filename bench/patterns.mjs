// Bounded user regexes of issue 22, item 2: how long the CLI's pattern runner (a worker thread,
// src/cli/pattern-runner.ts) takes to stop `(a+)+$` on 40 a's and a b, and what running the demo
// patterns on the demo corpus through it costs against matching them on the main thread.
// `node bench/patterns.mjs` after `npx tsc -p .`.
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { core, isMain, ms, now, report, row, ROOT } from './lib/common.mjs';

const require = createRequire(import.meta.url);
const { cliPatternRunner, PATTERN_BUDGET_MS } = require(path.join(ROOT, 'out/src/cli/pattern-runner.js'));
const { parsePatterns, matchPattern, PatternText } = require(path.join(ROOT, 'out/src/core/suggest/patterns.js'));
const { superLinearReason } = require(path.join(ROOT, 'out/src/core/suggest/regex-safety.js'));

export async function run() {
  const rows = [];
  const evil = parsePatterns('version: 1\npatterns:\n  - {name: evil, label: MISC, regex: "(a+)+$"}\n', 'p.yaml').set.patterns;
  const runner = cliPatternRunner();
  let t0 = now();
  const r = await runner.run(evil, `${'a'.repeat(40)}b`);
  rows.push(row('`(a+)+$` on 40 a\'s + b: stopped and reported (worker started, budget, terminate)', { measured: ms(now() - t0), target: `budget ${PATTERN_BUDGET_MS} ms`, met: r.timedOut.length === 1 }));

  const demo = path.join(ROOT, 'examples/corpus');
  const patterns = parsePatterns(fs.readFileSync(path.join(demo, 'patterns.yaml'), 'utf8'), 'patterns.yaml').set.patterns;
  const texts = fs.readdirSync(demo).filter((f) => f.endsWith('.txt')).map((f) => core.article.decodeArticle(fs.readFileSync(path.join(demo, f))).text);
  let timedOut = 0;
  t0 = now();
  for (const t of texts) timedOut += (await runner.run(patterns, t)).timedOut.length;
  const worker = now() - t0;
  t0 = now();
  for (const t of texts) {
    const text = new PatternText(core.article.articleFromText(t));
    for (const p of patterns) matchPattern(p, text);
  }
  const inline = now() - t0;
  await runner.close();
  rows.push(row(`demo patterns (${patterns.length}) on the ${texts.length} demo articles through the worker; ${timedOut} timed out`, { measured: ms(worker), baseline: `main thread ${ms(inline)}` }));
  // The static check of patterns.yaml (src/core/suggest/regex-safety.ts) over 1,000 patterns: the demo's
  // four, varied, plus one catastrophic in every ten.
  const sources = [];
  for (let i = 0; i < 1000; i++) sources.push(i % 10 === 0 ? `(a${i}+)+$` : `${(patterns[i % patterns.length].source ?? '(?:19|20)\\d{2}')}|x${i}`);
  t0 = now();
  const flagged = sources.filter((s) => superLinearReason(s)).length;
  rows.push(row(`static check of 1,000 patterns (${flagged} flagged, 100 expected)`, { measured: ms(now() - t0) }));
  return { rows, notes: [] };
}

if (isMain(import.meta.url)) {
  const { rows, notes } = await run();
  report('patterns', rows, notes);
}
