/**
 * What one destination sends for one event: its operations serialised in subscription order, the
 * subscriptions that matched but could not build an operation, or the filter rule that stops it.
 * Ingest computes this ahead (prepared.ts) and delivery when it has nothing prepared (plan.ts): both
 * go through here, so the two cannot disagree.
 */
import { type BuildContext, isOperation, TRACK_LIMITS } from '../customerio/index.js';
import { type Rejection, reject } from '../errors.js';
import { routeRegulation } from './regulation.js';
import { type CompiledSubscription, filterReason, route } from './router.js';

export interface MappedOperation {
  action: string;
  endpoint: 'v2' | 'metrics';
  /** The operation's JSON text, as it goes into the request. */
  json: string;
  /** Its length in bytes (UTF-8). */
  bytes: number;
}

export interface MappedEvent {
  operations: MappedOperation[];
  rejections: Rejection[];
  /** Why the destination does not send the event (a profile's filter rule), when it does not. */
  filtered?: string | undefined;
}

export function mapEvent(
  event: Readonly<Record<string, unknown>>,
  subscriptions: readonly CompiledSubscription[],
  context: BuildContext,
): MappedEvent {
  const mapped: MappedEvent = { operations: [], rejections: [] };
  // A regulation (admin API) is sent as such, whatever the subscriptions (regulation.ts).
  const routed = routeRegulation(event, context) ?? route(event, subscriptions, context);
  if (routed.length === 0) mapped.filtered = filterReason(event, subscriptions);
  for (const { action, result } of routed) {
    if (!isOperation(result)) {
      mapped.rejections.push(result);
      continue;
    }
    const json = JSON.stringify(result.body);
    const bytes = Buffer.byteLength(json);
    if (bytes > TRACK_LIMITS.operationBytes) {
      mapped.rejections.push(tooLarge(action, bytes));
      continue;
    }
    mapped.operations.push({ action, endpoint: result.endpoint, json, bytes });
  }
  return mapped;
}

function tooLarge(action: string, bytes: number): Rejection {
  return reject(
    'operation_too_large',
    `${action}: the operation is ${bytes} bytes; Customer.io accepts at most ${TRACK_LIMITS.operationBytes} per operation (trim large properties or traits in the mapping)`,
  );
}
