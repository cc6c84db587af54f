/**
 * The Segment HTTP Tracking API under `/v1`: `identify|track|page|screen|group|alias` (and their
 * one-letter forms), `batch` and its alias `import`. An answer is sent only after the store has
 * committed the events (so a 200 is never lost), or 503 with Retry-After when it could not.
 * Duplicates (same source and messageId within the dedupe window) are answered 200, as Segment does.
 *
 * Success: `{ success: true, duplicates?: n, rejected?: [{ index, code, message }] }`.
 * Refusal: `{ success: false, code, message, rejected? }` (400 when every event of a batch is invalid).
 */
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { EventType } from '../events/index.js';
import { storeFailureCause } from '../store/index.js';
import type { NewEvent } from '../store/types.js';
import { acceptEvents } from './accept.js';
import { readBody } from './body.js';
import type { ServerContext } from './context.js';
import type { IngestRoute } from './envelope.js';
import { openEnvelope } from './envelope.js';
import type { Preparer } from './ingest-mapping.js';
import type { RateLimited } from './ingest-rate-limit.js';
import type { RejectedEvent } from './responses.js';
import { failure, httpFailure, sendFailure } from './responses.js';
import { basicUser } from './write-key.js';

const SINGLE: ReadonlyArray<[EventType, string]> = [
  ['identify', 'i'],
  ['track', 't'],
  ['page', 'p'],
  ['screen', 's'],
  ['group', 'g'],
  ['alias', 'a'],
];

export interface IngestSuccess {
  success: true;
  duplicates?: number;
  rejected?: RejectedEvent[];
}

/** Registered with prefix `/v1`; CORS applies to these routes only (admin is not for browsers' SDKs). */
export async function ingestRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  await app.register(cors, {
    origin: '*',
    methods: ['POST'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Content-Encoding'],
    credentials: false,
    maxAge: 86_400,
  });
  app.addHook('onResponse', async (_request, reply) => ctx.metrics.ingest.answered(reply.statusCode));
  const handler = (route: IngestRoute) => (request: FastifyRequest, reply: FastifyReply) =>
    ingest(ctx, route, request, reply);
  for (const [type, short] of SINGLE) {
    app.post(`/${type}`, handler(type));
    app.post(`/${short}`, handler(type));
  }
  app.post('/batch', handler('batch'));
  app.post('/import', handler('batch'));
}

async function ingest(
  ctx: ServerContext,
  route: IngestRoute,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<FastifyReply> {
  // A write key in the header decides before the body is read: a wrong key costs no parsing.
  const headerKey = basicUser(request.headers.authorization);
  let source = headerKey === undefined ? undefined : ctx.lookupSource(headerKey);
  if (typeof source === 'object') return sendFailure(reply, source);
  const limited = source === undefined ? undefined : ctx.limitIngest(source, ctx.now());
  if (limited) return sendLimited(reply, limited);

  const body = readBody(request.body, request.headers);
  if (!body.ok) return sendFailure(reply, body.failure);
  if (source === undefined) {
    const bodyKey =
      typeof body.value === 'object' && body.value !== null
        ? (body.value as { writeKey?: unknown }).writeKey
        : undefined;
    source = ctx.lookupSource(bodyKey);
    if (typeof source === 'object') return sendFailure(reply, source);
    const overLimit = ctx.limitIngest(source, ctx.now());
    if (overLimit) return sendLimited(reply, overLimit);
  }

  const envelope = openEnvelope(body.value, route);
  if ('status' in envelope) return sendFailure(reply, envelope);

  const now = ctx.now();
  const arrival = { source, receivedAt: now, receivedAtIso: new Date(now).toISOString() };
  const accepted = acceptEvents(envelope.events, arrival, ctx.routes.get(source) ?? [], preparer(ctx));
  const { events, rejected } = accepted;
  if (events.length === 0 && rejected.length > 0) {
    ctx.metrics.ingest.ingested(source, envelope.events.length, rejected, events, []);
    if (route !== 'batch') return sendFailure(reply, httpFailure(400, rejected[0]!));
    const message = `every event of the batch was rejected (${rejected.length}); the first, at index ${rejected[0]!.index}: ${rejected[0]!.message}`;
    return reply.code(400).send(failure('invalid_events', message, rejected));
  }

  let duplicates: readonly number[] = [];
  if (events.length > 0) {
    try {
      const result = await ctx.store.append(events, { dedupeWindowMs: ctx.config.dedupe.windowMs });
      duplicates = result.duplicates;
    } catch (error) {
      const turn = ctx.storeFailureLog();
      if (turn.log) {
        const detail = { err: error, events: events.length, suppressed: turn.suppressed };
        request.log.error(detail, 'ingest: the store could not commit events; answering 503');
      }
      ctx.metrics.ingest.notStored(source, envelope.events.length);
      return reply
        .code(503)
        .header('retry-after', '1')
        .send(
          failure(
            'store_unavailable',
            `the relay could not store the events${because(error)}, so none of them was accepted; retry later`,
          ),
        );
    }
    if (accepted.routed && storedAnyRouted(events, duplicates)) wake(ctx, source);
    ctx.live.publish(events, duplicates);
  }
  ctx.metrics.ingest.ingested(source, envelope.events.length, rejected, events, duplicates);
  const answer: IngestSuccess = { success: true };
  if (duplicates.length > 0) answer.duplicates = duplicates.length;
  if (rejected.length > 0) answer.rejected = rejected;
  return reply.send(answer);
}

function sendLimited(reply: FastifyReply, limited: RateLimited): FastifyReply {
  return sendFailure(reply.header('retry-after', String(limited.retryAfterSeconds)), limited);
}

/** False when every event with a destination was a duplicate: nothing new for delivery. */
function storedAnyRouted(events: readonly NewEvent[], duplicates: readonly number[]): boolean {
  if (duplicates.length === 0) return true;
  const skipped = new Set(duplicates);
  return events.some((event, index) => event.destinations.length > 0 && !skipped.has(index));
}

/** The events are committed whatever happens here: a failing wake-up must not turn into an error. */
function wake(ctx: ServerContext, source: string): void {
  try {
    ctx.delivery.notify(ctx.routes.get(source) ?? []);
  } catch (error) {
    ctx.log.error({ err: error }, 'ingest: delivery.notify failed (the events are stored)');
  }
}

/** For the not-found message. */
export const INGEST_PATHS = `${SINGLE.map(([type]) => `/v1/${type}`).join(', ')}, /v1/batch`;

/** ` (the relay's disk is full)` when the store's error says why it failed, else nothing. */
function because(error: unknown): string {
  const cause = storeFailureCause(error);
  return cause ? ` (${cause})` : '';
}

/** Ingest's mapping, unless delivery is the less busy thread right now (relay/mapping-balance.ts). */
function preparer(ctx: ServerContext): Preparer | undefined {
  return ctx.prepare !== undefined && ctx.delivery.ingestShouldMap?.() !== false ? ctx.prepare : undefined;
}
