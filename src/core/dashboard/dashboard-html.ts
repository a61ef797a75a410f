// The dashboard as HTML with plain SVG charts (no chart library: a few rects and a polyline are
// lighter than any, and nothing to load under the webview's Content-Security-Policy). The same
// page serves the extension's webview (colours from VS Code's theme variables, actions posted to
// the extension) and `stats --html` (one self-contained file, a light/dark palette of its own).
// Every chart is an <svg role="img"> with a <title>, followed by the table of its figures.
// Everything a sidecar or configuration supplies (labels, surface forms, names) is escaped.
import { AgreementFigures, PairAgreement } from './dashboard-agreement';
import { Count, DashboardData, dashboardCsv, dashboardMarkdown, DayFigures } from './dashboard-data';
import { DASHBOARD_SCRIPT } from './dashboard-script';

export interface DashboardPageOptions {
  /** 'webview': actions go to the extension (postMessage); 'standalone': done in the page itself. */
  readonly mode: 'webview' | 'standalone';
  /** The page's title (e.g. the corpus folder's name). */
  readonly title: string;
  /** Webview: the nonce of its one script and style element, also in the Content-Security-Policy. */
  readonly nonce?: string;
  /** Webview: `webview.cspSource`. */
  readonly cspSource?: string;
  /** Standalone: the link to a document's sidecar (relative to the page); none: shown as text. */
  readonly hrefOf?: (key: string) => string | undefined;
  /** A line under the title (when and from where the figures were made). */
  readonly subtitle?: string;
}

/** The id of the element `renderDashboardBody` fills (the webview replaces it on updates). */
export const DASHBOARD_MAIN_ID = 'ca-dashboard';

/** Text and attribute values: nothing a label or a surface form holds can become markup. */
export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A whole page. */
export function renderDashboardPage(d: DashboardData, o: DashboardPageOptions): string {
  const nonce = o.nonce !== undefined ? ` nonce="${esc(o.nonce)}"` : '';
  const csp =
    o.mode === 'webview'
      ? `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src ${esc(o.cspSource ?? "'none'")}; style-src ${esc(o.cspSource ?? "'none'")} 'nonce-${esc(o.nonce ?? '')}'; script-src 'nonce-${esc(o.nonce ?? '')}';">`
      : // The standalone page needs nothing from anywhere else either.
        `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline';">`;
  const data =
    o.mode === 'standalone'
      ? `<textarea id="ca-markdown" hidden readonly>${esc(dashboardMarkdown(d))}</textarea><textarea id="ca-csv" hidden readonly>${esc(dashboardCsv(d))}</textarea>`
      : '';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
${csp}
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)}</title>
<style${nonce}>${STYLE}${labelStyles(d)}</style>
</head>
<body data-mode="${o.mode}">
<header class="ca-head">
<h1>${esc(o.title)}</h1>
${o.subtitle !== undefined ? `<p class="ca-sub">${esc(o.subtitle)}</p>` : ''}
<div class="ca-actions" role="toolbar" aria-label="Figures">
<button type="button" data-action="copy-markdown">Copy as Markdown</button>
<button type="button" data-action="export-csv">Export CSV</button>
<span id="ca-status" role="status" aria-live="polite"></span>
</div>
</header>
<main id="${DASHBOARD_MAIN_ID}">
${renderDashboardBody(d, o)}
</main>
${data}
<script${nonce}>${DASHBOARD_SCRIPT}</script>
</body>
</html>
`;
}

/** The charts and tables (what changes when the figures do). */
export function renderDashboardBody(d: DashboardData, o: Pick<DashboardPageOptions, 'mode' | 'hrefOf'>): string {
  const parts = [
    statusSection(d),
    barSection('labels', 'Entities per label', 'Label', d.labels.map((l, i) => ({ name: l.label, count: l.count, cls: `lc${i}` })), `${d.entities} entities`),
    surfaceSection(d),
    barSection('annotators', 'Annotations per annotator', 'Annotator', d.annotators.map((a) => ({ ...a, cls: 'bar' })), d.annotators.length ? undefined : 'No entities yet.'),
    historySection(d.history),
    barSection('suggestions', 'Suggestions pending by source', 'Source', d.suggestionSources.map((a) => ({ ...a, cls: 'bar' })), d.suggestions ? `${d.suggestions} suggestions awaiting a decision` : 'No suggestion awaiting a decision.'),
    agreementSection(d.agreement, o.mode),
    issueSection(d, o),
  ];
  return parts.join('\n');
}

// ---- sections ------------------------------------------------------------------------------

const WIDTH = 640;

function statusSection(d: DashboardData): string {
  const reviewed = d.statuses.find((s) => s.status === 'reviewed')?.count ?? 0;
  const pct = Math.round(d.reviewed * 100);
  const title = `Documents by status: ${reviewed} of ${d.documents} reviewed (${pct}%)`;
  let x = 0;
  const rects = d.statuses
    .filter((s) => s.count > 0)
    .map((s) => {
      const w = d.documents ? (s.count / d.documents) * WIDTH : 0;
      const r = `<rect class="st-${s.status}" x="${fmt(x)}" y="0" width="${fmt(w)}" height="24"><title>${esc(`${s.status}: ${s.count}`)}</title></rect>`;
      x += w;
      return r;
    })
    .join('');
  const legend = d.statuses.map((s) => `<li><span class="swatch st-${s.status}" aria-hidden="true"></span>${esc(s.status)} <b data-figure="status-${s.status}">${s.count}</b></li>`).join('');
  return section(
    'status',
    'Progress',
    `<p class="ca-big"><b data-figure="reviewed-percent">${pct}%</b> reviewed · <b data-figure="documents">${d.documents}</b> documents · <b data-figure="entities">${d.entities}</b> entities · <b data-figure="suggestions">${d.suggestions}</b> suggestions pending</p>
${svg('status', title, WIDTH, 24, `<rect class="track" x="0" y="0" width="${WIDTH}" height="24"/>${rects}`)}
<ul class="legend">${legend}</ul>`,
  );
}

interface Bar {
  readonly name: string;
  readonly count: number;
  readonly cls: string;
}

const ROW = 22;
const NAME_W = 200;

function barSection(id: string, heading: string, column: string, bars: readonly Bar[], note: string | undefined): string {
  const body = bars.length ? barChart(id, heading, column, bars) : '';
  return section(id, heading, `${note !== undefined ? `<p>${esc(note)}</p>` : ''}${body}`);
}

function barChart(id: string, heading: string, column: string, bars: readonly Bar[], width = WIDTH, nameW = NAME_W): string {
  const max = Math.max(1, ...bars.map((b) => b.count));
  const room = width - nameW - 40;
  const rows = bars
    .map((b, i) => {
      const y = i * ROW;
      const w = (b.count / max) * room;
      return `<g><title>${esc(`${b.name}: ${b.count}`)}</title><text class="name" x="${nameW - 8}" y="${y + 15}" text-anchor="end">${esc(clip(b.name, nameW < NAME_W ? 22 : 28))}</text><rect class="${b.cls}" x="${nameW}" y="${y + 3}" width="${fmt(Math.max(w, b.count ? 1 : 0))}" height="${ROW - 6}"/><text class="value" x="${fmt(nameW + w + 6)}" y="${y + 15}">${b.count}</text></g>`;
    })
    .join('');
  const summary = `${heading}: ${bars.map((b) => `${b.name} ${b.count}`).join(', ')}`;
  return svg(id, summary, width, bars.length * ROW, rows) + table(id, heading, [column, 'Count'], bars.map((b) => [b.name, String(b.count)]));
}

function surfaceSection(d: DashboardData): string {
  const used = d.labels.filter((l) => l.top.length);
  if (!used.length) return section('surfaces', 'Top surface forms per label', '<p>No entities yet.</p>');
  const charts = used
    .map((l) => {
      const i = d.labels.indexOf(l);
      return `<div class="ca-sub-chart"><h3>${esc(l.label)}</h3>${barChart(`surfaces-${i}`, `Top surface forms of ${l.label}`, 'Surface form', l.top.map((t: Count) => ({ ...t, cls: `lc${i}` })), 420, 170)}</div>`;
    })
    .join('\n');
  return section('surfaces', 'Top surface forms per label', `<div class="ca-grid">${charts}</div>`);
}

function historySection(history: readonly DayFigures[] | undefined): string {
  if (!history || !history.length) return section('history', 'Entities added over time', '<p>No history: the corpus is not in a git repository, or no commit touches a sidecar yet.</p>');
  const H = 180;
  const pad = { l: 48, r: 16, t: 12, b: 28 };
  const first = dayNumber((history[0] as DayFigures).day);
  const span = Math.max(1, dayNumber((history[history.length - 1] as DayFigures).day) - first);
  const lo = Math.min(0, ...history.map((h) => h.total));
  const hi = Math.max(1, ...history.map((h) => h.total));
  const px = (day: string) => pad.l + ((dayNumber(day) - first) / span) * (WIDTH - pad.l - pad.r);
  const py = (v: number) => pad.t + (1 - (v - lo) / (hi - lo)) * (H - pad.t - pad.b);
  const points = history.map((h) => `${fmt(history.length === 1 ? WIDTH / 2 : px(h.day))},${fmt(py(h.total))}`);
  const dots = history
    .map((h, i) => `<circle class="dot" cx="${(points[i] as string).split(',')[0]}" cy="${fmt(py(h.total))}" r="3"><title>${esc(`${h.day}: +${h.added} −${h.removed}, total ${h.total}`)}</title></circle>`)
    .join('');
  const lastDay = (history[history.length - 1] as DayFigures).day;
  const axes = `<line class="axis" x1="${pad.l}" y1="${H - pad.b}" x2="${WIDTH - pad.r}" y2="${H - pad.b}"/><line class="axis" x1="${pad.l}" y1="${pad.t}" x2="${pad.l}" y2="${H - pad.b}"/>
<text class="tick" x="${pad.l - 6}" y="${fmt(py(hi) + 4)}" text-anchor="end">${hi}</text><text class="tick" x="${pad.l - 6}" y="${fmt(py(lo) + 4)}" text-anchor="end">${lo}</text>
<text class="tick" x="${pad.l}" y="${H - 8}">${esc((history[0] as DayFigures).day)}</text><text class="tick" x="${WIDTH - pad.r}" y="${H - 8}" text-anchor="end">${esc(lastDay)}</text>`;
  const title = `Entities over time (net, from git history): ${(history[history.length - 1] as DayFigures).total} on ${lastDay}, over ${history.length} day(s) with changes`;
  return section(
    'history',
    'Entities added over time',
    svg('history', title, WIDTH, H, `${axes}<polyline class="line" points="${points.join(' ')}"/>${dots}`) +
      table('history', 'Entities added per day', ['Day', 'Added', 'Removed', 'Total'], history.map((h) => [h.day, String(h.added), String(h.removed), String(h.total)])),
  );
}

// ---- agreement: a heat map per figure, as tables (the numbers are the content; colour only adds) --

/** Agreement buckets: Landis & Koch's steps for κ, used for F1 alike. */
const HEAT_STEPS = [0.2, 0.4, 0.6, 0.8] as const;
const HEAT_LEGEND = ['below 0.20', '0.20–0.39', '0.40–0.59', '0.60–0.79', '0.80 and above'];
/** Skipped files named in a cell at most (all are listed under the tables). */
const NAMED_IN_CELL = 3;

function heatClass(v: number | null): string {
  if (v === null) return 'hm-na';
  return `hm hm${HEAT_STEPS.filter((s) => v >= s).length}`;
}

function agreementHint(ag: AgreementFigures | undefined, mode: DashboardPageOptions['mode']): string {
  const how =
    mode === 'webview'
      ? `set <code>corpusAnnotator.dashboard.annotatorFolders</code> to two or more workspace folders, each holding one annotator's copy of the corpus's sidecars (same article names). <button type="button" class="link" data-action="configure-agreement">Open the setting</button>`
      : `give <code>corpus-annotator stats --html FILE</code> two or more <code>--annotators FOLDER</code>, each holding one annotator's copy of the corpus's sidecars (same article names).`;
  const one = ag?.annotators[0];
  const only = one ? `Only one annotator folder is configured (<b>${esc(one.name)}</b>: ${esc(one.folder)}). ` : 'No annotators to compare yet. ';
  return section('agreement', 'Inter-annotator agreement', `<p id="agreement-hint">${only}To see how far annotators agree, ${how}</p>`);
}

function agreementSection(ag: AgreementFigures | undefined, mode: DashboardPageOptions['mode']): string {
  if (!ag || ag.annotators.length < 2) return agreementHint(ag, mode);
  const names = ag.annotators.map((a) => a.name);
  const cellOf = (i: number, j: number, value: (p: PairAgreement) => number | null, sub?: (p: PairAgreement) => string, notes = false): string => {
    const p = ag.pairs[i]?.[j];
    if (!p) return `<td class="hm-self"><span aria-hidden="true">—</span><span class="sr-only">same annotator</span></td>`;
    const v = value(p);
    const shown = v === null ? 'n/a' : v.toFixed(2);
    const subText = sub ? `<span class="hm-sub">${esc(sub(p))}</span>` : '';
    let note = '';
    if (notes && p.skipped.length) {
      const named = p.skipped.slice(0, NAMED_IN_CELL).map((s) => esc(s.file)).join(', ');
      const more = p.skipped.length > NAMED_IN_CELL ? ` and ${p.skipped.length - NAMED_IN_CELL} more` : '';
      note = `<span class="hm-note">skipped: ${named}${more}</span>`;
    }
    const data = v === null ? '' : ` data-value="${Math.round(v * 1000) / 1000}"`;
    return `<td class="${heatClass(v)}" data-pair="${i}-${j}"${data}>${shown}${subText}${note}</td>`;
  };
  const heatTable = (id: string, caption: string, value: (p: PairAgreement) => number | null, sub?: (p: PairAgreement) => string, notes = false): string => {
    const head = `<tr><td></td>${names.map((n) => `<th scope="col">${esc(n)}</th>`).join('')}</tr>`;
    const rows = names.map((n, i) => `<tr><th scope="row">${esc(n)}</th>${names.map((_, j) => cellOf(i, j, value, sub, notes)).join('')}</tr>`).join('');
    return `<table class="heatmap" id="heatmap-${id}"><caption>${esc(caption)}</caption><thead>${head}</thead><tbody>${rows}</tbody></table>`;
  };
  const docs = (p: PairAgreement) => `${p.documents} doc${p.documents === 1 ? '' : 's'}`;
  const legend = `<ul class="legend hm-legend" aria-label="Colour scale of the tables">${HEAT_LEGEND.map((t, k) => `<li><span class="swatch hm${k}" aria-hidden="true"></span>${esc(t)}</li>`).join('')}<li><span class="swatch hm-na" aria-hidden="true"></span>n/a: nothing to compare</li></ul>`;
  const overall =
    `<div class="hm-grid">${heatTable('f1', 'Exact-span F1, all labels', (p) => p.f1, docs, true)}` +
    `${heatTable('kappa', "Cohen's κ on tokens", (p) => p.kappa, (p) => `${p.kappaDocuments} doc${p.kappaDocuments === 1 ? '' : 's'} with text`)}</div>`;
  const perLabel = ag.labels.length
    ? `<h3>Exact-span F1 per label</h3><div class="hm-grid">${ag.labels.map((l, k) => heatTable(`label-${k}`, l, (p) => p.labelF1[k] ?? null)).join('')}</div>`
    : '';
  const left = [
    ...ag.folderErrors.map((f) => `<li><b>${esc(ag.annotators[f.annotator]?.folder ?? '')}</b>: ${esc(f.reason)}</li>`),
    ...ag.skipped.map((s) => `<li>${esc(s.file)} <span class="muted">(${esc(s.reason)})</span></li>`),
  ];
  const leftOut = left.length ? `<h3>Left out</h3><ul class="issues" id="agreement-skipped">${left.join('')}</ul>` : '';
  const intro = `<p>${names.length} annotators (${ag.annotators.map((a) => `${esc(a.name)}: ${esc(a.folder)}`).join(', ')}), compared pair by pair over the documents both annotated. F1: same start, end and label; κ: the label of each word, O outside entities. Suggestions are left out.</p>`;
  return section('agreement', 'Inter-annotator agreement', intro + legend + overall + perLabel + leftOut);
}

function issueSection(d: DashboardData, o: Pick<DashboardPageOptions, 'mode' | 'hrefOf'>): string {
  if (!d.issues.length) return section('issues', 'Invalid and stale sidecars', '<p>None: every sidecar reads and fits its article.</p>');
  const items = d.issues
    .map((i) => {
      const what = i.kind === 'invalid' ? `invalid: ${i.errors} error${i.errors === 1 ? '' : 's'}` : 'stale: the article changed since';
      const href = o.mode === 'standalone' ? o.hrefOf?.(i.key) : undefined;
      const link =
        o.mode === 'webview'
          ? `<button type="button" class="link" data-open="${esc(i.key)}">${esc(i.name)}</button>`
          : href !== undefined
            ? `<a href="${esc(href)}">${esc(i.name)}</a>`
            : `<span>${esc(i.name)}</span>`;
      return `<li class="issue-${i.kind}">${link} <span class="muted">(${esc(what)})</span></li>`;
    })
    .join('');
  return section('issues', 'Invalid and stale sidecars', `<p><b data-figure="issues">${d.issues.length}</b> sidecar(s) need attention.</p><ul class="issues">${items}</ul>`);
}

// ---- pieces --------------------------------------------------------------------------------

function section(id: string, heading: string, body: string): string {
  return `<section id="sec-${id}" aria-labelledby="h-${id}"><h2 id="h-${id}">${esc(heading)}</h2>\n${body}\n</section>`;
}

function svg(id: string, title: string, w: number, h: number, content: string): string {
  return `<svg id="chart-${id}" class="chart" role="img" aria-labelledby="t-${id}" viewBox="0 0 ${fmt(w)} ${fmt(Math.max(h, 1))}" width="${fmt(w)}" height="${fmt(Math.max(h, 1))}" preserveAspectRatio="xMinYMin meet"><title id="t-${id}">${esc(title)}</title>${content}</svg>`;
}

function table(id: string, caption: string, head: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const th = head.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${esc(c)}</th>` : `<td>${esc(c)}</td>`)).join('')}</tr>`).join('');
  return `<details class="figures"><summary>Table: ${esc(caption)}</summary><table id="table-${id}"><caption>${esc(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></details>`;
}

/** Label colours as classes (attributes cannot take CSS variables): only #rgb/#rrggbb(aa) colours get through. */
function labelStyles(d: DashboardData): string {
  return d.labels
    .map((l, i) => (l.color !== undefined && /^#(?:[0-9a-fA-F]{3,4}|[0-9a-fA-F]{6}|[0-9a-fA-F]{8})$/.test(l.color) ? `.lc${i}{fill:${l.color}}` : `.lc${i}{fill:var(--ca-bar)}`))
    .join('');
}

function clip(s: string, max: number): string {
  const cps = [...s.replace(/\s+/g, ' ')];
  return cps.length <= max ? cps.join('') : cps.slice(0, max - 1).join('') + '…';
}

function fmt(x: number): string {
  return String(Math.round(x * 10) / 10);
}

function dayNumber(day: string): number {
  return Math.round(Date.parse(`${day}T00:00:00Z`) / 86_400_000);
}

// Colours: VS Code's theme variables in the webview; in a standalone page (no such variables) the
// fallbacks, light or dark as the reader's system prefers. High contrast: outlines on every mark.
const STYLE = `
:root{--ca-fg:var(--vscode-foreground,#1f2328);--ca-bg:var(--vscode-editor-background,#ffffff);--ca-muted:var(--vscode-descriptionForeground,#59636e);--ca-bar:var(--vscode-charts-blue,#3b82f6);--ca-track:var(--vscode-editorWidget-border,#d0d7de);--ca-link:var(--vscode-textLink-foreground,#0969da);--ca-focus:var(--vscode-focusBorder,#0969da);--ca-btn-bg:var(--vscode-button-background,#1f6feb);--ca-btn-fg:var(--vscode-button-foreground,#ffffff);--ca-todo:var(--vscode-charts-red,#cf222e);--ca-progress:var(--vscode-charts-yellow,#bf8700);--ca-done:var(--vscode-charts-blue,#3b82f6);--ca-reviewed:var(--vscode-charts-green,#1a7f37);--ca-font:var(--vscode-font-family,system-ui,-apple-system,"Segoe UI",sans-serif)}
@media (prefers-color-scheme: dark){:root{--ca-fg:var(--vscode-foreground,#e6edf3);--ca-bg:var(--vscode-editor-background,#0d1117);--ca-muted:var(--vscode-descriptionForeground,#9198a1);--ca-bar:var(--vscode-charts-blue,#4493f8);--ca-track:var(--vscode-editorWidget-border,#3d444d);--ca-link:var(--vscode-textLink-foreground,#4493f8);--ca-focus:var(--vscode-focusBorder,#4493f8);--ca-todo:var(--vscode-charts-red,#f85149);--ca-progress:var(--vscode-charts-yellow,#d29922);--ca-done:var(--vscode-charts-blue,#4493f8);--ca-reviewed:var(--vscode-charts-green,#3fb950)}}
body{color:var(--ca-fg);background:var(--ca-bg);font-family:var(--ca-font);font-size:var(--vscode-font-size,14px);margin:0;padding:12px 20px 40px;max-width:1100px}
h1{font-size:1.5em;margin:.3em 0}h2{font-size:1.15em;margin:1.4em 0 .4em}h3{font-size:1em;margin:.6em 0 .2em}
.ca-sub,.muted{color:var(--ca-muted)}.ca-big{font-size:1.1em}
.ca-actions{display:flex;gap:8px;align-items:center;flex-wrap:wrap}
button{font:inherit;color:var(--ca-btn-fg);background:var(--ca-btn-bg);border:1px solid transparent;padding:4px 10px;cursor:pointer}
button.link{color:var(--ca-link);background:none;border:none;padding:0;text-decoration:underline}
a{color:var(--ca-link)}
:focus-visible,button:focus-visible,summary:focus-visible{outline:2px solid var(--ca-focus);outline-offset:2px}
svg.chart{display:block;max-width:100%;height:auto;overflow:visible}
svg text{fill:var(--ca-fg);font-family:var(--ca-font);font-size:12px}svg text.value,svg text.tick{fill:var(--ca-muted)}
.bar{fill:var(--ca-bar)}.track{fill:var(--ca-track)}.heat{fill:var(--ca-bar)}svg text.cell{fill:var(--ca-fg);font-weight:600}
.line{fill:none;stroke:var(--ca-bar);stroke-width:2}.dot{fill:var(--ca-bar)}.axis{stroke:var(--ca-track)}
.st-todo{fill:var(--ca-todo);background:var(--ca-todo)}.st-in-progress{fill:var(--ca-progress);background:var(--ca-progress)}.st-done{fill:var(--ca-done);background:var(--ca-done)}.st-reviewed{fill:var(--ca-reviewed);background:var(--ca-reviewed)}
table.heatmap td{text-align:center;min-width:4.5em;padding:6px 8px;font-variant-numeric:tabular-nums;font-weight:600;vertical-align:middle}
.hm0{background:#eff3ff;color:#1f2328}.hm1{background:#c6dbef;color:#1f2328}.hm2{background:#6baed6;color:#1f2328}.hm3{background:#2171b5;color:#ffffff}.hm4{background:#08306b;color:#ffffff}
table.heatmap td.hm-na,table.heatmap td.hm-self{color:var(--ca-muted);font-weight:400}.swatch.hm-na{border:1px dashed var(--ca-track)}.hm-legend .swatch{outline:1px solid var(--ca-track)}
.hm-sub,.hm-note{display:block;font-weight:400;font-size:.8em}.hm-note{max-width:16em;overflow-wrap:anywhere;font-style:italic}
.hm-grid{display:flex;flex-wrap:wrap;gap:8px 32px;align-items:flex-start}
.sr-only{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
body.vscode-high-contrast .hm,body.vscode-high-contrast-light .hm{background:none;color:inherit}
.legend{list-style:none;display:flex;gap:16px;padding:0;flex-wrap:wrap}.swatch{display:inline-block;width:.8em;height:.8em;margin-right:4px;vertical-align:baseline}
.ca-grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(420px,1fr));gap:8px 24px}
details.figures{margin:.3em 0 .8em}details.figures summary{cursor:pointer;color:var(--ca-muted)}
table{border-collapse:collapse;margin:.4em 0}caption{text-align:left;color:var(--ca-muted)}th,td{border:1px solid var(--ca-track);padding:2px 8px;text-align:left}td{text-align:right}
ul.issues{padding-left:1.2em}
body.vscode-high-contrast svg rect,body.vscode-high-contrast-light svg rect{stroke:var(--vscode-contrastBorder,currentColor);stroke-width:1}
@media (forced-colors: active){svg rect,svg circle{stroke:CanvasText;stroke-width:1}.line{stroke:CanvasText}}
`;
