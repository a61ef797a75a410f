// Tests never touch examples/corpus itself: each run works on a fresh copy in a temp dir, so
// sidecars written by a test (or left by a crashed one) cannot leak into the repo or the next run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { onShutdown } from './lifecycle.mjs';
import { DEMO_CORPUS } from './paths.mjs';

/**
 * Copies examples/corpus (including dotfiles such as .corpus-annotator.yaml) to a new temp dir,
 * removed when the process exits unless CORPUS_ANNOTATOR_KEEP_STATE is set.
 * @returns {string} the copy's absolute path
 */
export function freshWorkspace() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-annotator-ws-'));
  const workspace = path.join(root, 'corpus');
  fs.cpSync(DEMO_CORPUS, workspace, { recursive: true });
  onShutdown({
    name: `workspace ${workspace}`,
    final: () => { if (!process.env.CORPUS_ANNOTATOR_KEEP_STATE) fs.rmSync(root, { recursive: true, force: true }); },
  });
  return workspace;
}
