/**
 * Parse one v2 operation (a `/api/v2/entity` body or one `batch` item) into an internal operation,
 * or the first failure with Customer.io's `reason` / `field` / `message`. State is not consulted
 * here; rules that depend on state (conflicts, suppression, 300 attributes after applying) are
 * checked by `apply.ts` before anything changes.
 */
import { LIMITS } from '../contract.js';
import { optionalSeconds, optionalString, parseIdentifier } from './fields.js';
import { fitsJson } from './json-size.js';
import { DELIVERY_EVENT_METRICS, type Operation } from './operations.js';
import { type Failure, fail, isFailure, isRecord } from './util.js';
import { OBJECT_ACTIONS, parseObjectOp } from './v2-object.js';
import { PERSON_ACTIONS, parsePersonOp } from './v2-person.js';

const ACTIONS: Record<string, readonly string[]> = {
  person: PERSON_ACTIONS,
  object: OBJECT_ACTIONS,
  delivery: ['event'],
};

export interface ParseOptions {
  /**
   * The 32 KB limit belongs to v2 operations; v1 requests translated into v2 shapes pass false,
   * since v1 documents only the per-field limits (an event's data may reach 100 KB).
   */
  entityLimit?: boolean;
  /** The operation's compact JSON size when the caller measured it (`V2Options.bytes`). */
  bytes?: number | undefined;
}

export function parseV2(input: unknown, options: ParseOptions = {}): Operation | Failure {
  if (!isRecord(input)) return fail('invalid', '', 'An operation must be a JSON object.');
  if (options.entityLimit !== false && !withinEntityLimit(input, options.bytes)) {
    return fail('too_large', '', `An operation must be at most ${LIMITS.entityBytes} bytes.`);
  }
  const type = input['type'];
  if (type === undefined || type === null || type === '') {
    return fail('required', 'type', 'type is required (person, object or delivery).');
  }
  const actions = typeof type === 'string' ? ACTIONS[type] : undefined;
  if (typeof type !== 'string' || actions === undefined || !Object.hasOwn(ACTIONS, type)) {
    return fail('invalid', 'type', `type must be person, object or delivery, not ${JSON.stringify(type)}.`);
  }
  const action = input['action'];
  if (action === undefined || action === null || action === '') {
    return fail('required', 'action', 'action is required.');
  }
  if (typeof action !== 'string' || !actions.includes(action)) {
    return fail(
      'invalid',
      'action',
      `${JSON.stringify(action)} is not a ${type} action; expected one of ${actions.join(', ')}.`,
    );
  }
  // Event data is part of the operation, so an operation within 32 KB has data within 100 KB.
  if (type === 'person') return parsePersonOp(input, action, options.entityLimit !== false);
  if (type === 'object') return parseObjectOp(input, action);
  return parseDelivery(input);
}

/** The 32 KB limit, checked once: on the caller's measure when given, else on our own. */
function withinEntityLimit(input: Record<string, unknown>, bytes: number | undefined): boolean {
  return bytes === undefined ? fitsJson(input, LIMITS.entityBytes) : bytes <= LIMITS.entityBytes;
}

/**
 * `type:"delivery", action:"event"`: a delivery metric addressed by `identifiers.id` = delivery id,
 * named by `name`, one of delivered, opened, converted (rudderstack-classic-trackapi.md §3.4 and
 * Customer.io's `delivery_operations` schema, which also requires `attributes`). It is recorded
 * like a v1 `/metrics` call with the same delivery id, metric and timestamp; non-empty
 * `attributes` (`device_token`) become the metric's metadata.
 */
function parseDelivery(op: Record<string, unknown>): Operation | Failure {
  const identifiers = op['identifiers'];
  if (!isRecord(identifiers)) {
    return fail('required', 'identifiers', 'A delivery event needs identifiers.id (the delivery id).');
  }
  const deliveryId = parseIdentifier(identifiers['id'], 'identifiers.id', 'The delivery id');
  if (isFailure(deliveryId)) return deliveryId;
  const metric = op['name'];
  if (metric === undefined || metric === null || metric === '') {
    return fail('required', 'name', 'A delivery event needs a name (the metric).');
  }
  if (typeof metric !== 'string' || !(DELIVERY_EVENT_METRICS as readonly string[]).includes(metric)) {
    return fail(
      'invalid',
      'name',
      `name must be one of ${DELIVERY_EVENT_METRICS.join(', ')}; other metrics go to /api/v1/metrics.`,
    );
  }
  const timestamp = optionalSeconds(op['timestamp'], 'timestamp');
  if (isFailure(timestamp)) return timestamp;
  const metadata = op['attributes'];
  if (metadata === undefined || metadata === null) {
    return fail(
      'required',
      'attributes',
      'A delivery event needs attributes (an object, which may be empty).',
    );
  }
  if (!isRecord(metadata)) return fail('invalid', 'attributes', 'attributes must be a JSON object.');
  const token = optionalString(metadata['device_token'], 'attributes.device_token');
  if (isFailure(token)) return token;
  return {
    op: 'metric',
    deliveryId,
    metric,
    ...(timestamp !== undefined && { timestamp }),
    ...(Object.keys(metadata).length > 0 && { metadata }),
  };
}
