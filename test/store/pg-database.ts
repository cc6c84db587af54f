/**
 * A PostgreSQL database of its own for one test file: created with a unique name on the server in
 * CIO_RELAY_TEST_PG (default: the local server, trust auth) and dropped afterwards, even when tests
 * failed or left connections open. Files and parallel runs never share a database.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll } from 'vitest';

export const TEST_SERVER = process.env.CIO_RELAY_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The URL of `server` with another database name. */
export function databaseUrl(server: string, database: string): string {
  const url = new URL(server);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Run one statement on the server's maintenance database. */
export async function onServer(sql: string, server = TEST_SERVER): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A database of its own, created now; `drop()` removes it even with connections left open. */
export async function createTestDatabase(
  prefix = 'cio_relay_test',
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await onServer(`CREATE DATABASE ${name}`);
  return {
    url: databaseUrl(TEST_SERVER, name),
    drop: () => onServer(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/**
 * Call at the top of a test file: the database is created before its tests and dropped after them.
 * Answers a handle whose `url` is valid once the tests run.
 */
export function useTestDatabase(prefix = 'cio_relay_test'): { readonly url: string } {
  let database: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(prefix);
  });
  afterAll(async () => {
    await database?.drop();
  });
  return {
    get url() {
      if (!database) throw new Error('the test database exists only while the tests run');
      return database.url;
    },
  };
}

/** Call at the top of a test file: what a test pushes here is closed after it. */
export function closedAfterEach<T extends { close(): Promise<void> }>(): T[] {
  const opened: T[] = [];
  afterEach(async () => {
    for (const item of opened.splice(0)) await item.close();
  });
  return opened;
}

/** Run one statement in `schema` of the database at `url` on a connection of its own: its rows. */
export async function queryInSchema<T extends pg.QueryResultRow>(
  url: string,
  schema: string,
  text: string,
  params: unknown[] = [],
): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path = ${pg.escapeIdentifier(schema)}`);
    return (await client.query<T>(text, params)).rows;
  } finally {
    await client.end();
  }
}
