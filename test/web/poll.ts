// Waiting for a file the extension writes in the web worker host, where such a write has no event
// of its own: the check is re-run every 100 ms, bounded.

/** Resolves when `check` holds; rejects after `timeoutMs` naming `what`. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
