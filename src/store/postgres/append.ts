/**
 * The body of one group commit: every `append` call of the group in one transaction. Duplicates are
 * settled first (dedupe.ts); each accepted event with destinations is stored once with one job per
 * destination. Ids come from the sequences, taken in one round trip, so that job ids follow the
 * arrival order of the group; rows go in with one multi-row insert per table.
 */
import type pg from 'pg';
import type { AppendOptions, AppendResult, NewEvent } from '../types.js';
import { arrayLiteral } from './array-literal.js';
import { Columns } from './columns.js';
import { addCounts, randomShard } from './counters.js';
import { acceptKeys, type DedupeKey } from './dedupe.js';
import type { Destinations } from './destinations.js';
import { prepared, transaction } from './pool.js';
import type { RecentEvents } from './recent-events.js';
import { SLOTS } from './schema.js';

export interface AppendCall {
  events: readonly NewEvent[];
  options: AppendOptions;
}

const TAKE_IDS = prepared(
  'take_ids',
  `
  SELECT ARRAY(SELECT nextval('event_ids') FROM generate_series(1, $1::int)) AS events,
         ARRAY(SELECT nextval('job_ids') FROM generate_series(1, $2::int)) AS jobs`,
);

const INSERT_EVENTS = prepared(
  'insert_events',
  `
  INSERT INTO events (id, source, message_id, person, received_at, body)
  SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])`,
);

// The slot is the person's hash bucket: all of a person's jobs share one (see claim.ts). $5, $6:
// jobs per destination, counted in shard $7 (counters.ts); $8 the appending relay, whose claims
// take the events from its memory (recent-events.ts).
const INSERT_JOBS = prepared(
  'insert_jobs',
  `
  WITH inserted AS (
    INSERT INTO jobs (dest, id, event_id, person, slot, appender)
    SELECT d, j, e, p, hashtext(p) & ${SLOTS - 1}, $8 FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::text[]) AS u(d, j, e, p)
  )
  ${addCounts('unnest($5::int[], $6::int[]) AS c(dest, n)', { waiting: 'n' }, '$7')}`,
);

/** `appender`: this relay's lease id; the events stored are kept in `recent` once committed. */
export async function appendGroup(
  pool: pg.Pool,
  destinations: Destinations,
  calls: readonly AppendCall[],
  appender: number,
  recent: RecentEvents,
): Promise<AppendResult[]> {
  const names = new Set<string>();
  for (const call of calls)
    for (const event of call.events) for (const name of event.destinations) names.add(name);
  const destIds = await destinations.ensureAll(names);

  const { results, stored, ids } = await transaction(pool, async (client) => {
    const keys: DedupeKey[] = [];
    const keyed: Array<[call: number, index: number]> = [];
    calls.forEach((call, c) => {
      if (call.options.dedupeWindowMs <= 0) return;
      call.events.forEach((event, i) => {
        keys.push({
          source: event.source,
          messageId: event.messageId,
          at: event.receivedAt,
          windowMs: call.options.dedupeWindowMs,
        });
        keyed.push([c, i]);
      });
    });
    const accepted = keys.length > 0 ? await acceptKeys(client, keys) : [];
    const results: AppendResult[] = calls.map(() => ({ duplicates: [] }));
    const duplicate = calls.map(() => new Set<number>());
    accepted.forEach((ok, k) => {
      if (ok) return;
      const [c, i] = keyed[k]!;
      results[c]!.duplicates.push(i);
      duplicate[c]!.add(i);
    });

    const stored: StoredEvent[] = [];
    calls.forEach((call, c) => {
      call.events.forEach((event, i) => {
        if (duplicate[c]!.has(i)) return;
        const dests = [...new Set(event.destinations)].map((name) => destIds.get(name)!);
        // Nothing would ever read an event without a job: only its dedupe key is kept.
        if (dests.length === 0) return;
        stored.push({ event, dests });
      });
    });
    const ids = stored.length > 0 ? await insertEvents(client, stored, randomShard(), appender) : [];
    return { results, stored, ids };
  });
  for (const [n, { event, dests }] of stored.entries()) recent.add(ids[n]!, event, dests.length);
  return results;
}

export interface StoredEvent {
  event: Omit<NewEvent, 'destinations'>;
  /** Destination ids, each getting one job. */
  dests: readonly number[];
}

/**
 * Store events and their jobs (ids in the given order), counted in `shard` (the transaction's one
 * shard, counters.ts), appended by relay `appender` (null: none keeps them in memory); run inside a
 * transaction. Answers the events' ids.
 */
export async function insertEvents(
  client: pg.ClientBase,
  stored: readonly StoredEvent[],
  shard: number,
  appender: number | null,
): Promise<number[]> {
  const jobCount = stored.reduce((sum, s) => sum + s.dests.length, 0);
  const ids = await client.query<{ events: number[]; jobs: number[] }>({
    ...TAKE_IDS,
    values: [stored.length, jobCount],
  });
  const eventIds = ids.rows[0]!.events.map(Number).sort((a, b) => a - b);
  const jobIds = ids.rows[0]!.jobs.map(Number).sort((a, b) => a - b);
  const events = new Columns(6);
  const jobs = new Columns(4);
  const perDest = new Map<number, number>();
  let nextJob = 0;
  stored.forEach(({ event, dests }, n) => {
    const eventId = eventIds[n]!;
    events.push(eventId, event.source, event.messageId, event.personKey, event.receivedAt, event.body);
    for (const dest of dests) {
      jobs.push(dest, jobIds[nextJob++], eventId, event.personKey);
      perDest.set(dest, (perDest.get(dest) ?? 0) + 1);
    }
  });
  await client.query({ ...INSERT_EVENTS, values: events.literals() });
  await client.query({
    ...INSERT_JOBS,
    values: [
      ...jobs.literals(),
      arrayLiteral([...perDest.keys()]),
      arrayLiteral([...perDest.values()]),
      shard,
      appender,
    ],
  });
  return eventIds;
}
