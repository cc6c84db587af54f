/**
 * Several destinations (one per Customer.io workspace) fed by the same source: each gets every
 * event, mapped with its own subscriptions, and one destination's outage does not hold the other.
 */
import { join } from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../src/config/index.js';
import { createEmulator, type Emulator } from '../../src/emulator/index.js';
import { type Relay, startRelay } from '../../src/relay/relay.js';
import { tempDir } from '../temp-files.js';
import { basicAuth } from './process.js';
import { waitFor } from './stack.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function emulator(): Promise<Emulator> {
  const e = await createEmulator({ siteId: 'site', apiKey: 'key', port: 0, host: '127.0.0.1' });
  cleanup.push(() => e.close());
  return e;
}

describe('several destinations', () => {
  it('delivers the same events to two workspaces, each with its own subscriptions, independently', async () => {
    const [marketing, product] = [await emulator(), await emulator()];
    marketing.setFaults({ errorRate: 1, errorStatuses: [503] }); // down at first
    const dir = tempDir();
    const destination = (name: string, endpoint: string, extra: object = {}) => ({
      name,
      siteId: 'site',
      apiKey: 'key',
      endpoint,
      allowInsecureEndpoint: true,
      batch: { lingerMs: 5 },
      retry: { minBackoffMs: 20, maxBackoffMs: 100 },
      ...extra,
    });
    const config = validateConfig({
      server: { port: 0, host: '127.0.0.1' },
      store: { sqlite: join(dir, 'relay.db') },
      sources: [{ name: 'web', writeKey: 'web-key' }],
      destinations: [
        destination('marketing', marketing.url),
        destination('product', product.url, {
          subscriptions: [
            { name: 'only orders', trigger: 'event = "Order Completed"', action: 'trackEvent' },
          ],
        }),
      ],
    });
    const relay: Relay = await startRelay({ config, logger: pino({ level: 'silent' }), idlePollMs: 50 });
    cleanup.push(() => relay.close());

    const response = await fetch(`${relay.url}/v1/batch`, {
      method: 'POST',
      headers: { authorization: basicAuth('web-key'), 'content-type': 'application/json' },
      body: JSON.stringify({
        batch: [
          { type: 'identify', userId: 'u1', traits: { email: 'u1@example.com' }, messageId: 'x-1' },
          { type: 'track', userId: 'u1', event: 'Order Completed', messageId: 'x-2' },
        ],
      }),
    });
    expect(response.status).toBe(200);

    // product only has the order, and gets it while marketing is still failing
    await waitFor('the order in product', () => product.workspace.person('u1')?.activity.length === 1);
    expect(product.workspace.person('u1')!.activity[0]!.name).toBe('Order Completed');
    expect(marketing.workspace.people()).toHaveLength(0);

    marketing.setFaults({});
    await waitFor('both events in marketing', () =>
      marketing.workspace.person('u1')?.activity.some((a) => a.name === 'Order Completed'),
    );
    expect(marketing.workspace.person('u1')!.email).toBe('u1@example.com');
  });
});
