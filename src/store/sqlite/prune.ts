/**
 * Housekeeping in slices of about 2 ms each (one short transaction each, yielding to the event loop
 * in between, sized by slice-budget.ts), so that a large backlog of expired rows never delays
 * ingest or delivery by more than a slice:
 * 1. dedupe keys older than the window are deleted, oldest first (and forgotten by the index);
 * 2. log rows (log-row.ts) older than `logMaxAgeMs`, or whose entries are all beyond the newest
 *    `logMaxEntries` log ids, are deleted, oldest first, with the `log_keys` of the buckets left
 *    empty; in the row that straddles the size bound, the entries beyond it are erased;
 * 3. each deleted entry drops its reference on its event; events left with no reference (no job,
 *    no log entry; dead letters keep their own copy) are deleted. Per slice, for each distinct
 *    number of references dropped (almost always just 1): one DELETE of the events left with none,
 *    then one UPDATE of the others (usually none). Deleting first matters: decrementing first would
 *    rewrite each ~1 KB event row only to delete it right after.
 *
 * Log rows are walked from the oldest and the walk stops at the first one that is kept, so one
 * slice never reads more rows than it may delete. Rows are written with increasing `at` in
 * practice, so "older than" and "before" agree.
 */
import type { Database, Statement } from 'better-sqlite3';
import { yieldToEventLoop } from '../limits.js';
import type { PruneOptions } from '../types.js';
import type { Counter } from './counter.js';
import type { Dedupe } from './dedupe.js';
import { logBucket } from './log-keys.js';
import type { LogRowBody } from './log-row.js';
import type { LogWriter } from './log-writer.js';
import { SliceBudget } from './slice-budget.js';

type HeadRow = [id: number, at: number, count: number, events: string];

export class Pruner {
  private readonly head: Statement<[number], HeadRow>;
  private readonly deleteLog: Statement<[number]>;
  private readonly deleteKeys: Statement<[number]>;
  private readonly rowBody: Statement<[number], LogRowBody>;
  private readonly dropRefs: Statement<[number, string]>;
  private readonly deleteEvents: Statement<[string, number]>;
  /** Kept across runs: the sizes learnt for this machine. */
  private readonly keySlices = new SliceBudget(256);
  /** In log rows: about 100 entries each. */
  private readonly logSlices = new SliceBudget(4, 2, 1, 256);

  constructor(
    db: Database,
    private readonly dedupe: Dedupe,
    private readonly logIds: Counter,
    private readonly logWriter: LogWriter,
  ) {
    this.head = db
      .prepare<[number], HeadRow>('SELECT id, at, count, events FROM log ORDER BY id LIMIT ?')
      .raw();
    this.deleteLog = db.prepare('DELETE FROM log WHERE id <= ?');
    this.deleteKeys = db.prepare('DELETE FROM log_keys WHERE bucket < ?');
    this.rowBody = db.prepare<[number], LogRowBody>(
      'SELECT events, keys, entries, exchanges, requests FROM log WHERE id = ?',
    );
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
    // Log ids are consecutive: the newest one to delete for the size bound.
    const sizeCutoff = this.logIds.next() - 1 - Math.max(0, Math.floor(options.logMaxEntries));
    const ageCutoff = options.now - options.logMaxAgeMs;
    while (!stopped()) {
      const limit = this.logSlices.rows;
      const done = this.logSlices.run((rows) => write(() => this.pruneLogSlice(sizeCutoff, ageCutoff, rows)));
      if (done < limit) break;
      await yieldToEventLoop();
    }
  }

  /** Delete the oldest rows that must go (at most `limit`); answers how many. */
  private pruneLogSlice(sizeCutoff: number, ageCutoff: number, limit: number): number {
    const refs = new Map<number, number>();
    const drop = (eventId: number) => {
      if (eventId !== 0) refs.set(eventId, (refs.get(eventId) ?? 0) + 1);
    };
    let last = 0;
    let count = 0;
    let straddling = 0;
    for (const [id, at, entries, events] of this.head.iterate(limit)) {
      if (at < ageCutoff || id + entries - 1 <= sizeCutoff) {
        last = id;
        count++;
        for (const eventId of JSON.parse(events) as number[]) drop(eventId);
        continue;
      }
      if (id <= sizeCutoff) straddling = id;
      break;
    }
    if (straddling > 0) this.eraseHead(straddling, sizeCutoff - straddling + 1, drop);
    if (count > 0) {
      this.deleteLog.run(last);
      this.deleteKeys.run(logBucket(last));
    }
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

  /** Erase the first `n` entries of row `id` (those still there), dropping their references. */
  private eraseHead(id: number, n: number, drop: (eventId: number) => void): void {
    const row = this.rowBody.get(id)!;
    const events = (JSON.parse(row.events) as number[]).slice(0, n).filter((e) => e !== 0);
    if (events.length === 0) return;
    for (const eventId of events) drop(eventId);
    this.logWriter.erase(id, row, new Set(Array.from({ length: n }, (_, i) => i)));
  }
}
