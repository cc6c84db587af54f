/**
 * Maintained queue counters, so that `stats` (read on every /metrics scrape and admin call) costs
 * the same with a million jobs queued as with none. Each destination has TOTAL_SHARDS rows in
 * `totals` holding deltas of: jobs waiting (state 0, due or not), in flight, dead letters, and the
 * delivered/filtered totals. Every statement that moves jobs between those states adds its deltas
 * to one shard row in the same transaction (hence exact under any number of relays and crashes: a
 * lost commit loses the change and its count together); the shard is drawn per transaction, so
 * concurrent transactions rarely wait on one row. `stats` sums a destination's rows.
 *
 * Lock order: a transaction updates its counter rows last (after every job or letter it changes)
 * and in destination order, always in one shard; holding a counter row, it waits for nothing else,
 * so counters never close a deadlock.
 *
 * Jobs waiting for a retry that is not due yet are split from the waiting ones by `retry_due`
 * (job → due time, kept for exactly the jobs in state 0 with a due time: written by a retry result,
 * deleted by the claim that takes the job or by forgetPerson): small, and indexed by destination.
 */
import type { Queryable } from './pool.js';

/** Shards per destination: concurrent transactions spread their counter updates over these rows. */
export const TOTAL_SHARDS = 16;

export const COUNTS = ['waiting', 'in_flight', 'dead', 'delivered', 'filtered'] as const;
export type Count = (typeof COUNTS)[number];

/**
 * The state of a job in flight whose person was forgotten (forget.ts): not counted anywhere, it
 * only holds back the person's later jobs until its result or its owner's end deletes it.
 */
export const FORGOTTEN = 2;

/** A shard for one transaction. */
export function randomShard(): number {
  return Math.floor(Math.random() * TOTAL_SHARDS);
}

/**
 * An INSERT … ON CONFLICT adding, per destination, the sums of `counts` (SQL expressions over the
 * rows of `from`, which has a `dest` column; a count left out adds 0) to shard `shard` (SQL).
 * Nothing is written for no rows or all-zero sums.
 */
export function addCounts(from: string, counts: Partial<Record<Count, string>>, shard: string): string {
  const sums = COUNTS.map((c) => `sum(${counts[c] ?? '0'})::bigint`);
  return `INSERT INTO totals AS t (dest, shard, ${COUNTS.join(', ')})
    SELECT dest, ${shard}, ${sums.join(', ')} FROM ${from}
    GROUP BY dest HAVING ${sums.map((s) => `${s} <> 0`).join(' OR ')} ORDER BY dest
    ON CONFLICT (dest, shard) DO UPDATE SET ${COUNTS.map((c) => `${c} = t.${c} + excluded.${c}`).join(', ')}`;
}

/**
 * One statement putting the in-flight jobs that match `where` (SQL over `jobs j`) back in the
 * queue, counted in shard `shard`, and deleting the forgotten ones (nothing is on its way for them
 * any more); answers how many went back as `n`. `before` is prepended to its WITH list (e.g. a CTE
 * deleting worker rows).
 */
export function requeue(where: string, shard: string, before = ''): string {
  return `WITH ${before}
    requeued AS (UPDATE jobs j SET state = 0, owner = NULL WHERE j.state = 1 AND ${where} RETURNING j.dest),
    dropped AS (DELETE FROM jobs j WHERE j.state = ${FORGOTTEN} AND ${where}),
    counted AS (${addCounts('requeued', { waiting: '1', in_flight: '-1' }, shard)})
    SELECT count(*)::int AS n FROM requeued`;
}

/** Run a `requeue` statement; answers how many jobs went back to the queue. */
export async function requeued(db: Queryable, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await db.query<{ n: number }>(sql, params);
  return rows[0]?.n ?? 0;
}
