// Find Likely Annotation Errors (issue 16), measured: the shared Europeana pages with 5% of the
// entities deliberately relabelled and 5% removed (seeded), then cross-checked (5 folds by
// document: each page is checked by a model trained on the other, equally corrupted, pages), as the
// CLI's `likely-errors --folds` (model disagreements only) and as VS Code's held-out check (those
// plus `inconsistent` annotations), both from the same held-out predictions.
// Precision and recall of the check at finding the corruptions, at several minimum scores:
//   found (lenient): a relabelled entity is reported (kind label, boundary or inconsistent, that entity as the
//                    current annotation); a removed one is overlapped by a reported `missing`
//   exact:           …and the proposal restores it: the original label on that span; the removed
//                    entity's span and label
// Precision counts every report that is not a corruption as wrong, although some are real slips of
// the original annotation (docs/recommender.md lists a few of the best-scoring ones): a lower bound.
//
//   npx tsc -p . && node bench/likely-errors.mjs [pages dir] [--rate 0.05] [--seed 7]
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createRequire } from 'node:module';
import { core, info, ms, now, report, ROOT, row } from './lib/common.mjs';

const require = createRequire(import.meta.url);
const out = (name) => require(path.join(ROOT, 'out/src/core', `${name}.js`));
const { compareWithPredictions, heldOut } = out('suggest/recommender/likely-errors');
const { labelCountsBySurface, reviewDocument } = out('suggest/recommender/likely-error-review');
const { predict } = out('suggest/recommender/recommender');
const { seededRandom } = out('suggest/recommender/hash');

const args = process.argv.slice(2);
const opt = (name, dflt) => { const i = args.indexOf(name); if (i < 0) return dflt; const v = args[i + 1]; args.splice(i, 2); return Number(v); };
const RATE = opt('--rate', 0.05);
const CORRUPTION_SEED = opt('--seed', 7);
const K = 5;
const candidates = ['..', '../..'].map((up) => path.join(ROOT, up, 'shared', 'data', 'europeana-fr'));
const dir = path.resolve(args[0] ?? candidates.find((c) => fs.existsSync(c)) ?? candidates[0]);
if (!fs.existsSync(dir)) {
  console.error(`${dir}: no such directory (give the pages' directory as the first argument)`);
  process.exit(2);
}
const loadBefore = os.loadavg();
const docs = fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).sort().map((f) => {
  const { sidecar } = core.read.readSidecar(fs.readFileSync(path.join(dir, `${f}.ann.yaml`), 'utf8'));
  return {
    name: f, text: core.article.decodeArticle(fs.readFileSync(path.join(dir, f))).text,
    entities: sidecar.entities.filter((e) => !e.suggested).map((e, i) => ({ start: e.start, end: e.end, label: e.label, id: `${f}#${i}` })),
  };
});
const labels = [...new Set(docs.flatMap((d) => d.entities.map((e) => e.label)))].sort();

// ---- Corruption: each entity relabelled with probability RATE, else removed with probability RATE ----
const random = seededRandom(CORRUPTION_SEED);
const corruptions = []; // { doc, kind: 'relabel' | 'remove', entity (as annotated now), original label }
const corrupted = docs.map((d, di) => {
  const entities = [];
  for (const e of d.entities) {
    const r = random();
    if (r < RATE) {
      const others = labels.filter((l) => l !== e.label);
      const label = others[Math.floor(random() * others.length)];
      const now = { ...e, label };
      entities.push(now);
      corruptions.push({ doc: di, kind: 'relabel', entity: now, original: e });
    } else if (r < 2 * RATE) {
      corruptions.push({ doc: di, kind: 'remove', original: e });
    } else entities.push(e);
  }
  return { ...d, entities };
});
const relabelled = corruptions.filter((c) => c.kind === 'relabel').length;
const removed = corruptions.length - relabelled;
const total = docs.reduce((n, d) => n + d.entities.length, 0);
info(`${docs.length} pages, ${total} entities; corrupted: ${relabelled} relabelled, ${removed} removed (rate ${RATE}, seed ${CORRUPTION_SEED})`);

// ---- Held out: each page predicted by a model trained on the other pages (5 trainings), then both
// checks from the same predictions at each minimum score: the model's disagreements alone
// (`crossCheck`, the CLI's `likely-errors --folds`) and the review VS Code shows (`crossReviewCorpus`:
// those plus `inconsistent`, a text labelled otherwise in most of its other annotations).
const t0 = now();
const held = heldOut(corrupted, K, { seed: 1 }, (model, d) => ({ predictions: predict(model, d.text), labels: model.labels }), (f, n) => info(`fold ${f}/${n}`));
const wall = now() - t0;
const counts = labelCountsBySurface(corrupted);
const modelOnly = (min) => corrupted.map((d, i) => compareWithPredictions(d.entities, held[i].predictions, held[i].labels, min));
const reviewed = (min) => corrupted.map((d, i) => reviewDocument(d, held[i].predictions, held[i].labels, counts, min));

const overlaps = (a, b) => a.start < b.end && b.start < a.end;
/** Which corruption a finding points at, and whether its proposal restores the original. */
function judge(doc, f) {
  for (const c of corruptions) {
    if (c.doc !== doc) continue;
    if (c.kind === 'relabel' && f.current?.id === c.entity.id) {
      return { c, exact: (f.kind === 'label' || f.kind === 'inconsistent') && f.proposed.label === c.original.label };
    }
    if (c.kind === 'remove' && f.kind === 'missing' && overlaps(f.proposed, c.original)) {
      return { c, exact: f.proposed.start === c.original.start && f.proposed.end === c.original.end && f.proposed.label === c.original.label };
    }
  }
  return undefined;
}

const rows = [];
const pr = (hits, reported, found, of) => `P ${(hits / (reported || 1)).toFixed(2)} R ${(found / (of || 1)).toFixed(2)}`;
let examples = [];
for (const [variant, check] of [['model', modelOnly], ['review', reviewed]]) {
  for (const min of [0.5, 0.7, 0.8, 0.9, 0.95]) {
    const kept = check(min).flatMap((list, doc) => list.map((f) => ({ doc, f, hit: judge(doc, f) })));
    const hits = kept.filter((j) => j.hit);
    const exactHits = hits.filter((j) => j.hit.exact);
    const found = new Set(hits.map((j) => j.hit.c));
    const exactFound = new Set(exactHits.map((j) => j.hit.c));
    const of = (set, kind) => [...set].filter((c) => c.kind === kind).length;
    const byKind = (kind) => kept.filter((j) => j.f.kind === kind).length;
    rows.push(row(`${variant}, min score ${min}: ${kept.length} reports (label ${byKind('label')}, boundary ${byKind('boundary')}, missing ${byKind('missing')}${variant === 'review' ? `, inconsistent ${byKind('inconsistent')}` : ''})`, {
      measured: `found ${pr(hits.length, kept.length, found.size, corruptions.length)}; exact ${pr(exactHits.length, kept.length, exactFound.size, corruptions.length)}`,
      baseline: `relabels R ${(of(found, 'relabel') / relabelled).toFixed(2)}, removals R ${(of(found, 'remove') / removed).toFixed(2)}`,
    }));
    // Examples of confident reports that are no corruption: often slips of the original annotation.
    if (variant === 'model' && min === 0.5) {
      examples = kept.filter((j) => !j.hit).sort((a, b) => b.f.score - a.f.score).slice(0, 8).map(({ doc, f }) => {
        const t = (s) => JSON.stringify([...docs[doc].text].slice(s.start, s.end).join(''));
        return `${docs[doc].name} ${f.kind} ${f.current ? `${f.current.label} ${t(f.current)}` : '-'} → ${f.proposed.label} ${t(f.proposed)} (${f.score.toFixed(2)})`;
      });
    }
  }
}
const loadAfter = os.loadavg();
report('likely annotation errors', [
  row(`corruptions: ${relabelled} relabelled + ${removed} removed of ${total} entities (${docs.length} pages)`, { measured: `${K}-fold held-out predictions ${ms(wall)}` }),
  ...rows,
], [
  `model: the model's disagreements (CLI likely-errors --folds); review: those plus inconsistent annotations (VS Code's Find Likely Annotation Errors, held out). found: the corruption is reported (relabel: that entity, kind label/boundary/inconsistent; removal: a missing report overlapping it); exact: the proposal restores the original span and label. Relabels/removals R = recall of each kind (found).`,
  `best-scoring reports that are no corruption: ${examples.join('; ')}`,
  `load average before ${loadBefore.map((x) => x.toFixed(1)).join(' ')}, after ${loadAfter.map((x) => x.toFixed(1)).join(' ')} (${os.cpus().length} CPUs)`,
]);
