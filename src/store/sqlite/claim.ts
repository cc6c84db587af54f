/**
 * Claiming: walk a destination's unfinished jobs in id order (one range scan of the clustered
 * table, at most `scanLimit` rows), apply the per-person barrier and read the chosen jobs' events.
 * A claim writes nothing: claimed jobs are held in memory (claims.ts).
 *
 * Barrier (ordered): a job is taken only if it is due and every earlier unfinished job of its
 * person was taken in this same walk. A person with a job in flight is blocked from the start; the
 * first job of a person that cannot be taken (waiting for a retry, or past the limit) blocks that
 * person for the rest of the walk.
 *
 * The walk skips the head of the queue that is in flight (the previous claims, whose results are
 * not in yet): it starts where that stretch ends (`ClaimedQueue.from`). A result that leaves a job
 * unfinished (retry, release) moves the start back to it.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ClaimOptions, Job } from '../types.js';
import type { ClaimedRow, Claims } from './claims.js';

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
  private readonly scan: Statement<[number, number, number], ClaimedRow>;
  private readonly readEvents: Statement<[string], EventRow>;
  private readonly readEventRange: Statement<[number, number], EventRow>;

  constructor(
    db: Database,
    private readonly claims: Claims,
  ) {
    this.scan = db
      .prepare<[number, number, number], ClaimedRow>(
        `SELECT id, person, due_at, event_id, attempts, first_attempt_at, message_hash, person_hash
         FROM jobs WHERE dest = ? AND id > ? ORDER BY id LIMIT ?`,
      )
      .raw();
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
   * Choose the jobs, read their events and hold the jobs. Outside any transaction: nothing but
   * this claimer changes the state of queued jobs (appends and replays only add new ones).
   */
  claim(dest: number, destination: string, options: ClaimOptions): Job[] {
    const { chosen, from } = this.choose(dest, options);
    if (chosen.length === 0) return [];
    const events = this.read(chosen);
    const jobs = chosen.map(([id, , , eventId, attempts, firstAttemptAt]): Job => {
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
    this.claims.hold(dest, chosen, from);
    return jobs;
  }

  /** The jobs' events: one range read when their ids are exactly a range (one destination). */
  private read(chosen: readonly ClaimedRow[]): Map<number, EventRow> {
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    const ids = new Set<number>();
    for (const row of chosen) {
      const id = row[3];
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
   * it has `limit` jobs or has looked at `scanLimit` rows. Answers the chosen jobs and where the
   * stretch of jobs in flight (held before, or taken now) from the queue's head ends.
   */
  private choose(dest: number, options: ClaimOptions): { chosen: ClaimedRow[]; from: number } {
    const { limit, now, ordered } = options;
    const chosen: ClaimedRow[] = [];
    const queue = this.claims.queue(dest);
    let from = queue.from;
    if (limit <= 0) return { chosen, from };
    const scanLimit = options.scanLimit ?? 20 * limit;
    const { held } = queue;
    const blocked = new Set<string>();
    if (ordered) for (const row of held.values()) blocked.add(row[1]);
    // The stretch of in-flight jobs grows while the walk only meets jobs in flight or taken.
    let unbroken = true;
    let scanned = 0;
    let after = from - 1;
    walk: while (scanned < scanLimit) {
      const page = this.scan.all(dest, after, Math.min(Math.max(limit, 64), scanLimit - scanned));
      for (const row of page) {
        const inFlight = held.has(row[0]);
        let taken = false;
        if (!inFlight && !(ordered && blocked.has(row[1]))) {
          if (row[2] <= now) {
            chosen.push(row);
            taken = true;
          } else if (ordered) {
            blocked.add(row[1]);
          }
        }
        if (unbroken && (taken || inFlight)) from = row[0] + 1;
        else unbroken = false;
        if (chosen.length === limit) break walk;
      }
      scanned += page.length;
      if (page.length === 0) break;
      after = page[page.length - 1]![0];
    }
    return { chosen, from };
  }
}
