/**
 * The running relay: store, delivery and HTTP server wired together, with housekeeping and a
 * graceful stop. Stop order matters: first stop accepting (in-flight ingest requests finish and
 * are committed), then let deliveries in progress finish, then close the store.
 */
import type { FastifyInstance } from 'fastify';
import type { RelayConfig } from '../config/types.js';
import { DeliveryEngine } from '../pipeline/delivery/index.js';
import { createServer } from '../server/index.js';
import type { Store } from '../store/types.js';
import type { Logger } from './logger.js';
import { openStore } from './open-store.js';
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

export interface Relay {
  /** Base URL of the ingest and admin API, e.g. http://127.0.0.1:8787. */
  url: string;
  port: number;
  store: Store;
  engine: DeliveryEngine;
  server: FastifyInstance;
  close(): Promise<void>;
}

export async function startRelay(options: RelayOptions): Promise<Relay> {
  const { config, logger } = options;
  const store = await openStore(config.store, logger);
  const engine = new DeliveryEngine({
    destinations: config.destinations,
    store,
    transportFor: createTrackClient,
    logger,
    ...(options.now && { now: options.now }),
    ...(options.idlePollMs !== undefined && { idlePollMs: options.idlePollMs }),
  });
  const server = await createServer({
    config,
    store,
    delivery: engine,
    logger,
    ...(options.now && { now: options.now }),
  });
  await engine.start();
  await server.listen({ port: config.server.port, host: config.server.host });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : config.server.port;
  const host =
    config.server.host === '0.0.0.0' || config.server.host === '::' ? '127.0.0.1' : config.server.host;

  const now = options.now ?? Date.now;
  const prune = setInterval(() => {
    store
      .prune({
        now: now(),
        dedupeWindowMs: config.dedupe.windowMs,
        logMaxEntries: config.deliveryLog.maxEntries,
        logMaxAgeMs: config.deliveryLog.maxAgeMs,
        deadLetterMaxAgeMs: config.deadLetters?.maxAgeMs ?? 0,
      })
      .catch((error: unknown) => logger.error({ err: error }, 'housekeeping failed; will try again'));
  }, options.pruneIntervalMs ?? 10_000);
  prune.unref();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(prune);
      await server.close();
      await engine.stop();
      await store.close();
    })();
    return closing;
  };
  return { url: `http://${host}:${port}`, port, store, engine, server, close };
}
