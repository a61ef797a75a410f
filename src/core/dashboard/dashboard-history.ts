// Entities added over time, from the commits touching sidecars: the adapters run historyGitArgs()
// (git log with a zero-context patch per commit) and this reads its output. A sidecar holds one
// entity per line (`  - {id: …}`), so a commit's added and removed entity lines are the entities it
// added and removed (a relabel is one of each). Suggestions (`suggested: true`) are not entities.
import { DayFigures } from './dashboard-data';

/** Separates commits in the log; the author date (YYYY-MM-DD) follows it. */
const COMMIT_MARK = '\x01';

/**
 * `git <these>` in the corpus's directory; a pathspec's `*` also matches `/` (the sidecars of
 * sub-directories). Merge commits show no patch (git log's default), so an entity merged in is
 * counted once, on the day it was committed on its branch.
 */
export function historyGitArgs(pathspecs: readonly string[] = ['*.ann.yaml']): string[] {
  return ['log', '--no-color', '--no-renames', '--no-ext-diff', '--no-textconv', '--unified=0', `--format=${COMMIT_MARK}%ad`, '--date=short', '-p', '--', ...pathspecs];
}

/** An entity line of a sidecar diff, flow style (the writer's) or the first line of a block-style one. */
const ENTITY_LINE = /^([+-])[ \t]*- (?:\{[ \t]*)?id:/;

/** Per day (oldest first), the entity lines added and removed, and the running total. */
export function entityHistory(gitLog: string): DayFigures[] {
  const days = new Map<string, { added: number; removed: number }>();
  let day: { added: number; removed: number } | undefined;
  for (const line of gitLog.split('\n')) {
    if (line.startsWith(COMMIT_MARK)) {
      const date = line.slice(1).trim();
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
        day = undefined;
        continue;
      }
      day = days.get(date);
      if (!day) days.set(date, (day = { added: 0, removed: 0 }));
      continue;
    }
    const m = ENTITY_LINE.exec(line);
    if (!m || !day || /\bsuggested:[ \t]*true\b/.test(line)) continue;
    if (m[1] === '+') day.added++;
    else day.removed++;
  }
  let total = 0;
  return [...days]
    .filter(([, d]) => d.added || d.removed)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([date, d]) => ({ day: date, added: d.added, removed: d.removed, total: (total += d.added - d.removed) }));
}
