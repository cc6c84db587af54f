/**
 * From a checked file (no problems left) to what the relay runs on: durations in ms, the store
 * path resolved, each destination's Track API base and subscriptions in force.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { trackApiBase } from '../customerio/index.js';
import { destinationRoutes, getProfile } from '../profiles/index.js';
import type { RelayFile } from './relay-file.js';
import type { DestinationConfig, RelayConfig } from './types.js';

const HOUR_MS = 3_600_000;

export function toRelayConfig(file: RelayFile, from: string | undefined): RelayConfig {
  const sourceNames = file.sources.map((s) => s.name);
  return {
    ...(from === undefined ? {} : { file: resolve(from) }),
    server: { host: file.server.host, port: file.server.port },
    store: {
      sqlite: storePath(file.store.sqlite, from),
      ...(file.store.postgres !== undefined && {
        postgres: { url: file.store.postgres, leaseMs: file.store.claimLeaseMs },
      }),
    },
    admin: { token: file.admin.token, publicMetrics: file.admin.publicMetrics },
    dedupe: { windowMs: hours(file.dedupe.windowHours) },
    deliveryLog: {
      maxEntries: file.deliveryLog.maxEntries,
      maxAgeMs: hours(file.deliveryLog.maxAgeHours),
    },
    deadLetters: { maxAgeMs: hours(file.deadLetters.maxAgeHours) },
    sources: file.sources.map((s) => ({
      name: s.name,
      writeKey: s.writeKey,
      ...(s.rateLimit && {
        rateLimit: {
          requestsPerSecond: s.rateLimit.requestsPerSecond,
          burst: s.rateLimit.burst ?? Math.max(1, Math.ceil(s.rateLimit.requestsPerSecond)),
        },
      }),
    })),
    destinations: file.destinations.map((d, i): DestinationConfig => {
      return {
        name: d.name,
        path: `destinations[${i}]`,
        siteId: d.siteId,
        apiKey: d.apiKey,
        region: d.region,
        endpoint: d.endpoint,
        base: trackApiBase({ region: d.region, endpoint: d.endpoint }),
        profile: d.profile,
        ...(d.settings && { settings: given(d.settings) }),
        presets: !d.subscriptions?.length,
        subscriptions: destinationRoutes(getProfile(d.profile), d.settings, d.subscriptions),
        sources: d.sources ?? sourceNames,
        batch: { ...d.batch },
        rateLimit: { ...d.rateLimit },
        ordering: d.ordering,
        concurrency: d.concurrency,
        timeoutMs: d.timeoutMs,
        retry: {
          minBackoffMs: d.retry.minBackoffMs,
          maxBackoffMs: d.retry.maxBackoffMs,
          maxAgeMs: hours(d.retry.maxAgeHours),
          minAttempts: d.retry.minAttempts,
        },
      };
    }),
  };
}

/** The settings a file sets (the checked object also holds every other profile's keys, unset). */
function given(settings: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
}

function hours(n: number): number {
  return Math.round(n * HOUR_MS);
}

/** Relative to the configuration file, not to wherever the relay happens to be started. */
function storePath(sqlite: string, from: string | undefined): string {
  if (sqlite === ':memory:' || isAbsolute(sqlite) || from === undefined) return sqlite;
  return resolve(dirname(from), sqlite);
}
