// The two checks every extension worker script gets: terminating stops it mid-work, and a thread
// started without its role (a stray import of the script) does nothing.
import { strict as assert } from 'node:assert';
import { Worker } from 'node:worker_threads';

/** Starts `script`, waits for a message `started` accepts, terminates it and checks it did not finish. */
export async function assertTerminatesMidWork<M>(script: string, workerData: unknown, started: (m: M) => boolean): Promise<void> {
  const worker = new Worker(script, { workerData });
  const first = await new Promise<M>((resolve, reject) => {
    worker.on('message', (m: M) => { if (started(m)) resolve(m); });
    worker.on('error', reject);
  });
  assert.ok(started(first));
  const exit = new Promise<number>((resolve) => worker.on('exit', resolve));
  await worker.terminate();
  assert.equal(await exit, 1, 'terminated, not finished');
}

/** Starts `script` without a role: it must exit cleanly without a message. */
export async function assertStrayStartDoesNothing(script: string): Promise<void> {
  const worker = new Worker(script, { workerData: { root: '/nonexistent' } });
  const messages: unknown[] = [];
  worker.on('message', (m) => messages.push(m));
  assert.equal(await new Promise<number>((resolve) => worker.on('exit', resolve)), 0);
  assert.deepEqual(messages, []);
}
