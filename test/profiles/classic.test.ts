/**
 * The `classic` profile, table-driven: every example of Segment's Classic documentation (seed 000)
 * and the Classic column of the bad-input table (rudderstack-classic-trackapi.md §4), each against
 * the v2 operations it sends, its rejection, or why it is not sent. Labels: docs/behaviour.md.
 */
import { describe, expect, it } from 'vitest';
import { classicProfile } from '../../src/profiles/index.js';
import { person, profileRouter, type Row, refusedAtIngest, SECONDS, sent, TIME } from './helpers.js';

const classic = profileRouter(classicProfile);
const TOKEN = 'ff15bc0c20c4aa6cd50854ff165fd265c838e5405bfeb9571066395b8c9da449';
const APP = { version: '1.2.3', build: 1234 };
const IOS = { device: { token: TOKEN, type: 'ios' } };
const NO_USER_ID = {
  filtered: 'Segment Classic sends only events with a userId: it has no anonymous events',
};
const ADDED = sent(
  person(
    'add_device',
    { id: '019mr8mf4r' },
    { device: { token: TOKEN, platform: 'ios', last_used: SECONDS, attributes: {} } },
  ),
);

/** The seed's Application Installed / Opened example. */
function appEvent(event: string) {
  return { type: 'track', userId: '019mr8mf4r', event, properties: APP, context: IOS, timestamp: TIME };
}

const NOT_SENT = { filtered: 'Segment Classic sends identify, track, page and screen calls only' };

const rows: Row[] = [
  // Identify (seed: "Identify", "Updating people", "Unsubscribing Users")
  [
    'classic 1: identify by userId with an email trait sets id and email',
    { type: 'identify', userId: 'userId123', traits: { email: 'john.doe@example.com' } },
    sent(person('identify', { id: 'userId123' }, { attributes: { email: 'john.doe@example.com' } })),
  ],
  [
    'classic 1: an email as userId is the email identifier',
    { type: 'identify', userId: 'john.doe@example.com', traits: { fav_food: 'pizza' } },
    sent(person('identify', { email: 'john.doe@example.com' }, { attributes: { fav_food: 'pizza' } })),
  ],
  [
    'classic 1: updating people: other traits are attributes',
    { type: 'identify', userId: 'userId123', traits: { email: 'john.doe@example.com', fav_food: 'pizza' } },
    sent(
      person(
        'identify',
        { id: 'userId123' },
        { attributes: { email: 'john.doe@example.com', fav_food: 'pizza' } },
      ),
    ),
  ],
  [
    'classic 1: cio_<id> as userId addresses the cio_id and changes id and email',
    {
      type: 'identify',
      userId: 'cio_a3000001',
      traits: { email: 'new.email@example.com', id: 'new-id-value' },
    },
    sent(
      person(
        'identify',
        { cio_id: 'a3000001' },
        { attributes: { email: 'new.email@example.com', id: 'new-id-value' } },
      ),
    ),
  ],
  [
    'classic 1: unsubscribed: true passes through; no _timestamp, no anonymous_id',
    {
      type: 'identify',
      userId: 'userId123',
      anonymousId: 'anon-1',
      timestamp: TIME,
      traits: { email: 'john.doe@example.com', unsubscribed: true },
    },
    sent(
      person(
        'identify',
        { id: 'userId123' },
        { attributes: { email: 'john.doe@example.com', unsubscribed: true } },
      ),
    ),
  ],
  [
    'classic 3: Convert To Unix Time (default on): ISO-8601 traits, createdAt and nested values become Unix seconds',
    {
      type: 'identify',
      userId: 'u1',
      traits: { createdAt: '2014-01-01', date: '2014-01-01T00:00:00Z', plan: { since: TIME }, phone: '2014' },
    },
    sent(
      person(
        'identify',
        { id: 'u1' },
        { attributes: { date: 1388534400, plan: { since: SECONDS }, phone: '2014', created_at: 1388534400 } },
      ),
    ),
  ],
  // Page, screen, track (seed: "Page", "Screen", "Track")
  [
    'classic 4: analytics.page() is a Page View named after the URL',
    { type: 'page', userId: 'u1', properties: { url: 'https://example.com/pricing', path: '/pricing' } },
    sent(
      person(
        'page',
        { id: 'u1' },
        {
          name: 'https://example.com/pricing',
          attributes: { url: 'https://example.com/pricing', path: '/pricing' },
        },
      ),
    ),
  ],
  [
    'classic 4: a named page is a Page View with the page name',
    { type: 'page', userId: 'u1', name: 'Pricing', properties: { url: 'https://example.com/pricing' } },
    sent(
      person('page', { id: 'u1' }, { name: 'Pricing', attributes: { url: 'https://example.com/pricing' } }),
    ),
  ],
  [
    'classic 4: a server-side page without properties.url takes context.page.url',
    { type: 'page', userId: 'u1', context: { page: { url: 'https://example.com/a' } } },
    sent(person('page', { id: 'u1' }, { name: 'https://example.com/a' })),
  ],
  [
    'classic 4 (§4 #10): a page with neither name nor URL is rejected (Customer.io needs a name)',
    { type: 'page', userId: 'u1' },
    sent({ rejected: 'missing_field' }),
  ],
  [
    'classic 5: screen "Home" is the event Viewed Home Screen',
    { type: 'screen', userId: 'u1', name: 'Home', timestamp: TIME },
    sent(person('event', { id: 'u1' }, { name: 'Viewed Home Screen', timestamp: SECONDS })),
  ],
  [
    'classic 5 (§4 #12): a screen without a name is Viewed Undefined Screen',
    { type: 'screen', userId: 'u1' },
    sent(person('event', { id: 'u1' }, { name: 'Viewed Undefined Screen' })),
  ],
  [
    'classic 5 (§4 #13): the screen name is the top-level name, else properties.name',
    { type: 'screen', userId: 'u1', properties: { name: 'Cart' } },
    sent(person('event', { id: 'u1' }, { name: 'Viewed Cart Screen', attributes: { name: 'Cart' } })),
  ],
  [
    'classic 6: track Clicked Button is the event Clicked Button, messageId as its id',
    { type: 'track', userId: 'u1', event: 'Clicked Button', messageId: 'm-1', timestamp: TIME },
    sent(person('event', { id: 'u1' }, { name: 'Clicked Button', id: 'm-1', timestamp: SECONDS })),
  ],
  [
    'classic 3: Convert To Unix Time also converts ISO-8601 properties',
    { type: 'track', userId: 'u1', event: 'Trial Started', properties: { ends: '2014-01-01', code: 'X' } },
    sent(
      person('event', { id: 'u1' }, { name: 'Trial Started', attributes: { ends: 1388534400, code: 'X' } }),
    ),
  ],
  [
    'classic 6 (§4 #9): an identified event name over 100 bytes is sent as it is',
    { type: 'track', userId: 'u1', event: 'x'.repeat(120) },
    sent(person('event', { id: 'u1' }, { name: 'x'.repeat(120) })),
  ],
  // Devices (seed: "Application Installed", "Application Opened", "Application Uninstalled")
  [
    'classic 7: Application Installed with context.device.token adds the device (token, platform, last_used)',
    appEvent('Application Installed'),
    ADDED,
  ],
  [
    'classic 7: Application Opened updates the device and its last_used',
    appEvent('Application Opened'),
    ADDED,
  ],
  [
    'classic 8: Application Uninstalled removes the device',
    { type: 'track', userId: '019mr8mf4r', event: 'Application Uninstalled', properties: APP, context: IOS },
    sent(person('delete_device', { id: '019mr8mf4r' }, { device: { token: TOKEN } })),
  ],
  [
    'classic 7 (§4 #14): Application Opened without a device token is an ordinary event',
    { type: 'track', userId: 'u1', event: 'Application Opened', properties: APP },
    sent(person('event', { id: 'u1' }, { name: 'Application Opened', attributes: APP })),
  ],
  [
    'classic 8 (§4 #16): Application Uninstalled without a device token is rejected',
    { type: 'track', userId: 'u1', event: 'Application Uninstalled' },
    sent({ rejected: 'missing_field' }),
  ],
  [
    'classic 7 (§4 #17): a device type outside ios/android is sent as it is (Customer.io refuses it)',
    {
      type: 'track',
      userId: 'u1',
      event: 'Application Installed',
      context: { device: { token: 't', type: 'mobile' } },
    },
    sent(person('add_device', { id: 'u1' }, { device: { token: 't', platform: 'mobile', attributes: {} } })),
  ],
  // No userId, unsupported calls (§4)
  [
    'classic 9 (§4 #3): an identify with only an anonymousId is filtered',
    { type: 'identify', anonymousId: 'anon-1', traits: { plan: 'pro' } },
    NO_USER_ID,
  ],
  [
    'classic 9 (§4 #4): an empty userId with an email trait is filtered (Classic needs a userId)',
    { type: 'identify', userId: '', anonymousId: 'anon-1', traits: { email: 'a@example.com' } },
    NO_USER_ID,
  ],
  [
    'classic 9 (§4 #7): anonymous track, page and screen calls are filtered',
    { type: 'page', anonymousId: 'anon-1', name: 'Home' },
    NO_USER_ID,
  ],
  [
    'classic 9 (§4 #15): Application Installed with a token but no userId is filtered',
    { type: 'track', anonymousId: 'anon-1', event: 'Application Installed', context: IOS },
    NO_USER_ID,
  ],
  ['classic 10 (§4 #18): alias is not sent', { type: 'alias', userId: 'new', previousId: 'old' }, NOT_SENT],
  [
    'classic 10 (§4 #20): group is not sent',
    { type: 'group', userId: 'u1', groupId: 'g1', traits: { name: 'Acme' } },
    NOT_SENT,
  ],
  // Refused at ingest, before any profile (§4)
  ...refusedAtIngest('classic'),
  [
    'classic 1 (§4 #24, #25): ids are kept as sent in the v2 body; a numeric userId becomes a string',
    { type: 'identify', userId: 12345, traits: { note: 'a/b c' } },
    sent(person('identify', { id: '12345' }, { attributes: { note: 'a/b c' } })),
  ],
];

describe('the classic profile', () => {
  it.each(rows)('%s', (_label, event, expected) => {
    expect(classic(event)).toEqual(expected);
  });
});

describe('the classic profile: settings', () => {
  it('classic 3: convertToUnixTime false sends ISO-8601 traits and properties as they are; created_at stays Unix seconds', () => {
    const route = profileRouter(classicProfile, { convertToUnixTime: false });
    expect(
      route({ type: 'identify', userId: 'u1', traits: { date: '2014-01-01', createdAt: '2014-01-01' } }),
    ).toEqual(
      sent(person('identify', { id: 'u1' }, { attributes: { date: '2014-01-01', created_at: 1388534400 } })),
    );
    expect(route({ type: 'track', userId: 'u1', event: 'E', properties: { ends: '2014-01-01' } })).toEqual(
      sent(person('event', { id: 'u1' }, { name: 'E', attributes: { ends: '2014-01-01' } })),
    );
  });

  it('classic 7: a device’s last_used is Unix seconds whatever convertToUnixTime says', () => {
    const route = profileRouter(classicProfile, { convertToUnixTime: false });
    const outcome = route({
      type: 'track',
      userId: 'u1',
      event: 'Application Opened',
      context: IOS,
      timestamp: TIME,
    });
    expect(outcome).toMatchObject({ sent: [{ device: { last_used: SECONDS } }] });
  });

  it('classic 2: in a workspace that identifies by id only (idOnly), an email-shaped userId is an id', () => {
    const route = profileRouter(classicProfile, { idOnly: true });
    expect(route({ type: 'identify', userId: 'john.doe@example.com', traits: { plan: 'pro' } })).toEqual(
      sent(person('identify', { id: 'john.doe@example.com' }, { attributes: { plan: 'pro' } })),
    );
    expect(route({ type: 'track', userId: 'john.doe@example.com', event: 'E' })).toEqual(
      sent(person('event', { id: 'john.doe@example.com' }, { name: 'E' })),
    );
    // The email trait stays an attribute; a cio_ id still addresses the cio_id.
    expect(route({ type: 'identify', userId: 'cio_a1', traits: { email: 'x@example.com' } })).toEqual(
      sent(person('identify', { cio_id: 'a1' }, { attributes: { email: 'x@example.com' } })),
    );
  });
});
