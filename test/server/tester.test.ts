/**
 * POST /admin/destinations/:name/test: which subscriptions match an event and why, the operations
 * and the Track API request, without storing or sending anything unless asked to.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SubscriptionConfig } from '../../src/profiles/index.js';
import {
  ADMIN_TOKEN,
  API_KEY,
  bearer,
  type Harness,
  NOW,
  startServer,
  testConfig,
  track,
} from './helpers.js';

const SUBSCRIPTIONS: SubscriptionConfig[] = [
  { name: 'orders', trigger: 'type = "track" and event = "Order Completed"', action: 'trackEvent' },
  { name: 'people', trigger: 'type = "identify"', action: 'createUpdatePerson' },
  { name: 'old', trigger: 'type = "track"', action: 'trackEvent', enabled: false },
];

let h: Harness;
beforeEach(async () => {
  h = await startServer({
    config: testConfig((config) => {
      config.destinations[0]!.subscriptions = SUBSCRIPTIONS;
    }),
  });
});
afterEach(() => h.close());

function test(body: unknown, destination = 'production') {
  return h.app.inject({
    method: 'POST',
    url: `/admin/destinations/${destination}/test`,
    headers: { authorization: bearer(ADMIN_TOKEN), 'content-type': 'application/json' },
    payload: JSON.stringify(body),
  });
}

const ORDER = track({ messageId: 'tm-1' });

describe('event tester', () => {
  it("shows a profile's filter rule matching, and that no subscription then runs", async () => {
    await h.close();
    h = await startServer({
      config: testConfig((config) => {
        config.destinations[0]!.subscriptions = [
          { name: 'no anonymous events', trigger: 'userId = null', filter: 'Classic needs a userId' },
          ...SUBSCRIPTIONS,
        ];
      }),
    });
    const anonymous = { ...ORDER, userId: undefined, anonymousId: 'anon-1' };
    const [rule, orders] = (await test({ event: anonymous })).json().test.subscriptions;
    expect(rule).toMatchObject({ name: 'no anonymous events', action: 'filter', matched: true });
    expect(rule.reason).toContain('not sent (Classic needs a userId)');
    expect(orders).toMatchObject({
      name: 'orders',
      matched: false,
      reason: 'not sent: Classic needs a userId',
    });
    // edited subscriptions are tried under the same rule
    const edited = await test({ event: anonymous, subscriptions: [SUBSCRIPTIONS[0]] });
    expect(edited.json().test.subscriptions.map((v: { action: string }) => v.action)).toEqual([
      'filter',
      'trackEvent',
    ]);
  });

  it('says which subscriptions match and why, with the operation and the batch request, storing nothing', async () => {
    const response = await test({ event: ORDER });
    expect(response.statusCode).toBe(200);
    const { test: result, sent } = response.json();
    expect(sent).toBeNull();
    expect(result.event).toMatchObject({ messageId: 'tm-1', receivedAt: new Date(NOW).toISOString() });
    expect(result.routed).toBe(true);
    const [orders, people, old] = result.subscriptions;
    expect(orders).toMatchObject({ name: 'orders', action: 'trackEvent', matched: true, enabled: true });
    expect(orders.operation).toMatchObject({ type: 'person', action: 'event', name: 'Order Completed' });
    expect(people).toMatchObject({ matched: false, enabled: true });
    expect(people.reason).toContain('type = "identify" is false');
    expect(old).toMatchObject({ matched: false, enabled: false, reason: 'disabled' });

    expect(result.requests).toHaveLength(1);
    const [request] = result.requests;
    expect(request.url).toBe('https://track.customer.io/api/v2/batch');
    expect(JSON.parse(request.body)).toEqual({ batch: [orders.operation] });
    expect(response.body).not.toContain(API_KEY);
    expect(h.store.calls).toHaveLength(0);
    expect(h.delivery.notified).toHaveLength(0);
  });

  it('shows why a matching subscription cannot build its operation', async () => {
    const device = { name: 'device', trigger: 'type = "track"', action: 'deleteDevice' };
    const response = await test({ event: ORDER, subscriptions: [device] });
    const [verdict] = response.json().test.subscriptions;
    expect(verdict).toMatchObject({ matched: true, error: { code: 'missing_field' } });
    expect(verdict.error.message).toContain('requires');
    expect(verdict.operation).toBeUndefined();
    expect(response.json().test.requests).toEqual([]);
  });

  it('previews a delivery metric v2 cannot carry as its own /api/v1/metrics request, after the batch', async () => {
    const subscriptions = [
      { name: 'metrics', trigger: 'event = "Report Delivery Event"', action: 'reportDeliveryEvent' },
      { name: 'events', trigger: 'type = "track"', action: 'trackEvent' },
    ];
    const event = {
      ...ORDER,
      event: 'Report Delivery Event',
      properties: { deliveryId: 'd-1', metric: 'clicked', href: 'https://example.com/' },
    };
    const { requests } = (await test({ event, subscriptions })).json().test;
    expect(requests.map((r: { url: string }) => r.url)).toEqual([
      'https://track.customer.io/api/v2/batch',
      'https://track.customer.io/api/v1/metrics',
    ]);
    expect(JSON.parse(requests[1].body)).toMatchObject({ delivery_id: 'd-1', metric: 'clicked' });
  });

  it('tries unsaved subscriptions, with the trigger compiler’s message when one is invalid', async () => {
    const edited = [{ name: 'all tracks', trigger: 'type = "track"', action: 'trackEvent' }];
    const ok = (await test({ event: ORDER, subscriptions: edited })).json().test.subscriptions;
    expect(ok).toEqual([expect.objectContaining({ name: 'all tracks', matched: true })]);

    const broken = await test({ event: ORDER, subscriptions: [{ ...edited[0], trigger: 'type = ' }] });
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ code: 'invalid_trigger' });
  });

  it('refuses an invalid event with the validator’s code and message', async () => {
    const response = await test({ event: { type: 'track', event: 'E' } });
    expect(response.statusCode).toBe(400);
    expect(response.json().code).toBe('missing_identifier');
  });

  it('with send, stores the event for this destination only and wakes its delivery', async () => {
    const response = await test({ event: ORDER, send: true });
    expect(response.statusCode).toBe(200);
    expect(response.json().sent).toEqual({ messageId: 'tm-1' });
    expect(h.store.stored()).toEqual([
      expect.objectContaining({ source: 'console', messageId: 'tm-1', destinations: ['production'] }),
    ]);
    expect(h.delivery.notified).toEqual([['production']]);

    const again = await test({ event: ORDER, send: true });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('duplicate_message_id');
  });

  it('does not send with unsaved subscriptions, nor an event whose integrations turn Customer.io off', async () => {
    const unsaved = await test({ event: ORDER, send: true, subscriptions: [] });
    expect(unsaved.json().code).toBe('unsaved_subscriptions');
    const off = await test({ event: { ...ORDER, integrations: { All: false } }, send: true });
    expect(off.json().code).toBe('not_routed');
    expect(h.store.calls).toHaveLength(0);
  });

  it('refuses a body without an event and an unknown destination', async () => {
    expect((await test({ send: true })).json().code).toBe('invalid_test');
    expect((await test({ event: ORDER }, 'nope')).statusCode).toBe(404);
  });
});
