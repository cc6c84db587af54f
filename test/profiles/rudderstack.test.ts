/**
 * The `rudderstack` profile, table-driven: every example of RudderStack's Customer.io
 * documentation (seed 003) and the RudderStack column of the bad-input table
 * (rudderstack-classic-trackapi.md §4), each against the v2 operations it sends, its rejection, or
 * why it is not sent. Where the seed and RudderStack's code disagree the seed wins (§1.5, §5).
 * Labels: docs/behaviour.md.
 */
import { describe, expect, it } from 'vitest';
import { rudderstackProfile } from '../../src/profiles/index.js';
import { merge, person, profileRouter, type Row, refusedAtIngest, SECONDS, sent, TIME } from './helpers.js';

const SETTINGS = { deviceTokenEventName: 'device_token_registered', consentCategory: 'Marketing' };
const rudderstack = profileRouter(rudderstackProfile, SETTINGS);
const ANDROID = { device: { token: 'abcxyz', type: 'android' } };
const REVIEW = { review_id: 'some_review_id', rating: 2 };

const rows: Row[] = [
  // Identify (seed: "Identify", "Unsubscribing users")
  [
    'rudderstack 1, 2: identify sends the traits, and the time of the call as created_at when createdAt is absent',
    {
      type: 'identify',
      userId: 'userId',
      timestamp: TIME,
      traits: { name: 'Tintin', city: 'Brussels', country: 'Belgium', email: 'tintin@herge.com' },
    },
    sent(
      person(
        'identify',
        { id: 'userId' },
        {
          attributes: {
            name: 'Tintin',
            city: 'Brussels',
            country: 'Belgium',
            email: 'tintin@herge.com',
            created_at: SECONDS,
          },
          timestamp: SECONDS,
        },
      ),
    ),
  ],
  [
    'rudderstack 2: createdAt is sent as created_at in Unix seconds; other dates stay as sent',
    {
      type: 'identify',
      userId: 'u1',
      timestamp: TIME,
      traits: { createdAt: '2014-01-01T00:00:00Z', birthday: '1990-05-01' },
    },
    sent(
      person(
        'identify',
        { id: 'u1' },
        { attributes: { birthday: '1990-05-01', created_at: 1388534400 }, timestamp: SECONDS },
      ),
    ),
  ],
  [
    'rudderstack 1: unsubscribed: true passes through, with the anonymousId for merging',
    {
      type: 'identify',
      userId: 'userId',
      anonymousId: 'anon-1',
      timestamp: TIME,
      traits: { email: 'tintin@herge.com', unsubscribed: true },
    },
    sent(
      person(
        'identify',
        { id: 'userId' },
        {
          attributes: {
            email: 'tintin@herge.com',
            unsubscribed: true,
            created_at: SECONDS,
            anonymous_id: 'anon-1',
          },
          timestamp: SECONDS,
        },
      ),
    ),
  ],
  [
    'rudderstack 1 (§4 #3): without a userId, identify uses the anonymousId (the seed; the code refuses)',
    { type: 'identify', anonymousId: 'anon-1', timestamp: TIME, traits: { plan: 'pro' } },
    sent(
      person(
        'identify',
        { id: 'anon-1' },
        { attributes: { plan: 'pro', created_at: SECONDS, anonymous_id: 'anon-1' }, timestamp: SECONDS },
      ),
    ),
  ],
  [
    'rudderstack 1 (§4 #4): without a userId, an email trait is an attribute of the anonymousId person',
    { type: 'identify', anonymousId: 'anon-1', timestamp: TIME, traits: { email: 'test@gmail.com' } },
    sent(
      person(
        'identify',
        { id: 'anon-1' },
        {
          attributes: { email: 'test@gmail.com', created_at: SECONDS, anonymous_id: 'anon-1' },
          timestamp: SECONDS,
        },
      ),
    ),
  ],
  [
    'rudderstack 1: traits sent only in context.traits (RudderStack SDKs) are the attributes',
    {
      type: 'identify',
      userId: 'u1',
      timestamp: TIME,
      context: { traits: { email: 'c@example.com', createdAt: '2014-01-01T00:00:00Z' } },
    },
    sent(
      person(
        'identify',
        { id: 'u1' },
        { attributes: { email: 'c@example.com', created_at: 1388534400 }, timestamp: SECONDS },
      ),
    ),
  ],
  [
    'rudderstack 1 (§4 #5): cio_<id> as userId addresses the cio_id',
    {
      type: 'identify',
      userId: 'cio_1234',
      timestamp: TIME,
      traits: { email: 'updated_email@example.com', id: 'updated-id-value' },
    },
    sent(
      person(
        'identify',
        { cio_id: '1234' },
        {
          attributes: { email: 'updated_email@example.com', id: 'updated-id-value', created_at: SECONDS },
          timestamp: SECONDS,
        },
      ),
    ),
  ],
  [
    'rudderstack 2 (§4 #23): ISO-8601 trait values are sent as strings',
    { type: 'identify', userId: 'u1', timestamp: TIME, traits: { trial_end: '2024-01-01T00:00:00Z' } },
    sent(
      person(
        'identify',
        { id: 'u1' },
        { attributes: { trial_end: '2024-01-01T00:00:00Z', created_at: SECONDS }, timestamp: SECONDS },
      ),
    ),
  ],
  // Page, screen, track, alias (seed)
  [
    'rudderstack 3: page("home", {...}) is a page view named home, with its properties',
    {
      type: 'page',
      userId: 'u1',
      name: 'home',
      timestamp: TIME,
      properties: { path: 'path', url: 'url', title: 'title', search: 'search', referrer: 'referrer' },
    },
    sent(
      person(
        'page',
        { id: 'u1' },
        {
          name: 'home',
          attributes: { path: 'path', url: 'url', title: 'title', search: 'search', referrer: 'referrer' },
          timestamp: SECONDS,
        },
      ),
    ),
  ],
  [
    'rudderstack 3: a page without a name is named after properties.url',
    { type: 'page', userId: 'u1', properties: { url: 'www.rudderlabs.com' } },
    sent(
      person('page', { id: 'u1' }, { name: 'www.rudderlabs.com', attributes: { url: 'www.rudderlabs.com' } }),
    ),
  ],
  [
    'rudderstack 3 (§4 #10, #11): a page with neither name nor URL is rejected',
    { type: 'page', userId: 'u1' },
    sent({ rejected: 'missing_field' }),
  ],
  [
    'rudderstack 4: screen "Main" with properties is the event Viewed Main Screen',
    { type: 'screen', userId: 'u1', event: 'Main', properties: { prop_key: 'prop_value' } },
    sent(
      person('event', { id: 'u1' }, { name: 'Viewed Main Screen', attributes: { prop_key: 'prop_value' } }),
    ),
  ],
  [
    'rudderstack 4: the screen name is event, else properties.name, else the top-level name (§4 #13)',
    { type: 'screen', userId: 'u1', name: 'Home' },
    sent(person('event', { id: 'u1' }, { name: 'Viewed Home Screen' })),
  ],
  [
    'rudderstack 4 (§4 #12): a screen without a name is Viewed undefined Screen, also when anonymous',
    { type: 'screen', anonymousId: 'anon-1' },
    sent(person('event', { anonymous_id: 'anon-1' }, { name: 'Viewed undefined Screen' })),
  ],
  [
    'rudderstack 5: track("Track me", {...}) is an event with its properties',
    {
      type: 'track',
      userId: 'u1',
      event: 'Track me',
      messageId: 'm-1',
      timestamp: TIME,
      properties: { category: 'category', label: 'label', value: 'value' },
    },
    sent(
      person(
        'event',
        { id: 'u1' },
        {
          name: 'Track me',
          id: 'm-1',
          attributes: { category: 'category', label: 'label', value: 'value' },
          timestamp: SECONDS,
        },
      ),
    ),
  ],
  [
    'rudderstack 5 (§4 #8): an anonymous event goes to its anonymous_id, its name cut to 100 bytes',
    { type: 'track', anonymousId: 'anon-1', event: `a${'é'.repeat(60)}` },
    sent(person('event', { anonymous_id: 'anon-1' }, { name: `a${'é'.repeat(49)}` })),
  ],
  [
    'rudderstack 5 (§4 #9): an identified event name over 100 bytes is sent whole',
    { type: 'track', userId: 'u1', event: 'y'.repeat(120) },
    sent(person('event', { id: 'u1' }, { name: 'y'.repeat(120) })),
  ],
  [
    'rudderstack 4 (§4 #8): an anonymous screen keeps "Viewed … Screen", its own name cut to 86 bytes',
    { type: 'screen', anonymousId: 'anon-1', event: 'z'.repeat(90) },
    sent(person('event', { anonymous_id: 'anon-1' }, { name: `Viewed ${'z'.repeat(86)} Screen` })),
  ],
  [
    'rudderstack 3 (§4 #8): an anonymous page name is cut to 100 bytes too',
    { type: 'page', anonymousId: 'anon-1', name: 'p'.repeat(101) },
    sent(person('page', { anonymous_id: 'anon-1' }, { name: 'p'.repeat(100) })),
  ],
  [
    'rudderstack 6: alias("test_new_id", "old_user_id") merges the two people',
    { type: 'alias', userId: 'test_new_id', previousId: 'old_user_id' },
    sent(merge({ id: 'test_new_id' }, { id: 'old_user_id' })),
  ],
  [
    'rudderstack 6 (§4 #19): an email-shaped side of an alias is an email',
    { type: 'alias', userId: 'a@example.com', previousId: 'old_user_id' },
    sent(merge({ email: 'a@example.com' }, { id: 'old_user_id' })),
  ],
  [
    'rudderstack 6 (§4 #18): an alias without a userId is rejected',
    { type: 'alias', anonymousId: 'anon-1', previousId: 'old_user_id' },
    sent({ rejected: 'missing_field' }),
  ],
  // Devices (seed: "Device token registration")
  [
    'rudderstack 7: Application Installed with a token registers the device, properties as its attributes',
    {
      type: 'track',
      userId: '12345',
      event: 'Application Installed',
      properties: REVIEW,
      context: ANDROID,
      timestamp: TIME,
    },
    sent(
      person(
        'add_device',
        { id: '12345' },
        { device: { token: 'abcxyz', platform: 'android', last_used: SECONDS, attributes: REVIEW } },
      ),
    ),
  ],
  [
    'rudderstack 7: Application Opened registers the device too',
    { type: 'track', userId: '12345', event: 'Application Opened', context: ANDROID, timestamp: TIME },
    sent(
      person(
        'add_device',
        { id: '12345' },
        { device: { token: 'abcxyz', platform: 'android', last_used: SECONDS, attributes: {} } },
      ),
    ),
  ],
  [
    'rudderstack 7: the "Event sent after setting device token" (device_token_registered) registers the device',
    {
      type: 'track',
      userId: '12345',
      event: 'device_token_registered',
      context: { device: { token: 'abcxyz', type: 'iPadOS' } },
      timestamp: TIME,
    },
    sent(
      person(
        'add_device',
        { id: '12345' },
        { device: { token: 'abcxyz', platform: 'ios', last_used: SECONDS, attributes: {} } },
      ),
    ),
  ],
  [
    'rudderstack 7 (§4 #17): a device type outside Apple’s is lower-cased and sent (Customer.io refuses "mobile")',
    {
      type: 'track',
      userId: '12345',
      event: 'Application Opened',
      context: { device: { token: 't', type: 'Mobile' } },
    },
    sent(
      person('add_device', { id: '12345' }, { device: { token: 't', platform: 'mobile', attributes: {} } }),
    ),
  ],
  [
    'rudderstack 8: Application Uninstalled deletes the device',
    { type: 'track', userId: '12345', event: 'Application Uninstalled', context: ANDROID },
    sent(person('delete_device', { id: '12345' }, { device: { token: 'abcxyz' } })),
  ],
  [
    'rudderstack 7 (§4 #14): Application Installed without a token is an ordinary event',
    { type: 'track', userId: '12345', event: 'Application Installed', properties: REVIEW },
    sent(person('event', { id: '12345' }, { name: 'Application Installed', attributes: REVIEW })),
  ],
  [
    'rudderstack 7 (§4 #15): Application Opened with a token but no userId is an anonymous event',
    { type: 'track', anonymousId: 'anon-1', event: 'Application Opened', context: ANDROID },
    sent(person('event', { anonymous_id: 'anon-1' }, { name: 'Application Opened' })),
  ],
  [
    'rudderstack 8 (§4 #16): Application Uninstalled without a token, or without a userId, is rejected',
    { type: 'track', userId: '12345', event: 'Application Uninstalled' },
    sent({ rejected: 'missing_field' }),
  ],
  [
    'rudderstack 8 (§4 #16): Application Uninstalled of an anonymous user is rejected',
    { type: 'track', anonymousId: 'anon-1', event: 'Application Uninstalled', context: ANDROID },
    sent({ rejected: 'missing_field' }),
  ],
  // Consent (seed: "Connection settings")
  [
    'rudderstack 9: an event whose deniedConsentIds holds the consent category is filtered',
    {
      type: 'track',
      userId: 'u1',
      event: 'Track me',
      context: { consentManagement: { deniedConsentIds: ['Analytics', 'Marketing'] } },
    },
    { filtered: 'the user denied consent category "Marketing" (context.consentManagement.deniedConsentIds)' },
  ],
  [
    'rudderstack 9: other denied categories do not stop the event',
    {
      type: 'identify',
      userId: 'u1',
      timestamp: TIME,
      context: { consentManagement: { allowedConsentIds: ['Marketing'], deniedConsentIds: ['Analytics'] } },
    },
    sent(person('identify', { id: 'u1' }, { attributes: { created_at: SECONDS }, timestamp: SECONDS })),
  ],
  // Group (RudderStack's code: Customer.io objects)
  [
    'rudderstack 10: group creates the object and relates the user to it',
    {
      type: 'group',
      userId: 'user@1',
      groupId: 'group@1',
      traits: { name: 'rudderstack', domainNames: 'rudderstack.com' },
    },
    sent({
      type: 'object',
      action: 'identify',
      attributes: { name: 'rudderstack', domainNames: 'rudderstack.com' },
      cio_relationships: [{ identifiers: { id: 'user@1' } }],
      identifiers: { object_id: 'group@1', object_type_id: '1' },
    }),
  ],
  [
    'rudderstack 10 (§4 #22): a group call without a userId creates the object with no relationship',
    { type: 'group', anonymousId: 'anon-1', groupId: 'g1', traits: { name: 'Acme', objectTypeId: '2' } },
    sent({
      type: 'object',
      action: 'identify',
      attributes: { name: 'Acme' },
      identifiers: { object_id: 'g1', object_type_id: '2' },
    }),
  ],
  // Refused at ingest, before any profile (§4)
  ...refusedAtIngest('rudderstack'),
  [
    'rudderstack (§4 #20): a group without groupId is refused at ingest',
    { type: 'group', userId: 'u1' },
    { invalid: 'missing_field' },
  ],
  [
    'rudderstack 5 (§4 #2, #24, #25): type is read case-insensitively; ids are kept raw, numbers as strings',
    { type: 'Track', userId: 'a/b c', event: 'E', properties: { n: 1 } },
    sent(person('event', { id: 'a/b c' }, { name: 'E', attributes: { n: 1 } })),
  ],
];

describe('the rudderstack profile', () => {
  it.each(rows)('%s', (_label, event, expected) => {
    expect(rudderstack(event)).toEqual(expected);
  });
});

describe('the rudderstack profile: settings', () => {
  it('rudderstack 7: without deviceTokenEventName, device_token_registered is an ordinary event', () => {
    const route = profileRouter(rudderstackProfile);
    const event = { type: 'track', userId: 'u1', event: 'device_token_registered', context: ANDROID };
    expect(route(event)).toEqual(sent(person('event', { id: 'u1' }, { name: 'device_token_registered' })));
  });

  it('rudderstack 9: without consentCategory, denied consents do not stop events', () => {
    const route = profileRouter(rudderstackProfile);
    const event = {
      type: 'track',
      userId: 'u1',
      event: 'E',
      context: { consentManagement: { deniedConsentIds: ['Marketing'] } },
    };
    expect(route(event)).toEqual(sent(person('event', { id: 'u1' }, { name: 'E' })));
  });
});
