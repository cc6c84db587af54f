/**
 * Erasure of one person (GDPR), in one transaction: their jobs (in flight too: the owner's late
 * result then matches nothing) with their retry due times, log entries, events and dead letters;
 * the counters (counters.ts) lose what was deleted, last, as everywhere. The log and dead letters
 * are indexed by person; jobs and events are not (an index there would cost every append for a
 * rare operator action), so those two are scans.
 */
import type pg from 'pg';
import type { ForgetResult } from '../types.js';
import { addCounts, randomShard } from './counters.js';

interface Removed {
  dest: number;
  waiting: number;
  in_flight: number;
  dead: number;
}

const DELETE_JOBS = `
  WITH gone AS (DELETE FROM jobs WHERE person = $1 RETURNING id, dest, state),
    due AS (DELETE FROM retry_due r WHERE r.job IN (SELECT id FROM gone))
  SELECT dest, count(*) FILTER (WHERE state = 0)::int AS waiting, count(*) FILTER (WHERE state = 1)::int AS in_flight,
    0 AS dead
  FROM gone GROUP BY dest`;

const DELETE_DEAD_LETTERS = `
  WITH gone AS (DELETE FROM dead_letters WHERE person = $1 RETURNING dest)
  SELECT dest, 0 AS waiting, 0 AS in_flight, count(*)::int AS dead FROM gone GROUP BY dest`;

const UNCOUNT = addCounts(
  'unnest($1::int[], $2::int[], $3::int[], $4::int[]) AS c(dest, w, f, d)',
  { waiting: '-w', in_flight: '-f', dead: '-d' },
  '$5',
);

export async function forgetPerson(client: pg.ClientBase, personKey: string): Promise<ForgetResult> {
  const removed = async (sql: string) => (await client.query<Removed>(sql, [personKey])).rows;
  const count = async (sql: string) => (await client.query(sql, [personKey])).rowCount ?? 0;
  const jobs = await removed(DELETE_JOBS);
  const logEntries = await count('DELETE FROM log WHERE person = $1');
  const events = await count('DELETE FROM events WHERE person = $1');
  const deadLetters = await removed(DELETE_DEAD_LETTERS);
  const rows = [...jobs, ...deadLetters];
  if (rows.length > 0) {
    await client.query(UNCOUNT, [
      rows.map((r) => r.dest),
      rows.map((r) => r.waiting),
      rows.map((r) => r.in_flight),
      rows.map((r) => r.dead),
      randomShard(),
    ]);
  }
  const total = (list: Removed[], of: (r: Removed) => number) => list.reduce((n, r) => n + of(r), 0);
  return {
    jobs: total(jobs, (r) => r.waiting + r.in_flight),
    logEntries,
    events,
    deadLetters: total(deadLetters, (r) => r.dead),
  };
}
