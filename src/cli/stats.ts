// `corpus-annotator stats [paths…]`: how far the annotation of a corpus has got.
import { cmp, Sidecar, Status, STATUSES } from '../core/model';
import { hasErrors } from '../core/problems';
import { parseCommandArgs, TOOL } from './args';
import { checkSidecar, ConfigGate } from './check';
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

Options:
      --json    print the numbers as JSON (keys always in the same order)
  -h, --help    show this help

Exit status: 0 (invalid sidecars are counted, not errors), 1 a path could not be read,
2 usage error.

Examples:
  ${TOOL} stats
  ${TOOL} stats corpus/
  ${TOOL} stats --json corpus/ | jq .statuses
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

export interface CorpusStats {
  documents: number;
  annotated: number;
  invalid: number;
  entities: number;
  /** Suggestions awaiting a decision: not among `entities` nor `labels`. */
  suggestions: number;
  labels: Record<string, number>;
  statuses: Record<Status, number>;
}

/** The numbers `stats` shows (pure: the command gathers the input). */
export function computeStats(input: StatsInput): CorpusStats {
  const documents = new Set(input.articles);
  const annotated = new Set<string>();
  const statuses = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  const byLabel = new Map<string, number>(input.labels.map((l) => [l, 0]));
  let invalid = 0;
  let entities = 0;
  let suggestions = 0;
  for (const s of input.sidecars) {
    documents.add(s.article);
    annotated.add(s.article);
    if (!s.valid) invalid++;
    if (!s.sidecar) continue;
    statuses[s.sidecar.status]++;
    for (const e of s.sidecar.entities) {
      if (e.suggested === true) {
        suggestions++;
        continue;
      }
      entities++;
      byLabel.set(e.label, (byLabel.get(e.label) ?? 0) + 1);
    }
  }
  for (const d of documents) if (!annotated.has(d)) statuses.todo++;
  const configured = new Set(input.labels);
  const others = [...byLabel.keys()].filter((l) => !configured.has(l)).sort(cmp);
  const labels: Record<string, number> = {};
  for (const l of [...configured, ...others]) {
    // defineProperty: a label called __proto__ is a key like any other
    Object.defineProperty(labels, l, { value: byLabel.get(l) ?? 0, enumerable: true, writable: true, configurable: true });
  }
  return { documents: documents.size, annotated: annotated.size, invalid, entities, suggestions, labels, statuses };
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
    help: { type: 'boolean', short: 'h' },
  });
  if (flags.help) {
    io.stdout(STATS_HELP);
    return 0;
  }
  const ws = new Workspace(io);
  const found = await ws.discover(positionals, { articles: true });
  for (const e of found.errors) io.stderr(formatPathError(e) + '\n');

  const labels: string[] = [];
  const addLabels = (names: readonly string[]) => {
    for (const l of names) if (!labels.includes(l)) labels.push(l);
  };
  const sidecars: Array<StatsInput['sidecars'][number]> = [];
  // Counted all the same, but a broken configuration is an error, as in validate.
  const gate = new ConfigGate((t) => io.stderr(t));
  for (const target of found.sidecars) {
    const check = await checkSidecar(ws, target);
    gate.check(check.config);
    addLabels(check.config.config.labels.map((l) => l.name));
    const entry: StatsInput['sidecars'][number] = {
      article: check.articleAbs,
      valid: !hasErrors(check.problems),
    };
    if (check.parsed?.sidecar) entry.sidecar = check.parsed.sidecar;
    sidecars.push(entry);
  }
  for (const a of found.articles) {
    const config = await ws.configFor(a.abs, a.anchor);
    gate.check(config);
    addLabels(config.config.labels.map((l) => l.name));
  }
  const stats = computeStats({ articles: found.articles.map((a) => a.abs), sidecars, labels });

  io.stdout(flags.json ? JSON.stringify(stats, null, 2) + '\n' : formatStatsTable(stats));
  if (stats.invalid > 0 && !flags.json) io.stderr(`${stats.invalid} invalid: run \`${TOOL} validate\` for details\n`);
  return found.errors.length || gate.broken ? 1 : 0;
}
