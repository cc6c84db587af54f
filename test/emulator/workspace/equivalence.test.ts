/**
 * The same logical events sent through v1 (RudderStack's shapes, rudderstack-classic-trackapi.md
 * §1.3) and through v2 (Segment's shapes, segment-actions.md §5) must leave the same workspace.
 */
import { describe, expect, it } from 'vitest';
import type { Workspace } from '../../../src/emulator/workspace/index.js';
import { workspace } from './helpers.js';

type V1Step = [method: string, path: string, body?: unknown];
type Step = { v1: V1Step; v2: Record<string, unknown> } | { advance: number };

function state(ws: Workspace) {
  return { people: ws.people(), objects: ws.objects(), anonymous: ws.anonymous(), metrics: ws.metrics() };
}

/** Run the steps through both API versions on identical clocks; return the common final state. */
function same(steps: Step[]) {
  const one = workspace();
  const two = workspace();
  for (const step of steps) {
    if ('advance' in step) {
      one.clock.advance(step.advance);
      two.clock.advance(step.advance);
      continue;
    }
    expect(one.ws.applyV1(...step.v1), JSON.stringify(step.v1)).toEqual({ status: 200, body: {} });
    expect(two.ws.applyV2(step.v2), JSON.stringify(step.v2)).toEqual({ ok: true });
  }
  const v1 = state(one.ws);
  expect(v1).toEqual(state(two.ws));
  return v1;
}

const identify: Step = {
  v1: [
    'PUT',
    '/customers/user_123',
    {
      _timestamp: 1709287200,
      anonymous_id: 'anon_123',
      email: 'jane@example.com',
      name: 'Jane Doe',
      plan: 'pro',
    },
  ],
  v2: {
    type: 'person',
    action: 'identify',
    attributes: { anonymous_id: 'anon_123', email: 'jane@example.com', name: 'Jane Doe', plan: 'pro' },
    timestamp: 1709287200,
    identifiers: { id: 'user_123' },
  },
};

const track: Step = {
  v1: [
    'POST',
    '/customers/user_123/events',
    {
      type: 'event',
      name: 'Order Completed',
      id: 'msg-track-1',
      data: { order_id: 'o-1', total: 99.5 },
      timestamp: 1709290800,
    },
  ],
  v2: {
    type: 'person',
    action: 'event',
    name: 'Order Completed',
    id: 'msg-track-1',
    attributes: { order_id: 'o-1', total: 99.5 },
    timestamp: 1709290800,
    identifiers: { id: 'user_123' },
  },
};

const page: Step = {
  v1: [
    'POST',
    '/customers/user_123/events',
    {
      type: 'page',
      name: 'https://example.com/pricing',
      id: 'msg-page-1',
      data: { path: '/pricing' },
      timestamp: 1709301600,
    },
  ],
  v2: {
    type: 'person',
    action: 'page',
    name: 'https://example.com/pricing',
    attributes: { path: '/pricing' },
    id: 'msg-page-1',
    timestamp: 1709301600,
    identifiers: { id: 'user_123' },
  },
};

const screen: Step = {
  v1: [
    'POST',
    '/customers/user_123/events',
    { type: 'screen', name: 'Checkout', data: { step: 2 }, timestamp: 1709305200 },
  ],
  v2: {
    type: 'person',
    action: 'screen',
    name: 'Checkout',
    attributes: { step: 2 },
    timestamp: 1709305200,
    identifiers: { id: 'user_123' },
  },
};

const addDevice: Step = {
  v1: [
    'PUT',
    '/customers/user_123/devices',
    {
      device: {
        id: 'device_token_abc',
        platform: 'ios',
        last_used: 1709294400,
        attributes: { version: '3.2.1' },
      },
    },
  ],
  v2: {
    type: 'person',
    action: 'add_device',
    device: {
      token: 'device_token_abc',
      platform: 'ios',
      last_used: 1709294400,
      attributes: { version: '3.2.1' },
    },
    identifiers: { id: 'user_123' },
  },
};

const deleteDevice: Step = {
  v1: ['DELETE', '/customers/user_123/devices/device_token_abc', {}],
  v2: {
    type: 'person',
    action: 'delete_device',
    device: { token: 'device_token_abc' },
    identifiers: { id: 'user_123' },
  },
};

describe('v1 and v2 give the same workspace', () => {
  it('identify, track, page, screen', () => {
    const result = same([identify, track, page, screen]);
    expect(result.people[0]?.activity.map((a) => a.kind)).toEqual(['identified', 'event', 'page', 'screen']);
  });

  it('identify by email, then by id with that email (lead conversion)', () => {
    const result = same([
      {
        v1: ['PUT', '/customers/only.email%40example.com', { first_name: 'Only' }],
        v2: {
          type: 'person',
          action: 'identify',
          attributes: { first_name: 'Only' },
          identifiers: { email: 'only.email@example.com' },
        },
      },
      {
        v1: ['PUT', '/customers/u9', { email: 'only.email@example.com' }],
        v2: {
          type: 'person',
          action: 'identify',
          attributes: { email: 'only.email@example.com' },
          identifiers: { id: 'u9' },
        },
      },
    ]);
    expect(result.people).toHaveLength(1);
  });

  it('change identifiers through cio_id', () => {
    same([
      identify,
      {
        v1: ['PUT', '/customers/cio_a3000001', { email: 'new@example.com', id: 'new-id' }],
        v2: {
          type: 'person',
          action: 'identify',
          attributes: { email: 'new@example.com', id: 'new-id' },
          identifiers: { cio_id: 'a3000001' },
        },
      },
    ]);
  });

  it('device add, update and delete', () => {
    const result = same([identify, addDevice, { advance: 10 }, addDevice, deleteDevice]);
    expect(result.people[0]?.activity.map((a) => a.kind)).toEqual([
      'identified',
      'device_added',
      'device_updated',
      'device_deleted',
    ]);
  });

  it('merge', () => {
    const result = same([
      identify,
      {
        v1: ['PUT', '/customers/anon_user', { color: 'blue', plan: 'free' }],
        v2: {
          type: 'person',
          action: 'identify',
          attributes: { color: 'blue', plan: 'free' },
          identifiers: { id: 'anon_user' },
        },
      },
      {
        v1: ['POST', '/merge_customers', { primary: { id: 'user_123' }, secondary: { id: 'anon_user' } }],
        v2: { type: 'person', action: 'merge', primary: { id: 'user_123' }, secondary: { id: 'anon_user' } },
      },
    ]);
    expect(result.people.map((p) => p.attributes)).toEqual([
      { name: 'Jane Doe', plan: 'pro', color: 'blue' },
    ]);
  });

  it('suppress, then unsuppress, then identify again', () => {
    const result = same([
      identify,
      {
        v1: ['POST', '/customers/user_123/suppress'],
        v2: { type: 'person', action: 'suppress', identifiers: { id: 'user_123' } },
      },
      {
        v1: ['POST', '/customers/jane%40example.com/unsuppress'],
        v2: { type: 'person', action: 'unsuppress', identifiers: { email: 'jane@example.com' } },
      },
      identify,
    ]);
    expect(result.people.map((p) => p.cio_id)).toEqual(['a3000002']);
  });

  it('delete', () => {
    const result = same([
      identify,
      track,
      {
        v1: ['DELETE', '/customers/user_123'],
        v2: { type: 'person', action: 'delete', identifiers: { id: 'user_123' } },
      },
    ]);
    expect(result.people).toEqual([]);
  });

  it('anonymous events, then identify with that anonymous_id', () => {
    const result = same([
      {
        v1: [
          'POST',
          '/events',
          {
            type: 'event',
            anonymous_id: 'anon_123',
            name: 'Viewed Pricing',
            data: { tier: 'enterprise' },
            timestamp: 1709290860,
          },
        ],
        v2: {
          type: 'person',
          action: 'event',
          name: 'Viewed Pricing',
          attributes: { tier: 'enterprise' },
          timestamp: 1709290860,
          identifiers: { anonymous_id: 'anon_123' },
        },
      },
      {
        v1: [
          'POST',
          '/events',
          { type: 'page', anonymous_id: 'anon_123', name: '/home', timestamp: 1709290870 },
        ],
        v2: {
          type: 'person',
          action: 'page',
          name: '/home',
          timestamp: 1709290870,
          identifiers: { anonymous_id: 'anon_123' },
        },
      },
      identify,
    ]);
    expect(result.anonymous).toEqual({});
    expect(result.people[0]?.activity.map((a) => a.kind)).toEqual([
      'identified',
      'event',
      'page',
      'anonymous_merged',
    ]);
  });

  it('delivery metrics (v1 /metrics and a v2 delivery event; correction 10)', () => {
    const metric = (id: string, name: string, timestamp?: number): Step => ({
      v1: [
        'POST',
        '/metrics',
        { delivery_id: id, metric: name, ...(timestamp !== undefined && { timestamp }) },
      ],
      v2: {
        type: 'delivery',
        action: 'event',
        name,
        attributes: {},
        ...(timestamp !== undefined && { timestamp }),
        identifiers: { id },
      },
    });
    const result = same([
      metric('dlv_1', 'opened', 1709299200),
      metric('dlv_2', 'delivered', 1709299260),
      metric('dlv_3', 'converted', 1709299320),
      // Without a timestamp both record the time of arrival.
      { advance: 90 },
      metric('dlv_4', 'opened'),
      // The same metric twice is recorded twice by both.
      metric('dlv_1', 'opened', 1709299200),
    ]);
    expect(result.metrics.map((m) => `${m.delivery_id}:${m.metric}`)).toEqual([
      'dlv_1:opened',
      'dlv_2:delivered',
      'dlv_3:converted',
      'dlv_4:opened',
      'dlv_1:opened',
    ]);
    expect(result.people).toEqual([]);
  });
});
