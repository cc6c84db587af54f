/**
 * A relay that shares its rate limit with others (PostgreSQL) asks the database before each request.
 * A 429 with Retry-After answered to one of its deliveries while another waits for that answer must
 * still hold the other back: nothing goes out before the Retry-After has elapsed.
 */

import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/index.js';
import type { TrackResponse } from '../../../src/customerio/index.js';
import { DestinationWorker } from '../../../src/pipeline/delivery/destination-worker.js';
import { openSqliteStore } from '../../../src/store/index.js';
import type { SharedRateLimit, Store } from '../../../src/store/types.js';
import { tempDir } from '../../temp-files.js';

const silent = { info() {}, warn() {}, error() {} };
let worker: DestinationWorker | undefined;
let store: Store | undefined;
afterEach(async () => {
  await worker?.stop();
  await store?.close();
});

describe('shared rate limit', () => {
  it('holds a request whose shared token came back after a 429 with Retry-After', async () => {
    const sqlite = openSqliteStore({ file: join(tempDir(), 'relay.db') });
    // The first request's token comes at once; the second's takes 100 ms (a database round trip),
    // by which time the first request has been answered 429 with Retry-After: 1.
    let takes = 0;
    const shared: SharedRateLimit = {
      take: () => new Promise((resolve) => setTimeout(() => resolve(0), takes++ === 1 ? 100 : 0)),
      block: async () => {},
    };
    store = Object.assign(sqlite, { sharedRateLimit: shared });
    const sent: number[] = [];
    let answered429At = 0;
    const transport = {
      async post(): Promise<TrackResponse> {
        sent.push(Date.now());
        if (sent.length > 1) return { status: 200, body: '{}' };
        answered429At = Date.now();
        return { status: 429, retryAfter: '1', body: '' };
      },
      async close() {},
    };
    const config = validateConfig(
      {
        sources: [{ name: 'web', writeKey: 'write-key-0001' }],
        destinations: [
          {
            name: 'cio',
            siteId: 'site',
            apiKey: 'key',
            batch: { maxOperations: 1, lingerMs: 0 },
            concurrency: 2,
          },
        ],
      },
      {},
    );
    await store.append(
      ['a', 'b'].map((person) => ({
        source: 'web',
        messageId: `m-${person}`,
        personKey: person,
        body: JSON.stringify({ type: 'track', event: 'Ping', userId: person, messageId: `m-${person}` }),
        receivedAt: Date.now(),
        destinations: ['cio'],
      })),
      { dedupeWindowMs: 0 },
    );
    worker = new DestinationWorker({
      destination: config.destinations[0]!,
      store,
      transport,
      logger: silent,
    });
    await worker.start();

    await waitUntil(() => sent.length >= 2);
    expect(answered429At).toBeGreaterThan(0);
    expect(sent[1]! - answered429At).toBeGreaterThanOrEqual(990);
  });
});

async function waitUntil(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
