/**
 * Field-level checks with Customer.io's limits (rudderstack-classic-trackapi.md §3.5): timestamps,
 * ids, attribute maps. Each returns the normalised value or a Failure naming the field.
 */
import { LIMITS } from '../contract.js';
import { fitsBytes, fitsValue } from './json-size.js';
import type { AttributeWrites } from './operations.js';
import { cloneJson, type Failure, fail, idString, isRecord } from './util.js';

/** Above this a "seconds" value is really milliseconds (year 5138 in seconds). */
const MAX_SECONDS = 100_000_000_000;

/**
 * Customer.io timestamps are integer unix seconds. A string of digits is accepted and converted:
 * Segment's package passes a numeric-string `timestamp` through unchanged (segment-actions.md §7).
 * Fractions, milliseconds and date strings are refused rather than silently misread.
 */
export function parseSeconds(value: unknown, field: string): number | Failure {
  let seconds: number;
  if (typeof value === 'number') {
    seconds = value;
  } else if (typeof value === 'string' && /^\d+$/.test(value)) {
    seconds = Number(value);
  } else if (typeof value === 'string') {
    return fail('invalid', field, `${field} must be unix seconds (an integer), not the string "${value}".`);
  } else {
    return fail('invalid', field, `${field} must be unix seconds (an integer).`);
  }
  if (!Number.isInteger(seconds) || seconds < 0) {
    return fail('invalid', field, `${field} must be a whole, non-negative number of unix seconds.`);
  }
  if (seconds >= MAX_SECONDS) {
    return fail('invalid', field, `${field} must be unix seconds; ${seconds} looks like milliseconds.`);
  }
  return seconds;
}

/** An optional timestamp: absent (undefined or null) stays undefined. */
export function optionalSeconds(value: unknown, field: string): number | undefined | Failure {
  if (value === undefined || value === null) return undefined;
  return parseSeconds(value, field);
}

/** A person id, email or object id: a non-empty string (or number) of at most 150 bytes. */
export function parseIdentifier(value: unknown, field: string, what: string): string | Failure {
  if (value === undefined || value === null || value === '') {
    return fail('required', field, `${what} is required.`);
  }
  const text = idString(value);
  if (text === undefined) return fail('invalid', field, `${what} must be a string or a number.`);
  if (!fitsBytes(text, LIMITS.idBytes)) {
    return fail('too_long', field, `${what} must be at most ${LIMITS.idBytes} bytes.`);
  }
  return text;
}

/** An optional string field (recipient, reason, href...). */
export function optionalString(value: unknown, field: string): string | undefined | Failure {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') return fail('invalid', field, `${field} must be a string.`);
  return value;
}

/** An optional JSON object; absent or null gives `{}`. */
export function optionalObject(value: unknown, field: string): Record<string, unknown> | Failure {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) return fail('invalid', field, `${field} must be a JSON object.`);
  return value;
}

/**
 * Attribute writes of a person, object, device or relationship: names ≤ 150 bytes, values ≤ 1000
 * bytes once serialised, at most 300 per call. `null` and `""` both mean "remove this attribute".
 */
export function parseAttributes(
  record: Record<string, unknown>,
  field: string,
  options: { forbidden?: readonly string[] } = {},
): AttributeWrites | Failure {
  return parseAttributeEntries(Object.entries(record), field, options);
}

/** `parseAttributes` of own entries already taken out of a record; values are copied here. */
export function parseAttributeEntries(
  entries: [string, unknown][],
  field: string,
  options: { forbidden?: readonly string[] } = {},
): AttributeWrites | Failure {
  if (entries.length > LIMITS.attributesPerPerson) {
    return fail(
      'too_many',
      field,
      `${field} has ${entries.length} attributes; at most ${LIMITS.attributesPerPerson} are allowed.`,
    );
  }
  const writes: AttributeWrites = [];
  for (const [name, input] of entries) {
    const value = cloneJson(input);
    const at = `${field}.${name}`;
    if (name === '') return fail('invalid', field, `${field} has an attribute with an empty name.`);
    if (!fitsBytes(name, LIMITS.attributeNameBytes)) {
      return fail('too_long', at, `Attribute names must be at most ${LIMITS.attributeNameBytes} bytes.`);
    }
    if (options.forbidden?.includes(name)) {
      return fail('reserved', at, `"${name}" is reserved and cannot be used as an attribute name here.`);
    }
    if (value === null || value === '') {
      writes.push([name, null]);
      continue;
    }
    if (!fitsValue(value, LIMITS.attributeValueBytes)) {
      return fail('too_long', at, `Attribute values must be at most ${LIMITS.attributeValueBytes} bytes.`);
    }
    writes.push([name, value]);
  }
  return writes;
}

/** The keys an attribute map will have once `writes` are applied to `current`. */
export function keysAfter(current: Iterable<string>, writes: AttributeWrites): Set<string> {
  const keys = new Set(current);
  for (const [name, value] of writes) {
    if (value === null) keys.delete(name);
    else keys.add(name);
  }
  return keys;
}
