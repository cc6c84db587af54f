export { emptyQueueStats } from './empty-stats.js';
export { openSqliteStore, SqliteStore, type SqliteStoreOptions, WriteLock } from './sqlite/index.js';
export type * from './types.js';
