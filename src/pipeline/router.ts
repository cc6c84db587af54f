/**
 * The router: for one destination, which subscriptions an event matches and what each produces.
 * Subscriptions are compiled once (trigger → predicate, action + mapping (+ adjustments) →
 * builder). A matching filter rule (a profile's, e.g. Classic's "no userId") means nothing is sent;
 * `filterReason` says why.
 */
import {
  type BuildContext,
  type CompiledAction,
  compileAction,
  isOperation,
  type Operation,
} from '../customerio/index.js';
import { ConfigError, type Rejection } from '../errors.js';
import { type Adjustment, compileAdjustments, isFilterRule, type RouteConfig } from '../profiles/index.js';
import { compileTrigger, type Trigger } from '../triggers/index.js';

/** As in Segment's destinations: at most 50 mappings per destination instance (seed 002). */
export const MAX_SUBSCRIPTIONS = 50;

export type CompiledSubscription =
  | {
      readonly name: string;
      readonly trigger: Trigger;
      readonly action: CompiledAction;
      readonly filter?: undefined;
    }
  | {
      readonly name: string;
      readonly trigger: Trigger;
      readonly filter: string;
      readonly action?: undefined;
    };

export interface Routed {
  readonly subscription: string;
  readonly action: string;
  readonly result: Operation | Rejection;
}

export function compileSubscriptions(
  subscriptions: readonly RouteConfig[],
  options: { path?: string } = {},
): CompiledSubscription[] {
  const where = options.path ?? 'subscriptions';
  // A profile's filter rules do not count against the limit.
  const count = subscriptions.filter((s) => !isFilterRule(s)).length;
  if (count > MAX_SUBSCRIPTIONS) {
    throw new ConfigError(
      'too_many_subscriptions',
      `${where}: ${count} subscriptions; a destination may have at most ${MAX_SUBSCRIPTIONS}`,
      { path: where },
    );
  }
  const names = new Set<string>();
  const filters: CompiledSubscription[] = [];
  const compiled: CompiledSubscription[] = [];
  subscriptions.forEach((subscription, i) => {
    const path = `${where}[${i}]`;
    const name = subscription.name || `subscription ${i + 1}`;
    if (names.has(name)) {
      throw new ConfigError(
        'duplicate_subscription',
        `${path}.name: "${name}" is used twice; names must be unique`,
        {
          path: `${path}.name`,
        },
      );
    }
    names.add(name);
    if (!isFilterRule(subscription) && subscription.enabled === false) return;
    const trigger = compileTrigger(subscription.trigger, { path: `${path}.trigger` });
    if (isFilterRule(subscription)) {
      filters.push({ name, trigger, filter: subscription.filter });
      return;
    }
    const action = compileAction(subscription.action, subscription.mapping, { path });
    const adjust = compileAdjustments(subscription.adjust ?? [], `${path}.adjust`);
    compiled.push({ name, trigger, action: adjust ? adjusted(action, adjust) : action });
  });
  // Filter rules are tested first, wherever they are listed: a filtered event runs no mapping.
  return [...filters, ...compiled];
}

function adjusted(action: CompiledAction, adjust: Adjustment): CompiledAction {
  return {
    ...action,
    run(event, context) {
      const result = action.run(event, context);
      return isOperation(result) ? adjust(result) : result;
    },
  };
}

/** Every matching subscription's result for `event`, in subscription order; none when filtered. */
export function route(
  event: Readonly<Record<string, unknown>>,
  subscriptions: readonly CompiledSubscription[],
  context: BuildContext,
): Routed[] {
  const routed: Routed[] = [];
  for (const subscription of subscriptions) {
    if (!subscription.trigger.test(event)) continue;
    if (subscription.action === undefined) return [];
    routed.push({
      subscription: subscription.name,
      action: subscription.action.action.key,
      result: subscription.action.run(event, context),
    });
  }
  return routed;
}

/** Why the destination does not send `event` (the first filter rule it matches), if it does not. */
export function filterReason(
  event: Readonly<Record<string, unknown>>,
  subscriptions: readonly CompiledSubscription[],
): string | undefined {
  return subscriptions.find((s) => s.filter !== undefined && s.trigger.test(event))?.filter;
}
