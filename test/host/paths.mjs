// Where the test host lives. One place for the pinned version and the paths every other
// module in test/host/ shares, so a version bump is a one-line change.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** code-server 4.100.3 ships VS Code 1.100.3 and runs on Node 20; package.json's engines.vscode must stay <= 1.100. */
export const CODE_SERVER_VERSION = '4.100.3';

/** The repository root (this file is test/host/paths.mjs). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Everything the host installs goes under .vscode-test/ (gitignored), never into ~ or /usr. */
export const HOST_DIR = path.join(REPO_ROOT, '.vscode-test');
export const CODE_SERVER_DIR = path.join(HOST_DIR, 'code-server');
export const CODE_SERVER_BIN = path.join(CODE_SERVER_DIR, 'node_modules', '.bin', 'code-server');

/** The demo corpus: copied to a temp dir for tests, opened in place by `npm run demo`. */
export const DEMO_CORPUS = path.join(REPO_ROOT, 'examples', 'corpus');

/** Compiled integration suite entry (tsc: test/integration/index.ts -> out/test/integration/index.js). */
export const INTEGRATION_ENTRY = path.join(REPO_ROOT, 'out', 'test', 'integration', 'index.js');

/** Screenshots and logs written by the e2e tests (gitignored). */
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

/** Debian's Chromium; playwright-core drives it (its own browser downloads are unreachable offline). */
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
