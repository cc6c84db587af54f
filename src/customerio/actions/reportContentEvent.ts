import { omitKeys } from '../../objects.js';
import { personOperation } from '../bodies.js';
import {
  type ActionDef,
  anonymousIdField,
  convertTimestampsField,
  eventDataField,
  timestampField,
} from '../fields.js';
import { convertTimestampsIn, toUnixSeconds } from '../timestamps.js';

export const reportContentEvent: ActionDef = {
  key: 'reportContentEvent',
  title: 'Report Content Event',
  description: 'Report that an anonymous visitor viewed or clicked content.',
  defaultTrigger: 'event = "Report Content Event"',
  endpoint: 'v2',
  fields: {
    anonymous_id: anonymousIdField,
    actionType: {
      label: 'Action Type',
      type: 'string',
      description: 'viewed_content or clicked_content.',
      required: true,
      choices: ['viewed_content', 'clicked_content'],
      default: { '@path': '$.properties.actionType' },
    },
    timestamp: timestampField,
    data: eventDataField,
    convert_timestamp: convertTimestampsField,
  },
  build(p) {
    const actionType = p['actionType'] as string;
    const own = omitKeys(p['data'] as object | undefined, ['actionType']);
    return personOperation(
      this,
      actionType,
      { anonymous_id: p['anonymous_id'] as string | undefined },
      {
        name: actionType,
        attributes: p['convert_timestamp'] === true ? convertTimestampsIn(own) : own,
        timestamp: toUnixSeconds(p['timestamp']),
      },
      'an anonymousId (content events are attributed to an anonymous visitor)',
    );
  },
};
