// The figures of the progress dashboard (extension webview and `stats --html`), from the corpus
// index's per-document summaries (core/corpus/corpus-index.ts): gathered one summary at a time, so the
// CLI holds one document at a time and the extension never loads an article for them.
// Pure: the adapters gather the summaries, the stale sidecars and the git history.
import { DocumentSummary } from '../corpus/corpus-index';
import { AgreementFigures, PairAgreement } from './dashboard-agreement';
import { displayText } from '../corpus/entity-filter';
import { cmp, Status, STATUSES } from '../model/model';

/** Problem codes meaning the sidecar no longer fits its article (it changed since): the sidecar is stale. */
export const STALE_CODES: ReadonlySet<string> = new Set(['article-changed', 'text-mismatch', 'out-of-range']);

/** Surface forms listed per label. */
export const TOP_SURFACES = 10;

/** The key (in CSV and Markdown) of entities without `by` and suggestions without `src`. */
export const NONE = '(none)';

export interface Count {
  readonly name: string;
  readonly count: number;
}

export interface LabelFigures {
  readonly label: string;
  /** The configured colour (#rrggbb), when the label is configured. */
  readonly color?: string;
  readonly count: number;
  /** The most frequent surface forms (whitespace folded), most frequent first, then by text. */
  readonly top: readonly Count[];
}

export interface SidecarIssue {
  /** The document's key (the adapter's: a path, a URI), handed back when the user opens it. */
  readonly key: string;
  /** What is shown: the article's path relative to the corpus. */
  readonly name: string;
  readonly kind: 'invalid' | 'stale';
  /** Errors found (invalid sidecars). */
  readonly errors: number;
}

/** Entity lines added and removed per day by the commits touching sidecars (see core/dashboard/dashboard-history.ts). */
export interface DayFigures {
  /** YYYY-MM-DD (the commit's author date). */
  readonly day: string;
  readonly added: number;
  readonly removed: number;
  /** Running total of added - removed since the first day shown. */
  readonly total: number;
}

export interface DashboardData {
  readonly documents: number;
  readonly statuses: ReadonlyArray<{ readonly status: Status; readonly count: number }>;
  /** Share of documents `reviewed`, 0..1 (0 for an empty corpus). */
  readonly reviewed: number;
  readonly entities: number;
  readonly suggestions: number;
  /** Configured labels first (in order, even unused), then others by name. */
  readonly labels: readonly LabelFigures[];
  /** Entities per `by`, most first; entities without one as NONE. */
  readonly annotators: readonly Count[];
  /** Suggestions awaiting a decision per `src`, most first. */
  readonly suggestionSources: readonly Count[];
  /** Invalid sidecars, then stale ones, each by name. */
  readonly issues: readonly SidecarIssue[];
  /** Absent when no history is available (no git, web host, no commit touching a sidecar). */
  readonly history?: readonly DayFigures[];
  /** Annotators' folders compared (core/dashboard/dashboard-agreement.ts); absent or fewer than two: none configured. */
  readonly agreement?: AgreementFigures;
}

export interface DashboardOptions {
  /** Configured labels in order, with their colours. */
  readonly labels: ReadonlyArray<{ readonly name: string; readonly color?: string }>;
  readonly history?: readonly DayFigures[];
  readonly agreement?: AgreementFigures;
  readonly topSurfaces?: number;
}

/** The figures gathered one document at a time (the CLI drops each document after adding it). */
export class DashboardTally {
  private documents = 0;
  private entities = 0;
  private suggestions = 0;
  private readonly statuses = new Map<Status, number>(STATUSES.map((s) => [s, 0]));
  private readonly byLabel = new Map<string, number>();
  /** Label → surface form → count; surfaces are a corpus's vocabulary, far fewer than its entities. */
  private readonly surfaces = new Map<string, Map<string, number>>();
  private readonly annotators = new Map<string, number>();
  private readonly sources = new Map<string, number>();
  private readonly issues: SidecarIssue[] = [];
  private readonly shown = new Map<string, string>();

  /**
   * One document. `name` is what the dashboard shows for it; `stale`: its sidecar no longer fits the
   * article (the adapter knows from a full check: a summary does not read the article).
   */
  add(key: string, name: string, s: DocumentSummary, stale = false): void {
    this.documents++;
    if (s.state === 'invalid') {
      this.issues.push({ key, name, kind: 'invalid', errors: s.errors });
      return;
    }
    if (stale) this.issues.push({ key, name, kind: 'stale', errors: 0 });
    if (s.status !== undefined) bump(this.statuses, s.status, 1);
    this.entities += s.entities;
    this.suggestions += s.suggestions;
    for (const [label, n] of s.labels) bump(this.byLabel, label, n);
    for (const [who, n] of s.annotators ?? []) bump(this.annotators, who || NONE, n);
    for (const [src, n] of s.suggestionSources ?? []) bump(this.sources, src || NONE, n);
    const m = s.mentions;
    if (!m) return;
    for (let i = 0; i < m.length; i++) {
      if (m.suggested[i] === 1) continue;
      const label = m.labels[i] as string;
      let forms = this.surfaces.get(label);
      if (!forms) this.surfaces.set(label, (forms = new Map()));
      const text = m.texts[i] as string;
      let shown = this.shown.get(text);
      if (shown === undefined) this.shown.set(text, (shown = displayText(text)));
      bump(forms, shown, 1);
    }
  }

  result(options: DashboardOptions): DashboardData {
    const top = options.topSurfaces ?? TOP_SURFACES;
    const configured = new Map(options.labels.map((l) => [l.name, l.color]));
    const others = [...this.byLabel.keys()].filter((l) => !configured.has(l)).sort(cmp);
    const labels = [...configured.keys(), ...others].map((label): LabelFigures => {
      const color = configured.get(label);
      return { label, ...(color !== undefined ? { color } : {}), count: this.byLabel.get(label) ?? 0, top: ranked(this.surfaces.get(label) ?? new Map()).slice(0, top) };
    });
    const reviewed = this.statuses.get('reviewed') ?? 0;
    const issues = [...this.issues].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'invalid' ? -1 : 1) || cmp(a.name, b.name));
    return {
      documents: this.documents,
      statuses: STATUSES.map((status) => ({ status, count: this.statuses.get(status) ?? 0 })),
      reviewed: this.documents ? reviewed / this.documents : 0,
      entities: this.entities,
      suggestions: this.suggestions,
      labels,
      annotators: ranked(this.annotators),
      suggestionSources: ranked(this.sources),
      issues,
      ...(options.history && options.history.length ? { history: options.history } : {}),
      ...(options.agreement ? { agreement: options.agreement } : {}),
    };
  }
}

/** The figures of a whole index at once (the extension: its summaries are in memory). */
export function dashboardData(
  docs: Iterable<readonly [string, DocumentSummary]>,
  nameOf: (key: string) => string,
  stale: ReadonlySet<string>,
  options: DashboardOptions,
): DashboardData {
  const tally = new DashboardTally();
  for (const [key, s] of docs) tally.add(key, nameOf(key), s, stale.has(key));
  return tally.result(options);
}

/** Most first, then by name. */
function ranked(m: ReadonlyMap<string, number>): Count[] {
  return [...m].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || cmp(a.name, b.name));
}

function bump<K>(m: Map<K, number>, k: K, by: number): void {
  m.set(k, (m.get(k) ?? 0) + by);
}

// ---- The figures as text: "Copy as Markdown" and "Export CSV" -------------------------------

/** One CSV of every figure: `section,name,detail,value`, one row per figure (RFC 4180 quoting). */
export function dashboardCsv(d: DashboardData): string {
  const rows: Array<[string, string, string, string | number]> = [['section', 'name', 'detail', 'value']];
  rows.push(['documents', 'total', '', d.documents]);
  for (const s of d.statuses) rows.push(['status', s.status, '', s.count]);
  rows.push(['entities', 'total', '', d.entities]);
  rows.push(['suggestions', 'total', '', d.suggestions]);
  for (const l of d.labels) rows.push(['label', l.label, '', l.count]);
  for (const l of d.labels) for (const t of l.top) rows.push(['surface', l.label, t.name, t.count]);
  for (const a of d.annotators) rows.push(['annotator', a.name, '', a.count]);
  for (const s of d.suggestionSources) rows.push(['suggestion source', s.name, '', s.count]);
  for (const i of d.issues) rows.push([`${i.kind} sidecar`, i.name, i.kind === 'invalid' ? `${i.errors} error(s)` : 'article changed', 1]);
  for (const h of d.history ?? []) {
    rows.push(['entities added', h.day, '', h.added]);
    rows.push(['entities removed', h.day, '', h.removed]);
  }
  for (const p of agreementPairs(d.agreement)) {
    const pair = `${p.a} × ${p.b}`;
    rows.push(['agreement documents', pair, '', p.figures.documents]);
    rows.push(['agreement f1', pair, '', figure(p.figures.f1)]);
    rows.push(['agreement kappa', pair, '', figure(p.figures.kappa)]);
    p.figures.labelF1.forEach((v, k) => rows.push(['agreement f1 per label', pair, d.agreement?.labels[k] ?? '', figure(v)]));
    for (const s of p.figures.skipped) rows.push(['agreement skipped file', pair, s.file, s.reason]);
  }
  return rows.map((r) => r.map((c) => csvCell(String(c))).join(',')).join('\r\n') + '\r\n';
}

function csvCell(s: string): string {
  // A leading = + - @ would be a formula in a spreadsheet: quoted with a ' in front (OWASP's advice).
  const safe = /^[=+\-@\t\r]/.test(s) && !/^-?\d+(\.\d+)?$/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The figures as Markdown tables (what "Copy as Markdown" puts on the clipboard). */
export function dashboardMarkdown(d: DashboardData): string {
  const out: string[] = ['## Corpus dashboard', ''];
  const pct = (n: number) => (d.documents ? ` (${Math.round((100 * n) / d.documents)}%)` : '');
  out.push(`${d.documents} documents, ${d.entities} entities, ${d.suggestions} suggestions pending; ${Math.round(d.reviewed * 100)}% reviewed.`, '');
  out.push(...mdTable(['Status', 'Documents'], d.statuses.map((s) => [s.status, `${s.count}${pct(s.count)}`])));
  out.push(...mdTable(['Label', 'Entities', 'Top surface forms'], d.labels.map((l) => [l.label, String(l.count), l.top.map((t) => `${t.name} (${t.count})`).join(', ')])));
  if (d.annotators.length) out.push(...mdTable(['Annotator', 'Entities'], d.annotators.map((a) => [a.name, String(a.count)])));
  if (d.suggestionSources.length) out.push(...mdTable(['Suggestion source', 'Pending'], d.suggestionSources.map((s) => [s.name, String(s.count)])));
  if (d.issues.length) out.push(...mdTable(['Sidecar', 'Problem'], d.issues.map((i) => [i.name, i.kind === 'invalid' ? `invalid (${i.errors} error(s))` : 'stale (article changed)'])));
  if (d.history) out.push(...mdTable(['Day', 'Added', 'Removed', 'Total'], d.history.map((h) => [h.day, String(h.added), String(h.removed), String(h.total)])));
  const ag = d.agreement;
  if (ag && ag.annotators.length >= 2) {
    const names = ag.annotators.map((a) => a.name);
    const matrix = (pick: (p: PairAgreement) => number | null) => names.map((a, i) => [a, ...names.map((_, j) => {
      const p = ag.pairs[i]?.[j];
      return p ? two(pick(p)) : '—';
    })]);
    out.push(...mdTable(['Exact F1', ...names], matrix((p) => p.f1)));
    out.push(...mdTable(['Token κ', ...names], matrix((p) => p.kappa)));
    ag.labels.forEach((label, k) => out.push(...mdTable([`${label} F1`, ...names], matrix((p) => p.labelF1[k] ?? null))));
    if (ag.skipped.length) out.push(...mdTable(['Left out of the agreement', 'Why'], ag.skipped.map((s) => [s.file, s.reason])));
  }
  return out.join('\n').trimEnd() + '\n';
}

function mdTable(head: readonly string[], rows: ReadonlyArray<readonly string[]>): string[] {
  const line = (cells: readonly string[]) => `| ${cells.map(mdCell).join(' | ')} |`;
  return [line(head), `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map(line), ''];
}

/** A table cell: pipes, backslashes, Markdown and HTML markup in a label or a surface form are shown as text. */
function mdCell(s: string): string {
  return s.replace(/[\\`*_[\]<>|#]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** A figure for the CSV: rounded, or empty when undefined. */
function figure(x: number | null): number | string {
  return x === null ? '' : round(x);
}

function two(x: number | null): string {
  return x === null ? 'n/a' : x.toFixed(2);
}

/** Each pair of annotators once (i < j), with their figures. */
export function agreementPairs(ag: AgreementFigures | undefined): Array<{ a: string; b: string; figures: PairAgreement }> {
  const out: Array<{ a: string; b: string; figures: PairAgreement }> = [];
  if (!ag) return out;
  for (let i = 0; i < ag.annotators.length; i++) {
    for (let j = i + 1; j < ag.annotators.length; j++) {
      const figures = ag.pairs[i]?.[j];
      if (figures) out.push({ a: (ag.annotators[i] as { name: string }).name, b: (ag.annotators[j] as { name: string }).name, figures });
    }
  }
  return out;
}
