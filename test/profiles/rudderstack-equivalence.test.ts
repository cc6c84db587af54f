/**
 * rudderstack: the Track API v1 requests RudderStack's transformer sends (shapes and fixtures of
 * rudderstack-classic-trackapi.md §1.3; `created_at` from the event time when createdAt is absent
 * and identify by anonymousId, as the seed documents: §1.5) against the `rudderstack` profile's v2
 * batches for the same events. Both must leave the same emulator workspace.
 */
import { describe, expect, it } from 'vitest';
import { rudderstackProfile } from '../../src/profiles/index.js';
import { LATER, LATER_SECONDS, sameWorkspace, T, T_SECONDS, type V1Request } from './equivalence.js';

const SETTINGS = { deviceTokenEventName: 'device_token_registered', consentCategory: 'Marketing' };

describe('rudderstack: the same workspace as RudderStack’s v1 requests', () => {
  it('rudderstack 1, 2, 3, 4, 5: anonymous activity, identify (merging it), track, page, screen', async () => {
    const events = [
      {
        type: 'track',
        anonymousId: 'anon-1',
        event: 'Viewed Pricing',
        properties: { tier: 'pro' },
        timestamp: T,
        messageId: 'm1',
      },
      { type: 'screen', anonymousId: 'anon-1', event: 'Intro', timestamp: T, messageId: 'm2' },
      { type: 'track', anonymousId: 'anon-1', event: 'L'.repeat(120), timestamp: T, messageId: 'm2b' },
      {
        type: 'identify',
        userId: 'u1',
        anonymousId: 'anon-1',
        traits: { name: 'Tintin', email: 'tintin@herge.com', birthday: '1929-01-10', address: 'Brussels' },
        timestamp: T,
        messageId: 'm3',
      },
      {
        type: 'track',
        userId: 'u1',
        event: 'Track me',
        properties: { category: 'c', value: 3 },
        timestamp: LATER,
        messageId: 'm4',
      },
      {
        type: 'page',
        userId: 'u1',
        name: 'home',
        properties: { path: '/', url: 'https://x.io/' },
        timestamp: LATER,
        messageId: 'm5',
      },
      {
        type: 'page',
        userId: 'u1',
        properties: { url: 'https://x.io/pricing' },
        timestamp: LATER,
        messageId: 'm6',
      },
      {
        type: 'screen',
        userId: 'u1',
        event: 'Main',
        properties: { prop_key: 'prop_value' },
        timestamp: LATER,
        messageId: 'm7',
      },
      {
        type: 'identify',
        userId: 'u1',
        traits: { createdAt: '2020-01-01T00:00:00Z', unsubscribed: true },
        timestamp: LATER,
        messageId: 'm8',
      },
    ];
    const reference: V1Request[] = [
      [
        'POST',
        '/events',
        {
          type: 'event',
          anonymous_id: 'anon-1',
          name: 'Viewed Pricing',
          data: { tier: 'pro' },
          timestamp: T_SECONDS,
        },
      ],
      [
        'POST',
        '/events',
        { type: 'event', anonymous_id: 'anon-1', name: 'Viewed Intro Screen', timestamp: T_SECONDS },
      ],
      // RudderStack cuts anonymous event names to 100 bytes.
      [
        'POST',
        '/events',
        { type: 'event', anonymous_id: 'anon-1', name: 'L'.repeat(100), timestamp: T_SECONDS },
      ],
      [
        'PUT',
        '/customers/u1',
        {
          _timestamp: T_SECONDS,
          anonymous_id: 'anon-1',
          name: 'Tintin',
          email: 'tintin@herge.com',
          birthday: '1929-01-10',
          address: 'Brussels',
          created_at: T_SECONDS,
        },
      ],
      [
        'POST',
        '/customers/u1/events',
        { type: 'event', name: 'Track me', data: { category: 'c', value: 3 }, timestamp: LATER_SECONDS },
      ],
      [
        'POST',
        '/customers/u1/events',
        { type: 'page', name: 'home', data: { path: '/', url: 'https://x.io/' }, timestamp: LATER_SECONDS },
      ],
      [
        'POST',
        '/customers/u1/events',
        {
          type: 'page',
          name: 'https://x.io/pricing',
          data: { url: 'https://x.io/pricing' },
          timestamp: LATER_SECONDS,
        },
      ],
      [
        'POST',
        '/customers/u1/events',
        {
          type: 'event',
          name: 'Viewed Main Screen',
          data: { prop_key: 'prop_value' },
          timestamp: LATER_SECONDS,
        },
      ],
      ['PUT', '/customers/u1', { _timestamp: LATER_SECONDS, unsubscribed: true, created_at: 1_577_836_800 }],
    ];
    const { workspace } = await sameWorkspace(reference, events, rudderstackProfile, SETTINGS);
    expect(workspace.anonymous).toEqual({});
    const [person] = workspace.people;
    expect(person).toMatchObject({
      id: 'u1',
      email: 'tintin@herge.com',
      attributes: { birthday: '1929-01-10', unsubscribed: true, created_at: 1_577_836_800 },
    });
    expect(person?.activity.map((a) => a.name ?? a.kind)).toContain('Viewed Main Screen');
  });

  it('rudderstack 7, 8, 9: devices registered, updated, deleted; a denied-consent event sends nothing', async () => {
    const android = { device: { token: 'abcxyz', type: 'android' } };
    const events = [
      {
        type: 'identify',
        userId: '12345',
        traits: { email: 'dev@example.com' },
        timestamp: T,
        messageId: 'd1',
      },
      {
        type: 'track',
        userId: '12345',
        event: 'Application Installed',
        properties: { review_id: 'r1', rating: 2 },
        context: android,
        timestamp: T,
        messageId: 'd2',
      },
      {
        type: 'track',
        userId: '12345',
        event: 'device_token_registered',
        context: { device: { token: 'ipad-token', type: 'iPadOS' } },
        timestamp: T,
        messageId: 'd3',
      },
      {
        type: 'track',
        userId: '12345',
        event: 'Application Opened',
        context: android,
        timestamp: LATER,
        messageId: 'd4',
      },
      { type: 'track', userId: '12345', event: 'Application Opened', timestamp: LATER, messageId: 'd5' },
      {
        type: 'track',
        userId: '12345',
        event: 'Application Uninstalled',
        context: { device: { token: 'ipad-token' } },
        timestamp: LATER,
        messageId: 'd6',
      },
      {
        type: 'track',
        userId: '12345',
        event: 'Newsletter Opened',
        context: { consentManagement: { deniedConsentIds: ['Marketing'] } },
        timestamp: LATER,
        messageId: 'd7',
      },
    ];
    const reference: V1Request[] = [
      ['PUT', '/customers/12345', { _timestamp: T_SECONDS, email: 'dev@example.com', created_at: T_SECONDS }],
      [
        'PUT',
        '/customers/12345/devices',
        { device: { review_id: 'r1', rating: 2, id: 'abcxyz', last_used: T_SECONDS, platform: 'android' } },
      ],
      [
        'PUT',
        '/customers/12345/devices',
        { device: { id: 'ipad-token', last_used: T_SECONDS, platform: 'ios' } },
      ],
      [
        'PUT',
        '/customers/12345/devices',
        { device: { id: 'abcxyz', last_used: LATER_SECONDS, platform: 'android' } },
      ],
      [
        'POST',
        '/customers/12345/events',
        { type: 'event', name: 'Application Opened', timestamp: LATER_SECONDS },
      ],
      ['DELETE', '/customers/12345/devices/ipad-token', {}],
      // Newsletter Opened: RudderStack's consent filter drops it before the transformer.
    ];
    const { workspace, counts } = await sameWorkspace(reference, events, rudderstackProfile, SETTINGS);
    expect(counts.filtered).toBe(1);
    expect(workspace.people[0]?.devices).toEqual([
      {
        token: 'abcxyz',
        platform: 'android',
        last_used: LATER_SECONDS,
        attributes: { review_id: 'r1', rating: 2 },
      },
    ]);
  });

  it('rudderstack 1, 6, 10: identify by anonymousId, alias merging two people, group objects', async () => {
    const group = {
      type: 'object',
      action: 'identify',
      identifiers: { object_id: 'group@1', object_type_id: '1' },
      attributes: { name: 'rudderstack' },
      cio_relationships: [{ identifiers: { id: 'test_new_id' } }],
    };
    const events = [
      {
        type: 'identify',
        anonymousId: 'anon-9',
        traits: { plan: 'free', color: 'blue' },
        timestamp: T,
        messageId: 'a1',
      },
      {
        type: 'identify',
        userId: 'test_new_id',
        traits: { plan: 'pro', email: 'new@example.com' },
        timestamp: T,
        messageId: 'a2',
      },
      { type: 'alias', userId: 'test_new_id', previousId: 'anon-9', timestamp: LATER, messageId: 'a3' },
      {
        type: 'group',
        userId: 'test_new_id',
        groupId: 'group@1',
        traits: { name: 'rudderstack' },
        timestamp: LATER,
        messageId: 'a4',
      },
    ];
    const reference: V1Request[] = [
      [
        'PUT',
        '/customers/anon-9',
        { _timestamp: T_SECONDS, anonymous_id: 'anon-9', plan: 'free', color: 'blue', created_at: T_SECONDS },
      ],
      [
        'PUT',
        '/customers/test_new_id',
        { _timestamp: T_SECONDS, plan: 'pro', email: 'new@example.com', created_at: T_SECONDS },
      ],
      ['POST', '/merge_customers', { primary: { id: 'test_new_id' }, secondary: { id: 'anon-9' } }],
      // RudderStack sends group calls to /api/v2/batch already (§1.3, fixture "Test 56").
      ['POST', '/api/v2/batch', { batch: [group] }],
    ];
    const { workspace } = await sameWorkspace(reference, events, rudderstackProfile, SETTINGS);
    expect(workspace.people).toHaveLength(1);
    expect(workspace.people[0]?.attributes).toMatchObject({ plan: 'pro', color: 'blue' });
    expect(workspace.objects).toHaveLength(1);
  });
});
