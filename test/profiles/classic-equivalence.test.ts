/**
 * classic: the Track API v1 requests Segment's Classic destination documents for a set of events
 * (seed 000; shapes reconstructed in rudderstack-classic-trackapi.md §2.5) against the `classic`
 * profile's v2 batches for the same events. Both must leave the same emulator workspace.
 */
import { describe, expect, it } from 'vitest';
import { classicProfile } from '../../src/profiles/index.js';
import { LATER, LATER_SECONDS, sameWorkspace, T, T_SECONDS, type V1Request } from './equivalence.js';

const TOKEN = 'ff15bc0c20c4aa6cd50854ff165fd265c838e5405bfeb9571066395b8c9da449';
const IOS = { device: { token: TOKEN, type: 'ios' } };
const APP = { version: '1.2.3', build: 1234 };

describe('classic: the same workspace as Segment Classic’s v1 requests', () => {
  it('classic 1, 3: a lead by email gets an id, then changes id and email through cio_, then unsubscribes', async () => {
    const events = [
      {
        type: 'identify',
        userId: 'john.doe@example.com',
        traits: { plan: 'trial' },
        timestamp: T,
        messageId: 'c1',
      },
      {
        type: 'identify',
        userId: 'userId123',
        traits: { email: 'john.doe@example.com', fav_food: 'pizza', trial_end: '2024-03-15T00:00:00Z' },
        timestamp: T,
        messageId: 'c2',
      },
      {
        type: 'identify',
        userId: 'cio_a3000001',
        traits: { email: 'new.email@example.com', id: 'new-id-value' },
        timestamp: LATER,
        messageId: 'c3',
      },
      {
        type: 'identify',
        userId: 'new-id-value',
        traits: { unsubscribed: true },
        timestamp: LATER,
        messageId: 'c4',
      },
    ];
    const reference: V1Request[] = [
      ['PUT', '/customers/john.doe%40example.com', { plan: 'trial' }],
      [
        'PUT',
        '/customers/userId123',
        { email: 'john.doe@example.com', fav_food: 'pizza', trial_end: 1_710_460_800 },
      ],
      ['PUT', '/customers/cio_a3000001', { email: 'new.email@example.com', id: 'new-id-value' }],
      ['PUT', '/customers/new-id-value', { unsubscribed: true }],
    ];
    const { workspace } = await sameWorkspace(reference, events, classicProfile);
    expect(workspace.people).toHaveLength(1);
    expect(workspace.people[0]).toMatchObject({
      id: 'new-id-value',
      email: 'new.email@example.com',
      attributes: { plan: 'trial', fav_food: 'pizza', unsubscribed: true, trial_end: 1_710_460_800 },
    });
  });

  it('classic 4, 5, 6, 9, 10: track, page and screen; anonymous, alias and group calls send nothing', async () => {
    const events = [
      { type: 'identify', userId: 'u1', traits: { email: 'u1@example.com' }, timestamp: T, messageId: 'e1' },
      {
        type: 'track',
        userId: 'u1',
        event: 'Clicked Button',
        properties: { ends: '2024-03-15' },
        timestamp: T,
        messageId: 'e2',
      },
      {
        type: 'page',
        userId: 'u1',
        properties: { url: 'https://example.com/pricing' },
        timestamp: T,
        messageId: 'e3',
      },
      {
        type: 'page',
        userId: 'u1',
        name: 'Docs',
        properties: { url: 'https://example.com/docs' },
        timestamp: T,
        messageId: 'e4',
      },
      { type: 'screen', userId: 'u1', name: 'Home', timestamp: LATER, messageId: 'e5' },
      { type: 'screen', userId: 'u1', timestamp: LATER, messageId: 'e6' },
      { type: 'track', anonymousId: 'anon-1', event: 'Viewed Pricing', timestamp: LATER, messageId: 'e7' },
      { type: 'alias', userId: 'u1', previousId: 'anon-1', timestamp: LATER, messageId: 'e8' },
      { type: 'group', userId: 'u1', groupId: 'acme', timestamp: LATER, messageId: 'e9' },
    ];
    const reference: V1Request[] = [
      ['PUT', '/customers/u1', { email: 'u1@example.com' }],
      [
        'POST',
        '/customers/u1/events',
        { name: 'Clicked Button', data: { ends: 1_710_460_800 }, timestamp: T_SECONDS },
      ],
      [
        'POST',
        '/customers/u1/events',
        {
          type: 'page',
          name: 'https://example.com/pricing',
          data: { url: 'https://example.com/pricing' },
          timestamp: T_SECONDS,
        },
      ],
      [
        'POST',
        '/customers/u1/events',
        { type: 'page', name: 'Docs', data: { url: 'https://example.com/docs' }, timestamp: T_SECONDS },
      ],
      ['POST', '/customers/u1/events', { name: 'Viewed Home Screen', timestamp: LATER_SECONDS }],
      ['POST', '/customers/u1/events', { name: 'Viewed Undefined Screen', timestamp: LATER_SECONDS }],
    ];
    const { workspace, counts } = await sameWorkspace(reference, events, classicProfile);
    expect(counts.filtered).toBe(3);
    expect(workspace.anonymous).toEqual({});
    expect(workspace.objects).toEqual([]);
  });

  it('classic 7, 8: Application Installed adds the device, Opened updates last_used, Uninstalled removes it', async () => {
    const device = { properties: APP, context: IOS };
    const events = [
      { type: 'identify', userId: '019mr8mf4r', timestamp: T, messageId: 'd1' },
      {
        type: 'track',
        userId: '019mr8mf4r',
        event: 'Application Installed',
        ...device,
        timestamp: T,
        messageId: 'd2',
      },
      {
        type: 'track',
        userId: '019mr8mf4r',
        event: 'Application Opened',
        ...device,
        timestamp: LATER,
        messageId: 'd3',
      },
    ];
    const reference: V1Request[] = [
      ['PUT', '/customers/019mr8mf4r', {}],
      [
        'PUT',
        '/customers/019mr8mf4r/devices',
        { device: { id: TOKEN, platform: 'ios', last_used: T_SECONDS } },
      ],
      [
        'PUT',
        '/customers/019mr8mf4r/devices',
        { device: { id: TOKEN, platform: 'ios', last_used: LATER_SECONDS } },
      ],
    ];
    const { workspace } = await sameWorkspace(reference, events, classicProfile);
    expect(workspace.people[0]?.devices).toEqual([
      { token: TOKEN, platform: 'ios', last_used: LATER_SECONDS, attributes: {} },
    ]);

    const uninstall = {
      type: 'track',
      userId: '019mr8mf4r',
      event: 'Application Uninstalled',
      ...device,
      messageId: 'd4',
    };
    const gone = await sameWorkspace(
      [...reference, ['DELETE', `/customers/019mr8mf4r/devices/${TOKEN}`]],
      [...events, uninstall],
      classicProfile,
    );
    expect(gone.workspace.people[0]?.devices).toEqual([]);
  });
});
