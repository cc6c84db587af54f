/**
 * Reading a dotted field from an event, safely. Events are untrusted JSON, and trigger paths are
 * configuration, so a path segment is only ever looked up as an *own* property: `__proto__`,
 * `constructor`, `prototype`, `toString`... never reach Object.prototype (Segment's `get` does:
 * there, `properties.constructor != null` is true on every event). Arrays expose only their
 * indices (`properties.items.0.sku`), not `length`, and strings or numbers have no fields.
 *
 * `compileGetter` specialises the common one- and two-segment paths so that the per-event cost is
 * a property read and an `Object.hasOwn` per segment, with no allocation.
 */

export type Getter = (event: Readonly<Record<string, unknown>>) => unknown;

const INDEX = /^(?:0|[1-9]\d*)$/;

type Container = Readonly<Record<string, unknown>>;

function step(value: unknown, key: string, isIndex: boolean): unknown {
  if (typeof value !== 'object' || value === null) return undefined;
  if (Array.isArray(value) && !isIndex) return undefined;
  return Object.hasOwn(value, key) ? (value as Container)[key] : undefined;
}

export function compileGetter(segments: readonly string[]): Getter {
  const keys = [...segments];
  const indices = keys.map((key) => INDEX.test(key));
  const [k0, k1] = keys;
  if (keys.length === 1 && k0 !== undefined) {
    return (event) => (Object.hasOwn(event, k0) ? event[k0] : undefined);
  }
  if (keys.length === 2 && k0 !== undefined && k1 !== undefined) {
    const i1 = indices[1] === true;
    return (event) => step(Object.hasOwn(event, k0) ? event[k0] : undefined, k1, i1);
  }
  return (event) => {
    let value: unknown = event;
    for (let i = 0; i < keys.length; i++) {
      value = step(value, keys[i]!, indices[i]!);
      if (value === undefined) return undefined;
    }
    return value;
  };
}
