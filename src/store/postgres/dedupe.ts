/**
 * Deduplication by (source, messageId) over a window, inside the append transaction. A key is
 * accepted when it is new or was last accepted at least a window earlier, and it then dates from
 * this event: one INSERT … ON CONFLICT DO UPDATE … WHERE per round, whose RETURNING rows are the
 * accepted keys. Relays appending the same key at once queue on its row: the second sees the
 * first one's commit and reports a duplicate.
 *
 * A statement may not touch a row twice, so a key repeated within one group goes in a later round
 * (which sees the earlier rounds' rows). Keys are sorted so that concurrent transactions lock rows
 * in one order (no deadlock between two groups sharing keys).
 */
import { arrayLiteral } from './array-literal.js';
import { prepared, type Queryable } from './pool.js';

export interface DedupeKey {
  source: string;
  messageId: string;
  at: number;
  windowMs: number;
}

const UPSERT = prepared(
  'dedupe',
  `
  INSERT INTO dedupe AS d (source, message_id, at)
  SELECT s, m, a FROM unnest($1::text[], $2::text[], $3::bigint[]) AS u(s, m, a) ORDER BY s, m
  ON CONFLICT (source, message_id) DO UPDATE SET at = excluded.at WHERE d.at <= excluded.at - $4
  RETURNING source, message_id`,
);

/** Answers, for each key, whether it was accepted (in input order). */
export async function acceptKeys(client: Queryable, keys: readonly DedupeKey[]): Promise<boolean[]> {
  const accepted = new Array<boolean>(keys.length).fill(false);
  for (const round of rounds(keys)) {
    for (const [windowMs, positions] of round) {
      const sources: string[] = [];
      const messageIds: string[] = [];
      const times: number[] = [];
      for (const i of positions) {
        sources.push(keys[i]!.source);
        messageIds.push(keys[i]!.messageId);
        times.push(keys[i]!.at);
      }
      const { rows } = await client.query<{ source: string; message_id: string }>({
        ...UPSERT,
        values: [arrayLiteral(sources), arrayLiteral(messageIds), arrayLiteral(times), windowMs],
      });
      const taken = new Set(rows.map((row) => `${row.source}\u0000${row.message_id}`));
      for (const i of positions) accepted[i] = taken.has(`${keys[i]!.source}\u0000${keys[i]!.messageId}`);
    }
  }
  return accepted;
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
