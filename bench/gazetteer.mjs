// Gazetteer suggestions of issue 22, item 5: 35k entries × 2,000 generated articles (French news,
// ~9 KB each), `suggestForArticle` (one Aho–Corasick automaton per gazetteer, one scan per article)
// against the former way (every entry folded and searched with indexOf in every article: 597 s for
// the whole set in the issue), which is measured on a sample of articles and scaled, since running
// it whole would take ten minutes. `node bench/gazetteer.mjs [entries=35000] [articles=2000]
// [sample=40]` after `npx tsc -p .`.
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { core, info, isMain, ms, now, peakRss, report, row, ROOT } from './lib/common.mjs';
import { makeDocument, prng } from './lib/corpus.mjs';

const require = createRequire(import.meta.url);
const { parseGazetteer } = require(path.join(ROOT, 'out/src/core/suggest/gazetteer.js'));
const { suggestForArticle } = require(path.join(ROOT, 'out/src/core/suggest/suggest.js'));
const { FoldedText, DEFAULT_MATCH } = require(path.join(ROOT, 'out/src/core/suggest/occurrences.js'));

const SYLLABLES = ['ma', 'ro', 'lé', 'ka', 'dî', 'su', 'bel', 'ham', 'mou', 'chi', 'laf', 'tit', 'gé', 'ra', 'nö', 'an', 'é', 'ber', 'to', 'zi'];
const LABELS = ['PER', 'ORG', 'LOC', 'MISC'];

/** `n` distinct names (two generated words), plus the names the articles mention. */
function gazetteerText(n, rand) {
  const word = () => Array.from({ length: 2 + Math.floor(rand() * 3) }, () => SYLLABLES[Math.floor(rand() * SYLLABLES.length)]).join('');
  const cap = (w) => w[0].toUpperCase() + w.slice(1);
  const names = new Set();
  const lines = new Set(['Emmanuel Macron\tPER', 'Interpol\tORG', 'Rabat\tLOC', 'Paris\tLOC', 'Assemblée nationale\tORG', 'Abdellatif Hammouchi\tPER',
    'Côte d’Ivoire\tLOC', 'Île-de-France\tLOC', 'Météo-France\tORG', 'Légion d’honneur\tMISC', 'SNCF\tORG', 'Kylian Mbappé\tPER']);
  while (lines.size < n) {
    const name = `${cap(word())} ${cap(word())}`;
    if (!names.has(name)) lines.add(`${name}\t${LABELS[Math.floor(rand() * LABELS.length)]}`);
    names.add(name);
  }
  return [...lines].join('\n') + '\n';
}

export function run(entries = 35_000, articleCount = 2_000, sample = 40) {
  const rand = prng(22);
  let t0 = now();
  const { gazetteer, problems } = parseGazetteer(gazetteerText(entries, rand), 'names.tsv');
  if (problems.some((p) => p.severity === 'error')) throw new Error(`gazetteer: ${problems[0].message}`);
  const articles = Array.from({ length: articleCount }, (_, i) => core.article.articleFromText(makeDocument(rand, `${i}.txt`, 100).text));
  const megabytes = articles.reduce((s, a) => s + a.text.length, 0) / 1e6;
  info(`generated ${entries} entries and ${articleCount} articles (${megabytes.toFixed(1)} M UTF-16 units) in ${ms(now() - t0)}`);
  const empty = (name) => ({ version: 1, document: name, status: 'todo', entities: [] });

  t0 = now();
  let added = 0;
  articles.forEach((a, i) => { added += suggestForArticle(empty(`${i}.txt`), a, { gazetteers: [gazetteer] }).added.length; });
  const after = now() - t0;
  // The automaton is built on the first article: measured apart on a fresh copy of the gazetteer.
  const copy = { ...gazetteer, entries: [...gazetteer.entries] };
  t0 = now();
  suggestForArticle(empty('x.txt'), core.article.articleFromText(''), { gazetteers: [copy] });
  const build = now() - t0;

  t0 = now();
  let found = 0;
  for (const a of articles.slice(0, sample)) {
    const folded = new FoldedText(a.text, DEFAULT_MATCH);
    for (const e of gazetteer.entries) found += folded.find(e.surface).length;
  }
  const before = ((now() - t0) / sample) * articleCount;

  const rows = [
    row(`suggest from a ${entries}-entry gazetteer for ${articleCount} articles (${added} suggestions)`, {
      measured: ms(after), baseline: `one search per entry ${ms(before)} (scaled from ${sample} articles)`, ratio: after / before,
    }),
    row('… of which building the automaton, once', { measured: ms(build) }),
    row('… per article', { measured: ms(after / articleCount), baseline: `one search per entry ${ms(before / articleCount)}` }),
  ];
  return { rows, notes: [`gazetteer bench: ${found} matches in the sampled articles (former way); peak rss ${(peakRss() / 1e6).toFixed(0)} MB`] };
}

if (isMain(import.meta.url)) {
  const [entries, articles, sample] = process.argv.slice(2).map(Number);
  const { rows, notes } = run(entries || undefined, articles || undefined, sample || undefined);
  report('gazetteer', rows, notes);
}
