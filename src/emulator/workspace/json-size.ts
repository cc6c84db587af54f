/**
 * Size limits on serialised values without serialising them when the answer is obvious.
 *
 * `JSON.stringify` of every operation (to check 32 KB) was one of the largest costs of validation.
 * Almost every operation is far below its limit, so a cheap upper bound of its compact JSON size
 * settles it; only a value whose bound passes the limit is serialised and measured exactly. The
 * answers are the same as measuring `Buffer.byteLength(JSON.stringify(value))` every time.
 */

/** Bytes of a string once UTF-8 encoded (a lone surrogate counts 3, as its replacement character). */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Whether a string's UTF-8 bytes stay within `max`: a UTF-16 unit takes 1 to 3 bytes. */
export function fitsBytes(text: string, max: number): boolean {
  if (text.length * 3 <= max) return true;
  return text.length <= max && byteLength(text) <= max;
}

/** Exact bytes of a value's compact JSON (0 when `JSON.stringify` gives undefined). */
export function jsonBytes(value: unknown): number {
  return byteLength(JSON.stringify(value) ?? '');
}

/**
 * Whether an attribute value stays within `max` bytes once serialised: a string counts its own
 * UTF-8 bytes, anything else its compact JSON.
 */
export function fitsValue(value: unknown, max: number): boolean {
  return typeof value === 'string' ? fitsBytes(value, max) : fitsJson(value, max);
}

/** Whether a value's compact JSON stays within `max` bytes. Throws where `JSON.stringify` throws. */
export function fitsJson(value: unknown, max: number): boolean {
  return jsonBound(value, max, 0) <= max || jsonBytes(value) <= max;
}

/** Nesting depth past which the bound gives up (and the exact measure decides, or throws on a cycle). */
const MAX_DEPTH = 64;
/** Most bytes a number takes in JSON, e.g. `-0.0000012345678901234567`; NaN and ±Infinity give `null`. */
const NUMBER_BYTES = 25;
const GIVE_UP = Number.POSITIVE_INFINITY;

/**
 * An upper bound of `jsonBytes(value)`, or Infinity once it passes `budget` or meets anything but
 * plain JSON data (a class instance, a boxed primitive, `toJSON`, bigint, deep nesting): the
 * caller then measures exactly. A string's UTF-16 unit takes at most 6 bytes (`\u001f`); a key
 * also pays its quotes, colon and comma; a value JSON leaves out (undefined, a function) counts 5.
 */
function jsonBound(value: unknown, budget: number, depth: number): number {
  switch (typeof value) {
    case 'string':
      return 2 + value.length * 6;
    case 'number':
      return NUMBER_BYTES;
    case 'boolean':
    case 'undefined':
    case 'function':
    case 'symbol':
      return 5;
    case 'bigint':
      return GIVE_UP;
  }
  if (value === null) return 4;
  const record = value as Record<string, unknown>;
  if (depth >= MAX_DEPTH || typeof record['toJSON'] === 'function') return GIVE_UP;
  let total = 2;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      total += 1 + jsonBound(value[i], budget - total, depth + 1);
      if (total > budget) return GIVE_UP;
    }
    return total;
  }
  const prototype = Object.getPrototypeOf(record);
  if (prototype !== Object.prototype && prototype !== null) return GIVE_UP;
  for (const key in record) {
    // `for...in` would also visit inherited enumerable keys, which JSON leaves out: counting
    // them only loosens the bound.
    total += 4 + key.length * 6 + jsonBound(record[key], budget - total, depth + 1);
    if (total > budget) return GIVE_UP;
  }
  return total;
}
