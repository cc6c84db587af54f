export {
  addCounters,
  BATCH_BOUNDS,
  type DeliveryCounters,
  type DestinationCounters,
  type HistogramCounts,
  LATENCY_BOUNDS,
} from './counters.js';
export { type DeliveryLogger, DestinationWorker } from './destination-worker.js';
export { DeliveryEngine, type DeliveryEngineOptions } from './engine.js';
export type { DeliveryPort, DestinationStatus } from './port.js';
export { RateLimiter } from './rate-limiter.js';
export { backoffMs, shouldGiveUp } from './retry-policy.js';
export { type TrackTransport, TransportError } from './transport.js';
