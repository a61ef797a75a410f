// The dashboard page's one script (core/dashboard/dashboard-html.ts puts it inline: with the webview's nonce,
// or in the standalone page). In the webview its buttons ask the extension (copy to the clipboard,
// save dialog, open a sidecar) and it swaps in new figures the extension sends; in a standalone
// page it copies and downloads the figures the page holds. Plain ES2020, no markup inside.
export const DASHBOARD_SCRIPT = String.raw`
(function () {
  'use strict';
  var vscode = typeof acquireVsCodeApi === 'function' ? acquireVsCodeApi() : undefined;
  var status = document.getElementById('ca-status');
  function say(text) { if (status) status.textContent = text; }
  function pageText(id) { var el = document.getElementById(id); return el ? el.value : ''; }
  function copyHere(text) {
    if (navigator.clipboard && navigator.clipboard.writeText) {
      return navigator.clipboard.writeText(text).then(function () { say('Copied as Markdown.'); }, function () { copyBySelection(text); });
    }
    copyBySelection(text);
  }
  function copyBySelection(text) {
    var area = document.createElement('textarea');
    area.value = text;
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    area.remove();
    say(ok ? 'Copied as Markdown.' : 'Copying is not allowed here: the Markdown is in the page source.');
  }
  function download(text, name) {
    var url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    var a = document.createElement('a');
    a.href = url;
    a.download = name;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 0);
    say('Saved ' + name + '.');
  }
  document.addEventListener('click', function (event) {
    var target = event.target instanceof Element ? event.target.closest('[data-action],[data-open]') : null;
    if (!target) return;
    var action = target.getAttribute('data-action');
    var open = target.getAttribute('data-open');
    if (open !== null) {
      event.preventDefault();
      if (vscode) vscode.postMessage({ type: 'open', key: open });
      return;
    }
    if (action === 'copy-markdown') {
      if (vscode) vscode.postMessage({ type: 'copyMarkdown' });
      else copyHere(pageText('ca-markdown'));
    } else if (action === 'configure-agreement') {
      if (vscode) vscode.postMessage({ type: 'configureAgreement' });
    } else if (action === 'export-csv') {
      if (vscode) vscode.postMessage({ type: 'exportCsv' });
      else download(pageText('ca-csv'), 'corpus-dashboard.csv');
    }
  });
  window.addEventListener('message', function (event) {
    var m = event.data;
    if (!vscode || !m || typeof m !== 'object') return;
    if (m.type === 'update' && typeof m.html === 'string') {
      var main = document.getElementById('ca-dashboard');
      if (!main) return;
      // Keep the keyboard focus on the same control across the update when it is still there.
      var focused = document.activeElement && document.activeElement.id;
      var open = Array.prototype.map.call(main.querySelectorAll('details[open] table'), function (t) { return t.id; });
      main.innerHTML = m.html;
      open.forEach(function (id) { var t = document.getElementById(id); if (t && t.parentElement) t.parentElement.setAttribute('open', ''); });
      if (focused) { var again = document.getElementById(focused); if (again) again.focus(); }
      document.body.setAttribute('data-version', String(m.version));
    } else if (m.type === 'status' && typeof m.text === 'string') {
      say(m.text);
    }
  });
  if (vscode) vscode.postMessage({ type: 'ready' });
})();
`;
