/** A subscription: when its trigger matches an event, its action runs with its mapping. */
export interface SubscriptionConfig {
  name: string;
  /** Trigger language source, e.g. `type = "track" and event = "Order Completed"`. */
  trigger: string;
  /** An action key such as `trackEvent`. */
  action: string;
  /** Field mappings overriding the action's defaults; `null` removes a default. */
  mapping?: Record<string, unknown>;
  /** Disabled subscriptions are kept in the configuration but never run. */
  enabled?: boolean;
}

/** A named set of subscriptions reproducing one reference destination's behaviour. */
export interface Profile {
  name: string;
  description: string;
  subscriptions: readonly SubscriptionConfig[];
}
