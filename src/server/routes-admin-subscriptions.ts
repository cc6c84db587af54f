/**
 * The subscriptions editor's admin routes:
 * - `GET /admin/actions`: every action with its fields (label, type, required, default mapping);
 * - `GET /admin/destinations/:name/subscriptions`: the subscriptions in force;
 * - `POST /admin/destinations/:name/subscriptions/check`: `{problems}` for edited subscriptions;
 * - `PUT /admin/destinations/:name/subscriptions`: check, save them in the configuration file,
 *   and put them in force (delivery maps with them from its next batch; the tester uses them).
 */
import { basename } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ACTIONS } from '../customerio/index.js';
import {
  destinationRoutes,
  getProfile,
  isFilterRule,
  type RouteConfig,
  type SubscriptionConfig,
} from '../profiles/index.js';
import { jsonBody } from './admin-body.js';
import { unknownDestination } from './admin-query.js';
import { checkEditedSubscriptions } from './admin-subscriptions.js';
import { rewriteSubscriptions } from './config-rewrite.js';
import type { ServerContext } from './context.js';
import { HttpError } from './responses.js';

type Named = { Params: { name: string } };

export function subscriptionRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const names = ctx.config.destinations.map((d) => d.name);
  const destinationOf = (name: string) => {
    const destination = ctx.config.destinations.find((d) => d.name === name);
    if (destination === undefined) throw unknownDestination(name, names);
    return destination;
  };

  app.get('/actions', async () => ({
    actions: Object.values(ACTIONS).map(({ key, title, description, defaultTrigger, fields }) => ({
      key,
      title,
      description,
      defaultTrigger,
      fields: Object.entries(fields).map(([name, field]) => ({ name, ...field })),
    })),
  }));

  app.get<Named>('/destinations/:name/subscriptions', async (request) => {
    const destination = destinationOf(request.params.name);
    return {
      subscriptions: editable(destination.subscriptions),
      profile: destination.profile,
      file: ctx.config.file === undefined ? null : basename(ctx.config.file),
    };
  });

  app.post<Named>('/destinations/:name/subscriptions/check', async (request) => {
    destinationOf(request.params.name);
    const body = (await jsonBody(request)) as { subscriptions?: unknown } | undefined;
    return { problems: checkEditedSubscriptions(body?.subscriptions).problems };
  });

  app.put<Named>('/destinations/:name/subscriptions', async (request, reply) => {
    const destination = destinationOf(request.params.name);
    const body = (await jsonBody(request)) as { subscriptions?: unknown } | undefined;
    const { subscriptions, problems } = checkEditedSubscriptions(body?.subscriptions);
    if (problems.length > 0) {
      const message = `not saved: ${problems.map((p) => p.message).join('; ')}`;
      return reply.code(400).send({ success: false, code: 'invalid_subscriptions', message, problems });
    }
    const file = ctx.config.file;
    if (file === undefined) {
      throw new HttpError(
        409,
        'no_config_file',
        'this relay runs without a configuration file (the demo configuration); start it with --config <file> to save subscriptions',
      );
    }
    const refusal = await rewriteSubscriptions(file, destination.name, subscriptions);
    if (refusal !== undefined) throw new HttpError(409, refusal.code, refusal.message);
    // In force at once, as the file would give them at the next start: with the profile's rules.
    const routes = destinationRoutes(getProfile(destination.profile), destination.settings, subscriptions);
    await ctx.delivery.applySubscriptions(destination.name, routes);
    destination.subscriptions = routes;
    destination.presets = subscriptions.length === 0;
    return { success: true, file: basename(file), message: 'in force now' };
  });
}

/**
 * What the file may hold: a profile's filter rules and adjustments are the profile's (they apply
 * to whatever subscriptions the file sets), so the editor neither shows nor saves them.
 */
function editable(routes: readonly RouteConfig[]): SubscriptionConfig[] {
  return routes.flatMap((route) => {
    if (isFilterRule(route)) return [];
    const { adjust: _profile, ...subscription } = route;
    return [subscription];
  });
}
