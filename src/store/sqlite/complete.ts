/**
 * Applying delivery results, all of one `complete` call in one transaction. Only jobs held in flight
 * by this connection count (claims.ts), so a late or repeated result (after `recover`, say) changes
 * nothing; the claimed job held in memory gives what a log entry needs. A job whose person was
 * forgotten while it was in flight (its event is gone) gets no log entry and counts for nothing.
 *
 * A delivered, filtered or dead job writes no job row: the destination's frontier moves over the
 * finished prefix of its queue (one UPDATE), and a job finished past it (results out of order) gets
 * a `done` row until the frontier passes it. A retry inserts or updates its `retries` row. Jobs
 * parked since the last call (parked.ts) get theirs, due at 0, so that the frontier may pass them
 * too. The log entries of the call go in one row (log-writer.ts); dead letters one by one.
 *
 * References: a delivered, filtered or dead job's reference on its event passes to its log entry,
 * so those outcomes do not rewrite the event row; a retry adds the log entry's reference.
 */
import type { Database, Statement } from 'better-sqlite3';
import {
  type ErrorColumns,
  type ExchangeColumns,
  errorColumns,
  exchangeColumns,
  OUTCOME_CODES,
} from '../codec.js';
import type { CompleteInput, JobResult } from '../types.js';
import { BatchInsert } from './batch-insert.js';
import type { Claimed, Claims, Retry, Settlement } from './claims.js';
import type { Counter } from './counter.js';
import type { Destinations } from './destinations.js';
import type { LogRecord } from './log-row.js';
import type { LogWriter } from './log-writer.js';

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
  private readonly existing: Statement<[string], number>;
  private readonly existingRange: Statement<[number, number], number>;
  private readonly insertRetry: Statement<[number, number, string, number, number | null, number]>;
  private readonly insertParked: Statement<[number, string, number]>;
  private readonly updateRetry: Statement<[number, number | null, number, number, number]>;
  private readonly deleteRetry: Statement<[number, number]>;
  private readonly insertDone: BatchInsert;
  private readonly deleteDone: Statement<[number, number]>;
  private readonly addRef: Statement<[number]>;
  private readonly insertDead: Statement<DeadParams>;

  constructor(
    db: Database,
    private readonly claims: Claims,
    private readonly destinations: Destinations,
    private readonly logIds: Counter,
    private readonly logWriter: LogWriter,
  ) {
    this.existing = db
      .prepare<[string], number>('SELECT id FROM events WHERE id IN (SELECT value FROM json_each(?))')
      .pluck();
    this.existingRange = db
      .prepare<[number, number], number>('SELECT id FROM events WHERE id >= ? AND id <= ?')
      .pluck();
    this.insertRetry = db.prepare(
      `INSERT INTO retries (dest, event_id, person, attempts, first_attempt_at, due_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    // Only while its event exists: an erasure on another connection may have taken it (a walk then
    // drops the job, claim.ts). A parked job has no row of its own yet: none to conflict with but
    // in a case not foreseen, where the row there already keeps the job.
    this.insertParked = db.prepare(
      `INSERT OR IGNORE INTO retries (dest, event_id, person, attempts, first_attempt_at, due_at)
       SELECT ?, id, ?, 0, NULL, 0 FROM events WHERE id = ?`,
    );
    this.updateRetry = db.prepare(
      'UPDATE retries SET attempts = ?, first_attempt_at = ?, due_at = ? WHERE dest = ? AND event_id = ?',
    );
    this.deleteRetry = db.prepare('DELETE FROM retries WHERE dest = ? AND event_id = ?');
    this.insertDone = new BatchInsert(db, 'done', ['dest', 'event_id']);
    this.deleteDone = db.prepare('DELETE FROM done WHERE dest = ? AND event_id <= ?');
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
   * Run inside a write transaction; answers what to apply to the claims in memory once it commits
   * (a rolled-back call leaves them as they were, to be recorded again: unsettled.ts).
   */
  complete(dest: number, input: CompleteInput): Settlement {
    const { now } = input;
    const results = this.firstResults(dest, input.results);
    const exists = this.existingEvents(results);
    const queue = this.claims.queue(dest);
    const saved: number[] = [];
    for (const [id, person] of queue.parked.unsaved(queue.held)) {
      this.insertParked.run(dest, person, id);
      saved.push(id);
    }
    const frontier = this.claims.frontierAfter(dest, input.results);
    const previousFrontier = queue.frontier;
    const log: LogRecord[] = [];
    const finished: number[] = [];
    const donePastFrontier: number[] = [];
    const retries = new Map<number, Retry>();
    let finishedJobs = 0;
    let delivered = 0;
    let filtered = 0;
    for (const [job, result] of results) {
      if (result.outcome === 'release') continue;
      const { id } = job;
      if (job.forgotten || (exists !== undefined && !exists.has(id))) {
        // Erased meanwhile: finished as far as the queue is concerned, nothing else.
        finished.push(id);
        continue;
      }
      const attempts = job.attempts + 1;
      if (result.outcome === 'retry') {
        const firstAttemptAt = job.firstAttemptAt ?? now;
        const dueAt = Math.max(result.dueAt, 1);
        if (job.retry) this.updateRetry.run(attempts, firstAttemptAt, dueAt, dest, id);
        else this.insertRetry.run(dest, id, job.person, attempts, firstAttemptAt, dueAt);
        retries.set(id, { person: job.person, attempts, firstAttemptAt, dueAt });
        this.addRef.run(id);
      } else {
        finished.push(id);
        finishedJobs++;
        if (job.retry) this.deleteRetry.run(dest, id);
        if (id > frontier) donePastFrontier.push(dest, id);
        if (result.outcome === 'delivered') delivered++;
        else if (result.outcome === 'filtered') filtered++;
        else {
          this.insertDead.run(
            dest,
            attempts,
            job.firstAttemptAt ?? now,
            now,
            ...errorColumns(result.error),
            ...exchangeColumns(result.exchange),
            id,
          );
        }
      }
      log.push({
        eventId: id,
        messageHash: job.messageHash,
        personHash: job.personHash,
        outcome: OUTCOME_CODES[result.outcome],
        attempts,
        reason: result.outcome === 'filtered' ? result.reason : null,
        error: result.outcome === 'retry' || result.outcome === 'dead' ? result.error : undefined,
        exchange: result.exchange,
      });
    }
    if (frontier > previousFrontier) {
      this.destinations.setFrontier(dest, frontier);
      this.deleteDone.run(dest, frontier);
    }
    this.insertDone.run(donePastFrontier);
    if (log.length > 0) {
      const firstLogId = this.logIds.next();
      this.logWriter.write(firstLogId, now, dest, log);
      this.logIds.release(firstLogId + log.length);
    }
    if (finishedJobs > 0) this.destinations.adjust(dest, -finishedJobs, delivered, filtered);
    return { results: input.results, frontier, finished, retries, saved };
  }

  /** The first result of each job held in flight (a repeated one changes nothing), with the job. */
  private firstResults(dest: number, input: readonly JobResult[]): [Claimed, JobResult][] {
    const results: [Claimed, JobResult][] = [];
    const seen = new Set<number>();
    for (const result of input) {
      const job = this.claims.get(dest, result.jobId);
      if (job === undefined || seen.has(result.jobId)) continue;
      seen.add(result.jobId);
      results.push([job, result]);
    }
    return results;
  }

  /**
   * Which of the jobs' events still exist (one range read when the ids are consecutive, the common
   * case); undefined when all of them do.
   */
  private existingEvents(results: readonly [Claimed, JobResult][]): Set<number> | undefined {
    const ids: number[] = [];
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (const [job, result] of results) {
      if (result.outcome === 'release') continue;
      ids.push(job.id);
      if (job.id < min) min = job.id;
      if (job.id > max) max = job.id;
    }
    if (ids.length === 0) return undefined;
    const found =
      max - min + 1 === ids.length
        ? this.existingRange.all(min, max)
        : this.existing.all(JSON.stringify(ids));
    return found.length === ids.length ? undefined : new Set(found);
  }
}
