/**
 * What the routes share: the options given to createServer, plus what is derived from them once.
 * `reconfigure` swaps in a reloaded configuration (SIGHUP): routes read these fields per request.
 */
import type { FastifyBaseLogger } from 'fastify';
import type { Logger } from 'pino';
import type { RelayConfig } from '../config/types.js';
import type { DeliveryPort } from '../pipeline/delivery/port.js';
import type { Store } from '../store/types.js';
import type { AdminGuard } from './admin-auth.js';
import { createAdminGuard } from './admin-auth.js';
import { type Preparer, preparerFor } from './ingest-mapping.js';
import type { IngestLimiter } from './ingest-rate-limit.js';
import { createIngestLimiter } from './ingest-rate-limit.js';
import { LiveFeed } from './live-feed.js';
import type { Throttle } from './log-throttle.js';
import { createThrottle } from './log-throttle.js';
import { RelayMetrics } from './metrics.js';
import type { Redactor } from './redact.js';
import { createRedactor } from './redact.js';
import { sourceRoutes } from './source-routes.js';
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
  /** Per-write-key request rate limits. */
  limitIngest: IngestLimiter;
  adminGuard: AdminGuard;
  /** Masks configured secrets in admin answers. */
  redact: Redactor;
  /** Source name → the destinations that take its events. */
  routes: ReadonlyMap<string, readonly string[]>;
  /** Maps accepted events for delivery, when the store keeps the result (ingest-mapping.ts). */
  prepare: Preparer | undefined;
  /** Whether a failed append is logged now (at most once a second). */
  storeFailureLog: Throttle;
  /** Stored events, for the console's live view. */
  live: LiveFeed;
  /** Prometheus metrics (`GET /metrics`). */
  metrics: RelayMetrics;
}

export function createContext(options: ServerOptions, log: FastifyBaseLogger): ServerContext {
  const now = options.now ?? Date.now;
  return {
    ...derived(options.config, options.store, now),
    store: options.store,
    delivery: options.delivery,
    now,
    log,
    storeFailureLog: createThrottle(1000),
    live: new LiveFeed(),
    metrics: new RelayMetrics({
      config: options.config,
      store: options.store,
      delivery: options.delivery,
      now,
    }),
  };
}

/** From now on, answer with `config` (same destinations; the caller checked what may change live). */
export function reconfigure(ctx: ServerContext, config: RelayConfig): void {
  Object.assign(ctx, derived(config, ctx.store, ctx.now));
}

type Derived = Pick<
  ServerContext,
  'config' | 'lookupSource' | 'limitIngest' | 'adminGuard' | 'redact' | 'routes' | 'prepare'
>;

function derived(config: RelayConfig, store: Store, now: () => number): Derived {
  return {
    config,
    lookupSource: createSourceLookup(config.sources),
    limitIngest: createIngestLimiter(config.sources),
    adminGuard: createAdminGuard(config.admin.token),
    redact: createRedactor(config),
    routes: sourceRoutes(config),
    prepare: preparerFor(config, store, now),
  };
}
