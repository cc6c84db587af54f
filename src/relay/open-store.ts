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

/** `sharing`: with the relay's delivery thread, which opens the same SQLite file. */
export async function openStore(
  store: RelayConfig['store'],
  logger: WarnLogger,
  sharing: SqliteSharing = {},
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
    });
  }
  if (store.sqlite !== ':memory:') mkdirSync(dirname(store.sqlite), { recursive: true });
  return openSqliteStore({ file: store.sqlite, ...sharing });
}

/** For banners and summaries: the SQLite file, or the PostgreSQL URL without its password. */
export function describeStore(store: RelayConfig['store']): string {
  return store.postgres ? `PostgreSQL ${redactUrl(store.postgres.url)}` : store.sqlite;
}
