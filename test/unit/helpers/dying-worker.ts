// A summarising worker script that dies as a thread killed by the system would: at once, or right
// after sending its counts (the real worker, `real`, does the work until then). Shared by the unit
// tests of summarise-host.ts and the integration tests of the extension's fallback.

export type DyingWhen = 'at once' | 'after the counts';

export function dyingWorkerSource(real: string, when: DyingWhen): string {
  if (when === 'at once') return 'process.exit(3);\n';
  return [
    "const threads = require('node:worker_threads');",
    'const post = threads.parentPort.postMessage.bind(threads.parentPort);',
    "threads.parentPort.postMessage = (m, transfer) => { post(m, transfer); if (m.kind === 'phase-done' && m.phase === 'counts') process.exit(3); };",
    `require(${JSON.stringify(real)});`,
    '',
  ].join('\n');
}
