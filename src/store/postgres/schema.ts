/**
 * The PostgreSQL schema, versioned in `cio_schema_version`: migration i brings a schema from version
 * i to i + 1. Several relays may start at once: migrations run in one transaction holding an
 * advisory lock named after the schema, so one process migrates and the others then find the work
 * done. A schema written by a newer relay is refused.
 *
 * Layout (times are epoch milliseconds, ids come from sequences):
 * - `destinations`: name ↔ id and the persisted pause; `claim_slots`: SLOTS rows per destination,
 *   locked by claims (claim.ts); `totals`: delivered/filtered counters, sharded so that relays do
 *   not queue on one row.
 * - `events`: each accepted event once; deleted by prune once no job or log entry refers to it.
 * - `jobs`: one per (event, destination), clustered by (dest, id) = arrival order; `slot` is the
 *   person's hash bucket; in-flight jobs carry the `owner` (a relay in `workers`) holding the lease.
 * - `workers`: one row per running relay with its lease deadline (lease.ts).
 * - `dedupe`: (source, messageId) → time last accepted.
 * - `log` and `dead_letters`: as in SQLite; the log refers to its event for the body.
 * - `rate_limits`: per destination, the GCRA state shared by every relay (rate-limit.ts).
 */
import pg from 'pg';

/** Person hash buckets per destination: claims lock buckets, so this bounds claim parallelism. */
export const SLOTS = 64;

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
  );

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
    PRIMARY KEY (dest, id)
  );
  CREATE INDEX jobs_in_flight ON jobs (owner) WHERE state = 1;
  CREATE INDEX jobs_waiting ON jobs (dest, due_at) WHERE due_at > 0;
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
    error_status integer,
    ex_method text,
    ex_url text,
    ex_request text,
    ex_status integer,
    ex_response text,
    ex_duration double precision
  );
  CREATE INDEX log_message ON log (message_id);
  CREATE INDEX log_person ON log (person);
  CREATE INDEX log_dest ON log (dest, id);
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
    error_status integer,
    ex_method text,
    ex_url text,
    ex_request text,
    ex_status integer,
    ex_response text,
    ex_duration double precision
  );
  CREATE INDEX dead_letters_dest ON dead_letters (dest, id);
  CREATE INDEX dead_letters_person ON dead_letters (person);

  CREATE TABLE rate_limits (
    name text PRIMARY KEY,
    tat double precision NOT NULL,
    blocked_until double precision NOT NULL DEFAULT 0
  );
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
    await client.query('UPDATE cio_schema_version SET version = $1', [SCHEMA_VERSION]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}
