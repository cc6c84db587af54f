/**
 * SQLite lets one connection write at a time; a second one that wants to write polls with sleeps
 * of 1, 2, 5, 10… ms (the busy handler), so a writer usually sleeps far longer than the other's
 * commit takes. Connections of one process (the relay's ingest thread and its delivery thread)
 * share this lock instead: a waiting thread blocks on an atomic and wakes the moment the other
 * releases it. Other processes (the CLI) still meet SQLite's busy handler.
 */

import { threadId } from 'node:worker_threads';

/** This thread's mark in the lock (the main thread's id is 0, and 0 means free). */
const OWNER = threadId + 1;

/** How long a thread waits for the lock before it gives up (as SQLite's busy timeout would). */
const WAIT_LIMIT_MS = 5000;

class LockTimeout extends Error {
  readonly code = 'SQLITE_BUSY';
}

export class WriteLock {
  private readonly cell: Int32Array;

  /** `shared`: the lock's memory, from `WriteLock.create()` in one thread, passed to the others. */
  constructor(
    readonly shared: SharedArrayBuffer,
    private readonly waitLimitMs = WAIT_LIMIT_MS,
  ) {
    this.cell = new Int32Array(shared);
  }

  static create(): WriteLock {
    return new WriteLock(new SharedArrayBuffer(4));
  }

  /** Run `fn` holding the lock. */
  hold<T>(fn: () => T): T {
    this.acquire();
    try {
      return fn();
    } finally {
      this.release(OWNER);
    }
  }

  /**
   * Free the lock if thread `deadThreadId` still holds it: a thread that ended abruptly (terminated,
   * out of memory) in a transaction never ran its `finally` (SQLite rolls that transaction back
   * when the thread's connection is closed at its exit).
   */
  releaseFor(deadThreadId: number): void {
    this.release(deadThreadId + 1);
  }

  private release(owner: number): void {
    if (Atomics.compareExchange(this.cell, 0, owner, 0) === owner) Atomics.notify(this.cell, 0, 1);
  }

  private acquire(): void {
    const deadline = Date.now() + this.waitLimitMs;
    for (;;) {
      const holder = Atomics.compareExchange(this.cell, 0, 0, OWNER);
      if (holder === 0) return;
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.cell, 0, holder, left) === 'timed-out') {
        throw new LockTimeout(`database is locked: another thread kept it for ${this.waitLimitMs} ms`);
      }
    }
  }
}
