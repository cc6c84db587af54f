/**
 * Claiming: walk a destination's unfinished jobs in id order (one range scan of the clustered
 * table, at most `scanLimit` rows) and apply the per-person barrier, read the chosen jobs' events,
 * then mark the jobs in flight, each in one statement for the whole claim.
 *
 * Barrier (ordered): a job is taken only if it is due and every earlier unfinished job of its
 * person was taken in this same walk. The first job of a person that cannot be taken (in flight,
 * waiting for a retry, or past the limit) blocks that person for the rest of the walk.
 *
 * The walk skips the head of the queue that this claimer has in flight (the previous claims,
 * whose results are not in yet): it starts where that stretch ends, its jobs' persons blocked
 * from memory. A result that leaves a job unfinished (retry, release) moves the start back to it.
 * This holds because one relay process claims from a file (the CLI only recovers and replays).
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ClaimOptions, Job, JobResult } from '../types.js';
import { QUEUED } from './codec.js';

/** What a destination's walk may skip: the unbroken stretch of jobs claimed here, in flight. */
interface Head {
  /** Every unfinished job with a smaller id is in flight, claimed by this claimer. */
  from: number;
  /** Those jobs (id → person), until their results are in. */
  inFlight: Map<number, string>;
}

type ScanRow = [
  id: number,
  person: string,
  state: number,
  dueAt: number,
  eventId: number,
  attempts: number,
  firstAttemptAt: number | null,
];

type EventRow = [
  id: number,
  source: string,
  messageId: string,
  person: string,
  receivedAt: number,
  body: string,
  prepared: string | null,
];

export class Claimer {
  private readonly scan: Statement<[number, number, number], ScanRow>;
  private readonly markInFlight: Statement<[number, string]>;
  private readonly markRangeInFlight: Statement<[number, number, number]>;
  private readonly readEvents: Statement<[string], EventRow>;
  private readonly readEventRange: Statement<[number, number], EventRow>;
  /** Rows of the last walk from its first chosen job to its last one, both included. */
  private span = 0;
  private readonly heads = new Map<number, Head>();

  constructor(db: Database) {
    this.scan = db
      .prepare<[number, number, number], ScanRow>(
        `SELECT id, person, state, due_at, event_id, attempts, first_attempt_at
         FROM jobs WHERE dest = ? AND id > ? ORDER BY id LIMIT ?`,
      )
      .raw();
    // due_at goes back to 0: an in-flight job is not "waiting for a retry".
    this.markInFlight = db.prepare(
      'UPDATE jobs SET state = 1, due_at = 0 WHERE dest = ? AND id IN (SELECT value FROM json_each(?))',
    );
    this.markRangeInFlight = db.prepare(
      'UPDATE jobs SET state = 1, due_at = 0 WHERE dest = ? AND id >= ? AND id <= ?',
    );
    this.readEventRange = db
      .prepare<[number, number], EventRow>(
        'SELECT id, source, message_id, person, received_at, body, prepared FROM events WHERE id >= ? AND id <= ?',
      )
      .raw();
    this.readEvents = db
      .prepare<[string], EventRow>(
        `SELECT id, source, message_id, person, received_at, body, prepared FROM events
         WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .raw();
  }

  /**
   * Choose the jobs and read their events, outside any transaction: nothing but this claimer
   * changes the state of queued jobs (appends and replays only add new ones), so what it read is
   * still true when `mark` (inside the caller's write transaction, held briefly) records the claim.
   */
  prepare(dest: number, destination: string, options: ClaimOptions): { jobs: Job[]; mark: () => void } {
    const chosen = this.choose(dest, options);
    if (chosen.length === 0) return { jobs: [], mark: () => undefined };
    const events = this.read(chosen);
    const jobs = chosen.map(([id, , , , eventId, attempts, firstAttemptAt]): Job => {
      const [, source, messageId, personKey, receivedAt, body, prepared] = events.get(eventId)!;
      return {
        id,
        destination,
        eventId,
        source,
        messageId,
        personKey,
        body,
        prepared: prepared ?? undefined,
        receivedAt,
        attempts,
        firstAttemptAt,
      };
    });
    return { jobs, mark: () => this.mark(dest, chosen) };
  }

  /** Results were recorded (committed): unfinished ones must be walked over again. */
  settled(dest: number, results: readonly JobResult[]): void {
    const head = this.heads.get(dest);
    if (head === undefined) return;
    for (const { jobId, outcome } of results) {
      if (!head.inFlight.delete(jobId)) continue;
      if ((outcome === 'retry' || outcome === 'release') && jobId < head.from) head.from = jobId;
    }
  }

  /** After recover(): nothing is in flight any more. */
  reset(): void {
    this.heads.clear();
  }

  /**
   * Usually the chosen jobs are all the rows of their stretch of the queue (nobody held back in
   * between): one range update then, instead of a lookup per job.
   */
  private mark(dest: number, chosen: readonly ScanRow[]): void {
    if (this.span === chosen.length) {
      this.markRangeInFlight.run(dest, chosen[0]![0], chosen[chosen.length - 1]![0]);
    } else {
      this.markInFlight.run(dest, JSON.stringify(chosen.map((row) => row[0])));
    }
  }

  /** The jobs' events: one range read when their ids are exactly a range (one destination). */
  private read(chosen: readonly ScanRow[]): Map<number, EventRow> {
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    const ids = new Set<number>();
    for (const row of chosen) {
      const id = row[4];
      ids.add(id);
      if (id < min) min = id;
      if (id > max) max = id;
    }
    const rows =
      max - min + 1 === ids.size
        ? this.readEventRange.iterate(min, max)
        : this.readEvents.iterate(JSON.stringify([...ids]));
    const events = new Map<number, EventRow>();
    for (const row of rows) events.set(row[0], row);
    return events;
  }

  /**
   * The walk reads pages of `limit` rows (one native call each; most claims need one page) until
   * it has `limit` jobs or has looked at `scanLimit` rows.
   */
  private choose(dest: number, options: ClaimOptions): ScanRow[] {
    const { limit, now, ordered } = options;
    const chosen: ScanRow[] = [];
    if (limit <= 0) return chosen;
    const scanLimit = options.scanLimit ?? 20 * limit;
    let head = this.heads.get(dest);
    if (head === undefined) {
      head = { from: 0, inFlight: new Map() };
      this.heads.set(dest, head);
    }
    const blocked = new Set<string>(ordered ? head.inFlight.values() : []);
    // The stretch of in-flight jobs grows while the walk only meets jobs in flight or taken.
    let unbroken = true;
    this.span = 0;
    let sinceFirst = 0;
    let scanned = 0;
    let after = head.from - 1;
    walk: while (scanned < scanLimit) {
      const page = this.scan.all(dest, after, Math.min(Math.max(limit, 64), scanLimit - scanned));
      for (const row of page) {
        if (chosen.length > 0) sinceFirst++;
        const person = row[1];
        let taken = false;
        if (!(ordered && blocked.has(person))) {
          if (row[2] === QUEUED && row[3] <= now) {
            chosen.push(row);
            taken = true;
            this.span = sinceFirst + 1;
          } else if (ordered) {
            blocked.add(person);
          }
        }
        if (unbroken && (taken || row[2] !== QUEUED)) {
          head.inFlight.set(row[0], person);
          head.from = row[0] + 1;
        } else {
          unbroken = false;
        }
        if (chosen.length === limit) break walk;
      }
      scanned += page.length;
      if (page.length === 0) break;
      after = page[page.length - 1]![0];
    }
    return chosen;
  }
}
