// One session of the host benches (bench/host/*.bench.ts) in code-server's real extension host, on a
// fresh copy of the demo workspace: the suite `env.CORPUS_ANNOTATOR_BENCH` names runs, its
// `bench-json: {…}` lines become `figures` (name → values), every other line of the host's output
// goes to `onLine` (and is not printed).
import path from 'node:path';
import { REPO_ROOT } from '../../test/host/paths.mjs';
import { runInCodeServer } from '../../test/host/run-in-code-server.mjs';
import { freshWorkspace } from '../../test/host/workspace.mjs';

/** @returns {Promise<{ code: number, figures: Record<string, number[]> }>} */
export async function runHostBench({ env, onLine = () => {} }) {
  const figures = {};
  const quiet = console.log;
  console.log = () => {}; // the extension host's output, mirrored by runInCodeServer: parsed, not shown
  let code;
  try {
    code = await runInCodeServer({
      workspace: freshWorkspace(),
      extensionDevelopmentPath: REPO_ROOT,
      extensionTestsPath: path.join(REPO_ROOT, 'out', 'bench', 'host', 'index.js'),
      timeoutMs: 600_000,
      env,
      onConsole: (line) => {
        if (!line.startsWith('bench-json: ')) return onLine(line);
        const f = JSON.parse(line.slice('bench-json: '.length));
        figures[f.name] = f.values;
      },
    });
  } finally {
    console.log = quiet;
  }
  return { code, figures };
}
