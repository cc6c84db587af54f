/**
 * The body of one group commit: every `append` call of a tick, in one transaction. An event is
 * stored once with one job per destination; duplicates (same source and messageId within the
 * caller's window, including earlier in the same group) are reported by input position. Rows are
 * collected with ids given here (events: after the current max; jobs: from the counter) and written
 * with multi-row inserts at the end.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { AppendOptions, AppendResult, NewEvent } from '../types.js';
import { BatchInsert } from './batch-insert.js';
import type { Counter } from './counter.js';
import type { Dedupe } from './dedupe.js';
import type { Destinations } from './destinations.js';
import { hash32 } from './key-index.js';

export interface AppendCall {
  events: readonly NewEvent[];
  options: AppendOptions;
}

export class Appender {
  private readonly maxEventId: Statement<[], number>;
  private readonly events: BatchInsert;
  private readonly jobs: BatchInsert;

  constructor(
    db: Database,
    private readonly destinations: Destinations,
    private readonly jobIds: Counter,
    private readonly dedupe: Dedupe,
  ) {
    this.maxEventId = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM events').pluck();
    this.events = new BatchInsert(db, 'events', [
      'id',
      'source',
      'message_id',
      'person',
      'received_at',
      'refs',
      'body',
      'prepared',
    ]);
    this.jobs = new BatchInsert(db, 'jobs', [
      'dest',
      'id',
      'event_id',
      'person',
      'message_hash',
      'person_hash',
    ]);
  }

  /** Run inside a write transaction; then `dedupe.commit()` or `dedupe.rollback()`. */
  appendGroup(calls: readonly AppendCall[]): AppendResult[] {
    this.dedupe.begin();
    let nextJobId = this.jobIds.next();
    let nextEventId = this.maxEventId.get()! + 1;
    const events: unknown[] = [];
    const jobs: unknown[] = [];
    const jobsPerDestination = new Map<number, number>();
    const results: AppendResult[] = [];
    for (const call of calls) {
      const window = call.options.dedupeWindowMs;
      const duplicates: number[] = [];
      for (let i = 0; i < call.events.length; i++) {
        const event = call.events[i]!;
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
        const eventId = nextEventId++;
        events.push(
          eventId,
          event.source,
          event.messageId,
          event.personKey,
          event.receivedAt,
          count,
          event.body,
          event.prepared ?? null,
        );
        const personHash = hash32(event.personKey);
        for (const name of names) {
          const dest = this.destinations.ensure(name);
          jobs.push(dest, nextJobId++, eventId, event.personKey, messageHash, personHash);
          jobsPerDestination.set(dest, (jobsPerDestination.get(dest) ?? 0) + 1);
        }
      }
      results.push({ duplicates });
    }
    this.dedupe.flush();
    this.events.run(events);
    this.jobs.run(jobs);
    for (const [dest, count] of jobsPerDestination) this.destinations.addJobs(dest, count);
    this.jobIds.release(nextJobId);
    return results;
  }
}
