/**
 * What a request carries, before any event is validated: the list of raw events. A single-event
 * route (`/v1/track`, `/v1/t`...) carries one event whose type is the route's; `/v1/batch` carries
 * `{ batch: [...] }` whose top-level `context`, `integrations` and `sentAt` apply to each event
 * unless the event has its own (Segment's batch API; the event's keys win, one level deep:
 * `context.ip` of the batch fills in an event's context that lacks `ip`).
 */
import { reject } from '../errors.js';
import type { EventType } from '../events/index.js';
import { MAX_BATCH_EVENTS } from '../events/index.js';
import type { HttpFailure } from './responses.js';
import { httpFailure } from './responses.js';

export type IngestRoute = EventType | 'batch';

export interface Envelope {
  events: unknown[];
}

type Fields = Record<string, unknown>;

export function openEnvelope(body: unknown, route: IngestRoute): Envelope | HttpFailure {
  if (!isObject(body)) {
    const what = route === 'batch' ? '{"batch": [ ...events ]}' : `one ${route} event`;
    return httpFailure(400, reject('not_an_object', `the request body must be a JSON object: ${what}`));
  }
  return route === 'batch' ? openBatch(body) : openSingle(body, route);
}

function openSingle(event: Fields, route: EventType): Envelope | HttpFailure {
  const type = event.type;
  const absent = type === undefined || type === null || type === '';
  if (!absent && type !== route && (typeof type !== 'string' || type.toLowerCase() !== route)) {
    const shown = typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : `a ${typeof type}`;
    return httpFailure(
      400,
      reject(
        'type_mismatch',
        `/v1/${route} takes ${route} events but this one has type ${shown}; send it to the endpoint of its type or to /v1/batch, or leave type out`,
      ),
    );
  }
  event.type = route;
  return { events: [event] };
}

function openBatch(body: Fields): Envelope | HttpFailure {
  const events = body.batch;
  if (!Array.isArray(events)) {
    return httpFailure(
      400,
      reject(
        'invalid_batch',
        '/v1/batch needs a "batch" array of events: {"batch": [{"type": "track", ...}]}',
      ),
    );
  }
  if (events.length > MAX_BATCH_EVENTS) {
    return httpFailure(
      400,
      reject(
        'too_many_events',
        `a batch holds at most ${MAX_BATCH_EVENTS} events (got ${events.length}); split it into several requests`,
      ),
    );
  }
  const context = isObject(body.context) ? body.context : undefined;
  const integrations = isObject(body.integrations) ? body.integrations : undefined;
  const sentAt = body.sentAt ?? undefined;
  if (context !== undefined || integrations !== undefined || sentAt !== undefined) {
    for (const event of events) {
      if (!isObject(event)) continue; // validation rejects it with its index
      if (context !== undefined) event.context = merged(context, event.context);
      if (integrations !== undefined) event.integrations = merged(integrations, event.integrations);
      if (sentAt !== undefined && (event.sentAt === undefined || event.sentAt === null))
        event.sentAt = sentAt;
    }
  }
  return { events };
}

/** The batch's keys under the event's own; an event value that is not an object is left to validation. */
function merged(shared: Fields, own: unknown): unknown {
  if (own === undefined || own === null) return { ...shared };
  return isObject(own) ? { ...shared, ...own } : own;
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
