/**
 * The SQLite schema, versioned with `PRAGMA user_version`: migration i brings a database from
 * version i to i + 1, each in its own transaction.
 *
 * Layout (all ids are integers):
 * - `events`: each accepted event once, with `refs` = unfinished jobs + log entries that still point
 *   at it, `dests`, the bits of the slots of the destinations it is for (slots.ts; migration 7),
 *   and `prepared`, the operations ingest mapped for them (pipeline/prepared.ts; migration 5). A job has no row of its own: a
 *   destination's queue is its events past its `frontier` (in `destinations`) that are not `done`,
 *   plus its `retries`; the job's id is its event's id (claims.ts, claim.ts, complete.ts). Event ids
 *   come from a counter, never reused. Delivering a job moves its reference to its log entry (no
 *   write to the event); `prune` deletes events whose count reaches zero.
 * - `retries`: jobs waiting for a retry (attempts, first attempt, due time), clustered by
 *   (dest, event_id), with an index by due time for the stats; due time 0 marks a job waiting only
 *   for its person's earlier one (parked.ts), no attempt made.
 * - `done`: jobs finished past their destination's frontier (results out of order), until the
 *   frontier passes them.
 * - `destinations`: name ↔ id, the persisted pause, the frontier, running counters (unfinished) and
 *   the delivered/filtered totals (`in_flight` is unused: claims live in memory).
 * - `dedupe_keys`: (source, message_id, time) of each accepted event in arrival order; the lookup
 *   index lives in memory (dedupe.ts), prune deletes from the oldest end.
 * - `log`: one row per `complete` call holding one entry per result (log-row.ts; migration 8),
 *   each referencing its event (not copying it: messageId, person and the event text are read
 *   through it). `log_keys` says which messageId and person hashes each complete bucket of 4096
 *   log ids holds, so a search by key visits only those buckets (log-keys.ts); `rare` marks the rows with
 *   outcomes other than delivered, for the partial index a search by such an outcome walks.
 * - `dead_letters`: copies the event body (dead letters are rare and may outlive everything else).
 * - `meta`: counters: the next event id and the next log id; the first log bucket not in `log_keys`.
 */
import type { Database } from 'better-sqlite3';
import { hash32 } from './key-index.js';
import { sortedHashes } from './log-keys.js';

/** Exported for the migration test. */
export const migrations: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL) WITHOUT ROWID;
  INSERT INTO meta (key, value) VALUES ('next_job_id', 1);

  CREATE TABLE destinations (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    unfinished INTEGER NOT NULL DEFAULT 0,
    in_flight INTEGER NOT NULL DEFAULT 0,
    delivered INTEGER NOT NULL DEFAULT 0,
    filtered INTEGER NOT NULL DEFAULT 0,
    paused TEXT
  );

  CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    message_id TEXT NOT NULL,
    person TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    refs INTEGER NOT NULL,
    body TEXT NOT NULL
  );

  CREATE TABLE jobs (
    dest INTEGER NOT NULL,
    id INTEGER NOT NULL,
    event_id INTEGER NOT NULL,
    person TEXT NOT NULL,
    state INTEGER NOT NULL DEFAULT 0,
    attempts INTEGER NOT NULL DEFAULT 0,
    first_attempt_at INTEGER,
    due_at INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (dest, id)
  ) WITHOUT ROWID;
  CREATE INDEX jobs_waiting ON jobs (dest, due_at) WHERE due_at > 0;

  CREATE TABLE dedupe (
    source TEXT NOT NULL,
    message_id TEXT NOT NULL,
    at INTEGER NOT NULL,
    PRIMARY KEY (source, message_id)
  ) WITHOUT ROWID;
  CREATE INDEX dedupe_at ON dedupe (at);

  CREATE TABLE log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL,
    dest INTEGER NOT NULL,
    job_id INTEGER NOT NULL,
    event_id INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    person TEXT NOT NULL,
    outcome INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    reason TEXT,
    error_code TEXT,
    error_message TEXT,
    error_status INTEGER,
    ex_method TEXT,
    ex_url TEXT,
    ex_request TEXT,
    ex_status INTEGER,
    ex_response TEXT,
    ex_duration REAL
  );
  CREATE INDEX log_message ON log (message_id);
  CREATE INDEX log_person ON log (person);
  CREATE INDEX log_dest ON log (dest);
  -- Most entries are 'delivered' (0): only the rarer outcomes pay for an index.
  CREATE INDEX log_outcome ON log (outcome) WHERE outcome <> 0;

  CREATE TABLE dead_letters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    dest INTEGER NOT NULL,
    source TEXT NOT NULL,
    message_id TEXT NOT NULL,
    person TEXT NOT NULL,
    event TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    first_attempt_at INTEGER,
    dead_at INTEGER NOT NULL,
    error_code TEXT NOT NULL,
    error_message TEXT NOT NULL,
    error_status INTEGER,
    ex_method TEXT,
    ex_url TEXT,
    ex_request TEXT,
    ex_status INTEGER,
    ex_response TEXT,
    ex_duration REAL
  );
  CREATE INDEX dead_letters_dest ON dead_letters (dest);
  `,
  // 2: no random b-tree write per event or per result (with random messageIds each one dirtied a
  // page of its own): dedupe keys in arrival order with the lookup index in memory (dedupe.ts);
  // log search indexes bucketed by log id (entries of 4096 consecutive ids share a b-tree region)
  // over 32-bit hashes stored with the event; log ids from a counter instead of AUTOINCREMENT.
  `
  CREATE TABLE dedupe_keys (
    id INTEGER PRIMARY KEY,
    hash INTEGER NOT NULL,
    at INTEGER NOT NULL,
    source TEXT NOT NULL,
    message_id TEXT NOT NULL
  );
  INSERT INTO dedupe_keys (hash, at, source, message_id)
    SELECT cio_hash32(message_id), at, source, message_id FROM dedupe ORDER BY at;
  DROP TABLE dedupe;

  ALTER TABLE events ADD COLUMN message_hash INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE events ADD COLUMN person_hash INTEGER NOT NULL DEFAULT 0;
  UPDATE events SET message_hash = cio_hash32(message_id), person_hash = cio_hash32(person);

  ALTER TABLE log RENAME TO log_v1;
  CREATE TABLE log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    dest INTEGER NOT NULL,
    job_id INTEGER NOT NULL,
    event_id INTEGER NOT NULL,
    message_hash INTEGER NOT NULL,
    person_hash INTEGER NOT NULL,
    outcome INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    message_id TEXT NOT NULL,
    person TEXT NOT NULL,
    reason TEXT,
    error_code TEXT,
    error_message TEXT,
    error_status INTEGER,
    ex_method TEXT,
    ex_url TEXT,
    ex_request TEXT,
    ex_status INTEGER,
    ex_response TEXT,
    ex_duration REAL
  );
  INSERT INTO log SELECT id, at, dest, job_id, event_id, cio_hash32(message_id), cio_hash32(person),
    outcome, attempts, message_id, person, reason, error_code, error_message, error_status,
    ex_method, ex_url, ex_request, ex_status, ex_response, ex_duration FROM log_v1;
  DROP TABLE log_v1;
  CREATE INDEX log_message ON log (id >> 12, message_hash);
  CREATE INDEX log_person ON log (id >> 12, person_hash);
  CREATE INDEX log_dest ON log (dest);
  -- Most entries are 'delivered' (0): only the rarer outcomes pay for an index.
  CREATE INDEX log_outcome ON log (outcome) WHERE outcome <> 0;
  INSERT INTO meta (key, value) VALUES ('next_log_id', coalesce((SELECT max(id) FROM log), 0) + 1);
  `,
  // 3: results and claims in a few statements instead of several per job: jobs carry the hashes
  // the log's search indexes need, so a log entry is written from the job alone (no event read);
  // the log finds messageId and person through its event, which it keeps alive anyway.
  `
  ALTER TABLE jobs ADD COLUMN message_hash INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE jobs ADD COLUMN person_hash INTEGER NOT NULL DEFAULT 0;
  UPDATE jobs SET
    message_hash = coalesce((SELECT message_hash FROM events WHERE events.id = jobs.event_id), 0),
    person_hash = coalesce((SELECT person_hash FROM events WHERE events.id = jobs.event_id), 0);

  ALTER TABLE log RENAME TO log_v2;
  CREATE TABLE log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    dest INTEGER NOT NULL,
    job_id INTEGER NOT NULL,
    event_id INTEGER NOT NULL,
    message_hash INTEGER NOT NULL,
    person_hash INTEGER NOT NULL,
    outcome INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    reason TEXT,
    error_code TEXT,
    error_message TEXT,
    error_status INTEGER,
    ex_method TEXT,
    ex_url TEXT,
    ex_request TEXT,
    ex_status INTEGER,
    ex_response TEXT,
    ex_duration REAL
  );
  INSERT INTO log SELECT id, at, dest, job_id, event_id, message_hash, person_hash, outcome, attempts,
    reason, error_code, error_message, error_status,
    ex_method, ex_url, ex_request, ex_status, ex_response, ex_duration FROM log_v2;
  DROP TABLE log_v2;
  CREATE INDEX log_message ON log (id >> 12, message_hash);
  CREATE INDEX log_person ON log (id >> 12, person_hash);
  CREATE INDEX log_dest ON log (dest);
  CREATE INDEX log_outcome ON log (outcome) WHERE outcome <> 0;

  ALTER TABLE events DROP COLUMN message_hash;
  ALTER TABLE events DROP COLUMN person_hash;
  `,
  // 4: no index on the log's destination: a relay has a few destinations, so the index narrowed a
  // search little, while every result inserted and every trimmed entry paid for it. A search by
  // destination walks the log newest first instead.
  `
  DROP INDEX log_dest;
  `,
  // 5: the operations ingest mapped for each destination (pipeline/prepared.ts), so delivery sends
  // them without parsing and mapping the event again; NULL for events stored without (older ones,
  // replays), which delivery maps.
  `
  ALTER TABLE events ADD COLUMN prepared TEXT;
  `,
  // 6: no job row per event: a destination's queue is the events after its frontier that carry its
  // bit in `dests`, minus the finished ones past the frontier (`done`), plus the jobs waiting for a
  // retry (`retries`, which also holds a retried job while it is in flight again). Event ids come
  // from a counter so that they are never reused behind a frontier. Queued jobs are migrated: their
  // events get their destination's bit (frontier 0), jobs with attempts become retries. Jobs left
  // `state = 1` were claims of a process that is gone: queued like the others.
  `
  ALTER TABLE events ADD COLUMN dests INTEGER NOT NULL DEFAULT 0;
  -- Finds an event's jobs in the update below (gone with the table).
  CREATE INDEX jobs_event ON jobs (event_id);
  UPDATE events SET dests = (SELECT coalesce(sum(DISTINCT 1 << j.dest), 0) FROM jobs j WHERE j.event_id = events.id)
    WHERE id IN (SELECT event_id FROM jobs);
  ALTER TABLE destinations ADD COLUMN frontier INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE retries (
    dest INTEGER NOT NULL,
    event_id INTEGER NOT NULL,
    person TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    first_attempt_at INTEGER,
    due_at INTEGER NOT NULL,
    PRIMARY KEY (dest, event_id)
  ) WITHOUT ROWID;
  CREATE INDEX retries_due ON retries (dest, due_at);
  INSERT INTO retries SELECT dest, event_id, person, attempts, first_attempt_at, due_at FROM jobs
    WHERE attempts > 0;
  CREATE TABLE done (dest INTEGER NOT NULL, event_id INTEGER NOT NULL, PRIMARY KEY (dest, event_id))
    WITHOUT ROWID;
  UPDATE destinations SET
    unfinished = (SELECT count(*) FROM jobs WHERE jobs.dest = destinations.id),
    frontier = coalesce((SELECT min(event_id) - 1 FROM jobs WHERE jobs.dest = destinations.id),
      (SELECT coalesce(max(id), 0) FROM events));
  INSERT INTO meta (key, value) VALUES ('next_event_id', coalesce((SELECT max(id) FROM events), 0) + 1);
  DROP TABLE jobs;
  `,
  // 7: the bits of `events.dests` become slots that destinations take and give up (slots.ts), so
  // that more than 52 destination names over a store's life do not stop ingest. Existing
  // destinations keep their id as their slot; `last_event` (the last event id queued for the
  // destination) says which idle one gives its slot up first, the frontier standing in for it here.
  `
  ALTER TABLE destinations ADD COLUMN slot INTEGER;
  ALTER TABLE destinations ADD COLUMN last_event INTEGER NOT NULL DEFAULT 0;
  UPDATE destinations SET slot = id, last_event = frontier WHERE id <= 52;
  CREATE UNIQUE INDEX destinations_slot ON destinations (slot);
  `,
  // 8: one log row per `complete` call (a Track API request) instead of one per result, with the
  // entries in compact columns (log-row.ts); the search indexes by key become one blob of sorted
  // hashes per complete bucket of 4096 log ids (log-keys.ts). Each old entry becomes a row of its own.
  `
  ALTER TABLE log RENAME TO log_v7;
  CREATE TABLE log (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    dest INTEGER NOT NULL,
    count INTEGER NOT NULL,
    rare INTEGER NOT NULL,
    events TEXT NOT NULL,
    keys BLOB NOT NULL,
    entries TEXT NOT NULL,
    exchanges TEXT NOT NULL,
    requests TEXT NOT NULL
  );
  INSERT INTO log (id, at, dest, count, rare, events, keys, entries, exchanges, requests)
    SELECT id, at, dest, 1, CASE WHEN outcome = 0 THEN 0 ELSE 1 << outcome END, json_array(event_id),
      cio_entry_keys(message_hash, person_hash),
      json_array(json_array(outcome, attempts, CASE WHEN ex_method IS NULL THEN -1 ELSE 0 END,
        CASE WHEN ex_method IS NULL THEN 0 ELSE cio_length16(coalesce(ex_request, '')) END,
        reason, error_code, error_message, error_status, job_id)),
      CASE WHEN ex_method IS NULL THEN '[]'
        ELSE json_array(json_array(ex_method, ex_url, ex_status, ex_response, ex_duration)) END,
      CASE WHEN ex_method IS NULL THEN '' ELSE coalesce(ex_request, '') END
    FROM log_v7;
  CREATE INDEX log_rare ON log (id) WHERE rare <> 0;
  CREATE TABLE log_keys (bucket INTEGER PRIMARY KEY, hashes BLOB NOT NULL);
  -- The buckets (of 4096 ids) before the one of the next log id are complete: indexed (log-keys.ts).
  INSERT INTO meta (key, value) VALUES ('log_keys_from', (SELECT value FROM meta WHERE key = 'next_log_id') >> 12);
  INSERT INTO log_keys (bucket, hashes)
    SELECT bucket, cio_sorted_hashes(hash) FROM (
      SELECT id >> 12 AS bucket, message_hash AS hash FROM log_v7
      UNION ALL SELECT id >> 12, person_hash FROM log_v7)
    WHERE bucket < (SELECT value FROM meta WHERE key = 'log_keys_from')
    GROUP BY bucket;
  DROP TABLE log_v7;
  `,
];

export const SCHEMA_VERSION = migrations.length;

/** Bring the database to the current schema; refuses a database written by a newer version. */
export function migrate(db: Database): void {
  db.function('cio_hash32', { deterministic: true }, (text: unknown) => hash32(String(text)));
  db.function('cio_length16', { deterministic: true }, (text: unknown) => String(text).length);
  db.aggregate('cio_sorted_hashes', {
    start: () => [] as number[],
    step: (hashes: number[], hash: unknown) => {
      hashes.push(Number(hash));
    },
    result: (hashes: number[]) => sortedHashes(hashes),
  });
  db.function('cio_entry_keys', { deterministic: true }, (message: unknown, person: unknown) => {
    const keys = Buffer.alloc(8);
    keys.writeUInt32LE(Number(message), 0);
    keys.writeUInt32LE(Number(person), 4);
    return keys;
  });
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`store schema version ${version} is newer than this relay supports (${SCHEMA_VERSION})`);
  }
  for (let v = version; v < SCHEMA_VERSION; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

/**
 * WAL so readers never block the writer; the synchronous level is chosen per transaction (see
 * `durability.ts`). A 32 MB page cache (by default) keeps the hot b-tree pages (queue head, index
 * tails) in memory; larger only raised the relay's RSS (bench:e2e's backlog phase), not its speed.
 */
export function configure(db: Database, cacheMb = 32): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = OFF');
  db.pragma('temp_store = MEMORY');
  db.pragma(`cache_size = -${cacheMb * 1024}`);
  db.pragma('busy_timeout = 5000');
}
