/**
 * Claiming, safe with any number of relays on one database.
 *
 * Ordered (per-person order): a person's jobs all fall in one of SLOTS hash buckets, and a claim
 * first locks the buckets no other claim holds (`FOR UPDATE SKIP LOCKED` on `claim_slots`), then
 * walks the destination's unfinished jobs of those buckets in id order and applies the barrier: a
 * job is taken only if it is due and every earlier unfinished job of its person was taken in the
 * same walk (in flight or waiting for a retry blocks the person). No other claim can change those
 * persons' jobs until this one commits, so the walk sees a stable queue; concurrent claims work on
 * other buckets. When every bucket is held, the claim waits for one (claims are short) instead of
 * coming back empty.
 *
 * Unordered: the classic queue, `FOR UPDATE SKIP LOCKED` on the due jobs themselves.
 *
 * Either way the chosen jobs become in flight under this relay's lease (lease.ts) and are read
 * back with their events in the same statement.
 */
import type pg from 'pg';
import type { ClaimOptions, Job } from '../types.js';
import { SLOTS } from './schema.js';

interface ScanRow {
  id: number;
  person: string;
  state: number;
  due_at: number;
}

interface ClaimedRow {
  id: number;
  event_id: number;
  attempts: number;
  first_attempt_at: number | null;
  source: string;
  message_id: string;
  person: string;
  received_at: number;
  body: string;
}

const FREE_SLOTS = 'SELECT slot FROM claim_slots WHERE dest = $1 FOR UPDATE SKIP LOCKED';
const WAIT_FOR_SLOT = 'SELECT slot FROM claim_slots WHERE dest = $1 AND slot = $2 FOR UPDATE';

const SCAN = 'SELECT id, person, state, due_at FROM jobs WHERE dest = $1 AND id > $2';

const MARK = `
  UPDATE jobs j SET state = 1, owner = $3, due_at = 0 FROM events e
  WHERE j.dest = $1 AND j.id = ANY($2::bigint[]) AND j.state = 0 AND e.id = j.event_id
  RETURNING j.id, j.event_id, j.attempts, j.first_attempt_at, e.source, e.message_id, e.person,
    e.received_at, e.body`;

const CLAIM_UNORDERED = `
  UPDATE jobs j SET state = 1, owner = $4, due_at = 0 FROM events e
  WHERE (j.dest, j.id) IN (
      SELECT dest, id FROM jobs WHERE dest = $1 AND state = 0 AND due_at <= $2
      ORDER BY id LIMIT $3 FOR UPDATE SKIP LOCKED)
    AND e.id = j.event_id
  RETURNING j.id, j.event_id, j.attempts, j.first_attempt_at, e.source, e.message_id, e.person,
    e.received_at, e.body`;

/** Run inside a transaction. */
export async function claimJobs(
  client: pg.ClientBase,
  dest: number,
  destination: string,
  options: ClaimOptions,
  owner: number,
): Promise<Job[]> {
  if (options.limit <= 0) return [];
  let rows: ClaimedRow[];
  if (options.ordered) {
    const slots = await lockSlots(client, dest);
    const chosen = await choose(client, dest, slots.length === SLOTS ? undefined : slots, options);
    if (chosen.length === 0) return [];
    rows = (await client.query<ClaimedRow>(MARK, [dest, chosen, owner])).rows;
  } else {
    rows = (await client.query<ClaimedRow>(CLAIM_UNORDERED, [dest, options.now, options.limit, owner])).rows;
  }
  rows.sort((a, b) => a.id - b.id);
  return rows.map((row) => ({
    id: row.id,
    destination,
    eventId: row.event_id,
    source: row.source,
    messageId: row.message_id,
    personKey: row.person,
    body: row.body,
    receivedAt: row.received_at,
    attempts: row.attempts,
    firstAttemptAt: row.first_attempt_at,
  }));
}

/** The buckets this claim holds until it commits: the free ones, else one waited for. */
async function lockSlots(client: pg.ClientBase, dest: number): Promise<number[]> {
  let { rows } = await client.query<{ slot: number }>(FREE_SLOTS, [dest]);
  if (rows.length === 0) {
    await client.query(WAIT_FOR_SLOT, [dest, Math.floor(Math.random() * SLOTS)]);
    ({ rows } = await client.query<{ slot: number }>(FREE_SLOTS, [dest]));
  }
  return rows.map((row) => row.slot);
}

/**
 * The walk (as in the SQLite store): pages of unfinished jobs in id order until `limit` jobs are
 * chosen or `scanLimit` rows were looked at. Answers the chosen job ids, in order.
 */
async function choose(
  client: pg.ClientBase,
  dest: number,
  slots: number[] | undefined,
  options: ClaimOptions,
): Promise<number[]> {
  const { limit, now } = options;
  const scanLimit = options.scanLimit ?? 20 * limit;
  const sql = `${SCAN}${slots ? ' AND slot = ANY($4::int[])' : ''} ORDER BY id LIMIT $3`;
  const chosen: number[] = [];
  const blocked = new Set<string>();
  let scanned = 0;
  let after = 0;
  while (scanned < scanLimit) {
    const page = Math.min(Math.max(limit, 64), scanLimit - scanned);
    const { rows } = await client.query<ScanRow>(
      sql,
      slots ? [dest, after, page, slots] : [dest, after, page],
    );
    for (const row of rows) {
      if (blocked.has(row.person)) continue;
      if (row.state === 0 && row.due_at <= now) {
        chosen.push(row.id);
        if (chosen.length === limit) return chosen;
      } else {
        blocked.add(row.person);
      }
    }
    scanned += rows.length;
    if (rows.length < page) break;
    after = rows[rows.length - 1]!.id;
  }
  return chosen;
}
