/**
 * The store a configuration names: PostgreSQL when `store.postgres` is set (several relays may
 * share it), else the SQLite file (created with its folder if needed).
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { RelayConfig } from '../config/types.js';
import { openSqliteStore, type SqliteStoreOptions } from '../store/index.js';
import { openPostgresStore } from '../store/postgres/index.js';
import { redactUrl } from '../store/postgres/pool.js';
import type { Store } from '../store/types.js';

interface WarnLogger {
  warn(details: object, message: string): void;
}

/** What the SQLite connections of one process share (the relay's and its delivery thread's). */
export type SqliteSharing = Pick<SqliteStoreOptions, 'writeLock' | 'inFlightCounts'>;

/**
 * `relay`: the running relay's connection, given what it shares with its delivery thread (which
 * opens the same SQLite file). It marks the file while open and warns when the last relay on it
 * did not stop cleanly (run-marker.ts); the CLI's connections do neither.
 */
export async function openStore(
  store: RelayConfig['store'],
  logger: WarnLogger,
  relay?: SqliteSharing,
): Promise<Store> {
  if (store.postgres) {
    return openPostgresStore({
      url: store.postgres.url,
      leaseMs: store.postgres.leaseMs,
      onError: (error) =>
        logger.warn(
          { err: error },
          'PostgreSQL store: background work failed (lease or connection); retrying',
        ),
      onReaped: (jobs) =>
        logger.warn(
          { jobs },
          'a relay stopped renewing its lease (crash, kill -9, lost connection): the jobs it had in flight are queued again and may reach Customer.io twice',
        ),
    });
  }
  if (store.sqlite !== ':memory:') mkdirSync(dirname(store.sqlite), { recursive: true });
  const sqlite = openSqliteStore({ file: store.sqlite, ...relay, marksRun: relay !== undefined });
  if (sqlite.uncleanStop) {
    logger.warn(
      { store: store.sqlite },
      'the last relay on this store did not stop cleanly (crash, kill -9, power loss): the batches it had in flight are sent again and may reach Customer.io twice',
    );
  }
  return sqlite;
}

/** For banners and summaries: the SQLite file, or the PostgreSQL URL without its password. */
export function describeStore(store: RelayConfig['store']): string {
  return store.postgres ? `PostgreSQL ${redactUrl(store.postgres.url)}` : store.sqlite;
}
