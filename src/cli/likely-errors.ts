// `corpus-annotator likely-errors`: the annotations a model confidently disagrees with, and its
// confident predictions where nothing is annotated (src/core/suggest/recommender/likely-errors.ts), for a
// reviewer to look at, most likely first. Reads only: fixing is the reviewer's call.
import { OffsetMap } from '../core/model/offsets';
import { countBelow } from '../core/text/sorted-search';
import { TrainingDoc } from '../core/suggest/recommender/data';
import { crossCheck, DEFAULT_MIN_SCORE, findLikelyErrors, LikelyError } from '../core/suggest/recommender/likely-errors';
import { DEFAULT_EPOCHS, DEFAULT_HASH_BITS, DEFAULT_SEED } from '../core/suggest/recommender/recommender';
import { parseCommandArgs, plural, TOOL, UsageError } from './args';
import { Io } from './io';
import { DEFAULT_MODEL, intOption, loadTrainingDocs, readModelFile, statusesOf } from './recommender';

export const LIKELY_ERRORS_HELP = `Usage: ${TOOL} likely-errors [options] [paths…]

Finds likely annotation errors in the documents under the given paths (status done or
reviewed by default: only they are fully annotated) by comparing their annotations
with a recommender's predictions, and lists, most likely first:
  label      an annotation whose exact span the model labels otherwise
  boundary   an annotation the model draws with other boundaries (an overlapping
             prediction; its label may differ too)
  missing    a prediction where nothing is annotated
each with the model's score of its proposal (a calibrated probability of being exactly
right; see \`${TOOL} train --folds\`). Nothing is written.

A model finds few errors in the documents it was trained on (it learnt them): with
--folds K the documents are cross-checked instead, each by a model trained on the
other folds (no model file is read; K trainings). With --model, check documents the
model did not learn from.

Options:
  -m, --model F       the model file (default ${DEFAULT_MODEL})
  -k, --folds K       cross-check with K folds by document instead of a model file
      --min-score S   report proposals scored S or more, 0 to 1 (default ${DEFAULT_MIN_SCORE})
      --status LIST   statuses of the documents to check (default done,reviewed)
      --seed N        --folds: seed of the training order and folds (default ${DEFAULT_SEED})
      --epochs N      --folds: passes over the training data (default ${DEFAULT_EPOCHS})
      --hash-bits N   --folds: 2^N feature hash buckets (default ${DEFAULT_HASH_BITS})
      --json          print the reports as JSON on stdout
  -h, --help          show this help

Output: one line per report, ARTICLE:LINE: kind score: the annotation (label, text,
id) → the proposal. Offsets are code points, end-exclusive, as in the sidecars.

Exit status: 0 checked (whatever was found), 1 no document to check, the model could
not be read or a sidecar was invalid (left out), 2 usage error.

Examples:
  ${TOOL} likely-errors --folds 5 corpus/
  ${TOOL} likely-errors --model .corpus-annotator/model.json --min-score 0.9 new/
`;

interface Report {
  document: string;
  line: number;
  finding: LikelyError;
  text: (s: { start: number; end: number }) => string;
}

export async function likelyErrorsCommand(argv: readonly string[], io: Io): Promise<number> {
  const command = 'likely-errors';
  const { flags, positionals } = parseCommandArgs(command, argv, {
    model: { type: 'string', short: 'm' },
    folds: { type: 'string', short: 'k' },
    'min-score': { type: 'string' },
    status: { type: 'string' },
    seed: { type: 'string' },
    epochs: { type: 'string' },
    'hash-bits': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(LIKELY_ERRORS_HELP);
    return 0;
  }
  const statuses = statusesOf(flags.status, command);
  const folds = intOption(flags.folds, '--folds', 2, command);
  if (folds !== undefined && flags.model !== undefined) throw new UsageError('--folds trains its own models: leave out --model', command);
  const minScore = flags['min-score'] === undefined ? DEFAULT_MIN_SCORE : Number(flags['min-score']);
  if (!(minScore >= 0 && minScore <= 1) || String(flags['min-score']).trim() === '') throw new UsageError(`--min-score must be a number from 0 to 1 ('${String(flags['min-score'])}')`, command);
  const seed = intOption(flags.seed, '--seed', 0, command) ?? DEFAULT_SEED;
  const epochs = intOption(flags.epochs, '--epochs', 1, command) ?? DEFAULT_EPOCHS;
  const hashBits = intOption(flags['hash-bits'], '--hash-bits', 8, command) ?? DEFAULT_HASH_BITS;
  if (hashBits > 24) throw new UsageError(`--hash-bits must be from 8 to 24 ('${hashBits}')`, command);
  const json = flags.json === true;
  const err = (t: string) => io.stderr(t);

  const modelPath = typeof flags.model === 'string' ? flags.model : DEFAULT_MODEL;
  const file = folds === undefined ? await readModelFile(io, modelPath, err) : undefined;
  if (folds === undefined && !file) return 1;
  const { docs, problems } = await loadTrainingDocs(io, positionals, statuses, err);
  if (docs.length === 0) {
    err(`${command}: no document with status ${statuses.join(' or ')} to check\n`);
    return 1;
  }
  let findings: LikelyError[][];
  if (file) findings = docs.map((d) => findLikelyErrors(file.model, d.text, d.entities, minScore));
  else {
    if (docs.length < 2) throw new UsageError(`--folds needs 2 documents or more (${plural(docs.length, 'document')} found)`, command);
    findings = crossCheck(docs, folds as number, minScore, { seed, epochs, hashBits }, (f, n) => err(`${command}: fold ${f}/${n} done\n`));
  }

  const reports: Report[] = [];
  docs.forEach((d, i) => {
    const cps = new OffsetMap(d.text);
    const lines = lineFinder(d, cps);
    const text = (s: { start: number; end: number }) => d.text.slice(cps.toUtf16(s.start), cps.toUtf16(s.end));
    for (const finding of findings[i] ?? []) reports.push({ document: d.name, line: lines(finding.current?.start ?? finding.proposed.start), finding, text });
  });
  // Most likely first; then in corpus order, so that the list is the same on every run.
  reports.sort((a, b) => b.finding.score - a.finding.score || (a.document < b.document ? -1 : a.document > b.document ? 1 : 0) || a.finding.proposed.start - b.finding.proposed.start);

  if (json) {
    const span = (s: { start: number; end: number; label: string; id?: string }, text: Report['text']) => ({ ...(s.id !== undefined ? { id: s.id } : {}), label: s.label, start: s.start, end: s.end, text: text(s) });
    io.stdout(JSON.stringify({
      ok: problems === 0,
      ...(file ? { model: modelPath } : { folds }),
      minScore,
      documents: docs.length,
      reports: reports.map((r) => ({
        document: r.document, line: r.line, kind: r.finding.kind, score: round(r.finding.score),
        current: r.finding.current ? span(r.finding.current, r.text) : null,
        proposed: span(r.finding.proposed, r.text),
      })),
    }, null, 2) + '\n');
  } else {
    for (const r of reports) io.stdout(formatReport(r) + '\n');
  }
  const kinds = (['label', 'boundary', 'missing'] as const).map((k) => `${k} ${reports.filter((r) => r.finding.kind === k).length}`).join(', ');
  const withFindings = findings.filter((f) => f.length).length;
  err(`${command}: ${plural(reports.length, 'likely error')} (${kinds}) in ${withFindings} of ${plural(docs.length, 'document')}, score ≥ ${minScore}, ${file ? `model ${file.name}` : `${folds}-fold cross-check`}${problems ? `; ${plural(problems, 'problem')} (see above)` : ''}\n`);
  return problems ? 1 : 0;
}

function formatReport(r: Report): string {
  const { kind, current, proposed, score } = r.finding;
  const quote = (s: { start: number; end: number }) => JSON.stringify(r.text(s));
  const where = (s: { start: number; end: number }) => `[${s.start}-${s.end}]`;
  const head = `${r.document}:${r.line}: ${kind} ${score.toFixed(2)}:`;
  const id = current?.id !== undefined ? ` (id ${current.id})` : '';
  if (kind === 'missing' || !current) return `${head} not annotated → ${proposed.label} ${quote(proposed)} ${where(proposed)}`;
  if (kind === 'label') return `${head} ${current.label} ${quote(current)} ${where(current)}${id} → ${proposed.label}`;
  return `${head} ${current.label} ${quote(current)} ${where(current)}${id} → ${proposed.label} ${quote(proposed)} ${where(proposed)}`;
}

/** The 1-based line of a code point offset of a document. */
function lineFinder(doc: TrainingDoc, cps: OffsetMap): (offset: number) => number {
  const breaks: number[] = [];
  for (let i = doc.text.indexOf('\n'); i >= 0; i = doc.text.indexOf('\n', i + 1)) breaks.push(i);
  return (offset) => countBelow(breaks, cps.toUtf16(offset)) + 1;
}

function round(x: number): number {
  return Math.round(x * 10000) / 10000;
}
