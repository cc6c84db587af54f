/**
 * Applying delivery results, all of one `complete` call in one transaction. Only jobs held in flight
 * by this connection count (claims.ts), so a late or repeated result (after `recover`, say) changes
 * nothing; the claimed row held in memory gives what a log entry needs, so no job row is read back.
 * Finished jobs (delivered, filtered, dead: the common case) are deleted with one statement (a
 * range when their ids are consecutive); one whose row is gone (its person was forgotten by another
 * connection) gets no log entry. Log entries go in multi-row inserts (log-writer.ts). Retries and
 * dead letters, rarer, go one by one; a release writes nothing (the claim wrote nothing either).
 *
 * References: a delivered, filtered or dead job's reference on its event passes to its log entry,
 * so those outcomes do not rewrite the event row; a retry adds the log entry's reference.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { CompleteInput, JobResult } from '../types.js';
import type { ClaimedRow, Claims } from './claims.js';
import {
  type ErrorColumns,
  type ExchangeColumns,
  errorColumns,
  exchangeColumns,
  OUTCOME_CODES,
} from './codec.js';
import type { Counter } from './counter.js';
import type { Destinations } from './destinations.js';
import type { LogRecord, LogWriter } from './log-writer.js';

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
  private readonly deleteJobs: Statement<[number, string], number>;
  private readonly deleteJobRange: Statement<[number, number, number], number>;
  private readonly retryJob: Statement<[number, number, number, number]>;
  private readonly addRef: Statement<[number]>;
  private readonly insertDead: Statement<DeadParams>;

  constructor(
    db: Database,
    private readonly claims: Claims,
    private readonly destinations: Destinations,
    private readonly logIds: Counter,
    private readonly logWriter: LogWriter,
  ) {
    this.deleteJobs = db
      .prepare<[number, string], number>(
        'DELETE FROM jobs WHERE dest = ? AND id IN (SELECT value FROM json_each(?)) RETURNING id',
      )
      .pluck();
    this.deleteJobRange = db
      .prepare<[number, number, number], number>(
        'DELETE FROM jobs WHERE dest = ? AND id >= ? AND id <= ? RETURNING id',
      )
      .pluck();
    // due_at > 0 marks "waiting for a retry" (see the jobs_waiting index).
    this.retryJob = db.prepare(
      `UPDATE jobs SET attempts = attempts + 1,
         first_attempt_at = coalesce(first_attempt_at, ?), due_at = max(?, 1)
       WHERE dest = ? AND id = ?`,
    );
    this.addRef = db.prepare('UPDATE events SET refs = refs + 1 WHERE id = ?');
    this.insertDead = db.prepare(
      `INSERT INTO dead_letters (dest, source, message_id, person, event, received_at, attempts,
         first_attempt_at, dead_at, error_code, error_message, error_status,
         ex_method, ex_url, ex_request, ex_status, ex_response, ex_duration)
       SELECT ?, source, message_id, person, body, received_at, ?, ?, ?,
         ?, ?, ?, ?, ?, ?, ?, ?, ?
       FROM events WHERE id = ?`,
    );
  }

  /**
   * Run inside a write transaction; once it commits, `claims.settled` takes the jobs out of flight
   * (a rolled-back call leaves them held, to be recorded again: unsettled.ts).
   */
  complete(dest: number, input: CompleteInput): void {
    const { now } = input;
    const { results, finishing } = this.firstResults(dest, input.results);
    const deleted = this.deleteFinished(dest, finishing);
    const log: LogRecord[] = [];
    let finished = 0;
    let delivered = 0;
    let filtered = 0;
    for (const [row, result] of results) {
      const [id, , , eventId, previousAttempts, firstAttemptAt, messageHash, personHash] = row;
      if (result.outcome === 'release') continue;
      const attempts = previousAttempts + 1;
      if (result.outcome === 'retry') {
        if (this.retryJob.run(now, result.dueAt, dest, id).changes === 0) continue;
        this.addRef.run(eventId);
      } else {
        if (deleted !== undefined && !deleted.has(id)) continue;
        finished++;
        if (result.outcome === 'delivered') delivered++;
        else if (result.outcome === 'filtered') filtered++;
        else {
          this.insertDead.run(
            dest,
            attempts,
            firstAttemptAt ?? now,
            now,
            ...errorColumns(result.error),
            ...exchangeColumns(result.exchange),
            eventId,
          );
        }
      }
      log.push({
        at: now,
        dest,
        jobId: id,
        eventId,
        messageHash,
        personHash,
        outcome: OUTCOME_CODES[result.outcome],
        attempts,
        reason: result.outcome === 'filtered' ? result.reason : null,
        error: result.outcome === 'retry' || result.outcome === 'dead' ? result.error : undefined,
        exchange: result.exchange,
      });
    }
    if (log.length > 0) {
      const firstLogId = this.logIds.next();
      this.logWriter.write(firstLogId, log);
      this.logIds.release(firstLogId + log.length);
    }
    if (finished > 0) this.destinations.adjust(dest, -finished, delivered, filtered);
  }

  /**
   * The first result of each job held in flight (a repeated one changes nothing), with its claimed
   * row, and the ids of those that finish their job.
   */
  private firstResults(
    dest: number,
    input: readonly JobResult[],
  ): { results: [ClaimedRow, JobResult][]; finishing: number[] } {
    const results: [ClaimedRow, JobResult][] = [];
    const finishing: number[] = [];
    const seen = new Set<number>();
    for (const result of input) {
      const row = this.claims.get(dest, result.jobId);
      if (row === undefined || seen.has(result.jobId)) continue;
      seen.add(result.jobId);
      results.push([row, result]);
      if (result.outcome !== 'retry' && result.outcome !== 'release') finishing.push(result.jobId);
    }
    return { results, finishing };
  }

  /**
   * Delete the finished jobs (one range delete when their ids are consecutive, the common case).
   * Answers the ids deleted, or undefined when every one was.
   */
  private deleteFinished(dest: number, ids: number[]): Set<number> | undefined {
    if (ids.length === 0) return undefined;
    let min = ids[0]!;
    let max = min;
    for (const id of ids) {
      if (id < min) min = id;
      if (id > max) max = id;
    }
    // Distinct ids filling [min, max]: nothing else lies in the range.
    const deleted =
      max - min + 1 === ids.length
        ? this.deleteJobRange.all(dest, min, max)
        : this.deleteJobs.all(dest, JSON.stringify(ids));
    // Fewer rows than jobs: some were gone already (forgotten by another connection).
    return deleted.length === ids.length ? undefined : new Set(deleted);
  }
}
