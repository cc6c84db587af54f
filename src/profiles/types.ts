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
  /**
   * Names of adjustments (src/profiles/adjustments.ts) applied to the action's operation, for the
   * few profile behaviours a mapping cannot express. Set by profiles, not by configuration files.
   */
  adjust?: readonly string[];
}

/**
 * A filter rule: an event its trigger matches is not sent at all (none of the destination's
 * subscriptions run) and is recorded as filtered with `reason`. Profiles put them first.
 */
export interface FilterRule {
  name: string;
  trigger: string;
  filter: string;
}

/** What a destination routes by: its filter rules and its subscriptions. */
export type RouteConfig = SubscriptionConfig | FilterRule;

export function isFilterRule(route: RouteConfig): route is FilterRule {
  return 'filter' in route && typeof route.filter === 'string';
}

/** A setting a profile reads from a destination's `settings` (a switch of its behaviour). */
export interface ProfileSetting {
  readonly key: string;
  readonly type: 'boolean' | 'string';
  readonly default?: boolean | string;
  /** For people: shown in the JSON Schema and docs/configuration.md. */
  readonly description: string;
}

/** Setting values once checked and completed with defaults. */
export type ProfileSettings = Readonly<Record<string, boolean | string | undefined>>;

/**
 * A named reproduction of one reference destination's behaviour: preset subscriptions (data),
 * filter rules, and the adjustments applied to every subscription of the destination, all built
 * from the destination's settings.
 */
export interface Profile {
  name: string;
  description: string;
  settings: readonly ProfileSetting[];
  /** The subscriptions used when a destination has none of its own. */
  presets(settings: ProfileSettings): SubscriptionConfig[];
  /** Rules kept even when the destination has its own subscriptions. */
  filters(settings: ProfileSettings): FilterRule[];
  /** Adjustments added to every subscription (workspace-wide behaviour, e.g. ids only). */
  adjust(settings: ProfileSettings): string[];
}
