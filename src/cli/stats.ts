// `corpus-annotator stats [paths…]`: how far the annotation of a corpus has got.
import { cmp, Sidecar, Status, STATUSES } from '../core/model/model';
import { hasErrors } from '../core/model/problems';
import { parseCommandArgs, stringList, TOOL, UsageError } from './args';
import { checkSidecar, ConfigGate } from './check';
import { DashboardCollector } from './stats-html';
import { formatPathError, Workspace } from './files';
import { Io } from './io';

export const STATS_HELP = `Usage: ${TOOL} stats [options] [paths…]

Counts, for the articles and sidecars under the given paths:
  documents         articles (files matching the label configuration's \`articles\`
                    globs, by default **/*.txt) plus the articles of all sidecars found
  annotated         documents that have a sidecar
  invalid sidecars  sidecars \`${TOOL} validate\` reports an error in
  entities          per label (the configured labels first, then any others);
                    suggestions (suggested: true, not accepted yet) are not entities
  suggestions       counted apart (shown when there are any)
  status            todo, in-progress, done, reviewed; a document without a sidecar
                    is todo, a sidecar too broken to read counts only as invalid

Paths are directories (searched recursively, node_modules and .git skipped), articles
or sidecars. Default: the current directory.

With --by-annotator, also per annotator (the entities' \`by\`; "(none)" for entities
without one): entities, documents they annotated in, entities per label.

Options:
      --by-annotator  also count per annotator
      --json          print the numbers as JSON (keys always in the same order)
      --html FILE     write the dashboard (charts of the figures, sidecars that need
                      attention, entities added per day from git) as one
                      self-contained HTML page instead; \`-\` for stdout
      --no-git        with --html: no history from git
      --annotators FOLDER
                      with --html, once per annotator (two or more): a folder
                      holding that annotator's copy of the corpus's sidecars
                      (same article names); the dashboard shows their pairwise
                      agreement (exact-span F1 overall and per label, token κ)
                      as heat maps. Sidecars that cannot be read are named and
                      left out
  -h, --help          show this help

Exit status: 0 (invalid sidecars are counted, not errors), 1 a path could not be read,
2 usage error.

Examples:
  ${TOOL} stats
  ${TOOL} stats corpus/
  ${TOOL} stats --json corpus/ | jq .statuses
  ${TOOL} stats --html dashboard.html corpus/
  ${TOOL} stats --html dashboard.html --annotators review/ana --annotators review/bob corpus/
`;

export interface StatsInput {
  /** Article files found (absolute paths). */
  articles: readonly string[];
  sidecars: ReadonlyArray<{
    /** The article the sidecar belongs to (absolute path; it may be missing). */
    article: string;
    /** The model, when the sidecar could be read. */
    sidecar?: Sidecar;
    /** No error found in it. */
    valid: boolean;
  }>;
  /** Configured label names, in configuration order: listed first, even when unused. */
  labels: readonly string[];
}

export interface AnnotatorStats {
  annotator: string;
  entities: number;
  /** Documents with at least one of their entities. */
  documents: number;
  labels: Record<string, number>;
}

/** The key of entities without `by`. */
const NO_ANNOTATOR = '(none)';

export interface CorpusStats {
  documents: number;
  annotated: number;
  invalid: number;
  entities: number;
  /** Suggestions awaiting a decision: not among `entities` nor `labels`. */
  suggestions: number;
  labels: Record<string, number>;
  /** With --by-annotator: per `by` (sorted; "(none)" last). */
  annotators?: AnnotatorStats[];
  statuses: Record<Status, number>;
}

/** The numbers `stats` shows (pure: the command gathers the input). */
export function computeStats(input: StatsInput): CorpusStats {
  const tally = new StatsTally();
  for (const s of input.sidecars) tally.addSidecar(s.article, s.valid, s.sidecar);
  for (const a of input.articles) tally.addArticle(a);
  return tally.result(input.labels);
}

/**
 * The counts gathered one sidecar at a time, so that the command holds one document, never the
 * whole corpus (a 10 000-document corpus: 505 MB when every model was kept until the end).
 */
export class StatsTally {
  private readonly documents = new Set<string>();
  private readonly annotated = new Set<string>();
  private readonly statuses = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  private readonly byLabel = new Map<string, number>();
  private invalid = 0;
  private entities = 0;
  private suggestions = 0;
  private readonly annotators = new Map<string, { entities: number; documents: number; labels: Map<string, number> }>();

  addArticle(article: string): void {
    this.documents.add(article);
  }

  addSidecar(article: string, valid: boolean, sidecar: Sidecar | undefined): void {
    this.documents.add(article);
    this.annotated.add(article);
    if (!valid) this.invalid++;
    if (!sidecar) return;
    this.statuses[sidecar.status]++;
    for (const e of sidecar.entities) {
      if (e.suggested === true) {
        this.suggestions++;
        continue;
      }
      this.entities++;
      this.byLabel.set(e.label, (this.byLabel.get(e.label) ?? 0) + 1);
      const who = e.by ?? NO_ANNOTATOR;
      let a = this.annotators.get(who);
      if (!a) {
        a = { entities: 0, documents: 0, labels: new Map() };
        this.annotators.set(who, a);
      }
      a.entities++;
      a.labels.set(e.label, (a.labels.get(e.label) ?? 0) + 1);
    }
    for (const who of new Set(sidecar.entities.filter((e) => e.suggested !== true).map((e) => e.by ?? NO_ANNOTATOR))) {
      (this.annotators.get(who) as { documents: number }).documents++;
    }
  }

  /** Per annotator, sorted by name, entities without \`by\` last; labels in \`labelOrder\`, then others. */
  annotatorStats(labelOrder: readonly string[]): AnnotatorStats[] {
    const names = [...this.annotators.keys()].sort((x, y) => (x === NO_ANNOTATOR ? 1 : 0) - (y === NO_ANNOTATOR ? 1 : 0) || cmp(x, y));
    return names.map((annotator) => {
      const a = this.annotators.get(annotator) as { entities: number; documents: number; labels: Map<string, number> };
      return { annotator, entities: a.entities, documents: a.documents, labels: orderedCounts(a.labels, labelOrder, false) };
    });
  }

  /** The numbers, the configured `labels` listed first (in their order) even when unused. */
  result(labelOrder: readonly string[]): CorpusStats {
    const statuses = { ...this.statuses };
    for (const d of this.documents) if (!this.annotated.has(d)) statuses.todo++;
    const labels = orderedCounts(this.byLabel, labelOrder, true);
    return { documents: this.documents.size, annotated: this.annotated.size, invalid: this.invalid, entities: this.entities, suggestions: this.suggestions, labels, statuses };
  }
}

/** Counts by label as a record: the configured labels first (all, or only those used), then others sorted. */
function orderedCounts(counts: ReadonlyMap<string, number>, labelOrder: readonly string[], keepUnused: boolean): Record<string, number> {
  const configured = new Set(labelOrder);
  const others = [...counts.keys()].filter((l) => !configured.has(l)).sort(cmp);
  const out: Record<string, number> = {};
  for (const l of [...configured, ...others]) {
    if (!keepUnused && !counts.has(l)) continue;
    // defineProperty: a label called __proto__ is a key like any other
    Object.defineProperty(out, l, { value: counts.get(l) ?? 0, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Per annotator, one line each: entities, documents, then entities per label. */
export function formatAnnotatorTable(rows: readonly AnnotatorStats[], labelOrder: readonly string[]): string {
  const used = new Set(rows.flatMap((r) => Object.keys(r.labels)));
  const labels = [...new Set([...labelOrder, ...used])].filter((l) => used.has(l));
  const head = ['Annotator', 'entities', 'documents', ...labels];
  const body = rows.map((r) => [r.annotator, String(r.entities), String(r.documents), ...labels.map((l) => String(r.labels[l] ?? 0))]);
  const width = head.map((h, i) => Math.max([...h].length, ...body.map((b) => [...(b[i] ?? '')].length)));
  const fmt = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(width[i] as number) : c.padStart(width[i] as number))).join('  ').trimEnd();
  return [fmt(head), ...body.map(fmt)].join('\n') + '\n';
}

/** The numbers as an aligned table. */
export function formatStatsTable(s: CorpusStats): string {
  const pct = (n: number) => (s.documents ? `${Math.round((100 * n) / s.documents)}%` : '');
  const rows: Array<[string, number | undefined, string?]> = [
    ['Documents', s.documents],
    ['  annotated', s.annotated, pct(s.annotated)],
    ['  not annotated', s.documents - s.annotated, pct(s.documents - s.annotated)],
    ['Invalid sidecars', s.invalid],
    ['Entities', s.entities],
    ...Object.entries(s.labels).map(([l, n]): [string, number] => [`  ${l}`, n]),
    ...(s.suggestions ? [['Suggestions', s.suggestions, 'not accepted yet'] as [string, number, string]] : []),
    ['Status', undefined],
    ...STATUSES.map((st): [string, number, string] => [`  ${st}`, s.statuses[st], pct(s.statuses[st])]),
  ];
  const nameWidth = Math.max(...rows.map(([name]) => name.length));
  const numWidth = Math.max(...rows.map(([, n]) => (n === undefined ? 0 : String(n).length)));
  return rows
    .map(([name, n, extra]) => {
      if (n === undefined) return name;
      const line = `${name.padEnd(nameWidth)}  ${String(n).padStart(numWidth)}`;
      return extra ? `${line}  ${extra.padStart(4)}` : line;
    })
    .join('\n') + '\n';
}

export async function statsCommand(argv: readonly string[], io: Io): Promise<number> {
  const { flags, positionals } = parseCommandArgs('stats', argv, {
    json: { type: 'boolean' },
    'by-annotator': { type: 'boolean' },
    html: { type: 'string' },
    'no-git': { type: 'boolean' },
    annotators: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(STATS_HELP);
    return 0;
  }
  const annotators = stringList(flags.annotators);
  if (annotators.length && typeof flags.html !== 'string') throw new UsageError('--annotators goes with --html (the agreement is drawn in the dashboard)', 'stats');
  const ws = new Workspace(io);
  const found = await ws.discover(positionals, { articles: true });
  for (const e of found.errors) io.stderr(formatPathError(e) + '\n');

  const labels: string[] = [];
  const addLabels = (names: readonly string[]) => {
    for (const l of names) if (!labels.includes(l)) labels.push(l);
  };
  // One sidecar at a time: its counts are added and the document is dropped before the next.
  const tally = new StatsTally();
  const html = typeof flags.html === 'string' ? flags.html : undefined;
  const dashboard = html !== undefined ? new DashboardCollector() : undefined;
  // Counted all the same, but a broken configuration is an error, as in validate.
  const gate = new ConfigGate((t) => io.stderr(t));
  for (const target of found.sidecars) {
    const check = await checkSidecar(ws, target);
    gate.check(check.config);
    addLabels(check.config.config.labels.map((l) => l.name));
    tally.addSidecar(check.articleAbs, !hasErrors(check.problems), check.parsed?.sidecar);
    dashboard?.addSidecar(check);
  }
  for (const a of found.articles) {
    const config = await ws.configFor(a.abs, a.anchor);
    gate.check(config);
    addLabels(config.config.labels.map((l) => l.name));
    tally.addArticle(a.abs);
    dashboard?.addArticle(a, config.config.labels);
  }
  if (dashboard && html !== undefined) {
    const written = await dashboard.write(io, ws, html, positionals, !flags['no-git'], annotators);
    return found.errors.length || gate.broken || !written || dashboard.folderErrors ? 1 : 0;
  }
  const stats = tally.result(labels);
  if (flags['by-annotator']) stats.annotators = tally.annotatorStats(labels);

  io.stdout(flags.json ? JSON.stringify(stats, null, 2) + '\n' : formatStatsTable(stats) + (stats.annotators ? '\n' + formatAnnotatorTable(stats.annotators, Object.keys(stats.labels)) : ''));
  if (stats.invalid > 0 && !flags.json) io.stderr(`${stats.invalid} invalid: run \`${TOOL} validate\` for details\n`);
  return found.errors.length || gate.broken ? 1 : 0;
}
