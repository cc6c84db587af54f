/**
 * Validation of a v2 person `identify`: the attributes, with Customer.io's reserved keys taken out
 * first (rudderstack-classic-trackapi.md §3.3): `id`/`email` (new identifiers), `anonymous_id`
 * (claims anonymous activity), `_timestamp` (orders updates), `_update` (never create),
 * `created_at` (unix seconds) and `unsubscribed` (boolean); and `cio_relationships` to objects.
 */
import {
  optionalObject,
  optionalSeconds,
  parseAttributeEntries,
  parseAttributes,
  parseIdentifier,
  parseSeconds,
} from './fields.js';
import type { IdentifyOp, ObjectLink, PersonTarget } from './operations.js';
import { cloneJson, type Failure, fail, isFailure, isRecord } from './util.js';
import { parseObjectKey } from './v2-identifiers.js';

type Op = Record<string, unknown>;

export function parseIdentify(
  op: Op,
  target: PersonTarget,
  timestamp: number | undefined,
): IdentifyOp | Failure {
  const attributes = optionalObject(op['attributes'], 'attributes');
  if (isFailure(attributes)) return attributes;
  const relationships =
    op['cio_relationships'] === undefined
      ? []
      : parseObjectLinks(op['cio_relationships'], 'cio_relationships', false);
  if (isFailure(relationships)) return relationships;
  const result: IdentifyOp = {
    op: 'identify',
    target,
    attributes: [],
    updateOnly: false,
    relationships,
    sent: {},
    ...(timestamp !== undefined && { timestamp }),
  };
  // Reserved keys (rudderstack-classic-trackapi.md §3.3) are taken out before the custom attributes.
  const custom: [string, unknown][] = [];
  const sent: [string, unknown][] = [];
  for (const [name, value] of Object.entries(attributes)) {
    const field = `attributes.${name}`;
    const empty = value === null || value === '' || value === undefined;
    switch (name) {
      case 'id':
      case 'email': {
        // An empty id or email does not remove the identifier: Segment's classic docs even
        // tell users to send an empty userId for leads.
        if (empty) break;
        const text = parseIdentifier(value, field, name);
        if (isFailure(text)) return text;
        if (name === 'id') result.newId = text;
        else result.newEmail = text;
        break;
      }
      case 'anonymous_id': {
        if (empty) break;
        const text = parseIdentifier(value, field, name);
        if (isFailure(text)) return text;
        result.anonymousId = text;
        break;
      }
      case '_timestamp': {
        const seconds = optionalSeconds(value, field);
        if (isFailure(seconds)) return seconds;
        if (seconds !== undefined) result.timestamp = seconds;
        continue;
      }
      case '_update':
        if (value !== undefined && value !== null && typeof value !== 'boolean') {
          return fail('invalid', field, '_update must be true or false.');
        }
        result.updateOnly = value === true;
        continue;
      case 'created_at': {
        if (empty) {
          custom.push([name, null]);
          break;
        }
        const seconds = parseSeconds(value, field);
        if (isFailure(seconds)) return seconds;
        custom.push([name, seconds]);
        break;
      }
      case 'unsubscribed': {
        const flag = value === 'true' ? true : value === 'false' ? false : value;
        if (!empty && typeof flag !== 'boolean') {
          return fail('invalid', field, 'unsubscribed must be true or false.');
        }
        custom.push([name, empty ? null : flag]);
        break;
      }
      default:
        custom.push([name, value]);
    }
    sent.push([name, cloneJson(value)]);
  }
  result.sent = Object.fromEntries(sent);
  if (target.kind === 'anonymous_id' && result.anonymousId !== undefined) {
    // The anonymous_id of an anonymous profile is its identifier, not a claim on another profile.
    result.anonymousId = undefined;
  }
  const writes = parseAttributeEntries(custom, 'attributes');
  if (isFailure(writes)) return writes;
  result.attributes = writes;
  return result;
}

/** `cio_relationships` of a person: `[{identifiers:{object_type_id, object_id}, relationship_attributes}]`. */
export function parseObjectLinks(value: unknown, field: string, required: boolean): ObjectLink[] | Failure {
  if (value === undefined || value === null) {
    return required ? fail('required', field, `${field} is required.`) : [];
  }
  if (!Array.isArray(value)) return fail('invalid', field, `${field} must be an array.`);
  const links: ObjectLink[] = [];
  for (const [index, item] of value.entries()) {
    const at = `${field}.${index}`;
    if (!isRecord(item)) return fail('invalid', at, `${at} must be a JSON object.`);
    const object = parseObjectKey(item['identifiers'], `${at}.identifiers`);
    if (isFailure(object)) return object;
    const record = optionalObject(item['relationship_attributes'], `${at}.relationship_attributes`);
    if (isFailure(record)) return record;
    const attributes = parseAttributes(record, `${at}.relationship_attributes`);
    if (isFailure(attributes)) return attributes;
    links.push({ object, attributes, field: at });
  }
  return links;
}
