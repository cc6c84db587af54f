/** Page sizes of the listing queries: default 50, at most 1000 (the interface's documented bounds). */
export function pageSize(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return 50;
  return Math.min(Math.max(Math.floor(limit), 0), 1000);
}

/** Rows handled per transaction by bulk operations, so none holds the event loop for long. */
export const CHUNK = 1000;

/** Let I/O callbacks run between two chunks. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Events per append group commit: ~20 µs each plus the fsync keeps one commit to a few ms of event
 * loop; a burst becomes several commits, a turn of the loop apart.
 */
export const APPEND_GROUP_LIMIT = {
  weigh: (call: { events: readonly unknown[] }) => call.events.length,
  maxWeight: 256,
};

/**
 * How far an ordered claim walks past jobs held back behind their person's earlier one (a busy
 * person waiting for a retry): up to this many times its `scanLimit` in all, those jobs not counting
 * against `scanLimit`, so that such a person does not stop everyone else's jobs.
 */
export const HELD_BACK_WINDOWS = 32;
