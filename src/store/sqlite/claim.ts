/**
 * Claiming: walk a destination's unfinished jobs in id order (one range scan of the clustered
 * table, at most `scanLimit` rows) and apply the per-person barrier, then mark the chosen jobs in
 * flight and read their events, each in one statement for the whole claim.
 *
 * Barrier (ordered): a job is taken only if it is due and every earlier unfinished job of its
 * person was taken in this same walk. The first job of a person that cannot be taken (in flight,
 * waiting for a retry, or past the limit) blocks that person for the rest of the walk.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ClaimOptions, Job } from '../types.js';
import { QUEUED } from './codec.js';

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
];

export class Claimer {
  private readonly scan: Statement<[number, number, number], ScanRow>;
  private readonly markInFlight: Statement<[number, string]>;
  private readonly readEvents: Statement<[string], EventRow>;

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
    this.readEvents = db
      .prepare<[string], EventRow>(
        `SELECT id, source, message_id, person, received_at, body FROM events
         WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .raw();
  }

  /** Choose, mark in flight and build the jobs. Run inside a write transaction. */
  claim(dest: number, destination: string, options: ClaimOptions): Job[] {
    const chosen = this.choose(dest, options);
    if (chosen.length === 0) return [];
    const ids = chosen.map((row) => row[0]);
    this.markInFlight.run(dest, JSON.stringify(ids));
    const events = new Map<number, EventRow>();
    for (const row of this.readEvents.iterate(JSON.stringify(chosen.map((row) => row[4]))))
      events.set(row[0], row);
    return chosen.map(([id, , , , eventId, attempts, firstAttemptAt]) => {
      const [, source, messageId, personKey, receivedAt, body] = events.get(eventId)!;
      return {
        id,
        destination,
        eventId,
        source,
        messageId,
        personKey,
        body,
        receivedAt,
        attempts,
        firstAttemptAt,
      };
    });
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
    const blocked = new Set<string>();
    let scanned = 0;
    let after = 0;
    while (scanned < scanLimit) {
      const page = this.scan.all(dest, after, Math.min(Math.max(limit, 64), scanLimit - scanned));
      for (const row of page) {
        const person = row[1];
        if (ordered && blocked.has(person)) continue;
        if (row[2] === QUEUED && row[3] <= now) {
          chosen.push(row);
          if (chosen.length === limit) return chosen;
        } else if (ordered) {
          blocked.add(person);
        }
      }
      scanned += page.length;
      if (page.length === 0) break;
      after = page[page.length - 1]![0];
    }
    return chosen;
  }
}
