/**
 * `GET /metrics` on the server alone: who may read it (the admin token, unless `admin.publicMetrics`),
 * and what ingest counts per source (the end-to-end sums are in test/relay/metrics.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { reconfigureServer } from '../../src/server/index.js';
import { parsePrometheus, total } from '../prometheus-text.js';
import type { Harness } from './helpers.js';
import {
  ADMIN_TOKEN,
  basic,
  bearer,
  destinationConfig,
  post,
  startServer,
  testConfig,
  track,
  WEB_KEY,
} from './helpers.js';

let h: Harness;
afterEach(async () => {
  await h.close();
});

async function scrape(authorization?: string) {
  return h.app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
}

describe('GET /metrics access', () => {
  it('requires the admin token by default', async () => {
    h = await startServer();
    expect((await scrape()).statusCode).toBe(401);
    expect((await scrape(bearer('not-the-token'))).statusCode).toBe(401);
    const ok = await scrape(bearer(ADMIN_TOKEN));
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('# TYPE cio_relay_events_received_total counter');
    expect(ok.body).toContain('process_cpu_seconds_total');
  });

  it('is closed, saying how to open it, when no admin token is configured', async () => {
    h = await startServer({ config: testConfig((c) => (c.admin.token = undefined)) });
    const response = await scrape();
    expect(response.statusCode).toBe(403);
    expect(response.json().message).toContain('admin.token');
  });

  it('is open with admin.publicMetrics', async () => {
    h = await startServer({ config: testConfig((c) => (c.admin.publicMetrics = true)) });
    expect((await scrape()).statusCode).toBe(200);
  });
});

describe('ingest metrics', () => {
  it('counts received, rejected, duplicate, unrouted and not-stored events per source', async () => {
    h = await startServer();
    const auth = { authorization: basic(WEB_KEY) };
    const batch = [
      track({ messageId: 'm1' }),
      track({ messageId: 'm2', integrations: { All: false } }),
      { type: 'track', userId: 'u' },
    ];
    expect((await post(h.app, '/v1/batch', { batch }, auth)).statusCode).toBe(200);
    expect((await post(h.app, '/v1/track', track({ messageId: 'm1' }), auth)).json().duplicates).toBe(1);
    h.store.failNextAppend(new Error('disk full'));
    expect((await post(h.app, '/v1/track', track({ messageId: 'm3' }), auth)).statusCode).toBe(503);

    const samples = parsePrometheus((await scrape(bearer(ADMIN_TOKEN))).body);
    const web = { source: 'web' };
    expect(total(samples, 'cio_relay_events_received_total', web)).toBe(4);
    expect(total(samples, 'cio_relay_events_rejected_total', web)).toBe(1);
    expect(total(samples, 'cio_relay_events_duplicate_total', web)).toBe(1);
    expect(total(samples, 'cio_relay_events_unrouted_total', web)).toBe(1);
    expect(total(samples, 'cio_relay_events_unavailable_total', web)).toBe(1);
    // `web` feeds two destinations: one job each for the one routed event.
    expect(total(samples, 'cio_relay_events_queued_total', { ...web, destination: 'production' })).toBe(1);
    expect(total(samples, 'cio_relay_events_queued_total', { ...web, destination: 'staging' })).toBe(1);
    expect(total(samples, 'cio_relay_ingest_requests_total', { status: '200' })).toBe(2);
    expect(total(samples, 'cio_relay_ingest_requests_total', { status: '503' })).toBe(1);
    // The store's queue at scrape time: the one routed event waits for each destination.
    expect(total(samples, 'cio_relay_queue_jobs', { destination: 'staging', state: 'queued' })).toBe(1);
  });

  it('counts each job for the destination it was made for, also when a reload changed the routes', async () => {
    h = await startServer();
    const auth = { authorization: basic(WEB_KEY) };
    expect((await post(h.app, '/v1/track', track({ messageId: 'before' }), auth)).statusCode).toBe(200);
    // From now on `web` feeds only `production`.
    reconfigureServer(
      h.app,
      testConfig((c) => {
        c.destinations[1] = destinationConfig('staging', []);
      }),
    );
    expect((await post(h.app, '/v1/track', track({ messageId: 'after' }), auth)).statusCode).toBe(200);

    const samples = parsePrometheus((await scrape(bearer(ADMIN_TOKEN))).body);
    const web = { source: 'web' };
    expect(total(samples, 'cio_relay_events_queued_total', { ...web, destination: 'production' })).toBe(2);
    expect(total(samples, 'cio_relay_events_queued_total', { ...web, destination: 'staging' })).toBe(1);
  });
});
