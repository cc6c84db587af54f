/**
 * The jobs this relay claimed and has not recorded a result for yet. Anything else in flight under
 * its lease (a claim whose answer was lost with the connection, a result lost in a database crash)
 * is nobody's work: `sweep` puts it back in the queue. A sweep never overlaps a claim (it would not
 * know that claim's jobs yet): it waits for none to be on its way, and claims wait for it.
 */
import { randomShard, requeue, requeued } from './counters.js';
import type { Queryable } from './pool.js';

const SWEEP = requeue(
  'j.owner = $1 AND NOT EXISTS (SELECT 1 FROM unnest($2::int[], $3::bigint[]) AS k(dest, id) WHERE k.dest = j.dest AND k.id = j.id)',
  '$4',
);

export class HeldJobs {
  /** Per destination: job id → its message id (the delivery log's, so results need not read it). */
  private readonly byDestination = new Map<number, Map<number, string>>();
  private claiming = 0;
  private sweeping: Promise<number> | undefined;

  /** Wrap a claim: its jobs are held once it answers. Waits for a sweep on its way. */
  async claim<T extends { id: number; messageId: string }>(
    dest: number,
    claim: () => Promise<T[]>,
  ): Promise<T[]> {
    while (this.sweeping) await this.sweeping.catch(() => 0);
    this.claiming++;
    try {
      const jobs = await claim();
      const held = this.byDestination.get(dest) ?? new Map<number, string>();
      this.byDestination.set(dest, held);
      for (const job of jobs) held.set(job.id, job.messageId);
      return jobs;
    } finally {
      this.claiming--;
    }
  }

  /** The message id of a held job. */
  messageId(dest: number, jobId: number): string | undefined {
    return this.byDestination.get(dest)?.get(jobId);
  }

  /** Their results are recorded. */
  release(dest: number, ids: Iterable<number>): void {
    const held = this.byDestination.get(dest);
    if (held === undefined) return;
    for (const id of ids) held.delete(id);
  }

  clear(): void {
    this.byDestination.clear();
  }

  /** Queue again what is in flight under `owner` but not held; answers how many. */
  sweep(db: Queryable, owner: number): Promise<number> {
    if (this.claiming > 0 || this.sweeping) return Promise.resolve(0);
    const dests: number[] = [];
    const ids: number[] = [];
    for (const [dest, held] of this.byDestination) {
      for (const id of held.keys()) {
        dests.push(dest);
        ids.push(id);
      }
    }
    this.sweeping = requeued(db, SWEEP, [owner, dests, ids, randomShard()]).finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }
}
