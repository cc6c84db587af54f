/**
 * The `classic` profile: Segment's Customer.io (Classic) destination as its documentation (seed
 * 000) describes it, sent as Track API v2 operations that leave the workspace as Classic's v1
 * requests do (rudderstack-classic-trackapi.md §2.5). Choices: docs/behaviour.md, "classic".
 */
import { DEVICE_IDS, DEVICE_MAPPING, deviceTriggers, firstOf, screenName } from './presets.js';
import type { Profile, ProfileSettings } from './types.js';

const DEVICE = deviceTriggers(['Application Installed', 'Application Opened']);

function presets(settings: ProfileSettings) {
  const convert_timestamp = settings['convertToUnixTime'] === true;
  // Classic has no anonymous events and no objects: no anonymous_id, no relationships.
  const activity = { anonymous_id: null, convert_timestamp };
  return [
    {
      name: 'Identify',
      trigger: 'type = "identify"',
      action: 'createUpdatePerson',
      // Classic's identify has no _timestamp (§2.3).
      mapping: {
        id: { '@path': '$.userId' },
        anonymous_id: null,
        group_id: null,
        timestamp: null,
        convert_timestamp,
      },
      // Customer.io takes created_at in Unix seconds only, whatever convertToUnixTime says.
      adjust: ['unixTimes'],
    },
    {
      name: 'Device',
      trigger: DEVICE.register,
      action: 'createUpdateDevice',
      // Classic documents {id, platform, last_used} (§2.5): the event's properties stay off the device.
      mapping: { ...DEVICE_MAPPING, attributes: null },
      adjust: ['unixTimes'],
    },
    { name: 'Delete Device', trigger: DEVICE.uninstall, action: 'deleteDevice', mapping: DEVICE_IDS },
    { name: 'Track', trigger: DEVICE.event, action: 'trackEvent', mapping: activity },
    {
      name: 'Page',
      trigger: 'type = "page"',
      action: 'trackPageView',
      mapping: { ...activity, url: firstOf(['$.name', '$.properties.url', '$.context.page.url']) },
    },
    {
      name: 'Screen',
      trigger: 'type = "screen"',
      action: 'trackEvent',
      mapping: { ...activity, name: screenName(['$.name', '$.properties.name'], 'Undefined') },
    },
  ];
}

export const classicProfile: Profile = {
  name: 'classic',
  description: "Segment's Customer.io (Classic) destination",
  settings: [
    {
      key: 'convertToUnixTime',
      type: 'boolean',
      default: true,
      description:
        'classic: Convert To Unix Time. ISO-8601 values in traits and properties are sent as Unix seconds (default true).',
    },
    {
      key: 'idOnly',
      type: 'boolean',
      default: false,
      description:
        'classic: the workspace identifies people by id only, so a userId is always an id, even when it looks like an email (default false).',
    },
  ],
  presets,
  filters: () => [
    {
      name: 'No userId',
      trigger: 'userId = null',
      filter: 'Segment Classic sends only events with a userId: it has no anonymous events',
    },
    {
      name: 'Group and alias',
      trigger: 'type = "group" or type = "alias"',
      filter: 'Segment Classic sends identify, track, page and screen calls only',
    },
  ],
  adjust: (settings) => (settings['idOnly'] === true ? ['idOnly'] : []),
};
