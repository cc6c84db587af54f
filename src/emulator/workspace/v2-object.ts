/**
 * Validation of v2 `type:"object"` operations (rudderstack-classic-trackapi.md §3.4, seed 001
 * "Group calls"): identify, identify_anonymous, delete, add_relationships, delete_relationships.
 */
import { optionalObject, optionalSeconds, parseAttributes, parseIdentifier } from './fields.js';
import type { AnonymousLink, AttributeWrites, Operation, PersonLink } from './operations.js';
import { type Failure, fail, isFailure, isRecord } from './util.js';
import { parseObjectKey, parsePersonKey } from './v2-identifiers.js';

type Op = Record<string, unknown>;

export const OBJECT_ACTIONS = [
  'identify',
  'identify_anonymous',
  'delete',
  'add_relationships',
  'delete_relationships',
] as const;

/** `relationship` is reserved for relationship attributes in Liquid (seed 001). */
const FORBIDDEN_OBJECT_ATTRIBUTES = ['relationship'];

export function parseObjectOp(op: Op, action: string): Operation | Failure {
  const object = parseObjectKey(op['identifiers'], 'identifiers');
  if (isFailure(object)) return object;
  switch (action) {
    case 'identify': {
      const attributes = objectAttributes(op);
      if (isFailure(attributes)) return attributes;
      const relationships =
        op['cio_relationships'] === undefined ? [] : parsePersonLinks(op['cio_relationships'], true);
      if (isFailure(relationships)) return relationships;
      return { op: 'object_identify', object, attributes, relationships };
    }
    case 'identify_anonymous': {
      const attributes = objectAttributes(op);
      if (isFailure(attributes)) return attributes;
      const anonymous = parseAnonymousLinks(op['cio_relationships']);
      if (isFailure(anonymous)) return anonymous;
      const timestamp = optionalSeconds(op['timestamp'], 'timestamp');
      if (isFailure(timestamp)) return timestamp;
      return {
        op: 'object_identify_anonymous',
        object,
        attributes,
        anonymous,
        ...(timestamp !== undefined && { timestamp }),
      };
    }
    case 'delete':
      return { op: 'object_delete', object };
    case 'add_relationships':
    case 'delete_relationships': {
      const relationships = parsePersonLinks(op['cio_relationships'], true);
      if (isFailure(relationships)) return relationships;
      return { op: 'object_relationships', add: action === 'add_relationships', object, relationships };
    }
  }
  return fail('invalid', 'action', `Unknown object action "${action}".`);
}

/**
 * Object attributes. Segment puts an object's `created_at` at the top level of the operation
 * (segment-actions.md §5.9); it is kept as the object's `created_at` attribute.
 */
function objectAttributes(op: Op): AttributeWrites | Failure {
  const record = optionalObject(op['attributes'], 'attributes');
  if (isFailure(record)) return record;
  const writes = parseAttributes(record, 'attributes', { forbidden: FORBIDDEN_OBJECT_ATTRIBUTES });
  if (isFailure(writes)) return writes;
  if (op['created_at'] !== undefined && op['created_at'] !== null) {
    const createdAt = optionalSeconds(op['created_at'], 'created_at');
    if (isFailure(createdAt)) return createdAt;
    writes.push(['created_at', createdAt]);
  }
  return writes;
}

function linkArray(value: unknown, field: string, required: boolean): unknown[] | Failure {
  if (value === undefined || value === null) {
    return required ? fail('required', field, `${field} is required.`) : [];
  }
  if (!Array.isArray(value)) return fail('invalid', field, `${field} must be an array.`);
  return value;
}

function relationshipAttributes(item: Record<string, unknown>, at: string): AttributeWrites | Failure {
  const record = optionalObject(item['relationship_attributes'], `${at}.relationship_attributes`);
  if (isFailure(record)) return record;
  return parseAttributes(record, `${at}.relationship_attributes`);
}

/** `cio_relationships` of an object: `[{identifiers:{id|email|cio_id}, relationship_attributes}]`. */
function parsePersonLinks(value: unknown, required: boolean): PersonLink[] | Failure {
  const items = linkArray(value, 'cio_relationships', required);
  if (isFailure(items)) return items;
  const links: PersonLink[] = [];
  for (const [index, item] of items.entries()) {
    const at = `cio_relationships.${index}`;
    if (!isRecord(item)) return fail('invalid', at, `${at} must be a JSON object.`);
    const person = parsePersonKey(item['identifiers'], `${at}.identifiers`);
    if (isFailure(person)) return person;
    const attributes = relationshipAttributes(item, at);
    if (isFailure(attributes)) return attributes;
    links.push({ person, attributes, field: at });
  }
  return links;
}

/** `identify_anonymous`: `cio_relationships:[{identifiers:{anonymous_id}, relationship_attributes}]`. */
function parseAnonymousLinks(value: unknown): AnonymousLink[] | Failure {
  const items = linkArray(value, 'cio_relationships', true);
  if (isFailure(items)) return items;
  if (items.length === 0) {
    return fail('required', 'cio_relationships', 'identify_anonymous needs at least one anonymous_id.');
  }
  const links: AnonymousLink[] = [];
  for (const [index, item] of items.entries()) {
    const at = `cio_relationships.${index}`;
    if (!isRecord(item)) return fail('invalid', at, `${at} must be a JSON object.`);
    const identifiers = item['identifiers'];
    if (!isRecord(identifiers)) {
      return fail('required', `${at}.identifiers`, `${at}.identifiers must hold an anonymous_id.`);
    }
    const anonymousId = parseIdentifier(
      identifiers['anonymous_id'],
      `${at}.identifiers.anonymous_id`,
      'anonymous_id',
    );
    if (isFailure(anonymousId)) return anonymousId;
    const attributes = relationshipAttributes(item, at);
    if (isFailure(attributes)) return attributes;
    links.push({ anonymousId, attributes });
  }
  return links;
}
