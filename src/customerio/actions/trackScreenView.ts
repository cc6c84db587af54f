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

export const trackScreenView: ActionDef = {
  key: 'trackScreenView',
  title: 'Track Screen View',
  description: 'Track a screen view for a known or anonymous person.',
  defaultTrigger: 'type = "screen"',
  endpoint: 'v2',
  fields: {
    id: personIdField(false, 'The ID used to uniquely identify a person in Customer.io.'),
    anonymous_id: anonymousIdField,
    event_id: eventIdField,
    name: {
      label: 'Screen name',
      type: 'string',
      description: 'The name of the screen visited.',
      required: true,
      default: { '@path': '$.name' },
    },
    timestamp: timestampField,
    data: eventDataField,
    convert_timestamp: convertTimestampsField,
  },
  build(p) {
    const data = p['data'];
    return personOperation(
      this,
      'screen',
      { person_id: p['id'] as string | undefined, anonymous_id: p['anonymous_id'] as string | undefined },
      {
        name: p['name'],
        attributes: p['convert_timestamp'] === true ? convertTimestampsIn(data) : data,
        id: p['event_id'],
        timestamp: toUnixSeconds(p['timestamp']),
      },
      'a userId or an anonymousId',
    );
  },
};
