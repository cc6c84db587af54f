/**
 * The event tester behind `POST /admin/destinations/:name/test`: an event is validated and
 * completed as ingest would store it, then each of the destination's subscriptions says whether it
 * matches and why (the trigger's own explanation), what operation it builds or why it cannot, and
 * the Track API requests that would carry them. Nothing is sent from here: with `send`, the route
 * stores the event for this destination only, and the delivery engine sends it like any other
 * (rate limits, ordering, retries and the delivery log apply).
 */
import type { DestinationConfig } from '../config/types.js';
import {
  batchRequest,
  isOperation,
  type Operation,
  singleRequest,
  type TrackRequest,
  type V2Operation,
} from '../customerio/index.js';
import { ConfigError, type Rejection } from '../errors.js';
import { validateEvent } from '../events/index.js';
import { compileSubscriptions, filterReason } from '../pipeline/index.js';
import { isFilterRule, type RouteConfig, type SubscriptionConfig } from '../profiles/index.js';
import type { NewEvent } from '../store/types.js';
import { allowsCustomerIo } from './integrations.js';
import { toNewEvent } from './normalise.js';
import { HttpError } from './responses.js';

/** Events stored by the tester carry this source name (it feeds dedupe keys, nothing else). */
export const TESTER_SOURCE = 'console';

export interface SubscriptionVerdict {
  name: string;
  /** The action key, or `filter` for a profile's filter rule (a match means nothing is sent). */
  action: string;
  trigger: string;
  enabled: boolean;
  matched: boolean;
  /** Why it matched or not, in words (or that it is disabled). */
  reason: string;
  /** The operation built, when it matched and could build one. */
  operation?: Operation['body'];
  /** Why a matching subscription could not build its operation (e.g. no identifier). */
  error?: Rejection;
}

export interface PreviewRequest {
  method: 'POST';
  url: string;
  /** The key never leaves the relay: the header's value is described, not shown. */
  headers: Record<string, string>;
  body: string;
}

export interface TesterResult {
  /** The event as the relay would store it (messageId, receivedAt, timestamp filled in). */
  event: Record<string, unknown>;
  /** False when the event's `integrations` turn Customer.io off: it would go nowhere. */
  routed: boolean;
  subscriptions: SubscriptionVerdict[];
  /** One request per Track API endpoint used; a real delivery may batch it with other events. */
  requests: PreviewRequest[];
}

export interface TesterInput {
  event: unknown;
  send: boolean;
  /** Subscriptions to try instead of the destination's (to test an edit before saving). */
  subscriptions: SubscriptionConfig[] | undefined;
}

export function readTesterInput(body: unknown): TesterInput {
  if (typeof body !== 'object' || body === null || Array.isArray(body) || !('event' in body)) {
    throw new HttpError(400, 'invalid_test', 'send {"event": {...}}, optionally with "send": true');
  }
  const { event, send, subscriptions } = body as Record<string, unknown>;
  if (send !== undefined && typeof send !== 'boolean') {
    throw new HttpError(400, 'invalid_test', 'send must be true or false');
  }
  if (subscriptions !== undefined && !Array.isArray(subscriptions)) {
    throw new HttpError(400, 'invalid_test', 'subscriptions must be a list of subscriptions');
  }
  return { event, send: send === true, subscriptions: subscriptions as SubscriptionConfig[] | undefined };
}

/** Throws HttpError 400 for an invalid event or subscription (the compilers' own messages). */
export function testEvent(
  destination: DestinationConfig,
  input: TesterInput,
  now: number,
): { result: TesterResult; stored: NewEvent } {
  const validated = validateEvent(input.event);
  if (!validated.ok) throw new HttpError(400, validated.error.code, validated.error.message);
  const routed = allowsCustomerIo(validated.event.integrations);
  const arrival = { source: TESTER_SOURCE, receivedAt: now, receivedAtIso: new Date(now).toISOString() };
  const stored = toNewEvent(validated.event, arrival, routed ? [destination.name] : []);
  const event = JSON.parse(stored.body) as Record<string, unknown>;

  // Edited subscriptions replace the destination's own; its profile's filter rules still apply.
  const configs = input.subscriptions
    ? [...destination.subscriptions.filter(isFilterRule), ...input.subscriptions]
    : destination.subscriptions;
  const operations: Operation[] = [];
  const subscriptions = verdicts(configs, event, now, operations);
  return { result: { event, routed, subscriptions, requests: preview(operations, destination) }, stored };
}

/** One verdict per subscription, in order; the operations built are pushed onto `operations`. */
function verdicts(
  configs: readonly RouteConfig[],
  event: Record<string, unknown>,
  now: number,
  operations: Operation[],
): SubscriptionVerdict[] {
  let compiled: ReturnType<typeof compileSubscriptions>;
  try {
    compiled = compileSubscriptions(configs);
  } catch (error) {
    if (error instanceof ConfigError) throw new HttpError(400, error.code, error.message);
    throw error;
  }
  const byName = new Map(compiled.map((c) => [c.name, c]));
  const context = { now: () => now };
  const filtered = filterReason(event, compiled);
  return configs.map((config, i): SubscriptionVerdict => {
    const name = config.name || `subscription ${i + 1}`;
    const filter = isFilterRule(config);
    const base = {
      name,
      action: filter ? 'filter' : config.action,
      trigger: config.trigger,
      enabled: filter || config.enabled !== false,
    };
    const subscription = byName.get(name);
    if (subscription === undefined) return { ...base, matched: false, reason: 'disabled' };
    const { matched, reason } = subscription.trigger.explain(event);
    if (subscription.action === undefined) {
      return { ...base, matched, reason: matched ? `${reason}: not sent (${subscription.filter})` : reason };
    }
    if (filtered !== undefined) return { ...base, matched: false, reason: `not sent: ${filtered}` };
    if (!matched) return { ...base, matched, reason };
    const built = subscription.action.run(event, context);
    if (!isOperation(built))
      return { ...base, matched, reason, error: { code: built.code, message: built.message } };
    operations.push(built);
    return { ...base, matched, reason, operation: built.body };
  });
}

/** v2 operations share one batch request; delivery metrics go one by one (as delivery sends them). */
function preview(operations: readonly Operation[], destination: DestinationConfig): PreviewRequest[] {
  const headers = {
    authorization: `Basic (site ID ${destination.siteId} and the API key, not shown)`,
    'content-type': 'application/json',
  };
  const v2: V2Operation[] = [];
  const requests: TrackRequest[] = [];
  for (const operation of operations) {
    if (operation.endpoint === 'v2') v2.push(operation.body);
    else requests.push(singleRequest(operation, destination.base));
  }
  if (v2.length > 0) requests.unshift(batchRequest(v2, destination.base));
  return requests.map((r) => ({ method: r.method, url: r.url, headers, body: JSON.stringify(r.body) }));
}
