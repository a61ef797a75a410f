// File discovery shared by the subcommands: which sidecars (and articles) the paths on the
// command line designate, how to name them in messages, which label configuration applies to
// each, and the one way the CLI ever rewrites a file (atomically, keeping its permissions).
import * as path from 'node:path';
import { CONFIG_FILE, DEFAULT_CONFIG, LabelConfig, readConfig } from '../core/config/config';
import { matchesGlobs } from '../core/config/glob';
import { cmp, isSidecarPath, sidecarPathOf, SIDECAR_SUFFIX } from '../core/model/model';
import { Problem } from '../core/model/problems';
import { assertRewritableSidecar } from './corpus-root';
import { isWriteScratchName, tempPathFor } from '../core/sidecar/write-scratch';
import { describeFsError, errorCode, Io } from './io';
import { withSidecarLock } from './sidecar-lock';

/** Directories never searched (their contents are not the user's corpus). */
export const SKIPPED_DIRS: ReadonlySet<string> = new Set(['node_modules', '.git']);

/** A directory named on the command line (or a named file's directory), and how the user wrote it. */
export interface Anchor {
  abs: string;
  display: string;
}

export interface Target {
  abs: string;
  /** The path as the user gave it, or joined to what they gave. */
  display: string;
  anchor: Anchor;
  /** Named on the command line rather than found in a directory. */
  explicit: boolean;
}

export interface ConfigEntry {
  /** The configuration file; undefined when none was found and the defaults apply. */
  abs?: string;
  display?: string;
  config: LabelConfig;
  problems: Problem[];
}

export interface Discovery {
  sidecars: Target[];
  /** Article candidates (only when asked for): files matching the configuration's `articles` globs. */
  articles: Target[];
  /** Paths that could not be used (missing, unreadable directory…); each makes the command fail. */
  errors: PathError[];
  /** Remarks that do not make the command fail. */
  notes: string[];
  /** Locks and temporary files of sidecar writes found in the directories searched (src/core/sidecar/write-scratch.ts). */
  scratch: Target[];
}

export interface PathError {
  path: string;
  message: string;
}

export function formatPathError(e: PathError): string {
  return `${e.path}: error: ${e.message}`;
}

export class Workspace {
  private readonly configsByDir = new Map<string, Promise<ConfigEntry | undefined>>();
  private readonly defaultEntry: ConfigEntry = { config: DEFAULT_CONFIG, problems: [] };

  constructor(readonly io: Io) {}

  resolve(p: string): string {
    return path.resolve(this.io.cwd, p);
  }

  /** How to name `abs` in a message: under `anchor` as the user wrote it, else relative to the working directory. */
  displayOf(abs: string, anchor: Anchor): string {
    const rel = path.relative(anchor.abs, abs);
    if (rel === '') return anchor.display;
    if (!isOutside(rel)) return path.join(anchor.display, rel);
    if (path.isAbsolute(anchor.display)) return abs;
    return path.relative(this.io.cwd, abs) || '.';
  }

  /**
   * The label configuration of a file: `.corpus-annotator.yaml` in its directory or the nearest
   * ancestor (up to the filesystem root), else the built-in default.
   */
  async configFor(fileAbs: string, anchor: Anchor): Promise<ConfigEntry> {
    return (await this.configIn(path.dirname(fileAbs), anchor)) ?? this.defaultEntry;
  }

  private configIn(dir: string, anchor: Anchor): Promise<ConfigEntry | undefined> {
    let found = this.configsByDir.get(dir);
    if (!found) {
      found = this.loadConfig(dir, anchor);
      this.configsByDir.set(dir, found);
    }
    return found;
  }

  private async loadConfig(dir: string, anchor: Anchor): Promise<ConfigEntry | undefined> {
    const abs = path.join(dir, CONFIG_FILE);
    let bytes: Uint8Array;
    try {
      bytes = await this.io.fs.readFile(abs);
    } catch (e) {
      const code = errorCode(e);
      if (code === 'ENOENT' || code === 'ENOTDIR') {
        const parent = path.dirname(dir);
        return parent === dir ? undefined : this.configIn(parent, anchor);
      }
      return {
        abs, display: this.displayOf(abs, anchor), config: DEFAULT_CONFIG,
        problems: [{ severity: 'error', code: 'io-error', line: 1, column: 1, message: `cannot read this label configuration: ${describeFsError(e)}; using the default labels` }],
      };
    }
    const text = decodeUtf8(bytes);
    if (text === undefined) {
      return {
        abs, display: this.displayOf(abs, anchor), config: DEFAULT_CONFIG,
        problems: [{ severity: 'error', code: 'encoding', line: 1, column: 1, message: 'this label configuration is not valid UTF-8; re-save it as UTF-8' }],
      };
    }
    const { config, problems } = readConfig(text);
    return { abs, display: this.displayOf(abs, anchor), config, problems };
  }

  /**
   * The sidecars (and, with `articles`, the article candidates) that `args` designate: files as
   * given, directories searched recursively (skipping node_modules and .git, and files the
   * configuration's `exclude` globs match). Sorted by path within each directory, without duplicates.
   */
  async discover(args: readonly string[], opts: { articles?: boolean } = {}): Promise<Discovery> {
    const out: Discovery = { sidecars: [], articles: [], errors: [], notes: [], scratch: [] };
    const seen = new Set<string>();
    const add = (list: Target[], t: Target) => {
      if (seen.has(t.abs)) return;
      seen.add(t.abs);
      list.push(t);
    };
    for (const arg of args.length ? args : ['.']) {
      const abs = this.resolve(arg);
      let stats;
      try {
        stats = await this.io.fs.stat(abs);
      } catch (e) {
        out.errors.push({ path: arg, message: describeFsError(e) });
        continue;
      }
      if (stats.isDirectory()) {
        const anchor = { abs, display: arg };
        const found = await this.walk(anchor, out.errors);
        out.scratch.push(...found.scratch);
        for (const t of found.sidecars) {
          if (!(await this.excluded(t))) add(out.sidecars, t);
        }
        if (opts.articles) {
          for (const t of found.others) {
            if (await this.isArticle(t)) add(out.articles, t);
          }
        }
        continue;
      }
      if (!stats.isFile()) {
        out.errors.push({ path: arg, message: 'not a file or a directory' });
        continue;
      }
      const anchor = { abs: path.dirname(abs), display: path.dirname(arg) };
      if (isSidecarPath(abs)) {
        add(out.sidecars, { abs, display: arg, anchor, explicit: true });
        continue;
      }
      // An article (or any other file) named on the command line stands for its sidecar.
      const sidecarAbs = sidecarPathOf(abs);
      const hasSidecar = await this.isFile(sidecarAbs);
      if (hasSidecar) add(out.sidecars, { abs: sidecarAbs, display: sidecarPathOf(arg), anchor, explicit: true });
      if (opts.articles) add(out.articles, { abs, display: arg, anchor, explicit: true });
      else if (!hasSidecar) out.notes.push(`${arg}: not a sidecar (*${SIDECAR_SUFFIX}) and it has none; nothing to check`);
    }
    return out;
  }

  private async walk(anchor: Anchor, errors: PathError[]): Promise<{ sidecars: Target[]; others: Target[]; scratch: Target[] }> {
    const sidecars: Target[] = [];
    const others: Target[] = [];
    const scratch: Target[] = [];
    const visited = new Set<string>();
    const visit = async (dir: string): Promise<void> => {
      let real: string;
      let entries;
      try {
        real = await this.io.fs.realpath(dir);
        if (visited.has(real)) return; // a symbolic link loop
        visited.add(real);
        entries = await this.io.fs.readdir(dir, { withFileTypes: true });
      } catch (e) {
        errors.push({ path: this.displayOf(dir, anchor), message: `cannot read this directory: ${describeFsError(e)}` });
        return;
      }
      entries.sort((a, b) => cmp(a.name, b.name));
      for (const entry of entries) {
        const abs = path.join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          try {
            const s = await this.io.fs.stat(abs);
            isDir = s.isDirectory();
            isFile = s.isFile();
          } catch {
            isDir = isFile = false; // a dangling link: nothing to check
          }
        }
        if (isDir) {
          if (!SKIPPED_DIRS.has(entry.name)) await visit(abs);
        } else if (isFile) {
          const t: Target = { abs, display: this.displayOf(abs, anchor), anchor, explicit: false };
          // A lock or temporary file of a sidecar write is never an article, whatever the globs say.
          (isSidecarPath(entry.name) ? sidecars : isWriteScratchName(entry.name) ? scratch : others).push(t);
        }
      }
    };
    await visit(anchor.abs);
    return { sidecars, others, scratch };
  }

  /** The configuration's globs are relative to its directory (the directory searched when there is none). */
  private async relativeToConfig(t: Target): Promise<{ rel: string; config: LabelConfig } | undefined> {
    const entry = await this.configFor(t.abs, t.anchor);
    const base = entry.abs ? path.dirname(entry.abs) : t.anchor.abs;
    const rel = path.relative(base, t.abs);
    if (isOutside(rel)) return undefined;
    return { rel: rel.split(path.sep).join('/'), config: entry.config };
  }

  private async excluded(t: Target): Promise<boolean> {
    const r = await this.relativeToConfig(t);
    return r !== undefined && matchesGlobs(r.rel, r.config.exclude);
  }

  private async isArticle(t: Target): Promise<boolean> {
    if (path.basename(t.abs) === CONFIG_FILE) return false;
    const r = await this.relativeToConfig(t);
    return r !== undefined && matchesGlobs(r.rel, r.config.articles, r.config.exclude);
  }

  async isFile(abs: string): Promise<boolean> {
    try {
      return (await this.io.fs.stat(abs)).isFile();
    } catch {
      return false;
    }
  }
}

export function isOutside(rel: string): boolean {
  return rel === '..' || rel.startsWith('..' + path.sep) || path.isAbsolute(rel);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Strict UTF-8 decoding (a leading BOM is dropped); undefined when the bytes are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Replaces a file's content without a moment where it is half-written: writes a temporary file
 * in the same directory (same permissions), flushes it to disk, then renames it over the
 * original. A symbolic link is followed, so the link stays a link. `stillIs` is checked just
 * before the rename: when the file changed on disk since it was read, nothing is replaced.
 */
export async function writeFileAtomic(io: Io, abs: string, text: string, stillIs: (current: Uint8Array) => boolean): Promise<'written' | 'changed'> {
  await assertRewritableSidecar(io, abs);
  const real = await io.fs.realpath(abs);
  const { mode } = await io.fs.stat(real);
  return renameIntoPlace(io, real, text, 0o600, async (tmp) => {
    await io.fs.chmod(tmp, mode & 0o7777);
    return stillIs(await io.fs.readFile(real)) ? undefined : 'changed';
  });
}

/** Creates a file whole: a temporary file beside it, flushed, then renamed (unless the file appeared meanwhile). */
export async function createFileAtomic(io: Io, abs: string, text: string | Uint8Array): Promise<'written' | 'exists'> {
  return renameIntoPlace(io, abs, text, 0o666, async () => ((await io.fs.stat(abs).then(() => true, () => false)) ? 'exists' : undefined));
}

/**
 * The part both share: `text` written to a new temporary file beside `target` (created with
 * `mode`) and flushed, then `beforeRename` (a last check; a reason to give up, or undefined),
 * then the rename over `target`. The temporary file never stays behind.
 */
async function renameIntoPlace<R extends string>(io: Io, target: string, text: string | Uint8Array, mode: number, beforeRename: (tmp: string) => Promise<R | undefined>): Promise<'written' | R> {
  // A sidecar's last check and rename happen under its lock (src/cli/sidecar-lock.ts): another
  // writer's check cannot pass between them.
  if (isSidecarPath(target)) return withSidecarLock(io.fs, target, () => renameIntoPlaceUnlocked(io, target, text, mode, beforeRename));
  return renameIntoPlaceUnlocked(io, target, text, mode, beforeRename);
}

async function renameIntoPlaceUnlocked<R extends string>(io: Io, target: string, text: string | Uint8Array, mode: number, beforeRename: (tmp: string) => Promise<R | undefined>): Promise<'written' | R> {
  const tmp = tempPathBeside(target);
  const handle = await io.fs.open(tmp, 'wx', mode);
  let renamed = false;
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    const refusal = await beforeRename(tmp);
    if (refusal !== undefined) return refusal;
    await io.fs.rename(tmp, target);
    renamed = true;
    return 'written';
  } finally {
    if (!renamed) await io.fs.unlink(tmp).catch(() => undefined);
  }
}

/** A fresh temporary file name beside `abs` (same directory, so a rename over `abs` is atomic). */
export function tempPathBeside(abs: string): string {
  // Named with our pid so that one left by a killed writer is recognised (src/core/sidecar/write-scratch.ts).
  return tempPathFor(abs, process.pid);
}

/**
 * Rewrites a sidecar a command read as `original` (fmt, reanchor, suggest): refused when it is
 * read-only (the rename would replace it anyway) or when it changed on disk since it was read.
 */
export async function rewriteSidecar(io: Io, abs: string, text: string, original: Uint8Array): Promise<'written' | 'read-only' | 'changed'> {
  const { mode } = await io.fs.stat(abs);
  if ((mode & 0o222) === 0) return 'read-only';
  return writeFileAtomic(io, abs, text, (current) => Buffer.from(current).equals(original));
}
