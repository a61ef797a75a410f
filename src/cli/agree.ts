// `corpus-annotator agree A B`: inter-annotator agreement between two annotations of the same
// documents (two directories, two git revisions, or two sidecars), A as the reference.
import { AgreementDocument, AgreementReport, computeAgreement, Kappa, Prf } from '../core/review/agreement';
import { decodeArticle } from '../core/model/article';
import { SpanDisagreement, spanDisagreements } from '../core/review/curate';
import { articlePathOf, Entity } from '../core/model/model';
import { parseCommandArgs, plural, TOOL, UsageError } from './args';
import { agreeManyCommand } from './agree-many';
import { loadPair, readSide, resolveSide } from './diff';
import { Io } from './io';

export const AGREE_HELP = `Usage: ${TOOL} agree [options] A B [paths…]
       ${TOOL} agree --annotators [options] A B C [D…]

Measures how much two annotations of the same documents agree, A being the reference
(precision = share of B's entities found in A, recall = share of A's found in B).
A and B are two directories (e.g. two annotators' copies of a corpus), two git
revisions (e.g. two annotators' branches) or two sidecars; documents are paired as by
\`${TOOL} diff\`, and only documents annotated on both sides count.

  exact     an entity of B matches one of A with the same start, end and label
            (one-to-one); P = TP/|B|, R = TP/|A|, F1 = 2·TP/(|A|+|B|)
  partial   a pair with the same label sharing at least one character matches;
            pairs are matched one-to-one, greedily, largest overlap first
  κ         token-level Cohen's kappa: tokens are the runs of letters and digits of
            the article (whitespace and punctuation separate them); each token takes
            the label of the outermost entity touching it, or O; κ = (pₒ−pₑ)/(1−pₑ)
            (undefined, shown –, when both sides label every token alike, e.g. all O).
            Also given over the tokens either side labelled: over all tokens the O
            majority inflates κ (Hripcsak & Rothschild 2005 recommend F1 for NER)

Per label and overall (micro-averaged; macro-F1 averages the labels' F1), and a table
per document. κ needs the article's text (beside the sidecar, or at the revision);
documents whose two sidecars annotate different versions of the article (their
sha256 differ) are left out and listed.

With --list, also prints every span on which A and B disagree (a span only one of
them annotated, or annotated with another label): document, offsets, text, A's
label and B's label (– for none); with --json they are in each document's
"disagreements".

With --annotators, every argument is one annotator's version (two or more: directories,
git revisions or REV:PATH, as \`${TOOL} curate\` takes them; documents paired by their
path under each; articles byte-identical): it prints the pairwise exact F1 matrix
(counts summed over documents) and Fleiss' κ on the same tokens (each token rated by
every annotator; also over the tokens any annotator labelled), overall and per
document; --list gives each disagreeing span with every annotator's label, and --json
carries it all ("pairwise", "fleissKappa", "fleissKappaAnnotatedTokens").

Options:
      --list     list the disagreeing entities
      --json     print the results as JSON
      --annotators  two or more annotators' versions, no path filter (see above)
      --names A,B,…  with --annotators: their names (default: each input's last
                 path component, or the revision)
  -h, --help     show this help

Exit status: 0, 1 a sidecar could not be read, 2 usage error.

Examples:
  ${TOOL} agree annotators/alice annotators/bob
  ${TOOL} agree main review/bob corpus/
  ${TOOL} agree --json alice/ bob/ | jq .overall.exact.f1
  ${TOOL} agree --annotators alice/ bob/ carol/
`;

export async function agreeCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('agree', argv, {
    json: { type: 'boolean' },
    list: { type: 'boolean' },
    annotators: { type: 'boolean' },
    names: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(AGREE_HELP);
    return 0;
  }
  if (flags.annotators) {
    if (positionals.length < 2) throw new UsageError('--annotators expects two or more directories or revisions', 'agree');
    return agreeManyCommand(io, positionals, { names: flags.names, json: flags.json === true, list: flags.list === true });
  }
  if (flags.names !== undefined) throw new UsageError('--names goes with --annotators', 'agree');
  if (positionals.length < 2) throw new UsageError('expected two directories, revisions or sidecars to compare', 'agree');
  const [specA, specB, ...paths] = positionals as [string, string, ...string[]];
  const a = await resolveSide(io, specA, 'agree');
  const b = await resolveSide(io, specB, 'agree');
  const pair = await loadPair(io, a, b, paths, 'agree');

  const docs: AgreementDocument[] = [];
  const onlyA: string[] = [];
  const onlyB: string[] = [];
  const skipped: Array<{ document: string; reason: string }> = [];
  let errors = 0;
  for (const key of pair.keys) {
    const document = articlePathOf(key);
    const ea = pair.a.get(key);
    const eb = pair.b.get(key);
    if (!ea || !eb) {
      (ea ? onlyA : onlyB).push(document);
      continue;
    }
    const [ra, rb] = await Promise.all([readSide(ea), readSide(eb)]);
    if (ra.error !== undefined || rb.error !== undefined) {
      for (const [r, e] of [[ra, ea], [rb, eb]] as const) if (r.error !== undefined) io.stderr(`${e.display}: error: ${r.error}; left out\n`);
      errors++;
      skipped.push({ document, reason: 'a sidecar could not be read' });
      continue;
    }
    const sa = ra.sidecar;
    const sb = rb.sidecar;
    if (!sa || !sb) continue;
    if (ra.conflicts || rb.conflicts) {
      skipped.push({ document, reason: 'unresolved merge conflicts' });
      continue;
    }
    if (sa.sha256 !== undefined && sb.sha256 !== undefined && sa.sha256 !== sb.sha256) {
      skipped.push({ document, reason: 'the two sidecars annotate different versions of the article (sha256 differ)' });
      continue;
    }
    const doc: AgreementDocument = { document, a: sa.entities, b: sb.entities };
    const sha = sa.sha256 ?? sb.sha256;
    for (const entry of [ea, eb]) {
      const bytes = await entry.article().catch(() => undefined);
      if (!bytes) continue;
      try {
        const article = decodeArticle(bytes);
        if (sha === undefined || article.sha256 === sha || matchesAll(article.offsets.slice.bind(article.offsets), [...sa.entities, ...sb.entities])) {
          doc.text = article.text;
          break;
        }
      } catch {
        // not a text article: no κ for it
      }
    }
    docs.push(doc);
  }
  const report = computeAgreement(docs);
  const lists = flags.list ? docs.map((d) => ({ document: d.document, disagreements: spanDisagreements([d.a, d.b]) })) : [];
  if (flags.json) {
    const perDocument = flags.list ? report.perDocument.map((d, i) => ({ ...d, disagreements: lists[i]?.disagreements ?? [] })) : report.perDocument;
    io.stdout(JSON.stringify({ a: specA, b: specB, ...report, perDocument, onlyA, onlyB, skipped }, null, 2) + '\n');
  } else {
    io.stdout(formatAgreement(report, specA, specB));
    if (flags.list) io.stdout(formatDisagreements(lists));
    const notes: string[] = [];
    if (onlyA.length) notes.push(`${plural(onlyA.length, 'document')} annotated only in A (not counted): ${list(onlyA)}`);
    if (onlyB.length) notes.push(`${plural(onlyB.length, 'document')} annotated only in B (not counted): ${list(onlyB)}`);
    for (const s of skipped) notes.push(`${s.document}: left out: ${s.reason}`);
    const noText = report.perDocument.filter((d) => !d.kappa).map((d) => d.document);
    if (noText.length) notes.push(`no article text for κ (missing or changed): ${list(noText)}`);
    for (const n of notes) io.stderr(`note: ${n}\n`);
  }
  return errors ? 1 : 0;
}

/** One line per disagreeing span: `document:start-end  «text»  A: LABEL  B: LABEL`. */
function formatDisagreements(lists: ReadonlyArray<{ document: string; disagreements: SpanDisagreement[] }>): string {
  const rows: string[][] = [];
  for (const { document, disagreements } of lists) {
    for (const d of disagreements) rows.push([`${document}:${d.start}-${d.end}`, `«${d.text}»`, d.labels[0] ?? '–', d.labels[1] ?? '–']);
  }
  if (!rows.length) return '\nNo disagreement.\n';
  const width = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => [...(r[i] as string)].length), i === 2 ? 1 : 0));
  const lines = rows.map((r) => `${(r[0] as string).padEnd(width[0] as number)}  ${(r[1] as string).padEnd(width[1] as number)}  A: ${(r[2] as string).padEnd(width[2] as number)}  B: ${r[3]}`.trimEnd());
  return `\n${plural(rows.length, 'disagreement')}:\n${lines.join('\n')}\n`;
}

function matchesAll(slice: (s: number, e: number) => string, entities: readonly Entity[]): boolean {
  return entities.every((e) => slice(e.start, e.end) === e.text);
}

function list(xs: readonly string[], max = 5): string {
  return xs.length > max ? `${xs.slice(0, max).join(', ')}, … (${xs.length - max} more)` : xs.join(', ');
}

export function num(x: number | null | undefined): string {
  return x === null || x === undefined ? '–' : x.toFixed(3);
}

/** The human-readable report: per label, overall, κ, per document. */
export function formatAgreement(r: AgreementReport, a: string, b: string): string {
  const out: string[] = [];
  out.push(`Agreement of B (${b}) with A (${a}) as the reference, over ${plural(r.documents, 'document')} annotated in both`);
  out.push('');
  const head = ['Label', 'A', 'B', 'exact P', 'R', 'F1', 'partial P', 'R', 'F1'];
  const rows: string[][] = r.labels.map((l) => [l.label, String(l.a), String(l.b), ...prfCells(l.exact), ...prfCells(l.partial)]);
  rows.push(['overall', String(r.overall.a), String(r.overall.b), ...prfCells(r.overall.exact), ...prfCells(r.overall.partial)]);
  rows.push(['macro-F1', '', '', '', '', num(r.overall.exactMacroF1), '', '', num(r.overall.partialMacroF1)]);
  out.push(...table(head, rows));
  out.push('');
  out.push(`Token-level Cohen's κ: ${kappaText(r.kappa)}`);
  if (r.kappa.tokens) {
    out.push(`  over the tokens either side labelled: ${kappaText(r.kappaAnnotated)}`);
    out.push('  (κ over all tokens is inflated by the O majority; F1 above is the usual NER figure)');
  }
  out.push('');
  const dh = ['Document', 'A', 'B', 'exact F1', 'partial F1', 'κ', 'tokens'];
  const drows = r.perDocument.map((d) => [d.document, String(d.a), String(d.b), num(d.exact.f1), num(d.partial.f1), num(d.kappa?.kappa), d.kappa ? String(d.kappa.tokens) : '–']);
  out.push(...table(dh, drows));
  return out.join('\n') + '\n';
}

function prfCells(p: Prf): string[] {
  return [num(p.precision), num(p.recall), num(p.f1)];
}

function kappaText(k: Kappa): string {
  if (k.tokens === 0) return '– (no article text available)';
  return `${num(k.kappa)} over ${plural(k.tokens, 'token')} (pₒ ${num(k.observed)}, pₑ ${num(k.expected)})`;
}

/** Left-aligned first column, right-aligned numbers. */
export function table(head: string[], rows: string[][]): string[] {
  const width = head.map((h, i) => Math.max([...h].length, ...rows.map((r) => [...(r[i] ?? '')].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(width[i] as number) : c.padStart(width[i] as number))).join('  ').trimEnd();
  return [fmt(head), ...rows.map(fmt)];
}
