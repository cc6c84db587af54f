/**
 * The admin API under `/admin` (Bearer admin token): destinations and their state, resume, dead
 * letters, the delivery log, the last hour's activity, the event tester, live events, subscriptions,
 * regulations (GDPR deletes), health. Responses are JSON objects: lists are wrapped with the id to
 * ask for the next page (`null` when this page is the last), single items are wrapped by their kind.
 * Stored events and exchange bodies are returned as the JSON text the store keeps.
 */
import type { FastifyInstance } from 'fastify';
import type { DestinationStatus } from '../pipeline/delivery/port.js';
import type { DeadLetterSelection } from '../store/types.js';
import { readActivity } from './admin-activity.js';
import { jsonBody } from './admin-body.js';
import { adminHealth } from './admin-health.js';
import type { Query } from './admin-query.js';
import {
  deadLetterSelection,
  optionalInteger,
  optionalOutcome,
  optionalString,
  pageLimit,
  pathId,
  unknownDestination,
} from './admin-query.js';
import type { ServerContext } from './context.js';
import { failure, HttpError, sendFailure } from './responses.js';
import { liveRoute } from './routes-admin-live.js';
import { regulationRoute } from './routes-admin-regulations.js';
import { subscriptionRoutes } from './routes-admin-subscriptions.js';
import { testerRoute } from './routes-admin-tester.js';

type Named = { Params: { name: string } };
type WithId = { Params: { id: string } };

/** Registered with prefix `/admin`. */
export async function adminRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const names = ctx.config.destinations.map((d) => d.name);

  app.addHook('onRequest', async (request, reply) => {
    const refusal = ctx.adminGuard(request.headers.authorization);
    if (refusal !== undefined) return sendFailure(reply, refusal);
  });
  app.addHook('onSend', async (_request, _reply, payload) =>
    typeof payload === 'string' ? ctx.redact(payload) : payload,
  );

  // Scoped here so that the guard runs first: without the token, every /admin path is a 401.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!.slice(0, 200);
    return reply.code(404).send(failure('not_found', `no admin route ${request.method} ${path}`));
  });

  app.get('/destinations', async () => ({ destinations: await ctx.delivery.status() }));

  app.get<Named>('/destinations/:name', async (request) => ({
    destination: await destinationStatus(ctx, request.params.name, names),
  }));

  app.post<Named>('/destinations/:name/resume', async (request) => {
    const { name } = request.params;
    if (!(await ctx.delivery.resume(name))) throw unknownDestination(name, names);
    return { success: true, destination: await destinationStatus(ctx, name, names) };
  });

  app.get('/dead-letters', async (request) => {
    const query = request.query as Query;
    const limit = pageLimit(query);
    const deadLetters = await ctx.store.listDeadLetters({
      destination: optionalString(query, 'destination'),
      afterId: optionalInteger(query, 'afterId'),
      limit,
    });
    const last = deadLetters.length === limit ? deadLetters[deadLetters.length - 1] : undefined;
    return { deadLetters, nextAfterId: last?.id ?? null };
  });

  app.get<WithId>('/dead-letters/:id', async (request) => {
    const id = pathId(request.params.id, 'the dead letter id');
    const deadLetter = await ctx.store.getDeadLetter(id);
    if (deadLetter === undefined) throw new HttpError(404, 'not_found', `no dead letter with id ${id}`);
    return { deadLetter };
  });

  app.post('/dead-letters/replay', async (request) => {
    const selection = deadLetterSelection(await jsonBody(request), names);
    const replayed = await ctx.store.replayDeadLetters(selection, ctx.now());
    if (replayed > 0) for (const name of affected(selection, names)) ctx.delivery.replayed(name);
    return { success: true, replayed };
  });

  app.post('/dead-letters/drop', async (request) => {
    const dropped = await ctx.store.dropDeadLetters(deadLetterSelection(await jsonBody(request)));
    return { success: true, dropped };
  });

  app.get('/deliveries', async (request) => {
    const query = request.query as Query;
    const limit = pageLimit(query);
    const entries = await ctx.store.searchLog({
      destination: optionalString(query, 'destination'),
      messageId: optionalString(query, 'messageId'),
      personKey: optionalString(query, 'userId'),
      outcome: optionalOutcome(query),
      beforeId: optionalInteger(query, 'beforeId'),
      limit,
    });
    const last = entries.length === limit ? entries[entries.length - 1] : undefined;
    return { entries, nextBeforeId: last?.id ?? null };
  });

  testerRoute(app, ctx);
  liveRoute(app, ctx, (payload) => ctx.redact(payload));
  subscriptionRoutes(app, ctx);
  regulationRoute(app, ctx);

  app.get('/activity', async (request) => {
    const destination = optionalString(request.query as Query, 'destination');
    if (destination !== undefined && !names.includes(destination))
      throw unknownDestination(destination, names);
    return { activity: await readActivity(ctx.store, { now: ctx.now(), destination }) };
  });

  app.get('/health', async (_request, reply) => {
    const health = await adminHealth(ctx);
    return reply.code(health.store.ok ? 200 : 503).send(health);
  });
}

async function destinationStatus(
  ctx: ServerContext,
  name: string,
  names: string[],
): Promise<DestinationStatus> {
  const status = (await ctx.delivery.status()).find((d) => d.name === name);
  if (status === undefined) throw unknownDestination(name, names);
  return status;
}

/**
 * The destinations a replay woke up: the one named, else every configured one (finding the
 * destinations of a list of ids would cost a lookup per id; a needless wake-up costs nothing).
 */
function affected(selection: DeadLetterSelection, names: readonly string[]): readonly string[] {
  return selection.destination !== undefined && selection.ids === undefined && selection.all !== true
    ? [selection.destination]
    : names;
}
