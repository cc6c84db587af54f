/**
 * Report Delivery Event: which metrics go as Track API v2 `type:"delivery"` events (batched with the
 * rest) and which stay `/api/v1/metrics` requests (docs/behaviour.md, correction 10).
 */
import { describe, expect, it } from 'vitest';
import { ACTIONS } from '../../src/customerio/index.js';
import { NOW, run } from './helpers.js';

/** A Report Delivery Event; `timestamp: null` leaves the event without one. */
function metricEvent(properties: Record<string, unknown>, timestamp: string | null = '2024-03-01T05:01:00Z') {
  return {
    type: 'track',
    event: 'Report Delivery Event',
    userId: 'u',
    ...(timestamp !== null && { timestamp }),
    properties: { deliveryId: 'dlv_1', ...properties },
  };
}

describe('correction 10: delivery metrics as v2 delivery events where v2 has the same effect', () => {
  it.each(['delivered', 'opened', 'converted'])(
    'a bare %s metric is a v2 delivery event, batched like any v2 operation',
    (metric) => {
      expect(run('reportDeliveryEvent', metricEvent({ metric }))).toEqual({
        endpoint: 'v2',
        key: 'delivery:dlv_1',
        body: {
          type: 'delivery',
          action: 'event',
          name: metric,
          attributes: {},
          timestamp: 1709269260,
          identifiers: { id: 'dlv_1' },
        },
      });
    },
  );

  it('uses the processing time when the event has no timestamp, as the v1 body does', () => {
    const result = run('reportDeliveryEvent', metricEvent({ metric: 'opened' }, null));
    expect(result).toMatchObject({ endpoint: 'v2', body: { timestamp: NOW / 1000 } });
  });

  it.each(['clicked', 'spammed', 'bounced', 'dropped', 'deferred'])(
    '%s has no v2 form: it stays a /api/v1/metrics request',
    (metric) => {
      expect(run('reportDeliveryEvent', metricEvent({ metric }))).toEqual({
        endpoint: 'metrics',
        key: 'delivery:dlv_1',
        body: { delivery_id: 'dlv_1', metric, timestamp: 1709269260 },
      });
    },
  );

  it.each([
    ['recipient', { recipient: 'jane@example.com' }, { recipient: 'jane@example.com' }],
    ['reason', { reason: 'late' }, { reason: 'late' }],
    ['href', { href: 'https://example.com' }, { href: 'https://example.com' }],
    ['action_name', { actionName: 'buy' }, { metadata: { action_name: 'buy' } }],
    ['action_value', { actionValue: '9' }, { metadata: { action_value: '9' } }],
  ])('an opened metric carrying %s, which v2 has no place for, stays a v1 request', (_field, extra, sent) => {
    expect(run('reportDeliveryEvent', metricEvent({ metric: 'opened', ...extra }))).toEqual({
      endpoint: 'metrics',
      key: 'delivery:dlv_1',
      body: { delivery_id: 'dlv_1', metric: 'opened', timestamp: 1709269260, ...sent },
    });
  });

  it('empty values count as absent (the payload drops them), so the metric still goes v2', () => {
    const result = run(
      'reportDeliveryEvent',
      metricEvent({ metric: 'delivered', recipient: '', reason: null }),
    );
    expect(result).toMatchObject({ endpoint: 'v2', body: { type: 'delivery', name: 'delivered' } });
  });

  it('the action says it sends to either endpoint', () => {
    expect(ACTIONS.reportDeliveryEvent.endpoint).toBe('v2 or metrics');
  });
});
