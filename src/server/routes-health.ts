/**
 * Open probes for orchestrators: `/health` answers 200 while the process serves HTTP (liveness);
 * `/ready` answers 200 only while the relay can take events (readiness): its configuration is
 * loaded (the server exists only once it was read and validated), delivery runs (not starting or
 * draining), and the store commits a write (store-probe.ts; ingest would answer 503 otherwise).
 */
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from './context.js';
import { failure } from './responses.js';
import { createStoreProbe } from './store-probe.js';

export async function healthRoutes(app: FastifyInstance, ctx: ServerContext): Promise<void> {
  const storeProbe = createStoreProbe(ctx.store);
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (request, reply) => {
    if (!ctx.delivery.ready()) {
      return reply
        .code(503)
        .send(failure('not_ready', 'delivery is starting or shutting down; try again shortly'));
    }
    const store = await storeProbe();
    if (!store.ok) {
      // The error may be long or name the database's host: the log has it, the answer does not.
      const turn = ctx.storeFailureLog();
      if (turn.log) request.log.error({ err: store.error }, 'ready: the store cannot commit a write');
      return reply
        .code(503)
        .send(failure('store_unavailable', 'the store cannot commit a write; the relay log says why'));
    }
    return reply.send({ ready: true });
  });
}
