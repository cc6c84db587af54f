import type { ActionDef } from '../fields.js';
import type { MetricsBody } from '../operation.js';
import { toUnixSeconds } from '../timestamps.js';

const METRICS = ['delivered', 'opened', 'clicked', 'converted', 'spammed', 'bounced', 'dropped', 'deferred'];

function text(label: string, description: string, path: string) {
  return { label, type: 'string' as const, description, default: { '@path': path } };
}

export const reportDeliveryEvent: ActionDef = {
  key: 'reportDeliveryEvent',
  title: 'Report Delivery Event',
  description: 'Report delivery metrics for a message sent by Customer.io Journeys (POST /api/v1/metrics).',
  defaultTrigger: 'event = "Report Delivery Event"',
  endpoint: 'metrics',
  fields: {
    delivery_id: {
      ...text('Delivery ID', 'The CIO-Delivery-ID of the message.', '$.properties.deliveryId'),
      required: true,
    },
    metric: {
      ...text('Metric', 'The metric to report.', '$.properties.metric'),
      required: true,
      choices: METRICS,
    },
    recipient: text('Recipient', 'Who the message was delivered to.', '$.properties.recipient'),
    reason: text('Reason', 'Why a failure metric happened.', '$.properties.reason'),
    href: text('Href', 'For click metrics, the link that was clicked.', '$.properties.href'),
    action_name: text('Action Name', 'For in-app messages, the action clicked.', '$.properties.actionName'),
    action_value: text(
      'Action Value',
      'For in-app messages, the value of the action.',
      '$.properties.actionValue',
    ),
    timestamp: {
      label: 'Timestamp',
      type: 'datetime',
      description: 'When the metric event took place. Default is when the event was processed.',
      default: { '@path': '$.timestamp' },
    },
  },
  build(p, context) {
    const seconds = Number(toUnixSeconds(p['timestamp']));
    const body: MetricsBody = {
      delivery_id: p['delivery_id'] as string,
      metric: p['metric'] as string,
      timestamp: Number.isNaN(seconds) ? Math.floor(context.now() / 1000) : seconds,
    };
    for (const key of ['recipient', 'reason', 'href'] as const) {
      const value = p[key] as string | undefined;
      if (value !== undefined) body[key] = value;
    }
    if (p['action_name'] !== undefined || p['action_value'] !== undefined) {
      body.metadata = {};
      if (p['action_name'] !== undefined) body.metadata.action_name = p['action_name'] as string;
      if (p['action_value'] !== undefined) body.metadata.action_value = p['action_value'] as string;
    }
    return { endpoint: 'metrics', body, key: `delivery:${body.delivery_id}` };
  },
};
