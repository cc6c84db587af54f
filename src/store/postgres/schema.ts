/**
 * The PostgreSQL schema, versioned in `cio_schema_version`: migration i brings a schema from version
 * i to i + 1. Several relays may start at once: migrations run in one transaction holding an
 * advisory lock named after the schema, so one process migrates and the others then find the work
 * done. A schema written by a newer relay is refused.
 *
 * Layout (times are epoch milliseconds, ids come from sequences):
 * - `destinations`: name ↔ id and the persisted pause; `claim_slots`: SLOTS rows per destination,
 *   locked by claims (claim.ts); `totals`: the queue's counters (waiting, in flight, dead,
 *   delivered, filtered), sharded so that concurrent transactions do not queue on one row, and
 *   `retry_due`: the jobs waiting for a retry (counters.ts).
 * - `events`: each accepted event once; deleted by prune once no job or log entry refers to it.
 * - `jobs`: one per (event, destination), ids in arrival order, walked by (dest, id); `slot` is the
 *   person's hash bucket; in-flight jobs carry the `owner` (a relay in `workers`) holding the lease;
 *   `appender` is the relay that appended the job.
 *   Jobs, events and the log are partitioned by ranges of ids (partitions.ts): an emptied range is
 *   dropped whole, so the head of the queue that claims walk never fills with dead rows.
 * - `workers`: one row per running relay with its lease deadline (lease.ts).
 * - `dedupe`: (source, messageId) → time last accepted.
 * - `log`: one row per result call, its entries in parallel arrays (log-layout.ts); it refers to
 *   their events for the bodies. `dead_letters`: as in SQLite.
 * - `rate_limits`: per destination, the GCRA state shared by every relay (rate-limit.ts).
 */
import pg from 'pg';
import { CLAIM_FUNCTION, CLAIM_UNORDERED_FUNCTION, SLOTS } from './claim-function.js';
import { LOG_COLUMNS, LOG_INDEXES, LOG_STRIDE, messageHash, personHash, rareBit } from './log-layout.js';

export { SLOTS };

/** The HTTP status of an error and the exchange, as the log and dead letters keep them. */
const EXCHANGE_COLUMNS = `error_status integer, ex_method text, ex_url text, ex_request text, ex_status integer,
    ex_response text, ex_duration double precision`;

/** Exported for the migration test. */
export const migrations: readonly string[] = [
  `
  CREATE TABLE destinations (
    id serial PRIMARY KEY,
    name text NOT NULL UNIQUE,
    paused text
  );
  CREATE TABLE claim_slots (
    dest integer NOT NULL,
    slot integer NOT NULL,
    PRIMARY KEY (dest, slot)
  );
  CREATE TABLE totals (
    dest integer NOT NULL,
    shard integer NOT NULL,
    delivered bigint NOT NULL DEFAULT 0,
    filtered bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (dest, shard)
  );
  CREATE TABLE workers (
    id serial PRIMARY KEY,
    lease_until timestamptz NOT NULL,
    started_at timestamptz NOT NULL DEFAULT now(),
    host text NOT NULL,
    pid integer NOT NULL
  );

  CREATE SEQUENCE event_ids;
  CREATE TABLE events (
    id bigint PRIMARY KEY,
    source text NOT NULL,
    message_id text NOT NULL,
    person text NOT NULL,
    received_at bigint NOT NULL,
    body text NOT NULL
  ) PARTITION BY RANGE (id);

  CREATE SEQUENCE job_ids;
  CREATE TABLE jobs (
    dest integer NOT NULL,
    id bigint NOT NULL,
    event_id bigint NOT NULL,
    person text NOT NULL,
    slot smallint NOT NULL,
    state smallint NOT NULL DEFAULT 0,
    owner integer,
    attempts integer NOT NULL DEFAULT 0,
    first_attempt_at bigint,
    due_at bigint NOT NULL DEFAULT 0,
    -- Job ids are unique across destinations: results and claims find their jobs by id alone (a
    -- lookup per id whatever the planner thinks of the table's size); the walk uses jobs_queue.
    -- (Dropped in 5: they name the destination and use jobs_queue.)
    PRIMARY KEY (id)
  ) PARTITION BY RANGE (id);
  CREATE INDEX jobs_queue ON jobs (dest, id);
  -- No index on state, owner or due_at: claims and retries then update a job in place (a HOT
  -- update, with room left by the partitions' fillfactor) without new index entries, and the
  -- queue's index gets no dead entry per claim. What needs in-flight jobs (lease take-over, stats)
  -- scans instead; it runs every few seconds, not per event. (Since 3, stats read counters.)
  CREATE INDEX jobs_event ON jobs (event_id);

  CREATE TABLE dedupe (
    source text NOT NULL,
    message_id text NOT NULL,
    at bigint NOT NULL,
    PRIMARY KEY (source, message_id)
  );
  CREATE INDEX dedupe_at ON dedupe (at);

  CREATE SEQUENCE log_ids;
  CREATE TABLE log (
    id bigint PRIMARY KEY,
    at bigint NOT NULL,
    dest integer NOT NULL,
    job_id bigint NOT NULL,
    event_id bigint NOT NULL,
    message_id text NOT NULL,
    person text NOT NULL,
    outcome smallint NOT NULL,
    attempts integer NOT NULL,
    reason text,
    error_code text,
    error_message text,
    ${EXCHANGE_COLUMNS}
  ) PARTITION BY RANGE (id);
  CREATE INDEX log_message ON log (message_id);
  CREATE INDEX log_person ON log (person);
  CREATE INDEX log_dest ON log (dest, id); -- dropped in 2
  CREATE INDEX log_event ON log (event_id);
  -- Most entries are 'delivered' (0): only the rarer outcomes pay for an index.
  CREATE INDEX log_outcome ON log (outcome, id) WHERE outcome <> 0;

  CREATE TABLE dead_letters (
    id bigserial PRIMARY KEY,
    dest integer NOT NULL,
    source text NOT NULL,
    message_id text NOT NULL,
    person text NOT NULL,
    event text NOT NULL,
    received_at bigint NOT NULL,
    attempts integer NOT NULL,
    first_attempt_at bigint,
    dead_at bigint NOT NULL,
    error_code text NOT NULL,
    error_message text NOT NULL,
    ${EXCHANGE_COLUMNS}
  );
  CREATE INDEX dead_letters_dest ON dead_letters (dest, id);
  CREATE INDEX dead_letters_person ON dead_letters (person);

  -- Replaced by claim-function.ts's current version once migrated.
  -- An ordered claim in one round trip (see claim.ts): lock the free person buckets (or wait for
  -- one when all are held), walk the first p_scan unfinished jobs of those buckets in id order, and
  -- take the first p_limit whose person has nothing earlier in flight or waiting. A lost claim
  -- commit only puts jobs back in the queue, so it does not wait for the WAL flush.
  CREATE FUNCTION cio_claim(p_dest integer, p_owner integer, p_now bigint, p_limit integer, p_scan integer)
  RETURNS TABLE (id bigint, event_id bigint, attempts integer, first_attempt_at bigint, source text,
    message_id text, person text, received_at bigint, body text)
  -- A queue's statistics are always stale: walk the primary key in order, never a bitmap plus sort.
  LANGUAGE plpgsql SET enable_bitmapscan = off SET enable_seqscan = off AS $fn$
  DECLARE
    held integer[];
    chosen bigint[];
    k integer;
  BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    SELECT array_agg(s.slot) INTO held
      FROM (SELECT c.slot FROM claim_slots c WHERE c.dest = p_dest FOR UPDATE SKIP LOCKED) s;
    IF held IS NULL THEN
      -- One bucket drawn once (random() in the WHERE clause would be drawn again for every row).
      k := floor(random() * ${SLOTS})::integer;
      PERFORM 1 FROM claim_slots c WHERE c.dest = p_dest AND c.slot = k FOR UPDATE;
      SELECT array_agg(s.slot) INTO held
        FROM (SELECT c.slot FROM claim_slots c WHERE c.dest = p_dest FOR UPDATE SKIP LOCKED) s;
      IF held IS NULL THEN RETURN; END IF;
    END IF;
    -- The first p_limit free jobs among the first k rows are the same whatever rows follow: walk a
    -- few rows first, all p_scan only when those did not give p_limit jobs.
    -- Enough for the jobs in flight at the head of the queue (concurrency × limit) and then some.
    k := least(p_scan, greatest(8 * p_limit, 256));
    LOOP
      WITH scan AS (
        -- Holding every bucket (one relay, or no contention) needs no bucket filter.
        SELECT j.id, j.person, (j.state = 0 AND j.due_at <= p_now) AS ready FROM jobs j
        WHERE j.dest = p_dest AND (cardinality(held) = ${SLOTS} OR j.slot = ANY(held))
        ORDER BY j.dest, j.id LIMIT k
      ), barrier AS (
        SELECT b.id, bool_and(b.ready) OVER (PARTITION BY b.person ORDER BY b.id) AS free FROM scan b
      )
      SELECT array_agg(c.id) INTO chosen FROM (SELECT c.id FROM barrier c WHERE c.free ORDER BY c.id LIMIT p_limit) c;
      EXIT WHEN coalesce(cardinality(chosen), 0) >= p_limit OR k >= p_scan;
      k := p_scan;
    END LOOP;
    RETURN QUERY
    UPDATE jobs j SET state = 1, owner = p_owner, due_at = 0 FROM events e
    WHERE j.id = ANY(chosen) AND e.id = j.event_id
    RETURNING j.id, j.event_id, j.attempts, j.first_attempt_at, e.source, e.message_id, e.person,
      e.received_at, e.body;
  END
  $fn$;

  CREATE TABLE rate_limits (
    name text PRIMARY KEY,
    tat double precision NOT NULL,
    blocked_until double precision NOT NULL DEFAULT 0
  );
  `,
  // 2: no index on the log's destination (as in the SQLite store's schema 4): a relay has a few
  // destinations, so it narrowed a search little, while every result paid for one more index entry
  // per job (one of the seven WAL records a delivered job cost). A search by destination walks the
  // log's primary key newest first instead.
  `
  DROP INDEX log_dest;
  `,
  // 3: maintained queue counters (counters.ts) instead of counting the queue in stats: waiting,
  // in-flight and dead counts beside the totals, and the jobs waiting for a retry; both filled from
  // the rows already there. cio_claim now keeps them (claim-function.ts).
  `
  ALTER TABLE totals ADD COLUMN waiting bigint NOT NULL DEFAULT 0,
    ADD COLUMN in_flight bigint NOT NULL DEFAULT 0, ADD COLUMN dead bigint NOT NULL DEFAULT 0;
  CREATE TABLE retry_due (
    job bigint PRIMARY KEY,
    dest integer NOT NULL,
    due_at bigint NOT NULL
  );
  CREATE INDEX retry_due_dest ON retry_due (dest, due_at);
  INSERT INTO retry_due (job, dest, due_at) SELECT id, dest, due_at FROM jobs WHERE state = 0 AND due_at > 0;
  INSERT INTO totals AS t (dest, shard, waiting, in_flight, dead)
  SELECT dest, 0, sum(w), sum(f), sum(d) FROM (
      SELECT dest, count(*) FILTER (WHERE state = 0) AS w, count(*) FILTER (WHERE state = 1) AS f, 0 AS d
      FROM jobs GROUP BY dest
      UNION ALL SELECT dest, 0, 0, count(*) FROM dead_letters GROUP BY dest) c
    GROUP BY dest
  ON CONFLICT (dest, shard) DO UPDATE SET waiting = excluded.waiting, in_flight = excluded.in_flight,
    dead = excluded.dead;
  `,
  // 4: cio_claim takes at most p_buckets buckets (claim-function.ts), so claims of several relays
  // run side by side; the new signature is installed after migrating.
  `
  DROP FUNCTION IF EXISTS cio_claim(integer, integer, bigint, integer, integer);
  `,
  // 5: no index on the job id alone: every statement that finds jobs by id knows their
  // destination, so the queue's (dest, id) index finds them, and each job inserted writes one index
  // entry fewer (five B-tree entries per event instead of six). cio_claim's update names the
  // destination (claim-function.ts).
  `
  ALTER TABLE jobs DROP CONSTRAINT IF EXISTS jobs_pkey;
  `,
  // 6: cio_claim (claim-function.ts) finds the jobs it takes within the range of their ids and
  // compares persons bytewise; functions are installed after migrating, so this version only
  // makes every schema at 5 take the new one.
  `
  SELECT 1;
  `,
  // 7: the delivery log as one row per result call (log-layout.ts) instead of a row and four index
  // entries per job, which were a sixth of the database's work per event delivered (with their
  // deletion by prune, row by row). Entries already logged move over as rows of one entry, their
  // ids kept; log ids then advance by LOG_STRIDE per row, from the next multiple of it. cio_claim
  // plans generically (claim-function.ts).
  `
  ALTER TABLE log RENAME TO log_v6;
  CREATE TABLE log (${LOG_COLUMNS}) PARTITION BY RANGE (id);
  DO $$
  DECLARE
    top bigint := ((SELECT greatest(coalesce(max(id), 0), (SELECT last_value FROM log_ids)) FROM log_v6)
      / ${LOG_STRIDE} + 1) * ${LOG_STRIDE};
  BEGIN
    EXECUTE format('CREATE TABLE log_migrated PARTITION OF log FOR VALUES FROM (0) TO (%s)', top);
    PERFORM setval('log_ids', top, false);
  END $$;
  ALTER SEQUENCE log_ids INCREMENT BY ${LOG_STRIDE};
  INSERT INTO log (id, at, dest, n, rare, first_event, jobs, events, message_ids, persons, keys, outcomes,
    attempts, reasons, error_codes, error_messages, error_statuses, exchanges, heads, requests)
  SELECT id, at, dest, 1, ${rareBit('outcome')}, event_id, ARRAY[job_id], ARRAY[event_id], ARRAY[message_id],
    ARRAY[person], ARRAY[${messageHash('message_id')}, ${personHash('person')}], ARRAY[outcome], ARRAY[attempts],
    ARRAY[reason], ARRAY[error_code], ARRAY[error_message], ARRAY[error_status],
    CASE WHEN ex_method IS NULL THEN '[]'
      ELSE json_build_array(json_build_array(ex_method, ex_url, ex_status, ex_response, ex_duration))::text END,
    ARRAY[CASE WHEN ex_method IS NULL THEN NULL ELSE 0 END]::smallint[], ARRAY[ex_request]
  FROM log_v6;
  DROP TABLE log_v6;
  -- Named as partitions.ts names ranges, now that the old table's log_0 is gone.
  ALTER TABLE log_migrated RENAME TO log_0;
  ${LOG_INDEXES}
  `,
  // 8: each job names the relay that appended it (its lease id), whose claims take the event from
  // its memory (recent-events.ts) instead of reading it back; cio_claim returns no event for those.
  `
  ALTER TABLE jobs ADD COLUMN appender integer;
  `,
  // 9: the unordered claim is a function (cio_claim_unordered, claim-function.ts), so that it
  // deletes the retry due times of the jobs it took in a statement of its own; functions are
  // installed after migrating.
  `
  SELECT 1;
  `,
  // 10: cio_claim walks on past a head of the queue held back behind a person's earlier job, up to
  // p_windows times (claim-function.ts), instead of answering nothing until that job's retry is
  // due; the new signature is installed after migrating.
  `
  DROP FUNCTION IF EXISTS cio_claim(integer, integer, bigint, integer, integer, integer);
  `,
];

export const SCHEMA_VERSION = migrations.length;

/** Create the schema if needed and bring it to the current version. */
export async function migrate(client: pg.ClientBase, schema: string): Promise<void> {
  await client.query('BEGIN');
  try {
    // One migrating process per schema; the others wait here, then find nothing left to do.
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`cio-relay schema ${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
    await client.query('CREATE TABLE IF NOT EXISTS cio_schema_version (version integer NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM cio_schema_version');
    const version = rows[0]?.version ?? 0;
    if (rows.length === 0) await client.query('INSERT INTO cio_schema_version (version) VALUES (0)');
    if (version > SCHEMA_VERSION) {
      throw new Error(
        `store schema version ${version} is newer than this relay supports (${SCHEMA_VERSION})`,
      );
    }
    for (let v = version; v < SCHEMA_VERSION; v++) await client.query(migrations[v]!);
    // Functions are code: the current ones replace those of any earlier version.
    if (version < SCHEMA_VERSION) {
      await client.query(CLAIM_FUNCTION);
      await client.query(CLAIM_UNORDERED_FUNCTION);
    }
    await client.query('UPDATE cio_schema_version SET version = $1', [SCHEMA_VERSION]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
