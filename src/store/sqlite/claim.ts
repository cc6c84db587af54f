/**
 * Claiming: walk a destination's queue in event id order, merging two sources: the events after
 * where the last walk stopped that carry the destination's bit (one range read of `events`, bodies
 * included, at most `scanLimit` jobs), and the retries kept in memory (claims.ts). Apply the
 * per-person barrier, then hold the chosen jobs. A claim writes nothing.
 *
 * Barrier (ordered): a job is taken only if it is due and every earlier unfinished job of its
 * person was taken in this same walk. A person with a job in flight is blocked from the start; the
 * first job of a person that cannot be taken (waiting for a retry, or past the limit) blocks that
 * person for the rest of the walk.
 *
 * The walk skips the head of the queue that is finished, in flight or waiting for a retry: it
 * starts where that stretch ends (`DestinationQueue.from`).
 */
import type { Database, Statement } from 'better-sqlite3';
import type { ClaimOptions, Job } from '../types.js';
import type { Claimed, Claims, DestinationQueue } from './claims.js';
import { hash32 } from './key-index.js';
import { slotBit } from './slots.js';

type EventRow = [
  id: number,
  person: string,
  source: string,
  messageId: string,
  receivedAt: number,
  body: string,
  prepared: string | null,
];

/** A job the walk takes: its event, when the range read brought it, and its attempts so far. */
interface Taken {
  id: number;
  event: EventRow | undefined;
  attempts: number;
  firstAttemptAt: number | null;
  retry: boolean;
}

const NO_RETRY_IDS: readonly number[] = [];

export class Claimer {
  private readonly scan: Statement<[number, number, number], EventRow>;
  private readonly lastEventId: Statement<[], number>;
  private readonly readEvents: Statement<[string], EventRow>;

  constructor(
    db: Database,
    private readonly claims: Claims,
  ) {
    this.scan = db
      .prepare<[number, number, number], EventRow>(
        `SELECT id, person, source, message_id, received_at, body, prepared FROM events
         WHERE id > ? AND dests & ? ORDER BY id LIMIT ?`,
      )
      .raw();
    this.lastEventId = db.prepare<[], number>('SELECT coalesce(max(id), 0) FROM events').pluck();
    this.readEvents = db
      .prepare<[string], EventRow>(
        `SELECT id, person, source, message_id, received_at, body, prepared FROM events
         WHERE id IN (SELECT value FROM json_each(?))`,
      )
      .raw();
  }

  /**
   * In a read transaction: nothing but this claimer changes which jobs are queued, except a slot
   * changing hands (slots.ts), which the snapshot keeps apart from the walk.
   */
  claim(dest: number, destination: string, options: ClaimOptions): Job[] {
    const queue = this.claims.current(dest);
    if (queue.slot === null) return [];
    const { taken, from } = this.choose(queue, slotBit(queue.slot), options);
    if (taken.length === 0) return [];
    const missing = taken.filter((t) => t.event === undefined).map((t) => t.id);
    const read = new Map<number, EventRow>();
    if (missing.length > 0)
      for (const row of this.readEvents.iterate(JSON.stringify(missing))) read.set(row[0], row);
    const jobs: Job[] = [];
    const held: Claimed[] = [];
    for (const t of taken) {
      const event = t.event ?? read.get(t.id);
      if (event === undefined) {
        // A retry whose event was erased by another connection (forgetPerson).
        this.claims.dropRetry(dest, t.id);
        continue;
      }
      const [id, personKey, source, messageId, receivedAt, body, prepared] = event;
      jobs.push({
        id,
        destination,
        eventId: id,
        source,
        messageId,
        personKey,
        body,
        prepared: prepared ?? undefined,
        receivedAt,
        attempts: t.attempts,
        firstAttemptAt: t.firstAttemptAt,
      });
      held.push({
        id,
        person: personKey,
        attempts: t.attempts,
        firstAttemptAt: t.firstAttemptAt,
        messageHash: hash32(messageId),
        personHash: hash32(personKey),
        retry: t.retry,
      });
    }
    this.claims.hold(dest, held, from);
    return jobs;
  }

  /**
   * The walk reads pages of `limit` events (one native call each; most claims need one page) and
   * merges the retries by id, until it has `limit` jobs or has looked at `scanLimit` jobs. Answers
   * the jobs taken and where the stretch of finished, held or retried jobs from the head ends.
   */
  private choose(
    queue: DestinationQueue,
    bit: number,
    options: ClaimOptions,
  ): { taken: Taken[]; from: number } {
    const { limit, now, ordered } = options;
    const taken: Taken[] = [];
    let from = queue.from;
    if (limit <= 0) return { taken, from };
    const scanLimit = options.scanLimit ?? 20 * limit;
    const { held, done, retries } = queue;
    const blocked = new Set<string>();
    if (ordered) for (const job of held.values()) blocked.add(job.person);
    // Retries not due block their person from the start (nothing of theirs before them is left
    // to take but what a release sent back, which then waits for the retry too); due ones merge
    // into the walk by id.
    let retryIds = NO_RETRY_IDS;
    if (retries.size > 0) {
      const due: number[] = [];
      for (const [id, retry] of retries) {
        if (held.has(id)) continue;
        if (retry.dueAt <= now) due.push(id);
        else if (ordered) blocked.add(retry.person);
      }
      retryIds = due.sort((a, b) => a - b);
    }
    let nextRetry = 0;
    // Read before the walk: every event up to it is visible to the walk's reads.
    const last = this.lastEventId.get()!;
    // The stretch from the head grows while the walk only meets jobs finished, held, retried or taken.
    let unbroken = true;
    let looked = 0;
    let after = from - 1;
    let page: EventRow[] = [];
    let inPage = 0;
    let scanEnded = false;
    while (looked < scanLimit && taken.length < limit) {
      if (inPage === page.length && !scanEnded) {
        page = this.scan.all(after, bit, Math.min(Math.max(limit, 64), scanLimit - looked));
        inPage = 0;
        if (page.length === 0) scanEnded = true;
        else after = page[page.length - 1]![0];
      }
      const row = inPage < page.length ? page[inPage] : undefined;
      const retryId = nextRetry < retryIds.length ? retryIds[nextRetry]! : undefined;
      if (row === undefined && retryId === undefined) break;
      looked++;
      if (retryId !== undefined && (row === undefined || retryId <= row[0])) {
        // A retry: its event may be in this page too (skipped there).
        nextRetry++;
        if (row !== undefined && row[0] === retryId) {
          inPage++;
          if (unbroken) from = retryId + 1;
        }
        const retry = retries.get(retryId)!;
        if (ordered && blocked.has(retry.person)) continue;
        taken.push({
          id: retryId,
          event: row !== undefined && row[0] === retryId ? row : undefined,
          attempts: retry.attempts,
          firstAttemptAt: retry.firstAttemptAt,
          retry: true,
        });
        continue;
      }
      inPage++;
      const id = row![0];
      // In flight, finished, or a retry not due (its person is blocked).
      if (held.has(id) || done.has(id) || retries.has(id)) {
        if (unbroken) from = id + 1;
        continue;
      }
      if (!(ordered && blocked.has(row![1]))) {
        taken.push({ id, event: row, attempts: 0, firstAttemptAt: null, retry: false });
        if (unbroken) from = id + 1;
        continue;
      }
      unbroken = false;
    }
    // Walked to the end: the events skipped for want of this destination's bit need no new look.
    if (scanEnded && unbroken && last >= from) from = last + 1;
    return { taken, from };
  }
}
