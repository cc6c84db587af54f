/**
 * Track API v1 (`/api/v1/*`), `GET /auth` and `GET /api/v1/accounts/region`. v1 rules live in the
 * workspace (`applyV1`); this file only turns HTTP into (method, path, body) and back.
 */
import type { FastifyInstance } from 'fastify';
import type { V1Result } from '../contract.js';
import { LIMITS } from '../contract.js';
import { readJsonBody } from './body.js';
import type { ServerContext } from './context.js';
import { pathOf, rawBody } from './context.js';
import { metaError } from './responses.js';
import { sinkApplyV1 } from './sink-v1.js';

/**
 * v1 has no documented per-request size; event `data` alone may reach 100,000 bytes, so the 32 KB v2
 * limit cannot apply. The emulator caps a v1 body at the v2 batch size (500 KB) as a sanity limit.
 */
const V1_MAX_BYTES = LIMITS.batchBytes;
/** A fixed stand-in for the numeric environment id the real region endpoint returns. */
const ENVIRONMENT_ID = 1;

export function registerV1Routes(app: FastifyInstance, ctx: ServerContext): void {
  app.get('/auth', async () => ({}));

  app.get('/api/v1/accounts/region', async (request) => ({
    // The address the client used to reach us, so a region auto-detect points back at the emulator.
    url: request.headers.host ? `http://${request.headers.host}` : ctx.url(),
    region: 'us',
    environment_id: ENVIRONMENT_ID,
  }));

  app.route({
    method: ['GET', 'PUT', 'POST', 'DELETE', 'PATCH'],
    url: '/api/v1/*',
    handler: async (request, reply) => {
      const read = readJsonBody(rawBody(request), request.headers['content-type'], {
        maxBytes: V1_MAX_BYTES,
        route: '/api/v1',
        required: false,
      });
      const operations = ctx.stats.value.operations;
      if (!read.ok) {
        operations.rejected += 1;
        return reply.code(400).send(metaError(read.error.message));
      }
      // The workspace wants the path still URL-encoded, exactly as sent.
      const path = pathOf(request.url).slice('/api/v1'.length);
      const result = apply(ctx, request.method, path, read.value);
      if (result.status >= 200 && result.status < 300) operations.accepted += 1;
      else operations.rejected += 1;
      return reply.code(result.status).send(result.body ?? {});
    },
  });
}

function apply(ctx: ServerContext, method: string, path: string, body: unknown): V1Result {
  if (ctx.sink) return sinkApplyV1(method, path, body);
  return ctx.workspace.applyV1(method, path, body);
}
