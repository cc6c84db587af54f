/**
 * Request ids: each request gets one, its log lines carry it (`reqId`, through Fastify's request
 * logger) and its answer says it in `X-Request-Id`. An incoming `X-Request-Id` (a proxy's or the
 * caller's) is kept when it looks like an id, so one id follows a request across services; anything
 * else (too long, spaces, control characters that could forge log lines) is replaced.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyInstance } from 'fastify';

export const REQUEST_ID_HEADER = 'x-request-id';
const SANE_ID = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

export function requestId(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

/**
 * On the root instance, before the routes: every answer names its id, and each request is logged
 * once at debug level (LOG_LEVEL=debug): path without the query string (a key could be there),
 * status and duration. At the default level pino's disabled debug() is a no-op.
 */
export function requestIdHooks(app: FastifyInstance): void {
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.debug(
      {
        method: request.method,
        path: request.url.split('?')[0]!.slice(0, 200),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  });
}
