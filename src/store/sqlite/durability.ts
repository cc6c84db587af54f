/**
 * Which write transactions wait for fsync.
 *
 * `append` and operator actions commit with synchronous=FULL: an event answered 200 must survive a
 * power cut. `claim`, `complete` and `prune` commit with synchronous=NORMAL (in WAL mode: no fsync,
 * the frames reach the disk with the next FULL commit or checkpoint, in order). Losing one of those
 * to a power cut only rewinds the queue: a lost claim or result leaves the job queued or in flight,
 * and `recover()` queues it again, so the event is delivered again (at least once), never lost.
 * This saves two fsyncs (~1 ms each on this machine) per delivered batch. A process crash (kill -9)
 * loses nothing either way: committed frames are in the OS page cache.
 */
import type { Database } from 'better-sqlite3';

export type SyncLevel = 'durable' | 'relaxed';

export class Durability {
  private current: SyncLevel = 'durable';

  constructor(private readonly db: Database) {
    db.pragma('synchronous = FULL');
  }

  /** Set the level for the next commit (a no-op when it is already set). */
  use(level: SyncLevel): void {
    if (level === this.current) return;
    this.db.pragma(level === 'durable' ? 'synchronous = FULL' : 'synchronous = NORMAL');
    this.current = level;
  }
}
