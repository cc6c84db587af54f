export { Batcher } from './batcher.js';
export { type MapCounts, MapStream, type MapStreamOptions } from './map-stream.js';
export {
  type CompiledSubscription,
  compileSubscriptions,
  filterReason,
  MAX_SUBSCRIPTIONS,
  type Routed,
  route,
} from './router.js';
