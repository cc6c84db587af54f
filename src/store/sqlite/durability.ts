/**
 * Which write transactions wait for fsync.
 *
 * Operator actions commit with synchronous=FULL: they must survive a power cut. So must an event
 * answered 200, but `append` gets that from wal-sync.ts instead: its group commits at NORMAL and
 * its callers are answered after an fsync of the WAL run off the event loop. `claim`, `complete` and `prune` commit with synchronous=NORMAL (in WAL mode: no fsync,
 * the frames reach the disk with the next FULL commit or checkpoint, in order). Losing one of those
 * to a power cut only rewinds the queue: a lost result leaves the job unfinished, queued again at
 * the next start (claims are in memory, claims.ts), so the event is delivered again (at least
 * once), never lost.
 * This saves two fsyncs (~1 ms each on this machine) per delivered batch. A process crash (kill -9)
 * loses nothing either way: committed frames are in the OS page cache.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { WriteLock } from './write-lock.js';

export type SyncLevel = 'durable' | 'relaxed';

/** Runs write transactions (BEGIN IMMEDIATE … COMMIT) committed at a chosen level. */
export class Durability {
  private current: SyncLevel = 'durable';
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;

  constructor(
    private readonly db: Database,
    private readonly lock?: WriteLock,
  ) {
    db.pragma('synchronous = FULL');
    this.begin = db.prepare('BEGIN IMMEDIATE');
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
  }

  /** Run `fn` in one write transaction: committed at `level`, or rolled back if anything throws. */
  write<T>(level: SyncLevel, fn: () => T): T {
    return this.lock ? this.lock.hold(() => this.transaction(level, fn)) : this.transaction(level, fn);
  }

  private transaction<T>(level: SyncLevel, fn: () => T): T {
    if (level !== this.current) {
      this.db.pragma(level === 'durable' ? 'synchronous = FULL' : 'synchronous = NORMAL');
      this.current = level;
    }
    this.begin.run();
    try {
      const result = fn();
      this.commit.run();
      return result;
    } catch (error) {
      // SQLite may already have rolled back (a failed COMMIT, a full disk).
      if (this.db.inTransaction) this.rollback.run();
      throw error;
    }
  }
}
