/**
 * Ingest without HTTP, for backfills straight into the store (`cio-relay send --direct`): the same
 * validation, normalisation, `integrations` routing and messageId deduplication as `POST /v1/batch`
 * (acceptEvents, then one append), for one source. A running relay delivers the new jobs once its
 * idle poll finds them (within a second).
 */
import type { RelayConfig } from '../config/types.js';
import type { Store } from '../store/types.js';
import { acceptEvents } from './accept.js';
import { preparerFor } from './ingest-mapping.js';
import type { RejectedEvent } from './responses.js';
import { sourceRoutes } from './source-routes.js';

export interface DirectAnswer {
  rejected: RejectedEvent[];
  /** Events dropped as duplicates (answered as accepted, as ingest does). */
  duplicates: number;
}

export function directIngest(
  config: RelayConfig,
  store: Store,
  source: string,
  now: () => number = Date.now,
): (events: unknown[]) => Promise<DirectAnswer> {
  const destinations = sourceRoutes(config).get(source) ?? [];
  const prepare = preparerFor(config, store, now);
  return async (raw) => {
    const at = now();
    const arrival = { source, receivedAt: at, receivedAtIso: new Date(at).toISOString() };
    const { events, rejected } = acceptEvents(raw, arrival, destinations, prepare);
    if (events.length === 0) return { rejected, duplicates: 0 };
    const { duplicates } = await store.append(events, { dedupeWindowMs: config.dedupe.windowMs });
    return { rejected, duplicates: duplicates.length };
  };
}
