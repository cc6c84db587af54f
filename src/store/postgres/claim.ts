/**
 * Claiming, safe with any number of relays on one database, in one statement (one round trip).
 *
 * Ordered (per-person order), `cio_claim` in claim-function.ts: a person's jobs all fall in one of SLOTS
 * hash buckets; a claim first locks up to SLOTS / relays of the buckets no other claim holds, from a
 * random one on (`FOR UPDATE SKIP LOCKED` on `claim_slots`), waiting for one only when all are held
 * (so each relay's claim finds buckets free), then walks the first `scanLimit`
 * unfinished jobs of those buckets in id order and takes the first `limit` jobs whose person has no
 * earlier job in flight or waiting for a retry (the same barrier as the SQLite store's walk). No
 * other claim can change those persons' jobs until this one commits, so the walk sees a stable
 * queue; concurrent claims work on other buckets.
 *
 * Unordered, `cio_claim_unordered`: the classic queue, `FOR UPDATE SKIP LOCKED` on the due jobs themselves.
 *
 * Either way the chosen jobs become in flight under this relay's lease (lease.ts), counted
 * (counters.ts), and come back with their events: from this relay's memory for the jobs it
 * appended itself (recent-events.ts; neither claim returns those), else read.
 */
import { HELD_BACK_WINDOWS } from '../limits.js';
import type { ClaimOptions, Job } from '../types.js';
import { SLOTS } from './claim-function.js';
import { randomShard } from './counters.js';
import { prepared, type Queryable } from './pool.js';
import { RecentEvents } from './recent-events.js';

interface ClaimedRow {
  id: number;
  event_id: number;
  attempts: number;
  first_attempt_at: number | null;
  /** The event's columns: null for a job this relay appended (recent-events.ts). */
  source: string | null;
  message_id: string;
  person: string;
  received_at: number;
  body: string;
}

type EventRow = Pick<ClaimedRow, 'source' | 'message_id' | 'person' | 'received_at' | 'body'> & {
  id: number;
};

const READ_EVENTS = prepared(
  'read_events',
  'SELECT id, source, message_id, person, received_at, body FROM events WHERE id = ANY($1::bigint[])',
);

const CLAIM_ORDERED = prepared('claim_ordered', 'SELECT * FROM cio_claim($1, $2, $3, $4, $5, $6, $7)');

const CLAIM_UNORDERED = prepared('claim_unordered', 'SELECT * FROM cio_claim_unordered($1, $2, $3, $4, $5)');

export async function claimJobs(
  db: Queryable,
  dest: number,
  destination: string,
  options: ClaimOptions,
  owner: number,
  /** Relays claiming (lease.ts): an ordered claim takes SLOTS / relays buckets. */
  relays = 1,
  /** The events this relay appended, for the jobs whose event the claim did not return. */
  recent = new RecentEvents(0),
  /** Walk on past a head of held-back jobs (walk-on.ts). */
  walkOn = true,
): Promise<Job[]> {
  if (options.limit <= 0) return [];
  const scanLimit = options.scanLimit ?? 20 * options.limit;
  const { rows } = options.ordered
    ? await db.query<ClaimedRow>({
        ...CLAIM_ORDERED,
        values: [
          dest,
          owner,
          options.now,
          options.limit,
          scanLimit,
          Math.ceil(SLOTS / Math.max(1, relays)),
          walkOn ? HELD_BACK_WINDOWS : 0,
        ],
      })
    : await db.query<ClaimedRow>({
        ...CLAIM_UNORDERED,
        values: [dest, owner, options.now, options.limit, randomShard()],
      });
  rows.sort((a, b) => a.id - b.id);
  return (await withEvents(db, rows, recent)).map((row) => ({
    id: row.id,
    destination,
    eventId: row.event_id,
    source: row.source!,
    messageId: row.message_id,
    personKey: row.person,
    body: row.body,
    receivedAt: row.received_at,
    attempts: row.attempts,
    firstAttemptAt: row.first_attempt_at,
  }));
}

/**
 * The claimed rows with their events: the ones the claim did not return (this relay appended those
 * jobs) from its memory, else read (dropped from memory in a long backlog). A row whose event
 * cannot be found (events go only once no job refers to them) is left out: in flight but not held,
 * it goes back to the queue at the next lease renewal (held.ts).
 */
async function withEvents(db: Queryable, rows: ClaimedRow[], recent: RecentEvents): Promise<ClaimedRow[]> {
  const missing = new Map<string, ClaimedRow>();
  for (const row of rows) {
    if (row.source !== null) continue;
    const event = recent.take(row.event_id);
    // By text: a client without the store's type parsers (tests) reads bigints as strings.
    if (event === undefined) missing.set(String(row.event_id), row);
    else
      Object.assign(row, {
        source: event.source,
        message_id: event.messageId,
        person: event.personKey,
        received_at: event.receivedAt,
        body: event.body,
      });
  }
  if (missing.size === 0) return rows;
  const read = await db.query<EventRow>({
    ...READ_EVENTS,
    values: [[...missing.values()].map((r) => r.event_id)],
  });
  for (const { id, ...columns } of read.rows) Object.assign(missing.get(String(id))!, columns);
  return rows.filter((row) => row.source !== null);
}
