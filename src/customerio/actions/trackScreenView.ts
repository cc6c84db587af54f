import { activityFields, activityOperation } from '../activity.js';
import type { ActionDef } from '../fields.js';

export const trackScreenView: ActionDef = {
  key: 'trackScreenView',
  title: 'Track Screen View',
  description: 'Track a screen view for a known or anonymous person.',
  defaultTrigger: 'type = "screen"',
  endpoint: 'v2',
  fields: activityFields('name', {
    label: 'Screen name',
    type: 'string',
    description: 'The name of the screen visited.',
    required: true,
    default: { '@path': '$.name' },
  }),
  build(p) {
    return activityOperation(this, 'screen', p['name'], p);
  },
};
