/**
 * Ids from counter rows in `meta` rather than from the tables: event ids and log ids must never be
 * reused, even once their table was emptied (an event id behind a destination's frontier would
 * never be delivered). Read and written inside each write transaction, so several handles on one
 * file never hand out the same id, and ids only grow: replayed events sort after all others.
 */
import type { Database, Statement } from 'better-sqlite3';

export class Counter {
  private readonly read: Statement<[], number>;
  private readonly write: Statement<[number]>;

  constructor(db: Database, key: 'next_event_id' | 'next_log_id') {
    this.read = db.prepare<[], number>(`SELECT value FROM meta WHERE key = '${key}'`).pluck();
    this.write = db.prepare(`UPDATE meta SET value = ? WHERE key = '${key}'`);
  }

  /** The next free id. Call inside a write transaction, then `release` the next unused one. */
  next(): number {
    return this.read.get()!;
  }

  release(next: number): void {
    this.write.run(next);
  }
}
