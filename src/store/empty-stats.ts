import type { QueueStats } from './types.js';

/** The statistics of a destination nothing was ever queued for (a fresh copy each time). */
export function emptyQueueStats(): QueueStats {
  return { queued: 0, inFlight: 0, retrying: 0, dead: 0, delivered: 0, filtered: 0, nextDueAt: null };
}
