/** GET /admin/activity: the last hour of the delivery log in 5-minute buckets, for the console's chart. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BUCKET_MS, percentile, summarise } from '../../src/server/admin-activity.js';
import type { JobResult, LogEntry } from '../../src/store/types.js';
import { ADMIN_TOKEN, bearer, type Harness, NOW, startServer } from './helpers.js';

let h: Harness;
beforeEach(async () => {
  h = await startServer();
});
afterEach(() => h.close());

let seq = 0;
/** An event received `latencyMs` before `at`, finished at `at` with `outcome`. */
async function finished(destination: string, at: number, outcome: 'delivered' | 'dead', latencyMs: number) {
  const receivedAt = at - latencyMs;
  const body = JSON.stringify({ type: 'track', event: 'E', userId: 'u', receivedAt: new Date(receivedAt) });
  await h.store.append(
    [
      {
        source: 'web',
        messageId: `a-${++seq}`,
        personKey: 'u',
        body,
        receivedAt,
        destinations: [destination],
      },
    ],
    { dedupeWindowMs: 0 },
  );
  const [job] = await h.store.claim(destination, { limit: 1, now: at, ordered: false });
  const result: JobResult =
    outcome === 'dead'
      ? { jobId: job!.id, outcome, error: { code: 'http_400', message: 'bad', status: 400 } }
      : { jobId: job!.id, outcome };
  await h.store.complete({ destination, now: at, results: [result] });
}

function activity(query = '') {
  return h.app.inject({ url: `/admin/activity${query}`, headers: { authorization: bearer(ADMIN_TOKEN) } });
}

describe('GET /admin/activity', () => {
  it('counts the last hour per 5 minutes with the p95 latency of deliveries, per destination', async () => {
    await finished('production', NOW - 2 * 3600_000, 'delivered', 10); // older than the hour: left out
    for (const latency of [100, 200, 300, 400, 5000])
      await finished('production', NOW - 1000, 'delivered', latency);
    await finished('production', NOW - 1000, 'dead', 50);
    await finished('production', NOW - 30 * 60_000, 'delivered', 700);
    await finished('staging', NOW - 1000, 'delivered', 9);

    const response = await activity('?destination=production');
    expect(response.statusCode).toBe(200);
    const { activity: result } = response.json();
    expect(result).toMatchObject({ from: NOW - 3600_000, to: NOW, bucketMs: BUCKET_MS, truncated: false });
    expect(result.buckets).toHaveLength(12);
    const last = result.buckets[11];
    expect(last).toMatchObject({ delivered: 5, dead: 1, retry: 0, filtered: 0, p95LatencyMs: 5000 });
    expect(result.buckets[6]).toMatchObject({ delivered: 1, p95LatencyMs: 700 });
    expect(result.buckets[0]).toMatchObject({ delivered: 0, p95LatencyMs: null });

    const all = (await activity()).json().activity;
    expect(all.buckets[11].delivered).toBe(6);
  });

  it('reads the log page after page (more entries than one page holds)', async () => {
    const at = NOW - 1000;
    const body = JSON.stringify({ type: 'track', event: 'E', userId: 'u', receivedAt: new Date(at - 5) });
    const events = Array.from({ length: 1234 }, (_, i) => ({
      source: 'web',
      messageId: `p-${i}`,
      personKey: `u-${i}`,
      body,
      receivedAt: at - 5,
      destinations: ['staging'],
    }));
    await h.store.append(events, { dedupeWindowMs: 0 });
    const jobs = await h.store.claim('staging', { limit: 2000, now: at, ordered: false });
    const results = jobs.map((job): JobResult => ({ jobId: job.id, outcome: 'delivered' }));
    await h.store.complete({ destination: 'staging', now: at, results });

    const last = (await activity('?destination=staging')).json().activity.buckets[11];
    expect(last).toMatchObject({ delivered: 1234, p95LatencyMs: 5 });
  });

  it('names the configured destinations when asked for another', async () => {
    const response = await activity('?destination=nope');
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({ code: 'unknown_destination' });
    expect(response.json().message).toContain('production, staging');
  });

  it('needs the admin token', async () => {
    expect((await h.app.inject({ url: '/admin/activity' })).statusCode).toBe(401);
  });
});

describe('summarise', () => {
  const entry = (at: number, outcome: LogEntry['outcome'], event = '{}'): LogEntry => ({
    id: at,
    at,
    destination: 'd',
    jobId: 1,
    messageId: 'm',
    personKey: 'u',
    outcome,
    attempts: 1,
    event,
  });

  it('counts every outcome and skips latency when receivedAt is unreadable', () => {
    const result = summarise(
      [entry(10, 'delivered'), entry(20, 'filtered'), entry(30, 'retry'), entry(40, 'delivered', 'not json')],
      0,
      BUCKET_MS,
      false,
    );
    expect(result.buckets).toEqual([
      { start: 0, delivered: 2, retry: 1, dead: 0, filtered: 1, p95LatencyMs: null },
    ]);
  });

  it('takes the nearest-rank percentile', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(hundred, 0.95)).toBe(95);
    expect(percentile([7], 0.95)).toBe(7);
    expect(percentile([], 0.95)).toBeNull();
  });
});
