/**
 * Claiming: walk a destination's queue in event id order, merging two sources: the events after
 * where the last walk stopped that carry the destination's bit (one range read of `events`, bodies
 * included, at most `scanLimit` jobs), and the retries kept in memory (claims.ts). Apply the
 * per-person barrier, then hold the chosen jobs. A claim writes nothing.
 *
 * Barrier (ordered): a job is taken only if it is due and every earlier unfinished job of its
 * person was taken in this same walk. A person with a job in flight or a retry not due is blocked
 * for the whole walk: the walk parks their jobs (parked.ts) and goes on, and takes them, merged by
 * id like due retries, once the person is free.
 *
 * Each walk starts where the last one ended (`DestinationQueue.from`): every job before it is
 * finished, in flight, waiting for a retry, parked, or taken.
 */
import type { Database, Statement } from 'better-sqlite3';
import { HELD_BACK_WINDOWS } from '../limits.js';
import type { ClaimOptions, Job } from '../types.js';
import { WalkOnPauses } from '../walk-on.js';
import type { Claimed, Claims, DestinationQueue } from './claims.js';
import { hash32 } from './key-index.js';
import { MAX_PARKED } from './parked.js';
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
  /** It has a `retries` row (a retry, or a parked job saved). */
  retry: boolean;
}

const NO_MERGED_IDS: readonly number[] = [];

export class Claimer {
  private readonly scan: Statement<[number, number, number], EventRow>;
  private readonly lastEventId: Statement<[], number>;
  private readonly readEvents: Statement<[string], EventRow>;
  private readonly pauses = new WalkOnPauses();

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
    const walkOn = this.pauses.allowed(destination, options);
    const jobs = this.take(dest, destination, options, walkOn ? HELD_BACK_WINDOWS : 1);
    this.pauses.claimed(destination, options.now, walkOn, jobs.length);
    return jobs;
  }

  private take(dest: number, destination: string, options: ClaimOptions, windows: number): Job[] {
    const queue = this.claims.current(dest);
    if (queue.slot === null) return [];
    const { taken, from, parked } = this.choose(queue, slotBit(queue.slot), options, windows);
    const missing = taken.filter((t) => t.event === undefined).map((t) => t.id);
    const read = new Map<number, EventRow>();
    if (missing.length > 0)
      for (const row of this.readEvents.iterate(JSON.stringify(missing))) read.set(row[0], row);
    const jobs: Job[] = [];
    const held: Claimed[] = [];
    for (const t of taken) {
      const event = t.event ?? read.get(t.id);
      if (event === undefined) {
        // A retry or parked job whose event was erased by another connection (forgetPerson).
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
    this.claims.hold(dest, held, from, parked);
    return jobs;
  }

  /**
   * The walk reads pages of `limit` events (one native call each; most claims need one page) and
   * merges the due retries and the free parked jobs by id, until it has `limit` jobs or has looked
   * at `scanLimit` jobs besides those it parked, `windows` × scanLimit in all (limits.ts). A job
   * held back that cannot be parked (MAX_PARKED) counts, and the next walk starts there again.
   * Answers the jobs taken, the jobs it parked, and where the next walk starts.
   */
  private choose(
    queue: DestinationQueue,
    bit: number,
    options: ClaimOptions,
    windows: number,
  ): { taken: Taken[]; from: number; parked: Array<[id: number, person: string]> } {
    const { limit, now, ordered } = options;
    const taken: Taken[] = [];
    const parked: Array<[number, string]> = [];
    let from = queue.from;
    if (limit <= 0) return { taken, from, parked };
    const scanLimit = options.scanLimit ?? 20 * limit;
    const { held, done, retries } = queue;
    const blocked = new Set<string>();
    if (ordered) for (const job of held.values()) blocked.add(job.person);
    // Retries not due block their person for the whole walk (nothing of theirs before them is
    // left to take but what a release sent back, which then waits for the retry too); due ones,
    // and the parked jobs of persons now free, merge into the walk by id.
    let mergedIds = NO_MERGED_IDS;
    if (retries.size > 0 || queue.parked.size > 0) {
      const due: number[] = [];
      for (const [id, retry] of retries) {
        if (held.has(id)) continue;
        if (retry.dueAt <= now) due.push(id);
        else if (ordered) blocked.add(retry.person);
      }
      for (const id of queue.parked.free(blocked, held, limit)) due.push(id);
      mergedIds = due.sort((a, b) => a - b);
    }
    let nextMerged = 0;
    // Read before the walk: every event up to it is visible to the walk's reads.
    const last = this.lastEventId.get()!;
    let looked = 0;
    let after = from - 1;
    let page: EventRow[] = [];
    let inPage = 0;
    let scanEnded = false;
    const room = MAX_PARKED - queue.parked.size;
    // The stretch from where the walk started grows while it only meets jobs finished, held,
    // retried, parked or taken.
    let unbroken = true;
    const budget = () => Math.min(scanLimit - (looked - parked.length), windows * scanLimit - looked);
    while (budget() > 0 && taken.length < limit) {
      if (inPage === page.length && !scanEnded) {
        page = this.scan.all(after, bit, Math.min(Math.max(limit, 64), budget()));
        inPage = 0;
        if (page.length === 0) scanEnded = true;
        else after = page[page.length - 1]![0];
      }
      const row = inPage < page.length ? page[inPage] : undefined;
      const mergedId = nextMerged < mergedIds.length ? mergedIds[nextMerged]! : undefined;
      if (row === undefined && mergedId === undefined) break;
      looked++;
      if (mergedId !== undefined && (row === undefined || mergedId <= row[0])) {
        // A due retry or a parked job: its event may be in this page too (skipped there).
        nextMerged++;
        const inThisPage = row !== undefined && row[0] === mergedId;
        if (inThisPage) {
          inPage++;
          if (unbroken) from = mergedId + 1;
        }
        const event = inThisPage ? row : undefined;
        const retry = retries.get(mergedId);
        if (retry === undefined) {
          // Parked, and its person is free (parked.ts).
          const job = queue.parked.get(mergedId)!;
          taken.push({ id: mergedId, event, attempts: 0, firstAttemptAt: null, retry: job.saved });
          continue;
        }
        if (ordered && blocked.has(retry.person)) continue;
        taken.push({
          id: mergedId,
          event,
          attempts: retry.attempts,
          firstAttemptAt: retry.firstAttemptAt,
          retry: true,
        });
        continue;
      }
      inPage++;
      const id = row![0];
      // In flight, finished, a retry not due (its person is blocked) or parked.
      const passed = held.has(id) || done.has(id) || retries.has(id) || queue.parked.get(id) !== undefined;
      if (!passed) {
        if (!(ordered && blocked.has(row![1]))) {
          taken.push({ id, event: row, attempts: 0, firstAttemptAt: null, retry: false });
        } else if (parked.length < room) parked.push([id, row![1]]);
        else unbroken = false;
      }
      if (unbroken) from = id + 1;
    }
    // Walked to the end: the events skipped for want of this destination's bit need no new look.
    if (scanEnded && unbroken && last >= from) from = last + 1;
    return { taken, from, parked };
  }
}
