/**
 * Dead letters past their retention (`deadLetterMaxAgeMs`), deleted by prune in chunks of CHUNK
 * rows, one short transaction each, oldest first.
 */
import type { Database, Statement } from 'better-sqlite3';
import { CHUNK, yieldToEventLoop } from '../limits.js';

export class DeadLetterRetention {
  private readonly expire: Statement<[number]>;

  constructor(db: Database) {
    this.expire = db.prepare(
      `DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters WHERE dead_at < ? ORDER BY id LIMIT ${CHUNK})`,
    );
  }

  /** `write` runs one chunk in a write transaction; `stopped` ends the work early (close). */
  async expireBefore(cutoff: number, write: <T>(fn: () => T) => T, stopped: () => boolean): Promise<void> {
    while (!stopped()) {
      if (write(() => this.expire.run(cutoff).changes) < CHUNK) return;
      await yieldToEventLoop();
    }
  }
}
