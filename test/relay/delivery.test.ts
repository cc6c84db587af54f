/**
 * End to end on loopback: events sent to the relay's Segment-compatible API arrive in the
 * emulator's workspace as Customer.io would hold them, batched.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { type Stack, startStack, waitFor } from './stack.js';

let stack: Stack;
afterEach(async () => {
  await stack?.close();
});

const person = (id: string) => stack.emulator.workspace.person(id);

describe('the relay delivers every event type', () => {
  it('identify, track, page, screen, group and alias reach the workspace', async () => {
    stack = await startStack();
    const batch = [
      { type: 'identify', userId: 'u1', traits: { email: 'u1@example.com', plan: 'pro' } },
      { type: 'track', userId: 'u1', event: 'Order Completed', properties: { total: 42 } },
      { type: 'page', userId: 'u1', name: 'Pricing', properties: { url: 'https://example.com/pricing' } },
      { type: 'screen', userId: 'u1', name: 'Home' },
      { type: 'group', userId: 'u1', groupId: 'acme', traits: { name: 'Acme', industry: 'rockets' } },
      { type: 'identify', userId: 'u2', traits: { email: 'u2@example.com' } },
      { type: 'alias', userId: 'u1', previousId: 'u2' },
    ].map((event, i) => ({ ...event, messageId: `m-${i}` }));
    const response = await stack.send('/v1/batch', { batch });
    expect(response.status).toBe(200);

    const u1 = await waitFor('u1 to have all activity', () => {
      const p = person('u1');
      return p?.activity.some((a) => a.kind === 'merged') && p.relationships.length > 0 ? p : undefined;
    });
    expect(u1.email).toBe('u1@example.com');
    expect(u1.attributes['plan']).toBe('pro');
    const kinds = u1.activity.map((a) => `${a.kind}:${a.name ?? ''}`);
    expect(kinds).toEqual(
      expect.arrayContaining(['event:Order Completed', 'page:https://example.com/pricing', 'screen:Home']),
    );
    const order = u1.activity.find((a) => a.name === 'Order Completed');
    expect(order?.id).toBe('m-1'); // the messageId is the event id, so Customer.io drops repeats
    expect(order?.data).toMatchObject({ total: 42 });
    expect(u1.relationships[0]).toMatchObject({ object_id: 'acme' });
    const acme = stack.emulator.workspace.objects().find((o) => o.object_id === 'acme');
    expect(acme?.attributes).toMatchObject({ name: 'Acme', industry: 'rockets' });
    // alias merged u2 into u1: u2 is gone
    expect(stack.emulator.workspace.people().some((p) => p.id === 'u2')).toBe(false);

    // the delivery log is written once the response is in, a moment after the workspace changed
    const entries = await waitFor('the delivery log entry', async () => {
      const deliveries = await stack.admin('/deliveries?userId=u1&limit=20');
      expect(deliveries.status).toBe(200);
      return deliveries.body.entries.length > 0 && deliveries.body.entries;
    });
    expect(entries).toEqual(
      expect.arrayContaining([expect.objectContaining({ messageId: 'm-1', outcome: 'delivered' })]),
    );
  });

  it('cuts batches at maxOperations: 250 events take 3 requests', async () => {
    stack = await startStack({ destination: { batch: { maxOperations: 100, lingerMs: 500 } } });
    const batch = Array.from({ length: 250 }, (_, i) => ({
      type: 'track',
      userId: `user-${i % 10}`,
      event: 'Clicked',
      messageId: `b-${i}`,
      properties: { i },
    }));
    expect((await stack.send('/v1/batch', { batch })).status).toBe(200);
    await waitFor('250 operations', () => stack.emulator.stats().operations.accepted === 250);
    const requests = stack.emulator.requests(100).filter((r) => r.path === '/api/v2/batch');
    expect(requests).toHaveLength(3);
  });

  it('an event that no subscription matches is logged as filtered, not sent', async () => {
    stack = await startStack({
      destination: {
        subscriptions: [{ name: 'orders', trigger: 'event = "Order Completed"', action: 'trackEvent' }],
      },
    });
    await stack.send('/v1/track', { userId: 'u9', event: 'Something Else', messageId: 'f-1' });
    const entries = await waitFor('a filtered log entry', async () => {
      const r = await stack.admin('/deliveries?messageId=f-1');
      const list = r.body.entries;
      return list.length > 0 ? list : undefined;
    });
    expect(entries[0]).toMatchObject({ outcome: 'filtered', reason: 'no subscription matched the event' });
    expect(stack.emulator.stats().requests.total).toBe(0);
  });

  it('events queued before the subscriptions change are sent as the new subscriptions map them', async () => {
    const orders = (prefix: string) => ({
      subscriptions: [
        {
          name: 'Orders',
          trigger: 'type = "track"',
          action: 'trackEvent',
          mapping: { name: { '@template': `${prefix}: {{event}}` } },
        },
      ],
    });
    // Customer.io down: the events stay queued (ingest mapped them with the v1 subscriptions).
    stack = await startStack({ destination: orders('v1'), faults: { errorRate: 1 } });
    const batch = ['q-1', 'q-2', 'q-3'].map((messageId) => ({
      type: 'track',
      userId: 'u1',
      event: 'Order',
      messageId,
    }));
    expect((await stack.send('/v1/batch', { batch })).status).toBe(200);
    await waitFor('a refused attempt', () => stack.emulator.stats().requests.total > 0);
    await stack.restartRelay(orders('v2'));
    stack.emulator.setFaults({});
    await waitFor(
      '3 events delivered',
      () => stack.emulator.workspace.person('u1')?.activity.length === 3,
      20_000,
    );
    const names = stack.emulator.workspace.person('u1')!.activity.map((a) => a.name);
    expect(names).toEqual(['v2: Order', 'v2: Order', 'v2: Order']);
  });
});
