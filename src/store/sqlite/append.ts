/**
 * The body of one group commit: every `append` call of a tick, in one transaction. An event is
 * stored once with one job per destination; duplicates (same source and messageId within the
 * caller's window, including earlier in the same group) are reported by input position.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { AppendOptions, AppendResult, NewEvent } from '../types.js';
import type { Destinations } from './destinations.js';
import type { JobIds } from './job-ids.js';

export interface AppendCall {
  events: readonly NewEvent[];
  options: AppendOptions;
}

export class Appender {
  private readonly dedupe: Statement<[string, string, number, number]>;
  private readonly insertEvent: Statement<[string, string, string, number, number, string]>;
  private readonly insertJob: Statement<[number, number, number, string]>;

  constructor(
    db: Database,
    private readonly destinations: Destinations,
    private readonly jobIds: JobIds,
  ) {
    // A key older than the window is taken over (as if expired); a younger one changes nothing.
    this.dedupe = db.prepare(
      `INSERT INTO dedupe (source, message_id, at) VALUES (?, ?, ?)
       ON CONFLICT (source, message_id) DO UPDATE SET at = excluded.at
       WHERE excluded.at - dedupe.at >= ?`,
    );
    this.insertEvent = db.prepare(
      'INSERT INTO events (source, message_id, person, received_at, refs, body) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.insertJob = db.prepare('INSERT INTO jobs (dest, id, event_id, person) VALUES (?, ?, ?, ?)');
  }

  /** Run inside a write transaction. */
  appendGroup(calls: readonly AppendCall[]): AppendResult[] {
    let nextJobId = this.jobIds.next();
    const jobsPerDestination = new Map<number, number>();
    const results: AppendResult[] = [];
    for (const { events, options } of calls) {
      const window = options.dedupeWindowMs;
      const duplicates: number[] = [];
      for (let i = 0; i < events.length; i++) {
        const event = events[i]!;
        if (
          window > 0 &&
          this.dedupe.run(event.source, event.messageId, event.receivedAt, window).changes === 0
        ) {
          duplicates.push(i);
          continue;
        }
        const names = event.destinations.length > 1 ? new Set(event.destinations) : event.destinations;
        const count = names instanceof Set ? names.size : names.length;
        // Nothing would ever read an event without a job: only its dedupe key is kept.
        if (count === 0) continue;
        const eventId = Number(
          this.insertEvent.run(
            event.source,
            event.messageId,
            event.personKey,
            event.receivedAt,
            count,
            event.body,
          ).lastInsertRowid,
        );
        for (const name of names) {
          const dest = this.destinations.ensure(name);
          this.insertJob.run(dest, nextJobId++, eventId, event.personKey);
          jobsPerDestination.set(dest, (jobsPerDestination.get(dest) ?? 0) + 1);
        }
      }
      results.push({ duplicates });
    }
    for (const [dest, count] of jobsPerDestination) this.destinations.addJobs(dest, count);
    this.jobIds.release(nextJobId);
    return results;
  }
}
