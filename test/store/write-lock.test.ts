/**
 * The write lock shared by the relay's two threads: a thread that wants to write waits exactly
 * until the other releases the lock, and gives up with SQLITE_BUSY (the store then answers 503)
 * when it is held too long.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { WriteLock } from '../../src/store/index.js';

/**
 * A thread that takes the lock (as WriteLock does: its thread id + 1 in the cell), says so, holds
 * it `ms`, then releases it, or, with `release: false`, ends still holding it.
 */
async function holdInThread(lock: WriteLock, ms: number, release = true): Promise<Worker> {
  const worker = new Worker(
    `const { parentPort, workerData, threadId } = require('node:worker_threads');
     const cell = new Int32Array(workerData.shared);
     Atomics.compareExchange(cell, 0, 0, threadId + 1);
     parentPort.postMessage('held');
     Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.ms);
     if (workerData.release) { Atomics.store(cell, 0, 0); Atomics.notify(cell, 0, 1); }`,
    { eval: true, workerData: { shared: lock.shared, ms, release } },
  );
  await new Promise((resolve) => worker.once('message', resolve));
  return worker;
}

describe('WriteLock', () => {
  it('makes a writer wait until the other thread releases the lock', async () => {
    const lock = WriteLock.create();
    await holdInThread(lock, 150);
    const before = Date.now();
    const result = new WriteLock(lock.shared).hold(() => 'written');
    expect(result).toBe('written');
    expect(Date.now() - before).toBeGreaterThanOrEqual(100);
    // released again: the next writer does not wait
    const again = Date.now();
    lock.hold(() => undefined);
    expect(Date.now() - again).toBeLessThan(100);
  });

  it('gives up with SQLITE_BUSY when the lock is held past the limit', async () => {
    const lock = WriteLock.create();
    await holdInThread(lock, 1000);
    const impatient = new WriteLock(lock.shared, 50);
    expect(() => impatient.hold(() => 'never')).toThrow(
      expect.objectContaining({ code: 'SQLITE_BUSY', message: expect.stringMatching(/kept it for 50 ms/) }),
    );
  });

  it('is freed for a thread that ended while holding it', async () => {
    const lock = WriteLock.create();
    const worker = await holdInThread(lock, 0, false);
    const threadId = worker.threadId;
    await new Promise((resolve) => worker.once('exit', resolve));
    lock.releaseFor(threadId);
    expect(new WriteLock(lock.shared, 50).hold(() => 'written')).toBe('written');
  });

  it('releases the lock when the transaction throws', () => {
    const lock = WriteLock.create();
    expect(() =>
      lock.hold(() => {
        throw new Error('constraint failed');
      }),
    ).toThrow('constraint failed');
    expect(lock.hold(() => 'next')).toBe('next');
  });
});
