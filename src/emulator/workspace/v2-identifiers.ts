/**
 * v2 `identifiers` (rudderstack-classic-trackapi.md §3.4): a person is addressed by exactly one of
 * `{id}`, `{email}`, `{cio_id}` (the bare value) or, for anonymous activity, `{anonymous_id}`
 * (sent by Segment and RudderStack although the spec omits it); an object by
 * `{object_type_id, object_id}` or `{cio_object_id}`.
 */
import { parseIdentifier } from './fields.js';
import type { ObjectKey, PersonKey, PersonTarget } from './operations.js';
import { type Failure, fail, idString, isFailure, isRecord } from './util.js';

const PERSON_KINDS = ['id', 'email', 'cio_id'] as const;

function oneKey(value: unknown, field: string): [string, unknown] | Failure {
  if (value === undefined || value === null) return fail('required', field, `${field} is required.`);
  if (!isRecord(value)) return fail('invalid', field, `${field} must be a JSON object.`);
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return fail('required', field, `${field} must contain one identifier.`);
  if (entries.length > 1) {
    return fail(
      'invalid',
      field,
      `${field} must contain exactly one identifier, got ${entries.map(([k]) => k).join(', ')}.`,
    );
  }
  return entries[0]!;
}

/** A known person: `{id}`, `{email}` or `{cio_id}`. */
export function parsePersonKey(value: unknown, field: string): PersonKey | Failure {
  const entry = oneKey(value, field);
  if (isFailure(entry)) return entry;
  const [kind, raw] = entry;
  if (kind === 'anonymous_id') {
    return fail(
      'invalid',
      `${field}.anonymous_id`,
      'This action needs an id, email or cio_id, not an anonymous_id.',
    );
  }
  if (kind === 'phone') {
    return fail('invalid', `${field}.phone`, 'Phone identifiers are not enabled in this workspace.');
  }
  if (!(PERSON_KINDS as readonly string[]).includes(kind)) {
    return fail('invalid', `${field}.${kind}`, `Unknown identifier "${kind}"; use id, email or cio_id.`);
  }
  const at = `${field}.${kind}`;
  const text = parseIdentifier(raw, at, kind);
  if (isFailure(text)) return text;
  if (kind === 'cio_id' && text.startsWith('cio_')) {
    return fail('invalid', at, 'cio_id is the bare value, without the "cio_" prefix.');
  }
  return { kind: kind as PersonKey['kind'], value: text };
}

/** A person or an anonymous profile (events, page, screen, identify, content actions). */
export function parsePersonTarget(value: unknown, field: string): PersonTarget | Failure {
  const entry = oneKey(value, field);
  if (isFailure(entry)) return entry;
  const [kind, raw] = entry;
  if (kind !== 'anonymous_id') return parsePersonKey(value, field);
  const text = parseIdentifier(raw, `${field}.anonymous_id`, 'anonymous_id');
  if (isFailure(text)) return text;
  return { kind: 'anonymous_id', value: text };
}

/** Object type ids are positive integers, sent as strings ("1", "2"...) or numbers. */
function parseTypeId(value: unknown, field: string): string | Failure {
  if (value === undefined || value === null || value === '') {
    return fail('required', field, 'object_type_id is required.');
  }
  const text = idString(value);
  if (text === undefined || !/^[1-9]\d*$/.test(text)) {
    return fail('invalid', field, 'object_type_id must be a positive integer, such as "1".');
  }
  return text;
}

export function parseObjectKey(value: unknown, field: string): ObjectKey | Failure {
  if (value === undefined || value === null) return fail('required', field, `${field} is required.`);
  if (!isRecord(value)) return fail('invalid', field, `${field} must be a JSON object.`);
  if (value['cio_object_id'] !== undefined) {
    if (value['object_id'] !== undefined || value['object_type_id'] !== undefined) {
      return fail('invalid', field, `${field} must use either cio_object_id or object_type_id + object_id.`);
    }
    const cio = parseIdentifier(value['cio_object_id'], `${field}.cio_object_id`, 'cio_object_id');
    if (isFailure(cio)) return cio;
    return { kind: 'cio_object_id', value: cio };
  }
  const typeId = parseTypeId(value['object_type_id'], `${field}.object_type_id`);
  if (isFailure(typeId)) return typeId;
  const objectId = parseIdentifier(value['object_id'], `${field}.object_id`, 'object_id');
  if (isFailure(objectId)) return objectId;
  return { kind: 'type_id', typeId, objectId };
}
