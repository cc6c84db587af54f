/**
 * Adjustments: small, named changes to the operation an action built, for the few profile
 * behaviours that a mapping cannot express (a mapping chooses values; these change how the
 * operation reads them). A subscription lists them by name in `adjust`.
 */
import {
  type Operation,
  type PersonIdentifiers,
  personKey,
  toUnixSeconds,
  type V2Operation,
} from '../customerio/index.js';
import { ConfigError } from '../errors.js';

export type Adjustment = (operation: Operation) => Operation;

/** One adjustment: a v2 body in, the body to send out (the same object when nothing changes). */
type BodyStep = (body: V2Operation) => V2Operation;

// Apple's platforms all register as "ios" (RudderStack: ios, watchos, ipados, tvos).
const APPLE = new Set(['ios', 'watchos', 'ipados', 'tvos']);

const ADJUSTMENTS: Readonly<Record<string, BodyStep>> = {
  /**
   * Workspaces that identify people by id only (Segment Classic's setting): the person id is an
   * id even when it looks like an email. A `cio_` id still addresses a cio_id.
   */
  idOnly(body) {
    const identifiers = body.identifiers;
    if (identifiers === undefined || !('email' in identifiers)) return body;
    return { ...body, identifiers: { id: identifiers.email } };
  },

  /**
   * A person's `created_at` and a device's `last_used` in Unix seconds while attribute values stay
   * as sent: RudderStack converts only these (Convert Timestamps would convert every attribute).
   */
  unixTimes(body) {
    const attributes = body['attributes'] as Record<string, unknown> | undefined;
    const device = body['device'] as Record<string, unknown> | undefined;
    if (body.action === 'identify' && attributes?.['created_at'] !== undefined) {
      return { ...body, attributes: { ...attributes, created_at: toUnixSeconds(attributes['created_at']) } };
    }
    if (device?.['last_used'] !== undefined) {
      return { ...body, device: { ...device, last_used: toUnixSeconds(device['last_used']) } };
    }
    return body;
  },

  /** `device.platform` lower-cased, Apple's platforms as "ios" (RudderStack's rule). */
  applePlatforms(body) {
    const device = body['device'] as Record<string, unknown> | undefined;
    const platform = device?.['platform'];
    if (typeof platform !== 'string') return body;
    const lower = platform.toLowerCase();
    const normalised = APPLE.has(lower) ? 'ios' : lower;
    return normalised === platform ? body : { ...body, device: { ...device, platform: normalised } };
  },
};

export function adjustmentNames(): string[] {
  return Object.keys(ADJUSTMENTS);
}

/** The adjustments named, applied in order, as one function; undefined when there are none. */
export function compileAdjustments(names: readonly string[], path: string): Adjustment | undefined {
  const steps = names.map((name, i) => {
    const step = Object.hasOwn(ADJUSTMENTS, name) ? ADJUSTMENTS[name] : undefined;
    if (step === undefined) {
      throw new ConfigError(
        'unknown_adjustment',
        `${path}[${i}]: unknown adjustment ${JSON.stringify(name)}; use one of ${adjustmentNames().join(', ')}`,
        { path: `${path}[${i}]` },
      );
    }
    return step;
  });
  if (steps.length === 0) return undefined;
  return (operation) => {
    if (operation.endpoint !== 'v2') return operation;
    const body = steps.reduce((adjusted, step) => step(adjusted), operation.body);
    if (body === operation.body) return operation;
    // The ordering key follows the identifiers when an adjustment changed them.
    const key =
      body.identifiers === operation.body.identifiers
        ? operation.key
        : (personKey(body.identifiers as PersonIdentifiers) ?? operation.key);
    return { endpoint: 'v2', body, key };
  };
}
