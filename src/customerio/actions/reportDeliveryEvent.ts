import type { ActionDef, Payload } from '../fields.js';
import type { MetricsBody, Operation } from '../operation.js';
import { toUnixSeconds } from '../timestamps.js';

const METRICS = ['delivered', 'opened', 'clicked', 'converted', 'spammed', 'bounced', 'dropped', 'deferred'];

/** The metrics Track API v2 accepts as `type:"delivery"` events (its `name` enum). */
const V2_DELIVERY_METRICS: readonly string[] = ['delivered', 'opened', 'converted'];

/**
 * Fields a v2 delivery event has no place for (it carries only `identifiers.id`, `name`,
 * `timestamp` and `attributes.device_token`): a metric with any of them stays a v1 request, so
 * nothing of the event is lost.
 */
const V1_ONLY_FIELDS = ['recipient', 'reason', 'href', 'action_name', 'action_value'] as const;

function text(label: string, description: string, path: string) {
  return { label, type: 'string' as const, description, default: { '@path': path } };
}

export const reportDeliveryEvent: ActionDef = {
  key: 'reportDeliveryEvent',
  title: 'Report Delivery Event',
  description:
    'Report delivery metrics for a message sent by Customer.io Journeys (a v2 delivery event when v2 can carry it, else POST /api/v1/metrics).',
  defaultTrigger: 'event = "Report Delivery Event"',
  endpoint: 'v2 or metrics',
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
    const timestamp = Number.isNaN(seconds) ? Math.floor(context.now() / 1000) : seconds;
    const deliveryId = p['delivery_id'] as string;
    const metric = p['metric'] as string;
    if (fitsV2(p, metric)) return deliveryEvent(deliveryId, metric, timestamp);
    const body: MetricsBody = { delivery_id: deliveryId, metric, timestamp };
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

/** Whether v2 has the same effect as `/api/v1/metrics` for this payload (docs/behaviour.md, correction 10). */
function fitsV2(p: Payload, metric: string): boolean {
  return V2_DELIVERY_METRICS.includes(metric) && V1_ONLY_FIELDS.every((key) => p[key] === undefined);
}

/**
 * The v2 form: `attributes` is sent empty because Customer.io's schema lists it as required (its
 * only documented key, `device_token`, has no v1 counterpart and so no field here).
 */
function deliveryEvent(deliveryId: string, metric: string, timestamp: number): Operation {
  return {
    endpoint: 'v2',
    body: {
      type: 'delivery',
      action: 'event',
      name: metric,
      attributes: {},
      timestamp,
      identifiers: { id: deliveryId },
    },
    key: `delivery:${deliveryId}`,
  };
}
