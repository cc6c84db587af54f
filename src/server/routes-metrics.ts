/**
 * `GET /metrics`: Prometheus exposition. It sits behind the admin token like the rest of the admin
 * surface (queue depths and traffic per source say a lot about a business); Prometheus sends it
 * with `authorization: {credentials_file: ...}` in a scrape config. `admin.publicMetrics: true` opens it
 * for scrapers that cannot send a token (keep the port off the internet then).
 * Both are read from the context per request, so a token rotated by SIGHUP applies here too.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './context.js';
import { sendFailure } from './responses.js';

export async function metricsRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get('/metrics', async (request, reply) => {
    if (!ctx.config.admin.publicMetrics) {
      const refusal = ctx.adminGuard(request.headers.authorization);
      if (refusal !== undefined) return sendFailure(reply, refusal);
    }
    const text = await ctx.metrics.exposition();
    return reply.header('content-type', ctx.metrics.contentType).send(text);
  });
}
