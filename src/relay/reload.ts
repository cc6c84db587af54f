/**
 * What a configuration read again (SIGHUP) may change in a running relay. Live: sources and write
 * keys with their rate limits, the admin token, retention (dedupe, delivery log, dead letters),
 * and per destination its profile, settings, subscriptions and sources. Everything else (listen
 * address, store, the set of destinations, credentials, endpoint, batching, rate limit, retries,
 * ordering, concurrency, timeout) is held by running parts: the running value stays and the change
 * is reported as needing a restart.
 */
import type { DestinationConfig, RelayConfig } from '../config/types.js';

export interface ReloadPlan {
  /** The configuration to run on from now: `next` where it may change live, else the running one. */
  config: RelayConfig;
  /** Destinations whose routes (profile, settings, subscriptions) changed: apply them to delivery. */
  routesChanged: string[];
  /** What changed live, as key paths (for the log). */
  applied: string[];
  /** What changed but takes a restart, as key paths. */
  restart: string[];
}

/** Destination keys only a restart applies (the delivery workers and HTTP clients hold them). */
const RESTART_KEYS = [
  'siteId',
  'apiKey',
  'base',
  'batch',
  'rateLimit',
  'ordering',
  'concurrency',
  'timeoutMs',
  'retry',
] as const satisfies readonly (keyof DestinationConfig)[];

const LIVE_TOP = ['sources', 'admin', 'dedupe', 'deliveryLog', 'deadLetters'] as const;

export function planReload(current: RelayConfig, next: RelayConfig): ReloadPlan {
  const applied: string[] = [];
  const restart: string[] = [];
  for (const key of ['server', 'store'] as const) {
    if (!same(current[key], next[key])) restart.push(key);
  }
  for (const key of LIVE_TOP) if (!same(current[key], next[key])) applied.push(key);

  const routesChanged: string[] = [];
  const destinations = current.destinations.map((running): DestinationConfig => {
    const wanted = next.destinations.find((d) => d.name === running.name);
    if (wanted === undefined) {
      restart.push(`destinations: ${running.name} removed`);
      // Its events still go where they went; only a restart stops its worker.
      return running;
    }
    const path = `destinations.${running.name}`;
    for (const key of RESTART_KEYS) {
      if (!same(running[key], wanted[key])) restart.push(`${path}.${key === 'base' ? 'endpoint' : key}`);
    }
    if (!same(running.subscriptions, wanted.subscriptions)) {
      routesChanged.push(running.name);
      applied.push(`${path}.subscriptions`);
    }
    if (!same(running.sources, wanted.sources)) applied.push(`${path}.sources`);
    const { settings: _settings, ...live } = running;
    return {
      ...live,
      path: wanted.path,
      profile: wanted.profile,
      ...(wanted.settings && { settings: wanted.settings }),
      ...(wanted.presets !== undefined && { presets: wanted.presets }),
      subscriptions: wanted.subscriptions,
      sources: wanted.sources,
    };
  });
  for (const d of next.destinations) {
    if (!current.destinations.some((c) => c.name === d.name)) restart.push(`destinations: ${d.name} added`);
  }

  const config: RelayConfig = {
    ...current,
    sources: next.sources,
    admin: next.admin,
    dedupe: next.dedupe,
    deliveryLog: next.deliveryLog,
    ...(next.deadLetters && { deadLetters: next.deadLetters }),
    destinations,
  };
  return { config, routesChanged, applied, restart };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
