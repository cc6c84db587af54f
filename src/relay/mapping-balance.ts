/**
 * Which thread maps events (pipeline/prepared.ts). Ingest can map each event it accepts, holding it
 * parsed already, or leave it to the delivery thread, which then parses the stored event first.
 * Mapping is a large share of either thread's work per event (about half of ingest's, a third of
 * delivery's), so whichever does it all becomes the bottleneck while the other waits: ingest maps
 * ahead only while the delivery thread was the busier of the two over the last interval, which
 * keeps both about equally busy under load.
 */

/** Cumulative event-loop time of a thread, ms (`performance.eventLoopUtilization()`). */
export interface LoopTime {
  idle: number;
  active: number;
}

export class MappingBalance {
  private ingestMaps = true;
  private sampledAt = Number.NEGATIVE_INFINITY;
  private lastIngest: LoopTime | undefined;
  private lastDelivery: LoopTime | undefined;

  constructor(
    private readonly ingest: () => LoopTime,
    /** Undefined while the delivery thread is not running. */
    private readonly delivery: () => LoopTime | undefined,
    private readonly clock: () => number = () => performance.now(),
    private readonly intervalMs = 100,
  ) {}

  /** Whether ingest should map the events it accepts now (sampled at most once per interval). */
  ingestShouldMap(): boolean {
    const now = this.clock();
    if (now - this.sampledAt < this.intervalMs) return this.ingestMaps;
    this.sampledAt = now;
    const ingest = this.ingest();
    const delivery = this.delivery();
    if (this.lastIngest !== undefined && this.lastDelivery !== undefined && delivery !== undefined) {
      this.ingestMaps = busy(delivery, this.lastDelivery) > busy(ingest, this.lastIngest);
    }
    this.lastIngest = ingest;
    this.lastDelivery = delivery;
    return this.ingestMaps;
  }
}

/** Share of the time between two readings the thread was busy (0 when no time passed). */
function busy(now: LoopTime, before: LoopTime): number {
  const active = now.active - before.active;
  const total = active + now.idle - before.idle;
  return total > 0 ? active / total : 0;
}
