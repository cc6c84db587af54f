/**
 * Housekeeping in slices of about 2 ms each (one short transaction each, yielding to the event loop
 * in between, sized by slice-budget.ts), so that a large backlog of expired rows never delays
 * ingest or delivery by more than a slice:
 * 1. dedupe keys older than the window are deleted, oldest first (and forgotten by the index);
 * 2. log entries beyond `logMaxEntries` or older than `logMaxAgeMs` are deleted, oldest first;
 * 3. each deleted entry drops its reference on its event; events left with no reference (no job,
 *    no log entry; dead letters keep their own copy) are deleted. Per slice, for each distinct
 *    number of references dropped (almost always just 1): one DELETE of the events left with none,
 *    then one UPDATE of the others (usually none). Deleting first matters: decrementing first would
 *    rewrite each ~1 KB event row only to delete it right after.
 *
 * Log entries are walked from the oldest and the walk stops at the first one that is kept, so one
 * slice never reads more rows than it may delete. Entries are written with increasing `at` in
 * practice, so "older than" and "before" agree.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { PruneOptions } from '../types.js';
import type { Dedupe } from './dedupe.js';
import { yieldToEventLoop } from './limits.js';
import { SliceBudget } from './slice-budget.js';

type HeadRow = [id: number, at: number, eventId: number];

export class Pruner {
  private readonly cutoffId: Statement<[number], number>;
  private readonly head: Statement<[number], HeadRow>;
  private readonly deleteLog: Statement<[number]>;
  private readonly dropRefs: Statement<[number, string]>;
  private readonly deleteEvents: Statement<[string, number]>;
  /** Kept across runs: the sizes learnt for this machine. */
  private readonly keySlices = new SliceBudget(256);
  private readonly logSlices = new SliceBudget(128);

  constructor(
    db: Database,
    private readonly dedupe: Dedupe,
  ) {
    // The id of the newest entry to delete for the size bound (none if the log is within it).
    this.cutoffId = db
      .prepare<[number], number>('SELECT id FROM log ORDER BY id DESC LIMIT 1 OFFSET ?')
      .pluck();
    this.head = db.prepare<[number], HeadRow>('SELECT id, at, event_id FROM log ORDER BY id LIMIT ?').raw();
    this.deleteLog = db.prepare('DELETE FROM log WHERE id <= ?');
    this.dropRefs = db.prepare(
      'UPDATE events SET refs = refs - ? WHERE id IN (SELECT value FROM json_each(?))',
    );
    this.deleteEvents = db.prepare(
      'DELETE FROM events WHERE id IN (SELECT value FROM json_each(?)) AND refs <= ?',
    );
  }

  /**
   * `write` runs one slice in a (relaxed) write transaction; `stopped` ends the work early (close).
   */
  async prune(options: PruneOptions, write: <T>(fn: () => T) => T, stopped: () => boolean): Promise<void> {
    const keyCutoff = options.now - options.dedupeWindowMs;
    while (!stopped()) {
      let gone: number[] = [];
      const limit = this.keySlices.rows;
      this.keySlices.run((rows) => {
        gone = write(() => this.dedupe.expire(keyCutoff, rows));
        return gone.length / 2;
      });
      this.dedupe.forget(gone);
      if (gone.length < 2 * limit) break;
      await yieldToEventLoop();
    }
    const sizeCutoff = this.cutoffId.get(Math.max(0, Math.floor(options.logMaxEntries))) ?? 0;
    const ageCutoff = options.now - options.logMaxAgeMs;
    while (!stopped()) {
      const limit = this.logSlices.rows;
      const done = this.logSlices.run((rows) => write(() => this.pruneLogSlice(sizeCutoff, ageCutoff, rows)));
      if (done < limit) break;
      await yieldToEventLoop();
    }
  }

  /** Delete the oldest entries that must go (at most `limit`); answers how many. */
  private pruneLogSlice(sizeCutoff: number, ageCutoff: number, limit: number): number {
    const refs = new Map<number, number>();
    let last = 0;
    let count = 0;
    for (const [id, at, eventId] of this.head.iterate(limit)) {
      if (id > sizeCutoff && at >= ageCutoff) break;
      last = id;
      count++;
      refs.set(eventId, (refs.get(eventId) ?? 0) + 1);
    }
    if (count === 0) return 0;
    this.deleteLog.run(last);
    const byCount = new Map<number, number[]>();
    for (const [eventId, n] of refs) {
      const ids = byCount.get(n);
      if (ids === undefined) byCount.set(n, [eventId]);
      else ids.push(eventId);
    }
    for (const [n, ids] of byCount) {
      const json = JSON.stringify(ids);
      // Only events that keep a reference are left to update.
      if (this.deleteEvents.run(json, n).changes < ids.length) this.dropRefs.run(n, json);
    }
    return count;
  }
}
