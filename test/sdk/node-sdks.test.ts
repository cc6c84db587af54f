/**
 * Segment's, Customer.io's and RudderStack's Node SDKs, unmodified, with only the host pointed at
 * the relay (clients.ts). Each one plays the same scenario end to end into the emulator, meets the
 * relay's own 503 when the store refuses a commit, and its 429 from the per-write-key rate limit.
 *
 * What each sends, read from its code in node_modules: all three POST `/v1/batch` with the write key
 * as the Basic auth user; Segment's body is `{batch, writeKey, sentAt}`, Customer.io's `{batch}`,
 * RudderStack's `{batch, timestamp, sentAt}` gzip-compressed, its events carrying `channel`,
 * `_metadata` and `originalTimestamp` and an identify's traits copied into `context.traits`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../relay/stack.js';
import { type Harness, startServer, testConfig, WEB_KEY } from '../server/helpers.js';
import { NODE_SDKS } from './clients.js';
import { type Exchange, type LossyGateway, startLossyGateway } from './lossy-gateway.js';
import {
  closeScenario,
  expectBatchingAndRetry,
  expectWorkspace,
  playScenario,
  type ScenarioResult,
} from './scenario.js';

let result: ScenarioResult | undefined;
let harness: Harness | undefined;
let gateway: LossyGateway | undefined;
afterEach(async () => {
  await closeScenario(result);
  await gateway?.close();
  await harness?.close();
  result = harness = gateway = undefined;
});

describe.each(NODE_SDKS)('$name against the relay', (sdk) => {
  it('delivers identify, track, page, screen, group and alias once each, through batching and a retry', async () => {
    result = await playScenario(sdk);
    await expectWorkspace(result);
    expectBatchingAndRetry(result.exchanges, '/v1/batch');
    for (const exchange of result.exchanges) {
      expect(exchange.headers['content-encoding']).toBe(sdk.encoding);
    }
  }, 60_000);

  it('retries when the relay answers 503 because its store refused the commit, and nothing is lost', async () => {
    harness = await startServer();
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    const address = harness.app.server.address() as { port: number };
    gateway = await startLossyGateway(`http://127.0.0.1:${address.port}`, 0); // only records
    harness.store.failNextAppend(new Error('SQLITE_FULL: database or disk is full'));

    const client = sdk.open(gateway.url, WEB_KEY);
    client.identify({ userId: 'u1', traits: { plan: 'pro' } });
    client.track({ userId: 'u1', event: 'Paid', properties: { total: 10 } });
    client.page({ userId: 'u1', name: 'Home', properties: { url: 'https://example.com/' } });
    client.screen({ userId: 'u1', name: 'Cart', properties: { items: 2 } });
    await client.close();

    const [refused, ...later] = gateway.exchanges;
    expect(refused).toMatchObject({ relayStatus: 503, relayAnswer: { code: 'store_unavailable' } });
    const refusedIds = (refused!.body as { batch: { messageId: string }[] }).batch.map((e) => e.messageId);
    const stored = await waitFor('four events stored', () => {
      const bodies = harness!.store.bodies();
      return bodies.length >= 4 ? bodies : undefined;
    });
    expect(stored.map((event) => event['type'])).toEqual(
      expect.arrayContaining(['identify', 'track', 'page', 'screen']),
    );
    expect(stored).toHaveLength(4);
    const storedIds = stored.map((event) => event['messageId']);
    expect(new Set(storedIds).size).toBe(4);
    expect(storedIds).toEqual(expect.arrayContaining(refusedIds));
    for (const exchange of later) expect(exchange.relayStatus).toBe(200);
  }, 60_000);

  it('sends a batch refused by the per-write-key rate limit (429) again, and nothing is lost', async () => {
    // Ten requests a second for `web`, no burst: the SDK's batches, sent within milliseconds, are
    // refused but the first. Segment's and RudderStack's SDKs wait for Retry-After (1 s);
    // Customer.io's retries 3 times within about a second, which this limit lets through (at one
    // request a second it drops batches).
    const config = testConfig((c) => {
      c.sources[0]!.rateLimit = { requestsPerSecond: 10, burst: 1 };
    });
    harness = await startServer({ config, now: Date.now });
    await harness.app.listen({ port: 0, host: '127.0.0.1' });
    const address = harness.app.server.address() as { port: number };
    gateway = await startLossyGateway(`http://127.0.0.1:${address.port}`, 0); // only records

    const client = sdk.open(gateway.url, WEB_KEY);
    const sent = 7; // batches of 3, 3 and 1
    for (let i = 0; i < sent; i++) client.track({ userId: `u${i % 2}`, event: 'Paid', properties: { i } });
    await client.close();

    // RudderStack's close() may return while a batch flushed earlier still waits for its retry.
    const stored = await waitFor('every event stored', () => {
      const bodies = harness!.store.bodies();
      return bodies.length >= sent ? bodies : undefined;
    });
    expect(stored.map((event) => (event['properties'] as { i: number }).i).sort()).toEqual(
      Array.from({ length: sent }, (_, i) => i),
    );
    const ids = (exchange: Exchange) =>
      (exchange.body as { batch: { messageId: string }[] }).batch.map((e) => e.messageId).join();
    const refused = gateway.exchanges.filter((exchange) => exchange.relayStatus === 429);
    expect(refused.length, 'requests refused by the rate limit').toBeGreaterThan(0);
    for (const exchange of refused) {
      expect(exchange.relayAnswer).toMatchObject({ code: 'rate_limited' });
      const again = gateway.exchanges.filter((e) => e.relayStatus === 200 && ids(e) === ids(exchange));
      expect(again, 'the refused batch, accepted on a later try').toHaveLength(1);
    }
  }, 60_000);
});
