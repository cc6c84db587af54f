/**
 * Connections: one pg pool per store, every connection in the store's schema, bigint columns read as
 * numbers (ids and epoch milliseconds stay far below 2^53), and a transaction helper that always
 * gives its connection back (destroyed when the transaction could not be ended cleanly).
 */
import pg from 'pg';

export interface PoolOptions {
  /** postgres://user:password@host:port/database (the password is never logged). */
  url: string;
  /** Schema holding the tables (created if missing). Default `public`. */
  schema: string;
  /** Connections per process. */
  max: number;
  /**
   * False for work whose commit may be lost in a database crash without losing an event (claims
   * and results: the jobs come back and are delivered again): it then does not wait for the WAL.
   */
  synchronousCommit: boolean;
  /**
   * Plan with plain index scans. A queue's statistics are always stale (a table emptied and filled
   * again all day; a new partition has none), and with too few rows in its estimate the planner
   * reads a whole destination's jobs through a bitmap to find the hundred a result names.
   */
  indexOnly?: boolean;
}

const types = new pg.TypeOverrides();
types.setTypeParser(pg.types.builtins.INT8, Number);

/** The URL with its password replaced, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'postgres://(unparsable URL)';
  }
}

export function createPool(options: PoolOptions, onConnectionError: (error: Error) => void): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.max,
    types,
    // While the database is down, requests fail fast (ingest answers 503) instead of queueing.
    connectionTimeoutMillis: 5000,
    idleTimeoutMillis: 30_000,
    options: [
      `-c search_path=${pg.escapeIdentifier(options.schema)}`,
      `-c synchronous_commit=${options.synchronousCommit ? 'on' : 'off'}`,
      ...(options.indexOnly ? ['-c enable_bitmapscan=off', '-c enable_seqscan=off'] : []),
    ].join(' '),
    application_name: 'cio-relay',
  });
  // A connection dropped by the server (restart, network) must not crash the process: idle ones
  // are reported by the pool, busy ones by their client (their query also fails).
  pool.on('error', onConnectionError);
  pool.on('connect', (client) => client.on('error', onConnectionError));
  return pool;
}

export type Queryable = Pick<pg.PoolClient, 'query'>;

export interface Prepared {
  name: string;
  text: string;
}

/**
 * A statement that each connection parses and plans once, then executes by name: for the
 * statements of every append, claim and result (planning the results' statement alone took longer
 * than running it). Plans follow schema changes (a new partition) by themselves.
 */
export function prepared(name: string, text: string): Prepared {
  return { name: `cio_${name}`, text };
}

/** Run `fn` in a transaction on one connection: committed if it resolves, rolled back if not. */
export async function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
    } catch {
      broken = true;
    }
    throw error;
  } finally {
    client.release(broken);
  }
}
