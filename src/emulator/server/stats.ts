/**
 * Counters for `GET /_emulator/stats`. In sink mode they are the only thing the emulator keeps, which
 * is what a throughput benchmark needs: how many requests and operations were accepted or refused.
 */

export interface Stats {
  startedAt: string;
  requests: {
    total: number;
    /** Count per response status; dropped and hung requests have no status and are not listed. */
    byStatus: Record<string, number>;
    unauthorized: number;
    /** Request body bytes read (dropped and hung requests are never read). */
    bodyBytes: number;
  };
  operations: { accepted: number; rejected: number };
  faults: {
    dropped: number;
    hung: number;
    /** Applied, then the connection was reset instead of answered. */
    resetAfterApply: number;
    /** Applied, then never answered. */
    hungAfterApply: number;
    rateLimited: number;
    throttled: number;
    errors: number;
  };
}

export interface StatsCounter {
  readonly value: Stats;
  reset(): void;
}

function fresh(now: number): Stats {
  return {
    startedAt: new Date(now).toISOString(),
    requests: { total: 0, byStatus: {}, unauthorized: 0, bodyBytes: 0 },
    operations: { accepted: 0, rejected: 0 },
    faults: {
      dropped: 0,
      hung: 0,
      resetAfterApply: 0,
      hungAfterApply: 0,
      rateLimited: 0,
      throttled: 0,
      errors: 0,
    },
  };
}

export function createStats(now: () => number): StatsCounter {
  let value = fresh(now());
  return {
    get value() {
      return value;
    },
    reset() {
      value = fresh(now());
    },
  };
}

export function countStatus(stats: Stats, status: number): void {
  const key = String(status);
  stats.requests.byStatus[key] = (stats.requests.byStatus[key] ?? 0) + 1;
}
