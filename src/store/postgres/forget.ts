/**
 * Erasure of one person (GDPR), in one transaction: their jobs (in flight too: the owner's late
 * result then matches nothing) with their retry due times, events, log entries and dead letters;
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
  /** The jobs deleted (DELETE_JOBS only). */
  ids?: string[];
}

const DELETE_JOBS = `
  WITH gone AS (DELETE FROM jobs WHERE person = $1 RETURNING id, dest, state)
  SELECT dest, count(*) FILTER (WHERE state = 0)::int AS waiting, count(*) FILTER (WHERE state = 1)::int AS in_flight,
    0 AS dead, array_agg(id) AS ids
  FROM gone GROUP BY dest`;

// A statement of its own: a retry recorded for one of those jobs while the delete above waited for
// the job's lock committed its due time after that statement began, where only a later one sees it.
const DELETE_DUE = 'DELETE FROM retry_due WHERE job = ANY($1::bigint[])';

// Each statement sees what committed before it began: an event appended (with its job) after the
// jobs were deleted keeps its job, so it keeps its event too (a job without its event could be
// claimed, then fail to record its result). The log goes after the events, so that the entry of
// such a job delivered meanwhile goes as well.
const DELETE_EVENTS = `
  DELETE FROM events e WHERE e.person = $1 AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.event_id = e.id)`;

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
  if (jobs.length > 0) await client.query(DELETE_DUE, [jobs.flatMap((r) => r.ids ?? [])]);
  const events = await count(DELETE_EVENTS);
  const logEntries = await count('DELETE FROM log WHERE person = $1');
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
