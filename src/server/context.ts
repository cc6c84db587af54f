/** What the routes share: the options given to createServer, plus what is derived from them once. */
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import type { RelayConfig } from '../config/types.js';
import type { DeliveryPort } from '../pipeline/delivery/port.js';
import type { Store } from '../store/types.js';
import { LiveFeed } from './live-feed.js';
import type { Throttle } from './log-throttle.js';
import { createThrottle } from './log-throttle.js';
import type { SourceLookup } from './write-key.js';
import { createSourceLookup } from './write-key.js';

export interface ServerOptions {
  config: RelayConfig;
  store: Store;
  delivery: DeliveryPort;
  /** Where errors go (never per request or per event). Default: no logging. */
  logger?: Logger;
  /** Clock, epoch ms (tests). Default: Date.now. */
  now?: () => number;
}

export interface ServerContext {
  config: RelayConfig;
  store: Store;
  delivery: DeliveryPort;
  now: () => number;
  log: FastifyBaseLogger;
  lookupSource: SourceLookup;
  /** Source name → the destinations that take its events. */
  routes: ReadonlyMap<string, readonly string[]>;
  /** Whether a failed append is logged now (at most once a second). */
  storeFailureLog: Throttle;
  /** Stored events, for the console's live view. */
  live: LiveFeed;
}

export function createContext(options: ServerOptions, log: FastifyBaseLogger): ServerContext {
  const { config } = options;
  const routes = new Map<string, readonly string[]>();
  for (const source of config.sources) {
    const names = config.destinations.filter((d) => d.sources.includes(source.name)).map((d) => d.name);
    routes.set(source.name, Object.freeze(names));
  }
  return {
    config,
    store: options.store,
    delivery: options.delivery,
    now: options.now ?? Date.now,
    log,
    lookupSource: createSourceLookup(config.sources),
    routes,
    storeFailureLog: createThrottle(1000),
    live: new LiveFeed(),
  };
}
