/**
 * End to end against the emulator's fault injection: retries keep each person's order, 429s are
 * respected, an outage (ten minutes compressed into seconds) loses nothing, refused items become
 * dead letters that replay after the subscription is fixed, and a wrong API key pauses delivery.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Stack, startStack, waitFor } from './stack.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

function tracks(count: number, people: number, prefix = 'e') {
  return Array.from({ length: count }, (_, i) => ({
    type: 'track',
    userId: `p${i % people}`,
    event: 'Step',
    messageId: `${prefix}-${i}`,
    properties: { seq: i },
  }));
}

async function deliveredCount(): Promise<number> {
  const [status] =
    (await stack.admin('/destinations')).body.destinations ?? (await stack.admin('/destinations')).body;
  return status.stats.delivered;
}

describe('failures', () => {
  it('keeps each person’s events in order while a third of the requests fail', async () => {
    stack = await startStack({
      faults: { errorRate: 0.35, errorStatuses: [500, 503], seed: 7 },
      destination: { batch: { maxOperations: 10, lingerMs: 5 }, concurrency: 4 },
    });
    const events = tracks(300, 6);
    for (let i = 0; i < events.length; i += 50) {
      expect((await stack.send('/v1/batch', { batch: events.slice(i, i + 50) })).status).toBe(200);
    }
    await waitFor('every event delivered', async () => (await deliveredCount()) === 300, 30_000);
    expect(stack.emulator.stats().requests.byStatus['500'] ?? 0).toBeGreaterThan(0);
    for (let p = 0; p < 6; p++) {
      const seqs = stack.emulator.workspace
        .person(`p${p}`)!
        .activity.filter((a) => a.kind === 'event')
        .map((a) => a.data?.['seq'] as number);
      const unique = [...new Set(seqs)]; // a retried batch may repeat an event; the order must hold
      expect(unique).toEqual([...unique].sort((a, b) => a - b));
      expect(unique).toHaveLength(50);
    }
  });

  it('sends nothing to Customer.io before a 429’s Retry-After has elapsed', async () => {
    stack = await startStack({ faults: { rateLimitRate: 1, retryAfterSeconds: 2 } });
    await stack.send('/v1/track', { userId: 'u1', event: 'Ping', messageId: 'r-1' });
    const first429 = await waitFor('a 429', () => stack.emulator.requests(10).find((r) => r.status === 429));
    stack.emulator.setFaults({});
    await waitFor('delivery after the 429', async () => (await deliveredCount()) === 1, 10_000);
    const after = stack.emulator
      .requests(50)
      .filter((r) => r.seq > first429.seq)
      .map((r) => Date.parse(r.time));
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after) - Date.parse(first429.time)).toBeGreaterThanOrEqual(1990);
  });

  it('delivers everything after an outage, without hammering Customer.io meanwhile', async () => {
    stack = await startStack({
      faults: { errorRate: 1, errorStatuses: [503] },
      destination: { retry: { minBackoffMs: 50, maxBackoffMs: 400 } },
    });
    const events = tracks(400, 40, 'o');
    for (let i = 0; i < events.length; i += 100) {
      await stack.send('/v1/batch', { batch: events.slice(i, i + 100) });
    }
    // "Ten minutes" of outage, compressed: backoffs are capped at 400 ms instead of 5 minutes.
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const duringOutage = stack.emulator.stats().requests.total;
    expect(duringOutage).toBeLessThan(40); // backing off, not retrying every batch at full speed
    // Polled: between one backoff's end and the next failed attempt the state is briefly 'running'.
    await waitFor(
      'the destination backing off',
      async () => (await stack.admin('/destinations/cio')).body.destination.state === 'backing-off',
    );
    stack.emulator.setFaults({});
    await waitFor('all 400 delivered', async () => (await deliveredCount()) === 400, 20_000);
    expect((await stack.admin('/dead-letters')).body.deadLetters).toHaveLength(0);
    expect(stack.emulator.stats().operations.accepted).toBeGreaterThanOrEqual(400);
  });

  it('dead-letters items Customer.io refuses, and replays them after the subscription is fixed', async () => {
    const broken = [
      {
        name: 'events',
        trigger: 'type = "track"',
        action: 'trackEvent',
        mapping: { name: { '@path': '$.properties.label' } },
      },
    ];
    stack = await startStack({ destination: { subscriptions: broken } });
    const long = 'x'.repeat(150); // event names are limited to 100 bytes
    await stack.send('/v1/batch', {
      batch: [
        { type: 'track', userId: 'd1', event: 'Good', messageId: 'd-1', properties: { label: 'fine' } },
        { type: 'track', userId: 'd2', event: 'Bad', messageId: 'd-2', properties: { label: long } },
      ],
    });
    const letters = await waitFor('a dead letter', async () => {
      const list = (await stack.admin('/dead-letters')).body.deadLetters;
      return list.length > 0 ? list : undefined;
    });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ messageId: 'd-2', error: { code: 'refused_item' } });
    expect(letters[0].error.message).toMatch(/at most 100 bytes/);
    expect(letters[0].exchange.status).toBe(207);
    expect(stack.emulator.workspace.person('d1')?.activity[0]?.name).toBe('fine');

    await stack.restartRelay({
      subscriptions: [{ ...broken[0], mapping: { name: { '@path': '$.event' } } }],
    });
    const replay = await stack.admin('/dead-letters/replay', { body: { all: true } });
    expect(replay.status).toBe(200);
    await waitFor('the replayed event', () =>
      stack.emulator.workspace.person('d2')?.activity.some((a) => a.name === 'Bad'),
    );
    expect((await stack.admin('/dead-letters')).body.deadLetters).toHaveLength(0);
  });

  it('pauses on 401 keeping events queued, and delivers them once resumed', async () => {
    stack = await startStack({ emulatorApiKey: 'the-right-key' });
    await stack.send('/v1/track', { userId: 'k1', event: 'Queued', messageId: 'k-1' });
    const paused = await waitFor('the pause', async () => {
      const s = (await stack.admin('/destinations/cio')).body.destination;
      return s.state === 'paused' ? s : undefined;
    });
    expect(paused.paused.message).toMatch(/siteId and apiKey/);
    expect(JSON.stringify(paused)).not.toContain('test-api-key-secret');
    await stack.send('/v1/track', { userId: 'k1', event: 'Queued too', messageId: 'k-2' });
    expect(paused.stats.dead).toBe(0);

    // The operator fixes the key and restarts: still paused (it was persisted) until resumed.
    await stack.restartRelay({ apiKey: 'the-right-key' });
    expect((await stack.admin('/destinations/cio')).body.destination.state).toBe('paused');
    expect((await stack.admin('/destinations/cio/resume', { body: {} })).status).toBe(200);
    await waitFor('both events', () => stack.emulator.workspace.person('k1')?.activity.length === 2);
  });
});
