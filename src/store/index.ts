export { openSqliteStore, SqliteStore, type SqliteStoreOptions } from './sqlite/index.js';
export type * from './types.js';
