/**
 * Erasure of one person (GDPR), in one transaction: their jobs (with the destination counters they
 * were part of), the log entries of their events, their events and their dead letters. Events,
 * jobs and dead letters are found by their person column, the log through its events. There is
 * no index by person on events, jobs or dead letters: each is one scan, acceptable for a rare
 * operator action, never on the delivery path.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ForgetResult } from '../types.js';
import type { Destinations } from './destinations.js';

export class Forget {
  private readonly deleteJobs: Statement<[string], number>;
  private readonly deleteLog: Statement<[string]>;
  private readonly deleteEvents: Statement<[string]>;
  private readonly deleteDeadLetters: Statement<[string]>;

  constructor(
    db: Database,
    private readonly destinations: Destinations,
  ) {
    this.deleteJobs = db
      .prepare<[string], number>('DELETE FROM jobs WHERE person = ? RETURNING dest')
      .pluck();
    this.deleteLog = db.prepare('DELETE FROM log WHERE event_id IN (SELECT id FROM events WHERE person = ?)');
    this.deleteEvents = db.prepare('DELETE FROM events WHERE person = ?');
    this.deleteDeadLetters = db.prepare('DELETE FROM dead_letters WHERE person = ?');
  }

  /** Run inside a write transaction; then take the person's jobs out of flight (claims.ts). */
  forget(personKey: string): ForgetResult {
    const counts = new Map<number, number>();
    let jobs = 0;
    for (const dest of this.deleteJobs.iterate(personKey)) {
      counts.set(dest, (counts.get(dest) ?? 0) + 1);
      jobs++;
    }
    for (const [dest, count] of counts) this.destinations.adjust(dest, -count, 0, 0);
    return {
      jobs,
      logEntries: this.deleteLog.run(personKey).changes,
      events: this.deleteEvents.run(personKey).changes,
      deadLetters: this.deleteDeadLetters.run(personKey).changes,
    };
  }
}
