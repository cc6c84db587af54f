/**
 * Regulations (GDPR/CCPA): `{type: "delete" | "suppress", userIds: [...]}` erases the people from
 * the relay's own store and queues a Delete or Suppress Person for them in every destination.
 *
 * Order: the local data goes first (events, jobs, delivery log, dead letters), so no event of that
 * person still queued can reach Customer.io after the delete; the deletes are then queued as jobs
 * (pipeline/regulation.ts), so they are retried, wait out a pause or an outage, and survive a
 * restart like any event. Both steps are idempotent: when the second fails (503), calling again
 * finishes the work. A batch of the person already on its way to Customer.io when the call arrives
 * is waited for: the store keeps its job as a barrier until its answer (conformance tests), so the
 * delete cannot land first and have the batch recreate the person.
 */
import { randomUUID } from 'node:crypto';
import { MAX_MESSAGE_ID_LENGTH } from '../events/index.js';
import { REGULATION_TYPES, type RegulationType, regulationEvent } from '../pipeline/regulation.js';
import type { ForgetResult, NewEvent } from '../store/types.js';
import type { ServerContext } from './context.js';
import { HttpError } from './responses.js';

/** Each userId costs a scan of the store's tables (no index by person on the hot path). */
export const MAX_REGULATION_USERS = 100;
/** Ingest bounds the whole event (32 KB), not the userId; this is far beyond any real id. */
const MAX_USER_ID_LENGTH = 1024;
/** The source name regulation events are stored under (no configured source can be named so). */
export const REGULATION_SOURCE = 'admin:regulations';

export interface RegulationRequest {
  type: RegulationType;
  userIds: string[];
}

export interface RegulationAnswer {
  success: true;
  type: RegulationType;
  /** How many distinct people the call named. */
  people: number;
  /** What was removed from the relay's store, over all of them. */
  removed: ForgetResult;
  /** Destination name → Delete/Suppress Person operations queued for it. */
  queued: Record<string, number>;
}

const SHAPE = `send {"type": "delete" | "suppress", "userIds": ["user-1", ...]} with 1 to ${MAX_REGULATION_USERS} userIds`;

export function readRegulation(body: unknown): RegulationRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw bad(`no JSON object: ${SHAPE}`);
  const { type, userIds, ...rest } = body as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw bad(`unknown field ${JSON.stringify(unknown[0])}: ${SHAPE}`);
  if (!(REGULATION_TYPES as readonly unknown[]).includes(type)) {
    throw bad(`type must be "delete" or "suppress" (got ${describe(type)}): ${SHAPE}`);
  }
  if (!Array.isArray(userIds) || userIds.length === 0) {
    throw bad(`userIds must be a non-empty array of strings (got ${describe(userIds)}): ${SHAPE}`);
  }
  if (userIds.length > MAX_REGULATION_USERS) {
    throw new HttpError(
      400,
      'too_many_users',
      `${userIds.length} userIds in one call; send at most ${MAX_REGULATION_USERS} per call (split the list)`,
    );
  }
  userIds.forEach((id, index) => {
    if (typeof id !== 'string' || id === '' || id.length > MAX_USER_ID_LENGTH) {
      throw bad(
        `userIds[${index}] must be a non-empty string of at most ${MAX_USER_ID_LENGTH} characters (got ${describe(id)})`,
      );
    }
  });
  return { type: type as RegulationType, userIds: [...new Set(userIds as string[])] };
}

export async function applyRegulation(
  ctx: ServerContext,
  request: RegulationRequest,
): Promise<RegulationAnswer> {
  const removed: ForgetResult = { events: 0, jobs: 0, logEntries: 0, deadLetters: 0 };
  // One person at a time: each is a transaction of its own, so ingest interleaves with a long list.
  for (const userId of request.userIds) {
    const forgotten = await ctx.store.forgetPerson(userId);
    removed.events += forgotten.events;
    removed.jobs += forgotten.jobs;
    removed.logEntries += forgotten.logEntries;
    removed.deadLetters += forgotten.deadLetters;
  }
  const destinations = ctx.config.destinations.map((d) => d.name);
  const now = ctx.now();
  const events = request.userIds.map((userId): NewEvent => {
    const messageId = `regulation-${randomUUID()}`.slice(0, MAX_MESSAGE_ID_LENGTH);
    return {
      source: REGULATION_SOURCE,
      messageId,
      personKey: userId,
      body: JSON.stringify(regulationEvent(request.type, userId, messageId, now)),
      receivedAt: now,
      destinations,
    };
  });
  try {
    await ctx.store.append(events, { dedupeWindowMs: 0 });
  } catch (error) {
    ctx.log.error({ err: error }, 'regulations: the store could not queue the deletes; answering 503');
    throw new HttpError(
      503,
      'store_unavailable',
      `the people's data was removed from the relay's store, but the ${request.type} requests for Customer.io could not be queued; call again (it is safe to repeat)`,
    );
  }
  ctx.delivery.notify(destinations);
  return {
    success: true,
    type: request.type,
    people: request.userIds.length,
    removed,
    queued: Object.fromEntries(destinations.map((name) => [name, events.length])),
  };
}

function bad(message: string): HttpError {
  return new HttpError(400, 'invalid_regulation', message);
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
