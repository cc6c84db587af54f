export { openSqliteStore, SqliteStore, type SqliteStoreOptions, WriteLock } from './sqlite/index.js';
export type * from './types.js';
