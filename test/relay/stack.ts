/**
 * A real relay and a real emulator on loopback, for end-to-end tests: the relay is configured
 * through the same validation as a file, with short backoffs so retries fit in a test.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { validateConfig } from '../../src/config/index.js';
import { createEmulator, type Emulator, type FaultSettings } from '../../src/emulator/index.js';
import { type Relay, startRelay } from '../../src/relay/relay.js';

export const WRITE_KEY = 'test-write-key-1234';
export const ADMIN_TOKEN = 'test-admin-token-0123456789';
export const SITE_ID = 'test-site';
export const API_KEY = 'test-api-key-secret';

/** A JSON answer; tests assert on its shape. */
// biome-ignore lint/suspicious/noExplicitAny: response bodies are checked by the tests' assertions
type Json = any;

export interface Stack {
  emulator: Emulator;
  relay: Relay;
  dir: string;
  /** POST to the relay's ingest API with the write key as Basic auth. */
  send(
    path: string,
    body: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: Json }>;
  /** Call the admin API with the admin token. */
  admin(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: Json }>;
  /** Stop the relay and start it again on the same store, optionally with a changed destination. */
  restartRelay(destination?: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export interface StackOptions {
  /** Merged into the destination's configuration. */
  destination?: Record<string, unknown>;
  faults?: FaultSettings;
  emulatorApiKey?: string;
  /** Merged into the store's configuration (e.g. `{ postgres: url }`). */
  store?: Record<string, unknown>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const emulator = await createEmulator({
    siteId: SITE_ID,
    apiKey: options.emulatorApiKey ?? API_KEY,
    port: 0,
    host: '127.0.0.1',
    maxRecentRequests: 5000,
    ...(options.faults && { faults: options.faults }),
  });
  const dir = mkdtempSync(join(tmpdir(), 'cio-relay-test-'));
  const configure = (destination: Record<string, unknown> = {}) =>
    validateConfig(
      {
        server: { port: 0, host: '127.0.0.1' },
        store: { sqlite: join(dir, 'relay.db'), ...options.store },
        admin: { token: ADMIN_TOKEN },
        sources: [{ name: 'web', writeKey: WRITE_KEY }],
        destinations: [
          {
            name: 'cio',
            siteId: SITE_ID,
            apiKey: API_KEY,
            endpoint: emulator.url,
            allowInsecureEndpoint: true,
            batch: { lingerMs: 10 },
            retry: { minBackoffMs: 20, maxBackoffMs: 200 },
            ...options.destination,
            ...destination,
          },
        ],
      },
      {},
    );
  const logger = pino({ level: 'silent' });
  let port = 0;
  const start = (destination?: Record<string, unknown>) =>
    startRelay({
      config: { ...configure(destination), server: { host: '127.0.0.1', port } },
      logger,
      idlePollMs: 50,
      pruneIntervalMs: 60_000,
    });
  let relay = await start();
  port = relay.port;
  const stack: Stack = {
    emulator,
    get relay() {
      return relay;
    },
    dir,
    async send(path, body, headers = {}) {
      const response = await fetch(relay.url + path, {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${WRITE_KEY}:`).toString('base64')}`,
          'content-type': 'application/json',
          ...headers,
        },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
      return { status: response.status, body: await response.json() };
    },
    async admin(path, init = {}) {
      const response = await fetch(`${relay.url}/admin${path}`, {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          authorization: `Bearer ${ADMIN_TOKEN}`,
          ...(init.body !== undefined && { 'content-type': 'application/json' }),
        },
        ...(init.body !== undefined && { body: JSON.stringify(init.body) }),
      });
      return { status: response.status, body: await response.json() };
    },
    async restartRelay(destination) {
      await relay.close();
      relay = await start(destination);
    },
    async close() {
      await relay.close();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}

/** The ids (messageIds) of every event activity the emulator's workspace holds, each once. */
export function deliveredIds(emulator: Emulator): Set<string> {
  const ids = new Set<string>();
  for (const person of emulator.workspace.people()) for (const a of person.activity) if (a.id) ids.add(a.id);
  return ids;
}

/** Wait until every one of `ids` reached the emulator. */
export function waitForDelivery(emulator: Emulator, ids: Iterable<string>, timeoutMs: number): Promise<true> {
  const wanted = [...ids];
  return waitFor(
    'every acknowledged event delivered',
    () => {
      const seen = deliveredIds(emulator);
      return wanted.every((id) => seen.has(id));
    },
    timeoutMs,
  );
}

/** Poll until `check` returns a truthy value (or throw with `what` after `timeoutMs`). */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 10_000,
): Promise<Exclude<T, undefined | null | false | 0 | ''>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Exclude<T, undefined | null | false | 0 | ''>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
