/**
 * Applying delivery results, all of one `complete` call in one statement (one round trip, one
 * transaction): jobs change only if they are still in flight under this relay's lease, so a late
 * or repeated result (after the claim expired and another relay took the job over, say) changes
 * nothing. Data-modifying CTEs: finished jobs (delivered, filtered, dead) are deleted, retried and
 * released ones updated; the log entries, dead letters, retry due times and the counters
 * (counters.ts, shard $4) are written from what those returned, joined with the events.
 */
import { errorColumns, exchangeColumns, OUTCOME_CODES } from '../sqlite/codec.js';
import type { CompleteInput, JobResult } from '../types.js';
import { arrayLiteral } from './array-literal.js';
import { Columns } from './columns.js';
import { addCounts } from './counters.js';
import { idsIn } from './ids-in.js';
import { prepared, type Queryable } from './pool.js';

const RELEASE = 4;
const ERROR_EXCHANGE =
  'error_code, error_message, error_status, ex_method, ex_url, ex_request, ex_status, ex_response, ex_duration';
const ERROR_EXCHANGE_U = 'i.ec, i.em, i.es, i.xm, i.xu, i.xq, i.xs, i.xr, i.xd';

// Jobs are found in the queue's (dest, id) index within the range of the call's ids, $22…$23
// (ids-in.ts). $1 dest, $2 owner, $3 now, $4 shard, $5…$17 and $21 one array per input column,
// $18…$20 the ids of the finished, retried and released jobs. The log takes the
// message id this relay kept from the claim (held.ts) and the person from the job, so the event is
// read only for a dead letter, or when the message id is not known here.
const COMPLETE = prepared(
  'complete',
  `
  WITH input AS (
    SELECT * FROM unnest($5::bigint[], $6::smallint[], $7::text[], $8::bigint[],
      $9::text[], $10::text[], $11::int[], $12::text[], $13::text[], $14::text[], $15::int[], $16::text[], $17::float8[], $21::text[])
      WITH ORDINALITY AS u(job, outcome, reason, due, ec, em, es, xm, xu, xq, xs, xr, xd, mid, ord)
  ), finished AS (
    DELETE FROM jobs j
    WHERE j.dest = $1 AND ${idsIn('$22', '$23', '$18::bigint[]')} AND j.state = 1 AND j.owner = $2
    RETURNING j.id, j.event_id, j.attempts + 1 AS attempts, coalesce(j.first_attempt_at, $3) AS first_at, j.person
  ), retried AS (
    UPDATE jobs j SET state = 0, owner = NULL, attempts = j.attempts + 1,
      first_attempt_at = coalesce(j.first_attempt_at, $3), due_at = greatest(i.due, 1)
    FROM input i WHERE j.dest = $1 AND ${idsIn('$22', '$23', '$19::bigint[]')} AND i.job = j.id AND j.state = 1 AND j.owner = $2
    RETURNING j.id, j.event_id, j.attempts, j.first_attempt_at AS first_at, j.person
  ), released AS (
    UPDATE jobs j SET state = 0, owner = NULL
    WHERE j.dest = $1 AND ${idsIn('$22', '$23', '$20::bigint[]')} AND j.state = 1 AND j.owner = $2
    RETURNING j.id
  ), done AS (
    SELECT t.*, i.*, coalesce(i.mid, x.message_id) AS message_id, x.source, x.body, x.received_at
    FROM (SELECT * FROM finished UNION ALL SELECT * FROM retried) t
    JOIN input i ON i.job = t.id
    -- LIMIT keeps the subquery apart, so its condition on the input gates the lookup itself.
    LEFT JOIN LATERAL (
      SELECT e.source, e.message_id, e.body, e.received_at FROM events e
      WHERE e.id = t.event_id AND (i.mid IS NULL OR i.outcome = 3) LIMIT 1
    ) x ON true
  ), logged AS (
    INSERT INTO log (id, at, dest, job_id, event_id, message_id, person, outcome, attempts, reason, ${ERROR_EXCHANGE})
    SELECT nextval('log_ids'), $3, $1, job, event_id, message_id, person, outcome, attempts, reason,
      ec, em, es, xm, xu, xq, xs, xr, xd
    FROM (SELECT * FROM done ORDER BY ord) ordered
  ), dead AS (
    INSERT INTO dead_letters (dest, source, message_id, person, event, received_at, attempts, first_attempt_at,
      dead_at, ${ERROR_EXCHANGE})
    SELECT $1, i.source, i.message_id, i.person, i.body, i.received_at, i.attempts, i.first_at, $3, ${ERROR_EXCHANGE_U}
    FROM done i WHERE i.outcome = 3 ORDER BY i.ord
  ), due AS (
    INSERT INTO retry_due (job, dest, due_at)
    SELECT r.id, $1, greatest(i.due, 1) FROM retried r JOIN input i ON i.job = r.id
    ON CONFLICT (job) DO UPDATE SET due_at = excluded.due_at
  ), moved AS (
    -- Reads every job-changing CTE, so all of them have run before the counters are locked.
    SELECT $1::integer AS dest, d.outcome::integer, -1 AS in_flight, (d.outcome = 2)::int AS waiting FROM done d
    UNION ALL SELECT $1, ${RELEASE}, -1, 1 FROM released
  ), counted AS (
    ${addCounts(
      'moved',
      {
        waiting: 'waiting',
        in_flight: 'in_flight',
        dead: '(outcome = 3)::int',
        delivered: '(outcome = 0)::int',
        filtered: '(outcome = 1)::int',
      },
      '$4',
    )}
  )
  SELECT (SELECT count(*) FROM done) + (SELECT count(*) FROM released) AS settled`,
);

const errorAndExchange = (result: JobResult) => [
  ...errorColumns(result.outcome === 'retry' || result.outcome === 'dead' ? result.error : undefined),
  ...exchangeColumns(result.exchange),
];

/** One statement; the first result of a job counts, repeated ones change nothing. */
export async function completeJobs(
  db: Queryable,
  dest: number,
  input: CompleteInput,
  owner: number,
  shard: number,
  /** The message id of a job claimed here, if known. */
  messageIdOf: (jobId: number) => string | undefined,
): Promise<void> {
  const columns = new Columns(13);
  const messageIds: (string | null)[] = [];
  const seen = new Set<number>();
  for (const result of input.results) {
    if (seen.has(result.jobId)) continue;
    seen.add(result.jobId);
    columns.push(
      result.jobId,
      result.outcome === 'release' ? RELEASE : OUTCOME_CODES[result.outcome],
      result.outcome === 'filtered' ? result.reason : null,
      result.outcome === 'retry' ? result.dueAt : null,
      ...errorAndExchange(result),
    );
    messageIds.push(messageIdOf(result.jobId) ?? null);
  }
  // The jobs by outcome as plain arrays as well, so that each statement reaches them by index.
  const byKind: [number[], number[], number[]] = [[], [], []];
  const jobIds = columns.arrays[0] as number[];
  // No range to bound the ids by (ids-in.ts), and nothing to record.
  if (jobIds.length === 0) return;
  for (const [i, jobId] of jobIds.entries()) {
    const code = columns.arrays[1]![i] as number;
    byKind[code === OUTCOME_CODES.retry ? 1 : code === RELEASE ? 2 : 0].push(jobId);
  }
  await db.query({
    ...COMPLETE,
    values: [
      dest,
      owner,
      input.now,
      shard,
      ...columns.literals(),
      ...byKind.map(arrayLiteral),
      arrayLiteral(messageIds),
      Math.min(...jobIds),
      Math.max(...jobIds),
    ],
  });
}
