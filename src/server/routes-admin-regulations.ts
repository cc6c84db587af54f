/** `POST /admin/regulations` `{type: "delete" | "suppress", userIds: [...]}`: see admin-regulations.ts. */
import type { FastifyInstance } from 'fastify';
import { jsonBody } from './admin-body.js';
import { applyRegulation, readRegulation } from './admin-regulations.js';
import type { ServerContext } from './context.js';

export function regulationRoute(app: FastifyInstance, ctx: ServerContext): void {
  app.post('/regulations', async (request) => applyRegulation(ctx, readRegulation(await jsonBody(request))));
}
