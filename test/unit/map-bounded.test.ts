// mapBounded (src/core/corpus/map-bounded.ts): results in order, never more than `limit` calls in flight,
// a slot freed by a fast call is reused at once, and a failure rejects without starting more calls.
import { strict as assert } from 'node:assert';
import { mapBounded } from '../../src/core/corpus/map-bounded';

/** A promise resolved from outside, to drive the calls' completion order by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void; reject: (e: unknown) => void } {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

const tick = () => new Promise<void>((r) => setImmediate(r));

describe('mapBounded', () => {
  it('returns the results in the order of the items, whatever order the calls end in', async () => {
    const items = [5, 1, 4, 2, 3];
    const gates = items.map(() => deferred<void>());
    const run = mapBounded(items, 2, async (n, i) => {
      await gates[i]?.promise;
      return n * 10;
    });
    for (const i of [1, 0, 3, 2, 4]) {
      gates[i]?.resolve();
      await tick();
    }
    assert.deepEqual(await run, [50, 10, 40, 20, 30]);
  });

  it('keeps at most `limit` calls in flight, and starts the next as soon as one ends (not per batch)', async () => {
    const gates = Array.from({ length: 6 }, () => deferred<void>());
    const started: number[] = [];
    let inFlight = 0;
    let most = 0;
    const run = mapBounded(gates, 3, async (gate, i) => {
      started.push(i);
      most = Math.max(most, ++inFlight);
      await gate.promise;
      inFlight--;
      return i;
    });
    await tick();
    assert.deepEqual(started, [0, 1, 2]);
    gates[1]?.resolve(); // 0 and 2 still running: a batch would wait for them
    await tick();
    assert.deepEqual(started, [0, 1, 2, 3]);
    for (const g of gates) g.resolve();
    assert.deepEqual(await run, [0, 1, 2, 3, 4, 5]);
    assert.equal(most, 3);
  });

  it('rejects with the first failure and starts no call after it', async () => {
    const started: number[] = [];
    const gates = Array.from({ length: 5 }, () => deferred<number>());
    const run = mapBounded(gates, 2, (g, i) => {
      started.push(i);
      return g.promise;
    });
    await tick();
    gates[0]?.reject(new Error('ENOENT: gone'));
    await assert.rejects(run, /ENOENT: gone/);
    gates[1]?.resolve(1);
    await tick();
    assert.deepEqual(started, [0, 1]);
  });

  it('handles no items, fewer items than the limit, and refuses a limit below 1', async () => {
    assert.deepEqual(await mapBounded([], 4, async () => 1), []);
    assert.deepEqual(await mapBounded(['a'], 32, async (s) => s.toUpperCase()), ['A']);
    await assert.rejects(mapBounded([1], 0, async (n) => n), RangeError);
    await assert.rejects(mapBounded([1], Number.NaN, async (n) => n), RangeError);
  });
});
