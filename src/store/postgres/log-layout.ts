/**
 * The delivery log's layout (schema 7): one row per result call (one Track API request, usually)
 * holding its entries in parallel arrays, entry i (from 0) having the log id `id + i`. Writing a
 * row costs a few index entries for a whole request, where a row per job cost a row and four
 * index entries each, and as many deletions by prune later. Rows take their ids from `log_ids`,
 * which advances by LOG_STRIDE, so a row holds at most LOG_STRIDE entries (complete.ts writes
 * larger calls as several rows).
 *
 * - `keys`: a hash of each entry's messageId and of its person (messageHash, personHash), under a
 *   GIN index: a search by either visits only the rows that may hold it, then compares the text.
 * - `rare`: a bit per outcome other than delivered among the entries (rareBit), so that a search
 *   for failures walks only the rows that have some.
 * - `first_event`: the lowest event id the entries refer to; prune keeps the events from the
 *   lowest of those on (an entry reads its event's text from `events`).
 * - `exchanges`: JSON, the distinct `[method, url, status, response, duration]` of the entries'
 *   exchanges (one per request), which each entry's `heads` element indexes (NULL: none); each
 *   entry's part of the request body is in `requests`.
 * - An erased entry (forget.ts) keeps its place and job id; its outcome, event (0), message id,
 *   person and the rest are NULL, and `n` counts the entries left.
 */

export const LOG_STRIDE = 1024;

/** The log's ranges (partitions.ts) hold about as many entries as the other tables' rows. */
export function logRangeSize(size: number): number {
  return Math.max(size * 16, LOG_STRIDE);
}

export const LOG_COLUMNS = `
    id bigint NOT NULL,
    at bigint NOT NULL,
    dest integer NOT NULL,
    n integer NOT NULL,
    rare integer NOT NULL,
    first_event bigint NOT NULL,
    jobs bigint[] NOT NULL,
    events bigint[] NOT NULL,
    message_ids text[] NOT NULL,
    persons text[] NOT NULL,
    keys bigint[] NOT NULL,
    outcomes smallint[] NOT NULL,
    attempts integer[] NOT NULL,
    reasons text[] NOT NULL,
    error_codes text[] NOT NULL,
    error_messages text[] NOT NULL,
    error_statuses integer[] NOT NULL,
    exchanges text NOT NULL,
    heads smallint[] NOT NULL,
    requests text[] NOT NULL,
    PRIMARY KEY (id)`;

// lz4, where the server has it: a row's request bodies (tens of KB) are compressed as they are
// written, and pglz took several times longer.
export const LOG_INDEXES = `
  CREATE INDEX log_keys ON log USING gin (keys);
  CREATE INDEX log_first_event ON log (first_event);
  CREATE INDEX log_rare ON log (id) WHERE rare <> 0;
  DO $$ BEGIN
    ALTER TABLE log ALTER COLUMN requests SET COMPRESSION lz4;
  EXCEPTION WHEN feature_not_supported THEN NULL;
  END $$;`;

/**
 * A row's parallel arrays of entries, each with the name an entry's value goes by when they are
 * unnested (unnestEntries) or aggregated from rows of that name (complete.ts).
 */
export const ENTRY_ARRAYS = [
  ['jobs', 'job'],
  ['events', 'event_id'],
  ['message_ids', 'message_id'],
  ['persons', 'person'],
  ['outcomes', 'outcome'],
  ['attempts', 'attempts'],
  ['reasons', 'reason'],
  ['error_codes', 'ec'],
  ['error_messages', 'em'],
  ['error_statuses', 'es'],
  ['heads', 'head'],
  ['requests', 'request'],
] as const;

/** The entries of log row `row` as rows named `alias` (SQL), with their index from 1 as `i`. */
export function unnestEntries(row: string, alias: string): string {
  return `unnest(${ENTRY_ARRAYS.map(([column]) => `${row}.${column}`).join(', ')})
    WITH ORDINALITY AS ${alias}(${ENTRY_ARRAYS.map(([, name]) => name).join(', ')}, i)`;
}

/** The hash of a messageId in `keys` (SQL). */
export function messageHash(sql: string): string {
  return `hashtextextended(${sql}, 0)`;
}

/** The hash of a person key in `keys` (SQL): another seed, so a person never matches a messageId. */
export function personHash(sql: string): string {
  return `hashtextextended(${sql}, 1)`;
}

/**
 * The exchange columns (ex_method … ex_duration, as dead letters and ErrorExchangeRow name them) of
 * an entry (SQL), from its head (a JSON `[method, url, status, response, duration]`: exchange-heads.ts)
 * and its part of the request body.
 */
export function headExchangeColumns(head: string, request: string): string {
  return `${head} ->> 0 AS ex_method, ${head} ->> 1 AS ex_url, ${request} AS ex_request,
    (${head} ->> 2)::int AS ex_status, ${head} ->> 3 AS ex_response, (${head} ->> 4)::float8 AS ex_duration`;
}

/** An outcome's bit in `rare` (SQL): none for delivered (0). */
export function rareBit(outcome: string): string {
  return `CASE WHEN ${outcome} = 0 THEN 0 ELSE 1 << ${outcome} END`;
}
