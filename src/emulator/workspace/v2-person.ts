/**
 * Validation of v2 `type:"person"` operations (rudderstack-classic-trackapi.md §3.4, bodies as
 * Segment sends them in segment-actions.md §5) into internal operations.
 */
import { LIMITS } from '../contract.js';
import { optionalObject, optionalSeconds, parseAttributes, parseIdentifier, parseSeconds } from './fields.js';
import type { IdentifyOp, ObjectLink, Operation, PersonKey, PersonTarget, TrackKind } from './operations.js';
import { byteLength, cloneJson, type Failure, fail, isFailure, isRecord, jsonBytes } from './util.js';
import { parseObjectKey, parsePersonKey, parsePersonTarget } from './v2-identifiers.js';

type Op = Record<string, unknown>;

export const PERSON_ACTIONS = [
  'identify',
  'event',
  'page',
  'screen',
  'viewed_content',
  'clicked_content',
  'add_device',
  'delete_device',
  'delete',
  'suppress',
  'unsuppress',
  'merge',
  'add_relationships',
  'delete_relationships',
] as const;

/** Actions that may address an anonymous profile by `anonymous_id`. */
const ANONYMOUS_OK = new Set(['identify', 'event', 'page', 'screen', 'viewed_content', 'clicked_content']);

export function parsePersonOp(op: Op, action: string): Operation | Failure {
  if (action === 'merge') return parseMerge(op);
  const target = ANONYMOUS_OK.has(action)
    ? parsePersonTarget(op['identifiers'], 'identifiers')
    : parsePersonKey(op['identifiers'], 'identifiers');
  if (isFailure(target)) return target;
  const timestamp = optionalSeconds(op['timestamp'], 'timestamp');
  if (isFailure(timestamp)) return timestamp;

  switch (action) {
    case 'identify':
      return parseIdentify(op, target, timestamp);
    case 'event':
    case 'page':
    case 'screen':
    case 'viewed_content':
    case 'clicked_content':
      return parseTrack(op, target, action, timestamp);
  }
  // The remaining actions only take a known person (checked by parsePersonKey above).
  const person = target as PersonKey;
  switch (action) {
    case 'add_device':
      return parseAddDevice(op, person, timestamp);
    case 'delete_device': {
      const device = isRecord(op['device']) ? op['device'] : undefined;
      if (!device) return fail('required', 'device', 'device with a token is required.');
      const token = parseToken(device['token'], 'device.token');
      if (isFailure(token)) return token;
      return { op: 'delete_device', target: person, token, ...(timestamp !== undefined && { timestamp }) };
    }
    case 'delete':
    case 'suppress':
    case 'unsuppress':
      return { op: action, target: person };
    case 'add_relationships':
    case 'delete_relationships': {
      const relationships = parseObjectLinks(op['cio_relationships'], 'cio_relationships', true);
      if (isFailure(relationships)) return relationships;
      return {
        op: 'person_relationships',
        add: action === 'add_relationships',
        target: person,
        relationships,
      };
    }
  }
  return fail('invalid', 'action', `Unknown person action "${action}".`);
}

function parseIdentify(op: Op, target: PersonTarget, timestamp: number | undefined): IdentifyOp | Failure {
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
  const writes = parseAttributes(Object.fromEntries(custom), 'attributes');
  if (isFailure(writes)) return writes;
  result.attributes = writes;
  return result;
}

function parseTrack(
  op: Op,
  target: PersonTarget,
  kind: TrackKind,
  timestamp: number | undefined,
): Operation | Failure {
  let name = op['name'];
  const content = kind === 'viewed_content' || kind === 'clicked_content';
  if (content) {
    // Content actions name themselves: Segment sends `action` and `name` equal (segment-actions.md §5.13).
    if (name === undefined || name === null) name = kind;
    if (name !== kind) return fail('invalid', 'name', `name must equal the action "${kind}".`);
  }
  if (name === undefined || name === null || name === '') {
    return fail('required', 'name', `A ${kind === 'event' ? 'event' : kind} needs a name.`);
  }
  if (typeof name !== 'string') return fail('invalid', 'name', 'name must be a string.');
  // Customer.io trims leading and trailing spaces of event names (§3.3).
  const trimmed = name.trim();
  if (trimmed === '') return fail('required', 'name', 'name must not be blank.');
  if (byteLength(trimmed) > LIMITS.eventNameBytes) {
    return fail('too_long', 'name', `Event names must be at most ${LIMITS.eventNameBytes} bytes.`);
  }
  const data = optionalObject(op['attributes'], 'attributes');
  if (isFailure(data)) return data;
  if (jsonBytes(data) > LIMITS.eventDataBytes) {
    return fail('too_long', 'attributes', `Event data must be at most ${LIMITS.eventDataBytes} bytes.`);
  }
  let id: string | undefined;
  if (op['id'] !== undefined && op['id'] !== null && op['id'] !== '') {
    const text = parseIdentifier(op['id'], 'id', 'Event id');
    if (isFailure(text)) return text;
    id = text;
  }
  return {
    op: 'track',
    target,
    kind,
    name: trimmed,
    data: cloneJson(data),
    ...(id !== undefined && { id }),
    ...(timestamp !== undefined && { timestamp }),
  };
}

const PLATFORMS = ['ios', 'android'];

function parseToken(value: unknown, field: string): string | Failure {
  if (value === undefined || value === null || value === '') {
    return fail('required', field, 'A device token is required.');
  }
  if (typeof value !== 'string') return fail('invalid', field, 'The device token must be a string.');
  return value;
}

function parseAddDevice(op: Op, target: PersonKey, timestamp: number | undefined): Operation | Failure {
  if (op['device'] === undefined || op['device'] === null) {
    return fail('required', 'device', 'device is required.');
  }
  const device = op['device'];
  if (!isRecord(device)) return fail('invalid', 'device', 'device must be a JSON object.');
  const token = parseToken(device['token'], 'device.token');
  if (isFailure(token)) return token;
  const platform = device['platform'];
  if (platform === undefined || platform === null || platform === '') {
    return fail('required', 'device.platform', 'device.platform is required (ios or android).');
  }
  if (typeof platform !== 'string' || !PLATFORMS.includes(platform)) {
    return fail(
      'invalid',
      'device.platform',
      `device.platform must be ios or android, not ${JSON.stringify(platform)}.`,
    );
  }
  const lastUsed = optionalSeconds(device['last_used'], 'device.last_used');
  if (isFailure(lastUsed)) return lastUsed;
  const record = optionalObject(device['attributes'], 'device.attributes');
  if (isFailure(record)) return record;
  const attributes = parseAttributes(record, 'device.attributes');
  if (isFailure(attributes)) return attributes;
  return {
    op: 'add_device',
    target,
    token,
    platform,
    attributes,
    ...(lastUsed !== undefined && { lastUsed }),
    ...(timestamp !== undefined && { timestamp }),
  };
}

function parseMerge(op: Op): Operation | Failure {
  if (op['identifiers'] !== undefined) {
    return fail('invalid', 'identifiers', 'merge takes primary and secondary, not identifiers.');
  }
  const primary = parsePersonKey(op['primary'], 'primary');
  if (isFailure(primary)) return primary;
  const secondary = parsePersonKey(op['secondary'], 'secondary');
  if (isFailure(secondary)) return secondary;
  const timestamp = optionalSeconds(op['timestamp'], 'timestamp');
  if (isFailure(timestamp)) return timestamp;
  return { op: 'merge', primary, secondary, ...(timestamp !== undefined && { timestamp }) };
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
