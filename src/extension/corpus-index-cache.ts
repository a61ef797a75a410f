// The corpus index kept between sessions (issue 14): a second opening of the same workspace shows
// the sidebar totals from the last session's summaries at once, then reads again only the sidecars
// whose size or mtime changed (and the new ones), instead of every sidecar of the corpus.
// Lives in the extension's workspace storage (`context.storageUri`; without it, the global storage
// under a name derived from the workspace folders), read and written through `workspace.fs` so the
// browser's web worker host does the same. Each save is a new file (`corpus-index-<time>.jsonl`,
// written under a temporary name, then renamed to a name nobody uses, then the older ones
// deleted): `workspace.fs.rename` with overwrite deletes the target first, so replacing one file
// would leave a moment, or after a crash a session, without any index. Derived data: a missing, stale, corrupt or
// other-version file costs one full pass, never a wrong total (core/corpus/corpus-index-snapshot.ts
// rejects it whole), and a failed save is logged once, never shown.
import * as vscode from 'vscode';
import { DocumentSummary, StringPool } from '../core/corpus/corpus-index';
import { decodeMentions, parseSnapshot, reusable, serialiseEntry, serialiseSnapshot, SidecarStamp, SnapshotEntry } from '../core/corpus/corpus-index-snapshot';
import { sidecarPathOf } from '../core/model/model';
import { mapBounded } from '../core/corpus/map-bounded';
import { sha256Hex } from '../core/model/sha256';
import { coalesce } from './coalesce';
import { listFiles, readBytes, statFile } from './read-file';
import type { CorpusCounts } from './corpus-counts';

const NAME = /^corpus-index-[0-9a-z]+-[0-9a-z]+\.jsonl$/;
/** A temporary file older than this is a crashed save's (a save takes seconds). */
const STALE_TEMP_MS = 10 * 60_000;
/** Quiet time after the last change before the index is written again. */
const SAVE_DELAY_MS = 5000;
/**
 * A sidecar changed this recently (ms) may change again within the same mtime tick (coarse
 * file-system clocks: 1–2 s) without its stamp changing: its summary is not persisted (git's
 * "racily clean" entries), so the next opening reads it again.
 */
const RACY_MS = 2000;
const UNCHECKED: SidecarStamp = { size: 0, mtime: -1 };
/**
 * Sidecars stat'ed at once while checking the persisted index (Node's fs: its thread pool, 4
 * threads by default, does the work; more in flight only queues there, and holds memory).
 */
const STAT_CONCURRENCY = 32;
/** Persisted documents whose mentions are decoded between two yields to the event loop. */
const DECODE_CHUNK = 100;

/** What the last check of the persisted index found (the log says it too; tests read it). */
export interface WarmStart {
  /** Documents in the persisted index (0: none, or rejected). */
  persisted: number;
  /** Why the file was not used, if it was not. */
  rejected?: string;
  /** Summaries used as they were (their sidecar's stamp unchanged). */
  reused: number;
  /** Documents of the persisted index read again (sidecar changed, deleted, created or unreadable). */
  stale: number;
}

export class CorpusIndexCache implements vscode.Disposable {
  /** How each summary's sidecar looked when it was read (a summary without one is never persisted). */
  private readonly stamps = new WeakMap<DocumentSummary, SidecarStamp>();
  private counts: CorpusCounts | undefined;
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  /** Saves are off after a failure (no error loop; the next session tries again), or while a test holds them. */
  private saving: 'on' | 'failed' | 'held' = 'on';
  private disposed = false;
  /** What the newest index file holds (the one loaded, or the last saved): a save that would write the same is skipped. */
  private onDisk: { file: vscode.Uri; summaries: WeakSet<DocumentSummary>; size: number } | undefined;
  lastWarmStart: WarmStart | undefined;

  /** `dir`: where the index files go (undefined: nowhere; nothing is persisted). */
  constructor(readonly dir: vscode.Uri | undefined, private readonly log: vscode.LogOutputChannel, private readonly producer: string) {}

  /** The cache of this workspace (none without a workspace folder: there is no corpus to remember). */
  static of(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): CorpusIndexCache {
    const folders = vscode.workspace.workspaceFolders ?? [];
    let dir: vscode.Uri | undefined;
    if (context.storageUri) dir = context.storageUri;
    else if (folders.length) {
      const id = sha256Hex(new TextEncoder().encode(folders.map((f) => f.uri.toString()).join('\n'))).slice(0, 16);
      dir = vscode.Uri.joinPath(context.globalStorageUri, 'corpus-index', id);
    }
    return new CorpusIndexCache(dir, log, String(context.extension.packageJSON.version));
  }

  /** Saves after each pass over the corpus and, debounced, after changes. */
  attach(counts: CorpusCounts): this {
    this.counts = counts;
    this.disposables.push(
      counts.onDidFinishPass(() => this.schedule(0)),
      counts.onDidChange(() => this.schedule(SAVE_DELAY_MS)),
    );
    return this;
  }

  // ---- reading -------------------------------------------------------------------------------

  /** The index files, newest first. */
  async files(): Promise<vscode.Uri[]> {
    if (!this.dir) return [];
    const dir = this.dir;
    if (!(await exists(dir))) return [];
    try {
      const names = (await listFiles(dir)).filter((name) => NAME.test(name));
      return names.sort().reverse().map((name) => vscode.Uri.joinPath(dir, name));
    } catch {
      return []; // no directory yet
    }
  }

  /** The newest usable persisted summaries (undefined: none — the log says why). */
  async load(pool: StringPool): Promise<Map<string, SnapshotEntry> | undefined> {
    const started = performance.now();
    this.lastWarmStart = { persisted: 0, reused: 0, stale: 0, rejected: 'no file' };
    // An older file is used if the newest is unusable: each summary is checked against its sidecar anyway.
    const files = await this.files();
    const listed = performance.now();
    for (const file of files) {
      const reading = performance.now();
      let bytes: Uint8Array = new Uint8Array(0);
      try {
        bytes = await readBytes(file);
      } catch (e) {
        this.log.warn(`corpus index: cannot read ${file.toString(true)}: ${message(e)}`);
      }
      const size = bytes.length;
      const parsing = performance.now();
      // (Bytes, not text: only the counts are decoded before the totals.)
      const parsed = parseSnapshot(bytes, pool, this.producer);
      if ('rejected' in parsed) {
        this.log.info(`corpus index: ignored ${file.toString(true)} (${parsed.rejected})`);
        this.lastWarmStart = { persisted: 0, reused: 0, stale: 0, rejected: parsed.rejected };
        continue;
      }
      for (const [, e] of parsed.entries) this.stamps.set(e.summary, e.stamp);
      this.onDisk = { file, summaries: new WeakSet([...parsed.entries.values()].map((e) => e.summary)), size: parsed.entries.size };
      this.log.info(`corpus index: ${parsed.entries.size} document summaries loaded from the last session in ${(performance.now() - started).toFixed(0)} ms (${(size / 1048576).toFixed(1)} MB): listed in ${(listed - started).toFixed(0)} ms, read in ${(parsing - reading).toFixed(0)} ms, counts parsed in ${(performance.now() - parsing).toFixed(0)} ms`);
      this.lastWarmStart = { persisted: parsed.entries.size, reused: 0, stale: 0 };
      return parsed.entries;
    }
    this.log.info('corpus index: none usable from the last session; reading every sidecar');
    return undefined;
  }

  /**
   * The persisted documents to read again: among `articles`, those whose summary is still the
   * persisted one (`current`: not replaced meanwhile by an event or the store) and whose sidecar's
   * stamp changed since (touched, edited, deleted, created, or not stat-able).
   */
  async stale(entries: ReadonlyMap<string, SnapshotEntry>, articles: readonly vscode.Uri[], current: (key: string) => DocumentSummary | undefined): Promise<Set<string>> {
    const started = performance.now();
    const check = articles.filter((u) => {
      const e = entries.get(u.toString());
      return e !== undefined && current(u.toString()) === e.summary;
    });
    // (stamp() never rejects: a sidecar that cannot be stat'ed has no stamp, so it is read again.)
    const stats = mapBounded(check, STAT_CONCURRENCY, (u) => this.stamp(u.with({ path: sidecarPathOf(u.path) })));
    // Meanwhile (between the stats' callbacks), the mentions the totals did not need: a document
    // whose mentions are bad is read again, as one whose sidecar changed.
    const bad = new Set<string>();
    for (let i = 0; i < check.length && !this.disposed; i += DECODE_CHUNK) {
      for (const u of check.slice(i, i + DECODE_CHUNK)) {
        const e = entries.get(u.toString());
        if (e && !decodeMentions(e.summary)) bad.add(u.toString());
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    const stamps = await stats;
    const now = new Map<string, SidecarStamp | undefined>();
    check.forEach((u, k) => now.set(u.toString(), bad.has(u.toString()) ? undefined : stamps[k]));
    const { fresh, stale } = reusable(entries, now);
    this.lastWarmStart = { persisted: entries.size, reused: fresh.size, stale: stale.length };
    this.log.info(`corpus index: ${fresh.size} of ${entries.size} persisted summaries still match their sidecar (${stale.length} to read again${bad.size ? `, ${bad.size} for bad mentions` : ''}), checked in ${(performance.now() - started).toFixed(0)} ms`);
    return new Set(stale);
  }

  /**
   * The sidecar's stamp now (`absent`: it does not exist), taken before reading it: a change after
   * the stat then shows as a different stamp next time. Undefined when it cannot be trusted.
   */
  async stamp(sidecar: vscode.Uri): Promise<SidecarStamp | undefined> {
    try {
      const st = await statFile(sidecar);
      return Date.now() - st.mtime < RACY_MS ? undefined : { size: st.size, mtime: st.mtime };
    } catch (e) {
      return e instanceof vscode.FileSystemError && e.code === 'FileNotFound' ? { absent: true } : undefined;
    }
  }

  /** Records how the sidecar looked when `summary` was read from it (undefined: not persisted). */
  remember(summary: DocumentSummary, stamp: SidecarStamp | undefined): void {
    if (stamp) this.stamps.set(summary, stamp);
  }

  // ---- writing -------------------------------------------------------------------------------

  private schedule(delayMs: number): void {
    if (this.saving !== 'on' || !this.dir || this.disposed) return;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, delayMs);
  }

  /** Writes the summaries read from disk, once the index covers the corpus, as a new file; then deletes the older ones. */
  readonly save = coalesce(async () => {
    const counts = this.counts;
    const dir = this.dir;
    // (Disposed: a save queued behind a running one must not write after its owner is gone.)
    if (!counts || !dir || this.saving !== 'on' || this.disposed || !counts.complete()) return;
    const started = performance.now();
    if (await this.unchangedOnDisk(counts)) return;
    const lines: string[] = [];
    const summaries = new WeakSet<DocumentSummary>();
    for (const [key, summary] of counts.documents()) {
      summaries.add(summary);
      // A summary not read from disk (a loaded document's live model) is kept with a stamp no file
      // has: it counts in the next opening's first totals, and that opening reads its sidecar again.
      lines.push(serialiseEntry(key, { stamp: this.stamps.get(summary) ?? UNCHECKED, summary }));
    }
    const bytes = new TextEncoder().encode(serialiseSnapshot(lines, this.producer));
    // Names of its own (time, then random): two saves at once (a test's second index) never meet.
    const base = `corpus-index-${Date.now().toString(36).padStart(9, '0')}-${Math.random().toString(36).slice(2, 8)}`;
    const temp = vscode.Uri.joinPath(dir, `${base}.tmp`);
    const file = vscode.Uri.joinPath(dir, `${base}.jsonl`);
    try {
      await vscode.workspace.fs.createDirectory(dir);
      await vscode.workspace.fs.writeFile(temp, bytes);
      await vscode.workspace.fs.rename(temp, file, { overwrite: false });
      this.log.info(`corpus index: saved ${lines.length} document summaries (${(bytes.length / 1048576).toFixed(1)} MB) in ${(performance.now() - started).toFixed(0)} ms`);
      this.onDisk = { file, summaries, size: lines.length };
    } catch (e) {
      // Derived data: the next session reads the sidecars instead. Not retried (no error loop).
      this.saving = 'failed';
      this.log.warn(`corpus index: cannot save in ${dir.toString(true)}: ${message(e)}; it will not be saved again this session (the sidebar is unaffected)`);
      await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
      return;
    }
    await this.removeOlderThan(file.path);
  });

  /**
   * Whether the newest index file already holds exactly these summaries (each the very object read
   * from it or saved in it: a document read again, or from the store, is a new one): a second
   * opening where nothing changed then rewrites nothing.
   */
  private async unchangedOnDisk(counts: CorpusCounts): Promise<boolean> {
    const written = this.onDisk;
    if (!written) return false;
    let size = 0;
    for (const [, summary] of counts.documents()) {
      if (!written.summaries.has(summary)) return false;
      size++;
    }
    return size === written.size && (await this.files())[0]?.toString() === written.file.toString();
  }

  /** Deletes the index files older than `newest` and temporary files a crashed save left. */
  private async removeOlderThan(newest: string | undefined): Promise<void> {
    if (!this.dir || !(await exists(this.dir))) return;
    let names: string[];
    try {
      names = await listFiles(this.dir);
    } catch {
      return;
    }
    for (const name of names) {
      const uri = vscode.Uri.joinPath(this.dir, name);
      const temp = /^corpus-index-([0-9a-z]+)-[0-9a-z]+\.tmp$/.exec(name);
      const old = NAME.test(name) && (newest === undefined || uri.path < newest);
      if (old || (temp && Date.now() - parseInt(temp[1] as string, 36) > STALE_TEMP_MS)) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
  }

  /** Forgets the persisted index (Rebuild Corpus Index): the pass that follows saves a new one. */
  async clear(): Promise<void> {
    await this.removeOlderThan(undefined);
    if (this.saving === 'failed') this.saving = 'on';
  }

  /** TEST-ONLY: stops (true) or resumes saving, as if VS Code were closed while files change. */
  hold(held: boolean): void {
    if (held) {
      this.saving = 'held';
      if (this.saveTimer) clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    } else if (this.saving === 'held') this.saving = 'on';
  }

  dispose(): void {
    this.disposed = true;
    if (this.saveTimer) clearTimeout(this.saveTimer);
    for (const d of this.disposables) d.dispose();
  }
}

/**
 * Whether the storage directory is there yet: before the first save it is not, and VS Code's
 * readDirectory logs a warning for that ("readdir with filetypes failed ... ENOENT"); a stat fails quietly.
 */
async function exists(dir: vscode.Uri): Promise<boolean> {
  return statFile(dir).then(() => true, () => false);
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
