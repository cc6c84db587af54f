/**
 * Queue statistics from the maintained counters (counters.ts): a destination's TOTAL_SHARDS rows
 * summed, and its jobs waiting for a retry that is not due yet from `retry_due`. The cost does not
 * grow with the queue, so /metrics and the admin API may read it as often as they like.
 */
import type pg from 'pg';
import { emptyQueueStats } from '../empty-stats.js';
import type { QueueStats } from '../types.js';
import type { Destinations } from './destinations.js';

interface Row {
  waiting: number;
  inFlight: number;
  dead: number;
  delivered: number;
  filtered: number;
  retrying: number;
  nextDueAt: number | null;
}

const STATS = `
  SELECT coalesce(sum(t.waiting), 0)::bigint AS "waiting", coalesce(sum(t.in_flight), 0)::bigint AS "inFlight",
    coalesce(sum(t.dead), 0)::bigint AS "dead", coalesce(sum(t.delivered), 0)::bigint AS "delivered",
    coalesce(sum(t.filtered), 0)::bigint AS "filtered", r.retrying AS "retrying", r.next AS "nextDueAt"
  FROM (SELECT count(*) AS retrying, min(due_at) AS next FROM retry_due WHERE dest = $1 AND due_at > $2) r
    LEFT JOIN totals t ON t.dest = $1
  GROUP BY r.retrying, r.next`;

export async function queueStats(
  pool: pg.Pool,
  destinations: Destinations,
  destination: string,
  now: number,
): Promise<QueueStats> {
  const dest = await destinations.find(destination);
  if (dest === undefined) return emptyQueueStats();
  const { rows } = await pool.query<Row>(STATS, [dest, now]);
  const { waiting, retrying, ...rest } = rows[0]!;
  // Waiting counts every job in state 0: those not due yet are the retrying ones.
  return { queued: waiting - retrying, retrying, ...rest };
}
