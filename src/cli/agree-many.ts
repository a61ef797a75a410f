// `corpus-annotator agree --annotators A B C…`: agreement among two or more annotators' versions of
// the same articles (directories, revisions, REV:PATH, read as `curate` reads them): the pairwise
// exact F1 matrix and Fleiss' κ on tokens (all tokens, and those any annotator labelled), per
// document and overall; with --list the spans they disagree on, each annotator's label.
import { exactMatchesByLabel } from '../core/review/agreement';
import { collectTokenLabels, curateSources, CurationSource, fleissKappa, FleissKappa, SpanDisagreement, spanDisagreements } from '../core/review/curate';
import { articlePathOf, baseName, cmp, Entity } from '../core/model/model';
import { plural } from './args';
import { num, table } from './agree';
import { loadInputs } from './curate';
import { SideEntry } from './diff';
import { describeFsError, Io } from './io';

/** Exact-span agreement of one pair of annotators over all documents (micro: counts summed). */
export interface PairAgreement {
  a: string;
  b: string;
  /** Entities of a, of b, and the pairs with the same start, end and label (one-to-one). */
  countA: number;
  countB: number;
  matched: number;
  /** 2·matched / (countA + countB); null when neither has an entity. */
  f1: number | null;
}

interface DocumentRow {
  document: string;
  /** Entities per annotator, in input order (suggestions left out). */
  entities: number[];
  fleissKappa: FleissKappa;
  disagreements?: SpanDisagreement[];
}

export async function agreeManyCommand(io: Io, specs: readonly string[], opts: { names?: unknown; json: boolean; list: boolean }): Promise<number> {
  const inputs = await loadInputs(io, specs, opts.names, 'agree');
  const names = inputs.map((i) => i.name);
  const keys = [...new Set(inputs.flatMap((inp) => [...inp.docs.keys()]))].sort(cmp);
  const pairs = new Map<string, PairAgreement>();
  for (let i = 0; i < names.length; i++) {
    for (let j = i + 1; j < names.length; j++) pairs.set(`${i}:${j}`, { a: names[i] as string, b: names[j] as string, countA: 0, countB: 0, matched: 0, f1: null });
  }
  const ratings = { all: inputs.map((): string[] => []), annotated: inputs.map((): string[] => []) };
  const rows: DocumentRow[] = [];
  const skipped: Array<{ document: string; reason: string }> = [];
  let errors = 0;
  for (const key of keys) {
    const document = articlePathOf(key);
    const missing = inputs.filter((inp) => !inp.docs.has(key)).map((inp) => inp.name);
    if (missing.length) {
      skipped.push({ document, reason: `not annotated in ${missing.join(', ')}` });
      continue;
    }
    const sources: CurationSource[] = [];
    for (const inp of inputs) {
      const entry = inp.docs.get(key) as SideEntry;
      try {
        sources.push({ name: inp.name, display: entry.display, sidecar: await entry.sidecar(), article: await entry.article().catch(() => undefined) });
      } catch (e) {
        io.stderr(`${entry.display}: error: cannot read it: ${describeFsError(e)}; left out\n`);
        errors++;
        break;
      }
    }
    if (sources.length !== inputs.length) continue;
    // The same checks as curation: identical articles, readable sidecars matching them.
    const read = curateSources(baseName(document), sources);
    if (!read.ok) {
      skipped.push({ document, reason: read.error });
      continue;
    }
    const annotations = read.versions.map((v) => v.filter((e) => e.suggested !== true));
    for (let i = 0; i < names.length; i++) {
      for (let j = i + 1; j < names.length; j++) {
        const p = pairs.get(`${i}:${j}`) as PairAgreement;
        const a = annotations[i] as Entity[];
        const b = annotations[j] as Entity[];
        p.countA += a.length;
        p.countB += b.length;
        for (const k of exactMatchesByLabel(a, b).values()) p.matched += k;
      }
    }
    collectTokenLabels(ratings, read.tokenLabels);
    const row: DocumentRow = { document, entities: annotations.map((a) => a.length), fleissKappa: fleissKappa(read.tokenLabels) };
    if (opts.list) row.disagreements = spanDisagreements(read.versions);
    rows.push(row);
  }
  for (const p of pairs.values()) p.f1 = p.countA + p.countB ? (2 * p.matched) / (p.countA + p.countB) : null;
  const pairwise = [...pairs.values()];
  const kappa = fleissKappa(ratings.all);
  const kappaAnnotated = fleissKappa(ratings.annotated);
  if (opts.json) {
    io.stdout(JSON.stringify({
      annotators: inputs.map((i) => ({ spec: i.spec, name: i.name })),
      documents: rows.length,
      pairwise,
      fleissKappa: kappa,
      fleissKappaAnnotatedTokens: kappaAnnotated,
      perDocument: rows,
      skipped,
    }, null, 2) + '\n');
  } else {
    io.stdout(formatMany(names, rows, pairwise, kappa, kappaAnnotated));
    for (const s of skipped) io.stderr(`note: ${s.document}: left out: ${s.reason}\n`);
  }
  return errors ? 1 : 0;
}

function formatMany(names: readonly string[], rows: readonly DocumentRow[], pairwise: readonly PairAgreement[], kappa: FleissKappa, kappaAnnotated: FleissKappa): string {
  const out: string[] = [];
  out.push(`Agreement of ${plural(names.length, 'annotator')} (${names.join(', ')}), over ${plural(rows.length, 'document')} annotated by all`);
  out.push('');
  out.push('Pairwise exact F1 (same start, end and label; counts summed over documents):');
  out.push(...table(['', ...names], names.map((a) => [a, ...names.map((b) => {
    if (a === b) return '1.000';
    const p = pairwise.find((x) => (x.a === a && x.b === b) || (x.a === b && x.b === a));
    return num(p?.f1);
  })])));
  out.push('');
  out.push(`Fleiss' κ on tokens: ${fleissText(kappa)}`);
  out.push(`  over the tokens any annotator labelled: ${fleissText(kappaAnnotated)}`);
  out.push('  (κ over all tokens is inflated by the O majority; F1 above is the usual NER figure)');
  out.push('');
  out.push(...table(['Document', ...names, 'κ', 'tokens'], rows.map((r) => [r.document, ...r.entities.map(String), num(r.fleissKappa.kappa), String(r.fleissKappa.subjects)])));
  const listed = rows.filter((r) => r.disagreements?.length);
  if (rows.some((r) => r.disagreements !== undefined)) {
    const lines: string[][] = [];
    for (const r of listed) {
      for (const d of r.disagreements ?? []) lines.push([`${r.document}:${d.start}-${d.end}`, `«${d.text}»`, ...names.map((n, i) => `${n}: ${d.labels[i] ?? '–'}`)]);
    }
    out.push('');
    if (!lines.length) out.push('No disagreement.');
    else {
      out.push(`${plural(lines.length, 'disagreement')}:`);
      const width = (lines[0] as string[]).map((_, i) => Math.max(...lines.map((l) => [...(l[i] as string)].length)));
      for (const l of lines) out.push(l.map((c, i) => c.padEnd(width[i] as number)).join('  ').trimEnd());
    }
  }
  return out.join('\n') + '\n';
}

function fleissText(k: FleissKappa): string {
  if (k.subjects === 0) return '– (no article text available)';
  return `${num(k.kappa)} over ${plural(k.subjects, 'token')} (P̄ ${num(k.observed)}, P̄e ${num(k.expected)})`;
}
