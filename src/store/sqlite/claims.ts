/**
 * Each destination's queue as the claiming connection sees it, in memory (loaded from the file at
 * the first claim, and again after `recover`):
 * - `frontier` (persisted): every job of the destination with an event id up to it is finished or
 *   waits for a retry;
 * - `done` (persisted in the table of that name): jobs finished past the frontier (results that
 *   came back out of order), so that a crash delivers again only what was in flight;
 * - `retries` (persisted): jobs waiting for a retry, also while they are in flight again;
 * - `parked` (persisted by the next result as `retries` rows due at 0): jobs the walk passed over
 *   because their person was held back (parked.ts);
 * - `held` (memory only): the jobs claimed here whose result is not recorded.
 *
 * One relay process claims from a SQLite file (the CLI only replays and drops), so nothing needs the
 * claim in the file: a claim writes nothing, and after a crash every job past the frontier that is
 * not done, and every retry, is queued again (at least once; duplicates only for what was in flight).
 *
 * Another connection (ingest's, the CLI's) may give the destination's slot away while it is idle and
 * give it a slot again later, with a new frontier (slots.ts): each claim and each result checks the
 * slot and the frontier in the file, and a queue whose slot changed or whose frontier moved ahead
 * (only a change of slot does that: this connection's results move it here too) is read again.
 */
import type { Database, Statement } from 'better-sqlite3';
import type { JobResult } from '../types.js';
import type { InFlightCounts } from './in-flight-counts.js';
import { ParkedJobs } from './parked.js';

/** A claimed job: what its result needs to write the log entry and the queue's state. */
export interface Claimed {
  id: number;
  person: string;
  attempts: number;
  firstAttemptAt: number | null;
  messageHash: number;
  personHash: number;
  /** It came from the retries table (a row to update or delete with its result). */
  retry: boolean;
  /**
   * Its person was erased while it was in flight: still held, so that it holds back what is
   * queued for the person next (the Delete Person), until its result, which then finishes it.
   */
  forgotten?: boolean;
}

export interface Retry {
  person: string;
  attempts: number;
  firstAttemptAt: number | null;
  dueAt: number;
}

export interface DestinationQueue {
  /** Its bit in `events.dests` (slots.ts), null while it holds none. */
  slot: number | null;
  frontier: number;
  done: Set<number>;
  retries: Map<number, Retry>;
  parked: ParkedJobs;
  held: Map<number, Claimed>;
  /**
   * Where the next walk starts: every job of the destination with a smaller id is finished, held,
   * a retry or parked (claim.ts). A released job moves it back.
   */
  from: number;
}

/** What a recorded `complete` changed, applied to memory once its transaction committed. */
export interface Settlement {
  results: readonly JobResult[];
  frontier: number;
  /** Finished ids (done past the new frontier, or forgotten). */
  finished: number[];
  retries: Map<number, Retry>;
  /** Parked ids saved by this call (complete.ts). */
  saved: number[];
}

type Holding = [slot: number | null, frontier: number];

type RetryRow = [
  eventId: number,
  person: string,
  attempts: number,
  firstAttemptAt: number | null,
  dueAt: number,
];

export class Claims {
  private readonly queues = new Map<number, DestinationQueue>();
  private readonly selectHolding: Statement<[number], Holding>;
  private readonly selectDone: Statement<[number], number>;
  private readonly selectRetries: Statement<[number], RetryRow>;

  constructor(
    db: Database,
    private readonly counts: InFlightCounts,
  ) {
    this.selectHolding = db
      .prepare<[number], Holding>('SELECT slot, frontier FROM destinations WHERE id = ?')
      .raw();
    this.selectDone = db.prepare<[number], number>('SELECT event_id FROM done WHERE dest = ?').pluck();
    this.selectRetries = db
      .prepare<[number], RetryRow>(
        'SELECT event_id, person, attempts, first_attempt_at, due_at FROM retries WHERE dest = ?',
      )
      .raw();
  }

  /** The destination's queue, read from the file the first time. */
  queue(dest: number): DestinationQueue {
    return this.queues.get(dest) ?? this.load(dest, this.selectHolding.get(dest) ?? [null, 0]);
  }

  /**
   * The queue to claim from as the file has it now (read again if its slot changed hands; nothing
   * to claim while it holds none). Call inside the transaction that uses it.
   */
  current(dest: number): DestinationQueue {
    const holding = this.selectHolding.get(dest) ?? [null, 0];
    let queue = this.queues.get(dest);
    if (queue === undefined || holding[0] !== queue.slot || holding[1] > queue.frontier) {
      queue = this.load(dest, holding);
    }
    return queue;
  }

  /** Read the queue from the file; claims held from an earlier one stay held (their results come). */
  private load(dest: number, [slot, frontier]: Holding): DestinationQueue {
    const retries = new Map<number, Retry>();
    const parked = new ParkedJobs();
    for (const [id, person, attempts, firstAttemptAt, dueAt] of this.selectRetries.iterate(dest)) {
      if (dueAt === 0) parked.add(id, person, true);
      else retries.set(id, { person, attempts, firstAttemptAt, dueAt });
    }
    const queue: DestinationQueue = {
      slot,
      frontier,
      done: new Set(this.selectDone.all(dest)),
      retries,
      parked,
      held: this.queues.get(dest)?.held ?? new Map(),
      from: frontier + 1,
    };
    this.queues.set(dest, queue);
    return queue;
  }

  /**
   * A claim's jobs are in flight from now on, the jobs its walk passed over are parked; the next
   * walk may start at `from`.
   */
  hold(
    dest: number,
    jobs: readonly Claimed[],
    from: number,
    parked: ReadonlyArray<[id: number, person: string]>,
  ): void {
    const queue = this.queue(dest);
    for (const job of jobs) queue.held.set(job.id, job);
    for (const [id, person] of parked) queue.parked.add(id, person, false);
    queue.from = from;
    this.counts.add(dest, jobs.length);
  }

  get(dest: number, jobId: number): Claimed | undefined {
    return this.queues.get(dest)?.held.get(jobId);
  }

  /**
   * The frontier once these results are recorded: just before the first job that is neither
   * finished nor a retry (a job held fresh, or where the next walk starts). Parked jobs not held
   * count as retries: the same call saves them (complete.ts). Never moves back.
   */
  frontierAfter(dest: number, results: readonly JobResult[]): number {
    const queue = this.queue(dest);
    let first = queue.from;
    const settled = new Set<number>();
    for (const { jobId, outcome } of results) {
      const job = queue.held.get(jobId);
      if (job === undefined) continue;
      settled.add(jobId);
      if (outcome === 'release' && !job.retry && jobId < first) first = jobId;
    }
    for (const job of queue.held.values()) {
      if (!job.retry && job.id < first && !settled.has(job.id)) first = job.id;
    }
    return Math.max(queue.frontier, first - 1);
  }

  /** A `complete` was recorded (committed): apply it. */
  settled(dest: number, settlement: Settlement): void {
    const queue = this.queues.get(dest);
    if (queue === undefined) return;
    let settled = 0;
    for (const { jobId, outcome } of settlement.results) {
      const job = queue.held.get(jobId);
      if (job === undefined) continue;
      queue.held.delete(jobId);
      // A forgotten job stopped counting when it was forgotten.
      if (!job.forgotten) settled++;
      if (outcome === 'release' && !job.retry && jobId < queue.from) queue.from = jobId;
    }
    queue.parked.markSaved(settlement.saved);
    for (const [id, retry] of settlement.retries) {
      queue.retries.set(id, retry);
      queue.parked.delete(id);
    }
    for (const id of settlement.finished) {
      queue.retries.delete(id);
      queue.parked.delete(id);
      if (id > settlement.frontier) queue.done.add(id);
    }
    if (settlement.frontier > queue.frontier) {
      queue.frontier = settlement.frontier;
      for (const id of queue.done) if (id <= queue.frontier) queue.done.delete(id);
    }
    this.counts.add(dest, -settled);
  }

  /** A retry or parked job whose event is gone (its person was forgotten by another connection). */
  dropRetry(dest: number, id: number): void {
    const queue = this.queues.get(dest);
    queue?.retries.delete(id);
    queue?.parked.delete(id);
  }

  /**
   * Erasure: the person's jobs are gone and no longer counted. Those in flight stay held until their
   * result (which then only finishes them, their event being gone: complete.ts): a batch on its way
   * may still create the person in Customer.io, so what is queued for them next (the regulation's
   * Delete Person) waits for its answer.
   */
  forgetPerson(personKey: string): void {
    for (const [dest, queue] of this.queues) {
      let forgotten = 0;
      for (const job of queue.held.values()) {
        if (job.person !== personKey || job.forgotten) continue;
        job.forgotten = true;
        forgotten++;
      }
      for (const [id, retry] of queue.retries) if (retry.person === personKey) queue.retries.delete(id);
      queue.parked.deletePerson(personKey);
      this.counts.add(dest, -forgotten);
    }
  }

  /** Nothing is in flight any more (read again from the file); answers how many jobs were. */
  clear(): number {
    let count = 0;
    for (const queue of this.queues.values()) {
      for (const job of queue.held.values()) if (!job.forgotten) count++;
    }
    this.queues.clear();
    this.counts.clear();
    return count;
  }
}
