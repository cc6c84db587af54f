/**
 * Job ids come from one counter row rather than the table (jobs are clustered by destination, so
 * there is no cheap global max). Read and written inside each write transaction, so several handles
 * on the same file never hand out the same id, and ids only grow: replayed jobs sort after all others.
 */
import type { Database, Statement } from 'better-sqlite3';

export class JobIds {
  private readonly read: Statement<[], number>;
  private readonly write: Statement<[number]>;

  constructor(db: Database) {
    this.read = db.prepare<[], number>("SELECT value FROM meta WHERE key = 'next_job_id'").pluck();
    this.write = db.prepare("UPDATE meta SET value = ? WHERE key = 'next_job_id'");
  }

  /** The next free id. Call inside a write transaction, then `release` the next unused one. */
  next(): number {
    return this.read.get()!;
  }

  release(next: number): void {
    this.write.run(next);
  }
}
