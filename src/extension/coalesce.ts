// A whole-corpus pass (list the sidecars, summarise the new articles) asked for on every change of
// the article list: a checkout that adds a thousand articles asks a thousand times in a burst.

/**
 * `run`, made cheap to ask for often: one run at a time; asking while one runs schedules a single
 * further run after it, shared by every ask meanwhile. So each ask is still followed by a whole run
 * that started after it (nothing it should see is missed), without a run per ask.
 */
export function coalesce(run: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const start = (): Promise<void> => {
    const p = run().finally(() => {
      if (running === p) running = undefined;
    });
    running = p;
    return p;
  };
  return () => {
    // A run queued but not started yet (the last one just ended) serves this ask too.
    if (queued) return queued;
    if (!running) return start();
    queued = running.catch(() => undefined).then(() => {
      queued = undefined;
      return start();
    });
    return queued;
  };
}
