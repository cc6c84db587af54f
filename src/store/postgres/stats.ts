/**
 * Queue statistics, counted from the destination's jobs in one pass over its rows (there are no
 * shared counters for every relay to update on each claim), plus dead letters and the totals'
 * shards. The cost grows with the queue: fine for the admin API, not for a per-event path.
 */
import type pg from 'pg';
import { emptyQueueStats } from '../empty-stats.js';
import type { QueueStats } from '../types.js';
import type { Destinations } from './destinations.js';

export async function queueStats(
  pool: pg.Pool,
  destinations: Destinations,
  destination: string,
  now: number,
): Promise<QueueStats> {
  const dest = await destinations.find(destination);
  if (dest === undefined) return emptyQueueStats();
  const { rows } = await pool.query<QueueStats>(
    `SELECT q.*, (SELECT count(*) FROM dead_letters WHERE dest = $1) AS "dead",
       coalesce(t.delivered, 0) AS "delivered", coalesce(t.filtered, 0) AS "filtered"
     FROM (SELECT count(*) FILTER (WHERE state = 0 AND due_at <= $2) AS "queued",
             count(*) FILTER (WHERE state = 1) AS "inFlight",
             count(*) FILTER (WHERE state = 0 AND due_at > $2) AS "retrying",
             min(due_at) FILTER (WHERE state = 0 AND due_at > $2) AS "nextDueAt"
           FROM jobs WHERE dest = $1) q,
       (SELECT sum(delivered)::bigint AS delivered, sum(filtered)::bigint AS filtered FROM totals WHERE dest = $1) t`,
    [dest, now],
  );
  return rows[0]!;
}
