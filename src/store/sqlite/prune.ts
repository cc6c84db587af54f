/**
 * Housekeeping in bounded chunks (one short transaction each, yielding in between):
 * 1. dedupe keys older than the window are deleted, oldest first (and forgotten by the index);
 * 2. log entries beyond `logMaxEntries` or older than `logMaxAgeMs` are deleted, oldest first;
 * 3. each deleted entry drops its reference on its event; events left with no reference (no job,
 *    no log entry; dead letters keep their own copy) are deleted.
 *
 * Log entries are walked from the oldest and the walk stops at the first one that is kept, so one
 * chunk never reads more than `CHUNK` rows. Entries are written with increasing `at` in practice,
 * so "older than" and "before" agree.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { PruneOptions } from '../types.js';
import type { Dedupe } from './dedupe.js';
import { CHUNK, yieldToEventLoop } from './limits.js';

type HeadRow = [id: number, at: number, eventId: number];

export class Pruner {
  private readonly cutoffId: Statement<[number], number>;
  private readonly head: Statement<[], HeadRow>;
  private readonly deleteLog: Statement<[number]>;
  private readonly dropRefs: Statement<[number, number], number>;
  private readonly deleteEvent: Statement<[number]>;

  constructor(
    db: Database,
    private readonly dedupe: Dedupe,
  ) {
    // The id of the newest entry to delete for the size bound (none if the log is within it).
    this.cutoffId = db
      .prepare<[number], number>('SELECT id FROM log ORDER BY id DESC LIMIT 1 OFFSET ?')
      .pluck();
    this.head = db.prepare<[], HeadRow>(`SELECT id, at, event_id FROM log ORDER BY id LIMIT ${CHUNK}`).raw();
    this.deleteLog = db.prepare('DELETE FROM log WHERE id <= ?');
    this.dropRefs = db
      .prepare<[number, number], number>('UPDATE events SET refs = refs - ? WHERE id = ? RETURNING refs')
      .pluck();
    this.deleteEvent = db.prepare('DELETE FROM events WHERE id = ?');
  }

  /**
   * `write` runs one chunk in a (relaxed) write transaction; `stopped` ends the work early (close).
   */
  async prune(options: PruneOptions, write: <T>(fn: () => T) => T, stopped: () => boolean): Promise<void> {
    const keyCutoff = options.now - options.dedupeWindowMs;
    while (!stopped()) {
      const gone = write(() => this.dedupe.expire(keyCutoff, CHUNK));
      this.dedupe.forget(gone);
      if (gone.length < 2 * CHUNK) break;
      await yieldToEventLoop();
    }
    const sizeCutoff = this.cutoffId.get(Math.max(0, Math.floor(options.logMaxEntries))) ?? 0;
    const ageCutoff = options.now - options.logMaxAgeMs;
    while (!stopped() && write(() => this.pruneLogChunk(sizeCutoff, ageCutoff)) === CHUNK) {
      await yieldToEventLoop();
    }
  }

  /** Delete the oldest entries that must go (at most CHUNK); answers how many. */
  private pruneLogChunk(sizeCutoff: number, ageCutoff: number): number {
    const refs = new Map<number, number>();
    let last = 0;
    let count = 0;
    for (const [id, at, eventId] of this.head.iterate()) {
      if (id > sizeCutoff && at >= ageCutoff) break;
      last = id;
      count++;
      refs.set(eventId, (refs.get(eventId) ?? 0) + 1);
    }
    if (count === 0) return 0;
    this.deleteLog.run(last);
    for (const [eventId, n] of refs) {
      const left = this.dropRefs.get(n, eventId);
      if (left !== undefined && left <= 0) this.deleteEvent.run(eventId);
    }
    return count;
  }
}
