/**
 * `POST /admin/destinations/:name/test` `{event, send?, subscriptions?}`: the event tester (see
 * admin-tester.ts). Without `send`, nothing is stored or sent. With it, the event is stored for this
 * destination alone and delivery is woken; the answer's messageId finds the outcome in the log.
 */
import type { FastifyInstance } from 'fastify';
import { jsonBody } from './admin-body.js';
import { unknownDestination } from './admin-query.js';
import { readTesterInput, testEvent } from './admin-tester.js';
import type { ServerContext } from './context.js';
import { HttpError } from './responses.js';

export function testerRoute(app: FastifyInstance, ctx: ServerContext): void {
  const names = ctx.config.destinations.map((d) => d.name);
  app.post<{ Params: { name: string } }>('/destinations/:name/test', async (request) => {
    const destination = ctx.config.destinations.find((d) => d.name === request.params.name);
    if (destination === undefined) throw unknownDestination(request.params.name, names);
    const input = readTesterInput(await jsonBody(request));
    const { result, stored } = testEvent(destination, input, ctx.now());
    if (!input.send) return { test: result, sent: null };
    if (input.subscriptions !== undefined) {
      throw new HttpError(
        400,
        'unsaved_subscriptions',
        'delivery maps events with the saved subscriptions; save them first, or test without sending',
      );
    }
    if (!result.routed) {
      throw new HttpError(
        400,
        'not_routed',
        "the event's integrations turn Customer.io off; nothing to send",
      );
    }
    const { duplicates } = await ctx.store.append([stored], { dedupeWindowMs: ctx.config.dedupe.windowMs });
    if (duplicates.length > 0) {
      throw new HttpError(
        409,
        'duplicate_message_id',
        `messageId ${JSON.stringify(stored.messageId)} was already sent by the tester; change it or leave it out`,
      );
    }
    ctx.delivery.notify([destination.name]);
    ctx.live.publish([stored]);
    return { test: result, sent: { messageId: stored.messageId } };
  });
}
