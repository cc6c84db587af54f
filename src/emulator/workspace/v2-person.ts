/**
 * Validation of v2 `type:"person"` operations (rudderstack-classic-trackapi.md §3.4, bodies as
 * Segment sends them in segment-actions.md §5) into internal operations.
 */
import { LIMITS } from '../contract.js';
import { optionalObject, optionalSeconds, parseAttributes, parseIdentifier } from './fields.js';
import { fitsBytes, fitsJson } from './json-size.js';
import type { Operation, PersonKey, PersonTarget, TrackKind } from './operations.js';
import { type Failure, fail, isFailure, isRecord } from './util.js';
import { parsePersonKey, parsePersonTarget } from './v2-identifiers.js';
import { parseIdentify, parseObjectLinks } from './v2-identify.js';

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

/** `withinEntityLimit`: the operation is known to be within 32 KB (its event data then is too). */
export function parsePersonOp(op: Op, action: string, withinEntityLimit: boolean): Operation | Failure {
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
      return parseTrack(op, target, action, timestamp, withinEntityLimit);
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

function parseTrack(
  op: Op,
  target: PersonTarget,
  kind: TrackKind,
  timestamp: number | undefined,
  withinEntityLimit: boolean,
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
  if (!fitsBytes(trimmed, LIMITS.eventNameBytes)) {
    return fail('too_long', 'name', `Event names must be at most ${LIMITS.eventNameBytes} bytes.`);
  }
  const data = optionalObject(op['attributes'], 'attributes');
  if (isFailure(data)) return data;
  if (!withinEntityLimit && !fitsJson(data, LIMITS.eventDataBytes)) {
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
    // Not copied here: validation needs no copy; the commit copies it into the state.
    data,
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
