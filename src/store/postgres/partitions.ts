/**
 * Rotation of the tables that are filled and emptied all day: jobs, events and the delivery log are
 * partitioned by ranges of their ids (`size` ids each, in arrival order; more for the log, whose
 * rows hold many entries and take LOG_STRIDE ids each, log-layout.ts). Rows are inserted at the
 * top and deleted from the bottom; deleted rows would stay in the indexes until vacuum and every
 * claim would walk over them (the reference measured dequeues falling from ~41k/s to ~16k/s on such
 * a table). Instead, once a range is empty, its partition is detached and dropped: no dead row, no
 * vacuum debt, no bloat.
 *
 * `maintain` (from prune, any relay, several at once is fine) keeps two ranges ahead of each id
 * sequence and drops the empty ones a full range behind it (a transaction that took ids but has
 * not inserted them yet is never that far behind). A write that still finds no range for its ids
 * (maintenance lagging) calls `ensure` and tries again. Creating ranges gives up on a lock held
 * longer than a second, so it never makes claims or appends queue behind it for long; it is tried
 * again at the next prune.
 */
import type pg from 'pg';
import { logRangeSize } from './log-layout.js';

// LOCAL: for this transaction only, not for the pooled connection's later work.
const LOCK_TIMEOUT = "SET LOCAL lock_timeout = '1s'";

interface Range {
  name: string;
  from: number;
  to: number;
  /** A detach was started and not finished. */
  detaching: boolean;
}

/** PostgreSQL's "no partition of relation … found for row". */
export function isMissingPartition(error: unknown): boolean {
  return (error as { code?: string }).code === '23514' && /no partition/.test((error as Error).message);
}

/** The rotated tables, the sequence their ids come from, and their pages' fill factor. */
const TABLES = [
  // Room on each page for the in-place (HOT) updates of claims and retries (schema.ts): a claim
  // updates every job of a page within moments, before the old versions can be pruned, so each
  // page keeps room for a second version of all its rows (at 80, most claims found no room and
  // wrote three index entries per job instead).
  { table: 'jobs', sequence: 'job_ids', fillfactor: 50, rangeSize: (size: number) => size },
  { table: 'events', sequence: 'event_ids', fillfactor: 100, rangeSize: (size: number) => size },
  { table: 'log', sequence: 'log_ids', fillfactor: 100, rangeSize: logRangeSize },
] as const;

/** All the rotated tables. */
export class Rotation {
  private readonly tables: RangePartitions[];

  constructor(pool: pg.Pool, size: number) {
    this.tables = TABLES.map(
      (t) => new RangePartitions(pool, t.table, t.sequence, t.fillfactor, t.rangeSize(size)),
    );
  }

  /** Ranges ahead of every sequence, with room for `more` ids about to be taken. */
  async ensure(more = 0): Promise<void> {
    for (const table of this.tables) await table.ensure(more);
  }

  async maintain(): Promise<void> {
    for (const table of this.tables) {
      await table.ensure();
      await table.dropDrained();
    }
  }
}

export class RangePartitions {
  constructor(
    private readonly pool: pg.Pool,
    private readonly table: string,
    private readonly sequence: string,
    private readonly fillfactor: number,
    private readonly size: number,
  ) {}

  /** Ranges up to two sizes beyond the last id taken, plus `more` ids about to be taken. */
  async ensure(more = 0): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // One relay at a time creates ranges (others wait, then find them made); only the DDL that
      // follows gives up on a busy lock.
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `cio-relay ${this.table} partitions`,
      ]);
      await client.query(LOCK_TIMEOUT);
      const ranges = await this.ranges(client);
      const last = await this.lastId(client);
      let top = ranges.reduce((max, r) => Math.max(max, r.to), 0);
      while (top <= last + more + 2 * this.size) {
        const name = `${this.table}_${top}`;
        await client.query(
          `CREATE TABLE ${name} (LIKE ${this.table} INCLUDING DEFAULTS INCLUDING COMPRESSION) WITH (fillfactor = ${this.fillfactor})`,
        );
        await client.query(
          `ALTER TABLE ${this.table} ATTACH PARTITION ${name} FOR VALUES FROM (${top}) TO (${top + this.size})`,
        );
        top += this.size;
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** Drop the empty ranges at least one full range below the last id taken; answers how many. */
  async dropDrained(): Promise<number> {
    const ranges = await this.ranges(this.pool);
    const last = await this.lastId(this.pool);
    let dropped = 0;
    for (const range of ranges) {
      if (range.to > last - this.size) continue;
      try {
        if (!range.detaching) {
          const { rows } = await this.pool.query<{ empty: boolean }>(
            `SELECT NOT EXISTS (SELECT 1 FROM ${range.name}) AS empty`,
          );
          if (!rows[0]?.empty) continue;
          // CONCURRENTLY: no lock that makes queries on the table wait (outside a transaction).
          await this.pool.query(`ALTER TABLE ${this.table} DETACH PARTITION ${range.name} CONCURRENTLY`);
        } else {
          // An earlier detach was interrupted: finish it.
          await this.pool.query(`ALTER TABLE ${this.table} DETACH PARTITION ${range.name} FINALIZE`);
        }
        await this.pool.query(`DROP TABLE IF EXISTS ${range.name}`);
        dropped++;
      } catch {
        // Another relay is dropping it, or a lock was not free: the next prune tries again.
      }
    }
    return dropped;
  }

  /** The ranges (attached, or being detached), lowest first. */
  async ranges(db: Pick<pg.ClientBase, 'query'>): Promise<Range[]> {
    const { rows } = await db.query<{ name: string; bound: string; detaching: boolean }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound, i.inhdetachpending AS detaching
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = $1::regclass`,
      [this.table],
    );
    return rows
      .map((row) => {
        const [, from, to] = /FROM \('?(\d+)'?\) TO \('?(\d+)'?\)/.exec(row.bound) ?? [];
        return { name: row.name, from: Number(from), to: Number(to), detaching: row.detaching };
      })
      .sort((a, b) => a.from - b.from);
  }

  private async lastId(db: Pick<pg.ClientBase, 'query'>): Promise<number> {
    const { rows } = await db.query<{ last: number }>(`SELECT last_value AS last FROM ${this.sequence}`);
    return rows[0]!.last;
  }
}
