/**
 * The cluster-wide rate limit (the store's SharedRateLimit): GCRA, one row per destination with
 * its theoretical arrival time (`tat`) and a `Retry-After` deadline, on the database's clock so that
 * relays on different machines agree. A request is allowed when `tat` is at most a burst (one
 * second of requests) ahead of now; it then moves `tat` one interval on. One statement per request,
 * plus a read when it must wait.
 */
import type pg from 'pg';
import type { SharedRateLimit } from '../types.js';
import { prepared } from './pool.js';

const NOW = '(extract(epoch FROM clock_timestamp()) * 1000)::float8';

// $2 = interval between requests (ms), $3 = how far ahead of now `tat` may be (the burst).
const TAKE = prepared(
  'rate_take',
  `
  INSERT INTO rate_limits AS r (name, tat) VALUES ($1, ${NOW} + $2)
  ON CONFLICT (name) DO UPDATE SET tat = greatest(r.tat, ${NOW}) + $2
    WHERE r.blocked_until <= ${NOW} AND greatest(r.tat, ${NOW}) - ${NOW} <= $3
  RETURNING tat`,
);

const WAIT = `
  SELECT greatest(blocked_until - ${NOW}, tat - ${NOW} - $2, 1)::float8 AS wait FROM rate_limits WHERE name = $1`;

const BLOCK = `
  INSERT INTO rate_limits AS r (name, tat, blocked_until) VALUES ($1, 0, ${NOW} + $2)
  ON CONFLICT (name) DO UPDATE SET blocked_until = greatest(r.blocked_until, excluded.blocked_until)`;

export class PostgresRateLimit implements SharedRateLimit {
  constructor(private readonly pool: pg.Pool) {}

  async take(destination: string, requestsPerSecond: number): Promise<number> {
    const interval = 1000 / requestsPerSecond;
    const burst = Math.max(1, requestsPerSecond) * interval - interval;
    const taken = await this.pool.query({ ...TAKE, values: [destination, interval, burst] });
    if (taken.rowCount === 1) return 0;
    const { rows } = await this.pool.query<{ wait: number }>(WAIT, [destination, burst]);
    return Math.ceil(rows[0]?.wait ?? 1);
  }

  async block(destination: string, ms: number): Promise<void> {
    await this.pool.query(BLOCK, [destination, ms]);
  }
}
