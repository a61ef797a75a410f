// `stats --html FILE`: the extension's dashboard as one self-contained page (core/dashboard/dashboard-*.ts),
// for people without VS Code. Gathered during stats' one pass over the sidecars (one document held
// at a time); the history comes from git when the corpus is in a repository.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import { StringPool, summariseEntities } from '../core/corpus/corpus-index';
import { DashboardTally, STALE_CODES } from '../core/dashboard/dashboard-data';
import { entityHistory, historyGitArgs } from '../core/dashboard/dashboard-history';
import { renderDashboardPage } from '../core/dashboard/dashboard-html';
import { sidecarPathOf } from '../core/model/model';
import { SidecarCheck } from './check';
import { Target, Workspace } from './files';
import { annotatorAgreement } from './stats-agreement';
import { describeFsError, Io, openOutput, Output } from './io';

export class DashboardCollector {
  private readonly tally = new DashboardTally();
  private readonly pool = new StringPool();
  private readonly withSidecar = new Set<string>();
  private readonly labels = new Map<string, string>();
  /** Annotator folders `write` could not list (each makes stats exit 1; the page is written all the same). */
  folderErrors = 0;

  addSidecar(check: SidecarCheck): void {
    this.addLabels(check.config.config.labels);
    this.withSidecar.add(check.articleAbs);
    const sidecar = check.parsed?.sidecar;
    const errors = check.problems.filter((p) => p.severity === 'error');
    const staleOnly = errors.every((p) => STALE_CODES.has(p.code));
    if (!sidecar || !staleOnly) {
      this.tally.add(check.target.abs, check.articleDisplay, { state: 'invalid', entities: 0, suggestions: 0, labels: new Map(), errors: errors.length });
      return;
    }
    const stale = check.problems.some((p) => STALE_CODES.has(p.code));
    this.tally.add(check.target.abs, check.articleDisplay, summariseEntities(sidecar.status, sidecar.entities, { withMentions: this.pool }), stale);
  }

  addArticle(article: Target, labels: ReadonlyArray<{ name: string; color: string }>): void {
    this.addLabels(labels);
    if (this.withSidecar.has(article.abs)) return;
    this.withSidecar.add(article.abs);
    this.tally.add(sidecarPathOf(article.abs), article.display, { state: 'none', status: 'todo', entities: 0, suggestions: 0, labels: new Map(), errors: 0 });
  }

  /** Writes the page to `out` (a path as the user gave it, or `-`); false (and a message) when it could not be written. */
  async write(io: Io, ws: Workspace, out: string, paths: readonly string[], useGit: boolean, annotators: readonly string[] = []): Promise<boolean> {
    const target = out === '-' ? out : ws.resolve(out);
    const history = useGit ? entityHistory(await gitHistory(ws, paths.length ? paths : ['.'])) : [];
    const agreement = annotators.length ? await annotatorAgreement(ws, annotators, paths, [...this.labels.keys()]) : undefined;
    this.folderErrors = agreement?.folderErrors.length ?? 0;
    for (const f of agreement?.folderErrors ?? []) io.stderr(`${annotators[f.annotator] ?? ''}: error: cannot list the annotator's folder: ${f.reason}\n`);
    for (const s of agreement?.skipped ?? []) io.stderr(`${s.file}: warning: left out of the agreement: ${s.reason}\n`);
    const data = this.tally.result({ labels: [...this.labels].map(([name, color]) => ({ name, color })), history, ...(agreement ? { agreement } : {}) });
    const pageDir = target === '-' ? io.cwd : path.dirname(target);
    const html = renderDashboardPage(data, {
      mode: 'standalone',
      title: `Corpus dashboard: ${path.basename(ws.resolve(paths[0] ?? '.'))}`,
      subtitle: `${data.documents} documents · made by corpus-annotator stats --html on ${new Date().toISOString().slice(0, 10)}`,
      // Sidecar links relative to the page, so the page and the corpus can be moved together.
      hrefOf: (abs) => path.relative(pageDir, abs).split(path.sep).map(encodeURIComponent).join('/'),
    });
    let output: Output | undefined;
    try {
      output = await openOutput(io, target);
      await output.write(html);
      await output.commit();
    } catch (e) {
      await output?.abort();
      io.stderr(`${out}: error: cannot write the dashboard: ${describeFsError(e)}\n`);
      return false;
    }
    if (out !== '-') io.stderr(`stats: dashboard written to ${out}\n`);
    return true;
  }

  private addLabels(labels: ReadonlyArray<{ name: string; color: string }>): void {
    for (const l of labels) if (!this.labels.has(l.name)) this.labels.set(l.name, l.color);
  }
}

/** The git log of the sidecars under each path (empty where there is no repository or no git). */
async function gitHistory(ws: Workspace, paths: readonly string[]): Promise<string> {
  const logs: string[] = [];
  for (const p of paths) {
    const abs = ws.resolve(p);
    const isDir = await ws.io.fs.stat(abs).then((s) => s.isDirectory(), () => false);
    const cwd = isDir ? abs : path.dirname(abs);
    const spec = isDir ? '*.ann.yaml' : path.basename(abs).endsWith('.ann.yaml') ? path.basename(abs) : sidecarPathOf(path.basename(abs));
    logs.push(await git(cwd, historyGitArgs([spec])));
  }
  return logs.join('\n');
}

function git(cwd: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('git', ['--no-pager', '-c', 'core.quotepath=off', ...args], { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, timeout: 60_000, windowsHide: true }, (err, stdout) => resolve(err ? '' : stdout));
  });
}
