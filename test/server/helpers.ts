/**
 * A server under test: a small configuration (two sources, two destinations), a store, and a
 * recording DeliveryPort (the seam to the delivery engine, which has its own tests).
 */
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import type { DestinationConfig, RelayConfig } from '../../src/config/types.js';
import type { DeliveryPort, DestinationStatus } from '../../src/pipeline/delivery/port.js';
import type { RouteConfig } from '../../src/profiles/index.js';
import { createServer } from '../../src/server/index.js';
import { emptyQueueStats, openSqliteStore } from '../../src/store/index.js';
import type { AppendOptions, NewEvent, QueueStats, Store } from '../../src/store/types.js';

export const WEB_KEY = 'wk_web_5f2c9a0d17e84b3f';
export const SERVER_KEY = 'wk_server_8d41b7c2e9a05f63';
export const ADMIN_TOKEN = 'admin_tok_71c3e0f9a4b2d856';
export const API_KEY = 'cio_api_key_0a9b8c7d6e5f4321';
export const SECRETS = [WEB_KEY, SERVER_KEY, ADMIN_TOKEN, API_KEY];
/** 2024-05-01T12:00:00.000Z */
export const NOW = Date.UTC(2024, 4, 1, 12, 0, 0);

export function destinationConfig(name: string, sources: string[]): DestinationConfig {
  return {
    name,
    path: `destinations[${name}]`,
    siteId: `site-${name}`,
    apiKey: API_KEY,
    region: 'us',
    endpoint: undefined,
    base: 'https://track.customer.io',
    profile: 'actions',
    subscriptions: [],
    sources,
    batch: { maxOperations: 100, maxBytes: 500_000, lingerMs: 200 },
    rateLimit: { requestsPerSecond: 100 },
    ordering: true,
    concurrency: 4,
    timeoutMs: 30_000,
    retry: { minBackoffMs: 1000, maxBackoffMs: 300_000, maxAgeMs: 4 * 3600_000, minAttempts: 3 },
  };
}

/** `web` feeds both destinations, `server` only `production`. */
export function testConfig(change?: (config: RelayConfig) => void): RelayConfig {
  const config: RelayConfig = {
    server: { host: '127.0.0.1', port: 0 },
    store: { sqlite: ':memory:' },
    admin: { token: ADMIN_TOKEN },
    dedupe: { windowMs: 24 * 3600_000 },
    deliveryLog: { maxEntries: 1000, maxAgeMs: 7 * 24 * 3600_000 },
    sources: [
      { name: 'web', writeKey: WEB_KEY },
      { name: 'server', writeKey: SERVER_KEY },
    ],
    destinations: [destinationConfig('production', ['web', 'server']), destinationConfig('staging', ['web'])],
  };
  change?.(config);
  return config;
}

export const EMPTY_STATS: QueueStats = emptyQueueStats();

export interface RecordingDelivery extends DeliveryPort {
  notified: string[][];
  replayedNames: string[];
  resumed: string[];
  /** Subscriptions applied, per destination name. */
  applied: Map<string, RouteConfig[]>;
  isReady: boolean;
  statuses: DestinationStatus[];
}

export function recordingDelivery(names: string[]): RecordingDelivery {
  const delivery: RecordingDelivery = {
    notified: [],
    replayedNames: [],
    resumed: [],
    applied: new Map(),
    isReady: true,
    statuses: names.map((name) => ({
      name,
      state: 'running',
      paused: null,
      backoffUntil: null,
      requestsPerSecond: 100,
      ordering: true,
      stats: { ...EMPTY_STATS },
      lastError: null,
    })),
    notify: (destinations) => void delivery.notified.push([...destinations]),
    status: async () => structuredClone(delivery.statuses),
    resume: async (name) => {
      const status = delivery.statuses.find((s) => s.name === name);
      if (status === undefined) return false;
      delivery.resumed.push(name);
      status.paused = null;
      status.state = 'running';
      return true;
    },
    replayed: (name) => void delivery.replayedNames.push(name),
    applySubscriptions: async (name, routes) => {
      if (!names.includes(name)) return false;
      delivery.applied.set(name, routes);
      return true;
    },
    ready: () => delivery.isReady,
  };
  return delivery;
}

export interface AppendCall {
  events: NewEvent[];
  options: AppendOptions;
  duplicates: number[];
}

/** The store the server was given, recording every append (and what it answered). */
export interface SpyStore extends Store {
  calls: AppendCall[];
  /** The next append rejects with this error, storing nothing (then appends work again). */
  failNextAppend(error: Error): void;
  /** Events that were stored (not duplicates), in order. */
  stored(): NewEvent[];
  /** Their bodies, parsed. */
  bodies(): Array<Record<string, unknown>>;
}

export function spyStore(inner: Store): SpyStore {
  const calls: AppendCall[] = [];
  let failure: Error | undefined;
  const spy = {
    claim: inner.claim.bind(inner),
    complete: inner.complete.bind(inner),
    recover: inner.recover.bind(inner),
    stats: inner.stats.bind(inner),
    destinationState: inner.destinationState.bind(inner),
    setPaused: inner.setPaused.bind(inner),
    listDeadLetters: inner.listDeadLetters.bind(inner),
    getDeadLetter: inner.getDeadLetter.bind(inner),
    replayDeadLetters: inner.replayDeadLetters.bind(inner),
    dropDeadLetters: inner.dropDeadLetters.bind(inner),
    searchLog: inner.searchLog.bind(inner),
    forgetPerson: inner.forgetPerson.bind(inner),
    prune: inner.prune.bind(inner),
    close: inner.close.bind(inner),
  } as SpyStore;
  spy.calls = calls;
  spy.failNextAppend = (error) => {
    failure = error;
  };
  spy.append = async (events, options) => {
    if (failure !== undefined) {
      const error = failure;
      failure = undefined;
      throw error;
    }
    const result = await inner.append(events, options);
    calls.push({ events: [...events], options, duplicates: result.duplicates });
    return result;
  };
  spy.stored = () => calls.flatMap((c) => c.events.filter((_, i) => !c.duplicates.includes(i)));
  spy.bodies = () => spy.stored().map((e) => JSON.parse(e.body) as Record<string, unknown>);
  return spy;
}

export interface Harness {
  app: FastifyInstance;
  /** The real embedded store (SQLite in memory), watched. */
  store: SpyStore;
  delivery: RecordingDelivery;
  config: RelayConfig;
  /** Closes the server, then the store. */
  close(): Promise<void>;
}

export async function startServer(
  options: { config?: RelayConfig; now?: () => number } = {},
): Promise<Harness> {
  const config = options.config ?? testConfig();
  const sqlite = openSqliteStore({ file: ':memory:' });
  const store = spyStore(sqlite);
  const delivery = recordingDelivery(config.destinations.map((d) => d.name));
  const app = await createServer({ config, store, delivery, now: options.now ?? (() => NOW) });
  const close = async () => {
    await app.close();
    await sqlite.close();
  };
  return { app, store, delivery, config, close };
}

export function basic(user: string, password = ''): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
}

export function bearer(token: string): string {
  return `Bearer ${token}`;
}

export function track(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { type: 'track', event: 'Order Completed', userId: 'user-1', properties: { total: 10 }, ...extra };
}

/** POST JSON to an ingest route with the web source's key as Basic auth. */
export function post(
  app: FastifyInstance,
  url: string,
  body: unknown,
  headers: Record<string, string> = { authorization: basic(WEB_KEY) },
) {
  return app.inject({
    method: 'POST',
    url,
    headers: { 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
}

export function gzipJson(value: unknown): Buffer {
  return gzipSync(Buffer.from(JSON.stringify(value)));
}
