/**
 * `GET /admin/activity?destination=`: the last hour of delivery in 5-minute buckets (delivered,
 * retried, dead, filtered, and the p95 end-to-end latency from `receivedAt` to delivery), for the
 * console's chart. Computed from the delivery log, which every store keeps, rather than from new
 * counters: the log is the record of what happened, and this is an occasional admin read.
 */
import type { LogEntry, LogOutcome, Store } from '../store/types.js';

export const ACTIVITY_WINDOW_MS = 3600_000;
export const BUCKET_MS = 5 * 60_000;
/** Entries read at most (newest first): bounds the cost of one call on a busy relay. */
export const MAX_ENTRIES = 20_000;
const PAGE = 1000;

export interface ActivityBucket {
  /** Start of the bucket (epoch ms). */
  start: number;
  delivered: number;
  retry: number;
  dead: number;
  filtered: number;
  /** p95 of (delivered at − received at) over this bucket's deliveries; null without any. */
  p95LatencyMs: number | null;
}

export interface Activity {
  from: number;
  to: number;
  bucketMs: number;
  buckets: ActivityBucket[];
  /** True when the hour held more than MAX_ENTRIES entries and only the newest were counted. */
  truncated: boolean;
}

export async function readActivity(
  store: Store,
  options: { now: number; destination?: string | undefined },
): Promise<Activity> {
  const from = options.now - ACTIVITY_WINDOW_MS;
  const entries: LogEntry[] = [];
  let beforeId: number | undefined;
  for (;;) {
    const page = await store.searchLog({ destination: options.destination, beforeId, limit: PAGE });
    const recent = page.filter((entry) => entry.at >= from);
    entries.push(...recent);
    if (page.length < PAGE || recent.length < page.length) break;
    if (entries.length >= MAX_ENTRIES) return summarise(entries, from, options.now, true);
    beforeId = page[page.length - 1]!.id;
  }
  return summarise(entries, from, options.now, false);
}

/** Pure: the entries (any order) counted into buckets from `from` up to `to`. */
export function summarise(
  entries: readonly LogEntry[],
  from: number,
  to: number,
  truncated: boolean,
): Activity {
  const count = Math.ceil((to - from) / BUCKET_MS);
  const buckets = Array.from({ length: count }, (_, i) => ({
    start: from + i * BUCKET_MS,
    counts: { delivered: 0, retry: 0, dead: 0, filtered: 0 } as Record<LogOutcome, number>,
    latencies: [] as number[],
  }));
  for (const entry of entries) {
    const bucket = buckets[Math.floor((entry.at - from) / BUCKET_MS)];
    if (bucket === undefined) continue;
    bucket.counts[entry.outcome] += 1;
    if (entry.outcome !== 'delivered') continue;
    const latency = entry.at - receivedAt(entry.event);
    if (Number.isFinite(latency)) bucket.latencies.push(Math.max(0, latency));
  }
  return {
    from,
    to,
    bucketMs: BUCKET_MS,
    truncated,
    buckets: buckets.map(({ start, counts, latencies }) => ({
      start,
      ...counts,
      p95LatencyMs: percentile(latencies, 0.95),
    })),
  };
}

/** The stored event's `receivedAt` (set by ingest, ISO 8601), NaN when unreadable. */
function receivedAt(event: string): number {
  try {
    const value = (JSON.parse(event) as { receivedAt?: unknown }).receivedAt;
    return typeof value === 'string' ? Date.parse(value) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Nearest-rank percentile; null for no values. */
export function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}
