/**
 * The byte size of an event as JSON, measured only when it cannot be bounded cheaply.
 *
 * On Node 20, `Buffer.byteLength(JSON.stringify(event))` costs ~3 µs for a typical 600-byte event;
 * walking the event for an upper bound costs ~0.7 µs. Almost every event is far below the limit,
 * so the walk settles it and the exact (stringify) measure runs only for large or unusual events.
 */

/** Longest `String(number)`: "-0.0000012345678901234567" (25 characters). */
const MAX_NUMBER_CHARS = 25;
/** Deeper values are left to JSON.stringify, which also reports cycles. */
const MAX_WALK_DEPTH = 32;
/** Strings this long are scanned so that plain ASCII text counts once, not six times. */
const SCAN_FROM_LENGTH = 48;
/** Characters that JSON.stringify copies as one byte each: printable ASCII but `"` and `\`. */
const NEEDS_MORE_THAN_ONE_BYTE = /[^\x20\x21\x23-\x5b\x5d-\x7e]/;

/**
 * True when `value` surely serialises to at most `maxBytes` bytes of UTF-8 JSON; false when it
 * may not (the caller then measures it exactly).
 */
export function surelyFits(value: object, maxBytes: number): boolean {
  return remaining(value, maxBytes, 0) >= 0;
}

/** Exact UTF-8 byte length of `JSON.stringify(value)`, or undefined when it is not JSON data. */
export function jsonByteLength(value: object): number | undefined {
  const measured = measureJson(value);
  return typeof measured === 'number' ? measured : undefined;
}

/**
 * Exact UTF-8 byte length of `JSON.stringify(value)`, or why there is none: `not_json` for cycles
 * and bigints (impossible from JSON.parse, possible from an embedding program), `too_deep` when
 * the serialiser ran out of stack (JSON.parse builds any depth).
 */
export function measureJson(value: object): number | 'not_json' | 'too_deep' {
  try {
    const text = JSON.stringify(value);
    return typeof text === 'string' ? Buffer.byteLength(text) : 'not_json';
  } catch (error) {
    return error instanceof RangeError ? 'too_deep' : 'not_json';
  }
}

/** True when objects and arrays nest more than `limit` levels (the value itself is level 1). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  if (limit <= 0) return true;
  if (Array.isArray(value)) return value.some((item) => nestedDeeperThan(item, limit - 1));
  for (const key in value) {
    if (nestedDeeperThan((value as Record<string, unknown>)[key], limit - 1)) return true;
  }
  return false;
}

/** `budget` minus an upper bound of the value's JSON size; negative means "may not fit". */
function remaining(value: unknown, budget: number, depth: number): number {
  switch (typeof value) {
    case 'string':
      return budget - stringCost(value);
    case 'number':
      return budget - MAX_NUMBER_CHARS;
    case 'boolean':
      return budget - 5;
    case 'undefined':
      return budget - 4; // `null` inside an array; object members holding undefined are skipped
    case 'object':
      if (value === null) return budget - 4;
      if (depth >= MAX_WALK_DEPTH) return -1;
      return Array.isArray(value)
        ? remainingArray(value, budget, depth)
        : remainingObject(value, budget, depth);
    default:
      // Functions (possibly a toJSON), symbols and bigints: let JSON.stringify decide.
      return -1;
  }
}

function remainingArray(items: unknown[], budget: number, depth: number): number {
  let left = budget - 2;
  for (let i = 0; i < items.length && left >= 0; i++) {
    left = remaining(items[i], left - 1, depth + 1);
  }
  return left;
}

function remainingObject(object: object, budget: number, depth: number): number {
  // Dates, Maps and class instances serialise in their own ways: only plain objects are walked.
  const prototype = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== null) return -1;
  const record = object as Record<string, unknown>;
  let left = budget - 2;
  // for...in also visits an own "__proto__" key from JSON.parse, as JSON.stringify does.
  for (const key in record) {
    const member = record[key];
    if (member === undefined) continue;
    left = remaining(member, left - 2 - stringCost(key), depth + 1);
    if (left < 0) return left;
  }
  return left;
}

/**
 * Quotes plus at most 6 bytes per UTF-16 unit (`\u001f`, a lone surrogate escaped as `\udc00`);
 * long plain-ASCII strings are scanned and count exactly one byte per character.
 */
function stringCost(text: string): number {
  if (text.length >= SCAN_FROM_LENGTH && !NEEDS_MORE_THAN_ONE_BYTE.test(text)) return 2 + text.length;
  return 2 + 6 * text.length;
}
