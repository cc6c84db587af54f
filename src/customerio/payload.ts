/**
 * From a mapped value to an action's payload, with the rules of Segment's action runtime:
 * `null` and `""` mean "no value"; numbers and booleans become strings for string fields; a
 * required field without a value, an object where a string is expected, or a value outside a
 * field's choices rejects the event with a sentence that names the field and its mapping.
 */
import { type Rejection, reject } from '../errors.js';
import type { ActionDef, FieldDef, Payload } from './fields.js';
import { toUnixSeconds } from './timestamps.js';

/**
 * Prepare `mapped` (the mapping's output) for `action`. `mappings` holds each field's effective
 * mapping, quoted in messages so the user sees where a value should have come from.
 */
export function preparePayload(
  action: ActionDef,
  mapped: Readonly<Record<string, unknown>>,
  mappings: Readonly<Record<string, unknown>>,
): { ok: true; payload: Payload } | { ok: false; error: Rejection } {
  const payload: Record<string, unknown> = {};
  for (const key in action.fields) {
    const field = action.fields[key]!;
    const raw = mapped[key];
    if (raw === undefined || raw === null || raw === '') {
      if (field.required) return { ok: false, error: missing(action, key, field, mappings[key]) };
      continue;
    }
    const value = coerce(raw, field);
    if (value === undefined) return { ok: false, error: invalid(action, key, field, raw) };
    if (field.choices && !field.choices.includes(value as string)) {
      const message = `${action.title}: ${field.label} (${key}) must be one of ${field.choices.join(', ')} (got ${JSON.stringify(value)})`;
      return { ok: false, error: reject('invalid_field', message) };
    }
    payload[key] = value;
  }
  return { ok: true, payload };
}

function coerce(value: unknown, field: FieldDef): unknown {
  switch (field.type) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      return undefined;
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? value : undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      return undefined;
    case 'datetime':
      // A date is whatever toUnixSeconds can turn into seconds; the action converts it later.
      return typeof toUnixSeconds(value) === 'number' ? value : undefined;
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`.slice(0, 80);
}

const EXPECTED: Record<FieldDef['type'], string> = {
  string: 'a string (or a number or boolean, which is converted)',
  object: 'an object',
  boolean: 'true or false',
  datetime: 'a date (ISO-8601 or Unix seconds)',
};

function invalid(action: ActionDef, key: string, field: FieldDef, value: unknown): Rejection {
  return reject(
    'invalid_field',
    `${action.title}: ${field.label} (${key}) must be ${EXPECTED[field.type]}, but its mapping produced ${describe(value)}`,
  );
}

function missing(action: ActionDef, key: string, field: FieldDef, mapping: unknown): Rejection {
  const source = mapping === undefined ? 'it has no mapping' : `its mapping ${quote(mapping)} found no value`;
  return reject(
    'missing_field',
    `${action.title} requires ${field.label} (${key}), but ${source} in this event; add the value to the event or change the mapping`,
  );
}

function quote(mapping: unknown): string {
  const text = JSON.stringify(mapping) ?? String(mapping);
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}
