/**
 * `GET /metrics` after a real run against the emulator: events delivered, filtered by the
 * subscriptions, rejected at ingest, duplicated, unrouted, dead-lettered by injected 400s, retried
 * after injected 503s, and left queued behind a pause (an injected 401). The scrape's counters must
 * add up: received = delivered + filtered + rejected + dead + queued + duplicate + unrouted
 * (docs/metrics.md). Run with delivery on its own thread (SQLite file) and in process (in memory).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueStats } from '../../src/store/types.js';
import { metricTypes, parsePrometheus, type Sample, total } from '../prometheus-text.js';
import { ADMIN_TOKEN, type Stack, startStack, waitFor } from './stack.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

const SUBSCRIPTIONS = [
  { name: 'People', trigger: 'type = "identify"', action: 'createUpdatePerson' },
  { name: 'Kept events', trigger: 'type = "track" and event = "Keep"', action: 'trackEvent' },
];

let seq = 0;
const keep = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({
    type: 'track',
    event: 'Keep',
    userId: `${prefix}-p${i % 5}`,
    messageId: `${prefix}-${i}-${seq++}`,
  }));
const skip = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    type: 'track',
    event: 'Skip',
    userId: `s${i}`,
    messageId: `skip-${i}`,
  }));
/** A track without an event name: refused at ingest. */
const invalid = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'track', userId: `bad${i}` }));

async function destination(): Promise<{ state: string; stats: QueueStats }> {
  return (await stack.admin('/destinations')).body.destinations[0];
}

async function scrape(): Promise<{ text: string; samples: Sample[] }> {
  const response = await fetch(`${stack.relay.url}/metrics`, {
    headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  const text = await response.text();
  return { text, samples: parsePrometheus(text) };
}

describe.each([
  ['on the delivery thread (SQLite file)', {}],
  ['in process (SQLite in memory)', { sqlite: ':memory:' }],
])('metrics with delivery %s', (_name, store) => {
  it('counts every event once, and the counters add up', async () => {
    stack = await startStack({
      store,
      destination: { subscriptions: SUBSCRIPTIONS, batch: { maxOperations: 10, lingerMs: 5 } },
    });

    // Dead letters: every request answered 400.
    stack.emulator.setFaults({ errorRate: 1, errorStatuses: [400] });
    expect((await stack.send('/v1/batch', { batch: keep(7, 'dead') })).status).toBe(200);
    await waitFor('7 dead letters', async () => (await destination()).stats.dead === 7, 20_000);

    // Delivered (some after a retry), filtered, rejected, a duplicate and an unrouted event.
    stack.emulator.setFaults({ errorRate: 1, errorStatuses: [503] });
    const delivered = keep(30, 'ok');
    const duplicate = delivered[0]!;
    const unrouted = { ...keep(1, 'off')[0], integrations: { 'Customer.io': false } };
    const mixed = await stack.send('/v1/batch', {
      batch: [...delivered, ...skip(4), ...invalid(3), unrouted],
    });
    expect(mixed.body.rejected).toHaveLength(3);
    expect((await stack.send('/v1/track', duplicate)).body.duplicates).toBe(1);
    expect((await stack.send('/v1/track', invalid(1)[0])).status).toBe(400);
    await waitFor('a 503', () => stack.emulator.stats().requests.byStatus['503']);
    stack.emulator.setFaults({});
    await waitFor('30 delivered', async () => (await destination()).stats.delivered === 30, 30_000);
    await waitFor('queue empty', async () => {
      const { stats } = await destination();
      return stats.queued + stats.inFlight + stats.retrying === 0;
    });

    // Queued behind a pause: Customer.io refuses the credentials.
    stack.emulator.setFaults({ errorRate: 1, errorStatuses: [401] });
    expect((await stack.send('/v1/batch', { batch: keep(6, 'held') })).status).toBe(200);
    await waitFor('paused with 6 queued', async () => {
      const { state, stats } = await destination();
      return state === 'paused' && stats.queued === 6 && stats.inFlight === 0;
    });

    const { text, samples } = await scrape();
    const web = { source: 'web' };
    const cio = { source: 'web', destination: 'cio' };
    const received = total(samples, 'cio_relay_events_received_total', web);
    const counts = {
      received,
      rejected: total(samples, 'cio_relay_events_rejected_total', web),
      duplicate: total(samples, 'cio_relay_events_duplicate_total', web),
      unrouted: total(samples, 'cio_relay_events_unrouted_total', web),
      queuedAtIngest: total(samples, 'cio_relay_events_queued_total', cio),
      delivered: total(samples, 'cio_relay_events_delivered_total', cio),
      filtered: total(samples, 'cio_relay_events_filtered_total', cio),
      dead: total(samples, 'cio_relay_events_dead_total', cio),
      waiting: ['queued', 'retrying', 'in_flight']
        .map((state) => total(samples, 'cio_relay_queue_jobs', { destination: 'cio', state }))
        .reduce((a, b) => a + b),
      deadLetters: total(samples, 'cio_relay_queue_jobs', { destination: 'cio', state: 'dead' }),
    };
    expect(counts).toEqual({
      received: 7 + 38 + 1 + 1 + 6,
      rejected: 4,
      duplicate: 1,
      unrouted: 1,
      queuedAtIngest: 7 + 34 + 6,
      delivered: 30,
      filtered: 4,
      dead: 7,
      waiting: 6,
      deadLetters: 7,
    });
    expect(received).toBe(
      counts.delivered +
        counts.filtered +
        counts.rejected +
        counts.dead +
        counts.waiting +
        counts.duplicate +
        counts.unrouted,
    );
    expect(total(samples, 'cio_relay_events_rejected_total', { source: 'web', code: 'missing_field' })).toBe(
      4,
    );

    // The 503s were retried; every request sent is in the latency and batch histograms.
    const responses = (status: string) =>
      total(samples, 'cio_relay_customerio_responses_total', { destination: 'cio', status });
    expect(responses('503')).toBeGreaterThan(0);
    expect(total(samples, 'cio_relay_events_retried_total', cio)).toBeGreaterThanOrEqual(responses('503'));
    expect(responses('400')).toBeGreaterThan(0);
    expect(responses('401')).toBeGreaterThanOrEqual(1);
    const requests = ['200', '400', '401', '503'].map(responses).reduce((a, b) => a + b);
    expect(requests).toBe(stack.emulator.stats().requests.total);
    for (const histogram of ['cio_relay_customerio_request_duration_seconds', 'cio_relay_batch_operations']) {
      expect(metricTypes(text).get(histogram)).toBe('histogram');
      expect(total(samples, `${histogram}_count`, { destination: 'cio' })).toBe(requests);
      expect(total(samples, `${histogram}_bucket`, { destination: 'cio', le: '+Inf' })).toBe(requests);
    }
    // Operations per request: the 30 delivered and the 7 dead each went out at least once.
    expect(total(samples, 'cio_relay_batch_operations_sum', { destination: 'cio' })).toBeGreaterThanOrEqual(
      37,
    );
    expect(total(samples, 'cio_relay_ingest_requests_total', { status: '200' })).toBe(4);
    expect(total(samples, 'cio_relay_ingest_requests_total', { status: '400' })).toBe(1);
    expect(metricTypes(text).get('cio_relay_events_delivered_total')).toBe('counter');
    expect(metricTypes(text).get('cio_relay_queue_jobs')).toBe('gauge');
  });
});

describe('metrics: rate limit', () => {
  it('counts the waits for the rate limit and their seconds', async () => {
    stack = await startStack({
      store: { sqlite: ':memory:' },
      destination: { rateLimit: { requestsPerSecond: 5 }, batch: { maxOperations: 1, lingerMs: 0 } },
    });
    const events = Array.from({ length: 12 }, (_, i) => ({
      type: 'identify',
      userId: `r${i}`,
      messageId: `r-${i}`,
    }));
    expect((await stack.send('/v1/batch', { batch: events })).status).toBe(200);
    await waitFor('12 delivered', async () => (await destination()).stats.delivered === 12, 20_000);
    const { samples } = await scrape();
    const waits = total(samples, 'cio_relay_rate_limit_waits_total', { destination: 'cio' });
    const seconds = total(samples, 'cio_relay_rate_limit_wait_seconds_total', { destination: 'cio' });
    // A burst of 5, then one request every 200 ms: at least 7 requests waited, about 1.4 s in all.
    expect(waits).toBeGreaterThanOrEqual(7);
    expect(seconds).toBeGreaterThan(0.5);
  });
});
