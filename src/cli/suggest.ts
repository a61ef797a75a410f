// `corpus-annotator suggest [paths…]`: pre-annotates articles with suggestions (entities marked
// `suggested: true`) from gazetteers and pattern files, for an annotator to accept or reject.
import * as path from 'node:path';
import { Article, ArticleDecodeError, decodeArticle } from '../core/model/article';
import { labelNames, suggestionsConfig } from '../core/config/config';
import { emptySidecar } from '../core/model/edits';
import { clip } from '../core/exchange/export';
import { Gazetteer, parseGazetteer } from '../core/suggest/gazetteer';
import { articlePathOf, baseName, cmp, Entity, Sidecar, sidecarPathOf } from '../core/model/model';
import { parsePatterns, PatternSet } from '../core/suggest/patterns';
import { formatProblem, hasErrors, Problem } from '../core/model/problems';
import { ModelSource, suggestForArticle, SuggestionSources } from '../core/suggest/suggest';
import { ModelFormatError, parseModel } from '../core/suggest/recommender/model-file';
import { predict } from '../core/suggest/recommender/recommender';
import { cliPatternRunner, PATTERN_BUDGET_MS } from './pattern-runner';
import type { PatternRunner } from '../core/suggest/pattern-runner';
import { parseCommandArgs, plural, stringList, TOOL, UsageError } from './args';
import { checkBeforeWrite, checkSidecar } from './check';
import { canonicalText } from './fmt';
import { ConfigEntry, createFileAtomic, decodeUtf8, formatPathError, rewriteSidecar, Target, Workspace } from './files';
import { describeFsError, Io } from './io';
import { sweepBeforeWriting } from './stale-scratch';
import { problemJson } from './validate';

export const SUGGEST_HELP = `Usage: ${TOOL} suggest [options] [paths…]

Pre-annotates articles: every match of a gazetteer entry or a pattern, and every
prediction of a trained model (--model), that overlaps no entity (and no suggestion)
of the article's sidecar is added to it as a suggestion, an entity line ending in
"suggested: true" with src: gazetteer:<file>, src: pattern:<name> or src: model:<name>
(and attrs.kb from the gazetteer's kb column, attrs.score from the model). An annotator then
accepts (the flag is removed) or rejects (the line is removed) each one in VS Code.
Suggestions are left out of exports, agreement and entity counts until accepted.
Where matches overlap, the longest wins. Running suggest again adds nothing new.

Sources: by default the files listed under \`suggestions:\` in the label configuration
(.corpus-annotator.yaml; paths relative to it):
  suggestions:
    gazetteers: [gazetteer.tsv]      # surface<TAB>label[<TAB>kb id], one a line
    patterns: [patterns.yaml]        # named regex or token patterns, each with a label
    match: {caseSensitive: false, diacriticSensitive: false, wholeWord: true}
--gazetteer and --patterns replace them (the configuration's \`match\` still applies).
A source file with an error (an unknown label, an invalid regex…) stops everything:
nothing is written until it is fixed. A pattern that takes more than 1 s on a document
(a regex that backtracks without end) is stopped, reported and skipped for it.

Paths are directories (searched recursively for the configuration's \`articles\`),
articles or sidecars; default: the current directory. An article without a sidecar
gets one (status todo) when something is suggested for it. A sidecar that is invalid,
or whose article changed since its offsets were written (its sha256 differs: run
\`${TOOL} reanchor\` first), is never rewritten. Sidecars are replaced atomically.

Prints, per sidecar changed, what was added, and a total on stderr.

Options:
  -g, --gazetteer F   a gazetteer file (repeatable); replaces the configuration's sources
  -p, --patterns F    a pattern file (repeatable); replaces the configuration's sources
  -m, --model F       a model trained by \`${TOOL} train\`: its predictions become
                      suggestions with src: model:<name> and attrs.score, the model's
                      estimate (0 to 1) that the span and label are exactly right;
                      replaces the configuration's sources (combine with -g, -p)
      --min-score S   with --model: leave out predictions scoring less than S (0 to 1)
  -n, --dry-run       write nothing: print what would be added
  -q, --quiet         only the per-file lines and problems, not each suggestion
      --json          print the results as JSON on stdout
  -h, --help          show this help

Exit status: 0 done (or nothing to suggest), 1 a source file has errors, a sidecar was
invalid, out of date or not writable, or a path could not be read; 2 usage error (no
source at all).

Examples:
  ${TOOL} suggest --dry-run corpus/
  ${TOOL} suggest corpus/
  ${TOOL} suggest --gazetteer names.tsv --patterns dates.yaml corpus/new/
  ${TOOL} gazetteer corpus/ --out gazetteer.tsv && ${TOOL} suggest -g gazetteer.tsv corpus/new/
`;

type Status = 'added' | 'would-add' | 'unchanged' | 'no-sources' | 'blocked' | 'invalid' | 'out-of-date' | 'unwritable';

interface FileReport {
  article: string;
  sidecar: string;
  status: Status;
  written: boolean;
  isNew: boolean;
  added: Entity[];
  /** The added entities' lines in the sidecar as written. */
  lines: ReadonlyMap<string, number>;
  problems: Problem[];
  warnings: string[];
}

/** The sources that apply to the articles under one configuration. */
interface SourceSet {
  sources: SuggestionSources;
  /** The source files, as displayed. */
  files: string[];
  /** A source had an error: the configuration's articles are left alone. */
  failed: boolean;
}

export async function suggestCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('suggest', argv, {
    gazetteer: { type: 'string', short: 'g', multiple: true },
    patterns: { type: 'string', short: 'p', multiple: true },
    model: { type: 'string', short: 'm' },
    'min-score': { type: 'string' },
    'dry-run': { type: 'boolean', short: 'n' },
    quiet: { type: 'boolean', short: 'q' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(SUGGEST_HELP);
    return 0;
  }
  const dryRun = flags['dry-run'] === true;
  const json = flags.json === true;
  const quiet = flags.quiet === true;
  const cliGazetteers = stringList(flags.gazetteer);
  const cliPatterns = stringList(flags.patterns);
  if ([...cliGazetteers, ...cliPatterns].some((f) => f === '')) throw new UsageError('--gazetteer and --patterns need a file name', 'suggest');
  const cliModel = typeof flags.model === 'string' ? flags.model : undefined;
  if (cliModel === '') throw new UsageError('--model needs a file name', 'suggest');
  const minScore = flags['min-score'] === undefined ? 0 : Number(flags['min-score']);
  if (!(minScore >= 0 && minScore <= 1)) throw new UsageError(`--min-score must be a number from 0 to 1 ('${String(flags['min-score'])}')`, 'suggest');
  if (flags['min-score'] !== undefined && cliModel === undefined) throw new UsageError('--min-score applies to --model predictions: give --model too', 'suggest');
  const fromCli = cliGazetteers.length + cliPatterns.length > 0 || cliModel !== undefined;

  const ws = new Workspace(io);
  const found = await ws.discover(positionals, { articles: true });
  const err = (t: string) => { if (!json) io.stderr(t); };
  for (const e of found.errors) err(formatPathError(e) + '\n');
  if (!dryRun) await sweepBeforeWriting(io, found.scratch, quiet || json);

  // The articles: those matching the configuration's globs, and those of the sidecars found.
  const byAbs = new Map<string, Target>();
  for (const a of found.articles) byAbs.set(a.abs, a);
  for (const s of found.sidecars) {
    const abs = articlePathOf(s.abs);
    if (!byAbs.has(abs)) byAbs.set(abs, { ...s, abs, display: articlePathOf(s.display) });
  }
  const articles = [...byAbs.values()].sort((a, b) => cmp(a.abs, b.abs));

  // The sources of each configuration, loaded once (their labels are checked against it).
  const texts = new Map<string, Promise<string | Problem>>();
  const sourceSets = new Map<string, SourceSet>();
  const printed = new Set<string>();
  const sourceProblems: Array<{ path: string; problems: Problem[] }> = [];
  const report = (display: string, problems: Problem[]) => {
    if (problems.length === 0) return;
    sourceProblems.push({ path: display, problems });
    for (const p of problems) {
      const line = formatProblem(display, p);
      if (printed.has(line) || (quiet && p.severity === 'warning')) continue;
      printed.add(line);
      err(line + '\n');
    }
  };
  const readText = (abs: string): Promise<string | Problem> => {
    let t = texts.get(abs);
    if (!t) {
      t = io.fs.readFile(abs).then(
        (bytes) => decodeUtf8(bytes) ?? ioProblem('this file is not valid UTF-8; re-save it as UTF-8'),
        (e) => ioProblem(`cannot read it: ${describeFsError(e)}`),
      );
      texts.set(abs, t);
    }
    return t;
  };
  const sourcesFor = async (config: ConfigEntry): Promise<SourceSet> => {
    const key = config.abs ?? '';
    const known = sourceSets.get(key);
    if (known) return known;
    const settings = suggestionsConfig(config.config);
    const base = config.abs ? path.dirname(config.abs) : io.cwd;
    const files = (list: string[], configured: string[]) => fromCli
      ? list.map((f) => ({ abs: ws.resolve(f), display: f }))
      : config.abs ? configured.map((f) => { const abs = path.resolve(base, f); return { abs, display: path.relative(io.cwd, abs) || abs }; }) : [];
    const labels = labelNames(config.config);
    const gazetteers: Gazetteer[] = [];
    const patterns: PatternSet[] = [];
    const models: ModelSource[] = [];
    const set: SourceSet = { sources: { gazetteers, patterns, models, match: settings.match }, files: [], failed: false };
    // Gazetteers and pattern files are read and checked alike; only their parser differs.
    const load = async <T>(list: Array<{ abs: string; display: string }>, parse: (text: string, name: string) => { problems: Problem[]; value: T }, into: T[]) => {
      for (const f of list) {
        set.files.push(f.display);
        const text = await readText(f.abs);
        if (typeof text !== 'string') { report(f.display, [text]); set.failed = true; continue; }
        const parsed = parse(text, path.basename(f.abs));
        report(f.display, parsed.problems);
        if (hasErrors(parsed.problems)) set.failed = true;
        into.push(parsed.value);
      }
    };
    await load(files(cliGazetteers, settings.gazetteers), (text, name) => {
      const { gazetteer, problems } = parseGazetteer(text, name, { labels });
      return { problems, value: gazetteer };
    }, gazetteers);
    await load(files(cliPatterns, settings.patterns), (text, name) => {
      const { set: patternSet, problems } = parsePatterns(text, name, { labels });
      return { problems, value: patternSet };
    }, patterns);
    if (cliModel !== undefined) {
      await load([{ abs: ws.resolve(cliModel), display: cliModel }], (text) => {
        try {
          const { name, model } = parseModel(text);
          const unknown = model.labels.filter((l) => !labels.has(l));
          const problems: Problem[] = unknown.length
            ? [{ ...ioProblem(`the model predicts ${unknown.join(', ')}, not in the label configuration: add ${unknown.length > 1 ? 'them' : 'it'} there or train the model on this corpus`), code: 'model' }]
            : [];
          return { problems, value: { name, minScore, predict: (t: string) => predict(model, t) } };
        } catch (e) {
          if (!(e instanceof ModelFormatError)) throw e;
          return { problems: [{ ...ioProblem(e.message), code: 'model' }], value: { name: '', predict: () => [] } };
        }
      }, models);
    }
    sourceSets.set(key, set);
    return set;
  };

  // Every source is read and checked before anything is written.
  const plans: Array<{ target: Target; config: ConfigEntry; set: SourceSet }> = [];
  for (const target of articles) {
    const config = await ws.configFor(target.abs, target.anchor);
    plans.push({ target, config, set: await sourcesFor(config) });
  }
  const anySources = [...sourceSets.values()].some((s) => s.files.length > 0);
  if (!anySources && articles.length > 0) {
    throw new UsageError('nothing to suggest from: give --gazetteer or --patterns (or --model), or list files under `suggestions:` in .corpus-annotator.yaml (see --help)', 'suggest');
  }
  const sourcesFailed = [...sourceSets.values()].some((s) => s.failed);

  const reports: FileReport[] = [];
  const configErrorsShown = new Set<string>();
  // User regexes run on a worker that is stopped when one overruns its budget on a document.
  const runner = cliPatternRunner();
  try {
    for (const { target, config, set } of plans) {
      const sidecarAbs = sidecarPathOf(target.abs);
      const r: FileReport = {
        article: target.display, sidecar: sidecarPathOf(target.display), status: 'unchanged', written: false, isNew: false,
        added: [], lines: new Map(), problems: [], warnings: [],
      };
      reports.push(r);
      const configErrors = config.problems.filter((p) => p.severity === 'error');
      if (configErrors.length && config.abs) {
        if (!configErrorsShown.has(config.abs)) {
          configErrorsShown.add(config.abs);
          for (const p of configErrors) err(formatProblem(config.display ?? config.abs, p) + '\n');
        }
        r.status = 'blocked';
        r.problems.push(fileProblem(`not changed: its label configuration ${config.display ?? config.abs} has errors; fix them first`));
      } else if (set.failed || sourcesFailed) {
        r.status = 'blocked';
      } else if (set.files.length === 0) {
        r.status = 'no-sources';
      } else {
        await suggestOne(io, ws, r, target, sidecarAbs, config, set, dryRun, runner);
      }
      if (!json) printReport(io, r, quiet);
    }
  } finally {
    runner.close();
  }

  const count = (s: Status) => reports.filter((r) => r.status === s).length;
  const bySource = new Map<string, number>();
  for (const r of reports) for (const e of r.added) bySource.set(e.src ?? '', (bySource.get(e.src ?? '') ?? 0) + 1);
  const changed = reports.filter((r) => r.added.length > 0 && (r.written || r.status === 'would-add'));
  const summary = {
    articles: reports.length,
    suggestions: changed.reduce((n, r) => n + r.added.length, 0),
    sidecarsChanged: changed.length,
    newSidecars: changed.filter((r) => r.isNew).length,
    unchanged: count('unchanged'),
    noSources: count('no-sources'),
    blocked: count('blocked'),
    invalid: count('invalid'),
    outOfDate: count('out-of-date'),
    unwritable: count('unwritable'),
  };
  const failed = found.errors.length > 0 || sourcesFailed || summary.blocked + summary.invalid + summary.outOfDate + summary.unwritable > 0;
  if (json) {
    io.stdout(JSON.stringify({
      ok: !failed,
      dryRun,
      summary,
      bySource: Object.fromEntries([...bySource].sort(([a], [b]) => cmp(a, b))),
      errors: found.errors,
      sources: sourceProblems.map((s) => ({ path: s.path, problems: s.problems.map(problemJson) })),
      files: reports.filter((r) => r.status !== 'unchanged' || r.added.length > 0).map(reportJson),
    }, null, 2) + '\n');
  } else {
    const verb = dryRun ? 'would be added' : 'added';
    const parts = [`${plural(summary.suggestions, 'suggestion')} ${verb} to ${plural(summary.sidecarsChanged, 'sidecar')}${summary.newSidecars ? ` (${summary.newSidecars} new)` : ''}`];
    if (bySource.size) parts[0] += ` (${[...bySource].sort(([a], [b]) => cmp(a, b)).map(([s, n]) => `${s} ${n}`).join(', ')})`;
    parts.push(`${summary.unchanged} with nothing new`);
    if (summary.noSources) parts.push(`${summary.noSources} without sources (no \`suggestions:\` in their configuration)`);
    if (summary.blocked) parts.push(`${summary.blocked} not changed (fix the errors above first)`);
    if (summary.invalid) parts.push(`${summary.invalid} invalid (not changed; see \`${TOOL} validate\`)`);
    if (summary.outOfDate) parts.push(`${summary.outOfDate} out of date (not changed; run \`${TOOL} reanchor\`)`);
    if (summary.unwritable) parts.push(`${summary.unwritable} could not be written`);
    io.stderr(`suggest${dryRun ? ', dry run, nothing written' : ''}: ${plural(reports.length, 'article')}: ${parts.join('; ')}\n`);
  }
  return failed ? 1 : 0;
}

async function suggestOne(io: Io, ws: Workspace, r: FileReport, target: Target, sidecarAbs: string, config: ConfigEntry, set: SourceSet, dryRun: boolean, runner: PatternRunner): Promise<void> {
  let sidecar: Sidecar;
  let article: Article;
  let original: Uint8Array | undefined;
  if (await ws.isFile(sidecarAbs)) {
    const sidecarTarget: Target = { abs: sidecarAbs, display: r.sidecar, anchor: target.anchor, explicit: target.explicit };
    const check = await checkSidecar(ws, sidecarTarget);
    const parsed = check.parsed?.sidecar;
    if (!parsed || !check.article || !check.bytes) {
      r.status = 'invalid';
      r.problems = check.problems.filter((p) => p.severity === 'error');
      return;
    }
    if (parsed.sha256 !== undefined && parsed.sha256 !== check.article.sha256) {
      r.status = 'out-of-date';
      r.problems = [fileProblem(`not changed: its article changed since the offsets were written (the sha256 differs); run \`${TOOL} reanchor ${r.sidecar}\` first`, check.parsed?.keyLines.get('sha256') ?? 1)];
      return;
    }
    const errors = check.problems.filter((p) => p.severity === 'error');
    if (errors.length) {
      r.status = 'invalid';
      r.problems = errors;
      return;
    }
    sidecar = parsed;
    article = check.article;
    original = check.bytes;
  } else {
    r.isNew = true;
    try {
      article = decodeArticle(await io.fs.readFile(target.abs));
    } catch (e) {
      r.status = 'invalid';
      const why = e instanceof ArticleDecodeError ? e.message : describeFsError(e);
      r.problems = [fileProblem(`cannot suggest for ${target.display}: ${why}`)];
      return;
    }
    sidecar = emptySidecar(baseName(target.abs), article.sha256);
  }
  const patterns = (set.sources.patterns ?? []).flatMap((p) => p.patterns);
  const { matches, timedOut } = await runner.run(patterns, article.text);
  for (const p of timedOut) r.warnings.push(`pattern ${p.name} timed out on document ${target.display} (over ${PATTERN_BUDGET_MS / 1000} s), skipped: simplify its regex (nested quantifiers like (a+)+ backtrack without end)`);
  const result = suggestForArticle(sidecar, article, set.sources, { patternMatches: matches });
  for (const src of result.truncated) r.warnings.push(`${src} stopped at a matching limit in ${target.display}: there may be more matches (make the pattern more specific)`);
  if (result.added.length === 0) return;
  const text = canonicalText(result.sidecar, article, baseName(target.abs));
  // Never write what would not validate (a bug guard: suggestions are built to fit).
  const { errors: bad, parsed: reread } = checkBeforeWrite(text, article, config.config);
  if (bad.length) {
    r.status = 'invalid';
    r.problems = bad.map((p) => ({ ...p, line: 1, message: `after adding suggestions: ${p.message}; nothing written` }));
    return;
  }
  r.added = result.added;
  r.lines = reread.entityLines;
  if (dryRun) {
    r.status = 'would-add';
    return;
  }
  try {
    if (original) {
      const outcome = await rewriteSidecar(io, sidecarAbs, text, original);
      if (outcome !== 'written') {
        r.status = 'unwritable';
        r.problems = [fileProblem(outcome === 'read-only'
          ? 'this sidecar is read-only, so nothing was added; make it writable (e.g. `chmod u+w`) and run suggest again'
          : 'this sidecar changed on disk meanwhile, so nothing was added; run suggest again')];
        return;
      }
    } else if ((await createFileAtomic(io, sidecarAbs, text)) === 'exists') {
      r.status = 'unwritable';
      r.problems = [fileProblem('this sidecar was created by someone else meanwhile, so nothing was added; run suggest again')];
      return;
    }
  } catch (e) {
    r.status = 'unwritable';
    r.problems = [fileProblem(`cannot write this sidecar: ${describeFsError(e)}; it was left as it was`)];
    return;
  }
  r.status = 'added';
  r.written = true;
}

function fileProblem(message: string, line = 1): Problem {
  return { severity: 'error', code: 'suggest', message, line, column: 1 };
}

function ioProblem(message: string): Problem {
  return { severity: 'error', code: 'io-error', message, line: 1, column: 1 };
}

// ---- Output ------------------------------------------------------------------------------

function printReport(io: Io, r: FileReport, quiet: boolean): void {
  for (const p of r.problems) io.stderr(formatProblem(r.sidecar, p) + '\n');
  for (const w of r.warnings) io.stderr(`${r.sidecar}: warning: ${w}\n`);
  if (r.added.length === 0 || (r.status !== 'added' && r.status !== 'would-add')) return;
  const bySource = new Map<string, number>();
  for (const e of r.added) bySource.set(e.src ?? '', (bySource.get(e.src ?? '') ?? 0) + 1);
  const sources = [...bySource].sort(([a], [b]) => cmp(a, b)).map(([s, n]) => `${s} ${n}`).join(', ');
  const created = r.isNew ? ` (${r.status === 'added' ? 'created' : 'new'} ${path.basename(r.sidecar)})` : '';
  io.stdout(`${r.sidecar}: ${r.status === 'added' ? 'added' : 'would add'} ${plural(r.added.length, 'suggestion')}${created}: ${sources}\n`);
  if (quiet) return;
  for (const e of r.added) io.stdout(`  + ${entityText(e)}\n`);
}

function entityText(e: Entity): string {
  let s = `${e.label} ${e.start}-${e.end} "${clip(e.text, 60)}" ${e.src ?? ''}`;
  if (e.attrs?.kb !== undefined) s += ` kb=${e.attrs.kb}`;
  if (e.attrs?.score !== undefined) s += ` score=${e.attrs.score}`;
  return s;
}

function reportJson(r: FileReport): Record<string, unknown> {
  return {
    article: r.article,
    sidecar: r.sidecar,
    status: r.status,
    written: r.written,
    new: r.isNew,
    added: r.added.map((e) => {
      const o: Record<string, unknown> = { line: r.lines.get(e.id) ?? null, id: e.id, label: e.label, start: e.start, end: e.end, text: e.text, src: e.src };
      if (e.attrs?.kb !== undefined) o.kb = e.attrs.kb;
      if (e.attrs?.score !== undefined) o.score = Number(e.attrs.score);
      return o;
    }),
    problems: r.problems.map(problemJson),
    warnings: r.warnings,
  };
}
