import { personOperation } from '../bodies.js';
import {
  type ActionDef,
  anonymousIdField,
  convertTimestampsField,
  eventDataField,
  eventIdField,
  ifExists,
  personIdField,
  timestampField,
} from '../fields.js';
import { convertTimestampsIn, toUnixSeconds } from '../timestamps.js';

export const trackPageView: ActionDef = {
  key: 'trackPageView',
  title: 'Track Page View',
  description: 'Track a page view for a known or anonymous person.',
  defaultTrigger: 'type = "page"',
  endpoint: 'v2',
  fields: {
    id: personIdField(false, 'The ID used to uniquely identify a person in Customer.io.'),
    anonymous_id: anonymousIdField,
    event_id: eventIdField,
    url: {
      label: 'Page URL',
      type: 'string',
      description: 'The URL of the page visited.',
      required: true,
      // Correction 4: server-side sources put the URL in context.page.url only.
      default: ifExists('$.properties.url', '$.context.page.url'),
    },
    timestamp: timestampField,
    data: eventDataField,
    convert_timestamp: convertTimestampsField,
  },
  build(p) {
    const data = p['data'];
    return personOperation(
      this,
      'page',
      { person_id: p['id'] as string | undefined, anonymous_id: p['anonymous_id'] as string | undefined },
      {
        name: p['url'],
        attributes: p['convert_timestamp'] === true ? convertTimestampsIn(data) : data,
        id: p['event_id'],
        timestamp: toUnixSeconds(p['timestamp']),
      },
      'a userId or an anonymousId',
    );
  },
};
