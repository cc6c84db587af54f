/**
 * What the HTTP server (ingest and admin API) may ask of delivery. The delivery engine implements
 * it; the server never reaches into the engine otherwise.
 */
import type { RouteConfig } from '../../profiles/index.js';
import type { DeliveryError, QueueStats } from '../../store/types.js';
import type { DeliveryCounters } from './counters.js';

export interface DestinationStatus {
  name: string;
  /** `running`, `paused` (401/403 until resumed), `backing-off` (Customer.io failing or 429). */
  state: 'running' | 'paused' | 'backing-off';
  paused: (DeliveryError & { at: number }) | null;
  /** When the destination may send again while backing off (epoch ms). */
  backoffUntil: number | null;
  /** Requests per second currently allowed (lowered after 429s). */
  requestsPerSecond: number;
  ordering: boolean;
  stats: QueueStats;
  /** The last request's outcome, for a quick look. */
  lastError: (DeliveryError & { at: number }) | null;
}

export interface DeliveryPort {
  /** Events for these destinations were just committed: wake their workers. */
  notify(destinations: Iterable<string>): void;
  status(): Promise<DestinationStatus[]>;
  /** Clear a pause (after a 401/403 was fixed); false when no such destination. */
  resume(destination: string): Promise<boolean>;
  /** Dead letters were queued again for this destination: wake it. */
  replayed(destination: string): void;
  /**
   * Route this destination's events with these subscriptions from now on (deliveries already
   * mapped go as they are); false when no such destination. The routes were checked by the caller.
   */
  applySubscriptions(destination: string, routes: RouteConfig[]): Promise<boolean>;
  /** True while delivery runs (false while starting or draining). */
  ready(): boolean;
  /**
   * Whether ingest should map the events it accepts now (pipeline/prepared.ts), or leave that to
   * delivery; absent: always.
   */
  ingestShouldMap?(): boolean;
  /** What delivery counted since the relay started (for `/metrics`); absent: nothing to show. */
  counters?(): Promise<DeliveryCounters>;
}
