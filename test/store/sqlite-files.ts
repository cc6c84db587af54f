/** SQLite store files for the store's tests: fresh ones, ones left at an older schema, and reads of them. */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openSqliteStore, type SqliteStore } from '../../src/store/index.js';
import { hash32 } from '../../src/store/sqlite/key-index.js';
import { migrations } from '../../src/store/sqlite/schema.js';
import { tempDir } from '../temp-files.js';

/** A fresh database file, removed once the test file has run. */
export function storeFile(): string {
  return join(tempDir(), 'store.db');
}

export async function withStore<T>(file: string, fn: (store: SqliteStore) => Promise<T>): Promise<T> {
  const store = openSqliteStore({ file });
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** Rows of a query, read through a connection of its own. */
export function rows(file: string, sql: string): unknown[] {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).all();
  } finally {
    db.close();
  }
}

/**
 * A database as a relay of schema `version` left it, for a migration test to fill (with the hash
 * function its migrations and the test's own rows may use); the caller closes it.
 */
export function databaseAtVersion(file: string, version: number): Database.Database {
  const db = new Database(file);
  db.function('cio_hash32', (text: unknown) => hash32(String(text)));
  for (const migration of migrations.slice(0, version)) db.exec(migration);
  db.pragma(`user_version = ${version}`);
  return db;
}
