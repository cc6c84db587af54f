/**
 * Open probes for orchestrators: `/health` answers 200 while the process serves HTTP (liveness);
 * `/ready` answers 200 only while delivery runs, 503 while it starts or drains (readiness).
 * Neither touches the store, so a probe can never pile up behind a slow commit.
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './context.js';
import { failure } from './responses.js';

export async function healthRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) =>
    ctx.delivery.ready()
      ? reply.send({ ready: true })
      : reply
          .code(503)
          .send(failure('not_ready', 'delivery is starting or shutting down; try again shortly')),
  );
}
