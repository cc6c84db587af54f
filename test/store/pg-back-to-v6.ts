/**
 * SQL that turns a PostgreSQL store's tables back into their layout of schema 6, data kept: the
 * delivery log a row per entry (log-layout.ts has the one after), jobs without their appender.
 * Tests that set a schema's version back use it, so that migrating forward again finds the tables
 * that version had.
 */
export const BACK_TO_V6 = `
  ALTER TABLE jobs DROP COLUMN appender;
  ALTER TABLE log RENAME TO log_v7;
  CREATE TABLE log (
    id bigint PRIMARY KEY, at bigint NOT NULL, dest integer NOT NULL, job_id bigint NOT NULL,
    event_id bigint NOT NULL, message_id text NOT NULL, person text NOT NULL, outcome smallint NOT NULL,
    attempts integer NOT NULL, reason text, error_code text, error_message text, error_status integer,
    ex_method text, ex_url text, ex_request text, ex_status integer, ex_response text,
    ex_duration double precision
  ) PARTITION BY RANGE (id);
  CREATE TABLE log_v6_0 PARTITION OF log FOR VALUES FROM (0) TO (1000000000);
  INSERT INTO log
  SELECT l.id + u.i - 1, l.at, l.dest, u.job, u.e, u.m, u.p, u.o, u.a, u.r, u.ec, u.em, u.es, x.h ->> 0,
    x.h ->> 1, u.q, (x.h ->> 2)::int, x.h ->> 3, (x.h ->> 4)::float8
  FROM log_v7 l CROSS JOIN LATERAL unnest(l.jobs, l.events, l.message_ids, l.persons, l.outcomes, l.attempts,
    l.reasons, l.error_codes, l.error_messages, l.error_statuses, l.heads, l.requests)
    WITH ORDINALITY AS u(job, e, m, p, o, a, r, ec, em, es, h, q, i)
  CROSS JOIN LATERAL (SELECT l.exchanges::json -> u.h AS h) x
  WHERE u.o IS NOT NULL;
  DROP TABLE log_v7;
  CREATE INDEX log_message ON log (message_id);
  CREATE INDEX log_person ON log (person);
  CREATE INDEX log_event ON log (event_id);
  CREATE INDEX log_outcome ON log (outcome, id) WHERE outcome <> 0;
  ALTER SEQUENCE log_ids INCREMENT BY 1;`;
