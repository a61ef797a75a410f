// The command-line tool in tests: run in-process, capturing its output, or as the built executable.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { CliFs, Io } from '../../../src/cli/io';
import { run } from '../../../src/cli/run';
import { REPO_ROOT } from './corpus';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** `corpus-annotator <argv>` in `cwd`; `fsImpl` replaces the file system (to inject failures). */
export async function cli(argv: string[], cwd: string, fsImpl: CliFs = fsp): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const io: Io = { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), cwd, fs: fsImpl };
  const code = await run(argv, io);
  return { code, stdout, stderr };
}

/** The bundled executable, what `npm run build` makes. */
export const CLI_BIN = path.join(REPO_ROOT, 'dist', 'cli.js');

/** Rebuilds the bundles (`node esbuild.js`) when a source under src/ is newer than dist/cli.js. */
export function buildCliIfStale(): void {
  const sources = fs.readdirSync(path.join(REPO_ROOT, 'src'), { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile() && d.name.endsWith('.ts'))
    .map((d) => path.join(d.parentPath, d.name));
  const newest = Math.max(...sources.map((f) => fs.statSync(f).mtimeMs));
  if (!fs.existsSync(CLI_BIN) || fs.statSync(CLI_BIN).mtimeMs < newest) {
    execFileSync(process.execPath, ['esbuild.js'], { cwd: REPO_ROOT, stdio: 'pipe' });
  }
}
