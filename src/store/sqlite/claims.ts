/**
 * The jobs this connection claimed and has not recorded a result for: in memory only. One relay
 * process claims from a SQLite file (the CLI only replays and drops), so nothing needs the claim in
 * the file: a claim writes nothing, and after a crash every unfinished job is queued again by
 * construction (at least once; duplicates only for what was in flight). A result uses the claimed
 * job's row kept here instead of reading it back, and a result for a job not held here (a repeat,
 * or one from before `recover`) changes nothing.
 */
import type { JobResult } from '../types.js';
import type { InFlightCounts } from './in-flight-counts.js';

/** A claimed job as the claim read it: what its result needs to write the log entry. */
export type ClaimedRow = [
  id: number,
  person: string,
  dueAt: number,
  eventId: number,
  attempts: number,
  firstAttemptAt: number | null,
  messageHash: number,
  personHash: number,
];

export interface ClaimedQueue {
  /** Every unfinished job of the destination with a smaller id is held here (claim.ts). */
  from: number;
  held: Map<number, ClaimedRow>;
}

export class Claims {
  private readonly queues = new Map<number, ClaimedQueue>();

  constructor(private readonly counts: InFlightCounts) {}

  queue(dest: number): ClaimedQueue {
    let queue = this.queues.get(dest);
    if (queue === undefined) {
      queue = { from: 0, held: new Map() };
      this.queues.set(dest, queue);
    }
    return queue;
  }

  /** A claim's jobs are in flight from now on; its walk may start at `from` next time. */
  hold(dest: number, rows: readonly ClaimedRow[], from: number): void {
    const queue = this.queue(dest);
    for (const row of rows) queue.held.set(row[0], row);
    queue.from = from;
    this.counts.add(dest, rows.length);
  }

  get(dest: number, jobId: number): ClaimedRow | undefined {
    return this.queues.get(dest)?.held.get(jobId);
  }

  /** Results were recorded (committed): those jobs are not in flight; unfinished ones are walked again. */
  settled(dest: number, results: readonly JobResult[]): void {
    const queue = this.queues.get(dest);
    if (queue === undefined) return;
    let settled = 0;
    for (const { jobId, outcome } of results) {
      if (!queue.held.delete(jobId)) continue;
      settled++;
      if ((outcome === 'retry' || outcome === 'release') && jobId < queue.from) queue.from = jobId;
    }
    this.counts.add(dest, -settled);
  }

  /** Erasure: the person's jobs are gone, so are their claims (their late results change nothing). */
  forgetPerson(personKey: string): void {
    for (const [dest, queue] of this.queues) {
      let forgotten = 0;
      for (const [id, row] of queue.held) {
        if (row[1] === personKey && queue.held.delete(id)) forgotten++;
      }
      this.counts.add(dest, -forgotten);
    }
  }

  /** Nothing is in flight any more; answers how many jobs were. */
  clear(): number {
    let count = 0;
    for (const queue of this.queues.values()) count += queue.held.size;
    this.queues.clear();
    this.counts.clear();
    return count;
  }
}
