/**
 * Claiming: walk a destination's unfinished jobs in id order (one range scan of the clustered
 * table, at most `scanLimit` rows) and apply the per-person barrier, then mark the chosen jobs in
 * flight and read their events.
 *
 * Barrier (ordered): a job is taken only if it is due and every earlier unfinished job of its
 * person was taken in this same walk. The first job of a person that cannot be taken (in flight,
 * waiting for a retry, or past the limit) blocks that person for the rest of the walk.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ClaimOptions, Job } from '../types.js';
import { QUEUED } from './codec.js';

type ScanRow = [id: number, person: string, state: number, dueAt: number];

interface ClaimedRow {
  event_id: number;
  attempts: number;
  first_attempt_at: number | null;
}

interface EventRow {
  source: string;
  message_id: string;
  person: string;
  received_at: number;
  body: string;
}

export class Claimer {
  private readonly scan: Statement<[number, number], ScanRow>;
  private readonly markInFlight: Statement<[number, number], ClaimedRow>;
  private readonly readEvent: Statement<[number], EventRow>;

  constructor(db: Database) {
    this.scan = db
      .prepare<[number, number], ScanRow>(
        'SELECT id, person, state, due_at FROM jobs WHERE dest = ? ORDER BY id LIMIT ?',
      )
      .raw();
    // due_at goes back to 0: an in-flight job is not "waiting for a retry".
    this.markInFlight = db.prepare<[number, number], ClaimedRow>(
      `UPDATE jobs SET state = 1, due_at = 0 WHERE dest = ? AND id = ?
       RETURNING event_id, attempts, first_attempt_at`,
    );
    this.readEvent = db.prepare<[number], EventRow>(
      'SELECT source, message_id, person, received_at, body FROM events WHERE id = ?',
    );
  }

  /** Ids of the jobs to claim (read-only; run inside the claiming transaction). */
  choose(dest: number, options: ClaimOptions): number[] {
    const { limit, now, ordered } = options;
    const chosen: number[] = [];
    if (limit <= 0) return chosen;
    const scanLimit = Math.max(options.scanLimit ?? 20 * limit, limit);
    const blocked = new Set<string>();
    for (const [id, person, state, dueAt] of this.scan.iterate(dest, scanLimit)) {
      if (ordered && blocked.has(person)) continue;
      if (state === QUEUED && dueAt <= now) {
        chosen.push(id);
        if (chosen.length === limit) break;
      } else if (ordered) {
        blocked.add(person);
      }
    }
    return chosen;
  }

  /** Mark chosen jobs in flight and build them (run inside the same transaction as `choose`). */
  take(dest: number, destination: string, ids: readonly number[]): Job[] {
    const jobs: Job[] = [];
    for (const id of ids) {
      const claimed = this.markInFlight.get(dest, id)!;
      const event = this.readEvent.get(claimed.event_id)!;
      jobs.push({
        id,
        destination,
        eventId: claimed.event_id,
        source: event.source,
        messageId: event.message_id,
        personKey: event.person,
        body: event.body,
        receivedAt: event.received_at,
        attempts: claimed.attempts,
        firstAttemptAt: claimed.first_attempt_at,
      });
    }
    return jobs;
  }
}
