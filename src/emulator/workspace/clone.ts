/**
 * `cloneJson`: the deep copy that keeps state from sharing a reference with input or with a view.
 *
 * Its meaning is `JSON.parse(JSON.stringify(value))`, which was one of the largest costs of
 * applying an operation. Plain JSON data (what `JSON.parse` gives: strings, numbers, booleans,
 * null, arrays and plain objects) is copied directly by the same rules; anything else (a class
 * instance, `toJSON`, bigint, deep nesting, a cycle) takes the JSON round trip itself, so the
 * result, or the exception, is always the round trip's.
 */

/** Nesting depth past which the direct copy gives up and leaves the value to the round trip. */
const MAX_DEPTH = 64;

/** Thrown inside the direct copy when it meets something that is not plain JSON data. */
const NOT_PLAIN: unique symbol = Symbol('not plain JSON data');

export function cloneJson<T>(value: T): T {
  switch (typeof value) {
    case 'undefined':
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return finite(value) as T;
  }
  if (value === null) return value;
  const copy = copyPlain(value, 0);
  if (copy !== NOT_PLAIN) return copy as T;
  return JSON.parse(JSON.stringify(value)) as T;
}

/** JSON's number rule: NaN and ±Infinity become null, -0 becomes 0. */
function finite(value: number): number | null {
  return Number.isFinite(value) ? value + 0 : null;
}

/**
 * The copy of a value inside a container, `undefined` for what JSON leaves out of an object
 * (undefined, functions, symbols), or NOT_PLAIN.
 */
function copyPlain(value: unknown, depth: number): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return finite(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      return NOT_PLAIN;
  }
  if (value === null) return null;
  const source = value as Record<string, unknown>;
  if (depth >= MAX_DEPTH || typeof source['toJSON'] === 'function') return NOT_PLAIN;
  if (Array.isArray(value)) return copyArray(value, depth);
  const prototype = Object.getPrototypeOf(source);
  if (prototype !== Object.prototype && prototype !== null) return NOT_PLAIN;
  // Keys in `Object.keys` order, the order `JSON.stringify` writes and `JSON.parse` rebuilds.
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const item = copyPlain(source[key], depth + 1);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    if (item === undefined) continue;
    // `copy[key] = item` would change the copy's prototype for `__proto__`; JSON.parse makes it
    // an ordinary own property, and so does defineProperty.
    if (key === '__proto__') {
      Object.defineProperty(copy, key, { value: item, enumerable: true, writable: true, configurable: true });
    } else {
      copy[key] = item;
    }
  }
  return copy;
}

function copyArray(source: readonly unknown[], depth: number): unknown {
  const copy: unknown[] = new Array(source.length);
  for (let i = 0; i < source.length; i += 1) {
    const item = copyPlain(source[i], depth + 1);
    if (item === NOT_PLAIN) return NOT_PLAIN;
    // In an array JSON writes `null` for what it would leave out of an object.
    copy[i] = item === undefined ? null : item;
  }
  return copy;
}
