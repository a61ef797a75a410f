// Many asynchronous calls (file stats, reads) with at most `limit` in flight at once: a slow call
// holds one slot, not a whole batch (batches of Promise.all each wait for their slowest call).

/** `fn` over `items`, at most `limit` running at once; the results in the items' order. Rejects on the first failure. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  if (!(limit >= 1)) throw new RangeError(`mapBounded: the limit must be at least 1 (got ${limit})`);
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < items.length) {
      const i = next++;
      try {
        results[i] = await fn(items[i] as T, i);
      } catch (e) {
        failed = true;
        throw e;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.floor(limit), items.length) }, worker));
  return results;
}
