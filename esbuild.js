// Bundles the extension (loaded by VS Code) and the CLI (run by Node) from src/.
// Type checking is separate (`npm run typecheck`): esbuild only strips types.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the `file:line:col: error: msg` form VS Code's $esbuild-watch problem matcher reads. */
const problemMatcherPlugin = {
  name: 'problem-matcher',
  setup(build) {
    build.onStart(() => { if (watch) console.log('[watch] build started'); });
    build.onEnd((result) => {
      // dist/cli.js is the package's bin: esbuild writes new files 0644, npx needs it executable.
      if (!result.errors.length && build.initialOptions.outfile === 'dist/cli.js') require('fs').chmodSync('dist/cli.js', 0o755);
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      if (watch) console.log('[watch] build finished');
    });
  },
};

/**
 * For the browser bundles: Node-only modules of the extension (`./local-write`, `./local-read`, `./pattern-host`,
 * `./recommender-host`, `./likely-errors-host`, `./dashboard-git`, `./curate-git`) are replaced by
 * their `.web.ts` sibling, which offers the same exports without Node (src/extension/platform.ts).
 */
const webSiblingsPlugin = {
  name: 'web-siblings',
  setup(build) {
    const path = require('path');
    build.onResolve({ filter: /^\.\/(local-write|local-read|pattern-host|recommender-host|likely-errors-host|expected-gain-host|dashboard-git|curate-git|summarise-host)$/ }, (args) => ({ path: path.join(args.resolveDir, `${args.path.slice(2)}.web.ts`) }));
  },
};

const common = {
  bundle: true,
  // The version the CLI prints, fixed at build time: a copy of dist/cli.js run from elsewhere (the
  // git drivers' copy) has no package.json beside it to read.
  define: { CORPUS_ANNOTATOR_VERSION: JSON.stringify(require('./package.json').version) },
  format: 'cjs',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  logLevel: 'silent',
  plugins: [problemMatcherPlugin],
};

const targets = [
  {
    ...common,
    entryPoints: ['src/extension/main.ts'],
    outfile: 'dist/extension.js',
    platform: 'node',
    target: 'node20',
    external: ['vscode'],
  },
  {
    // The same extension for a browser's web worker host (vscode.dev, github.dev): platform
    // 'browser' makes any Node built-in an unresolvable import, so it fails here, not for users.
    ...common,
    entryPoints: ['src/extension/main.ts'],
    outfile: 'dist/web/extension.js',
    platform: 'browser',
    target: 'es2022',
    external: ['vscode'],
    plugins: [problemMatcherPlugin, webSiblingsPlugin],
  },
  {
    // The web suite, run by the web worker host: one self-contained file with mocha's browser build.
    ...common,
    entryPoints: ['test/web/index.ts'],
    outfile: 'out/web-suite.js', // not under out/test: tsc writes its own, unbundled, files there
    platform: 'browser',
    target: 'es2022',
    external: ['vscode'],
    plugins: [problemMatcherPlugin, webSiblingsPlugin],
    minify: false,
  },
  {
    // The extension's Node host runs user patterns on this worker (src/extension/pattern-host.ts).
    ...common,
    entryPoints: ['src/cli/pattern-worker.ts'],
    outfile: 'dist/pattern-worker.js',
    platform: 'node',
    target: 'node20',
  },
  {
    // ...and the browser's web worker host on this Web Worker (src/extension/pattern-host.web.ts).
    ...common,
    entryPoints: ['src/extension/pattern-host-worker.ts'],
    outfile: 'dist/web/pattern-worker.js',
    format: 'iife', // a classic worker script: the host's Worker loads it with importScripts
    platform: 'browser',
    target: 'es2022',
  },
  {
    // The extension's Node host trains the recommender on this worker (src/extension/recommender-host.ts).
    ...common,
    entryPoints: ['src/extension/recommender-worker.ts'],
    outfile: 'dist/recommender-worker.js',
    platform: 'node',
    target: 'node20',
  },
  {
    // ...and the browser's web worker host on this Web Worker, which also looks for likely annotation
    // errors there (src/extension/recommender-host.web.ts, likely-errors-host.web.ts).
    ...common,
    entryPoints: ['src/extension/recommender-web-worker.ts'],
    outfile: 'dist/web/recommender-worker.js',
    format: 'iife', // a classic worker script, as the pattern worker's
    platform: 'browser',
    target: 'es2022',
  },
  {
    // The Node host looks for likely annotation errors on this one (src/extension/likely-errors.ts).
    ...common,
    entryPoints: ['src/extension/likely-errors-worker.ts'],
    outfile: 'dist/likely-errors-worker.js',
    platform: 'node',
    target: 'node20',
  },
  {
    // ...and computes the expected gains of Sort by Expected Gain on this one (src/extension/expected-gain.ts).
    ...common,
    entryPoints: ['src/extension/expected-gain-worker.ts'],
    outfile: 'dist/expected-gain-worker.js',
    platform: 'node',
    target: 'node20',
  },
  {
    // The first pass over a large corpus reads and summarises its sidecars on these (src/extension/summarise-host.ts).
    ...common,
    entryPoints: ['src/extension/summarise-worker.ts'],
    outfile: 'dist/summarise-worker.js',
    platform: 'node',
    target: 'node20',
  },
  {
    ...common,
    entryPoints: ['src/cli/main.ts'],
    outfile: 'dist/cli.js',
    platform: 'node',
    target: 'node20',
    banner: { js: '#!/usr/bin/env node' },
  },
];

async function main() {
  const contexts = await Promise.all(targets.map((t) => esbuild.context(t)));
  if (watch) {
    await Promise.all(contexts.map((c) => c.watch()));
    return;
  }
  let failed = false;
  for (const c of contexts) {
    const result = await c.rebuild().catch(() => ({ errors: [1] }));
    if (result.errors.length) failed = true;
    await c.dispose();
  }
  if (failed) process.exit(1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
