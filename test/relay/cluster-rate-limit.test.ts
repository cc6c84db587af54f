/**
 * Two relay processes on one PostgreSQL deliver to one workspace with `requestsPerSecond: 10`:
 * together they send no faster than 10 requests a second (beyond the one-second burst), where
 * each alone would send at that rate and the two at twice it.
 */
import type { ChildProcess } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { useTestDatabase } from '../store/pg-database.js';
import { tempDir } from '../temp-files.js';
import { basicAuth, spawnRelay, writeRelayConfig } from './process.js';
import { waitFor } from './stack.js';

const database = useTestDatabase('cio_relay_limit');
const RATE = 10;
const EVENTS = 60;

let emulator: Emulator | undefined;
const children: ChildProcess[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await emulator?.close();
});

describe('rate limit shared by relays on one PostgreSQL', () => {
  it('keeps all relays together under requestsPerSecond', async () => {
    emulator = await createEmulator({
      siteId: 'limit-site',
      apiKey: 'limit-key',
      port: 0,
      host: '127.0.0.1',
    });
    const dir = tempDir();
    const configFile = writeRelayConfig(dir, {
      endpoint: emulator.url,
      siteId: 'limit-site',
      apiKey: 'limit-key',
      writeKey: 'limit-write-key',
      store: { postgres: database.url },
      // One operation per request, so that requests are many and the limiter sets the pace.
      destination: { rateLimit: { requestsPerSecond: RATE }, batch: { maxOperations: 1, lingerMs: 0 } },
    });
    const relays = await Promise.all([0, 1].map(() => spawnRelay(configFile)));
    children.push(...relays.map((r) => r.child));
    // Each relay gets half of the events (one person each, so nothing waits for order).
    await Promise.all(
      relays.map(async (relay, r) => {
        const batch = Array.from({ length: EVENTS / 2 }, (_, i) => ({
          type: 'track',
          userId: `r${r}-u${i}`,
          event: 'Limited',
          messageId: `r${r}-${i}`,
        }));
        const response = await fetch(`${relay.url}/v1/batch`, {
          method: 'POST',
          headers: { authorization: basicAuth('limit-write-key'), 'content-type': 'application/json' },
          body: JSON.stringify({ batch }),
        });
        expect(response.status).toBe(200);
      }),
    );
    await waitFor('every event delivered', () => emulator!.stats().operations.accepted >= EVENTS, 60_000);
    const times = emulator
      .requests(1000)
      .filter((r) => r.path.startsWith('/api/v2/batch'))
      .map((r) => Date.parse(r.time))
      .sort((a, b) => a - b);
    expect(times.length).toBeGreaterThanOrEqual(EVENTS);
    // A burst of RATE, then one request every 1/RATE s: the last one no sooner than this.
    const span = (times[times.length - 1]! - times[0]!) / 1000;
    expect(span).toBeGreaterThanOrEqual(((times.length - RATE) / RATE) * 0.9);
  }, 120_000);
});
