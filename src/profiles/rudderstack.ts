/**
 * The `rudderstack` profile: RudderStack's Customer.io destination as its documentation (seed 003)
 * describes it, and as its code does where the documentation is silent
 * (rudderstack-classic-trackapi.md §1), sent as Track API v2 operations that leave the workspace
 * as RudderStack's v1 requests do. Choices: docs/behaviour.md, "rudderstack".
 */
import { DEVICE_IDS, DEVICE_MAPPING, deviceTriggers, firstOf, quote, screenName } from './presets.js';
import type { Profile, ProfileSettings } from './types.js';

// RudderStack sends trait and property values as they are; only created_at and last_used become
// Unix seconds (the unixTimes adjustment).
const AS_SENT = { convert_timestamp: false };

function presets(settings: ProfileSettings) {
  const tokenEvent = settings['deviceTokenEventName'];
  const device = deviceTriggers([
    'Application Installed',
    'Application Opened',
    ...(typeof tokenEvent === 'string' ? [tokenEvent] : []),
  ]);
  return [
    {
      name: 'Identify',
      trigger: 'type = "identify"',
      action: 'createUpdatePerson',
      mapping: {
        ...AS_SENT,
        // The seed: "If [userId] is not provided, RudderStack uses anonymousId instead."
        id: firstOf(['$.userId', '$.anonymousId']),
        // RudderStack's SDKs may send identify traits in context.traits only.
        custom_attributes: firstOf(['$.traits', '$.context.traits']),
        // The email is an attribute only as one of those traits (the person is addressed by id).
        email: null,
        // The seed: createdAt as created_at, else the time of the call.
        created_at: firstOf([
          '$.traits.createdAt',
          '$.context.traits.createdAt',
          '$.timestamp',
          '$.originalTimestamp',
        ]),
        group_id: null,
      },
      adjust: ['unixTimes'],
    },
    {
      name: 'Device',
      trigger: device.register,
      action: 'createUpdateDevice',
      mapping: { ...AS_SENT, ...DEVICE_MAPPING },
      adjust: ['unixTimes', 'applePlatforms'],
    },
    { name: 'Delete Device', trigger: device.uninstall, action: 'deleteDevice', mapping: DEVICE_IDS },
    {
      name: 'Track',
      trigger: device.event,
      action: 'trackEvent',
      mapping: AS_SENT,
      adjust: ['anonymousNames'],
    },
    {
      name: 'Page',
      trigger: 'type = "page"',
      action: 'trackPageView',
      mapping: { ...AS_SENT, url: firstOf(['$.name', '$.properties.url']) },
      adjust: ['anonymousNames'],
    },
    {
      name: 'Screen',
      trigger: 'type = "screen"',
      action: 'trackEvent',
      // RudderStack's SDKs put the screen name in `event` and properties.name; Segment's in `name`.
      mapping: { ...AS_SENT, name: screenName(['$.event', '$.properties.name', '$.name'], 'undefined') },
      adjust: ['anonymousScreenNames'],
    },
    { name: 'Alias', trigger: 'type = "alias"', action: 'mergePeople' },
    {
      name: 'Group',
      trigger: 'type = "group"',
      action: 'createUpdateObject',
      // Relationships only to a known person, as RudderStack relates userId or email.
      mapping: { ...AS_SENT, anonymous_id: null },
    },
  ];
}

export const rudderstackProfile: Profile = {
  name: 'rudderstack',
  description: "RudderStack's Customer.io destination",
  settings: [
    {
      key: 'deviceTokenEventName',
      type: 'string',
      description:
        'rudderstack: "Event sent after setting device token", e.g. `device_token_registered`: a track call of this name with a device token registers the device, like Application Installed and Opened.',
    },
    {
      key: 'consentCategory',
      type: 'string',
      description:
        'rudderstack: a consent category id; events whose `context.consentManagement.deniedConsentIds` holds it are not delivered (recorded as filtered).',
    },
  ],
  presets,
  filters(settings) {
    const category = settings['consentCategory'];
    if (typeof category !== 'string') return [];
    return [
      {
        name: 'Denied consent',
        trigger: `contains(context.consentManagement.deniedConsentIds, ${quote(category)})`,
        filter: `the user denied consent category ${quote(category)} (context.consentManagement.deniedConsentIds)`,
      },
    ];
  },
  adjust: () => [],
};
