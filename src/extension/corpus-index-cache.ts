// The corpus index kept between sessions (issue 14): a second opening of the same workspace shows
// the sidebar totals from the last session's summaries at once, then reads again only the sidecars
// whose size or mtime changed (and the new ones), instead of every sidecar of the corpus.
// Lives in the extension's workspace storage (`context.storageUri`; without it, the global storage
// under a name derived from the workspace folders), read and written through `workspace.fs` so the
// browser's web worker host does the same. Each save is a new pair of files sharing a generation
// (`corpus-index-<time>-<random>.mentions.jsonl`, then `….counts.jsonl`: see
// core/corpus/corpus-index-snapshot.ts), each written under a temporary name, then renamed to a
// name nobody uses, then the older ones deleted: `workspace.fs.rename` with overwrite deletes the
// target first, so replacing one file would leave a moment, or after a crash a session, without
// any index. The counts file is read first (the totals); the mentions file after, decoded a few ms
// at a time, while the sidecars are stat'ed the same way: the host never stalls on either.
// Derived data: a missing, stale, corrupt or other-version counts file costs one full pass, never
// a wrong total (core/corpus/corpus-index-snapshot.ts rejects it whole); a torn pair or a bad
// mentions line costs reading those documents' sidecars again; a failed save is logged once, never shown.
import * as vscode from 'vscode';
import { DocumentSummary, StringPool } from '../core/corpus/corpus-index';
import { countsSteps, headersFor, MentionsRead, mentionsSteps, ParsedCounts, reusable, serialiseEntry, SidecarStamp, SnapshotEntry } from '../core/corpus/corpus-index-snapshot';
import { sidecarPathOf } from '../core/model/model';
import { mapBounded } from '../core/corpus/map-bounded';
import { sha256Hex } from '../core/model/sha256';
import { coalesce } from './coalesce';
import { listFiles, readBytes, statFile } from './read-file';
import type { CorpusCounts } from './corpus-counts';

/** A counts file (its generation in the name); the mentions file of the same generation is MENTIONS_OF's. */
const NAME = /^corpus-index-([0-9a-z]+-[0-9a-z]+)\.counts\.jsonl$/;
const COUNTS_OF = (generation: string) => `corpus-index-${generation}.counts.jsonl`;
const MENTIONS_OF = (generation: string) => `corpus-index-${generation}.mentions.jsonl`;
/** Any index file, this version's or an older one's (deleted once a newer index is saved). */
const ANY_INDEX = /^corpus-index-([0-9a-z]+-[0-9a-z]+)(?:\.counts|\.mentions)?\.jsonl$/;
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
/** Longest run (ms) of decoding, stat'ing or serialising before yielding to the event loop (a keystroke waits for it). */
const SLICE_MS = 8;

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
  /** The loaded summaries' mentions being read (the documents whose mentions were not found: read again). */
  private mentionsRead: Promise<MentionsRead> | undefined;
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

  /** The counts files, newest first. */
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

  /**
   * The newest usable persisted summaries (undefined: none — the log says why), with their counts
   * only; their mentions are read after (`mentionsReady`).
   */
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
      const parsing = performance.now();
      const parsed = await inSlices(countsSteps(bytes, pool, this.producer), () => this.disposed);
      if (!parsed || 'rejected' in parsed) {
        const why = parsed?.rejected ?? 'closed while reading it';
        this.log.info(`corpus index: ignored ${file.toString(true)} (${why})`);
        this.lastWarmStart = { persisted: 0, reused: 0, stale: 0, rejected: why };
        continue;
      }
      for (const [, e] of parsed.entries) this.stamps.set(e.summary, e.stamp);
      this.onDisk = { file, summaries: new WeakSet([...parsed.entries.values()].map((e) => e.summary)), size: parsed.entries.size };
      this.log.info(`corpus index: ${parsed.entries.size} document summaries loaded from the last session in ${(performance.now() - started).toFixed(0)} ms (${(bytes.length / 1048576).toFixed(1)} MB): listed in ${(listed - started).toFixed(0)} ms, read in ${(parsing - reading).toFixed(0)} ms, counts parsed in ${(performance.now() - parsing).toFixed(0)} ms`);
      this.lastWarmStart = { persisted: parsed.entries.size, reused: 0, stale: 0 };
      this.mentionsRead = this.readMentions(file, parsed, pool);
      return parsed.entries;
    }
    this.log.info('corpus index: none usable from the last session; reading every sidecar');
    return undefined;
  }

  /** Gives the loaded summaries their mentions from the mentions file of their generation, a slice at a time. */
  private async readMentions(countsFile: vscode.Uri, parsed: Exclude<ParsedCounts, { rejected: string }>, pool: StringPool): Promise<MentionsRead> {
    const started = performance.now();
    if (!parsed.withMentions.size) return { missing: [] };
    const file = vscode.Uri.joinPath(countsFile, '..', MENTIONS_OF(NAME.exec(countsFile.path.split('/').pop() ?? '')?.[1] ?? ''));
    let bytes: Uint8Array | undefined;
    try {
      bytes = await readBytes(file);
    } catch (e) {
      this.log.warn(`corpus index: cannot read ${file.toString(true)}: ${message(e)}`);
    }
    const read = (await inSlices(mentionsSteps(bytes, parsed, pool), () => this.disposed)) ?? { missing: [...parsed.withMentions], torn: 'closed while reading it' };
    const size = bytes ? `${(bytes.length / 1048576).toFixed(1)} MB` : 'none';
    this.log.info(`corpus index: mentions of ${parsed.withMentions.size - read.missing.length} of ${parsed.withMentions.size} documents read (${size}) in ${(performance.now() - started).toFixed(0)} ms${read.torn ? `; the mentions file was not used (${read.torn}): those documents' sidecars are read again` : read.missing.length ? `; ${read.missing.length} missing or bad: their sidecars are read again` : ''}`);
    return read;
  }

  /** Resolves once the loaded summaries have their mentions (or it is known which have none: `stale` reads those again). */
  async mentionsReady(): Promise<void> {
    await this.mentionsRead;
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
    // The stats' callbacks are few at a time (STAT_CONCURRENCY), and the mentions are decoded meanwhile in slices.
    const pause = slicer(() => this.disposed);
    const stamps = await mapBounded(check, STAT_CONCURRENCY, async (u) => {
      await pause();
      return this.stamp(u.with({ path: sidecarPathOf(u.path) }));
    });
    // A document whose mentions were not found whole is read again, as one whose sidecar changed.
    const bad = new Set((await this.mentionsRead)?.missing ?? []);
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
      return this.stampOf(await statFile(sidecar));
    } catch (e) {
      return e instanceof vscode.FileSystemError && e.code === 'FileNotFound' ? { absent: true } : undefined;
    }
  }

  /** The stamp to persist for a sidecar read when it had this size and mtime (undefined: too recent to trust). */
  stampOf(st: SidecarStamp): SidecarStamp | undefined {
    if ('absent' in st) return st;
    return Date.now() - st.mtime < RACY_MS ? undefined : { size: st.size, mtime: st.mtime };
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
    // (While worker threads summarise, the pass's end saves: see CorpusCounts.sync.)
    if (!counts || !dir || this.saving !== 'on' || this.disposed || !counts.complete() || counts.summarising) return;
    const started = performance.now();
    if (await this.unchangedOnDisk(counts)) return;
    const countsLines = new EncodedLines();
    const mentionsLines = new EncodedLines();
    const summaries = new WeakSet<DocumentSummary>();
    const pause = slicer(() => this.disposed);
    // (A copy of the list: the slices let changes in meanwhile; a change after it saves again.)
    for (const [key, summary] of [...counts.documents()]) {
      await pause();
      summaries.add(summary);
      // A summary not read from disk (a loaded document's live model) is kept with a stamp no file
      // has: it counts in the next opening's first totals, and that opening reads its sidecar again.
      const lines = serialiseEntry(key, { stamp: this.stamps.get(summary) ?? UNCHECKED, summary });
      // Encoded at once: the mentions of 10,000 documents as strings (36 MB of text, twice that
      // in UTF-16) held until the end of the save took the host past 400 MB.
      countsLines.add(lines.counts);
      if (lines.mentions !== undefined) mentionsLines.add(lines.mentions);
    }
    if (this.disposed) return;
    // Names of its own (time, then random): two saves at once (a test's second index) never meet.
    const generation = `${Date.now().toString(36).padStart(9, '0')}-${Math.random().toString(36).slice(2, 8)}`;
    const headers = headersFor(countsLines.count, mentionsLines.count, this.producer, generation);
    const mentions = await mentionsLines.join(headers.mentions, pause);
    const countsBytes = await countsLines.join(headers.counts, pause);
    if (this.disposed) return;
    // The mentions first: counts without their mentions cost a re-read of those sidecars; mentions without counts are never read.
    const pair = [
      { temp: vscode.Uri.joinPath(dir, `corpus-index-${generation}.m.tmp`), target: vscode.Uri.joinPath(dir, MENTIONS_OF(generation)), bytes: mentions },
      { temp: vscode.Uri.joinPath(dir, `corpus-index-${generation}.c.tmp`), target: vscode.Uri.joinPath(dir, COUNTS_OF(generation)), bytes: countsBytes },
    ];
    const file = vscode.Uri.joinPath(dir, COUNTS_OF(generation));
    let size = 0;
    try {
      await vscode.workspace.fs.createDirectory(dir);
      for (const { temp, target, bytes } of pair) {
        await vscode.workspace.fs.writeFile(temp, bytes);
        await vscode.workspace.fs.rename(temp, target, { overwrite: false });
        size += bytes.length;
      }
      this.log.info(`corpus index: saved ${countsLines.count} document summaries (${(size / 1048576).toFixed(1)} MB) in ${(performance.now() - started).toFixed(0)} ms`);
      this.onDisk = { file, summaries, size: countsLines.count };
    } catch (e) {
      // Derived data: the next session reads the sidecars instead. Not retried (no error loop).
      this.saving = 'failed';
      this.log.warn(`corpus index: cannot save in ${dir.toString(true)}: ${message(e)}; it will not be saved again this session (the sidebar is unaffected)`);
      for (const { temp } of pair) await vscode.workspace.fs.delete(temp).then(undefined, () => undefined);
      return;
    }
    await this.removeOlderThan(generation);
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

  /** Deletes the index files of generations older than `newest` (older versions' too) and temporary files a crashed save left. */
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
      const temp = /^corpus-index-([0-9a-z]+)-[0-9a-z]+(?:\.[mc])?\.tmp$/.exec(name);
      const generation = ANY_INDEX.exec(name)?.[1];
      const old = generation !== undefined && (newest === undefined || generation < newest);
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

/** The next slice of the event loop (a timer: a web worker has no setImmediate). */
const nextSlice = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * A pause to await before each small piece of work: it yields to the event loop once SLICE_MS have
 * passed since the last yield (one shared yield for every caller waiting then), otherwise not at all.
 */
function slicer(stopped: () => boolean): () => Promise<void> {
  let sliceStart = performance.now();
  let yielding: Promise<void> | undefined;
  return async () => {
    if (yielding) return yielding;
    if (performance.now() - sliceStart < SLICE_MS || stopped()) return;
    yielding = nextSlice().then(() => {
      yielding = undefined;
      sliceStart = performance.now();
    });
    return yielding;
  };
}

/** Runs core's steps SLICE_MS at a time, yielding between slices; undefined if stopped meanwhile. */
async function inSlices<T>(steps: Generator<void, T, void>, stopped: () => boolean): Promise<T | undefined> {
  let sliceStart = performance.now();
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    if (performance.now() - sliceStart >= SLICE_MS) {
      await nextSlice();
      if (stopped()) return undefined;
      sliceStart = performance.now();
    }
  }
}

/**
 * A file's lines, each encoded as it comes (UTF-8, with its newline), then joined behind a header
 * as core's serialiseSnapshot writes them, with `pause` between copies: encoding one 40 MB string
 * stalled the host for 400 ms, and the copy of 40 MB, its pages first touched, ~90 ms.
 */
class EncodedLines {
  private readonly encoder = new TextEncoder();
  private parts: Uint8Array[] = [];
  private size = 0;
  count = 0;

  add(line: string): void {
    const part = this.encoder.encode(`${line}\n`);
    this.parts.push(part);
    this.size += part.length;
    this.count++;
  }

  /** The file's bytes; the lines are let go of as they are copied (only the file is left). */
  async join(header: string, pause: () => Promise<void>): Promise<Uint8Array> {
    const head = this.encoder.encode(header);
    const bytes = new Uint8Array(head.length + this.size);
    bytes.set(head, 0);
    let at = head.length;
    const parts = this.parts;
    this.parts = [];
    for (let i = 0; i < parts.length; i++) {
      await pause();
      const part = parts[i] as Uint8Array;
      bytes.set(part, at);
      at += part.length;
      parts[i] = EMPTY;
    }
    return bytes;
  }
}

const EMPTY = new Uint8Array(0);
