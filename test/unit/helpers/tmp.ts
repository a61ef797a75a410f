// Scratch directories for tests, removed after the run.
import * as fs from 'node:fs';
import * as fsp from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Scratch directories under the system temp dir, named `corpus-annotator-<name>-…`, all removed
 * after the run (made writable first: some tests leave one read-only). Call at a test file's top
 * level: it registers the `after` hook that removes them.
 */
export function tempDirs(name: string) {
  const prefix = path.join(os.tmpdir(), `corpus-annotator-${name}-`);
  const roots: string[] = [];
  after(async () => {
    for (const root of roots) {
      await fsp.chmod(root, 0o700).catch(() => undefined);
      await fsp.rm(root, { recursive: true, force: true });
    }
  });
  const tmpDir = async (): Promise<string> => {
    const root = await fsp.mkdtemp(prefix);
    roots.push(root);
    return root;
  };
  return {
    /** A new empty directory. */
    tmpDir,
    /** A new empty directory, made synchronously. */
    tmpDirSync(): string {
      const root = fs.mkdtempSync(prefix);
      roots.push(root);
      return root;
    },
    /** A new directory holding `files` (relative path → content), subdirectories created as needed. */
    async makeTree(files: Record<string, string | Uint8Array>): Promise<string> {
      const root = await tmpDir();
      for (const [rel, content] of Object.entries(files)) {
        const abs = path.join(root, rel);
        await fsp.mkdir(path.dirname(abs), { recursive: true });
        await fsp.writeFile(abs, content);
      }
      return root;
    },
  };
}
