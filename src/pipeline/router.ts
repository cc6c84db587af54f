/**
 * The router: for one destination, which subscriptions an event matches and what each produces.
 * Subscriptions are compiled once (trigger → predicate, action + mapping → builder).
 */
import {
  type BuildContext,
  type CompiledAction,
  compileAction,
  type Operation,
} from '../customerio/index.js';
import { ConfigError, type Rejection } from '../errors.js';
import type { SubscriptionConfig } from '../profiles/index.js';
import { compileTrigger, type Trigger } from '../triggers/index.js';

/** As in Segment's destinations: at most 50 mappings per destination instance (seed 002). */
export const MAX_SUBSCRIPTIONS = 50;

export interface CompiledSubscription {
  readonly name: string;
  readonly trigger: Trigger;
  readonly action: CompiledAction;
}

export interface Routed {
  readonly subscription: string;
  readonly action: string;
  readonly result: Operation | Rejection;
}

export function compileSubscriptions(
  subscriptions: readonly SubscriptionConfig[],
  options: { path?: string } = {},
): CompiledSubscription[] {
  const where = options.path ?? 'subscriptions';
  if (subscriptions.length > MAX_SUBSCRIPTIONS) {
    throw new ConfigError(
      'too_many_subscriptions',
      `${where}: ${subscriptions.length} subscriptions; a destination may have at most ${MAX_SUBSCRIPTIONS}`,
      { path: where },
    );
  }
  const names = new Set<string>();
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
    if (subscription.enabled === false) return;
    compiled.push({
      name,
      trigger: compileTrigger(subscription.trigger, { path: `${path}.trigger` }),
      action: compileAction(subscription.action, subscription.mapping, { path }),
    });
  });
  return compiled;
}

/** Every matching subscription's result for `event`, in subscription order. */
export function route(
  event: Readonly<Record<string, unknown>>,
  subscriptions: readonly CompiledSubscription[],
  context: BuildContext,
): Routed[] {
  const routed: Routed[] = [];
  for (const subscription of subscriptions) {
    if (!subscription.trigger.test(event)) continue;
    routed.push({
      subscription: subscription.name,
      action: subscription.action.action.key,
      result: subscription.action.run(event, context),
    });
  }
  return routed;
}
