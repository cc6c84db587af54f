/**
 * `cio_claim`, the ordered claim in one round trip (see claim.ts), and `cio_claim_unordered`,
 * installed by migrate() whenever it moves the schema version (schema.ts), so a change here comes
 * with a migration that bumps it.
 *
 * Lock up to p_buckets free person buckets, from a random one on (or wait for one when all are
 * held), walk the first p_scan unfinished jobs of those buckets in id order, and take the first
 * p_limit whose person has nothing earlier in flight or waiting. A claim taking every free bucket
 * would leave none to a concurrent claim (another relay's), which then waited for it: with
 * p_buckets = SLOTS / relays, as many claims run at once as there are relays. A claim that finds
 * fewer than p_limit jobs in its buckets (a short queue) takes the other free ones too and walks
 * again, so it answers what a claim of every free bucket would. When the first p_scan jobs were
 * mostly held back behind their persons' earlier ones, it walks on past them, p_scan jobs at a time
 * (at most p_windows times: HELD_BACK_WINDOWS, or 0 while walk-on.ts pauses it). The taken jobs
 * are counted (counters.ts) and leave `retry_due`. A lost claim commit only puts jobs back in the
 * queue, so it does not wait for the WAL flush.
 */
import { addCounts, TOTAL_SHARDS } from './counters.js';
import { idsIn } from './ids-in.js';

/**
 * Person hash buckets per destination. Claims lock buckets, so this bounds how many claims of one
 * destination run at once; each claim also writes a row lock per bucket, so more costs every claim.
 */
export const SLOTS = 16;

/**
 * The walk's rows (plpgsql): the jobs of the buckets `held`. Holding every bucket (one relay, or no
 * contention) needs no bucket filter.
 */
const HELD_JOBS = `jobs j WHERE j.dest = p_dest AND (cardinality(held) = ${SLOTS} OR j.slot = ANY(held))`;

/** What the walk reads of each: whether it could be taken now, and whether it is a retry. */
const WALKED = 'j.id, j.person, (j.state = 0 AND j.due_at <= p_now) AS ready, j.due_at > 0 AS retry';

/**
 * Both claims' last step (plpgsql): the jobs in `chosen` become in flight under p_owner, returned
 * with their events, except those of jobs this relay appended, which come from its memory
 * (recent-events.ts) and are not read. LIMIT keeps the lateral subquery apart, so its condition on
 * the job gates the lookup itself.
 */
const TAKE_CHOSEN = `RETURN QUERY
    WITH taken AS (
      UPDATE jobs j SET state = 1, owner = p_owner, due_at = 0
      WHERE j.dest = p_dest AND ${idsIn('chosen[1]', 'chosen[cardinality(chosen)]', 'chosen')}
      RETURNING j.id, j.event_id, j.attempts, j.first_attempt_at, j.appender
    )
    SELECT t.id, t.event_id, t.attempts, t.first_attempt_at, x.source, x.message_id, x.person, x.received_at, x.body
    FROM taken t LEFT JOIN LATERAL (
      SELECT e.source, e.message_id, e.person, e.received_at, e.body FROM events e
      WHERE e.id = t.event_id AND t.appender IS DISTINCT FROM p_owner LIMIT 1
    ) x ON true;`;

export const CLAIM_FUNCTION = `
  CREATE OR REPLACE FUNCTION cio_claim(p_dest integer, p_owner integer, p_now bigint, p_limit integer, p_scan integer,
    p_buckets integer, p_windows integer)
  RETURNS TABLE (id bigint, event_id bigint, attempts integer, first_attempt_at bigint, source text,
    message_id text, person text, received_at bigint, body text)
  -- A queue's statistics are always stale: walk the primary key in order, never a bitmap plus sort.
  -- Generic plans: the update's custom plan (for its array of ids) was planned again on every
  -- claim, an eighth of a claim's time.
  LANGUAGE plpgsql SET enable_bitmapscan = off SET enable_seqscan = off SET plan_cache_mode = force_generic_plan
  AS $fn$
  DECLARE
    held integer[];
    chosen bigint[];
    retried bigint[];
    more integer[];
    k integer;
    n integer;
    busy bigint;
    free_shard integer;
    after_id bigint;
    blocked text[];
    window_rows integer;
    window_ids bigint[];
    window_retried bigint[];
    window_blocked text[];
    -- Drawn once (random() in a query would be drawn again for every row).
    first integer := floor(random() * ${SLOTS})::integer;
  BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    SELECT array_agg(s.slot) INTO held FROM (
      SELECT c.slot FROM claim_slots c WHERE c.dest = p_dest
      ORDER BY (c.slot - first + ${SLOTS}) % ${SLOTS} LIMIT p_buckets FOR UPDATE SKIP LOCKED) s;
    IF held IS NULL THEN
      PERFORM 1 FROM claim_slots c WHERE c.dest = p_dest AND c.slot = first FOR UPDATE;
      SELECT array_agg(s.slot) INTO held FROM (
        SELECT c.slot FROM claim_slots c WHERE c.dest = p_dest
        ORDER BY (c.slot - first + ${SLOTS}) % ${SLOTS} LIMIT p_buckets FOR UPDATE SKIP LOCKED) s;
      IF held IS NULL THEN RETURN; END IF;
    END IF;
    -- The first p_limit free jobs among the first k rows are the same whatever rows follow: walk a
    -- few rows first, twice as many each time those did not give p_limit jobs, up to p_scan. The
    -- first walk covers the jobs in flight (the head of the queue, counters.ts) in the buckets
    -- held (persons spread evenly over them) and twice the limit: a fixed 8 × limit walked 1.6
    -- times the rows needed with 4 deliveries in flight.
    SELECT coalesce(sum(t.in_flight), 0) INTO busy FROM totals t WHERE t.dest = p_dest;
    k := least(p_scan, greatest(busy * cardinality(held) / ${SLOTS} + 2 * p_limit, 256));
    LOOP
      WITH scan AS (
        SELECT ${WALKED} FROM ${HELD_JOBS}
        ORDER BY j.dest, j.id LIMIT k
      ), barrier AS (
        -- Bytewise ("C") comparison: the sort by person is most of a claim's cost, and a collation
        -- aware one (even C.UTF-8) compares slower; only equality matters here.
        SELECT b.id, b.retry, bool_and(b.ready) OVER (PARTITION BY b.person COLLATE "C" ORDER BY b.id) AS free FROM scan b
      )
      SELECT array_agg(c.id ORDER BY c.id), array_agg(c.id) FILTER (WHERE c.retry) INTO chosen, retried
        FROM (SELECT c.id, c.retry FROM barrier c WHERE c.free ORDER BY c.id LIMIT p_limit) c;
      EXIT WHEN coalesce(cardinality(chosen), 0) >= p_limit;
      IF k < p_scan THEN
        k := least(p_scan, 2 * k);
        CONTINUE;
      END IF;
      EXIT WHEN more IS NOT NULL OR cardinality(held) = ${SLOTS};
      -- Too little to take in these buckets (a short queue): the other free ones too, from the
      -- head of the queue again, rather than leave their jobs waiting for another claim.
      SELECT coalesce(array_agg(s.slot), '{}') INTO more FROM (
        SELECT c.slot FROM claim_slots c WHERE c.dest = p_dest AND c.slot <> ALL(held)
        FOR UPDATE SKIP LOCKED) s;
      EXIT WHEN cardinality(more) = 0;
      held := held || more;
      k := least(p_scan, greatest(busy * cardinality(held) / ${SLOTS} + 2 * p_limit, 256));
    END LOOP;
    -- The first p_scan jobs gave too few: when they were mostly held back behind their persons'
    -- earlier jobs (a busy person waiting for a retry, or in flight) and more jobs follow (a short
    -- queue was walked whole already), walk on, p_scan jobs at a time from the head, rather than
    -- answer nothing until that retry is due: a person with a job not taken in one window is held
    -- back in the later ones (hash-joined, however many).
    IF coalesce(cardinality(chosen), 0) < p_limit AND k >= p_scan AND p_windows > 0 THEN
      PERFORM 1 FROM ${HELD_JOBS} ORDER BY j.dest, j.id OFFSET p_scan LIMIT 1;
      IF FOUND THEN
        chosen := '{}';
        retried := NULL;
        blocked := '{}';
        after_id := 0;
        FOR w IN 1..p_windows LOOP
          WITH scan AS (
            SELECT ${WALKED} FROM ${HELD_JOBS} AND j.id > after_id
            ORDER BY j.dest, j.id LIMIT p_scan
          ), barrier AS (
            SELECT b.id, b.person, b.retry, bp.person IS NOT NULL AS known,
              bool_and(b.ready AND bp.person IS NULL) OVER (PARTITION BY b.person COLLATE "C" ORDER BY b.id) AS free
            FROM scan b LEFT JOIN unnest(blocked) AS bp(person) ON bp.person = b.person
          )
          SELECT count(*), max(c.id), array_agg(c.id ORDER BY c.id) FILTER (WHERE c.free),
            array_agg(c.id ORDER BY c.id) FILTER (WHERE c.free AND c.retry),
            array_agg(DISTINCT c.person) FILTER (WHERE NOT c.free AND NOT c.known)
            INTO window_rows, after_id, window_ids, window_retried, window_blocked FROM barrier c;
          IF window_ids IS NOT NULL THEN
            n := least(cardinality(window_ids), p_limit - cardinality(chosen));
            chosen := chosen || window_ids[1:n];
            IF window_retried IS NOT NULL THEN
              retried := coalesce(retried, '{}') || ARRAY(SELECT r FROM unnest(window_retried) r WHERE r <= window_ids[n]);
            END IF;
          END IF;
          EXIT WHEN cardinality(chosen) >= p_limit OR window_rows < p_scan;
          blocked := blocked || coalesce(window_blocked, '{}');
        END LOOP;
      END IF;
    END IF;
    ${TAKE_CHOSEN}
    -- Counted from what the update took (a job forgotten meanwhile is not), in a counters row no
    -- open transaction holds (destinations.ts makes them all): a claim never waits for another
    -- relay's claim or results to commit. A random one when all are held.
    GET DIAGNOSTICS n = ROW_COUNT;
    IF n > 0 THEN
      SELECT t.shard INTO free_shard FROM totals t WHERE t.dest = p_dest
        ORDER BY (t.shard - first + ${TOTAL_SHARDS}) % ${TOTAL_SHARDS} LIMIT 1 FOR UPDATE SKIP LOCKED;
      ${addCounts(
        '(SELECT p_dest AS dest) d',
        { waiting: '-n', in_flight: 'n' },
        `coalesce(free_shard, floor(random() * ${TOTAL_SHARDS})::integer)`,
      )};
    END IF;
    IF retried IS NOT NULL THEN DELETE FROM retry_due r WHERE r.job = ANY(retried); END IF;
  END
  $fn$;
`;

/**
 * `cio_claim_unordered`: the first due jobs no other claim holds, in id order (`FOR UPDATE SKIP
 * LOCKED` on the jobs themselves), taken as cio_claim takes its jobs (TAKE_CHOSEN). The retry due
 * times of the jobs taken are deleted in a statement after the lock: a single statement's snapshot,
 * taken before it locked a job, would miss the due time another relay recorded meanwhile (it
 * claimed the job and had it retried while this claim walked to it), and leave it behind.
 */
export const CLAIM_UNORDERED_FUNCTION = `
  CREATE OR REPLACE FUNCTION cio_claim_unordered(p_dest integer, p_owner integer, p_now bigint, p_limit integer,
    p_shard integer)
  RETURNS TABLE (id bigint, event_id bigint, attempts integer, first_attempt_at bigint, source text,
    message_id text, person text, received_at bigint, body text)
  LANGUAGE plpgsql SET enable_bitmapscan = off SET enable_seqscan = off SET plan_cache_mode = force_generic_plan
  AS $fn$
  DECLARE
    chosen bigint[];
    retried bigint[];
    n_taken integer;
  BEGIN
    PERFORM set_config('synchronous_commit', 'off', true);
    -- A locked row reads as its latest version: due_at > 0 is a retry now, not at the snapshot.
    -- Only jobs with their event (one being forgotten may have lost it): all of these are taken.
    SELECT array_agg(c.id ORDER BY c.id), array_agg(c.id) FILTER (WHERE c.due_at > 0) INTO chosen, retried FROM (
      SELECT j.id, j.due_at FROM jobs j
      WHERE j.dest = p_dest AND j.state = 0 AND j.due_at <= p_now
        AND EXISTS (SELECT 1 FROM events e WHERE e.id = j.event_id)
      ORDER BY j.dest, j.id LIMIT p_limit FOR UPDATE OF j SKIP LOCKED) c;
    IF chosen IS NULL THEN RETURN; END IF;
    IF retried IS NOT NULL THEN DELETE FROM retry_due r WHERE r.job = ANY(retried); END IF;
    ${TAKE_CHOSEN}
    GET DIAGNOSTICS n_taken = ROW_COUNT;
    ${addCounts('(SELECT p_dest AS dest, n_taken AS k) d', { waiting: '-k', in_flight: 'k' }, 'p_shard')};
  END
  $fn$;
`;
