/**
 * Applying delivery results, all of one `complete` call in one transaction. Only jobs that are
 * still in flight are touched, so a late or repeated result (after `recover`, say) changes nothing.
 *
 * References: a delivered, filtered or dead job's reference on its event passes to its log entry,
 * so those outcomes do not rewrite the event row; a retry adds the log entry's reference.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { CompleteInput, DeliveryError, Exchange, JobResult } from '../types.js';
import {
  type ErrorColumns,
  type ExchangeColumns,
  errorColumns,
  exchangeColumns,
  OUTCOME_CODES,
} from './codec.js';
import type { Counter } from './counter.js';
import type { Destinations } from './destinations.js';

interface FinishedRow {
  event_id: number;
  attempts: number;
  first_attempt_at: number | null;
}

type LogParams = [
  id: number,
  at: number,
  dest: number,
  jobId: number,
  outcome: number,
  attempts: number,
  reason: string | null,
  ...ErrorColumns,
  ...ExchangeColumns,
  eventId: number,
];

type DeadParams = [
  dest: number,
  attempts: number,
  firstAttemptAt: number | null,
  deadAt: number,
  ...ErrorColumns,
  ...ExchangeColumns,
  eventId: number,
];

export class Completer {
  private readonly deleteJob: Statement<[number, number], FinishedRow>;
  private readonly retryJob: Statement<[number, number, number, number], FinishedRow>;
  private readonly releaseJob: Statement<[number, number]>;
  private readonly addRef: Statement<[number]>;
  private readonly insertLog: Statement<LogParams>;
  private readonly insertDead: Statement<DeadParams>;

  /** The id of the next log entry, while `complete` runs. */
  private nextLogId = 0;

  constructor(
    db: Database,
    private readonly destinations: Destinations,
    private readonly logIds: Counter,
  ) {
    this.deleteJob = db.prepare<[number, number], FinishedRow>(
      'DELETE FROM jobs WHERE dest = ? AND id = ? AND state = 1 RETURNING event_id, attempts, first_attempt_at',
    );
    this.retryJob = db.prepare<[number, number, number, number], FinishedRow>(
      `UPDATE jobs SET state = 0, attempts = attempts + 1,
         first_attempt_at = coalesce(first_attempt_at, ?), due_at = ?
       WHERE dest = ? AND id = ? AND state = 1
       RETURNING event_id, attempts, first_attempt_at`,
    );
    this.releaseJob = db.prepare('UPDATE jobs SET state = 0 WHERE dest = ? AND id = ? AND state = 1');
    this.addRef = db.prepare('UPDATE events SET refs = refs + 1 WHERE id = ?');
    // messageId, person and their hashes are copied from the event: the search indexes need them.
    this.insertLog = db.prepare(
      `INSERT INTO log (id, at, dest, job_id, event_id, message_hash, person_hash, outcome, attempts,
         message_id, person, reason, error_code, error_message, error_status,
         ex_method, ex_url, ex_request, ex_status, ex_response, ex_duration)
       SELECT ?, ?, ?, ?, id, message_hash, person_hash, ?, ?, message_id, person,
         ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
       FROM events WHERE id = ?`,
    );
    this.insertDead = db.prepare(
      `INSERT INTO dead_letters (dest, source, message_id, person, event, received_at, attempts,
         first_attempt_at, dead_at, error_code, error_message, error_status,
         ex_method, ex_url, ex_request, ex_status, ex_response, ex_duration)
       SELECT ?, source, message_id, person, body, received_at, ?, ?, ?,
         ?, ?, ?, ?, ?, ?, ?, ?, ?
       FROM events WHERE id = ?`,
    );
  }

  /** Run inside a write transaction. */
  complete(dest: number, input: CompleteInput): void {
    const { now } = input;
    this.nextLogId = this.logIds.next();
    const firstLogId = this.nextLogId;
    let finished = 0;
    let settled = 0;
    let delivered = 0;
    let filtered = 0;
    for (const result of input.results) {
      if (result.outcome === 'release') {
        settled += this.releaseJob.run(dest, result.jobId).changes;
        continue;
      }
      if (result.outcome === 'retry') {
        // due_at > 0 marks "waiting for a retry" (see the jobs_waiting index).
        const row = this.retryJob.get(now, Math.max(result.dueAt, 1), dest, result.jobId);
        if (row === undefined) continue;
        settled++;
        this.addRef.run(row.event_id);
        this.log(dest, now, result, row.attempts, row.event_id, result.error, null);
        continue;
      }
      const row = this.deleteJob.get(dest, result.jobId);
      if (row === undefined) continue;
      settled++;
      finished++;
      const attempts = row.attempts + 1;
      if (result.outcome === 'dead') {
        this.insertDead.run(
          dest,
          attempts,
          row.first_attempt_at ?? now,
          now,
          ...errorColumns(result.error),
          ...exchangeColumns(result.exchange),
          row.event_id,
        );
        this.log(dest, now, result, attempts, row.event_id, result.error, null);
      } else if (result.outcome === 'filtered') {
        filtered++;
        this.log(dest, now, result, attempts, row.event_id, undefined, result.reason);
      } else {
        delivered++;
        this.log(dest, now, result, attempts, row.event_id, undefined, null);
      }
    }
    if (settled > 0) this.destinations.adjust(dest, -finished, -settled, delivered, filtered);
    if (this.nextLogId !== firstLogId) this.logIds.release(this.nextLogId);
  }

  private log(
    dest: number,
    now: number,
    result: JobResult & { exchange?: Exchange },
    attempts: number,
    eventId: number,
    error: DeliveryError | undefined,
    reason: string | null,
  ): void {
    this.insertLog.run(
      this.nextLogId++,
      now,
      dest,
      result.jobId,
      OUTCOME_CODES[result.outcome as keyof typeof OUTCOME_CODES],
      attempts,
      reason,
      ...errorColumns(error),
      ...exchangeColumns(result.exchange),
      eventId,
    );
  }
}
