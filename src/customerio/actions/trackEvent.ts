import { personOperation } from '../bodies.js';
import {
  type ActionDef,
  anonymousIdField,
  convertTimestampsField,
  eventDataField,
  eventIdField,
  personIdField,
  timestampField,
} from '../fields.js';
import { convertTimestampsIn, toUnixSeconds } from '../timestamps.js';

export const trackEvent: ActionDef = {
  key: 'trackEvent',
  title: 'Track Event',
  description: 'Track an event for a known or anonymous person.',
  defaultTrigger:
    'type = "track" and event != "Application Installed" and event != "Application Opened" and event != "Application Uninstalled" and event != "Device Created or Updated" and event != "Device Deleted" and event != "Relationship Deleted" and event != "User Deleted" and event != "User Suppressed" and event != "User Unsuppressed" and event != "Object Deleted" and event != "Report Delivery Event" and event != "Report Content Event"',
  endpoint: 'v2',
  fields: {
    id: personIdField(false, 'The ID used to uniquely identify a person in Customer.io.'),
    anonymous_id: anonymousIdField,
    name: {
      label: 'Event Name',
      type: 'string',
      description: 'The name of the event.',
      required: true,
      default: { '@path': '$.event' },
    },
    event_id: eventIdField,
    timestamp: timestampField,
    data: eventDataField,
    convert_timestamp: convertTimestampsField,
  },
  build(p) {
    const data = p['data'];
    return personOperation(
      this,
      'event',
      { person_id: p['id'] as string | undefined, anonymous_id: p['anonymous_id'] as string | undefined },
      {
        name: p['name'],
        id: p['event_id'],
        attributes: p['convert_timestamp'] === true ? convertTimestampsIn(data) : data,
        timestamp: toUnixSeconds(p['timestamp']),
      },
      'a userId or an anonymousId',
    );
  },
};
