export { InFlightCounts } from './in-flight-counts.js';
export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './store.js';
export { WriteLock } from './write-lock.js';
