/**
 * What ingest counts for the metrics: plain numbers per source, bumped in place by the ingest route
 * (an addition or two per request, no label hashing), read by the collectors at scrape time.
 */
import type { NewEvent } from '../store/types.js';
import type { RejectedEvent } from './responses.js';

export interface SourceCounts {
  received: number;
  duplicate: number;
  unrouted: number;
  unavailable: number;
  /** Delivery jobs made, by destination (as the event's routes were when it was stored). */
  jobs: Map<string, number>;
  /** By refusal code. */
  rejected: Map<string, number>;
}

export class IngestCounts {
  readonly bySource = new Map<string, SourceCounts>();
  /** Ingest requests by the HTTP status answered. */
  readonly byStatus = new Map<number, number>();
  /** One ingest request's events, once the store answered (or all were refused). */
  ingested(
    source: string,
    received: number,
    rejected: readonly RejectedEvent[],
    stored: readonly NewEvent[],
    duplicates: readonly number[],
  ): void {
    const counts = this.of(source);
    counts.received += received;
    counts.duplicate += duplicates.length;
    for (const refusal of rejected)
      counts.rejected.set(refusal.code, (counts.rejected.get(refusal.code) ?? 0) + 1);
    const skipped = duplicates.length > 0 ? new Set(duplicates) : undefined;
    let routed = 0;
    for (let i = 0; i < stored.length; i++) {
      const { destinations } = stored[i]!;
      if (destinations.length === 0 || skipped?.has(i)) continue;
      routed++;
      for (const destination of destinations)
        counts.jobs.set(destination, (counts.jobs.get(destination) ?? 0) + 1);
    }
    counts.unrouted += stored.length - duplicates.length - routed;
  }

  /** Events of a request the store could not take (answered 503). */
  notStored(source: string, events: number): void {
    this.of(source).unavailable += events;
  }

  answered(status: number): void {
    this.byStatus.set(status, (this.byStatus.get(status) ?? 0) + 1);
  }

  private of(source: string): SourceCounts {
    let counts = this.bySource.get(source);
    if (counts === undefined) {
      counts = {
        received: 0,
        duplicate: 0,
        unrouted: 0,
        unavailable: 0,
        jobs: new Map(),
        rejected: new Map(),
      };
      this.bySource.set(source, counts);
    }
    return counts;
  }
}
