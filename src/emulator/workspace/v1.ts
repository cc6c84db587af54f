/**
 * Track API v1 (rudderstack-classic-trackapi.md §3.3), translated into v2 operation bodies and
 * parsed by the same v2 parser, so that the same logical event sent through either API version
 * reaches the same internal operation and leaves the same state.
 *
 * The path identifier is read by its shape (§3.2): `cio_<cio_id>`, an email, else an id.
 * Answers: 200 `{}`; 400 `{meta:{error}}` (the device endpoint answers `{meta:{errors:[...]}}`, as
 * documented); 404 `{meta:{error:"not found"}}` for any other path or method.
 */
import type { V1Result } from '../contract.js';
import { parseV1Metric } from './metrics.js';
import type { Operation } from './operations.js';
import { type Failure, isFailure, isRecord, looksLikeEmail } from './util.js';
import { parseV2 } from './v2-validate.js';

export interface V1Plan {
  ops: Operation[];
  /** The device endpoint lists its errors: `{meta:{errors:[...]}}`. */
  errorList: boolean;
}

export const OK: V1Result = { status: 200, body: {} };
const NOT_FOUND: V1Result = { status: 404, body: { meta: { error: 'not found' } } };

export function badRequest(message: string, errorList = false): V1Result {
  return { status: 400, body: { meta: errorList ? { errors: [message] } : { error: message } } };
}

function segments(path: string): string[] | undefined {
  const bare = path.split('?')[0] ?? '';
  const parts = bare.split('/').filter((part) => part !== '');
  try {
    return parts.map((part) => decodeURIComponent(part));
  } catch {
    return undefined;
  }
}

/** The v2 `identifiers` for a path identifier. */
function identifiersOf(value: string): Record<string, string> {
  if (value.startsWith('cio_')) return { cio_id: value.slice(4) };
  if (looksLikeEmail(value)) return { email: value };
  return { id: value };
}

/** Own keys of a body without some of them, as a fresh object (no prototype tricks). */
function without(body: Record<string, unknown>, ...keys: string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !keys.includes(key)));
}

/** A refusal found while translating; a class so it cannot be mistaken for a body (both are objects). */
class Refusal {
  constructor(readonly answer: V1Result) {}
}

function refuse(message: string, errorList = false): Refusal {
  return new Refusal(badRequest(message, errorList));
}

function bodyObject(body: unknown, optional: boolean): Record<string, unknown> | Refusal {
  if ((body === undefined || body === null) && optional) return {};
  if (!isRecord(body)) return refuse('The request body must be a JSON object.');
  return body;
}

export function translateV1(method: string, path: string, body: unknown): V1Plan | V1Result {
  const parts = segments(path);
  if (parts === undefined) return badRequest('The path is not valid URL encoding.');
  const verb = method.toUpperCase();
  const [head, who, sub, extra, ...rest] = parts;
  if (rest.length > 0) return NOT_FOUND;

  if (head === 'customers' && who !== undefined) {
    const identifiers = identifiersOf(who);
    const person = { type: 'person', identifiers };
    if (sub === undefined && extra === undefined) {
      if (verb === 'PUT') return identify(person, body);
      if (verb === 'DELETE') return plan([{ ...person, action: 'delete' }]);
    }
    if (sub === 'events' && extra === undefined && verb === 'POST') return track(person, body);
    if (sub === 'devices' && extra === undefined && verb === 'PUT') return addDevice(person, body);
    if (sub === 'devices' && extra !== undefined && verb === 'DELETE') {
      return plan([{ ...person, action: 'delete_device', device: { token: extra } }]);
    }
    if ((sub === 'suppress' || sub === 'unsuppress') && extra === undefined && verb === 'POST') {
      return plan([{ ...person, action: sub }]);
    }
    return NOT_FOUND;
  }
  if (who !== undefined || verb !== 'POST') return NOT_FOUND;
  if (head === 'events') return anonymousTrack(body);
  if (head === 'merge_customers') {
    const merge = bodyObject(body, false);
    if (merge instanceof Refusal) return merge.answer;
    return plan([
      { type: 'person', action: 'merge', primary: merge['primary'], secondary: merge['secondary'] },
    ]);
  }
  if (head === 'metrics') {
    const op = parseV1Metric(body);
    return isFailure(op) ? badRequest(op.message) : { ops: [op], errorList: false };
  }
  return NOT_FOUND;
}

/** Parse v2-shaped bodies; the first failure becomes the 400 answer. */
function plan(bodies: Record<string, unknown>[], errorList = false): V1Plan | V1Result {
  const ops: Operation[] = [];
  for (const body of bodies) {
    const op: Operation | Failure = parseV2(body, { entityLimit: false });
    if (isFailure(op)) return badRequest(op.message, errorList);
    ops.push(op);
  }
  return { ops, errorList };
}

/**
 * `PUT /customers/{id}`: the body is the attributes. `cio_relationships` in a v1 body is
 * `{action: add_relationships|delete_relationships, relationships:[...]}` (or a bare array, read as
 * add); additions ride on the identify, deletions follow it as a second operation.
 */
function identify(person: Record<string, unknown>, body: unknown): V1Plan | V1Result {
  const attributes = bodyObject(body, true);
  if (attributes instanceof Refusal) return attributes.answer;
  const identify: Record<string, unknown> = {
    ...person,
    action: 'identify',
    attributes: without(attributes, 'cio_relationships'),
  };
  const relationships = attributes['cio_relationships'];
  if (relationships === undefined || relationships === null) return plan([identify]);
  if (Array.isArray(relationships)) return plan([{ ...identify, cio_relationships: relationships }]);
  if (!isRecord(relationships)) {
    return badRequest('cio_relationships must be {action, relationships:[...]}.');
  }
  const action = relationships['action'] ?? 'add_relationships';
  if (action === 'add_relationships') {
    return plan([{ ...identify, cio_relationships: relationships['relationships'] }]);
  }
  if (action === 'delete_relationships') {
    return plan([
      identify,
      { ...person, action: 'delete_relationships', cio_relationships: relationships['relationships'] },
    ]);
  }
  return badRequest('cio_relationships.action must be add_relationships or delete_relationships.');
}

const EVENT_TYPES = ['event', 'page', 'screen'];

/** `{name, type: event|page|screen, data, timestamp, id}` → v2 event/page/screen. */
function eventBody(body: Record<string, unknown>): Record<string, unknown> | Refusal {
  const type = body['type'] ?? 'event';
  if (typeof type !== 'string' || !EVENT_TYPES.includes(type)) {
    return refuse('type must be event, page or screen.');
  }
  const data = body['data'];
  if (data !== undefined && data !== null && !isRecord(data)) return refuse('data must be a JSON object.');
  return { action: type, name: body['name'], attributes: data, timestamp: body['timestamp'], id: body['id'] };
}

function track(person: Record<string, unknown>, body: unknown): V1Plan | V1Result {
  const event = bodyObject(body, false);
  if (event instanceof Refusal) return event.answer;
  const v2 = eventBody(event);
  if (v2 instanceof Refusal) return v2.answer;
  return plan([{ ...person, ...v2 }]);
}

/**
 * `POST /events`: an anonymous event. An empty anonymous_id with `data.recipient` is an "invite"
 * event (CIO-node): Customer.io sends it to the recipient without storing a profile, so the
 * emulator accepts it and keeps nothing.
 */
function anonymousTrack(body: unknown): V1Plan | V1Result {
  const event = bodyObject(body, false);
  if (event instanceof Refusal) return event.answer;
  const v2 = eventBody(event);
  if (v2 instanceof Refusal) return v2.answer;
  const anonymousId = event['anonymous_id'];
  if (anonymousId === undefined || anonymousId === null || anonymousId === '') {
    const data = event['data'];
    if (isRecord(data) && data['recipient'] !== undefined) return plan([]);
    return badRequest('anonymous_id is required.');
  }
  return plan([{ type: 'person', identifiers: { anonymous_id: anonymousId }, ...v2 }]);
}

/**
 * `PUT /customers/{id}/devices` with `{device:{id, platform, last_used, attributes}}`. Other keys
 * of `device` are read as attributes: RudderStack's v0 integration spreads event properties there
 * and Customer.io accepts the request.
 */
function addDevice(person: Record<string, unknown>, body: unknown): V1Plan | V1Result {
  const request = bodyObject(body, false);
  if (request instanceof Refusal) return request.answer;
  const device = request['device'];
  if (!isRecord(device)) return badRequest('device is required.', true);
  const attributes = device['attributes'];
  if (attributes !== undefined && attributes !== null && !isRecord(attributes)) {
    return badRequest('device.attributes must be a JSON object.', true);
  }
  const v2Device = {
    token: device['id'],
    platform: device['platform'],
    last_used: device['last_used'],
    attributes: {
      ...without(device, 'id', 'platform', 'last_used', 'attributes'),
      ...(attributes ?? {}),
    },
  };
  return plan([{ ...person, action: 'add_device', device: v2Device }], true);
}
