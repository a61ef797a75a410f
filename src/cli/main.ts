// The `corpus-annotator` executable (bundled by esbuild into dist/cli.js with a node shebang).
import { realIo } from './io';
import { run } from './run';

void run(process.argv.slice(2), realIo()).then((code) => {
  process.exitCode = code;
});
