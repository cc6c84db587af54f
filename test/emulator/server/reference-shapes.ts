/**
 * The same logical events as two integrations send them, for the reference replay test:
 * - RudderStack (rudderstack-classic-trackapi.md §1.3): Track API v1, one request per event;
 *   `group` goes to `/api/v2/batch` (router mode), screens are events named "Viewed X Screen",
 *   device properties are spread at the top level of `device`, identify carries `_timestamp`.
 *   Suppress, delete and `cio_relationships` have no RudderStack form; they use Customer.io's
 *   documented v1 shapes (§3.3).
 * - Segment Actions (segment-actions.md §5): Track API v2 operations, sent as batches and single
 *   entities, with their quirks: a numeric-string timestamp, an object's `created_at` at the top
 *   level, `traits.objectId` kept in a person's attributes, `cio_` stripped into `{cio_id}`.
 *
 * Event `id`s: Segment maps `messageId`; RudderStack's v0 leaves it out although v1 events take an
 * `id` (§3.3). The logical events here have one, so both sides send it.
 */

export interface Request {
  method: 'PUT' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
}

export interface Phase {
  title: string;
  rudderstack: Request[];
  segment: Request[];
}

const v1 = (method: Request['method'], path: string, body?: unknown): Request => ({
  method,
  path: `/api/v1${path}`,
  ...(body !== undefined && { body }),
});
const batch = (...ops: Record<string, unknown>[]): Request => ({
  method: 'POST',
  path: '/api/v2/batch',
  body: { batch: ops },
});
const entity = (op: Record<string, unknown>): Request => ({
  method: 'POST',
  path: '/api/v2/entity',
  body: op,
});
const person = (identifiers: Record<string, string>, action: string, rest: Record<string, unknown> = {}) => ({
  type: 'person',
  action,
  ...rest,
  identifiers,
});

const ORDER = { order_id: 'o-1', total: 99.5, currency: 'USD', items: [{ sku: 'A' }] };
const SIGNUP = { url: 'https://example.com/signup', path: '/signup' };
const PRICING = {
  url: 'https://example.com/pricing',
  path: '/pricing',
  title: 'Pricing',
  referrer: 'https://google.com',
};
const GROUP = { name: 'Acme Inc', industry: 'Manufacturing' };
const OBJECT = { object_id: 'acme', object_type_id: '2' };

/** Profiles, events, page views, screens, a device and an object. */
export const profilesAndActivity: Phase = {
  title: 'profiles and activity',
  rudderstack: [
    v1('PUT', '/customers/user_123', {
      _timestamp: 1709287200,
      anonymous_id: 'anon_123',
      email: 'jane@example.com',
      name: 'Jane Doe',
      plan: 'pro',
      created_at: 1673771400,
    }),
    v1('PUT', '/customers/only.email%40example.com', {
      _timestamp: 1709287500,
      anonymous_id: 'anon_456',
      email: 'only.email@example.com',
      first_name: 'Only',
      created_at: 1704067200,
    }),
    v1('PUT', '/customers/user_old', { _timestamp: 1709287600, plan: 'legacy', nickname: 'JD' }),
    v1('PUT', '/customers/user_spam', { _timestamp: 1709287700, email: 'spam@example.com' }),
    v1('PUT', '/customers/user_to_delete', { _timestamp: 1709287800, plan: 'trial' }),
    v1('POST', '/customers/user_old/events', {
      type: 'event',
      name: 'Legacy Login',
      id: 'msg-old-1',
      data: { source: 'app' },
      timestamp: 1709288000,
    }),
    v1('POST', '/customers/user_123/events', {
      type: 'event',
      name: 'Order Completed',
      id: 'msg-track-1',
      data: ORDER,
      timestamp: 1709290800,
    }),
    v1('POST', '/events', {
      type: 'event',
      anonymous_id: 'anon_999',
      name: 'Viewed Pricing',
      id: 'msg-track-2',
      data: { tier: 'enterprise' },
      timestamp: 1709290860,
    }),
    v1('POST', '/events', {
      type: 'page',
      anonymous_id: 'anon_999',
      name: SIGNUP.url,
      id: 'msg-page-0',
      data: SIGNUP,
      timestamp: 1709290900,
    }),
    v1('POST', '/customers/jane%40example.com/events', {
      type: 'event',
      name: 'Email Userid Event',
      id: 'msg-track-3',
      data: {},
      timestamp: 1709291000,
    }),
    v1('POST', '/customers/user_123/events', {
      type: 'page',
      name: PRICING.url,
      id: 'msg-page-1',
      data: PRICING,
      timestamp: 1709301600,
    }),
    // RudderStack's screen: `type: "event"`, named "Viewed " + properties.name + " Screen".
    v1('POST', '/customers/user_123/events', {
      type: 'event',
      name: 'Viewed Checkout Screen',
      id: 'msg-screen-1',
      data: { name: 'Checkout', step: 2 },
      timestamp: 1709305200,
    }),
    v1('POST', '/events', {
      type: 'event',
      anonymous_id: 'anon_only_789',
      name: 'Viewed Onboarding Screen',
      id: 'msg-screen-2',
      data: { name: 'Onboarding' },
      timestamp: 1709305300,
    }),
    v1('PUT', '/customers/user_123/devices', {
      device: {
        version: '3.2.1',
        build: '321',
        id: 'device_token_abc',
        last_used: 1709294400,
        platform: 'ios',
      },
    }),
    batch({
      type: 'object',
      action: 'identify',
      identifiers: OBJECT,
      attributes: { ...GROUP, created_at: 1590969600 },
      cio_relationships: [{ identifiers: { id: 'user_123' } }],
    }),
  ],
  segment: [
    batch(
      person({ id: 'user_123' }, 'identify', {
        attributes: {
          email: 'jane@example.com',
          name: 'Jane Doe',
          plan: 'pro',
          created_at: 1673771400,
          anonymous_id: 'anon_123',
        },
        timestamp: 1709287200,
      }),
      person({ email: 'only.email@example.com' }, 'identify', {
        attributes: {
          email: 'only.email@example.com',
          first_name: 'Only',
          created_at: 1704067200,
          anonymous_id: 'anon_456',
        },
        timestamp: 1709287500,
      }),
      person({ id: 'user_old' }, 'identify', {
        attributes: { plan: 'legacy', nickname: 'JD' },
        timestamp: 1709287600,
      }),
      person({ id: 'user_spam' }, 'identify', {
        attributes: { email: 'spam@example.com' },
        timestamp: 1709287700,
      }),
      person({ id: 'user_to_delete' }, 'identify', { attributes: { plan: 'trial' }, timestamp: 1709287800 }),
      person({ id: 'user_old' }, 'event', {
        name: 'Legacy Login',
        id: 'msg-old-1',
        attributes: { source: 'app' },
        timestamp: 1709288000,
      }),
      person({ id: 'user_123' }, 'event', {
        name: 'Order Completed',
        id: 'msg-track-1',
        attributes: ORDER,
        timestamp: 1709290800,
      }),
      person({ anonymous_id: 'anon_999' }, 'event', {
        name: 'Viewed Pricing',
        id: 'msg-track-2',
        attributes: { tier: 'enterprise' },
        timestamp: 1709290860,
      }),
      person({ anonymous_id: 'anon_999' }, 'page', {
        name: SIGNUP.url,
        attributes: SIGNUP,
        id: 'msg-page-0',
        timestamp: 1709290900,
      }),
      // Segment passes a numeric-string timestamp through as a string (§5.2).
      person({ email: 'jane@example.com' }, 'event', {
        name: 'Email Userid Event',
        id: 'msg-track-3',
        attributes: {},
        timestamp: '1709291000',
      }),
      person({ id: 'user_123' }, 'page', {
        name: PRICING.url,
        attributes: PRICING,
        id: 'msg-page-1',
        timestamp: 1709301600,
      }),
      person({ id: 'user_123' }, 'screen', {
        name: 'Checkout',
        attributes: { name: 'Checkout', step: 2 },
        id: 'msg-screen-1',
        timestamp: 1709305200,
      }),
      person({ anonymous_id: 'anon_only_789' }, 'screen', {
        name: 'Onboarding',
        attributes: { name: 'Onboarding' },
        id: 'msg-screen-2',
        timestamp: 1709305300,
      }),
      person({ id: 'user_123' }, 'add_device', {
        device: {
          token: 'device_token_abc',
          platform: 'ios',
          last_used: 1709294400,
          attributes: { version: '3.2.1', build: '321' },
        },
      }),
      {
        type: 'object',
        action: 'identify',
        created_at: 1590969600,
        attributes: GROUP,
        cio_relationships: [{ identifiers: { id: 'user_123' } }],
        identifiers: OBJECT,
      },
    ),
  ],
};

/** The anonymous visitor is identified, the lead gains an id, the device is updated, a relationship gains attributes. */
export const identities: Phase = {
  title: 'identities',
  rudderstack: [
    v1('PUT', '/customers/user_999', {
      _timestamp: 1709306000,
      anonymous_id: 'anon_999',
      email: 'sam@example.com',
      name: 'Sam',
    }),
    v1('PUT', '/customers/user_456', {
      _timestamp: 1709306100,
      email: 'only.email@example.com',
      plan: 'free',
    }),
    v1('PUT', '/customers/user_123/devices', {
      device: {
        version: '3.2.2',
        build: '322',
        id: 'device_token_abc',
        last_used: 1709306200,
        platform: 'ios',
      },
    }),
    v1('PUT', '/customers/user_123', {
      _timestamp: 1709306300,
      objectId: 'acme',
      title: 'CTO',
      cio_relationships: {
        action: 'add_relationships',
        relationships: [
          {
            identifiers: { object_type_id: '2', object_id: 'acme' },
            relationship_attributes: { role: 'admin' },
          },
        ],
      },
    }),
  ],
  segment: [
    entity(
      person({ id: 'user_999' }, 'identify', {
        attributes: { name: 'Sam', email: 'sam@example.com', anonymous_id: 'anon_999' },
        timestamp: 1709306000,
      }),
    ),
    entity(
      person({ id: 'user_456' }, 'identify', {
        attributes: { plan: 'free', email: 'only.email@example.com' },
        timestamp: 1709306100,
      }),
    ),
    entity(
      person({ id: 'user_123' }, 'add_device', {
        device: {
          token: 'device_token_abc',
          platform: 'ios',
          last_used: 1709306200,
          attributes: { version: '3.2.2', build: '322' },
        },
      }),
    ),
    // Segment keeps `traits.objectId` in the attributes and relates the person to that object (§5.1).
    entity(
      person({ id: 'user_123' }, 'identify', {
        attributes: { objectId: 'acme', title: 'CTO' },
        cio_relationships: [
          {
            identifiers: { object_type_id: '2', object_id: 'acme' },
            relationship_attributes: { role: 'admin' },
          },
        ],
        timestamp: 1709306300,
      }),
    ),
  ],
};

export const CHANGE_EMAIL = 'change email through cio_id';

/** Change the lead's email through its cio_id (each side uses the cio_id its own workspace gave). */
export function changeEmail(cioId: string): Phase {
  return {
    title: CHANGE_EMAIL,
    rudderstack: [
      v1('PUT', `/customers/cio_${cioId}`, { _timestamp: 1709306400, email: 'only.new@example.com' }),
    ],
    segment: [
      entity(
        person({ cio_id: cioId }, 'identify', {
          attributes: { email: 'only.new@example.com' },
          timestamp: 1709306400,
        }),
      ),
    ],
  };
}

/** Alias (merge), device removal, suppression and deletion. */
export const removals: Phase = {
  title: 'merge, device delete, suppress, delete',
  rudderstack: [
    v1('POST', '/merge_customers', { primary: { id: 'user_123' }, secondary: { id: 'user_old' } }),
    // RudderStack's "Application Uninstalled" sends the DELETE with a body of `{}`.
    v1('DELETE', '/customers/user_123/devices/device_token_abc', {}),
    v1('POST', '/customers/user_spam/suppress'),
    v1('DELETE', '/customers/user_to_delete'),
  ],
  segment: [
    batch(
      { type: 'person', action: 'merge', primary: { id: 'user_123' }, secondary: { id: 'user_old' } },
      person({ id: 'user_123' }, 'delete_device', { device: { token: 'device_token_abc' } }),
      person({ id: 'user_spam' }, 'suppress'),
      person({ id: 'user_to_delete' }, 'delete'),
    ),
  ],
};
