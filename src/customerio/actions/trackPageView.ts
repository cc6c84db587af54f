import { activityFields, activityOperation } from '../activity.js';
import { type ActionDef, ifExists } from '../fields.js';

export const trackPageView: ActionDef = {
  key: 'trackPageView',
  title: 'Track Page View',
  description: 'Track a page view for a known or anonymous person.',
  defaultTrigger: 'type = "page"',
  endpoint: 'v2',
  fields: activityFields('url', {
    label: 'Page URL',
    type: 'string',
    description: 'The URL of the page visited.',
    required: true,
    // Correction 4: server-side sources put the URL in context.page.url only.
    default: ifExists('$.properties.url', '$.context.page.url'),
  }),
  build(p) {
    return activityOperation(this, 'page', p['url'], p);
  },
};
