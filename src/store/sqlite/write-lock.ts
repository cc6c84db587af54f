/**
 * SQLite lets one connection write at a time; a second one that wants to write polls with sleeps
 * of 1, 2, 5, 10… ms (the busy handler), so a writer usually sleeps far longer than the other's
 * commit takes. Connections of one process (the relay's ingest thread and its delivery thread)
 * share this lock instead: a waiting thread blocks on an atomic and wakes the moment the other
 * releases it. Other processes (the CLI) still meet SQLite's busy handler.
 */

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
      Atomics.store(this.cell, 0, 0);
      Atomics.notify(this.cell, 0, 1);
    }
  }

  private acquire(): void {
    const deadline = Date.now() + this.waitLimitMs;
    while (Atomics.compareExchange(this.cell, 0, 0, 1) !== 0) {
      const left = deadline - Date.now();
      if (left <= 0 || Atomics.wait(this.cell, 0, 1, left) === 'timed-out') {
        throw new LockTimeout(`database is locked: another thread kept it for ${this.waitLimitMs} ms`);
      }
    }
  }
}
