/**
 * The body of one group commit: every `append` call of a tick, in one transaction. An event is
 * stored once with one job per destination; duplicates (same source and messageId within the
 * caller's window, including earlier in the same group) are reported by input position.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { AppendOptions, AppendResult, NewEvent } from '../types.js';
import type { Counter } from './counter.js';
import type { Dedupe } from './dedupe.js';
import type { Destinations } from './destinations.js';
import { hash32 } from './key-index.js';

export interface AppendCall {
  events: readonly NewEvent[];
  options: AppendOptions;
}

export class Appender {
  private readonly insertEvent: Statement<[string, string, string, number, number, string, number, number]>;
  private readonly insertJob: Statement<[number, number, number, string]>;

  constructor(
    db: Database,
    private readonly destinations: Destinations,
    private readonly jobIds: Counter,
    private readonly dedupe: Dedupe,
  ) {
    this.insertEvent = db.prepare(
      `INSERT INTO events (source, message_id, person, received_at, refs, body, message_hash, person_hash)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertJob = db.prepare('INSERT INTO jobs (dest, id, event_id, person) VALUES (?, ?, ?, ?)');
  }

  /** Run inside a write transaction; then `dedupe.commit()` or `dedupe.rollback()`. */
  appendGroup(calls: readonly AppendCall[]): AppendResult[] {
    this.dedupe.catchUp();
    let nextJobId = this.jobIds.next();
    const jobsPerDestination = new Map<number, number>();
    const results: AppendResult[] = [];
    for (const { events, options } of calls) {
      const window = options.dedupeWindowMs;
      const duplicates: number[] = [];
      for (let i = 0; i < events.length; i++) {
        const event = events[i]!;
        const messageHash = hash32(event.messageId);
        if (
          window > 0 &&
          !this.dedupe.accept(event.source, event.messageId, messageHash, event.receivedAt, window)
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
            messageHash,
            hash32(event.personKey),
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
