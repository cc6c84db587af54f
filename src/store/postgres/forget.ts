/**
 * Erasure of one person (GDPR), in one transaction: their jobs (those in flight kept as forgotten
 * until their result, which then only deletes them) with their retry due times, events, log entries
 * and dead letters; the counters (counters.ts) lose what was deleted, last, as everywhere. Dead
 * letters are indexed by person and log rows by a hash of their persons (log-layout.ts): the
 * person's entries are erased from the rows that hold them, and rows left without one deleted. Jobs
 * and events are not indexed by person (an index there would cost every append for a rare operator
 * action), so those two are scans.
 */
import type pg from 'pg';
import type { ForgetResult } from '../types.js';
import { addCounts, FORGOTTEN, randomShard } from './counters.js';
import { ENTRY_ARRAYS, messageHash, personHash, unnestEntries } from './log-layout.js';

interface Removed {
  dest: number;
  waiting: number;
  in_flight: number;
  dead: number;
  /** The jobs deleted (DELETE_JOBS only). */
  ids?: string[];
}

// In flight (state 1), a job stays as a forgotten one (state 2, uncounted): a barrier in the
// claim's walk, so what is queued for the person next (the regulation's Delete Person) waits for
// the batch on its way, which could otherwise recreate the person after the delete. Its result, or
// its owner's lease ending, deletes it (complete.ts, counters.ts requeue). It is deleted and
// inserted again rather than updated: one statement judges every job by its latest state (a
// claim that committed meanwhile, say), where an update beside the delete would go by its snapshot.
// (Should the owner record its result while this waits for the job's lock, the forgotten copy
// stays until the owner's next sweep, held.ts.)
const DELETE_JOBS = `
  WITH gone AS (
    DELETE FROM jobs WHERE person = $1 AND state <> ${FORGOTTEN}
    RETURNING dest, id, event_id, person, slot, state, owner, attempts, first_attempt_at, due_at, appender
  ), kept AS (
    INSERT INTO jobs (dest, id, event_id, person, slot, state, owner, attempts, first_attempt_at, due_at, appender)
    SELECT dest, id, event_id, person, slot, ${FORGOTTEN}, owner, attempts, first_attempt_at, due_at, appender
    FROM gone WHERE state = 1
  )
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
  DELETE FROM events e WHERE e.person = $1
    AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.event_id = e.id AND j.state <> ${FORGOTTEN})`;

// The rows that may hold the person, locked first: the statement below then sees their latest
// version (an erasure of another person sharing a row committed meanwhile, say).
const LOCK_LOG = `SELECT id FROM log WHERE keys @> ARRAY[${personHash('$1::text')}] FOR UPDATE`;

// Every entry array but the job ids, each with its erased entries' value: entries keep their places
// (their ids are the row's id plus their index) and job ids; an erased entry's event is 0.
const ERASED = ENTRY_ARRAYS.filter(([column]) => column !== 'jobs').map(
  ([column, name]) => [column, name, column === 'events' ? '0' : 'NULL'] as const,
);

const ERASE_LOG = `
  WITH hit AS (
    SELECT l.id, count(*) FILTER (WHERE u.person = $1) AS k,
      ${ERASED.map(
        ([column, name, erased]) =>
          `array_agg(CASE WHEN u.person = $1 THEN ${erased} ELSE u.${name} END ORDER BY u.i) AS ${column}`,
      ).join(', ')},
      coalesce(array_agg(${messageHash('u.message_id')}) FILTER (WHERE u.person <> $1), '{}')
        || coalesce(array_agg(${personHash('u.person')}) FILTER (WHERE u.person <> $1), '{}') AS keys,
      min(u.event_id) FILTER (WHERE u.person <> $1) AS first_event
    FROM log l CROSS JOIN LATERAL ${unnestEntries('l', 'u')}
    WHERE l.keys @> ARRAY[${personHash('$1::text')}]
    GROUP BY l.id HAVING count(*) FILTER (WHERE u.person = $1) > 0
  ), erased AS (
    UPDATE log l SET n = l.n - h.k, ${ERASED.map(([column]) => `${column} = h.${column}`).join(', ')},
      keys = h.keys, first_event = h.first_event
    FROM hit h WHERE l.id = h.id AND l.n > h.k
    RETURNING h.k
  ), emptied AS (
    DELETE FROM log l USING hit h WHERE l.id = h.id AND l.n <= h.k
    RETURNING h.k
  )
  SELECT (SELECT coalesce(sum(k), 0) FROM erased) + (SELECT coalesce(sum(k), 0) FROM emptied) AS n`;

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
  await client.query(LOCK_LOG, [personKey]);
  const { rows: erased } = await client.query<{ n: string }>(ERASE_LOG, [personKey]);
  const logEntries = Number(erased[0]!.n);
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
