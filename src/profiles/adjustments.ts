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

// Customer.io's event name limit, which RudderStack applies to anonymous events only; a screen's
// own name gets what "Viewed " and " Screen" leave of it.
const NAME_BYTES = 100;
const SCREEN = { before: 'Viewed ', after: ' Screen', bytes: 86 };

/** The longest start of `text` within `max` UTF-8 bytes, never splitting a character. */
function fitBytes(text: string, max: number): string {
  if (Buffer.byteLength(text) <= max) return text;
  let bytes = 0;
  let end = 0;
  for (const char of text) {
    bytes += Buffer.byteLength(char);
    if (bytes > max) break;
    end += char.length;
  }
  return text.slice(0, end);
}

/** An anonymous activity's `name` as `shorten` makes it; other operations as they are. */
function anonymousName(body: V2Operation, shorten: (name: string) => string): V2Operation {
  const name = body['name'];
  if (typeof name !== 'string' || body.identifiers === undefined || !('anonymous_id' in body.identifiers)) {
    return body;
  }
  const fitted = shorten(name);
  return fitted === name ? body : { ...body, name: fitted };
}

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

  /** Anonymous event and page names cut to 100 bytes (RudderStack's rule, §4 #8). */
  anonymousNames(body) {
    return anonymousName(body, (name) => fitBytes(name, NAME_BYTES));
  },

  /** Anonymous `Viewed {name} Screen` events with the screen's name cut to 86 bytes (RudderStack). */
  anonymousScreenNames(body) {
    const { before, after, bytes } = SCREEN;
    return anonymousName(body, (name) =>
      name.startsWith(before) && name.endsWith(after)
        ? before + fitBytes(name.slice(before.length, -after.length), bytes) + after
        : name,
    );
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
