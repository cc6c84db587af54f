/**
 * Applying delivery results, all of one `complete` call in one transaction: jobs change only if
 * they are still in flight under this relay's lease, so a late or repeated result (after the
 * claim expired and another relay took the job over, say) changes nothing. Finished jobs
 * (delivered, filtered, dead) are deleted and read back in one DELETE … RETURNING; retried and
 * released ones are locked and read. Log entries, dead letters and retries each go in one
 * multi-row statement; the totals in this store's shard (see schema.ts).
 */
import type pg from 'pg';
import { errorColumns, exchangeColumns, OUTCOME_CODES } from '../sqlite/codec.js';
import type { CompleteInput, JobResult } from '../types.js';
import { Columns } from './columns.js';

interface InFlightRow {
  id: number;
  event_id: number;
  attempts: number;
  first_attempt_at: number | null;
}

const RETURNED = 'id, event_id, attempts, first_attempt_at';
const DELETE_FINISHED = `DELETE FROM jobs WHERE dest = $1 AND id = ANY($2::bigint[]) AND state = 1 AND owner = $3 RETURNING ${RETURNED}`;
const LOCK_STAYING = `SELECT ${RETURNED} FROM jobs WHERE dest = $1 AND id = ANY($2::bigint[]) AND state = 1 AND owner = $3 FOR UPDATE`;
// due_at > 0 marks "waiting for a retry" (see the jobs_waiting index).
const RETRY = `
  UPDATE jobs j SET state = 0, owner = NULL, attempts = j.attempts + 1,
    first_attempt_at = coalesce(j.first_attempt_at, $2), due_at = greatest(u.due, 1)
  FROM unnest($3::bigint[], $4::bigint[]) AS u(id, due) WHERE j.dest = $1 AND j.id = u.id`;
const RELEASE = 'UPDATE jobs SET state = 0, owner = NULL WHERE dest = $1 AND id = ANY($2::bigint[])';

const ERROR_EXCHANGE = `error_code, error_message, error_status, ex_method, ex_url, ex_request, ex_status, ex_response, ex_duration`;
const ERROR_EXCHANGE_TYPES = ['text', 'text', 'int', 'text', 'text', 'text', 'int', 'text', 'float8'];
/** The error and exchange parameters' casts, numbered from `first`. */
const errorExchangeParams = (first: number) =>
  ERROR_EXCHANGE_TYPES.map((type, i) => `$${first + i}::${type}[]`).join(', ');
const ERROR_EXCHANGE_U = 'ec, em, es, xm, xu, xq, xs, xr, xd';

const INSERT_LOG = `
  INSERT INTO log (id, at, dest, job_id, event_id, message_id, person, outcome, attempts, reason, ${ERROR_EXCHANGE})
  SELECT nextval('log_ids'), $1, $2, job, event, message_id, person, outcome, attempts, reason, ${ERROR_EXCHANGE_U}
  FROM (
    SELECT u.*, e.message_id, e.person FROM unnest($3::bigint[], $4::bigint[], $5::smallint[], $6::int[], $7::text[],
      ${errorExchangeParams(8)}) WITH ORDINALITY AS u(job, event, outcome, attempts, reason, ${ERROR_EXCHANGE_U}, ord)
    JOIN events e ON e.id = u.event ORDER BY u.ord
  ) entries`;

const INSERT_DEAD = `
  INSERT INTO dead_letters (dest, source, message_id, person, event, received_at, attempts, first_attempt_at,
    dead_at, ${ERROR_EXCHANGE})
  SELECT $1, e.source, e.message_id, e.person, e.body, e.received_at, u.attempts, u.first_at, $2, ${ERROR_EXCHANGE_U}
  FROM unnest($3::bigint[], $4::int[], $5::bigint[], ${errorExchangeParams(6)})
    WITH ORDINALITY AS u(event, attempts, first_at, ${ERROR_EXCHANGE_U}, ord)
  JOIN events e ON e.id = u.event ORDER BY u.ord`;

const ADD_TOTALS = `
  INSERT INTO totals AS t (dest, shard, delivered, filtered) VALUES ($1, $2, $3, $4)
  ON CONFLICT (dest, shard) DO UPDATE SET delivered = t.delivered + excluded.delivered,
    filtered = t.filtered + excluded.filtered`;

const errorAndExchange = (result: JobResult) => [
  ...errorColumns(result.outcome === 'retry' || result.outcome === 'dead' ? result.error : undefined),
  ...exchangeColumns(result.exchange),
];

/** Run inside a transaction. */
export async function completeJobs(
  client: pg.ClientBase,
  dest: number,
  input: CompleteInput,
  owner: number,
  shard: number,
): Promise<void> {
  const { now } = input;
  const jobs = await readJobs(client, dest, input, owner);
  const log = new Columns(14);
  const dead = new Columns(12);
  const retries = new Columns(2);
  const releases: number[] = [];
  let delivered = 0;
  let filtered = 0;
  for (const result of input.results) {
    const job = jobs.get(result.jobId);
    // Not in flight under this lease (or a second result for the same job): nothing to do.
    if (job === undefined) continue;
    jobs.delete(result.jobId);
    if (result.outcome === 'release') {
      releases.push(job.id);
      continue;
    }
    const attempts = job.attempts + 1;
    if (result.outcome === 'retry') retries.push(job.id, result.dueAt);
    else if (result.outcome === 'delivered') delivered++;
    else if (result.outcome === 'filtered') filtered++;
    else dead.push(job.event_id, attempts, job.first_attempt_at ?? now, ...errorAndExchange(result));
    log.push(
      job.id,
      job.event_id,
      OUTCOME_CODES[result.outcome],
      attempts,
      result.outcome === 'filtered' ? result.reason : null,
      ...errorAndExchange(result),
    );
  }
  if (retries.length > 0) await client.query(RETRY, [dest, now, ...retries.arrays]);
  if (releases.length > 0) await client.query(RELEASE, [dest, releases]);
  if (dead.length > 0) await client.query(INSERT_DEAD, [dest, now, ...dead.arrays]);
  if (log.length > 0) await client.query(INSERT_LOG, [now, dest, ...log.arrays]);
  if (delivered + filtered > 0) await client.query(ADD_TOTALS, [dest, shard, delivered, filtered]);
}

/** The in-flight rows these results are for; jobs that the results finish are deleted here. */
async function readJobs(
  client: pg.ClientBase,
  dest: number,
  input: CompleteInput,
  owner: number,
): Promise<Map<number, InFlightRow>> {
  const seen = new Set<number>();
  const finishing: number[] = [];
  const staying: number[] = [];
  for (const { jobId, outcome } of input.results) {
    if (seen.has(jobId)) continue;
    seen.add(jobId);
    if (outcome === 'retry' || outcome === 'release') staying.push(jobId);
    else finishing.push(jobId);
  }
  const jobs = new Map<number, InFlightRow>();
  for (const [sql, ids] of [
    [DELETE_FINISHED, finishing],
    [LOCK_STAYING, staying],
  ] as const) {
    if (ids.length === 0) continue;
    const { rows } = await client.query<InFlightRow>(sql, [dest, ids, owner]);
    for (const row of rows) jobs.set(row.id, row);
  }
  return jobs;
}
