/**
 * Delivery metrics: v1 `POST /metrics` (`{delivery_id, metric, timestamp, recipient?, reason?,
 * href?, metadata?}`, segment-actions.md §5.12) and v2 `type:"delivery"` events. They are recorded
 * in arrival order; no person is changed. A missing timestamp means "now", as Segment does.
 */
import { optionalObject, optionalSeconds, optionalString, parseIdentifier } from './fields.js';
import { METRICS, type MetricOp, type Operation } from './operations.js';
import type { Context, Prepared } from './prepared.js';
import { cloneJson, type Failure, fail, isFailure, isRecord } from './util.js';

export function parseV1Metric(body: unknown): Operation | Failure {
  if (!isRecord(body)) return fail('invalid', '', 'The body must be a JSON object.');
  const deliveryId = parseIdentifier(body['delivery_id'], 'delivery_id', 'delivery_id');
  if (isFailure(deliveryId)) return deliveryId;
  const metric = body['metric'];
  if (metric === undefined || metric === null || metric === '') {
    return fail('required', 'metric', 'metric is required.');
  }
  if (typeof metric !== 'string' || !(METRICS as readonly string[]).includes(metric)) {
    return fail('invalid', 'metric', `metric must be one of ${METRICS.join(', ')}.`);
  }
  const timestamp = optionalSeconds(body['timestamp'], 'timestamp');
  if (isFailure(timestamp)) return timestamp;
  const op: MetricOp = { op: 'metric', deliveryId, metric, ...(timestamp !== undefined && { timestamp }) };
  for (const name of ['recipient', 'reason', 'href'] as const) {
    const value = optionalString(body[name], name);
    if (isFailure(value)) return value;
    if (value !== undefined) op[name] = value;
  }
  if (body['metadata'] !== undefined && body['metadata'] !== null) {
    const metadata = optionalObject(body['metadata'], 'metadata');
    if (isFailure(metadata)) return metadata;
    op.metadata = metadata;
  }
  return op;
}

export function prepareMetric(ctx: Context, op: MetricOp): Prepared {
  return () => {
    ctx.state.metrics.push({
      delivery_id: op.deliveryId,
      metric: op.metric,
      timestamp: op.timestamp ?? ctx.now,
      ...(op.recipient !== undefined && { recipient: op.recipient }),
      ...(op.reason !== undefined && { reason: op.reason }),
      ...(op.href !== undefined && { href: op.href }),
      // A copy: the state never shares a reference with the caller's input.
      ...(op.metadata !== undefined && { metadata: cloneJson(op.metadata) }),
    });
  };
}
