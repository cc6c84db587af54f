/**
 * `createEmulator()`: wires the workspace, auth, faults, stats and request log into a Fastify server
 * and starts listening. See src/emulator/README.md for the routes and the decisions behind them.
 */
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { fastify } from 'fastify';
import { createAuthCheck } from './auth.js';
import type { RequestState, ServerContext } from './context.js';
import { defaultWorkspace } from './default-workspace.js';
import { createFaultInjector } from './fault-injector.js';
import { registerHooks } from './hooks.js';
import type { Emulator, EmulatorOptions } from './options.js';
import { createRequestLog } from './request-log.js';
import { errorFor } from './responses.js';
import { registerInspectRoutes } from './routes-inspect.js';
import { registerV1Routes } from './routes-v1.js';
import { registerV2Routes } from './routes-v2.js';
import { loadSnapshot, saveSnapshot } from './snapshot.js';
import { createStats } from './stats.js';

/**
 * Fastify's own body limit sits well above Customer.io's 500 KB so that oversize bodies reach our
 * handlers and get a 400 naming the Track API limit. Only bodies beyond this hard cap are refused
 * by Fastify before being read (413, same JSON shape).
 */
export const HARD_BODY_LIMIT = 8 * 1024 * 1024;
const DEFAULT_RECENT_REQUESTS = 200;

export async function createEmulator(options: EmulatorOptions): Promise<Emulator> {
  checkOptions(options);
  const now = options.now ?? Date.now;
  const sink = options.sink === true;
  const workspace = options.workspace ?? defaultWorkspace(now);
  if (options.snapshotFile) await loadSnapshot(options.snapshotFile, workspace);

  const shutdown = new AbortController();
  const host = options.host ?? '127.0.0.1';
  let url = '';
  const ctx: ServerContext = {
    siteId: options.siteId,
    workspace,
    sink,
    checkAuth: createAuthCheck(options.siteId, options.apiKey),
    faults: createFaultInjector(options.faults, () => performance.now()),
    stats: createStats(now),
    // Sink mode keeps nothing per request: the log would cost memory and throughput.
    log: createRequestLog(sink ? 0 : (options.maxRecentRequests ?? DEFAULT_RECENT_REQUESTS)),
    now,
    snapshotFile: options.snapshotFile,
    shutdown: shutdown.signal,
    hung: new Set<Socket>(),
    requests: new WeakMap<FastifyRequest, RequestState>(),
    url: () => url,
  };

  const app = buildApp(ctx);
  await app.listen({ port: options.port ?? 0, host });
  const port = (app.server.address() as AddressInfo).port;
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    workspace,
    setFaults: (faults) => ctx.faults.set(faults),
    faults: () => ctx.faults.current(),
    stats: () => structuredClone(ctx.stats.value),
    requests: (limit) => ctx.log.list(limit),
    close() {
      closing ??= (async () => {
        shutdown.abort();
        for (const socket of ctx.hung) socket.destroy();
        ctx.hung.clear();
        await app.close();
        if (ctx.snapshotFile) await saveSnapshot(ctx.snapshotFile, workspace);
      })();
      return closing;
    },
  };
}

function buildApp(ctx: ServerContext): FastifyInstance {
  const app = fastify({
    // No logger: nothing about a request (least of all its credentials) is written anywhere.
    logger: false,
    bodyLimit: HARD_BODY_LIMIT,
    // close() must not wait for keep-alive clients or for requests a fault left hanging.
    forceCloseConnections: true,
  });
  // One catch-all parser: every body arrives as a Buffer and `body.ts` decides what is acceptable,
  // so wrong content types, empty and malformed bodies all get the same clear 400.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  registerHooks(app, ctx);
  registerV2Routes(app, ctx);
  registerV1Routes(app, ctx);
  registerInspectRoutes(app, ctx);

  app.setNotFoundHandler((request, reply) =>
    reply
      .code(404)
      .send(errorFor(request.url, 'not_found', `no such route: ${request.method} ${request.url}`, '')),
  );
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { status, reason, message } = describeError(error);
    return reply.code(status).send(errorFor(request.url, reason, message));
  });
  return app;
}

function describeError(error: FastifyError): { status: number; reason: string; message: string } {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        reason: 'too_large',
        message: `the request body exceeds ${HARD_BODY_LIMIT} bytes, the most the emulator reads (Customer.io accepts 500 KB per batch)`,
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 400,
        reason: 'invalid',
        message: 'Content-Type must be application/json (got an unparsable value)',
      };
    default: {
      const status = error.statusCode ?? 500;
      if (status >= 400 && status < 500) return { status, reason: 'invalid', message: error.message };
      return { status: 500, reason: 'emulator_error', message: `emulator bug: ${error.message}` };
    }
  }
}

function checkOptions(options: EmulatorOptions): void {
  if (typeof options.siteId !== 'string' || options.siteId === '') {
    throw new TypeError('createEmulator: siteId must be a non-empty string');
  }
  if (typeof options.apiKey !== 'string' || options.apiKey === '') {
    throw new TypeError('createEmulator: apiKey must be a non-empty string');
  }
  if (options.siteId.includes(':')) throw new TypeError('createEmulator: siteId must not contain ":"');
  if (options.sink && options.snapshotFile) {
    throw new TypeError('createEmulator: sink mode keeps no state, so it cannot use a snapshot file');
  }
  const { maxRecentRequests } = options;
  if (maxRecentRequests !== undefined && (!Number.isInteger(maxRecentRequests) || maxRecentRequests < 0)) {
    throw new TypeError('createEmulator: maxRecentRequests must be a non-negative integer');
  }
}
