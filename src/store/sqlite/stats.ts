/**
 * Queue statistics from the destination's running counters and the claims in flight (shared by the
 * process's connections, in-flight-counts.ts) plus two index-bounded counts: jobs waiting for a
 * retry that is not due (the retries table) and dead letters. Nothing here walks the queue
 * itself, so stats stay cheap with a million jobs queued.
 */
import type { Database, Statement } from 'better-sqlite3';
import { emptyQueueStats } from '../empty-stats.js';
import type { QueueStats } from '../types.js';
import type { Destinations } from './destinations.js';
import type { InFlightCounts } from './in-flight-counts.js';

interface WaitingRow {
  count: number;
  next: number | null;
}

export class Stats {
  private readonly waiting: Statement<[number, number], WaitingRow>;
  private readonly dead: Statement<[number], number>;

  constructor(
    db: Database,
    private readonly destinations: Destinations,
    private readonly inFlight: InFlightCounts,
  ) {
    this.waiting = db.prepare<[number, number], WaitingRow>(
      'SELECT count(*) AS count, min(due_at) AS next FROM retries WHERE dest = ? AND due_at > ?',
    );
    this.dead = db.prepare<[number], number>('SELECT count(*) FROM dead_letters WHERE dest = ?').pluck();
  }

  stats(destination: string, now: number): QueueStats {
    const dest = this.destinations.find(destination);
    const counters = dest === undefined ? undefined : this.destinations.counters(dest);
    if (dest === undefined || counters === undefined) {
      return emptyQueueStats();
    }
    const waiting = this.waiting.get(dest, now)!;
    const inFlight = this.inFlight.get(dest);
    return {
      // Never below 0: jobs forgotten by another connection stay counted in flight until their
      // results come back (claims.ts).
      queued: Math.max(0, counters.unfinished - inFlight - waiting.count),
      inFlight,
      retrying: waiting.count,
      dead: this.dead.get(dest)!,
      delivered: counters.delivered,
      filtered: counters.filtered,
      nextDueAt: waiting.next,
    };
  }
}
