// Shared by the integration tests: where the workspace is, the extension's API, and waiting without fixed sleeps.
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CorpusAnnotatorApi } from '../../src/extension/main';

/** publisher.name from package.json */
export const EXTENSION_ID = 'corpus-annotator.corpus-annotator';

/** The workspace the host opened: a fresh copy of examples/corpus. */
export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the test host opens a workspace folder (a copy of examples/corpus)');
  return folder.uri.fsPath;
}

export function articleUri(name: string): vscode.Uri {
  return vscode.Uri.file(path.join(workspaceDir(), name));
}

/** Activates the extension (once; later calls return the same API) and returns its API. */
export async function activateApi(): Promise<CorpusAnnotatorApi> {
  const ext = vscode.extensions.getExtension<CorpusAnnotatorApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is installed`);
  return ext.activate();
}

/**
 * Resolves with `check()`'s first truthy value; re-checks whenever something changes in `dir`
 * (fs.watch) and, as a safety net for missed events, every 200 ms. Fails after `timeoutMs`.
 */
export function waitForFile<T>(
  file: string,
  check: (content: string) => T | undefined,
  { timeoutMs = 15_000, what = file }: { timeoutMs?: number; what?: string } = {},
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let last = '(file does not exist)';
    const probe = (): boolean => {
      let content: string;
      try {
        content = fs.readFileSync(file, 'utf8');
      } catch {
        return false;
      }
      last = content;
      const value = check(content);
      if (value === undefined || value === false || value === null) return false;
      finish();
      resolve(value);
      return true;
    };
    const watcher = fs.watch(path.dirname(file), () => { probe(); });
    const poll = setInterval(probe, 200);
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last content:\n${last}`));
    }, timeoutMs);
    function finish(): void {
      watcher.close();
      clearInterval(poll);
      clearTimeout(timer);
    }
    probe();
  });
}

/** Re-runs `probe` (bounded, 50 ms apart) until it gives a value other than undefined, and resolves with it. */
async function retry<T>(probe: () => Promise<T | undefined>, timeoutMs: number, timeoutMessage: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(timeoutMessage);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls `condition` until true (bounded); for state the API has no event for, e.g. Extension.isActive. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  await retry(async () => (condition() ? true : undefined), timeoutMs, `timed out after ${timeoutMs} ms waiting until ${what}`);
}

/** Polls `probe` until it gives a value other than undefined (bounded); for state read through async calls, e.g. test-only commands. */
export function poll<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  return retry(probe, timeoutMs, `timed out after ${timeoutMs} ms waiting for ${what}`);
}

/**
 * Resolves once `check()` holds: checked at once and after every change the extension reports
 * (`api.onDidChange`), so it waits for an event, never a fixed time. Fails after `timeoutMs`.
 */
export function waitForStore(
  api: { onDidChange: vscode.Event<unknown> },
  check: () => Promise<boolean> | boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      sub.dispose();
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    const probe = async () => {
      try {
        if (!done && (await check())) finish();
      } catch (e) {
        finish(e as Error);
      }
    };
    const sub = api.onDidChange(() => void probe());
    const timer = setTimeout(() => finish(new Error(`timed out after ${timeoutMs} ms waiting until ${what}`)), timeoutMs);
    void probe();
  });
}

/** Waits until the corpus lists (or, with `present` false, no longer lists) an article: the file watcher reports it. */
export async function waitForCorpus(api: { articles(): Promise<vscode.Uri[]> }, uri: vscode.Uri, present = true, timeoutMs = 15_000): Promise<void> {
  const listed = async () => (await api.articles()).some((u) => u.toString() === uri.toString());
  await retry(async () => ((await listed()) === present ? true : undefined), timeoutMs,
    `timed out after ${timeoutMs} ms waiting for ${uri.fsPath} to ${present ? 'join' : 'leave'} the corpus`);
}
