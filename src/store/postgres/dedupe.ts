/**
 * Deduplication by (source, messageId) over a window, inside the append transaction. A key is
 * accepted when it is new or was last accepted at least a window earlier, and it then dates from
 * this event; the RETURNING rows of the statements are the accepted keys.
 *
 * Keys new to the table (nearly all) go in with a plain INSERT (`INSERT`); only those already
 * there take INSERT … ON CONFLICT DO UPDATE … WHERE (`UPSERT`, a second statement), because a
 * speculative insertion costs every new key one more WAL record (its confirmation) and more work. A key another relay inserted and
 * had not committed when the statement began makes the plain insert wait for that commit and fail
 * on the unique index: the caller (append.ts) then runs its whole group again with `UPSERT` alone,
 * where relays appending the same key at once queue on its row and the second one sees the first
 * one's commit and reports a duplicate.
 *
 * A statement may not touch a row twice, so a key repeated within one group goes in a later round
 * (which sees the earlier rounds' rows). Keys are sorted so that concurrent transactions lock rows
 * in one order (no deadlock between two groups sharing keys).
 */
import { arrayLiteral } from './array-literal.js';
import { type Prepared, prepared, type Queryable } from './pool.js';

export interface DedupeKey {
  source: string;
  messageId: string;
  at: number;
  windowMs: number;
}

// Keys not in the table at the statement's snapshot; the others are left to UPSERT.
const INSERT = prepared(
  'dedupe_insert',
  `
  INSERT INTO dedupe (source, message_id, at)
  SELECT s, m, a FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u(s, m, a)
  WHERE NOT EXISTS (SELECT 1 FROM dedupe d WHERE d.source = u.s AND d.message_id = u.m) ORDER BY s, m
  RETURNING source, message_id`,
);

const UPSERT = prepared(
  'dedupe',
  `
  INSERT INTO dedupe AS d (source, message_id, at)
  SELECT s, m, a FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u(s, m, a) ORDER BY s, m
  ON CONFLICT (source, message_id) DO UPDATE SET at = excluded.at WHERE d.at <= excluded.at - $4
  RETURNING source, message_id`,
);

/** A plain insert met a key another transaction inserted meanwhile: run again with `upsert`. */
export function isDuplicateKey(error: unknown): boolean {
  return (
    (error as { code?: string }).code === '23505' &&
    (error as { constraint?: string }).constraint === 'dedupe_pkey'
  );
}

/** Answers, for each key, whether it was accepted (in input order). */
export async function acceptKeys(
  client: Queryable,
  keys: readonly DedupeKey[],
  /** Every key through INSERT … ON CONFLICT (after `isDuplicateKey`). */
  upsert = false,
): Promise<boolean[]> {
  const accepted = new Array<boolean>(keys.length).fill(false);
  for (const round of rounds(keys)) {
    for (const [windowMs, positions] of round) {
      const left = upsert ? positions : await take(client, INSERT, keys, positions, windowMs, accepted);
      // Keys already there (a duplicate, or one accepted again after its window): rare.
      if (left.length > 0) await take(client, UPSERT, keys, left, windowMs, accepted);
    }
  }
  return accepted;
}

/** Run `statement` on the keys at `positions`; marks those accepted, answers the others. */
async function take(
  client: Queryable,
  statement: Prepared,
  keys: readonly DedupeKey[],
  positions: readonly number[],
  windowMs: number,
  accepted: boolean[],
): Promise<number[]> {
  const sources: string[] = [];
  const messageIds: string[] = [];
  const times: number[] = [];
  for (const i of positions) {
    sources.push(keys[i]!.source);
    messageIds.push(keys[i]!.messageId);
    times.push(keys[i]!.at);
  }
  const values = [arrayLiteral(sources), arrayLiteral(messageIds), arrayLiteral(times)];
  const { rows } = await client.query<{ source: string; message_id: string }>({
    ...statement,
    values: statement === UPSERT ? [...values, windowMs] : values,
  });
  const taken = new Set(rows.map((row) => `${row.source}\u0000${row.message_id}`));
  const left: number[] = [];
  for (const i of positions) {
    if (taken.has(`${keys[i]!.source}\u0000${keys[i]!.messageId}`)) accepted[i] = true;
    else left.push(i);
  }
  return left;
}

/** Key positions split so that no round repeats a key; within a round, grouped by window. */
function rounds(keys: readonly DedupeKey[]): Map<number, number[]>[] {
  const seen = new Map<string, number>();
  const result: Map<number, number[]>[] = [];
  keys.forEach((key, i) => {
    const id = `${key.source}\u0000${key.messageId}`;
    const round = seen.get(id) ?? 0;
    seen.set(id, round + 1);
    result[round] ??= new Map();
    const byWindow = result[round]!;
    const positions = byWindow.get(key.windowMs);
    if (positions === undefined) byWindow.set(key.windowMs, [i]);
    else positions.push(i);
  });
  return result;
}
