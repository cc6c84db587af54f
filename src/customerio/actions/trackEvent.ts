import { activityFields, activityOperation } from '../activity.js';
import type { ActionDef } from '../fields.js';

export const trackEvent: ActionDef = {
  key: 'trackEvent',
  title: 'Track Event',
  description: 'Track an event for a known or anonymous person.',
  defaultTrigger:
    'type = "track" and event != "Application Installed" and event != "Application Opened" and event != "Application Uninstalled" and event != "Device Created or Updated" and event != "Device Deleted" and event != "Relationship Deleted" and event != "User Deleted" and event != "User Suppressed" and event != "User Unsuppressed" and event != "Object Deleted" and event != "Report Delivery Event" and event != "Report Content Event"',
  endpoint: 'v2',
  fields: activityFields('name', {
    label: 'Event Name',
    type: 'string',
    description: 'The name of the event.',
    required: true,
    default: { '@path': '$.event' },
  }),
  build(p) {
    return activityOperation(this, 'event', p['name'], p);
  },
};
