/**
 * The running relay: store, delivery and HTTP server wired together, with housekeeping and a
 * graceful stop. Stop order matters: first stop accepting (in-flight ingest requests finish and
 * are committed), then let deliveries in progress finish, then close the store.
 */
import type { FastifyInstance } from 'fastify';
import type { RelayConfig } from '../config/types.js';
import { DeliveryEngine, type DeliveryPort } from '../pipeline/delivery/index.js';
import { createServer, reconfigureServer } from '../server/index.js';
import { InFlightCounts, WriteLock } from '../store/index.js';
import type { Store } from '../store/types.js';
import type { Logger } from './logger.js';
import { openStore, type SqliteSharing } from './open-store.js';
import { planReload } from './reload.js';
import { ThreadedDelivery } from './threaded-delivery.js';
import { createTrackClient } from './track-client.js';

export interface RelayOptions {
  config: RelayConfig;
  logger: Logger;
  now?: () => number;
  /** Housekeeping period (dedupe expiry, log trimming, event clean-up); default 10 s. */
  pruneIntervalMs?: number;
  /** How often idle destinations look for unannounced work (e.g. replays from the CLI); default 1 s. */
  idlePollMs?: number;
}

/** Delivery as the relay runs it: on its own thread, or in process (an in-memory store, a fake clock). */
export type RelayDelivery = DeliveryPort & { start(): Promise<void>; stop(): Promise<void> };

export interface Relay {
  /** Base URL of the ingest and admin API, e.g. http://127.0.0.1:8787. */
  url: string;
  port: number;
  store: Store;
  delivery: RelayDelivery;
  server: FastifyInstance;
  /**
   * Run on a configuration read again (SIGHUP) from now on, as far as it may change live (see
   * reload.ts); answers what was applied and what needs a restart. Events keep flowing meanwhile.
   */
  reload(next: RelayConfig): Promise<{ applied: string[]; restart: string[] }>;
  close(): Promise<void>;
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const { config, logger } = options;
  const sharing = { writeLock: WriteLock.create(), inFlightCounts: InFlightCounts.create() };
  const store = await openStore(config.store, logger, sharing);
  const delivery = startDelivery(options, store, sharing);
  const server = await createServer({
    config,
    store,
    delivery,
    logger,
    ...(options.now && { now: options.now }),
  });
  try {
    await delivery.start();
  } catch (error) {
    await server.close();
    await store.close();
    throw error;
  }
  await server.listen({ port: config.server.port, host: config.server.host });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host =
    config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;

  const now = options.now ?? Date.now;
  let current = config;
  const prune = setInterval(() => {
    store
      .prune({
        now: now(),
        dedupeWindowMs: current.dedupe.windowMs,
        logMaxEntries: current.deliveryLog.maxEntries,
        logMaxAgeMs: current.deliveryLog.maxAgeMs,
        deadLetterMaxAgeMs: current.deadLetters?.maxAgeMs ?? 0,
      })
      .catch((error: unknown) => logger.error({ err: error }, 'housekeeping failed; will try again'));
  }, options.pruneIntervalMs ?? 10_000);
  prune.unref();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(prune);
      await closeServer(server);
      await delivery.stop();
      await store.close();
    })();
    return closing;
  };
  const reload = async (next: RelayConfig) => {
    const plan = planReload(current, next);
    // Delivery first: an event accepted under the new routes is then mapped by the new subscriptions.
    for (const name of plan.routesChanged) {
      const destination = plan.config.destinations.find((d) => d.name === name)!;
      await delivery.applySubscriptions(name, destination.subscriptions);
    }
    reconfigureServer(server, plan.config);
    current = plan.config;
    return { applied: plan.applied, restart: plan.restart };
  };
  return { url: `http://${host}:${port}`, port, store, delivery, server, reload, close };
}

/**
 * Stop accepting, let requests in progress finish. Node's close() drops the keep-alive connections
 * idle at that moment; one whose request was still being answered becomes idle only later, and a
 * client would keep it (and the relay) alive with requests of its own: those answers say
 * `Connection: close` (Fastify's 503 while closing), and connections gone idle are dropped here.
 */
async function closeServer(server: FastifyInstance): Promise<void> {
  const reaper = setInterval(() => server.server.closeIdleConnections(), 50);
  try {
    await server.close();
  } finally {
    clearInterval(reaper);
  }
}

/**
 * A SQLite file is opened again by a delivery thread; an in-memory one exists only in this
 * connection, and a test's fake clock cannot cross threads: those deliver in process.
 */
function startDelivery(options: RelayOptions, store: Store, sharing: Required<SqliteSharing>): RelayDelivery {
  const { config, logger } = options;
  const idlePoll = options.idlePollMs !== undefined && { idlePollMs: options.idlePollMs };
  // PostgreSQL: delivery in process for now (its claims and leases belong to one store instance).
  if (!config.store.postgres && config.store.sqlite !== ':memory:' && !options.now) {
    return new ThreadedDelivery(
      {
        storeFile: config.store.sqlite,
        writeLock: sharing.writeLock.shared,
        inFlightCounts: sharing.inFlightCounts.shared,
        destinations: config.destinations,
        ...idlePoll,
      },
      logger,
    );
  }
  return new DeliveryEngine({
    destinations: config.destinations,
    store,
    transportFor: createTrackClient,
    logger,
    ...(options.now && { now: options.now }),
    ...idlePoll,
  });
}
