/**
 * Housekeeping in short statements of at most PRUNE_CHUNK rows each, so no relay holds locks for
 * long and several relays may prune at once (they just share the work):
 * 1. dedupe keys older than the window;
 * 2. log rows (log-layout.ts) older than `logMaxAgeMs`, or whose entries all lie beyond the newest
 *    `logMaxEntries`, oldest first, LOG_CHUNK rows at a time (each holds a request's entries);
 *    the row that straddles the bound stays whole;
 * 3. dead letters older than `deadLetterMaxAgeMs` (when set), uncounted (counters.ts);
 * 4. events no job and no log entry refers to (dead letters keep their own copy), oldest first:
 *    those below the oldest event a job or log row refers to. Each chunk decides and deletes in
 *    one statement, so it sees one snapshot: an event whose job commits later is either invisible
 *    to it or seen with its job, never deleted under it; and below that bound no row refers to an
 *    event, so no event needs a look of its own (two index probes each, a third of what deleting
 *    an event cost).
 */
import type pg from 'pg';
import type { PruneOptions } from '../types.js';
import { addCounts, randomShard } from './counters.js';

export const PRUNE_CHUNK = 5000;

const EXPIRE_KEYS = `
  DELETE FROM dedupe WHERE ctid = ANY(ARRAY(SELECT ctid FROM dedupe WHERE at <= $1 LIMIT ${PRUNE_CHUNK}))`;

/** Log rows per statement: a row holds up to a request's entries and their request bodies. */
const LOG_CHUNK = 100;

// The newest row with at least $1 entries in newer rows: it and the older ones go. The walk stops
// there (the window's running sum is read row by row, newest first).
const SIZE_CUTOFF = `
  SELECT id FROM (SELECT id, sum(n) OVER (ORDER BY id DESC) - n AS newer FROM log) r WHERE newer >= $1 LIMIT 1`;

const TRIM_LOG = `
  DELETE FROM log WHERE id = ANY(ARRAY(
    SELECT id FROM log WHERE id <= $1 OR at < $2 ORDER BY id LIMIT ${LOG_CHUNK}))`;

const EXPIRE_DEAD_LETTERS = `
  WITH gone AS (
    DELETE FROM dead_letters WHERE id = ANY(ARRAY(
      SELECT id FROM dead_letters WHERE dead_at < $1 ORDER BY id LIMIT ${PRUNE_CHUNK}))
    RETURNING dest
  ), counted AS (${addCounts('gone', { dead: '-1' }, '$2')})
  SELECT count(*)::int AS n FROM gone`;

// The oldest events below the oldest one still referred to (two index lookups per chunk).
const DELETE_EVENTS = `
  DELETE FROM events WHERE id = ANY(ARRAY(
      SELECT id FROM events
      WHERE id < coalesce(least((SELECT min(event_id) FROM jobs), (SELECT min(first_event) FROM log)), 'Infinity'::numeric)
      ORDER BY id LIMIT ${PRUNE_CHUNK}))`;

export async function prune(pool: pg.Pool, options: PruneOptions, stopped: () => boolean): Promise<void> {
  await repeat(pool, EXPIRE_KEYS, [options.now - options.dedupeWindowMs], stopped);
  const maxEntries = Math.max(0, Math.floor(options.logMaxEntries));
  const { rows } = await pool.query<{ id: number }>(SIZE_CUTOFF, [maxEntries]);
  await repeat(pool, TRIM_LOG, [rows[0]?.id ?? -1, options.now - options.logMaxAgeMs], stopped, LOG_CHUNK);
  const deadLetterMaxAge = options.deadLetterMaxAgeMs ?? 0;
  if (deadLetterMaxAge > 0)
    await repeat(pool, EXPIRE_DEAD_LETTERS, [options.now - deadLetterMaxAge, randomShard()], stopped);
  await repeat(pool, DELETE_EVENTS, [], stopped);
}

async function repeat(
  pool: pg.Pool,
  sql: string,
  params: unknown[],
  stopped: () => boolean,
  chunk = PRUNE_CHUNK,
): Promise<void> {
  while (!stopped()) {
    // A counted delete answers its count as `n` (its rowCount is that of its one row).
    const { rows, rowCount } = await pool.query<{ n?: number }>(sql, params);
    if ((rows[0]?.n ?? rowCount ?? 0) < chunk) return;
  }
}
