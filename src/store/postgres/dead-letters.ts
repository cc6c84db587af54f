/**
 * Dead letters: listing, replay (each becomes a fresh event and job after every existing job of
 * its destination, attempts reset) and drop. Bulk operations go in chunks of CHUNK rows, one
 * transaction each; rows are locked with SKIP LOCKED so that two relays replaying the same
 * selection never replay a letter twice.
 */
import type pg from 'pg';
import { type DeadLetterRow, ERROR_EXCHANGE_SELECT, toDeadLetter } from '../codec.js';
import { CHUNK, pageSize } from '../limits.js';
import type { DeadLetter, DeadLetterQuery, DeadLetterSelection } from '../types.js';
import { insertEvents } from './append.js';
import { addCounts, randomShard } from './counters.js';
import type { Destinations } from './destinations.js';
import { transaction } from './pool.js';

// The columns of the SQLite store's rows, so that both build dead letters the same way.
const COLUMNS = `d.id, ds.name, d.dest, d.source, d.message_id, d.person, d.event, d.received_at, d.attempts,
  d.first_attempt_at, d.dead_at, ${ERROR_EXCHANGE_SELECT}`;
const FROM = 'dead_letters d JOIN destinations ds ON ds.id = d.dest';

const DELETE = `
  WITH gone AS (DELETE FROM dead_letters WHERE id = ANY($1::bigint[]) RETURNING dest)
  ${addCounts('gone', { dead: '-1' }, '$2')}`;

interface Filter {
  sql: string;
  params: unknown[];
}

export class DeadLetters {
  constructor(
    private readonly pool: pg.Pool,
    private readonly destinations: Destinations,
  ) {}

  async list(query: DeadLetterQuery): Promise<DeadLetter[]> {
    const limit = pageSize(query.limit);
    const params: unknown[] = [query.afterId ?? 0, limit];
    let where = 'd.id > $1';
    if (query.destination !== undefined) {
      const dest = await this.destinations.find(query.destination);
      if (dest === undefined) return [];
      params.push(dest);
      where += ' AND d.dest = $3';
    }
    const { rows } = await this.pool.query<DeadLetterRow>(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE ${where} ORDER BY d.id LIMIT $2`,
      params,
    );
    return rows.map(toDeadLetter);
  }

  async get(id: number): Promise<DeadLetter | undefined> {
    if (!Number.isSafeInteger(id)) return undefined;
    const { rows } = await this.pool.query<DeadLetterRow>(`SELECT ${COLUMNS} FROM ${FROM} WHERE d.id = $1`, [
      id,
    ]);
    return rows[0] === undefined ? undefined : toDeadLetter(rows[0]);
  }

  async replay(selection: DeadLetterSelection): Promise<number> {
    const filter = await this.filter(selection);
    if (filter === undefined) return 0;
    return this.chunks(filter, async (client, rows, shard) => {
      await insertEvents(
        client,
        rows.map((row) => ({
          event: {
            source: row.source,
            messageId: row.message_id,
            personKey: row.person,
            receivedAt: row.received_at,
            body: row.event,
          },
          dests: [row.dest],
        })),
        shard,
        null,
      );
    });
  }

  drop(selection: DeadLetterSelection): Promise<number> {
    return this.filter(selection).then((filter) =>
      filter === undefined ? 0 : this.chunks(filter, async () => undefined),
    );
  }

  /** Take the selected letters CHUNK at a time (oldest first), `use` them, delete them. */
  private async chunks(
    filter: Filter,
    use: (client: pg.ClientBase, rows: DeadLetterRow[], shard: number) => Promise<void>,
  ): Promise<number> {
    let total = 0;
    for (;;) {
      const count = await transaction(this.pool, async (client) => {
        const { rows } = await client.query<DeadLetterRow>(
          `SELECT ${COLUMNS} FROM ${FROM} WHERE ${filter.sql} ORDER BY d.id LIMIT ${CHUNK}
           FOR UPDATE OF d SKIP LOCKED`,
          filter.params,
        );
        if (rows.length === 0) return 0;
        // One counters shard for the whole transaction (counters.ts).
        const shard = randomShard();
        await use(client, rows, shard);
        await client.query(DELETE, [rows.map((row) => row.id), shard]);
        return rows.length;
      });
      total += count;
      if (count < CHUNK) return total;
    }
  }

  /** The WHERE clause of a selection, or undefined when it matches nothing. */
  private async filter(selection: DeadLetterSelection): Promise<Filter | undefined> {
    const terms: string[] = [];
    const params: unknown[] = [];
    if (selection.ids !== undefined) {
      const ids = selection.ids.filter((id) => Number.isSafeInteger(id));
      if (ids.length === 0) return undefined;
      params.push(ids);
      terms.push(`d.id = ANY($${params.length}::bigint[])`);
    }
    if (selection.destination !== undefined) {
      const dest = await this.destinations.find(selection.destination);
      if (dest === undefined) return undefined;
      params.push(dest);
      terms.push(`d.dest = $${params.length}`);
    }
    if (terms.length === 0 && selection.all !== true) return undefined;
    return { sql: terms.length === 0 ? 'true' : terms.join(' AND '), params };
  }
}
