/**
 * `createServer()`: one Fastify instance with ingest (`/v1`), the admin API (`/admin`), the open
 * probes (`/health`, `/ready`) and the web console's files (`/console/`), registered but not listening (the caller listens and closes).
 *
 * Throughput decisions: no request logging at the default level (a log line per request would
 * cost more than the request; LOG_LEVEL=debug has one, see request-id.ts), one catch-all parser that hands the body over as a Buffer (body.ts parses it once,
 * after gunzip when needed), and Fastify's bodyLimit at 500 KB so an oversize body is refused
 * while it arrives (a Content-Length above it is refused before anything is read).
 */
import type { FastifyBaseLogger, FastifyError, FastifyInstance } from 'fastify';
import { fastify, LogController } from 'fastify';
import type { RelayConfig } from '../config/types.js';
import { MAX_REQUEST_BYTES } from '../events/index.js';
import { tooLargeMessage } from './body.js';
import type { ServerOptions } from './context.js';
import { createContext, reconfigure, type ServerContext } from './context.js';
import { requestId, requestIdHooks } from './request-id.js';
import type { Failure } from './responses.js';
import { failure, HttpError } from './responses.js';
import { adminRoutes } from './routes-admin.js';
import { analyticsNextFolder, browserRoutes } from './routes-browser.js';
import { consoleFolder, consoleRoutes } from './routes-console.js';
import { healthRoutes } from './routes-health.js';
import { INGEST_PATHS, ingestRoutes } from './routes-ingest.js';
import { metricsRoutes } from './routes-metrics.js';

const contexts = new WeakMap<FastifyInstance, ServerContext>();

export async function createServer(options: ServerOptions): Promise<FastifyInstance> {
  const app = fastify({
    ...(options.logger === undefined
      ? { logger: false }
      : { loggerInstance: options.logger as FastifyBaseLogger }),
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: MAX_REQUEST_BYTES,
    genReqId: requestId,
  });
  requestIdHooks(app);
  const ctx = createContext(options, app.log);
  contexts.set(app, ctx);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, body } = describeError(error);
    // Only unexpected failures are logged, and never with the request (its headers hold keys).
    if (status >= 500) request.log.error({ err: error, url: request.routeOptions.url }, 'request failed');
    return reply.code(status).send(body);
  });
  app.setNotFoundHandler((request, reply) => {
    // The query string is not echoed: a client might have put a key there.
    const path = request.url.split('?')[0]!.slice(0, 200);
    return reply
      .code(404)
      .send(
        failure(
          'not_found',
          `no route ${request.method} ${path}; events go to POST ${INGEST_PATHS}; the admin API is under /admin, the console at /console/`,
        ),
      );
  });

  await app.register(async (scope) => ingestRoutes(scope, ctx), { prefix: '/v1' });
  await app.register(async (scope) => adminRoutes(scope, ctx), { prefix: '/admin' });
  await app.register(async (scope) => healthRoutes(scope, ctx));
  await app.register(async (scope) => browserRoutes(scope, ctx, analyticsNextFolder()));
  await app.register(async (scope) => metricsRoutes(scope, ctx));
  await app.register(async (scope) => consoleRoutes(scope, consoleFolder()));
  await app.ready();
  return app;
}

/**
 * A reloaded configuration (SIGHUP) for a running server: sources and write keys, their rate limits,
 * the admin token, which sources feed which destination, subscriptions as the tester and editor
 * show them. The destinations must have the names it was created with: the caller checks.
 */
export function reconfigureServer(app: FastifyInstance, config: RelayConfig): void {
  const ctx = contexts.get(app);
  if (ctx === undefined) throw new Error('reconfigureServer: not a server made by createServer');
  reconfigure(ctx, config);
}

function describeError(error: FastifyError): { status: number; body: Failure } {
  if (error instanceof HttpError) return { status: error.status, body: failure(error.code, error.message) };
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: failure('body_too_large', tooLargeMessage('as sent')) };
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    // Fastify's own text ("Unsupported Media Type") would not say what to send instead.
    return {
      status: 415,
      body: failure(
        'unsupported_content_type',
        'the Content-Type header could not be read; send application/json (text/plain and no Content-Type are read as JSON too)',
      ),
    };
  }
  const status = error.statusCode ?? 500;
  if (status >= 400 && status < 500) return { status, body: failure('bad_request', error.message) };
  return {
    status: 500,
    body: failure('internal_error', 'the relay failed to handle this request; its log has the details'),
  };
}
