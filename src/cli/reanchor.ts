// `corpus-annotator reanchor [--dry-run] [--drop-orphans] [--json] [paths…]`: finds the entities
// of sidecars whose article changed in its new text, and rewrites the sidecar only when every
// entity was found again (or, with --drop-orphans, explicitly dropped).
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { Article } from '../core/model/article';
import { baseName, Entity } from '../core/model/model';
import { formatProblem, Problem } from '../core/model/problems';
import { needsReanchor, reanchor, reanchoredSidecar, ReanchorResult, Span } from '../core/review/reanchor';
import { sha256Hex } from '../core/model/sha256';
import { parseCommandArgs, plural, TOOL } from './args';
import { checkBeforeWrite, checkSidecar, SidecarCheck } from './check';
import { canonicalText } from './fmt';
import { decodeUtf8, formatPathError, rewriteSidecar, Workspace } from './files';
import { describeFsError, Io } from './io';
import { sweepBeforeWriting } from './stale-scratch';
import { problemJson } from './validate';

export const REANCHOR_HELP = `Usage: ${TOOL} reanchor [options] [paths…]

Finds the entities of sidecars (*.ann.yaml) whose article changed — its sha256 is not
the one the sidecar records, or an entity's text is no longer at its offsets — in the
new text, and rewrites the sidecar (canonical form, new sha256) when every entity was
found again. Each entity is looked for at its offsets, then near where its neighbours
moved, by its exact text; when that text occurs several times, the old article's text
around it decides (found in git history by the sha256 the sidecar records); else a
close match (a typo fixed: at most one edit per 4 characters, never for 3 characters
or fewer, never changing a digit). One line per entity that moved or was not found:

  path:line: moved PER «Laftit» 120-126 → 131-137
  path:line: moved PER «Hammouchi» 1470-1479 → 1470-1479 as «Hammouchy» (fuzzy: check it)
  path:line: ambiguous LOC «Maroc» 300-305: fits 310-315, 920-925
  path:line: orphan DATE «2026» 400-404: not found in the new text

A sidecar with an ambiguous or orphaned entity is NOT rewritten: nothing is ever
moved on a guess or deleted silently. Fix it by hand (set start/end of an ambiguous
entity to the right candidate, re-tag or delete an orphan) and run reanchor again, or
drop the orphans with --drop-orphans. Invalid sidecars are never rewritten.

Paths are sidecars, articles (standing for their sidecar) or directories, searched
recursively (node_modules and .git are skipped). Default: the current directory.

Options:
  -n, --dry-run       change nothing: report what would be done
      --drop-orphans  remove the entities found nowhere (listed), then write
      --no-git        do not look for the old article text in git history
      --json          print the results as JSON on stdout
  -q, --quiet         print only the entities not found and errors, no summary
  -h, --help          show this help

Exit status: 0 every sidecar up to date or re-anchored, 1 an entity ambiguous or
orphaned (nothing written for its sidecar), an invalid or unwritable sidecar, or with
--dry-run a sidecar that would be rewritten; 2 usage error.

Examples:
  ${TOOL} reanchor --dry-run corpus/
  ${TOOL} reanchor corpus/a.txt
  ${TOOL} reanchor --drop-orphans corpus/a.txt.ann.yaml
  ${TOOL} reanchor --json corpus/ > reanchor.json
`;

/** Finds the bytes of the article version whose sha256 is `sha256`, if some history has it. */
export type OldTextSource = (articleAbs: string, sha256: string) => Promise<Uint8Array | undefined>;

type Status = 'up-to-date' | 'reanchored' | 'would-reanchor' | 'unresolved' | 'invalid' | 'unwritable';

interface FileReport {
  path: string;
  article: string;
  status: Status;
  written: boolean;
  /** Entities found at their offsets. */
  kept: number;
  result?: ReanchorResult;
  /** Orphans removed (with --drop-orphans). */
  dropped: boolean;
  /** Where the old text came from, when it was used. */
  oldText?: 'git';
  lines: ReadonlyMap<string, number>;
  problems: Problem[];
}

export async function reanchorCommand(argv: readonly string[], io: Io): Promise<number> {
  return reanchorWith(argv, io, gitOldText);
}

/** The command with its source of old article texts injectable (tests). */
export async function reanchorWith(argv: readonly string[], io: Io, history: OldTextSource): Promise<number> {
  const { flags, positionals } = parseCommandArgs('reanchor', argv, {
    'dry-run': { type: 'boolean', short: 'n' },
    'drop-orphans': { type: 'boolean' },
    'no-git': { type: 'boolean' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(REANCHOR_HELP);
    return 0;
  }
  const dryRun = flags['dry-run'] === true;
  const dropOrphans = flags['drop-orphans'] === true;
  const json = flags.json === true;
  const quiet = flags.quiet === true;
  const source = flags['no-git'] === true ? undefined : history;
  const ws = new Workspace(io);
  const found = await ws.discover(positionals);
  if (!json) {
    for (const e of found.errors) io.stderr(formatPathError(e) + '\n');
    if (!quiet) for (const note of found.notes) io.stderr(`note: ${note}\n`);
  }
  if (!dryRun) await sweepBeforeWriting(io, found.scratch, quiet || json);

  const reports: FileReport[] = [];
  const reportedConfigs = new Set<string>();
  const configReports: Array<{ path: string; problems: Problem[] }> = [];
  for (const target of found.sidecars) {
    const check = await checkSidecar(ws, target);
    const config = check.config;
    const configErrors = config.problems.filter((p) => p.severity === 'error');
    if (config.abs !== undefined && configErrors.length > 0 && !reportedConfigs.has(config.abs)) {
      reportedConfigs.add(config.abs);
      configReports.push({ path: config.display ?? config.abs, problems: configErrors });
      if (!json) for (const p of configErrors) io.stderr(formatProblem(config.display ?? config.abs, p) + '\n');
    }
    // Whether a re-anchored sidecar is valid depends on its labels and overlap policy: not
    // knowable from a broken configuration, so nothing under one is rewritten.
    const report = configErrors.length > 0
      ? configBlocked(check, config.display ?? config.abs ?? '')
      : await reanchorOne(io, check, { dryRun, dropOrphans, source });
    reports.push(report);
    if (!json) printReport(io, report, quiet);
  }

  const count = (s: Status) => reports.filter((r) => r.status === s).length;
  const summary = {
    sidecars: reports.length,
    upToDate: count('up-to-date'),
    reanchored: count('reanchored'),
    wouldReanchor: count('would-reanchor'),
    unresolved: count('unresolved'),
    invalid: count('invalid'),
    unwritable: count('unwritable'),
  };
  const failed = found.errors.length > 0 || summary.unresolved + summary.invalid + summary.unwritable + summary.wouldReanchor > 0;
  if (json) {
    io.stdout(JSON.stringify({
      ok: !failed,
      summary,
      errors: found.errors,
      configs: configReports.map((c) => ({ path: c.path, problems: c.problems.map(problemJson) })),
      files: reports.map(reportJson),
    }, null, 2) + '\n');
  } else if (!quiet) {
    const parts = [
      dryRun ? `${summary.wouldReanchor} would be re-anchored` : `${summary.reanchored} re-anchored`,
      `${summary.upToDate} up to date`,
    ];
    if (summary.unresolved) parts.push(`${summary.unresolved} with entities not found (not written)`);
    if (summary.invalid) parts.push(`${summary.invalid} invalid (not written; see \`${TOOL} validate\`)`);
    if (summary.unwritable) parts.push(`${summary.unwritable} could not be written`);
    io.stderr(`${plural(reports.length, 'sidecar')}: ${parts.join(', ')}\n`);
  }
  return failed ? 1 : 0;
}

interface OneOptions {
  dryRun: boolean;
  dropOrphans: boolean;
  source: OldTextSource | undefined;
}

function configBlocked(check: SidecarCheck, configPath: string): FileReport {
  return {
    path: check.target.display, article: check.articleDisplay, status: 'invalid', written: false, kept: 0, dropped: false,
    lines: new Map(),
    problems: [{ severity: 'error', code: 'bad-config', line: 1, column: 1, message: `not re-anchored: its label configuration ${configPath} has errors; fix them first` }],
  };
}

async function reanchorOne(io: Io, check: SidecarCheck, opts: OneOptions): Promise<FileReport> {
  const report: FileReport = {
    path: check.target.display,
    article: check.articleDisplay,
    status: 'invalid',
    written: false,
    kept: 0,
    dropped: false,
    lines: check.parsed?.entityLines ?? new Map(),
    problems: [],
  };
  const sidecar = check.parsed?.sidecar;
  const article = check.article;
  // Errors re-anchoring can repair: entities off their text, and, when the article changed
  // (validate's hint sends those here too), overlaps of offsets made for the old text. Anything
  // else blocks it; the result is validated again before it is written.
  const drifted = sidecar?.sha256 !== undefined && article !== undefined && sidecar.sha256 !== article.sha256;
  const repairable = new Set(['text-mismatch', 'out-of-range', ...(drifted ? ['overlap'] : [])]);
  const blocking = check.problems.filter((p) => p.severity === 'error' && !repairable.has(p.code));
  if (!sidecar || !article || !check.bytes || blocking.length > 0) {
    report.problems = blocking.length ? blocking : check.problems.filter((p) => p.severity === 'error');
    return report;
  }
  if (!needsReanchor(sidecar, article)) {
    report.status = 'up-to-date';
    report.kept = sidecar.entities.length;
    return report;
  }
  // The text the offsets were made for, when git has it: its context around each entity tells a
  // stale offset that lands on the same word from the right place (never trusted on text alone).
  const old = opts.source && drifted && sidecar.sha256 !== undefined ? await oldText(opts.source, check.articleAbs, sidecar.sha256) : undefined;
  if (old !== undefined) report.oldText = 'git';
  const result = reanchor(sidecar.entities, article, old !== undefined ? { oldText: old } : {});
  report.result = result;
  report.kept = result.entities.length - result.moved.length;
  const next = reanchoredSidecar(sidecar, article, result, { dropOrphans: opts.dropOrphans });
  if (!next) {
    report.status = 'unresolved';
    return report;
  }
  report.dropped = result.orphans.length > 0;
  const text = canonicalText(next, article, baseName(check.articleAbs));
  // Never write what would not validate (e.g. the overlap policy, after a fuzzy move).
  const problems = resultProblems(text, article, check);
  if (problems.length > 0) {
    report.problems = problems;
    report.status = 'unresolved';
    return report;
  }
  if (opts.dryRun) {
    report.status = 'would-reanchor';
    return report;
  }
  try {
    const outcome = await rewriteSidecar(io, check.target.abs, text, check.bytes);
    if (outcome !== 'written') {
      report.status = 'unwritable';
      report.problems = [ioProblem(outcome === 'read-only'
        ? 'this sidecar is read-only, so it was not re-anchored; make it writable (e.g. `chmod u+w`) and run reanchor again'
        : 'this sidecar changed on disk while it was being re-anchored, so it was not rewritten; run reanchor again')];
      return report;
    }
  } catch (e) {
    report.status = 'unwritable';
    report.problems = [ioProblem(`cannot rewrite this sidecar: ${describeFsError(e)}; it was left as it was`)];
    return report;
  }
  report.status = 'reanchored';
  report.written = true;
  return report;
}

function resultProblems(text: string, article: Article, check: SidecarCheck): Problem[] {
  const { errors, parsed } = checkBeforeWrite(text, article, check.config.config);
  if (!parsed.sidecar) return errors;
  return errors.map((p) => ({ ...p, line: 1, message: `after re-anchoring: ${p.message}; nothing written` }));
}

function ioProblem(message: string): Problem {
  return { severity: 'error', code: 'io-error', message, line: 1, column: 1 };
}

async function oldText(source: OldTextSource, articleAbs: string, sha256: string): Promise<string | undefined> {
  const bytes = await source(articleAbs, sha256).catch(() => undefined);
  if (!bytes || sha256Hex(bytes) !== sha256) return undefined;
  return decodeUtf8(bytes); // the BOM dropped, as the offsets count without it
}

// ---- Output ------------------------------------------------------------------------------

function printReport(io: Io, r: FileReport, quiet: boolean): void {
  for (const p of r.problems) io.stderr(formatProblem(r.path, p) + '\n');
  const res = r.result;
  if (!res) return;
  const at = (e: Entity) => `${r.path}:${r.lines.get(e.id) ?? 1}`;
  const lines: Array<[number, string]> = [];
  const add = (e: Entity, s: string) => lines.push([r.lines.get(e.id) ?? 1, `${at(e)}: ${s}`]);
  if (!quiet) {
    for (const m of res.moved) {
      const e = m.entity;
      const from = span(m.from);
      if (m.how === 'fuzzy') {
        add(e, `moved ${e.label} «${show(m.previousText ?? '')}» ${from} → ${span(e)} as «${show(e.text)}» (fuzzy, ${plural(m.distance ?? 0, 'edit')}: check it)`);
      } else {
        add(e, `moved ${e.label} «${show(e.text)}» ${from} → ${span(e)}${m.how === 'context' ? ' (told apart by the old text around it)' : ''}`);
      }
    }
  }
  for (const a of res.ambiguous) {
    add(a.entity, `ambiguous ${a.entity.label} «${show(a.entity.text)}» ${span(a.entity)}: fits ${a.candidates.map(span).join(', ')}; set its start/end to the right one (or delete it) and run reanchor again`);
  }
  for (const e of res.orphans) {
    add(e, `orphan ${e.label} «${show(e.text)}» ${span(e)}: not found in the new text${r.dropped ? '; dropped (--drop-orphans)' : ''}`);
  }
  lines.sort((a, b) => a[0] - b[0]);
  for (const [, l] of lines) io.stdout(l + '\n');
  if (quiet) return;
  const counts = [`${r.kept} in place`, `${res.moved.length} moved`];
  const fuzzy = res.moved.filter((m) => m.how === 'fuzzy').length;
  if (fuzzy) counts[1] += ` (${fuzzy} fuzzy)`;
  if (res.ambiguous.length) counts.push(`${res.ambiguous.length} ambiguous`);
  if (res.orphans.length) counts.push(`${plural(res.orphans.length, 'orphan')}${r.dropped ? ' dropped' : ''}`);
  const how = r.oldText === 'git' ? ' (old text from git)' : '';
  const budget = res.exhausted ? ' (the article is too large to search everywhere: some entities were not looked for far from their place)' : '';
  switch (r.status) {
    case 'reanchored':
      io.stdout(`${r.path}: re-anchored: ${counts.join(', ')}${how}; written\n`);
      break;
    case 'would-reanchor':
      io.stdout(`${r.path}: would re-anchor: ${counts.join(', ')}${how}\n`);
      break;
    case 'unresolved':
      io.stdout(`${r.path}: not re-anchored: ${counts.join(', ')}${how}${budget}; nothing written${res.orphans.length && !res.ambiguous.length ? ' (--drop-orphans removes the orphans)' : ''}\n`);
      break;
    default:
      break;
  }
}

function span(s: Span): string {
  return `${s.start}-${s.end}`;
}

/** An entity's text for a one-line message: line breaks and invisible characters shown, long texts cut. */
function show(s: string, max = 60): string {
  // eslint-disable-next-line no-control-regex
  let out = s.replace(/\r?\n/g, '⏎').replace(/[\u0000-\u001f\u007f-\u00a0\u00ad\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/g,
    (c) => '\\u' + c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0'));
  const chars = [...out];
  if (chars.length > max) out = chars.slice(0, max - 1).join('') + '…';
  return out;
}

function reportJson(r: FileReport): Record<string, unknown> {
  const res = r.result;
  const line = (e: Entity) => r.lines.get(e.id) ?? 1;
  const out: Record<string, unknown> = { path: r.path, article: r.article, status: r.status, written: r.written };
  if (r.oldText) out.oldText = r.oldText;
  out.kept = r.kept;
  out.moved = (res?.moved ?? []).map((m) => {
    const o: Record<string, unknown> = { line: line(m.entity), id: m.entity.id, label: m.entity.label, text: m.entity.text, from: m.from, to: { start: m.entity.start, end: m.entity.end }, how: m.how };
    if (m.previousText !== undefined) o.previousText = m.previousText;
    if (m.distance !== undefined) o.distance = m.distance;
    return o;
  });
  out.ambiguous = (res?.ambiguous ?? []).map((a) => ({ line: line(a.entity), id: a.entity.id, label: a.entity.label, text: a.entity.text, from: { start: a.entity.start, end: a.entity.end }, candidates: a.candidates }));
  out.orphans = (res?.orphans ?? []).map((e) => ({ line: line(e), id: e.id, label: e.label, text: e.text, from: { start: e.start, end: e.end }, dropped: r.dropped }));
  if (res?.exhausted) out.budgetExhausted = true;
  out.problems = r.problems.map(problemJson);
  return out;
}

// ---- The old article text from git ---------------------------------------------------------

/** Most article versions looked at: the index, then this many commits that changed the file. */
const GIT_VERSIONS = 50;

/**
 * The article's bytes as they were when the sidecar was written, from git: the staged version,
 * then the versions of the commits that changed the file, newest first, until one has the
 * sha256 the sidecar records (so it is exactly the text the offsets were made for). Undefined
 * when the file is not in a git repository, git is missing, or no version matches.
 */
export async function gitOldText(articleAbs: string, sha256: string): Promise<Uint8Array | undefined> {
  const dir = path.dirname(articleAbs);
  const name = `./${path.basename(articleAbs)}`;
  if ((await git(dir, ['rev-parse', '--is-inside-work-tree'])) === undefined) return undefined;
  const revs = [''];
  const log = await git(dir, ['rev-list', `--max-count=${GIT_VERSIONS}`, 'HEAD', '--', name]);
  if (log) revs.push(...log.toString('utf8').split('\n').filter((l) => /^[0-9a-f]{40,64}$/.test(l)));
  for (const rev of revs) {
    const bytes = await git(dir, ['cat-file', 'blob', `${rev}:${name}`]);
    if (bytes && sha256Hex(bytes) === sha256) return bytes;
  }
  return undefined;
}

/** Runs git; its stdout, or undefined when it fails (not a repository, no such revision, no git). */
function git(cwd: string, args: string[]): Promise<Buffer | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['--no-pager', '-c', 'core.quotepath=off', ...args], { cwd, encoding: 'buffer', maxBuffer: 512 * 1024 * 1024, timeout: 30_000, windowsHide: true }, (err, stdout) => {
      resolve(err ? undefined : stdout);
    });
  });
}

