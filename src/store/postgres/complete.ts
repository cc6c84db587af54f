/**
 * Applying delivery results, all of one `complete` call in one statement (one round trip, one
 * transaction; one per LOG_STRIDE results, a log row's most): jobs change only if they are still in flight under this relay's lease, so a late
 * or repeated result (after the claim expired and another relay took the job over, say) changes
 * nothing. Data-modifying CTEs: finished jobs (delivered, filtered, dead) and forgotten ones are
 * deleted, retried and released ones updated; the log row, dead letters, retry due times and the counters
 * (counters.ts, shard $4) are written from what those returned, joined with the events.
 */

import { ERROR_EXCHANGE_SELECT, errorColumns, OUTCOME_CODES } from '../codec.js';
import { ExchangeHeads } from '../exchange-heads.js';
import type { CompleteInput, JobResult } from '../types.js';
import { arrayLiteral } from './array-literal.js';
import { Columns } from './columns.js';
import { addCounts, FORGOTTEN } from './counters.js';
import { idsIn } from './ids-in.js';
import {
  ENTRY_ARRAYS,
  headExchangeColumns,
  LOG_STRIDE,
  messageHash,
  personHash,
  rareBit,
} from './log-layout.js';
import { prepared, type Queryable } from './pool.js';

const RELEASE = 4;

// Jobs are found in the queue's (dest, id) index within the range of the call's ids, $19…$20
// (ids-in.ts). $1 dest, $2 owner, $3 now, $4 shard, $5…$14 one array per input column, $15…$17
// the ids of the finished, retried and released jobs, $18 the distinct exchanges (JSON, indexed by
// the head column). The log takes the message id this relay kept from the claim (held.ts) and the
// person from the job, so the event is read only for a dead letter, or when the message id is not
// known here; the call's entries become one log row (log-layout.ts), written from rows in input
// order (the aggregates all read them in one pass, so the arrays stay aligned).
const COMPLETE = prepared(
  'complete',
  `
  WITH input AS (
    SELECT * FROM unnest($5::bigint[], $6::smallint[], $7::text[], $8::bigint[],
      $9::text[], $10::text[], $11::int[], $12::smallint[], $13::text[], $14::text[])
      WITH ORDINALITY AS u(job, outcome, reason, due, ec, em, es, head, request, mid, ord)
  ), finished AS (
    -- Forgotten jobs (forget.ts) end with any result, leaving nothing else behind.
    DELETE FROM jobs j
    WHERE j.dest = $1 AND ${idsIn('$19', '$20', '$5::bigint[]')} AND j.owner = $2
      AND (j.state = ${FORGOTTEN} OR (j.state = 1 AND j.id = ANY($15::bigint[])))
    RETURNING j.id, j.event_id, j.attempts + 1 AS attempts, coalesce(j.first_attempt_at, $3) AS first_at, j.person,
      j.state
  ), retried AS (
    UPDATE jobs j SET state = 0, owner = NULL, attempts = j.attempts + 1,
      first_attempt_at = coalesce(j.first_attempt_at, $3), due_at = greatest(i.due, 1)
    FROM input i WHERE j.dest = $1 AND ${idsIn('$19', '$20', '$16::bigint[]')} AND i.job = j.id AND j.state = 1 AND j.owner = $2
    RETURNING j.id, j.event_id, j.attempts, j.first_attempt_at AS first_at, j.person
  ), released AS (
    UPDATE jobs j SET state = 0, owner = NULL
    WHERE j.dest = $1 AND ${idsIn('$19', '$20', '$17::bigint[]')} AND j.state = 1 AND j.owner = $2
    RETURNING j.id
  ), done AS (
    SELECT t.*, i.*, coalesce(i.mid, x.message_id) AS message_id, x.source, x.body, x.received_at
    FROM (SELECT id, event_id, attempts, first_at, person FROM finished WHERE state = 1
      UNION ALL SELECT * FROM retried) t
    JOIN input i ON i.job = t.id
    -- LIMIT keeps the subquery apart, so its condition on the input gates the lookup itself.
    LEFT JOIN LATERAL (
      SELECT e.source, e.message_id, e.body, e.received_at FROM events e
      WHERE e.id = t.event_id AND (i.mid IS NULL OR i.outcome = 3) LIMIT 1
    ) x ON true
  ), logged AS (
    INSERT INTO log (id, at, dest, n, rare, first_event, keys, exchanges,
      ${ENTRY_ARRAYS.map(([column]) => column).join(', ')})
    SELECT nextval('log_ids'), $3, $1, count(*), bit_or(${rareBit('outcome')}), min(event_id),
      array_agg(${messageHash('message_id')}) || array_agg(${personHash('person')}), $18,
      ${ENTRY_ARRAYS.map(([, name]) => `array_agg(${name})`).join(', ')}
    FROM (SELECT * FROM done ORDER BY ord) ordered
    HAVING count(*) > 0
  ), dead AS (
    INSERT INTO dead_letters (dest, source, message_id, person, event, received_at, attempts, first_attempt_at,
      dead_at, ${ERROR_EXCHANGE_SELECT})
    SELECT $1, i.source, i.message_id, i.person, i.body, i.received_at, i.attempts, i.first_at, $3, i.ec, i.em, i.es,
      ${headExchangeColumns('x.h', 'i.request')}
    FROM done i CROSS JOIN LATERAL (SELECT $18::json -> i.head AS h) x WHERE i.outcome = 3 ORDER BY i.ord
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

/** One statement per LOG_STRIDE results (a log row's most); the first result of a job counts. */
export async function completeJobs(
  db: Queryable,
  dest: number,
  input: CompleteInput,
  owner: number,
  shard: number,
  /** The message id of a job claimed here, if known. */
  messageIdOf: (jobId: number) => string | undefined,
): Promise<void> {
  const seen = new Set<number>();
  const results = input.results.filter((result) => !seen.has(result.jobId) && seen.add(result.jobId));
  for (let from = 0; from < results.length; from += LOG_STRIDE) {
    const part = results.slice(from, from + LOG_STRIDE);
    await db.query({ ...COMPLETE, values: completeValues(dest, input.now, part, owner, shard, messageIdOf) });
  }
}

function completeValues(
  dest: number,
  now: number,
  results: readonly JobResult[],
  owner: number,
  shard: number,
  messageIdOf: (jobId: number) => string | undefined,
): unknown[] {
  const columns = new Columns(10);
  const exchanges = new ExchangeHeads();
  // The jobs by outcome as plain arrays as well, so that each statement reaches them by index.
  const byKind: [number[], number[], number[]] = [[], [], []];
  for (const result of results) {
    const code = result.outcome === 'release' ? RELEASE : OUTCOME_CODES[result.outcome];
    const error = result.outcome === 'retry' || result.outcome === 'dead' ? result.error : undefined;
    const exchange = result.outcome === 'release' ? undefined : result.exchange;
    columns.push(
      result.jobId,
      code,
      result.outcome === 'filtered' ? result.reason : null,
      result.outcome === 'retry' ? result.dueAt : null,
      ...errorColumns(error),
      exchanges.indexOf(exchange) ?? null,
      exchange?.requestBody ?? null,
      messageIdOf(result.jobId) ?? null,
    );
    byKind[code === OUTCOME_CODES.retry ? 1 : code === RELEASE ? 2 : 0].push(result.jobId);
  }
  const jobIds = results.map((result) => result.jobId);
  return [
    dest,
    owner,
    now,
    shard,
    ...columns.literals(),
    ...byKind.map(arrayLiteral),
    exchanges.json(),
    Math.min(...jobIds),
    Math.max(...jobIds),
  ];
}
