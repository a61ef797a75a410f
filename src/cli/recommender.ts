// `corpus-annotator train` and `corpus-annotator evaluate`: the recommender (src/core/suggest/recommender)
// trained on the corpus's finished documents, and measured against annotations.
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { isStatus, Sidecar, Status } from '../core/model/model';
import { TrainingDoc, trainingDocOf } from '../core/suggest/recommender/data';
import { crossValidate, Evaluation, foldsOf, LabelScore, Tally } from '../core/suggest/recommender/evaluate';
import { ModelFile, ModelFormatError, parseModel, serializeModel, TrainingStats } from '../core/suggest/recommender/model-file';
import { DEFAULT_EPOCHS, DEFAULT_HASH_BITS, DEFAULT_SEED, labelsOf, predict, trainModel, TrainOptions } from '../core/suggest/recommender/recommender';
import { parseCommandArgs, plural, TOOL, UsageError } from './args';
import { checkSidecar } from './check';
import { createFileAtomic, decodeUtf8, formatPathError, Workspace, writeFileAtomic } from './files';
import { describeFsError, Io } from './io';

/** Where `train` writes and `evaluate` reads the model unless told otherwise. */
export const DEFAULT_MODEL = path.join('.corpus-annotator', 'model.json');
const DEFAULT_STATUSES: Status[] = ['done', 'reviewed'];

export const TRAIN_HELP = `Usage: ${TOOL} train [options] [paths…]

Trains the recommender (an averaged structured perceptron over the French tokeniser's
tokens, BILOU tags, hashed word, shape, affix, character and context features, and a
lexicon of the training annotations) on the sidecars under the given paths whose
status is done or reviewed (only they are fully annotated), and writes the model.
Suggestions (suggested: true) are not annotations and are left out; nested entities
are learnt as their outermost one. Invalid or out-of-date sidecars are left out.

With --folds K, first cross-validates by document (each fold predicted by a model
trained on the others) and prints precision, recall and F1 per label; the held-out
predictions also calibrate the scores (see \`${TOOL} suggest --model\`), and the
figures are kept in the model file.

The model file is derived data (train it again at will): keep .corpus-annotator/ in
.gitignore unless the team wants to share a model.

Options:
  -o, --out F         the model file (default ${DEFAULT_MODEL}); replaced atomically
      --status LIST   statuses of the documents to learn from (default done,reviewed)
  -k, --folds K       cross-validate with K folds first (2 or more)
      --seed N        seed of the training order and folds (default ${DEFAULT_SEED})
      --epochs N      passes over the training data (default ${DEFAULT_EPOCHS})
      --hash-bits N   2^N feature hash buckets (default ${DEFAULT_HASH_BITS}; fewer: a smaller
                      model, more collisions)
      --name NAME     the model's name, in suggestions' src: model:NAME (default: the
                      file name without .json)
      --json          print the figures as JSON on stdout
  -h, --help          show this help

Exit status: 0 trained, 1 nothing to learn from, a sidecar was invalid or a file
could not be read or written, 2 usage error.

Examples:
  ${TOOL} train --folds 5 corpus/
  ${TOOL} train --status reviewed --out models/news.json corpus/
  ${TOOL} suggest --model .corpus-annotator/model.json --min-score 0.5 new/
`;

export const EVALUATE_HELP = `Usage: ${TOOL} evaluate [options] [paths…]

Compares a model's predictions with the annotations of the documents under the given
paths (status done or reviewed by default): precision, recall and F1 per label (exact
span and label), label confusions (right span, other label), boundary errors (the
right label on an overlapping span) and missed and spurious entities. Evaluate on
documents the model was not trained on: on its own training data it looks better than
it is.

With --learning-curve, no model is read: F1 is cross-validated (--folds, default 5)
with models trained on growing numbers of documents, to see whether annotating more
would help.

Options:
  -m, --model F       the model file (default ${DEFAULT_MODEL})
      --status LIST   statuses of the documents to compare with (default done,reviewed)
      --learning-curve
  -k, --folds K       folds of the learning curve (default 5)
      --seed N        seed of the learning curve's training order and folds
      --hash-bits N   the learning curve models' hash buckets (default ${DEFAULT_HASH_BITS})
      --json          print the figures as JSON on stdout
  -h, --help          show this help

Exit status: 0 evaluated, 1 no document to compare with, the model could not be
read, or a sidecar was invalid, 2 usage error.
`;

/** The documents of the given statuses under `positionals`, read for training or evaluation. */
export async function loadTrainingDocs(io: Io, positionals: readonly string[], statuses: readonly Status[], err: (text: string) => void): Promise<{ docs: TrainingDoc[]; problems: number; skipped: number }> {
  const ws = new Workspace(io);
  const found = await ws.discover(positionals);
  let problems = found.errors.length;
  for (const e of found.errors) err(formatPathError(e) + '\n');
  const docs: TrainingDoc[] = [];
  let skipped = 0;
  for (const target of found.sidecars) {
    const check = await checkSidecar(ws, target);
    const sidecar: Sidecar | undefined = check.parsed?.sidecar;
    const errors = check.problems.filter((p) => p.severity === 'error');
    if (!sidecar || !check.article || errors.length) {
      problems++;
      const first = errors[0];
      err(`${target.display}: error: left out, the sidecar is invalid${first ? ` (line ${first.line}: ${first.message})` : ''}\n`);
      continue;
    }
    if (sidecar.sha256 !== undefined && sidecar.sha256 !== check.article.sha256) {
      problems++;
      err(`${target.display}: error: left out, its article changed since the offsets were written; run \`${TOOL} reanchor ${target.display}\` first\n`);
      continue;
    }
    const doc = trainingDocOf(check.articleDisplay, check.article.text, sidecar, statuses);
    if (doc) docs.push(doc);
    else skipped++;
  }
  return { docs, problems, skipped };
}

export function statusesOf(value: unknown, command: string): Status[] {
  if (value === undefined) return DEFAULT_STATUSES;
  const list = String(value).split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((s) => !isStatus(s));
  if (list.length === 0 || bad.length) throw new UsageError(`--status takes statuses separated by commas (todo, in-progress, done, reviewed), not '${bad[0] ?? String(value)}'`, command);
  return list as Status[];
}

export function intOption(value: unknown, name: string, min: number, command: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${name} must be a whole number from ${min} ('${String(value)}')`, command);
  return n;
}

export async function trainCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('train', argv, {
    out: { type: 'string', short: 'o' },
    status: { type: 'string' },
    folds: { type: 'string', short: 'k' },
    seed: { type: 'string' },
    epochs: { type: 'string' },
    'hash-bits': { type: 'string' },
    name: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(TRAIN_HELP);
    return 0;
  }
  const out = typeof flags.out === 'string' ? flags.out : DEFAULT_MODEL;
  if (out === '') throw new UsageError('--out needs a file name', 'train');
  const statuses = statusesOf(flags.status, 'train');
  const folds = intOption(flags.folds, '--folds', 2, 'train');
  const seed = intOption(flags.seed, '--seed', 0, 'train') ?? DEFAULT_SEED;
  const epochs = intOption(flags.epochs, '--epochs', 1, 'train') ?? DEFAULT_EPOCHS;
  const hashBits = intOption(flags['hash-bits'], '--hash-bits', 8, 'train') ?? DEFAULT_HASH_BITS;
  if (hashBits > 24) throw new UsageError(`--hash-bits must be from 8 to 24 ('${hashBits}')`, 'train');
  const name = typeof flags.name === 'string' && flags.name !== '' ? flags.name : path.basename(out).replace(/\.json$/i, '') || 'model';
  if (!/^[\w.-]+$/u.test(name)) throw new UsageError(`--name may hold letters, digits, '.', '-' and '_' only ('${name}')`, 'train');
  const json = flags.json === true;
  const err = (t: string) => io.stderr(t);

  const { docs, problems, skipped } = await loadTrainingDocs(io, positionals, statuses, err);
  const labels = labelsOf(docs);
  if (docs.length === 0 || labels.length === 0) {
    err(`train: nothing to learn from: no ${docs.length ? 'entity in the ' : ''}document with status ${statuses.join(' or ')}${skipped ? ` (${plural(skipped, 'document')} of other statuses; see --status)` : ''}\n`);
    return 1;
  }
  const opts: TrainOptions = { seed, epochs, labels, hashBits };
  const stats: TrainingStats = {
    documents: docs.length,
    entities: docs.reduce((n, d) => n + d.entities.length, 0),
    tokens: 0,
    epochs,
    seed,
    trainedAt: new Date().toISOString(),
    statuses: [...statuses],
  };
  let cvEvaluation: Evaluation | undefined;
  if (folds !== undefined) {
    if (docs.length < 2) throw new UsageError(`--folds needs 2 documents or more (${plural(docs.length, 'document')} found)`, 'train');
    const t0 = Date.now();
    const cv = crossValidate(docs, folds, opts, (f) => err(`train: fold ${f}/${Math.min(folds, docs.length)} done\n`));
    cvEvaluation = cv.evaluation;
    opts.temperature = cv.temperature;
    stats.crossValidation = { folds: cv.folds, micro: figures(cv.evaluation.micro), byLabel: Object.fromEntries(Object.entries(cv.evaluation.byLabel).map(([l, s]) => [l, figures(s)])) };
    if (!json) {
      io.stdout(`Cross-validation, ${cv.folds} folds by document (${plural(docs.length, 'document')}), ${seconds(Date.now() - t0)}:\n`);
      io.stdout(formatEvaluation(cv.evaluation));
    }
  }
  const t0 = Date.now();
  let tokens = 0;
  const model = trainModel(docs, { ...opts, onTokens: (n) => { tokens = n; } });
  const trainMs = Date.now() - t0;
  stats.tokens = tokens;
  const file: ModelFile = { name, model, stats };
  const text = serializeModel(file);
  const abs = path.resolve(io.cwd, out);
  try {
    const mkdir = (io.fs as Partial<typeof fsp>).mkdir ?? fsp.mkdir;
    await mkdir(path.dirname(abs), { recursive: true });
    const exists = await io.fs.stat(abs).then(() => true, () => false);
    const outcome = exists ? await writeFileAtomic(io, abs, text, () => true) : await createFileAtomic(io, abs, text);
    if (outcome !== 'written') throw new Error('the file appeared while it was being written');
  } catch (e) {
    err(`${out}: error: cannot write the model: ${describeFsError(e)}\n`);
    return 1;
  }
  if (json) {
    io.stdout(JSON.stringify({ ok: problems === 0, model: out, name, labels, training: stats, trainSeconds: trainMs / 1000, crossValidation: cvEvaluation ?? null }, null, 2) + '\n');
  }
  err(`train: ${plural(docs.length, 'document')}, ${plural(stats.entities, 'entity', 'entities')}, ${plural(tokens, 'token')}, labels ${labels.join(', ')}: trained in ${seconds(trainMs)}; model ${name} written to ${out} (${(text.length / 1e6).toFixed(1)} MB)`
    + `${skipped ? `; ${plural(skipped, 'document')} of other statuses left out` : ''}${problems ? `; ${plural(problems, 'problem')} (see above)` : ''}\n`);
  return problems ? 1 : 0;
}

export async function evaluateCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('evaluate', argv, {
    model: { type: 'string', short: 'm' },
    status: { type: 'string' },
    'learning-curve': { type: 'boolean' },
    folds: { type: 'string', short: 'k' },
    seed: { type: 'string' },
    'hash-bits': { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(EVALUATE_HELP);
    return 0;
  }
  const statuses = statusesOf(flags.status, 'evaluate');
  const json = flags.json === true;
  const err = (t: string) => io.stderr(t);
  const curve = flags['learning-curve'] === true;
  const folds = intOption(flags.folds, '--folds', 2, 'evaluate') ?? 5;
  const seed = intOption(flags.seed, '--seed', 0, 'evaluate') ?? DEFAULT_SEED;
  const hashBits = Math.min(24, intOption(flags['hash-bits'], '--hash-bits', 8, 'evaluate') ?? DEFAULT_HASH_BITS);
  if (curve && flags.model !== undefined) throw new UsageError('--learning-curve trains its own models: leave out --model', 'evaluate');
  let file: ModelFile | undefined;
  const modelPath = typeof flags.model === 'string' ? flags.model : DEFAULT_MODEL;
  if (!curve) {
    file = await readModelFile(io, modelPath, err);
    if (!file) return 1;
  }
  const { docs, problems } = await loadTrainingDocs(io, positionals, statuses, err);
  if (docs.length === 0) {
    err(`evaluate: no document with status ${statuses.join(' or ')} to compare with\n`);
    return 1;
  }
  if (curve) {
    const points = learningCurve(docs, folds, { seed, hashBits }, (size) => err(`evaluate: learning curve: ${plural(size, 'training document')} done\n`));
    if (json) io.stdout(JSON.stringify({ ok: problems === 0, folds, points }, null, 2) + '\n');
    else {
      io.stdout(`Learning curve, ${folds}-fold cross-validation by document (${plural(docs.length, 'document')}):\n`);
      io.stdout('train docs  precision  recall  F1\n');
      for (const p of points) io.stdout(`${String(p.documents).padStart(10)}  ${p.micro.precision.toFixed(3).padStart(9)}  ${p.micro.recall.toFixed(3).padStart(6)}  ${p.micro.f1.toFixed(3)}\n`);
    }
    return problems ? 1 : 0;
  }
  const model = (file as ModelFile).model;
  const tally = new Tally();
  for (const d of docs) tally.add(d.entities.filter((e) => model.labels.includes(e.label)), predict(model, d.text));
  const evaluation = tally.result();
  const ignored = new Set(docs.flatMap((d) => d.entities.map((e) => e.label)).filter((l) => !model.labels.includes(l)));
  if (json) io.stdout(JSON.stringify({ ok: problems === 0, model: modelPath, documents: docs.length, evaluation, labelsNotInModel: [...ignored].sort() }, null, 2) + '\n');
  else {
    io.stdout(`Model ${(file as ModelFile).name} against ${plural(docs.length, 'document')}:\n`);
    io.stdout(formatEvaluation(evaluation));
    if (ignored.size) io.stdout(`Labels the model does not know (not counted): ${[...ignored].sort().join(', ')}\n`);
  }
  return problems ? 1 : 0;
}

/** Reads and parses a model file; says why on stderr when it cannot. */
export async function readModelFile(io: Io, display: string, err: (t: string) => void): Promise<ModelFile | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await io.fs.readFile(path.resolve(io.cwd, display));
  } catch (e) {
    err(`${display}: error: cannot read the model: ${describeFsError(e)}${(e as NodeJS.ErrnoException).code === 'ENOENT' ? ` (train one with \`${TOOL} train\`)` : ''}\n`);
    return undefined;
  }
  const text = decodeUtf8(bytes);
  try {
    if (text === undefined) throw new ModelFormatError('not a model file: not UTF-8 text');
    return parseModel(text);
  } catch (e) {
    if (!(e instanceof ModelFormatError)) throw e;
    err(`${display}: error: ${e.message}\n`);
    return undefined;
  }
}

export interface CurvePoint {
  documents: number;
  micro: LabelScore;
}

/** Cross-validated F1 of models trained on growing parts (1/8 … all) of each fold's training documents. */
export function learningCurve(docs: readonly TrainingDoc[], k: number, opts: TrainOptions, onPoint?: (size: number) => void): CurvePoint[] {
  const folds = foldsOf(docs.length, k, opts.seed ?? DEFAULT_SEED);
  const labels = labelsOf(docs);
  const sizes = [...new Set([0.125, 0.25, 0.5, 0.75, 1].map((f) => Math.max(1, Math.round(f * (docs.length - Math.ceil(docs.length / folds.length))))))];
  return sizes.map((size) => {
    const tally = new Tally();
    for (const test of folds) {
      const inTest = new Set(test);
      const train = docs.filter((_, i) => !inTest.has(i)).slice(0, size);
      const model = trainModel(train, { ...opts, labels });
      for (const i of test) {
        const d = docs[i] as TrainingDoc;
        tally.add(d.entities.filter((e) => labels.includes(e.label)), predict(model, d.text));
      }
    }
    onPoint?.(size);
    return { documents: size, micro: tally.result().micro };
  });
}

function figures(s: LabelScore): { precision: number; recall: number; f1: number } {
  const r = (x: number) => Math.round(x * 10000) / 10000;
  return { precision: r(s.precision), recall: r(s.recall), f1: r(s.f1) };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** A table of P/R/F1 per label, then the errors. */
export function formatEvaluation(e: Evaluation): string {
  const rows = [...Object.entries(e.byLabel), ['micro', e.micro] as const];
  let out = 'label      precision  recall  F1     gold  predicted\n';
  for (const [label, s] of rows) {
    out += `${label.padEnd(9)}  ${s.precision.toFixed(3).padStart(9)}  ${s.recall.toFixed(3).padStart(6)}  ${s.f1.toFixed(3)}  ${String(s.tp + s.fn).padStart(5)}  ${String(s.tp + s.fp).padStart(9)}\n`;
  }
  const confusions = Object.entries(e.confusion).flatMap(([g, row]) => Object.entries(row).map(([p, n]) => `${g}→${p} ${n}`));
  out += `Errors: ${e.boundaryErrors} boundary (right label, other extent), ${e.missed} missed, ${e.spurious} spurious`;
  out += confusions.length ? `; label confusions (annotated→predicted): ${confusions.join(', ')}\n` : '; no label confusion\n';
  return out;
}
