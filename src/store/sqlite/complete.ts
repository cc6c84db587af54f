/**
 * Applying delivery results, all of one `complete` call in one transaction. Only jobs that are
 * still in flight are touched, so a late or repeated result (after `recover`, say) changes nothing.
 * Finished jobs (delivered, filtered, dead: the common case) are deleted and read back with one
 * DELETE … RETURNING, so the jobs' b-tree is walked once, not once to read and once to delete;
 * only retried and released jobs are read first. Log entries go in multi-row inserts
 * (log-writer.ts). Retries, releases and dead letters, rarer, go one by one.
 *
 * References: a delivered, filtered or dead job's reference on its event passes to its log entry,
 * so those outcomes do not rewrite the event row; a retry adds the log entry's reference.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { CompleteInput } from '../types.js';
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

type InFlightRow = [
  id: number,
  eventId: number,
  attempts: number,
  firstAttemptAt: number | null,
  messageHash: number,
  personHash: number,
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
  private readonly inFlight: Statement<[number, string], InFlightRow>;
  private readonly deleteJobs: Statement<[number, string], InFlightRow>;
  private readonly retryJob: Statement<[number, number, number, number]>;
  private readonly releaseJob: Statement<[number, number]>;
  private readonly addRef: Statement<[number]>;
  private readonly insertDead: Statement<DeadParams>;

  constructor(
    db: Database,
    private readonly destinations: Destinations,
    private readonly logIds: Counter,
    private readonly logWriter: LogWriter,
  ) {
    this.inFlight = db
      .prepare<[number, string], InFlightRow>(
        `SELECT id, event_id, attempts, first_attempt_at, message_hash, person_hash FROM jobs
         WHERE dest = ? AND id IN (SELECT value FROM json_each(?)) AND state = 1`,
      )
      .raw();
    this.deleteJobs = db
      .prepare<[number, string], InFlightRow>(
        `DELETE FROM jobs WHERE dest = ? AND id IN (SELECT value FROM json_each(?)) AND state = 1
         RETURNING id, event_id, attempts, first_attempt_at, message_hash, person_hash`,
      )
      .raw();
    // due_at > 0 marks "waiting for a retry" (see the jobs_waiting index).
    this.retryJob = db.prepare(
      `UPDATE jobs SET state = 0, attempts = attempts + 1,
         first_attempt_at = coalesce(first_attempt_at, ?), due_at = max(?, 1)
       WHERE dest = ? AND id = ?`,
    );
    this.releaseJob = db.prepare('UPDATE jobs SET state = 0 WHERE dest = ? AND id = ?');
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

  /** Run inside a write transaction. */
  complete(dest: number, input: CompleteInput): void {
    const { now } = input;
    const jobs = this.readJobs(dest, input);
    let finished = 0;
    const log: LogRecord[] = [];
    let delivered = 0;
    let filtered = 0;
    let settled = 0;
    for (const result of input.results) {
      const job = jobs.get(result.jobId);
      // Not in flight (or a second result for the same job): nothing to do.
      if (job === undefined) continue;
      jobs.delete(result.jobId);
      settled++;
      const [id, eventId, previousAttempts, firstAttemptAt, messageHash, personHash] = job;
      if (result.outcome === 'release') {
        this.releaseJob.run(dest, id);
        continue;
      }
      const attempts = previousAttempts + 1;
      if (result.outcome === 'retry') {
        this.retryJob.run(now, result.dueAt, dest, id);
        this.addRef.run(eventId);
      } else {
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
    if (settled > 0) this.destinations.adjust(dest, -finished, -settled, delivered, filtered);
  }

  /**
   * The in-flight rows of the jobs these results are for. The first result of a job counts (a
   * repeated one changes nothing), so only first results that finish the job delete it here.
   */
  private readJobs(dest: number, input: CompleteInput): Map<number, InFlightRow> {
    const seen = new Set<number>();
    const finishing: number[] = [];
    const staying: number[] = [];
    for (const { jobId, outcome } of input.results) {
      if (seen.has(jobId)) continue;
      seen.add(jobId);
      if (outcome === 'retry' || outcome === 'release') staying.push(jobId);
      else finishing.push(jobId);
    }
    const jobs = new Map<number, InFlightRow>();
    if (finishing.length > 0) {
      for (const row of this.deleteJobs.all(dest, JSON.stringify(finishing))) jobs.set(row[0], row);
    }
    if (staying.length > 0) {
      for (const row of this.inFlight.all(dest, JSON.stringify(staying))) jobs.set(row[0], row);
    }
    return jobs;
  }
}
