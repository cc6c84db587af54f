export { emptyQueueStats } from './empty-stats.js';
export { storeFailureCause } from './failure-cause.js';
export {
  InFlightCounts,
  openSqliteStore,
  SqliteStore,
  type SqliteStoreOptions,
  WriteLock,
} from './sqlite/index.js';
export type * from './types.js';
