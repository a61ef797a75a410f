// The `corpus-annotator` executable (bundled by esbuild into dist/cli.js with a node shebang).
import { isMainThread } from 'node:worker_threads';
import { realIo } from './io';
import { run } from './run';

// On a worker thread this file is the pattern runner's worker (src/cli/pattern-runner.ts), not the CLI.
if (isMainThread) {
  void run(process.argv.slice(2), realIo()).then((code) => {
    process.exitCode = code;
  });
}
